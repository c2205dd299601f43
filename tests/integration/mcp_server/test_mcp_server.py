"""`linkie mcp` as an MCP client sees it: the SDK's stdio client starts the venv's `linkie mcp` as a
child process, on a real database, with the LinkedIn test server and a keyring file the child
shares. Two server processes serve the whole module: one at the default permission (draft, no
--allow and nothing stored), one started with --allow publish while Settings stores 'read'.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import keyring
import pytest
from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.migrate import prepare_database
from linkie_desktop.db.models import OAuthStatus, Post
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.slots import DAY_NAMES, parse_slot
from linkie_desktop.logging_setup import MCP_LOG_FILE_NAME
from linkie_desktop.private_files import FILE_MODE
from linkie_desktop.services.external_changes import ExternalChangeWatcher
from linkie_desktop.services.preferences import Preferences, save_preferences
from linkie_desktop.services.secrets import SecretStore, TokenCipher
from linkie_desktop.services.slots import SlotService
from tests.fakes.file_keyring import ENV_FILE, FileKeyring
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.mcp_server.mcp_support import (
    ROOT,
    AgentSession,
    agent_session,
    database_dump,
)

POSTS_PATH = "/rest/posts"
# The child's local zone, pinned: "without an offset, the user's local time" is checked in it.
ZONE = "Europe/Paris"
TOOLS = {
    "list_slots",
    "add_to_queue",
    "list_posts",
    "get_post",
    "create_draft",
    "update_post",
    "schedule_post",
    "unschedule_post",
    "delete_post",
    "preview_post",
    "get_analytics",
    "connection_status",
    "publish_now",
}
READS = {
    "list_posts",
    "get_post",
    "preview_post",
    "get_analytics",
    "connection_status",
    "list_slots",
}


@dataclass
class World:
    folder: Path
    db: Path
    engine: Engine
    server: FakeLinkedIn
    keyring_file: Path

    def env(self, data_dir: Path) -> dict[str, str]:
        sandbox = {k: v for k, v in os.environ.items() if k.startswith("XDG_")}
        return sandbox | {
            "LINKIE_DATA_DIR": str(data_dir),
            "LINKIE_LINKEDIN_API_BASE": self.server.base_url,
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            ENV_FILE: str(self.keyring_file),
            "PYTHONPATH": str(ROOT),
            "TZ": ZONE,
        }

    def post(self, post_id: str) -> Post:
        with reading(self.engine) as session:
            post = session.get(Post, post_id)
            assert post is not None
            return post

    def creates_sent(self) -> int:
        return len(self.server.requests_to("POST", POSTS_PATH))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A migrated database whose user is connected to the LinkedIn test server, the token
    sealed by the real TokenCipher under a keyring file the children read too."""
    folder = tmp_path_factory.mktemp("mcp")
    db = folder / "linkie.db"
    server = FakeLinkedIn().start()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_FILE, str(folder / "keyring.json"))
        previous = keyring.get_keyring()
        keyring.set_keyring(FileKeyring())  # type: ignore[no-untyped-call]
        engine, _ = prepare_database(f"sqlite:///{db}")
        sealed = TokenCipher(SecretStore()).encrypt(server.issue_token(), "access_token")
        with transaction(engine) as session:
            user_id = queries.get_or_create_local_user(session).id
            queries.upsert_user_settings(
                session,
                user_id,
                {
                    "linkedin_oauth_status": OAuthStatus.CONNECTED,
                    "linkedin_connected": 1,
                    "linkedin_person_urn": f"urn:li:person:{server.profile['sub']}",
                    "linkedin_access_token": sealed,
                    "linkedin_token_expires_at": utc_now() + timedelta(days=60),
                },
            )
        try:
            yield World(folder, db, engine, server, folder / "keyring.json")
        finally:
            keyring.set_keyring(previous)
            engine.dispose()
            server.stop()


def _session(
    world: World, name: str, args: list[str], stored: str | None
) -> Iterator[AgentSession]:
    data_dir = world.folder / name
    data_dir.mkdir()
    if stored is not None:
        save_preferences(data_dir, Preferences(agent_permission=stored))
    with (
        (world.folder / f"{name}-stderr.log").open("w") as errlog,
        agent_session(["--db", str(world.db), *args], world.env(data_dir), errlog) as agent,
    ):
        yield agent


