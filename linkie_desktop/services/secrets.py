"""Secrets in the OS keyring; OAuth tokens encrypted under a data key that only the keyring holds.

The LinkedIn client secret and the AI API keys are keyring entries of the service `linkie-desktop`.
OAuth tokens go into database columns as AES-GCM ciphertext (`enc:v1:` + base64url(nonce ‖ sealed));
the 256-bit key lives only in the keyring, so a copied database file reveals no token. When no
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

CIPHER_PREFIX = "enc:v1:"
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
    """Named secrets of one keyring service; values read or written are also masked in logs."""

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service

    def get(self, name: SecretName) -> str | None:
        import keyring

        value: str | None = _guarded(lambda: keyring.get_password(self.service, name.value))
        register_secret(value)
        return value

    def set(self, name: SecretName, value: str) -> None:
        """Store `value`; an empty value removes the entry instead."""
        if not value:
            self.delete(name)
            return
        register_secret(value)
        import keyring

        _guarded(lambda: keyring.set_password(self.service, name.value, value))

    def delete(self, name: SecretName) -> None:
        """Remove the entry; an entry that is already gone is fine."""
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            _guarded(lambda: keyring.delete_password(self.service, name.value))

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
    so ciphertext copied into another column does not decrypt."""

    def __init__(self, store: SecretStore) -> None:
        self.store = store

    def _stored_key(self) -> bytes | None:
        encoded = self.store.get(SecretName.TOKEN_DATA_KEY)
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

    def _key_for_writing(self) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = self._stored_key()
        if key is not None:
            return key
        fresh = AESGCM.generate_key(bit_length=_KEY_BYTES * 8)
        self.store.set(SecretName.TOKEN_DATA_KEY, base64.b64encode(fresh).decode("ascii"))
        # Read back: if another Linkie process stored a key at the same moment, both use that one.
        stored = self._stored_key()
        if stored is None:
            raise KeyringUnavailable("the keyring did not keep the token key it was given")
        return stored

    def encrypt(self, token: str, purpose: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        register_secret(token)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self._key_for_writing()).encrypt(
            nonce, token.encode("utf-8"), purpose.encode("utf-8")
        )
        return CIPHER_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, ciphertext: str, purpose: str) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not ciphertext.startswith(CIPHER_PREFIX):
            raise TokenUnreadableError(
                "The stored LinkedIn token is not in a format Linkie knows. Connect LinkedIn again."
            )
        try:
            raw = base64.urlsafe_b64decode(ciphertext[len(CIPHER_PREFIX) :].encode("ascii"))
        except (binascii.Error, ValueError):
            raw = b""
        key = self._stored_key()
        if key is None:
            raise TokenUnreadableError(
                "The key that protects your LinkedIn token is no longer in your keyring. "
                "Connect LinkedIn again."
            )
        try:
            plain = AESGCM(key).decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], purpose.encode("utf-8")
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
        """Delete the data key: every token encrypted with it becomes unreadable for good."""
        self.store.delete(SecretName.TOKEN_DATA_KEY)
