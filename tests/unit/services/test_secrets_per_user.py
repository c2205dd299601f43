"""Each Linkie user's tokens are sealed under a key of their own, named after them; tokens of
older versions (one key for the OS user) are still read."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from linkie_desktop.services.secrets import (
    CIPHER_PREFIX,
    SecretName,
    SecretStore,
    TokenCipher,
    TokenKeyMissingError,
    TokenUnreadableError,
    token_key_entry,
)
from tests.fakes.keyrings import MemoryKeyring

TOKEN = "AQVper-user-token-0123456789abcdef"
SERVICE = "linkie-desktop"


def old_version_ciphertext(keyring: MemoryKeyring, token: str, purpose: str) -> str:
    """What Linkie before per-user keys wrote: the OS user's one key, `enc:v1:`, the column alone
    as associated data (made here by hand, as that code did, not by today's cipher)."""
    key = AESGCM.generate_key(bit_length=256)
    keyring.entries[(SERVICE, SecretName.TOKEN_DATA_KEY.value)] = base64.b64encode(key).decode()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, token.encode(), purpose.encode())
    return CIPHER_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def test_a_users_token_is_sealed_under_a_key_entry_named_after_them(
    memory_keyring: MemoryKeyring,
) -> None:
    sealed = TokenCipher(SecretStore(user_id="usera")).encrypt(TOKEN, "access_token")
    assert sealed.startswith("enc:v2:usera:")
    assert TOKEN not in sealed
    assert set(memory_keyring.entries) == {(SERVICE, "oauth-token-key:usera")}
    assert token_key_entry("usera") == "oauth-token-key:usera"
    key = memory_keyring.entries[(SERVICE, "oauth-token-key:usera")]
    assert len(base64.b64decode(key)) == 32
    assert TokenCipher(SecretStore(user_id="usera")).decrypt(sealed, "access_token") == TOKEN


def test_two_users_get_two_keys(memory_keyring: MemoryKeyring) -> None:
    TokenCipher(SecretStore(user_id="usera")).encrypt(TOKEN, "access_token")
    TokenCipher(SecretStore(user_id="userb")).encrypt(TOKEN, "access_token")
    a = memory_keyring.entries[(SERVICE, "oauth-token-key:usera")]
    b = memory_keyring.entries[(SERVICE, "oauth-token-key:userb")]
    assert a != b


def test_another_machine_without_the_owners_key_cannot_read_the_token(
    memory_keyring: MemoryKeyring,
) -> None:
    sealed_by_b = TokenCipher(SecretStore(user_id="userb")).encrypt(TOKEN, "access_token")
    # User A's machine: A's key (and the old one), never B's.
    memory_keyring.entries.clear()
    TokenCipher(SecretStore(user_id="usera")).encrypt("a's own", "access_token")
    old_version_ciphertext(memory_keyring, "old", "access_token")
    with pytest.raises(TokenKeyMissingError, match="not on this machine") as caught:
        TokenCipher(SecretStore()).decrypt(sealed_by_b, "access_token")
    assert TOKEN not in str(caught.value)


def test_a_store_serving_one_user_refuses_another_users_ciphertext(
    memory_keyring: MemoryKeyring,
) -> None:
    # Both keys on one machine (a shared computer): B's row holding A's ciphertext still is no
    # token for B.
    sealed_by_a = TokenCipher(SecretStore(user_id="usera")).encrypt(TOKEN, "access_token")
    TokenCipher(SecretStore(user_id="userb")).encrypt("b's own", "access_token")
    with pytest.raises(TokenUnreadableError, match="another person"):
        TokenCipher(SecretStore(user_id="userb")).decrypt(sealed_by_a, "access_token")


def test_the_owner_named_in_the_ciphertext_is_bound_to_it(memory_keyring: MemoryKeyring) -> None:
    sealed_by_a = TokenCipher(SecretStore(user_id="usera")).encrypt(TOKEN, "access_token")
    TokenCipher(SecretStore(user_id="userb")).encrypt("b's own", "access_token")
    # B's key put in A's entry, the ciphertext renamed to B: the owner is part of what was sealed.
    renamed = sealed_by_a.replace("enc:v2:usera:", "enc:v2:userb:")
    memory_keyring.entries[(SERVICE, "oauth-token-key:userb")] = memory_keyring.entries[
        (SERVICE, "oauth-token-key:usera")
    ]
    with pytest.raises(TokenUnreadableError, match="can't be decrypted"):
        TokenCipher(SecretStore()).decrypt(renamed, "access_token")


def test_a_token_of_an_older_version_is_still_read_for_the_local_user(
    memory_keyring: MemoryKeyring,
) -> None:
    sealed = old_version_ciphertext(memory_keyring, TOKEN, "access_token")
    assert TokenCipher(SecretStore(user_id="localuser")).decrypt(sealed, "access_token") == TOKEN
    assert TokenCipher(SecretStore()).decrypt(sealed, "access_token") == TOKEN


def test_forgetting_a_users_key_leaves_the_others(memory_keyring: MemoryKeyring) -> None:
    a = TokenCipher(SecretStore(user_id="usera"))
    sealed_by_a = a.encrypt(TOKEN, "access_token")
    sealed_by_b = TokenCipher(SecretStore(user_id="userb")).encrypt(TOKEN, "access_token")
    old = old_version_ciphertext(memory_keyring, TOKEN, "access_token")
    a.forget_key()
    with pytest.raises(TokenKeyMissingError):
        a.decrypt(sealed_by_a, "access_token")
    assert TokenCipher(SecretStore()).decrypt(sealed_by_b, "access_token") == TOKEN
    assert TokenCipher(SecretStore()).decrypt(old, "access_token") == TOKEN


@pytest.mark.parametrize("damaged", ["enc:v2:", "enc:v2:usera", "enc:v3:usera:abc"])
def test_damaged_prefixes_are_refused(memory_keyring: MemoryKeyring, damaged: str) -> None:
    with pytest.raises(TokenUnreadableError, match="format"):
        TokenCipher(SecretStore()).decrypt(damaged, "access_token")
