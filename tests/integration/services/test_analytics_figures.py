"""Dashboard and Analytics figures against values computed by hand, clock and zone pinned.

The zone is Europe/Berlin and "now" is Wednesday 4 November 2026, 12:00 CET, so the 12-week
period holds the week of Sunday 25 October 2026, when the clocks went back from CEST (+2) to
CET (+1) at 03:00. Posts placed either side of local midnights that week land in the right week
and hour only if the offset change is applied per post.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, literal, select

from linkie_desktop.db import stats
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus, Post
from linkie_desktop.db.stats import hook_fits_sql
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import (
    LINKEDIN_PAGE_SIZE,
    AnalyticsFigures,
    DashboardFigures,
    Period,
    hook_fits_above_fold,
    linkedin_figures_note,
    linkedin_page,
    load_analytics,
    load_dashboard,
    local_clock,
    posting_streak,
)
from tests.analytics_paging_support import add_measured_posts
from tests.analytics_support import BERLIN, NOW, add_post, berlin, connect_linkedin

add = add_post
# The failed posts of `fixed_data`: when each was due, and why it failed.
FAILED = {
    "F1": (
        berlin(2026, 10, 28, 10, 0),
        "LinkedIn refused the post: Content is a duplicate of urn:li:share:1",
    ),
    "F2": (berlin(2026, 10, 29, 10, 0), "Content is a duplicate of urn:li:share:2"),
    "F3": (berlin(2026, 11, 1, 8, 0), "Missed while Linkie was closed: reschedule it."),
    "F4": (berlin(2026, 7, 1, 10, 0), "Content is a duplicate of urn:li:share:3"),
}


def analytics(
    engine: Engine, user_id: str, period: Period = Period.TWELVE_WEEKS
) -> AnalyticsFigures:
    """The Analytics figures with the clock and the zone pinned."""
    return load_analytics(engine, user_id, period, now=NOW, tz=BERLIN)


def dashboard(engine: Engine, user_id: str) -> DashboardFigures:
    """The Dashboard's figures with the clock and the zone pinned."""
    return load_dashboard(engine, user_id, now=NOW, tz=BERLIN)


@pytest.fixture
def fixed_data(engine: Engine, user_id: str, other_user_id: str) -> dict[str, str]:
    """The posts the expected figures below were worked out from, by hand."""
    p = PostStatus.PUBLISHED
    ids = {
        # published (local Berlin times); contents chosen for the length and hook figures
        "A": add(engine, user_id, p, published=berlin(2026, 10, 25, 23, 30), content="a" * 100),
        "B": add(engine, user_id, p, published=berlin(2026, 10, 26, 0, 30), content="b" * 300),
        "C": add(
            engine,
            user_id,
            p,
            published=berlin(2026, 10, 24, 9, 0),
            content="Hook line\n" + "c" * 289,
        ),
        "D": add(
            engine,
            user_id,
            p,
            published=berlin(2026, 10, 27, 9, 0),
            content="d" * 250 + "\nrest",
        ),
        "E": add(engine, user_id, p, published=berlin(2026, 11, 3, 9, 15), content="e" * 210),
        "H": add(
            engine,
            user_id,
            p,
            published=berlin(2026, 8, 17, 0, 0),
            content="   \n\n" + "h" * 50,
        ),
        "I": add(engine, user_id, p, published=berlin(2026, 11, 1, 0, 30), content="i" * 10),
        # published just before the 12-week period: only the streak may see it
        "G": add(engine, user_id, p, published=berlin(2026, 8, 16, 23, 59)),
        # failed, and never scheduled
        **{
            key: add(engine, user_id, PostStatus.FAILED, scheduled=due, error=why)
            for key, (due, why) in FAILED.items()
        },
        "F5": add(engine, user_id, PostStatus.FAILED, updated=NOW - timedelta(hours=1)),
        # scheduled
        "S1": add(engine, user_id, PostStatus.SCHEDULED, scheduled=berlin(2026, 11, 2, 8, 0)),
        "S2": add(
            engine,
            user_id,
            PostStatus.SCHEDULED,
            scheduled=berlin(2026, 11, 5, 9, 0),
            content="Thursday's post",
        ),
        "S3": add(engine, user_id, PostStatus.SCHEDULED, scheduled=berlin(2026, 11, 8, 23, 30)),
        "S4": add(engine, user_id, PostStatus.SCHEDULED, scheduled=berlin(2026, 11, 9, 0, 30)),
        "S5": add(engine, user_id, PostStatus.SCHEDULED, scheduled=berlin(2026, 11, 12, 9, 0)),
        # drafts
        "D1": add(engine, user_id, PostStatus.DRAFT),
        "D2": add(engine, user_id, PostStatus.DRAFT),
    }
    # Another user's posts never count.
    add(engine, other_user_id, p, published=berlin(2026, 11, 3, 10, 0))
    add(engine, other_user_id, PostStatus.SCHEDULED, scheduled=berlin(2026, 11, 5, 8, 0))
    add(engine, other_user_id, PostStatus.FAILED, scheduled=berlin(2026, 11, 2, 8, 0))
    add(engine, other_user_id, PostStatus.DRAFT)
    return ids


