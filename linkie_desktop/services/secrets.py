"""Secrets in the OS keyring; OAuth tokens encrypted under a data key that only the keyring holds.

The LinkedIn client secret and the AI API keys are keyring entries of the service `linkie-desktop`.
OAuth tokens go into database columns as AES-GCM ciphertext; the 256-bit key lives only in the
keyring, so a copied database file reveals no token. Each Linkie user (a `users` row) has a key
of their own, `oauth-token-key:<user id>`, and their ciphertext names it: `enc:v2:<user id>:` +
base64url(nonce ‖ sealed). On a database several people share, each person's tokens can be read
only where that person's key is (their own machine), never by another member's Linkie.
Ciphertext of older versions, `enc:v1:` + base64url(nonce ‖ sealed), was sealed under the one key
`oauth-token-key` of the OS user; it is still read with that key, so an existing install keeps its
connection after the upgrade (its next connect seals under the user's own key). When no
keyring can be used (none installed, locked, unlock prompt dismissed) every call raises
`KeyringUnavailable`: there is deliberately no plain-text fallback.

keyring and cryptography are imported inside the functions that use them: together they cost
~90 ms of a cold start, and the main window reads no secret until a publisher pass, Settings or
the Studio asks for one.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import logging
import os
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from linkie_desktop.config import KEYRING_SERVICE
from linkie_desktop.services.redact import register_secret

log = logging.getLogger(__name__)

CIPHER_PREFIX = "enc:v1:"  # sealed under the OS user's one key (older versions)
USER_CIPHER_PREFIX = "enc:v2:"  # followed by "<user id>:", sealed under that user's key
_NONCE_BYTES = 12
_KEY_BYTES = 32


class _NoSecretStorageError(Exception):
    """Stands in for secretstorage's errors where it is not installed: never raised."""


@functools.cache
def _secret_storage_error() -> type[Exception]:
    """Secret Service errors that escape keyring now and then (the daemon gone mid-call)."""
    try:
        from secretstorage.exceptions import SecretStorageException
    except ImportError:  # pragma: no cover - platforms without Secret Service
        return _NoSecretStorageError
    return SecretStorageException


_T = TypeVar("_T")


class SecretName(StrEnum):
    # Entry names in the keyring, not secrets themselves.
    LINKEDIN_CLIENT_SECRET = "linkedin-client-secret"  # noqa: S105
    ANTHROPIC_API_KEY = "anthropic-api-key"
    GEMINI_API_KEY = "gemini-api-key"
    TOKEN_DATA_KEY = "oauth-token-key"  # noqa: S105 - the AES key of the token columns


class KeyringUnavailable(Exception):  # noqa: N818 - the name the issue and callers use
    """No usable keyring. The message says, in plain words, what happened and what to do."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"Linkie can't use your system keyring: {reason}. Linkie keeps your LinkedIn "
            "connection and API keys only there, never in plain text. Unlock your keyring (log "
            "in to your desktop session, or open your password manager such as GNOME Keyring or "
            "KWallet) and try again."
        )


class TokenUnreadableError(Exception):
    """A stored token can't be decrypted (keyring reset, key deleted, value damaged)."""


class TokenKeyMissingError(TokenUnreadableError):
    """The token's owner has no key in this machine's keyring: it was sealed on another machine
    (a shared database) or this keyring was reset."""


def token_key_entry(user_id: str | None) -> str:
    """The keyring entry of a user's token key; None: the one key of older versions."""
    if user_id is None:
        return SecretName.TOKEN_DATA_KEY.value
    return f"{SecretName.TOKEN_DATA_KEY.value}:{user_id}"


def _reason(exc: BaseException) -> str:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the keyring is locked"
    if isinstance(exc, keyring.errors.NoKeyringError):
        return "no keyring service is running on this computer"
    if isinstance(exc, keyring.errors.InitError):
        return "the keyring could not be opened (was the unlock prompt dismissed?)"
    return "the keyring did not answer"


def _guarded(call: Callable[[], _T]) -> _T:
    """Run one keyring call; every way a keyring can be unusable becomes KeyringUnavailable."""
    import keyring.errors

    secret_storage_error = _secret_storage_error()
    try:
        return call()
    except keyring.errors.PasswordDeleteError:
        raise
    except (keyring.errors.KeyringError, secret_storage_error, OSError) as exc:
        # The backend's text never carries the secret itself, but log only its class to be sure.
        log.warning("keyring unavailable: %s", type(exc).__name__)
        raise KeyringUnavailable(_reason(exc)) from exc


