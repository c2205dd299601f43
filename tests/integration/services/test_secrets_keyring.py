"""Secrets and tokens against the real Secret Service daemon (gnome-keyring, with-keyring.sh)."""

from __future__ import annotations

import pytest

from linkie_desktop.services.secrets import SecretName, SecretStore, TokenCipher

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
