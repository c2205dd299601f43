"""A stored instant in words: today, tomorrow and yesterday by name, other days by their date."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from linkie_desktop.ui.widgets.local_time import local_time_text


def _at(days: int, hour: int, minute: int, now: QDateTime) -> datetime:
    local = QDateTime(now.date().addDays(days), QTime(hour, minute))
    return datetime.fromtimestamp(local.toSecsSinceEpoch()).astimezone()


def test_days_near_now_are_named_and_others_dated() -> None:
    now = QDateTime(QDate(2026, 12, 2), QTime(10, 0))
    assert local_time_text(_at(0, 9, 5, now), now) == "Today 09:05"
    assert local_time_text(_at(1, 18, 30, now), now) == "Tomorrow 18:30"
    assert local_time_text(_at(-1, 7, 0, now), now) == "Yesterday 07:00"
    in_a_week = _at(7, 12, 0, now)
    expected_day = QLocale.system().toString(QDate(2026, 12, 9), "d MMM")
    assert local_time_text(in_a_week, now) == f"{expected_day} 12:00"


def test_another_year_shows_its_year_and_nothing_shows_as_nothing() -> None:
    now = QDateTime(QDate(2026, 12, 2), QTime(10, 0))
    next_year = _at(40, 8, 0, now)  # 11 January 2027
    assert local_time_text(next_year, now).endswith("2027 08:00")
    assert local_time_text(None, now) == ""
    assert local_time_text(next_year - timedelta(days=365 * 2), now).endswith("2025 08:00")