@pytest.fixture(scope="module")
def drafting(world: World) -> Iterator[AgentSession]:
    """`linkie mcp --db FILE`: nothing stored, no --allow: the default, draft."""
    yield from _session(world, "drafting", [], stored=None)


@pytest.fixture(scope="module")
def publishing(world: World) -> Iterator[AgentSession]:
    """`linkie mcp --db FILE --allow publish`, while Settings › Agents stores 'read'."""
    yield from _session(world, "publishing", ["--allow", "publish"], stored="read")


def _in_two_days_at_nine() -> tuple[str, datetime]:
    """Two days from now at 09:00 as the user types it (no offset), and the instant it means."""
    zone = ZoneInfo(ZONE)
    day = (datetime.now(zone) + timedelta(days=2)).date()
    wall = datetime(day.year, day.month, day.day, 9, 0)
    return wall.isoformat(timespec="minutes"), wall.replace(tzinfo=zone).astimezone(UTC)


# --- what the agent sees ----------------------------------------------------------------------


def test_every_tool_is_listed_with_schemas_and_truthful_annotations(
    drafting: AgentSession,
) -> None:
    tools = drafting.tools()

    assert set(tools) == TOOLS
    assert tools["create_draft"].input_schema["required"] == ["content"]
    assert set(tools["create_draft"].input_schema["properties"]) == {
        "content",
        "title",
        "first_comment",
        "visibility",
    }
    assert tools["schedule_post"].input_schema["required"] == ["id", "at"]
    assert "required" not in tools["preview_post"].input_schema
    status = tools["list_posts"].input_schema["$defs"]["PostStatus"]
    assert status["enum"] == ["draft", "scheduled", "publishing", "published", "failed"]
    preview_out = tools["preview_post"].output_schema
    assert preview_out is not None
    assert set(preview_out["required"]) == {
        "characters",
        "limit",
        "fold_text",
        "sent_text",
        "warnings",
    }
    hints = {name: tool.annotations for name, tool in tools.items()}
    assert all(h is not None for h in hints.values())
    assert {n for n, h in hints.items() if h and h.read_only_hint} == READS
    assert {n for n, h in hints.items() if h and h.destructive_hint} == {
        "delete_post",
        "publish_now",
        "update_post",  # the text it replaces is gone: Linkie keeps no versions
    }
    assert {n for n, h in hints.items() if h and h.open_world_hint} == {"publish_now"}
    assert {n for n, h in hints.items() if h and not h.idempotent_hint} == {
        "create_draft",
        "publish_now",
        "add_to_queue",  # each call takes the next free slot
    }
    assert "Needs the 'publish' permission." in (tools["publish_now"].description or "")
    assert drafting.instructions is not None and "'draft' permission" in drafting.instructions


def test_a_draft_is_created_and_previewed_with_its_fold_and_escaping(
    drafting: AgentSession, world: World
) -> None:
    text = "Ship it (today) #tag\nLine two\nLine three\nLine four\nLine five"

    post = drafting.ok("create_draft", content=text, title="From an agent")
    preview = drafting.ok("preview_post", id=post["id"])

    assert (post["status"], post["title"], post["content"]) == ("draft", "From an agent", text)
    assert world.post(post["id"]).content == text  # really in the database
    assert preview == {
        "characters": len(text),
        "limit": 3000,
        # Three lines show; "…see more" follows the third.
        "fold_text": "Ship it (today) #tag\nLine two\nLine three",
        "sent_text": (
            "Ship it \\(today\\) {hashtag|\\#|tag}\nLine two\nLine three\nLine four\nLine five"
        ),
        "warnings": [],
    }


def test_a_text_not_saved_is_previewed_with_the_domains_warning(drafting: AgentSession) -> None:
    preview = drafting.ok("preview_post", content="x" * 3001)

    assert preview["characters"] == 3001
    assert preview["warnings"] == ["The post is 3001 characters long; LinkedIn allows 3000."]


def test_an_agents_draft_is_news_to_the_window(drafting: AgentSession, world: World) -> None:
    # The window's poll (ExternalChangeWatcher on its engine) sees another process's commit.
    watcher = ExternalChangeWatcher(world.engine)
    try:
        assert not watcher.changed()
        drafting.ok("create_draft", content="Seen live in the window")
        assert watcher.changed()
    finally:
        watcher.close()


# --- permissions ------------------------------------------------------------------------------


