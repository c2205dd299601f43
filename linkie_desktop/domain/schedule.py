"""Time rules: instants are stored in UTC, people think in their local time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def localize(naive: datetime, tz: tzinfo | None = None) -> datetime:
    """A wall-clock time in `tz` (default: the system's zone, DST rules included) as an instant."""
    if naive.tzinfo is not None:
        raise ValueError("localize() takes a wall-clock time without a zone")
    if tz is None:
        return naive.astimezone()  # the C library applies the local zone's rules for that date
    return naive.replace(tzinfo=tz)


def to_local(instant: datetime, tz: tzinfo | None = None) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime refused")
    return instant.astimezone(tz)


def parse_month(month: str) -> tuple[int, int]:
    match = _MONTH.match(month)
    if not match:
        raise ValueError(f"month must look like YYYY-MM, not {month!r}")
    return int(match.group(1)), int(match.group(2))


def month_bounds(month: str, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar month, as UTC instants."""
    year, number = parse_month(month)
    next_year, next_number = (year + 1, 1) if number == 12 else (year, number + 1)
    start = localize(datetime(year, number, 1), tz)
    end = localize(datetime(next_year, next_number, 1), tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def parse_when(text: str, tz: tzinfo | None = None) -> datetime:
    """ISO-8601 from a person or a script; without an offset it means local time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time; use ISO-8601 such as 2026-12-01T09:00"
        ) from None
    if value.tzinfo is None:
        value = localize(value, tz)
    return value.astimezone(UTC)
