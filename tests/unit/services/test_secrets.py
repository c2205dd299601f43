"""Secrets live only in the keyring; tokens are AES-GCM ciphertext; no keyring: a plain refusal."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

import pytest

from linkie_desktop.services.secrets import (
    CIPHER_PREFIX,
    KeyringUnavailable,
    SecretName,
    SecretStore,
    TokenCipher,
    TokenUnreadableError,
)
from tests.fakes.keyrings import MemoryKeyring

TOKEN = "AQVtoken-0123456789-abcdefghijklmnopqrstuvwxyz"


def test_secret_is_stored_under_the_app_service(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set(SecretName.ANTHROPIC_API_KEY, "sk-ant-123456789")
    assert memory_keyring.entries == {("linkie-desktop", "anthropic-api-key"): "sk-ant-123456789"}
    assert store.get(SecretName.ANTHROPIC_API_KEY) == "sk-ant-123456789"


def test_setting_an_empty_secret_removes_it(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set(SecretName.GEMINI_API_KEY, "AIza-0123456789")
    store.set(SecretName.GEMINI_API_KEY, "")
    assert store.get(SecretName.GEMINI_API_KEY) is None
    store.delete(SecretName.GEMINI_API_KEY)  # already gone: no error
    assert memory_keyring.entries == {}


def test_token_round_trips_and_ciphertext_hides_it(memory_keyring: MemoryKeyring) -> None:
    cipher = TokenCipher(SecretStore())
    sealed = cipher.encrypt(TOKEN, "access_token")
    assert sealed.startswith(CIPHER_PREFIX)
    assert TOKEN not in sealed
    assert TOKEN.encode() not in base64.urlsafe_b64decode(sealed[len(CIPHER_PREFIX) :])
    assert cipher.decrypt(sealed, "access_token") == TOKEN


def test_same_token_encrypts_differently_each_time(memory_keyring: MemoryKeyring) -> None:
    cipher = TokenCipher(SecretStore())
    assert cipher.encrypt(TOKEN, "access_token") != cipher.encrypt(TOKEN, "access_token")


def test_data_key_is_256_random_bits_kept_only_in_the_keyring(
    memory_keyring: MemoryKeyring,
) -> None:
    TokenCipher(SecretStore()).encrypt(TOKEN, "access_token")
    key = memory_keyring.entries[("linkie-desktop", SecretName.TOKEN_DATA_KEY.value)]
    assert len(base64.b64decode(key)) == 32
    # A second cipher (another process) reuses the stored key instead of making a new one.
    sealed = TokenCipher(SecretStore()).encrypt(TOKEN, "access_token")
    assert memory_keyring.entries[("linkie-desktop", SecretName.TOKEN_DATA_KEY.value)] == key
    assert TokenCipher(SecretStore()).decrypt(sealed, "access_token") == TOKEN


def test_ciphertext_moved_to_another_column_does_not_decrypt(
    memory_keyring: MemoryKeyring,
) -> None:
    cipher = TokenCipher(SecretStore())
    sealed = cipher.encrypt(TOKEN, "access_token")
    with pytest.raises(TokenUnreadableError):
        cipher.decrypt(sealed, "refresh_token")


def test_tampered_ciphertext_is_refused(memory_keyring: MemoryKeyring) -> None:
    cipher = TokenCipher(SecretStore())
    sealed = cipher.encrypt(TOKEN, "access_token")
    flipped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(TokenUnreadableError, match="Connect LinkedIn again"):
        cipher.decrypt(flipped, "access_token")


def test_plain_text_in_a_token_column_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(TokenUnreadableError, match="format"):
        TokenCipher(SecretStore()).decrypt(TOKEN, "access_token")


def test_forgotten_key_makes_old_tokens_unreadable(memory_keyring: MemoryKeyring) -> None:
    cipher = TokenCipher(SecretStore())
    sealed = cipher.encrypt(TOKEN, "access_token")
    cipher.forget_key()
    assert memory_keyring.entries == {}
    with pytest.raises(TokenUnreadableError) as caught:
        cipher.decrypt(sealed, "access_token")
    assert TOKEN not in str(caught.value)


def test_damaged_data_key_is_reported(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.entries[("linkie-desktop", SecretName.TOKEN_DATA_KEY.value)] = "bm90IGEga2V5"
    with pytest.raises(TokenUnreadableError, match="damaged"):
        TokenCipher(SecretStore()).encrypt(TOKEN, "access_token")


def test_unavailable_keyring_refuses_in_plain_words(unavailable_keyring: str) -> None:
    store = SecretStore()
    cipher = TokenCipher(store)
    assert not store.is_available()
    actions: list[Callable[[], object]] = [
        lambda: store.get(SecretName.LINKEDIN_CLIENT_SECRET),
        lambda: store.set(SecretName.LINKEDIN_CLIENT_SECRET, "client-secret-value"),
        lambda: store.delete(SecretName.LINKEDIN_CLIENT_SECRET),
        lambda: cipher.encrypt(TOKEN, "access_token"),
        lambda: cipher.forget_key(),
    ]
    for action in actions:
        with pytest.raises(KeyringUnavailable) as caught:
            action()
        message = str(caught.value)
        assert "keyring" in message
        assert "Unlock your keyring" in message  # says what to do
        assert "plain text" in message  # and that there is no fallback
        assert "client-secret-value" not in message and TOKEN not in message


def test_unavailable_reason_names_the_case(unavailable_keyring: str) -> None:
    expected = {
        "locked": "locked",
        "no keyring": "no keyring service",
        "prompt dismissed": "unlock prompt dismissed",
    }[unavailable_keyring]
    with pytest.raises(KeyringUnavailable, match=expected):
        SecretStore().check_available()


def test_secrets_handled_are_masked_in_logs(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    from linkie_desktop.services.redact import RedactingFilter

    cipher = TokenCipher(SecretStore())
    cipher.decrypt(cipher.encrypt(TOKEN, "access_token"), "access_token")
    SecretStore().set(SecretName.LINKEDIN_CLIENT_SECRET, "WPL_AP1.client.secret")
    logger = logging.getLogger("linkie_desktop.test")
    caplog.handler.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="linkie_desktop.test"):
        logger.info("bare token %s and secret %s", TOKEN, "WPL_AP1.client.secret")
    assert TOKEN not in caplog.text
    assert "WPL_AP1.client.secret" not in caplog.text
    assert "[redacted]" in caplog.text