def test_dashboard_counts_this_week_and_month_in_local_time(
    engine: Engine, user_id: str, fixed_data: dict[str, str]
) -> None:
    figures = dashboard(engine, user_id)

    # Week Mon 2 Nov 00:00 – Mon 9 Nov 00:00 CET, from now (Wed 12:00) on: S2, S3 (Sunday
    # 23:30); not S1, already due (stats.still_to_send: the rule of Next and Upcoming too).
    assert figures.counts.scheduled_this_week == 2
    # November in Berlin starts at 31 Oct 23:00 UTC: I (1 Nov 00:30 CET) and E.
    assert figures.counts.published_this_month == 2
    assert figures.counts.drafts == 2
    assert figures.counts.failed == 5
    # The next 7 days from Wed 12:00: S2, S3 and S4 (Mon 00:30), not S5 (8 days away).
    assert [item.post_id for item in figures.upcoming] == [
        fixed_data["S2"],
        fixed_data["S3"],
        fixed_data["S4"],
    ]
    assert figures.next_post is not None
    assert figures.next_post.post_id == fixed_data["S2"]
    assert figures.next_post.label == "Thursday's post"
    assert figures.next_post.scheduled_at == berlin(2026, 11, 5, 9, 0)


def test_next_post_beyond_the_upcoming_week_is_still_named(engine: Engine, user_id: str) -> None:
    later = add(engine, user_id, PostStatus.SCHEDULED, scheduled=NOW + timedelta(days=20))

    figures = dashboard(engine, user_id)

    assert figures.upcoming == ()
    assert figures.next_post is not None and figures.next_post.post_id == later


def test_posts_per_week_split_at_local_midnights_across_the_dst_change(
    engine: Engine, user_id: str, fixed_data: dict[str, str]
) -> None:
    figures = analytics(engine, user_id)

    assert figures.start == berlin(2026, 8, 17)  # Monday 00:00 CEST = 16 Aug 22:00 UTC
    assert figures.end == berlin(2026, 11, 9)  # Monday 00:00 CET = 8 Nov 23:00 UTC
    assert len(figures.weeks) == 12
    assert figures.weeks[0].monday == date(2026, 8, 17)
    assert figures.weeks[-1].monday == date(2026, 11, 2)
    by_week = {bar.monday: bar.posts for bar in figures.weeks if bar.posts}
    # A (Sun 25 Oct 23:30 CET = 22:30 UTC) stays in the DST week; B (Mon 26 Oct 00:30 CET =
    # Sun 23:30 UTC) and I (Sun 1 Nov 00:30 CET) go where the local calendar puts them.
    assert by_week == {
        date(2026, 8, 17): 1,  # H at 00:00 on the first Monday; G a minute before is outside
        date(2026, 10, 19): 2,  # C, A
        date(2026, 10, 26): 3,  # B, D, I
        date(2026, 11, 2): 1,  # E
    }
    assert figures.published == 7


