"""The painted Analytics charts: what is drawn where is what the pointer finds there, axes that fit,
colours from the palette, words for screen readers, and no QtCharts."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import WeekBar
from linkie_desktop.ui.analytics.chart_layout import CELL_GAP, integer_ticks
from linkie_desktop.ui.analytics.charts import HOURS, WEEKDAYS, PublishingHeatmap, WeeklyBarChart
from linkie_desktop.ui.widgets.palette import status_colour
from tests.fresh_process_support import loaded_after_importing
from tests.ui.palettes import dark_palette

TAB_WIDTH = 1234  # a chart's width in the Analytics tab of a 1280 px window


def weeks(*posts: int, first: date = date(2026, 3, 2)) -> list[WeekBar]:
    return [WeekBar(first + timedelta(weeks=i), count) for i, count in enumerate(posts)]


def painted_blobs(widget: QWidget, colour: QColor) -> list[QRect]:
    """The bounding boxes of the areas painted exactly in `colour`, top to bottom, left to right:
    what a person sees, found without asking the widget where it drew them."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    wanted = colour.rgb()
    found = {
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixel(x, y) == wanted
    }
    blobs = []
    while found:
        start = min(found, key=lambda point: (point[1], point[0]))
        todo, xs, ys = [start], [], []
        found.discard(start)
        while todo:
            x, y = todo.pop()
            xs.append(x)
            ys.append(y)
            for near in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if near in found:
                    found.discard(near)
                    todo.append(near)
        blobs.append(QRect(QPoint(min(xs), min(ys)), QPoint(max(xs), max(ys))))
    return blobs