class SecretStore:
    """Named secrets of one keyring service; values read or written are also masked in logs.

    `user_id` is the Linkie user the store serves: the token key it seals with is theirs (the
    client secret and AI keys are the machine's, shared by every user). None: a store that
    seals as older versions did, under the one key of the OS user.
    """

    def __init__(self, service: str = KEYRING_SERVICE, *, user_id: str | None = None) -> None:
        self.service = service
        self.user_id = user_id

    def get(self, name: SecretName) -> str | None:
        return self.get_entry(name.value)

    def set(self, name: SecretName, value: str) -> None:
        """Store `value`; an empty value removes the entry instead."""
        self.set_entry(name.value, value)

    def delete(self, name: SecretName) -> None:
        """Remove the entry; an entry that is already gone is fine."""
        self.delete_entry(name.value)

    def get_entry(self, entry: str) -> str | None:
        import keyring

        value: str | None = _guarded(lambda: keyring.get_password(self.service, entry))
        register_secret(value)
        return value

    def set_entry(self, entry: str, value: str) -> None:
        if not value:
            self.delete_entry(entry)
            return
        register_secret(value)
        import keyring

        _guarded(lambda: keyring.set_password(self.service, entry, value))

    def delete_entry(self, entry: str) -> None:
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            _guarded(lambda: keyring.delete_password(self.service, entry))

    def check_available(self) -> None:
        """Raise KeyringUnavailable unless the keyring can be read right now."""
        self.get(SecretName.TOKEN_DATA_KEY)

    def is_available(self) -> bool:
        try:
            self.check_available()
        except KeyringUnavailable:
            return False
        return True


class TokenCipher:
    """AES-GCM for the token columns. `purpose` (e.g. "access_token") is bound as associated data,
    so ciphertext copied into another column does not decrypt; so is the owner's id, so it does
    not pass for another user's either.

    Sealing uses the key of the store's user (created on first use). Reading uses the key the
    ciphertext names; a store serving one user refuses ciphertext that names someone else."""

    def __init__(self, store: SecretStore) -> None:
        self.store = store

    def _stored_key(self, owner: str | None) -> bytes | None:
        encoded = self.store.get_entry(token_key_entry(owner))
        if encoded is None:
            return None
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != _KEY_BYTES:
            raise TokenUnreadableError(
                "The token key in your keyring is damaged. Disconnect and connect LinkedIn again."
            )
        return key

    def _key_for_writing(self, owner: str | None) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = self._stored_key(owner)
        if key is not None:
            return key
        fresh = AESGCM.generate_key(bit_length=_KEY_BYTES * 8)
        self.store.set_entry(token_key_entry(owner), base64.b64encode(fresh).decode("ascii"))
        # Read back: if another Linkie process stored a key at the same moment, both use that one.
        stored = self._stored_key(owner)
        if stored is None:
            raise KeyringUnavailable("the keyring did not keep the token key it was given")
        return stored

    def encrypt(self, token: str, purpose: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        register_secret(token)
        owner = self.store.user_id
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self._key_for_writing(owner)).encrypt(
            nonce, token.encode("utf-8"), _bound(purpose, owner)
        )
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        if owner is None:
            return CIPHER_PREFIX + body
        return f"{USER_CIPHER_PREFIX}{owner}:{body}"

    def _opened(self, ciphertext: str) -> tuple[str | None, str]:
        """(whose key sealed it, the base64 body); refused when it is not Linkie's format."""
        if ciphertext.startswith(CIPHER_PREFIX):
            return None, ciphertext[len(CIPHER_PREFIX) :]
        if ciphertext.startswith(USER_CIPHER_PREFIX):
            owner, colon, body = ciphertext[len(USER_CIPHER_PREFIX) :].partition(":")
            if owner and colon:
                return owner, body
        raise TokenUnreadableError(
            "The stored LinkedIn token is not in a format Linkie knows. Connect LinkedIn again."
        )

    def decrypt(self, ciphertext: str, purpose: str) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        owner, body = self._opened(ciphertext)
        if owner is not None and self.store.user_id not in (None, owner):
            raise TokenUnreadableError(
                "The stored LinkedIn token belongs to another person of this database. "
                "Connect LinkedIn again."
            )
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
        except (binascii.Error, ValueError):
            raw = b""
        key = self._stored_key(owner)
        if key is None:
            if owner is not None:
                raise TokenKeyMissingError(
                    "The key that protects this person's LinkedIn token is not on this machine "
                    "(it stays in the keyring of the computer where they connected LinkedIn). "
                    "Connect LinkedIn again on this computer to publish from here."
                )
            raise TokenUnreadableError(
                "The key that protects your LinkedIn token is no longer in your keyring. "
                "Connect LinkedIn again."
            )
        try:
            plain = AESGCM(key).decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _bound(purpose, owner)
            )
        except (InvalidTag, ValueError):
            raise TokenUnreadableError(
                "The stored LinkedIn token can't be decrypted with the key in your keyring "
                "(was the keyring reset?). Connect LinkedIn again."
            ) from None
        token = plain.decode("utf-8")
        register_secret(token)
        return token

    def forget_key(self) -> None:
        """Delete the store user's key: every token sealed with it becomes unreadable for good.

        A store without a user forgets the one key of older versions."""
        self.store.delete_entry(token_key_entry(self.store.user_id))


def _bound(purpose: str, owner: str | None) -> bytes:
    """The associated data: the column, and for a user's key the user (older ciphertext bound
    the column alone)."""
    if owner is None:
        return purpose.encode("utf-8")
    return f"{purpose}\0{owner}".encode()