def test_heatmap_hours_are_local_on_both_sides_of_the_dst_change(
    engine: Engine, user_id: str, fixed_data: dict[str, str]
) -> None:
    figures = analytics(engine, user_id)

    assert figures.heatmap == {
        (0, 0): 2,  # Monday midnight hour: B (CET) and H (CEST)
        (1, 9): 2,  # Tuesday 9:00: D (CET, 08:00 UTC) and E
        (5, 9): 1,  # Saturday 9:00: C (CEST, 07:00 UTC)
        (6, 23): 1,  # Sunday 23:00: A
        (6, 0): 1,  # Sunday 00:00: I
    }


def test_success_rate_failure_reasons_length_hooks_and_streak(
    engine: Engine, user_id: str, fixed_data: dict[str, str]
) -> None:
    figures = analytics(engine, user_id)

    # 7 published; F1, F2, F3 due in the period and F5 (never scheduled) failed in it; F4 before.
    assert (figures.outcomes.published, figures.outcomes.failed) == (7, 4)
    assert figures.outcomes.success_rate == pytest.approx(7 / 11)
    assert figures.failure_reasons == (
        ("LinkedIn saw it as a duplicate post", 2),
        ("Missed while Linkie was closed", 1),
        ("No reason recorded", 1),
    )
    # Lengths A..I: 100 + 300 + 299 + 255 + 210 + 55 + 10.
    assert figures.writing.posts == 7
    assert figures.writing.average_length == pytest.approx(1229 / 7)
    # Hooks above the fold: A (short), C (first line 9 chars), E (exactly 210), H (leading
    # blank lines ignored), I; not B (300 chars, one line) nor D (first line 250 chars).
    assert figures.writing.hooks_above_fold == 5
    assert figures.writing.hook_share == pytest.approx(5 / 7)
    # Weeks of 2 Nov, 26 Oct, 19 Oct in a row; then a gap back to August.
    assert figures.streak_weeks == 3


def test_four_week_and_one_year_periods(
    engine: Engine, user_id: str, fixed_data: dict[str, str]
) -> None:
    four = analytics(engine, user_id, Period.FOUR_WEEKS)
    year = analytics(engine, user_id, Period.ONE_YEAR)

    assert four.weeks[0].monday == date(2026, 10, 12)
    assert four.published == 6  # all but H
    assert (four.outcomes.published, four.outcomes.failed) == (6, 4)
    assert len(year.weeks) == 52
    assert year.published == 8  # G too
    assert (year.outcomes.published, year.outcomes.failed) == (8, 5)  # F4 too


def test_empty_database_gives_zeros_not_errors(engine: Engine, user_id: str) -> None:
    figures = analytics(engine, user_id)
    home = dashboard(engine, user_id)

    assert figures.published == 0
    assert figures.heatmap == {}
    assert figures.outcomes.success_rate is None
    assert figures.writing.average_length is None
    assert figures.writing.hook_share is None
    assert figures.streak_weeks == 0
    assert home.next_post is None
    assert home.counts.drafts == 0


def test_local_clock_finds_the_dst_change_to_the_second() -> None:
    clock = local_clock(berlin(2026, 8, 17), berlin(2026, 11, 9), BERLIN)

    change = int(datetime(2026, 10, 25, 1, 0, tzinfo=UTC).timestamp())
    assert clock.segments == (
        (int(berlin(2026, 8, 17).timestamp()), 7200),
        (change, 3600),
    )


