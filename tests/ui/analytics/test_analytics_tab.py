"""The Analytics tab and its charts under pytest-qt, with a pinned clock and zone (Berlin)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget, QToolTip
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import LINKEDIN_PAGE_SIZE, Period, WeekBar
from linkie_desktop.ui.analytics.charts import PublishingHeatmap, WeeklyBarChart
from linkie_desktop.ui.analytics.tab import AnalyticsTab
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.tasks import DATABASE_THREAD
from linkie_desktop.ui.widgets.palette import muted_colour, status_colour
from tests.analytics_paging_support import add_measured_posts
from tests.analytics_support import BERLIN, NOW, add_post, berlin, connect_linkedin
from tests.fakes.linkedin_server import ANALYTICS_SCOPE, FakeLinkedIn
from tests.ui.palettes import dark_palette
from tests.ui.workspace_support import make_workspace
from tests.write_threads_support import threads_writing

MakeTab = Callable[..., AnalyticsTab]


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


@pytest.fixture
def signals() -> AppSignals:
    return AppSignals()


@pytest.fixture
def make_tab(
    qtbot: QtBot, engine: Engine, user_id: str, tmp_path: Path, signals: AppSignals
) -> Iterator[MakeTab]:
    tabs: list[AnalyticsTab] = []

    def make(token: Callable[[], str] | None = None, api_base: str | None = None) -> AnalyticsTab:
        workspace = make_workspace(engine, user_id, tmp_path)
        if api_base is not None:  # the LinkedIn test server, never the real one
            config = replace(workspace.config, linkedin_api_base=api_base)
            workspace = replace(workspace, config=config)
        tab = AnalyticsTab(workspace, signals, clock=lambda: NOW, tz=BERLIN, linkedin_token=token)
        qtbot.addWidget(tab)
        tab.resize(1000, 1300)
        tabs.append(tab)
        qtbot.waitUntil(lambda: tab.figures is not None)
        return tab

    yield make
    for tab in tabs:
        tab.wait_for_background()


@pytest.fixture
def some_posts(engine: Engine, user_id: str) -> None:
    p = PostStatus.PUBLISHED
    add_post(engine, user_id, p, published=berlin(2026, 10, 25, 23, 30), content="a" * 100)
    add_post(engine, user_id, p, published=berlin(2026, 10, 26, 0, 30), content="b" * 300)
    add_post(engine, user_id, p, published=berlin(2026, 10, 27, 9, 0), content="Hook\n" + "c" * 95)
    add_post(
        engine,
        user_id,
        PostStatus.FAILED,
        scheduled=berlin(2026, 10, 28, 10, 0),
        error="Content is a duplicate of urn:li:share:1",
    )


def test_charts_and_cards_show_the_figures(some_posts: None, make_tab: MakeTab) -> None:
    tab = make_tab()

    values = tab.weekly_chart.bar_values()
    assert len(values) == 12
    assert values[-3:] == [1, 2, 0]  # weeks of 19 Oct (A), 26 Oct (B, C), 2 Nov
    assert tab.weekly_stack.currentWidget() is tab.weekly_chart
    assert tab.heatmap.count_at(6, 23) == 1  # Sunday 23:30 CET
    assert tab.heatmap.count_at(0, 0) == 1  # Monday 00:30 CET
    assert tab.heatmap.count_at(1, 9) == 1
    assert tab.success_card.value() == "75%"  # 3 published of 4 attempts
    assert tab.length_card.value() == "167"  # (100 + 300 + 100) / 3
    assert tab.hook_card.value() == "67%"  # not the 300-character one-liner
    assert tab.streak_card.value() == "2 weeks"  # 26 Oct and 19 Oct; 2 Nov not posted in yet
    assert tab.failures.text() == "1 × LinkedIn saw it as a duplicate post"
    assert tab.summary.text() == "3 posts published in the last 12 weeks"
    assert "CET" in tab.heatmap_heading.text()


def test_chart_tooltips_say_what_each_bar_and_cell_is(some_posts: None, make_tab: MakeTab) -> None:
    tab = make_tab()

    assert tab.weekly_chart.tooltip_for(10) == "Week of 26 October 2026: 2 posts published"
    assert tab.weekly_chart.tooltip_for(11) == "Week of 2 November 2026: 0 posts published"
    assert tab.heatmap.tooltip_for(6, 23) == "Sundays, 23:00–23:59: 1 post published"


def test_period_selector_changes_the_weeks(
    qtbot: QtBot, some_posts: None, make_tab: MakeTab
) -> None:
    tab = make_tab()

    with qtbot.waitSignal(tab.data_shown):
        tab.set_period(Period.FOUR_WEEKS)
    assert len(tab.weekly_chart.bar_values()) == 4
    with qtbot.waitSignal(tab.data_shown):
        tab.set_period(Period.ONE_YEAR)
    assert len(tab.weekly_chart.bar_values()) == 52
    assert tab.summary.text() == "3 posts published in the last year"


def test_empty_state_when_nothing_was_published(make_tab: MakeTab) -> None:
    tab = make_tab()

    assert tab.weekly_stack.currentWidget() is tab.weekly_empty
    assert "No posts were published in the last 12 weeks" in tab.weekly_empty.text()
    assert tab.heatmap_stack.currentWidget() is tab.heatmap_empty
    assert tab.success_card.value() == "–"
    assert tab.failures.text() == "No post failed in the last 12 weeks."


def test_posts_changed_reloads(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab, signals: AppSignals
) -> None:
    tab = make_tab()
    new = add_post(engine, user_id, PostStatus.PUBLISHED, published=NOW - timedelta(hours=2))

    with qtbot.waitSignal(tab.data_shown):
        signals.announce_posts([new])

    assert tab.weekly_chart.bar_values()[-1] == 1


def test_without_the_permission_a_sentence_says_why(
    engine: Engine, user_id: str, make_tab: MakeTab
) -> None:
    connect_linkedin(
        engine, user_id, "openid,profile,email,w_member_social", NOW + timedelta(days=30)
    )

    tab = make_tab()

    assert tab.linkedin_stack.currentWidget() is tab.linkedin_note
    note = tab.linkedin_note.text()
    assert "impressions, members reached, reactions, comments and reshares" in note
    assert "r_member_postAnalytics" in note


def test_with_the_permission_figures_are_fetched_in_the_background(
    qtbot: QtBot,
    engine: Engine,
    user_id: str,
    make_tab: MakeTab,
    linkedin_server: FakeLinkedIn,
) -> None:
    connect_linkedin(
        engine,
        user_id,
        f"openid,profile,w_member_social,{ANALYTICS_SCOPE}",
        NOW + timedelta(days=30),
    )
    add_post(
        engine,
        user_id,
        PostStatus.PUBLISHED,
        title="Lessons from shipping",
        published=NOW - timedelta(days=3),
        urn="urn:li:share:1",
    )
    linkedin_server.post_statistics["urn:li:share:1"] = {
        "IMPRESSION": 1234,
        "MEMBERS_REACHED": 900,
        "REACTION": 40,
        "COMMENT": 6,
        "RESHARE": 2,
    }
    token = linkedin_server.issue_token(("openid", "profile", ANALYTICS_SCOPE))

    with threads_writing(engine, "post_linkedin_stats") as writers:
        tab = make_tab(lambda: token, linkedin_server.base_url)
        qtbot.waitUntil(lambda: tab.linkedin_table.rowCount() == 1)

    # Asked on the network pool, written on the database worker only.
    assert writers == [DATABASE_THREAD]

    table = tab.linkedin_table
    assert [cell_text(table, 0, column) for column in range(7)] == [
        "Lessons from shipping",
        "01 Nov 2026",
        "1,234",
        "900",
        "40",
        "6",
        "2",
    ]
    assert tab.linkedin_stack.currentWidget() is table
    assert "at most once an hour" in tab.linkedin_status.text()
    assert len(linkedin_server.requests_to("GET", "/rest/memberCreatorPostAnalytics")) == 5


def test_a_failed_fetch_is_said_in_plain_words(
    qtbot: QtBot,
    engine: Engine,
    user_id: str,
    make_tab: MakeTab,
    linkedin_server: FakeLinkedIn,
) -> None:
    connect_linkedin(engine, user_id, ANALYTICS_SCOPE, NOW + timedelta(days=30))
    add_post(
        engine,
        user_id,
        PostStatus.PUBLISHED,
        published=NOW - timedelta(days=1),
        urn="urn:li:share:1",
    )
    token = linkedin_server.issue_token(("openid",))  # LinkedIn will say 403

    tab = make_tab(lambda: token, linkedin_server.base_url)
    qtbot.waitUntil(lambda: "could not be updated" in tab.linkedin_status.text())

    assert ANALYTICS_SCOPE in tab.linkedin_status.text()


def test_bar_chart_alone_under_pytest_qt(qtbot: QtBot) -> None:
    chart = WeeklyBarChart()
    qtbot.addWidget(chart)
    chart.set_weeks([WeekBar(date(2026, 10, 5) + timedelta(weeks=i), i % 3) for i in range(6)])

    assert chart.bar_values() == [0, 1, 2, 0, 1, 2]
    assert chart.objectName() == "weeklyChart" and chart.accessibleName()


def test_heatmap_shades_scale_with_the_busiest_cell(qtbot: QtBot) -> None:
    heatmap = PublishingHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.set_counts({(0, 9): 8, (2, 12): 1})

    assert PublishingHeatmap.shade_of(0, 8) == 0
    assert PublishingHeatmap.shade_of(1, 8) == 1
    assert PublishingHeatmap.shade_of(8, 8) == 4
    assert heatmap.count_at(0, 9) == 8
    assert heatmap.objectName() == "publishingHeatmap" and heatmap.accessibleName()


def test_charts_follow_a_dark_palette(qtbot: QtBot) -> None:
    chart = WeeklyBarChart()
    qtbot.addWidget(chart)
    light_bar = chart.bar_colour()

    chart.setPalette(dark_palette())

    assert chart.bar_colour() == status_colour(PostStatus.PUBLISHED, dark_palette())
    assert chart.bar_colour() != light_bar
    assert chart.colours().labels == muted_colour(dark_palette())


def test_hovering_a_bar_or_a_cell_shows_its_tooltip(qtbot: QtBot) -> None:
    chart = WeeklyBarChart()
    heatmap = PublishingHeatmap()
    for widget in (chart, heatmap):
        qtbot.addWidget(widget)
        widget.show()
    chart.set_weeks([WeekBar(date(2026, 10, 26), 2)])
    heatmap.set_counts({(6, 23): 1})

    chart.hover_bar(0)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == "Week of 26 October 2026: 2 posts published"
    heatmap.hover_cell(6, 23)
    qtbot.waitUntil(lambda: QToolTip.text() == "Sundays, 23:00–23:59: 1 post published")


@pytest.mark.parametrize("count", [LINKEDIN_PAGE_SIZE, LINKEDIN_PAGE_SIZE + 1])
def test_the_per_post_table_reads_more_rows_as_it_is_scrolled(
    qtbot: QtBot,
    engine: Engine,
    user_id: str,
    make_tab: MakeTab,
    linkedin_server: FakeLinkedIn,
    count: int,
) -> None:
    connect_linkedin(engine, user_id, f"openid,{ANALYTICS_SCOPE}", NOW + timedelta(days=30))
    add_measured_posts(engine, user_id, count)
    token = linkedin_server.issue_token(("openid", ANALYTICS_SCOPE))

    tab = make_tab(lambda: token, linkedin_server.base_url)  # figures all fresh: none fetched
    table = tab.linkedin_table
    qtbot.waitUntil(lambda: table.rowCount() == LINKEDIN_PAGE_SIZE, timeout=5000)
    assert not tab.linkedin_rows_complete
    tab.show()

    table.scrollToBottom()  # the last screen of rows: the next page is read

    qtbot.waitUntil(lambda: tab.linkedin_rows_complete, timeout=5000)
    assert table.rowCount() == count
    assert cell_text(table, count - 1, 0) == f"Post {count - 1:04d}"
    assert cell_text(table, count - 1, 2) == "0"