def rest_pointer(qtbot: QtBot, widget: QWidget, where: QPoint) -> str | None:
    """Deliver the help event Qt sends when the pointer rests at `where`; the tooltip shown then."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    QApplication.sendEvent(
        widget, QHelpEvent(QEvent.Type.ToolTip, where, widget.mapToGlobal(where))
    )
    return QToolTip.text() if QToolTip.isVisible() else None


@pytest.fixture
def bar_chart(qtbot: QtBot) -> WeeklyBarChart:
    chart = WeeklyBarChart()
    qtbot.addWidget(chart)
    chart.resize(600, chart.minimumHeight())
    chart.show()
    return chart


@pytest.fixture
def heatmap(qtbot: QtBot) -> PublishingHeatmap:
    heatmap = PublishingHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(600, heatmap.minimumHeight())
    heatmap.show()
    return heatmap


def test_the_charts_do_not_load_qtcharts() -> None:
    loaded = loaded_after_importing(["linkie_desktop.ui.analytics.tab"])
    assert "linkie_desktop.ui.analytics.charts" in loaded
    assert "PySide6.QtCharts" not in loaded


def test_resting_the_pointer_on_a_painted_bar_names_that_week(
    qtbot: QtBot, bar_chart: WeeklyBarChart
) -> None:
    bar_chart.set_weeks(weeks(0, 2, 0, 1))

    bars = sorted(painted_blobs(bar_chart, bar_chart.bar_colour()), key=QRect.left)

    assert len(bars) == 2  # the empty weeks draw no bar
    assert bars[0].height() > bars[1].height() > 0
    assert rest_pointer(qtbot, bar_chart, bars[0].center()) == bar_chart.tooltip_for(1)
    assert rest_pointer(qtbot, bar_chart, bars[1].center()) == bar_chart.tooltip_for(3)
    assert bar_chart.tooltip_for(3) == "Week of 23 March 2026: 1 post published"
    # Above a week's short bar is still that week; the axis' numbers are no week.
    assert rest_pointer(qtbot, bar_chart, QPoint(bars[1].center().x(), 12)) == (
        bar_chart.tooltip_for(3)
    )
    assert rest_pointer(qtbot, bar_chart, QPoint(2, bars[0].center().y())) is None


def test_resting_the_pointer_on_a_painted_cell_names_that_hour(
    qtbot: QtBot, heatmap: PublishingHeatmap
) -> None:
    heatmap.set_counts({(2, 9): 4, (5, 20): 1})
    busiest = heatmap.colours().shades[-1]

    cell, swatch = painted_blobs(heatmap, busiest)  # Wednesday 09:00, then the legend's "More"

    assert (
        rest_pointer(qtbot, heatmap, cell.center()) == "Wednesdays, 09:00–09:59: 4 posts published"
    )
    assert rest_pointer(qtbot, heatmap, swatch.center()) is None
    assert rest_pointer(qtbot, heatmap, QPoint(2, cell.center().y())) is None  # "Wed" itself


def test_a_real_pointer_resting_on_a_painted_cell_shows_its_tooltip(
    qtbot: QtBot, heatmap: PublishingHeatmap
) -> None:
    heatmap.set_counts({(4, 17): 3})
    qtbot.waitExposed(heatmap)
    cell = painted_blobs(heatmap, heatmap.colours().shades[-1])[0]
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())

    # Qt's own tooltip timer, from mouse moves as a person's pointer makes them.
    QTest.mouseMove(heatmap, cell.center() - QPoint(3, 0))
    QTest.mouseMove(heatmap, cell.center())

    qtbot.waitUntil(
        lambda: (
            QToolTip.isVisible() and QToolTip.text() == "Fridays, 17:00–17:59: 3 posts published"
        )
    )


def test_hover_helpers_show_what_the_pointer_would(
    qtbot: QtBot, bar_chart: WeeklyBarChart, heatmap: PublishingHeatmap
) -> None:
    bar_chart.set_weeks(weeks(*range(52)))
    heatmap.set_counts({(0, 0): 1})

    bar_chart.hover_bar(51)
    qtbot.waitUntil(lambda: QToolTip.text() == bar_chart.tooltip_for(51))
    heatmap.hover_cell(0, 0)
    qtbot.waitUntil(lambda: QToolTip.text() == "Mondays, 00:00–00:59: 1 post published")


@pytest.mark.parametrize("count", [1, 4, 12, 26, 52])
@pytest.mark.parametrize("width", [360, 700, TAB_WIDTH])
def test_week_labels_fit_without_overlapping(
    bar_chart: WeeklyBarChart, count: int, width: int
) -> None:
    bar_chart.resize(width, bar_chart.minimumHeight())
    bar_chart.set_weeks(weeks(*(i % 7 for i in range(count))))

    layout = bar_chart.chart_layout()

    labels = layout.x_labels
    inside = bar_chart.rect()
    assert all(inside.contains(label.rect.toAlignedRect()) for label in labels)
    assert all(a.rect.right() + 1 < b.rect.left() for a, b in itertools.pairwise(labels))
    newest = weeks(*range(count))[-1].monday
    assert labels[-1].text == f"{newest.day} {newest:%b}"  # the current week is always named
    if width == TAB_WIDTH and count <= 12:
        assert len(labels) == count  # every week named when there is room
    for x_label in labels:
        assert not any(x_label.rect.intersects(y.rect) for y in layout.y_labels)


def test_the_y_axis_counts_in_whole_posts_up_to_the_busiest_week(
    bar_chart: WeeklyBarChart,
) -> None:
    bar_chart.set_weeks(weeks(3, 138, 40))

    texts = [label.text for label in bar_chart.chart_layout().y_labels]

    assert texts == ["0", "50", "100", "150"]
    assert integer_ticks(0, 200, 30) == (0, 1)
    assert integer_ticks(3, 200, 30) == (0, 1, 2, 3)
    assert integer_ticks(7, 200, 30) == (0, 2, 4, 6, 8)
    assert integer_ticks(7, 60, 30) == (0, 5, 10)  # less room, fewer lines


@pytest.mark.parametrize("size", [(300, 240), (TAB_WIDTH, 240), (1600, 600)])
def test_each_heat_cell_fills_its_share_at_any_size(
    heatmap: PublishingHeatmap, size: tuple[int, int]
) -> None:
    heatmap.resize(*size)

    layout = heatmap.chart_layout()

    assert layout.slot(0, 0).topLeft() == layout.plot.topLeft()
    assert abs(layout.slot(6, 23).right() - layout.plot.right()) < 1e-6
    assert abs(layout.slot(6, 23).bottom() - layout.plot.bottom()) < 1e-6
    for weekday in range(len(WEEKDAYS)):
        for hour in range(HOURS):
            slot, cell = layout.slot(weekday, hour), layout.cell(weekday, hour)
            assert slot.contains(cell)
            assert cell.width() >= slot.width() - CELL_GAP
            assert cell.height() >= slot.height() - CELL_GAP
            assert layout.cell_at(slot.center()) == (weekday, hour)
    hours = layout.column_labels
    assert all(a.rect.right() + 1 < b.rect.left() for a, b in itertools.pairwise(hours))
    assert [label.text for label in layout.row_labels] == [day[:3] for day in WEEKDAYS]
    if size[0] >= 700:
        assert [label.text for label in hours] == [f"{h:02d}:00" for h in range(0, 24, 3)]


def test_the_charts_repaint_in_a_new_palettes_colours(bar_chart: WeeklyBarChart) -> None:
    bar_chart.set_weeks(weeks(1, 2))
    light = status_colour(PostStatus.PUBLISHED, bar_chart.palette())
    assert len(painted_blobs(bar_chart, light)) == 2

    bar_chart.setPalette(dark_palette())

    dark = status_colour(PostStatus.PUBLISHED, dark_palette())
    assert len(painted_blobs(bar_chart, dark)) == 2
    assert painted_blobs(bar_chart, light) == []


def test_screen_readers_hear_the_figures_summed_up(
    bar_chart: WeeklyBarChart, heatmap: PublishingHeatmap
) -> None:
    bar_chart.set_weeks(weeks(2, 6, 1))
    heatmap.set_counts({(1, 9): 4, (3, 9): 4, (4, 17): 1})

    assert bar_chart.accessibleDescription() == "3 weeks, 9 posts, busiest week of 9 Mar: 6"
    assert heatmap.accessibleDescription() == (
        "9 posts; most often on Tuesdays, 09:00–09:59: 4 posts"
    )

    bar_chart.set_weeks(weeks(0, 0))
    heatmap.set_counts({})

    assert bar_chart.accessibleDescription() == "2 weeks, no posts published"
    assert heatmap.accessibleDescription() == "No posts published yet"


@pytest.mark.parametrize("width", [360, 500, TAB_WIDTH])
def test_every_bar_stands_whole_on_the_baseline_at_any_width(
    bar_chart: WeeklyBarChart, width: int
) -> None:
    bar_chart.resize(width, bar_chart.minimumHeight())
    bar_chart.set_weeks(weeks(*[4] * 52))

    bars = painted_blobs(bar_chart, bar_chart.bar_colour())

    assert len(bars) == 52
    assert len({bar.bottom() for bar in bars}) == 1
    tallest = max(bar.height() for bar in bars)
    assert all(bar.height() >= tallest - 1 for bar in bars)  # no bar drawn as just its top