def test_under_draft_scheduling_and_publishing_are_refused_and_nothing_changes(
    drafting: AgentSession, world: World
) -> None:
    post = drafting.ok("create_draft", content="Not yet")
    at, _ = _in_two_days_at_nine()
    before, sent = database_dump(world.db), world.creates_sent()

    publish = drafting.refused("publish_now", id=post["id"])
    schedule = drafting.refused("schedule_post", id=post["id"], at=at)
    delete = drafting.refused("delete_post", id=post["id"])

    assert "publish_now needs the 'publish' permission" in publish
    assert "runs with 'draft'" in publish and "--allow publish" in publish
    assert "schedule_post needs the 'schedule' permission" in schedule
    assert "delete_post needs the 'publish' permission" in delete
    assert database_dump(world.db) == before
    assert world.creates_sent() == sent


def test_allow_overrides_the_stored_permission(publishing: AgentSession) -> None:
    assert publishing.instructions is not None
    assert "'publish' permission" in publishing.instructions  # Settings stores 'read'


# --- scheduling and publishing ----------------------------------------------------------------


def test_a_time_without_offset_is_the_users_local_time(
    publishing: AgentSession, world: World
) -> None:
    post = publishing.ok("create_draft", content="On the calendar")
    at, instant = _in_two_days_at_nine()

    scheduled = publishing.ok("schedule_post", id=post["id"], at=at)

    assert scheduled["status"] == "scheduled"
    assert datetime.fromisoformat(scheduled["scheduled_at"]) == instant
    assert world.post(post["id"]).scheduled_at == instant
    unscheduled = publishing.ok("unschedule_post", id=post["id"])
    assert (unscheduled["status"], unscheduled["scheduled_at"]) == ("draft", None)


def test_a_scheduled_post_is_published_now_through_the_publisher_once(
    publishing: AgentSession, world: World
) -> None:
    text = "Out now (really) #tag"
    post = publishing.ok("create_draft", content=text)
    at, _ = _in_two_days_at_nine()
    publishing.ok("schedule_post", id=post["id"], at=at)
    sent = world.creates_sent()

    result = publishing.ok("publish_now", id=post["id"])

    assert world.creates_sent() == sent + 1
    stored = world.server.posts[-1]
    assert (stored.commentary, stored.hashtags) == (text, ("tag",))
    assert result["outcome"] == "published"
    assert result["urn"] == stored.urn
    assert result["post"]["status"] == "published"
    assert world.post(post["id"]).linkedin_post_urn == stored.urn
    again = publishing.refused("publish_now", id=post["id"])
    assert "A published post cannot be published now." in again
    assert world.creates_sent() == sent + 1


# --- bad input: a tool error in the domain's words, and nothing written -----------------------


def test_bad_input_is_a_tool_error_that_writes_nothing(
    publishing: AgentSession, world: World
) -> None:
    post = publishing.ok("create_draft", content="Keep me as I am", title="Kept")
    before = database_dump(world.db)

    too_long = publishing.refused("create_draft", content="x" * 3001)
    past = publishing.refused("schedule_post", id=post["id"], at="2020-01-01T09:00")
    nonsense = publishing.refused("schedule_post", id=post["id"], at="next tuesday")
    unknown = [
        publishing.refused(tool, id="no-such-post")
        for tool in ("get_post", "unschedule_post", "delete_post", "publish_now")
    ]
    # Every check runs before the first write: the valid title is not kept either.
    partial = publishing.refused("update_post", id=post["id"], title="New", content="y" * 3001)
    bad_visibility = publishing.refused("update_post", id=post["id"], visibility="friends")
    nothing = publishing.refused("update_post", id=post["id"])

    assert "The post is 3001 characters long; LinkedIn allows 3000." in too_long
    assert "That time has already passed: choose a time in the future." in past
    assert "'next tuesday' is not a date and time" in nonsense
    assert all("There is no post with id 'no-such-post'." in m for m in unknown), unknown
    assert "3001 characters long" in partial
    assert "Visibility is public or connections, not 'friends'." in bad_visibility
    assert "Nothing to change" in nothing
    assert database_dump(world.db) == before


