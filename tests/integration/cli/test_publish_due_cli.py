"""`linkie publish-due` as separate processes on one database: each post reaches LinkedIn once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from linkie_desktop.cli import run
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.publisher import MAY_HAVE_PUBLISHED, Outcome
from tests.integration.cli.serve_support import sealed_desk
from tests.integration.publisher_support import POSTS_PATH, Desk

__all__ = ["sealed_desk"]  # the fixture, used by name

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def desk(sealed_desk: Desk) -> Desk:
    """A connection sealed by the real TokenCipher under a keyring the child processes share."""
    return sealed_desk


def _env(desk: Desk, db_path: Path) -> dict[str, str]:
    return os.environ | {
        "LINKIE_DB": str(db_path),
        "LINKIE_DATA_DIR": str(db_path.parent),
        "LINKIE_LINKEDIN_API_BASE": desk.server.base_url,
        "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
        "PYTHONPATH": str(ROOT),
    }


def _publish_due(desk: Desk, db_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from linkie_desktop.cli import main; main()",
            "publish-due",
            "--json",
        ],
        env=_env(desk, db_path),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _due_now(desk: Desk, content: str) -> str:
    # Child processes read the real clock: these posts are due by it (a minute ago).
    return desk.due_post(content, at=utc_now() - timedelta(minutes=1))


def test_two_processes_over_50_due_posts_send_each_exactly_once(desk: Desk, db_path: Path) -> None:
    ids = {_due_now(desk, f"Due post {n}") for n in range(50)}
    children = [_publish_due(desk, db_path), _publish_due(desk, db_path)]
    reports = []
    for child in children:
        out, err = child.communicate(timeout=90)
        assert child.returncode == 0, err
        reports.append(json.loads(out))
    published = [row["id"] for report in reports for row in report if row["outcome"] == "published"]
    assert sorted(published) == sorted(ids)
    assert all(row["urn"].startswith("urn:li:share:") for r in reports for row in r)
    sent = [r.json()["commentary"] for r in desk.server.requests_to("POST", POSTS_PATH)]
    assert sorted(sent) == sorted(f"Due post {n}" for n in range(50))


def test_a_process_killed_mid_request_leaves_a_post_the_next_pass_fails_unsent(
    desk: Desk, db_path: Path
) -> None:
    desk.server.inject("POST", POSTS_PATH, delay_s=60)
    post_id = _due_now(desk, "Sent, then the app died")
    child = _publish_due(desk, db_path)
    while not desk.server.requests_to("POST", POSTS_PATH):
        assert child.poll() is None, child.communicate()
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert desk.post(post_id).status == PostStatus.PUBLISHING
    [result] = desk.run(utc_now() + timedelta(minutes=5)).results
    assert (result.post_id, result.outcome, result.detail) == (
        post_id,
        Outcome.FAILED,
        MAY_HAVE_PUBLISHED,
    )
    assert len(desk.server.requests_to("POST", POSTS_PATH)) == 1


def test_publish_due_json_names_outcome_detail_and_urn_and_exits_0(
    desk: Desk, db_path: Path
) -> None:
    # Sent oldest first: the refused one is a second older, so the injected 422 is its answer.
    refused = desk.due_post("Refused", at=utc_now() - timedelta(minutes=1, seconds=1))
    published = _due_now(desk, "Goes out")
    error = {"message": "Nope", "serviceErrorCode": 1, "status": 422}
    desk.server.inject("POST", POSTS_PATH, 422, body=error)
    child = _publish_due(desk, db_path)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows[refused]["outcome"] == "failed" and "Nope" in rows[refused]["detail"]
    assert "urn" not in rows[refused]
    assert rows[published]["outcome"] == "published"
    assert rows[published]["urn"] == desk.server.posts[0].urn


def test_publish_due_text_prints_one_line_per_post(
    desk: Desk, db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    post_id = _due_now(desk, "One line")
    monkeypatch.setenv("LINKIE_LINKEDIN_API_BASE", desk.server.base_url)
    monkeypatch.setenv("LINKIE_DATA_DIR", str(db_path.parent))
    assert run(["--db", str(db_path), "publish-due"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == f"{post_id}\tpublished\tPublished\t{desk.server.posts[0].urn}\n"


def _due_with_comment(desk: Desk, content: str, comment: str, early_s: int = 0) -> str:
    return desk.due_post(
        content,
        at=utc_now() - timedelta(minutes=1, seconds=early_s),
        first_comment_text=comment,
        first_comment_status="pending",
    )


def test_publish_due_json_rows_carry_the_first_comments_outcome(desk: Desk, db_path: Path) -> None:
    commented = _due_with_comment(desk, "With a comment", "Link: https://example.com/a_b", 2)
    refused = _due_with_comment(desk, "Comment refused", "Second comment")
    plain = _due_now(desk, "No comment")
    # Oldest first, each post followed by its comment: the first comment request is answered
    # as LinkedIn does, the second with a 500.
    comments_path = "/rest/socialActions/*"
    desk.server.inject("POST", comments_path, None)
    desk.server.inject("POST", comments_path, 500)
    child = _publish_due(desk, db_path)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows[commented]["outcome"] == "published"
    assert rows[commented]["comment"] == {"outcome": "published", "detail": "First comment added"}
    assert rows[refused]["outcome"] == "published"
    assert rows[refused]["comment"]["outcome"] == "failed"
    assert "HTTP 500" in rows[refused]["comment"]["detail"]
    assert "comment" not in rows[plain]
    assert [c.text for c in desk.server.comments] == ["Link: https://example.com/a_b"]


def test_retry_comment_from_the_command_line_then_publish_due_sends_it_once(
    desk: Desk, db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    post_id = _due_with_comment(desk, "Big news", "The link")
    desk.server.inject("POST", "/rest/socialActions/*", 503)
    monkeypatch.setenv("LINKIE_LINKEDIN_API_BASE", desk.server.base_url)
    monkeypatch.setenv("LINKIE_DATA_DIR", str(db_path.parent))
    assert run(["--db", str(db_path), "publish-due", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["comment"]["outcome"] == "failed"

    assert run(["--db", str(db_path), "posts", "retry-comment", post_id]) == 0
    assert run(["--db", str(db_path), "publish-due", "--json"]) == 0
    out = capsys.readouterr().out
    [again] = json.loads(out[out.index("[") :])
    assert (again["id"], again["outcome"]) == (post_id, "published")
    assert again["comment"] == {"outcome": "published", "detail": "First comment added"}
    assert [c.text for c in desk.server.comments] == ["The link"]
    assert len(desk.server.requests_to("POST", POSTS_PATH)) == 1

    assert run(["--db", str(db_path), "posts", "retry-comment", post_id]) == 2
    assert "Only a failed first comment" in capsys.readouterr().err
