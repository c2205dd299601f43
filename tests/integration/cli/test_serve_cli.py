"""`linkie serve` as a real child process: it publishes due posts, sends a post falling due while
it runs through its due wake-up, and stops on SIGTERM without leaving a post in `publishing`."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from linkie_desktop import config
from linkie_desktop.db.migrate import complete_backups
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.logging_setup import LOG_FILE_NAME, SERVE_LOG_FILE_NAME
from linkie_desktop.services.notifications import OPEN
from linkie_desktop.ui.single_instance import SingleInstance, instance_key
from tests.fakes.notification_server import running_notification_server
from tests.integration.cli.serve_support import (
    LINKIE,
    ROOT,
    running,
    sealed_desk,
    serve_env,
    serve_rows,
    start_serve,
    stop,
    wait_for,
)
from tests.integration.publisher_support import POSTS_PATH, Desk

__all__ = ["sealed_desk"]  # the fixture, used by name


def _due_now(desk: Desk, content: str) -> str:
    # The child reads the real clock: these posts are due by it (a minute ago).
    return desk.due_post(content, at=utc_now() - timedelta(minutes=1))


def test_serve_publishes_due_posts_logs_each_by_id_and_stops_on_sigterm(
    sealed_desk: Desk, db_path: Path
) -> None:
    desk = sealed_desk
    ids = [_due_now(desk, f"Secret plans number {n}") for n in range(3)]
    child = start_serve(desk, db_path)
    wait_for(lambda: len(desk.server.posts) == 3, child)
    wait_for(lambda: all(desk.post(i).status == PostStatus.PUBLISHED for i in ids), child)
    assert running(desk.engine, child)  # its heartbeat is there while it runs
    _out, err = stop(child)
    assert sorted(p.commentary for p in desk.server.posts) == [
        f"Secret plans number {n}" for n in range(3)
    ]
    for post_id in ids:
        assert f"post {post_id} published" in err
    logs = db_path.parent / "logs"
    log_file = (logs / SERVE_LOG_FILE_NAME).read_text(encoding="utf-8")
    assert not (logs / LOG_FILE_NAME).exists()  # the window's file is the window's alone
    assert f"post {ids[0]} published" in log_file
    for said in (err, log_file):
        assert "Secret plans" not in said  # outcomes by id, never the post's text
        assert desk.token not in said
    assert serve_rows(desk.engine) == []  # the heartbeat row goes with it
    # A machine that only runs `linkie serve` is backed up daily too: the first pass made one.
    [backup] = complete_backups(db_path)
    assert "daily backup written" in err and backup.name in err


def test_sigterm_while_linkedin_holds_a_create_leaves_no_post_publishing(
    sealed_desk: Desk, db_path: Path
) -> None:
    desk = sealed_desk
    ids = [_due_now(desk, f"Held post {n}") for n in range(3)]
    # LinkedIn stores the first post, then answers only after a while.
    desk.server.inject("POST", POSTS_PATH, delay_s=3.0)
    child = start_serve(desk, db_path)
    wait_for(lambda: len(desk.server.requests_to("POST", POSTS_PATH)) == 1, child)
    stop(child)  # while the create request is held
    assert len(desk.server.requests_to("POST", POSTS_PATH)) == 1  # no other post was taken up
    held = desk.server.requests_to("POST", POSTS_PATH)[0].json()["commentary"]
    for post_id in ids:
        post = desk.post(post_id)
        assert post.status != PostStatus.PUBLISHING
        if post.content == held:  # its answer came and was written, or it waits for a retry
            assert post.status == PostStatus.PUBLISHED or (
                post.status == PostStatus.SCHEDULED and post.retry_count == 1
            )
        else:  # untouched, for the next publisher
            assert (post.status, post.retry_count) == (PostStatus.SCHEDULED, 0)
    assert serve_rows(desk.engine) == []


def test_a_post_scheduled_by_the_cli_seconds_ahead_goes_out_through_the_due_wake_up(
    sealed_desk: Desk, db_path: Path
) -> None:
    desk = sealed_desk
    child = start_serve(desk, db_path)  # its tick (600 s) never comes in this test
    wait_for(lambda: running(desk.engine, child), child)
    # Ahead enough for the CLI to start in time on a busy machine (2 s was not, at load 5).
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=10)
    added = subprocess.run(
        [str(LINKIE), "posts", "add", "--content", "Ten seconds later", "--at", at.isoformat()],
        env=serve_env(desk, db_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    # The change poll hears the other process's commit, the pass arms the due wake-up, and that
    # sends the post (no tick in between): waited for on LinkedIn's side, not timed.
    wait_for(lambda: len(desk.server.requests_to("POST", POSTS_PATH)) == 1, child, timeout_s=30)
    sent = desk.server.requests_to("POST", POSTS_PATH)[0]
    assert sent.json()["commentary"] == "Ten seconds later"
    wait_for(lambda: desk.post(added.stdout.strip()).status == PostStatus.PUBLISHED, child)
    stop(child)


def test_a_second_serve_on_the_same_database_steps_aside(sealed_desk: Desk, db_path: Path) -> None:
    desk = sealed_desk
    first = start_serve(desk, db_path)
    wait_for(lambda: running(desk.engine, first), first)
    second = start_serve(desk, db_path)
    _out, err = second.communicate(timeout=60)
    assert second.returncode == 0
    assert f"already publishing from this database (process {first.pid})" in err
    assert [row.pid for row in serve_rows(desk.engine)] == [first.pid]
    stop(first)


def test_the_background_publisher_notifies_and_its_open_shows_the_post_in_the_window(
    qtbot: QtBot, sealed_desk: Desk, db_path: Path
) -> None:
    desk = sealed_desk
    post_id = _due_now(desk, "Told on the desktop")
    # The window open on this database, as far as a second start can tell: its instance guard
    # (the window's own start-up is tests/ui/app/test_single_instance.py's).
    window = SingleInstance(instance_key(config.load(db=str(db_path)).database_url))
    assert window.claim()
    window.ready()
    try:
        with running_notification_server() as notices:  # on a private session bus of this test
            env = serve_env(desk, db_path) | {"DBUS_SESSION_BUS_ADDRESS": notices.address}
            child = subprocess.Popen(
                [str(LINKIE), "serve"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            wait_for(lambda: desk.post(post_id).status == PostStatus.PUBLISHED, child)
            [shown] = notices.wait_for(1, timeout_s=30)
            # Open: linkie serve starts linkie-desktop --open-post, which hands the post over.
            with qtbot.wait_signal(window.post_requested, timeout=60_000) as opened:
                notices.click(shown.id, OPEN)
            stop(child)
    finally:
        window.release()
    assert shown.summary == "Published: Told on the desktop"
    assert opened.args == [post_id]
