"""Secrets and tokens against the real Secret Service daemon (gnome-keyring, with-keyring.sh)."""

from __future__ import annotations

import pytest

from linkie_desktop.services.secrets import (
    CIPHER_PREFIX,
    SecretName,
    SecretStore,
    TokenCipher,
    TokenKeyMissingError,
    token_key_entry,
)

pytestmark = pytest.mark.keyring

TOKEN = "AQVreal-daemon-token-0123456789abcdef"


def test_secret_survives_a_fresh_store_object(real_keyring_store: SecretStore) -> None:
    real_keyring_store.set(SecretName.LINKEDIN_CLIENT_SECRET, "WPL_AP1.real.secret")
    again = SecretStore(service=real_keyring_store.service)
    assert again.get(SecretName.LINKEDIN_CLIENT_SECRET) == "WPL_AP1.real.secret"
    again.delete(SecretName.LINKEDIN_CLIENT_SECRET)
    assert real_keyring_store.get(SecretName.LINKEDIN_CLIENT_SECRET) is None


def test_token_encrypted_under_a_key_held_by_the_daemon(real_keyring_store: SecretStore) -> None:
    sealed = TokenCipher(real_keyring_store).encrypt(TOKEN, "access_token")
    assert TOKEN not in sealed
    assert real_keyring_store.get(SecretName.TOKEN_DATA_KEY) is not None
    reader = TokenCipher(SecretStore(service=real_keyring_store.service))
    assert reader.decrypt(sealed, "access_token") == TOKEN


def test_real_keyring_reports_available(real_keyring_store: SecretStore) -> None:
    assert real_keyring_store.is_available()


def test_each_user_has_a_key_of_their_own_on_the_daemon(real_keyring_store: SecretStore) -> None:
    service = real_keyring_store.service
    sealed_a = TokenCipher(SecretStore(service, user_id="usera")).encrypt(TOKEN, "access_token")
    sealed_b = TokenCipher(SecretStore(service, user_id="userb")).encrypt(TOKEN, "access_token")
    try:
        key_a = real_keyring_store.get_entry(token_key_entry("usera"))
        key_b = real_keyring_store.get_entry(token_key_entry("userb"))
        assert key_a is not None and key_b is not None and key_a != key_b
        assert real_keyring_store.get(SecretName.TOKEN_DATA_KEY) is None  # no shared key made
        # This machine without B's key (B connected elsewhere): A's token reads, B's does not.
        TokenCipher(SecretStore(service, user_id="userb")).forget_key()
        reader = TokenCipher(SecretStore(service))
        assert reader.decrypt(sealed_a, "access_token") == TOKEN
        with pytest.raises(TokenKeyMissingError, match="not on this machine"):
            reader.decrypt(sealed_b, "access_token")
    finally:
        real_keyring_store.delete_entry(token_key_entry("usera"))
        real_keyring_store.delete_entry(token_key_entry("userb"))


def test_a_token_sealed_before_per_user_keys_still_reads_on_the_daemon(
    real_keyring_store: SecretStore,
) -> None:
    # An existing install: the one key of the OS user, `enc:v1:` ciphertext (a store serving
    # no user seals exactly as that version did).
    old = TokenCipher(SecretStore(real_keyring_store.service)).encrypt(TOKEN, "access_token")
    assert old.startswith(CIPHER_PREFIX)
    upgraded = TokenCipher(SecretStore(real_keyring_store.service, user_id="localuser"))
    assert upgraded.decrypt(old, "access_token") == TOKEN
