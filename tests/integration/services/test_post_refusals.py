"""The post service refuses bad text, titles and times on every path that writes, and a refusal
writes nothing: the window, the calendar's helpers and the command line all go through this door."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService

LONG_TITLE = "t" * 201
# 9999-12-31 23:59 at UTC-14 is 10000-01-01 13:59 UTC: a time no database row could hold.
PAST_9999 = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14)))
TOMORROW = datetime.now(UTC) + timedelta(days=1)


@pytest.fixture
def service(engine: Engine, user_id: str, tmp_path: Path) -> PostService:
    return PostService(engine, user_id, tmp_path / "media")


@pytest.fixture
def posts(service: PostService) -> dict[str, str]:
    """A normal draft, a draft of invisible characters, and a post with a NUL written by hand
    (an older version or another program; on PostgreSQL, whose text cannot hold a NUL at all,
    a BEL): the ids by name."""
    normal = service.create_draft("Title", "Words worth keeping")
    blank = service.create_draft("", "\u200b\u2800\u3164")
    with transaction(service.engine) as session:
        control = "\x00" if service.engine.dialect.name == "sqlite" else "\x07"
        legacy = Post(user_id=service.user_id, title="Old", content=f"bad{control}inside")
        session.add(legacy)
        session.flush()
        legacy_id = legacy.id
    return {"normal": normal.id, "blank": blank.id, "legacy": legacy_id}


def _rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT * FROM posts ORDER BY id")))


Write = Callable[[PostService, dict[str, str]], object]

REFUSED_WRITES: list[tuple[str, Write, str]] = [
    ("add: control character", lambda s, p: s.add("a\x07b"), "U+0007"),
    ("add: NUL", lambda s, p: s.add("a\x00b"), "U+0000 (null)"),
    ("add: broken character", lambda s, p: s.add("caf\udce9"), "not valid UTF-8"),
    ("add: zero-width only", lambda s, p: s.add("\u200b\u200c\u200d\u2060\ufeff"), "empty"),
    ("add: NBSP and fillers", lambda s, p: s.add("\u00a0\u2800\u3164"), "empty"),
    ("add: long title", lambda s, p: s.add("ok", title=LONG_TITLE), "201 characters"),
    ("add: title with ESC", lambda s, p: s.add("ok", title="\x1b[1m"), "U+001B"),
    ("add: past 9999", lambda s, p: s.add("ok", at=PAST_9999), "between 1970 and 9999"),
    ("draft: NUL", lambda s, p: s.create_draft("", "a\x00b"), "U+0000"),
    ("draft: long title", lambda s, p: s.create_draft(LONG_TITLE, ""), "201 characters"),
    ("save: NUL", lambda s, p: s.save_text(p["normal"], "Title", "x\x00"), "U+0000"),
    ("save: long title", lambda s, p: s.save_text(p["normal"], LONG_TITLE, "x"), "201"),
    ("schedule: past 9999", lambda s, p: s.schedule(p["normal"], PAST_9999), "9999"),
    ("schedule: invisible", lambda s, p: s.schedule(p["blank"], TOMORROW), "empty"),
    ("duplicate: control character", lambda s, p: s.duplicate(p["legacy"]), "U+000"),
]


@pytest.mark.parametrize(
    ("write", "reason"),
    [(write, reason) for _, write, reason in REFUSED_WRITES],
    ids=[name for name, _, _ in REFUSED_WRITES],
)
def test_bad_input_is_refused_and_nothing_is_written(
    service: PostService, posts: dict[str, str], write: Write, reason: str, tmp_path: Path
) -> None:
    before = _rows(service.engine)
    with pytest.raises(ValidationError) as refused:
        write(service, posts)
    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)
    assert _rows(service.engine) == before
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").iterdir())


def test_a_draft_may_be_empty_long_or_hold_tabs_and_line_breaks_but_no_control_character(
    service: PostService,
) -> None:
    draft = service.create_draft("t" * 200, "")
    saved = service.save_text(draft.id, "", "line one\r\n\tindented\n" + "x" * 3500)
    assert (saved.title, saved.content[:20]) == (None, "line one\r\n\tindented\n")
    assert service.duplicate(draft.id).content == saved.content
    with pytest.raises(ValidationError, match="U\\+000B"):
        service.save_text(draft.id, "", saved.content + "\x0b")
    assert service.get(draft.id).content == saved.content


def test_the_last_minute_of_9999_in_utc_can_be_scheduled_but_not_a_minute_later(
    service: PostService,
) -> None:
    last = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    post = service.add("far away", at=last)
    assert (service.get(post.id).scheduled_at, service.get(post.id).status) == (
        last,
        PostStatus.SCHEDULED,
    )
    a_minute_later = last.astimezone(timezone(timedelta(minutes=-1))) + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="between 1970 and 9999"):
        service.schedule(post.id, a_minute_later)
    assert service.get(post.id).scheduled_at == last