def test_update_changes_only_what_it_is_given(publishing: AgentSession) -> None:
    post = publishing.ok(
        "create_draft", content="First words", title="Title", first_comment="Link below"
    )

    updated = publishing.ok("update_post", id=post["id"], content="Better words", title="")

    assert (updated["content"], updated["title"]) == ("Better words", None)
    assert updated["first_comment"]["text"] == "Link below"
    assert updated["visibility"] == "PUBLIC"
    changed = publishing.ok("update_post", id=post["id"], visibility="connections")
    assert (changed["visibility"], changed["content"]) == ("CONNECTIONS", "Better words")


def test_a_post_goes_into_the_next_free_slot_and_the_queue_lists_it(
    publishing: AgentSession, drafting: AgentSession, world: World
) -> None:
    with reading(world.engine) as session:
        user_id = queries.get_or_create_local_user(session).id
    tomorrow = (datetime.now(ZoneInfo(ZONE)) + timedelta(days=1)).date()
    slot = parse_slot(DAY_NAMES[tomorrow.weekday()], "09:00")
    SlotService(world.engine, user_id, tz=ZoneInfo(ZONE)).add(slot)
    post = publishing.ok("create_draft", content="Into the queue")
    before = database_dump(world.db)
    assert "add_to_queue needs the 'schedule' permission" in drafting.refused(
        "add_to_queue", id=post["id"]
    )
    assert database_dump(world.db) == before

    queued = publishing.ok("add_to_queue", id=post["id"])

    nine = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, tzinfo=ZoneInfo(ZONE))
    assert datetime.fromisoformat(queued["queued_at"]) == nine
    assert queued["post"]["status"] == "scheduled"
    listed = drafting.ok("list_slots")
    assert {"day": slot.day_name, "time": "09:00"} in listed["slots"]
    assert [entry["id"] for entry in listed["queue"]] == [post["id"]]
    publishing.ok("unschedule_post", id=post["id"])


def test_delete_moves_the_post_to_the_trash(publishing: AgentSession, world: World) -> None:
    post = publishing.ok("create_draft", content="Gone soon")

    assert publishing.ok("delete_post", id=post["id"]) == {"id": post["id"], "deleted": True}

    assert world.post(post["id"]).deleted_at is not None  # the user can still restore it
    listed = publishing.ok("list_posts", query="Gone soon")
    assert listed == {"posts": [], "total": 0}


def test_reads_answer_in_structured_content(publishing: AgentSession) -> None:
    publishing.ok("create_draft", content="Findable needle text")

    listed = publishing.ok("list_posts", query="needle", status="draft")
    status = publishing.ok("connection_status")
    analytics = publishing.ok("get_analytics", weeks=4)

    assert [p["snippet"] for p in listed["posts"]] == ["Findable needle text"]
    assert listed["total"] == 1
    assert (status["status"], status["connected"]) == ("connected", True)
    assert analytics["period"] == "Last 4 weeks" and len(analytics["weeks"]) == 4
    assert "weeks is 4, 12 or 52, not 5." in publishing.refused("get_analytics", weeks=5)


def test_an_agents_session_leaves_its_own_private_log_and_stdout_is_the_protocol_alone(
    world: World,
) -> None:
    data_dir = world.folder / "logged"
    data_dir.mkdir()
    logs, stdout_copy = data_dir / "logs", world.folder / "logged-stdout.jsonl"
    with (
        (world.folder / "logged-stderr.log").open("w") as errlog,
        agent_session(
            ["--db", str(world.db)], world.env(data_dir), errlog, stdout_copy=stdout_copy
        ) as agent,
    ):
        agent.ok("create_draft", content="Words only the post may hold")
        agent.refused("schedule_post", id="nope", at="2030-01-01T09:00")  # beyond draft
        log_file = logs / MCP_LOG_FILE_NAME
        assert log_file.is_file()  # while the session is open: the trace is there already
        assert stat.S_IMODE(log_file.stat().st_mode) == FILE_MODE == 0o600

    text = log_file.read_text(encoding="utf-8")
    assert "serving AI agents with the 'draft' permission" in text
    assert "an agent called create_draft" in text and "an agent called schedule_post" in text
    assert "'schedule_post' failed" in text  # the refusal, as the SDK logs it
    assert "Words only the post may hold" not in text  # calls by name, never their arguments
    assert sorted(p.name for p in logs.iterdir()) == [MCP_LOG_FILE_NAME]  # not the window's
    lines = stdout_copy.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 3  # initialize, and the two calls' answers
    assert all(json.loads(line)["jsonrpc"] == "2.0" for line in lines), lines
