"""Pytest fixtures for the fakes: `linkedin_server` (started, stopped) and `linkedin_env`.

Registered for every test by `pytest_plugins` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.linkedin_server import FakeLinkedIn


@pytest.fixture
def linkedin_server() -> Iterator[FakeLinkedIn]:
    """A fresh LinkedIn test server on 127.0.0.1 for one test."""
    server = FakeLinkedIn().start()
    yield server
    server.stop()


@pytest.fixture
def linkedin_env(linkedin_server: FakeLinkedIn, monkeypatch: pytest.MonkeyPatch) -> FakeLinkedIn:
    """The server, with the app's LinkedIn overrides and client credentials pointing at it."""
    monkeypatch.setenv("LINKIE_LINKEDIN_API_BASE", linkedin_server.base_url)
    monkeypatch.setenv("LINKIE_LINKEDIN_AUTH_BASE", linkedin_server.base_url)
    monkeypatch.setenv("LINKIE_LINKEDIN_CLIENT_ID", linkedin_server.client_id)
    monkeypatch.setenv("LINKIE_LINKEDIN_CLIENT_SECRET", linkedin_server.client_secret)
    return linkedin_server
