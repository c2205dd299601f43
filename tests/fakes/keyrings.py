"""Keyring backends and fixtures for tests: in-memory, locked, prompt dismissed, real daemon.

`keyring.set_keyring` is process-wide, so each fixture puts the previous backend back afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from linkie_desktop.services.secrets import SecretName, SecretStore


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")


class RaisingKeyring(keyring.backend.KeyringBackend):
    """Every call raises `error`: a locked keyring, a dismissed unlock prompt, ..."""

    priority = 1

    def __init__(self, error: Exception) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


UNAVAILABLE_BACKENDS: dict[str, Any] = {
    "no keyring": keyring.backends.fail.Keyring,
    "locked": lambda: RaisingKeyring(keyring.errors.KeyringLocked("Failed to unlock the item!")),
    "prompt dismissed": lambda: RaisingKeyring(keyring.errors.InitError("Prompt dismissed.")),
}


def _swap(backend: keyring.backend.KeyringBackend) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    for _ in _swap(backend):
        yield backend


@pytest.fixture(params=sorted(UNAVAILABLE_BACKENDS))
def unavailable_keyring(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each way a keyring can be unusable, by name."""
    for _ in _swap(UNAVAILABLE_BACKENDS[request.param]()):
        yield request.param


@pytest.fixture
def real_keyring_store() -> Iterator[SecretStore]:
    """A SecretStore on the real Secret Service daemon, under a service name of its own."""
    if os.environ.get("LINKIE_KEYRING_DAEMON") != "1":
        pytest.fail(
            "this test needs the real Secret Service: run it through scripts/with-keyring.sh "
            "(bash scripts/test.sh does)"
        )
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    store = SecretStore(service=f"linkie-desktop-test-{uuid.uuid4().hex[:8]}")
    for _ in _swap(SecretServiceKeyring()):  # type: ignore[no-untyped-call]
        try:
            yield store
        finally:
            for name in SecretName:
                store.delete(name)
