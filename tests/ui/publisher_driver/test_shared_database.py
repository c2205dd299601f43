"""Several publishers on one shared PostgreSQL database, as on several machines: a window's
publisher (the real driver, in this process), `linkie serve` and two `linkie publish-due` (real
child processes, each with its own connections). The claims send each due post to LinkedIn
exactly once, and none is left unsent."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher import Outcome, PassResult, keyring_tokens
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.publisher_driver import PublisherDriver
from tests.integration.cli.serve_support import (
    LINKIE,
    ROOT,
    running,
    sealed_desk,
    serve_env,
    stop,
    wait_for,
)
from tests.integration.publisher_support import POSTS_PATH, Desk

pytestmark = pytest.mark.parametrize("database_kind", ["postgresql"], indirect=True)
__all__ = ["sealed_desk"]  # the fixture, used by name
POSTS = 200


def _linkie(desk: Desk, db_url: str, data: Path, *args: str) -> subprocess.Popen[str]:
    env = serve_env(desk, data / "unused.db") | {"LINKIE_DB": db_url}
    return subprocess.Popen(
        [str(LINKIE), "--db", db_url, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_window_serve_and_two_publish_dues_on_one_postgresql_database_send_each_post_once(
    qtbot: QtBot, sealed_desk: Desk, db_url: str, tmp_path: Path
) -> None:
    desk = sealed_desk
    assert desk.engine.dialect.name == "postgresql"
    ids = {desk.due_post(f"Post {n}", at=utc_now() - timedelta(minutes=1)) for n in range(POSTS)}
    # Each answer a little late, so every publisher's passes overlap over the whole batch.
    desk.server.inject("POST", POSTS_PATH, delay_s=0.02, times=POSTS)
    by_window: list[str] = []

    def heard(result: PassResult) -> None:
        by_window.extend(r.post_id for r in result.results if r.outcome is Outcome.PUBLISHED)

    window = PublisherDriver(
        desk.engine, AppSignals(), desk.config, keyring_tokens(), desk.user_id, 600.0
    )
    window.pass_finished.connect(heard)
    serve = _linkie(desk, db_url, tmp_path, "serve")
    try:
        wait_for(lambda: running(desk.engine, serve), serve)
        dues = [_linkie(desk, db_url, tmp_path, "publish-due", "--json") for _ in range(2)]
        window.start()
        reports = []
        for due in dues:
            out, err = due.communicate(timeout=120)
            assert due.returncode == 0, err
            reports.append(json.loads(out))
        qtbot.waitUntil(
            lambda: all(desk.post(i).status == PostStatus.PUBLISHED for i in ids), timeout=120_000
        )
        qtbot.waitUntil(lambda: not window.is_running, timeout=60_000)
    finally:
        window.stop()
        if serve.poll() is None:
            stop(serve)

    sent = [r.json()["commentary"] for r in desk.server.requests_to("POST", POSTS_PATH)]
    assert sorted(sent) == sorted(f"Post {n}" for n in range(POSTS))  # each once: 0 duplicates
    assert len(desk.server.posts) == POSTS  # and 0 lost
    by_cli = [row["id"] for report in reports for row in report if row["outcome"] == "published"]
    assert len(set(by_cli)) == len(by_cli) and len(set(by_window)) == len(by_window)
    assert set(by_cli) | set(by_window) <= ids
    assert by_cli, "the command-line publishers took part"
