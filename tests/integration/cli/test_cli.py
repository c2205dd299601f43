"""`linkie` on a real database file: output, exit statuses, and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from linkie_desktop import config
from linkie_desktop.cli import run
from linkie_desktop.db.migrate import head_revision
from tests.integration.cli.cli_support import Cli

JSON_KEYS = {
    "id", "title", "content", "status", "scheduled_at", "published_at", "linkedin_post_urn",
    "retry_count", "error_message", "created_at", "updated_at",
    "visibility", "media", "poll", "link", "first_comment",
}  # fmt: skip


def config_for(db: Path) -> config.Config:
    return config.load(db=str(db), env={"LINKIE_DATA_DIR": str(db.parent)})


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "cli.db", capsys)


def _future(days: int = 3) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_migrate_creates_the_database_and_prints_the_revision(cli: Cli) -> None:
    assert cli.ok("migrate").strip() == head_revision()
    assert cli.db.is_file()


def test_add_prints_only_the_id_and_list_json_shows_it(cli: Cli) -> None:
    draft_id = cli.ok("posts", "add", "--content", "Hello (world) #1", "--title", "Hi").strip()
    scheduled_id = cli.ok("posts", "add", "--content", "Later", "--at", _future()).strip()
    assert draft_id.isalnum() and scheduled_id.isalnum() and draft_id != scheduled_id
    posts = json.loads(cli.ok("posts", "list", "--json"))
    by_id = {p["id"]: p for p in posts}
    assert set(by_id) == {draft_id, scheduled_id}
    assert all(set(p) == JSON_KEYS for p in posts)
    draft, scheduled = by_id[draft_id], by_id[scheduled_id]
    assert (draft["status"], draft["content"], draft["title"]) == (
        "draft",
        "Hello (world) #1",
        "Hi",
    )
    assert draft["scheduled_at"] is None and draft["published_at"] is None
    assert scheduled["status"] == "scheduled"
    assert datetime.fromisoformat(scheduled["scheduled_at"]).utcoffset() == timedelta(0)
    assert datetime.fromisoformat(draft["created_at"]).tzinfo is not None


def test_time_without_an_offset_is_local_time(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    import time

    time.tzset()
    try:
        post_id = cli.ok("posts", "add", "--content", "x", "--at", "2030-01-15T09:00").strip()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    post = next(p for p in json.loads(cli.ok("posts", "list", "--json")) if p["id"] == post_id)
    assert post["scheduled_at"] == "2030-01-15T14:00:00+00:00"


def test_list_filters_by_status(cli: Cli) -> None:
    cli.ok("posts", "add", "--content", "draft")
    cli.ok("posts", "add", "--content", "scheduled", "--at", _future())
    only = json.loads(cli.ok("posts", "list", "--status", "scheduled", "--json"))
    assert [p["content"] for p in only] == ["scheduled"]
    text = cli.ok("posts", "list", "--status", "draft")
    assert "draft" in text and "scheduled\t" not in text


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--content", "x", "--at", "2020-01-01T09:00"], "already passed"),
        (["--content", "   "], "empty"),
        (["--content", "x" * 3001], "3001 characters"),
        (["--content", "x", "--at", "tomorrow-ish"], "ISO-8601"),
    ],
)
def test_bad_input_exits_2_with_the_reason_and_writes_nothing(
    cli: Cli, args: list[str], reason: str
) -> None:
    code, out, err = cli("posts", "add", *args)
    assert (code, out) == (2, "")
    assert reason in err and err.count("\n") == 1 and "Traceback" not in err
    assert json.loads(cli.ok("posts", "list", "--json")) == []


def test_schedule_unschedule_delete(cli: Cli) -> None:
    post_id = cli.ok("posts", "add", "--content", "hello").strip()
    cli.ok("posts", "schedule", post_id, "--at", _future())
    assert json.loads(cli.ok("posts", "list", "--json"))[0]["status"] == "scheduled"
    code, _, err = cli("posts", "schedule", post_id, "--at", "2001-01-01T00:00")
    assert code == 2 and "already passed" in err
    cli.ok("posts", "unschedule", post_id)
    post = json.loads(cli.ok("posts", "list", "--json"))[0]
    assert (post["status"], post["scheduled_at"]) == ("draft", None)
    cli.ok("posts", "delete", post_id)
    assert json.loads(cli.ok("posts", "list", "--json")) == []


@pytest.mark.parametrize("command", ["schedule", "unschedule", "delete"])
def test_an_unknown_id_exits_2(cli: Cli, command: str) -> None:
    extra = ["--at", _future()] if command == "schedule" else []
    code, _, err = cli("posts", command, "nope", *extra)
    assert code == 2 and "no post with id 'nope'" in err


def test_seed_makes_alex_the_local_user_and_refuses_twice(cli: Cli) -> None:
    assert "added" in cli.ok("seed")
    posts = json.loads(cli.ok("posts", "list", "--json"))
    assert {"draft", "scheduled", "published", "failed"} <= {p["status"] for p in posts}
    code, _, err = cli("seed")
    assert code == 1 and "--force" in err
    cli.ok("seed", "--force")
    assert len(json.loads(cli.ok("posts", "list", "--json"))) == 2 * len(posts)
    import sqlite3

    conn = sqlite3.connect(cli.db)
    assert conn.execute("SELECT name, email FROM users").fetchall() == [
        ("Alex Rivera", "alex@example.com")
    ]
    # The samples that went out (or failed) have their history, so Activity is not empty.
    kinds = conn.execute(
        "SELECT p.status, e.kind FROM post_events e JOIN posts p ON p.id = e.post_id"
    ).fetchall()
    assert ("published", "published") in kinds and ("failed", "failed") in kinds
    conn.close()


def test_seed_goes_to_the_existing_local_user(cli: Cli) -> None:
    cli.ok("migrate")
    cli.ok("seed")
    import sqlite3

    conn = sqlite3.connect(cli.db)
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (1,)
    assert conn.execute("SELECT count(DISTINCT user_id) FROM posts").fetchone() == (1,)
    conn.close()


def test_usage_errors_are_one_line_and_exit_2(cli: Cli) -> None:
    code, out, err = cli("posts", "frobnicate")
    assert (code, out) == (2, "")
    assert err.startswith("linkie: ") and err.count("\n") == 1


def test_a_broken_database_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("definitely not sqlite")
    assert run(["--db", str(bad), "posts", "list"]) == 1
    err = capsys.readouterr().err
    assert "not an SQLite file" in err and err.count("\n") == 1


def test_the_console_script_honours_linkie_db_urls(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    env = {**os.environ, "LINKIE_DB": f"sqlite:///{db}"}
    script = Path(sys.executable).with_name("linkie")
    added = subprocess.run(
        [str(script), "posts", "add", "--content", "from env"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    listed = subprocess.run(
        [str(script), "posts", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(listed.stdout)[0]["id"] == added.stdout.strip()
    failed = subprocess.run(
        [str(script), "posts", "delete", "missing"], env=env, capture_output=True, text=True
    )
    assert failed.returncode == 2 and "Traceback" not in failed.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_is_accepted_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    db = tmp_path / f"{where}.db"
    args = ["--db", str(db), "migrate"] if where == "before" else ["migrate", "--db", str(db)]
    assert run(args) == 0
    assert capsys.readouterr().out.strip() == head_revision()
    assert db.is_file()
    assert run(["posts", "add", "--content", "x", "--db", str(db)]) == 0
    post_id = capsys.readouterr().out.strip()
    assert run(["posts", "list", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == post_id


def test_list_shows_an_untitled_empty_draft_without_failing(cli: Cli) -> None:
    from linkie_desktop.services.posts import PostService
    from linkie_desktop.services.workspace import open_workspace

    cli.ok("migrate")
    workspace = open_workspace(config_for(cli.db))
    try:
        empty = PostService(workspace.engine, workspace.user_id).create_draft("", "")
        blank_first_line = PostService(workspace.engine, workspace.user_id).create_draft(
            "", "\nSecond line"
        )
    finally:
        workspace.close()
    lines = cli.ok("posts", "list").splitlines()
    assert len(lines) == 2
    assert any(line.startswith(empty.id) for line in lines)
    assert any(line.startswith(blank_first_line.id) and "Second line" in line for line in lines)


def test_seed_refuses_a_profile_connected_to_linkedin(cli: Cli) -> None:
    from linkie_desktop.services.workspace import open_workspace
    from tests.connection_support import mark_connected

    cli.ok("migrate")
    workspace = open_workspace(config_for(cli.db))
    try:
        mark_connected(workspace.engine, workspace.user_id)
    finally:
        workspace.close()
    for args in (["seed"], ["seed", "--force"]):
        code, _, err = cli(*args)
        assert code == 1 and "connected to LinkedIn" in err
    assert json.loads(cli.ok("posts", "list", "--json")) == []


def test_a_locked_database_is_one_plain_line(cli: Cli) -> None:
    import sqlite3

    cli.ok("migrate")
    holder = sqlite3.connect(cli.db, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file for longer than we wait
    try:
        code, out, err = cli("posts", "add", "--content", "x")
    finally:
        holder.rollback()
        holder.close()
    assert (code, out) == (1, "")
    assert err == "linkie: the database is busy or cannot be written: database is locked\n"


def test_a_damaged_page_met_during_a_command_is_one_plain_line(cli: Cli) -> None:
    import sqlite3

    for n in range(300):  # enough rows that `posts` has pages of its own below its root
        cli.ok("posts", "add", "--content", f"post {n} " + "words " * 50)
    conn = sqlite3.connect(cli.db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'posts'").fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with cli.db.open("r+b") as handle:  # a bad sector over the table's root page
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)

    code, out, err = cli("posts", "list")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "unexpected error" not in err, err
    assert err.startswith(f"linkie: The database {cli.db} is damaged"), err
