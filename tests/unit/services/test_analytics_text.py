"""The Dashboard's countdown wording and the Analytics periods, without a window."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linkie_desktop.services.analytics import Period, countdown_text


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(days=1, hours=21, minutes=4, seconds=59), "in 1 d 21 h 04 min"),
        (timedelta(hours=2, minutes=3, seconds=4), "in 2 h 03 min 04 s"),
        (timedelta(minutes=3, seconds=4), "in 3 min 04 s"),
        (timedelta(seconds=4), "in 4 s"),
        (timedelta(0), "due now"),
        (timedelta(seconds=-30), "due now"),
    ],
)
def test_countdown_text(left: timedelta, text: str) -> None:
    assert countdown_text(left) == text


def test_periods_are_four_twelve_and_fifty_two_weeks() -> None:
    assert [(p.weeks, p.label) for p in Period] == [
        (4, "Last 4 weeks"),
        (12, "Last 12 weeks"),
        (52, "Last year"),
    ]
