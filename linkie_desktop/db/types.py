"""Column types shared by the models and the migrations: Unix-second UTC timestamps, cuid2 ids,
and the JSON arrays of strings some text columns hold.

Timestamps are INTEGER Unix seconds on SQLite (the seed's schema) and BIGINT on PostgreSQL, whose
32-bit `integer` ends in January 2038: a post scheduled for 2040 must fit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cuid2 import Cuid
from sqlalchemy import BigInteger, Dialect, Integer
from sqlalchemy.types import TypeDecorator, TypeEngine

_CUID = Cuid()


def new_id() -> str:
    """A cuid2 id, as the web app's `createId()` makes them."""
    return str(_CUID.generate())


def json_strings(stored: str | None) -> list[str]:
    """The strings of a text column holding a JSON array (images_json, text_variations_json,
    media_paths_json): anything else, or none, reads as no strings, never an error."""
    try:
        value = json.loads(stored or "[]")
    except ValueError:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def wide_integer() -> TypeEngine[int]:
    """INTEGER on SQLite (64-bit already), BIGINT on PostgreSQL: for timestamps (its 32-bit
    `integer` ends in 2038) and byte counts (a video may be 5 GB)."""
    return Integer().with_variant(BigInteger(), "postgresql")


def utc_now() -> datetime:
    """Now, aware and in UTC, truncated to the second the database keeps."""
    return datetime.now(UTC).replace(microsecond=0)


class UTCSeconds(TypeDecorator[datetime]):
    """An aware datetime stored as INTEGER Unix seconds (the web app's `mode: "timestamp"`).

    Naive datetimes are refused: a wall-clock time without a zone is a bug waiting for a DST change.
    """

    impl = Integer
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(wide_integer())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: give timestamps a time zone (UTC is stored)")
        try:
            value.astimezone(UTC)
        except (OverflowError, ValueError):
            # 9999-12-31 23:59 at UTC-14 has Unix seconds, but no datetime to read them back
            # into: stored, it would break every later read of the row.
            raise ValueError(
                f"{value.isoformat()} is outside the years 1 to 9999 in UTC and cannot be stored"
            ) from None
        return int(value.timestamp() // 1)

    def process_result_value(self, value: int | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.fromtimestamp(value, UTC)
