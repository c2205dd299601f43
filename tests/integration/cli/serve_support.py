"""`linkie serve` in a child process against the LinkedIn test server, on a real database file.

The connection is sealed by the real TokenCipher under a file keyring that the child processes
share (tests/fakes/file_keyring.py): the OS keyring of this machine is not the tests' to use.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import Engine, select, text

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import PublisherPresence
from linkie_desktop.services.secrets import SecretStore, TokenCipher
from tests.fakes.file_keyring import ENV_FILE, FileKeyring
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import Desk, make_desk

ROOT = Path(__file__).resolve().parents[3]
LINKIE = Path(sys.executable).parent / "linkie"  # the installed command, as a user runs it
# The regular tick never comes within a test: what goes out went through the due wake-up or
# the change poll.
NO_TICK_S = 600.0


@pytest.fixture
def sealed_desk(
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Desk]:
    monkeypatch.setenv(ENV_FILE, str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())  # type: ignore[no-untyped-call]
    desk = make_desk(engine, user_id, linkedin_server)
    sealed = TokenCipher(SecretStore()).encrypt(desk.token, "access_token")
    with desk.engine.begin() as conn:  # SQLite or PostgreSQL alike
        conn.execute(text("UPDATE user_settings SET linkedin_access_token = :t"), {"t": sealed})
    yield desk
    keyring.set_keyring(previous)


def serve_env(desk: Desk, db_path: Path, interval_s: float = NO_TICK_S) -> dict[str, str]:
    return os.environ | {
        "LINKIE_DB": str(db_path),
        "LINKIE_DATA_DIR": str(db_path.parent),
        "LINKIE_LINKEDIN_API_BASE": desk.server.base_url,
        "LINKIE_PUBLISH_INTERVAL_S": str(interval_s),
        "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
        "PYTHONPATH": str(ROOT),
    }


def start_serve(desk: Desk, db_path: Path, interval_s: float = NO_TICK_S) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(LINKIE), "serve", "--db", str(db_path)],
        env=serve_env(desk, db_path, interval_s),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(
    condition: Callable[[], bool],
    child: subprocess.Popen[str] | None = None,
    timeout_s: float = 60.0,
) -> None:
    """Until `condition()`; fails at once if `child` ended meanwhile (with what it said)."""
    give_up = time.monotonic() + timeout_s
    while not condition():
        if child is not None and child.poll() is not None:
            pytest.fail(f"linkie serve ended early: {child.communicate()}")
        assert time.monotonic() < give_up, "timed out waiting"
        time.sleep(0.02)


def serve_rows(engine: Engine) -> list[PublisherPresence]:
    with reading(engine) as session:
        return list(
            session.scalars(select(PublisherPresence).where(PublisherPresence.kind == "serve"))
        )


def running(engine: Engine, child: subprocess.Popen[str]) -> bool:
    """The child's heartbeat row is there: it has started its loop."""
    return any(row.pid == child.pid for row in serve_rows(engine))


def stop(child: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGTERM, then what it said; it must end by itself."""
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=90)
    assert child.returncode == 0, err
    return out, err
