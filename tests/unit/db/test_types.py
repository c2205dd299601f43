from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.db.types import UTCSeconds, json_strings, new_id


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCSeconds().process_bind_param(datetime(2026, 1, 1, 9, 0), None)  # type: ignore[arg-type]


def test_aware_datetimes_are_stored_as_unix_seconds_in_utc() -> None:
    berlin_winter = timezone(timedelta(hours=1))
    value = datetime(2026, 1, 1, 10, 0, 30, 999_000, tzinfo=berlin_winter)
    stored = UTCSeconds().process_bind_param(value, None)  # type: ignore[arg-type]
    assert stored == int(datetime(2026, 1, 1, 9, 0, 30, tzinfo=UTC).timestamp())
    back = UTCSeconds().process_result_value(stored, None)  # type: ignore[arg-type]
    assert back == datetime(2026, 1, 1, 9, 0, 30, tzinfo=UTC)
    assert back is not None and back.tzinfo is UTC


def test_ids_are_cuid2() -> None:
    ids = {new_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 24 and i[0].isalpha() and i.isalnum() and i.islower() for i in ids)


def test_timestamps_round_trip_through_a_real_file(engine: Engine, user_id: str) -> None:
    when = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    with transaction(engine) as session:
        post = Post(user_id=user_id, content="x", scheduled_at=when)
        session.add(post)
        session.flush()
        post_id = post.id
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT scheduled_at FROM posts WHERE id = :i"), {"i": post_id})
        assert raw.scalar_one() == int(when.timestamp())
    with transaction(engine) as session:
        loaded = session.get(Post, post_id)
        assert loaded is not None and loaded.scheduled_at == when


def test_a_naive_datetime_never_reaches_the_database(engine: Engine, user_id: str) -> None:
    with pytest.raises(Exception, match="naive"), transaction(engine) as session:
        session.add(Post(user_id=user_id, content="x", scheduled_at=datetime(2026, 1, 1)))
        session.flush()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM posts")).scalar_one() == 0


def test_an_instant_past_9999_in_utc_is_refused_because_it_could_never_be_read_back() -> None:
    # 9999-12-31 23:59 at UTC-14 is 10000-01-01 13:59 UTC: its Unix seconds have no datetime.
    too_late = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14)))
    with pytest.raises(ValueError, match="outside the years 1 to 9999"):
        UTCSeconds().process_bind_param(too_late, None)  # type: ignore[arg-type]
    too_early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    with pytest.raises(ValueError, match="outside the years 1 to 9999"):
        UTCSeconds().process_bind_param(too_early, None)  # type: ignore[arg-type]
    for value in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)):
        stored = UTCSeconds().process_bind_param(value, None)  # type: ignore[arg-type]
        assert UTCSeconds().process_result_value(stored, None) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stored", "strings"),
    [
        ('["a.png", "b.png"]', ["a.png", "b.png"]),
        ('["a.png", 3, null, "b.png"]', ["a.png", "b.png"]),  # what is not a string is skipped
        ('{"a": 1}', []),  # not an array
        ("not json", []),
        ("", []),
        (None, []),
    ],
)
def test_a_json_array_column_reads_as_its_strings_and_anything_else_as_none(
    stored: str | None, strings: list[str]
) -> None:
    assert json_strings(stored) == strings