def test_streak_survives_a_week_not_yet_posted_in() -> None:
    assert posting_streak([10, 9, 8, 6], current_week=10) == 3
    assert posting_streak([9, 8, 6], current_week=10) == 2
    assert posting_streak([8, 7], current_week=10) == 0
    assert posting_streak([], current_week=10) == 0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "short",
        "x" * 210,
        "x" * 211,
        "x" * 209 + "\n" + "y" * 50,
        "x" * 210 + "\n" + "y",
        "one\ntwo\nthree\nfour\n" + "z" * 300,
        "\n\n\n" + "w" * 220,
        "   " + "v" * 208 + "   ",
        "a\n" * 2 + "b" * 230,
        "x" * 215 + "   \n\n",
    ],
)
def test_hook_rule_in_sql_matches_python(engine: Engine, text: str) -> None:
    with transaction(engine) as session:
        in_sql = session.scalar(select(hook_fits_sql(literal(text))))

    assert bool(in_sql) is hook_fits_above_fold(text)


def _connect(engine: Engine, user_id: str, scope: str, expires_in: timedelta) -> None:
    connect_linkedin(engine, user_id, scope, NOW + expires_in)


def test_connection_card_names_the_member_and_days_left(engine: Engine, user_id: str) -> None:
    _connect(engine, user_id, "openid,profile,email,w_member_social", timedelta(days=10))

    connection = dashboard(engine, user_id).connection

    assert connection.connected
    assert connection.days_left == 10
    assert connection.describe() == "Connected as Alex Rivera — token expires in 10 days"
    assert not connection.has_post_analytics
    assert "r_member_postAnalytics permission" in linkedin_figures_note(connection)


def test_connection_past_its_expiry_reads_as_expired(engine: Engine, user_id: str) -> None:
    _connect(engine, user_id, "openid profile r_member_postAnalytics", -timedelta(hours=1))

    connection = dashboard(engine, user_id).connection

    assert connection.status == OAuthStatus.EXPIRED
    assert connection.has_post_analytics
    assert "reconnect" in connection.describe()
    assert "expired" in linkedin_figures_note(connection)


def test_with_the_analytics_permission_no_sentence_replaces_the_figures(
    engine: Engine, user_id: str
) -> None:
    _connect(
        engine, user_id, "openid profile w_member_social r_member_postAnalytics", timedelta(days=59)
    )

    connection = dashboard(engine, user_id).connection

    assert connection.has_post_analytics
    assert linkedin_figures_note(connection) == ""


# --- LinkedIn's per-post table, a page at a time ---------------------------------------------


@pytest.mark.parametrize("count", [LINKEDIN_PAGE_SIZE, LINKEDIN_PAGE_SIZE + 1])
def test_the_per_post_table_reads_in_pages_without_repeating_a_row(
    engine: Engine, user_id: str, count: int
) -> None:
    ids = add_measured_posts(engine, user_id, count)
    figures = analytics(engine, user_id, Period.FOUR_WEEKS)
    assert len(figures.linkedin) == LINKEDIN_PAGE_SIZE  # never the whole table at once

    rest = linkedin_page(engine, user_id, figures, len(figures.linkedin))

    assert len(rest) == count - LINKEDIN_PAGE_SIZE  # exactly a page: the next one is empty
    assert [row.post_id for row in (*figures.linkedin, *rest)] == ids


def test_equal_figures_keep_one_order_across_pages(engine: Engine, user_id: str) -> None:
    ids = add_measured_posts(engine, user_id, 5)
    with transaction(engine) as session:  # every post the same figures: only the id decides
        for post_id in ids:
            stats.store_figures(session, user_id, post_id, {"impressions": 7}, NOW)
            post = session.get(Post, post_id)
            assert post is not None
            post.published_at = NOW - timedelta(days=1)
    figures = analytics(engine, user_id, Period.FOUR_WEEKS)
    pages = [linkedin_page(engine, user_id, figures, offset, 2) for offset in (0, 2, 4)]
    assert [row.post_id for page in pages for row in page] == sorted(ids)
