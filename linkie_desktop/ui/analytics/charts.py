"""The Analytics charts (QtCharts): posts per week as bars, and a weekday × hour heat map.

Both follow the application palette (light or dark) and explain each bar or cell in a tooltip
when the pointer rests on it. They only show numbers they are given: no SQL, no HTTP here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import WeekBar
from linkie_desktop.ui.widgets.palette import is_dark, status_colour

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = 24
# Heat map shades: share of the busiest cell's count at which each shade starts.
HEAT_STEPS = (0.0, 0.25, 0.5, 0.75)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _week_label(bar: WeekBar) -> str:
    return f"{bar.monday.day} {bar.monday:%b}"


class _ThemedChartView(QChartView):
    """A chart view whose chart follows the application palette, re-coloured when it changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.legend().hide()
        chart.setBackgroundVisible(False)
        chart.setMargins(chart.margins() * 0)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    def apply_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlphaF(0.15)
        for axis in self.chart().axes():
            axis.setLabelsColor(text)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)


class WeeklyBarChart(_ThemedChartView):
    """Posts published in each week of the period, oldest week on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weeklyChart")
        self.setAccessibleName("Posts published per week")
        self._weeks: tuple[WeekBar, ...] = ()
        self._set = QBarSet("Published posts")
        self._set.hovered.connect(self._on_hover)
        self._series = QBarSeries()
        self._series.setBarWidth(0.7)
        self._series.append(self._set)
        self.chart().addSeries(self._series)
        self._x = QBarCategoryAxis()
        self._x.setGridLineVisible(False)
        self._y = QValueAxis()
        self._y.setLabelFormat("%d")
        self.chart().addAxis(self._x, Qt.AlignmentFlag.AlignBottom)
        self.chart().addAxis(self._y, Qt.AlignmentFlag.AlignLeft)
        self._series.attachAxis(self._x)
        self._series.attachAxis(self._y)
        self.apply_palette()

    def set_weeks(self, weeks: Sequence[WeekBar]) -> None:
        self._weeks = tuple(weeks)
        self._set.remove(0, self._set.count())
        self._set.append([float(bar.posts) for bar in self._weeks])
        self._x.clear()
        self._x.append([_week_label(bar) for bar in self._weeks])
        # Longer periods: turn the labels so that up to 52 of them still fit under the bars.
        count = len(self._weeks)
        self._x.setLabelsAngle(-90 if count > 16 else -45 if count > 8 else 0)
        top = max((bar.posts for bar in self._weeks), default=0)
        self._y.setRange(0, max(top, 1))
        self._y.setTickCount(min(max(top, 1), 5) + 1)
        self.setToolTip("")

    def bar_colour(self) -> QColor:
        return self._set.color()

    def bar_values(self) -> list[int]:
        return [int(self._set.at(index)) for index in range(self._set.count())]

    def tooltip_for(self, index: int) -> str:
        bar = self._weeks[index]
        return (
            f"Week of {bar.monday.day} {bar.monday:%B %Y}: {_plural(bar.posts, 'post')} published"
        )

    def hover_bar(self, index: int) -> None:
        """What resting the pointer on bar `index` does (QBarSet.hovered), for tests and
        automation, which have no pointer."""
        self._set.hovered.emit(True, index)

    def _on_hover(self, status: bool, index: int) -> None:
        if status and 0 <= index < len(self._weeks):
            QToolTip.showText(QCursor.pos(), self.tooltip_for(index), self)
        else:
            QToolTip.hideText()

    def apply_palette(self) -> None:
        super().apply_palette()
        colour = status_colour(PostStatus.PUBLISHED, self.palette())
        self._set.setColor(colour)
        self._set.setBorderColor(colour)


class PublishingHeatmap(_ThemedChartView):
    """Posts published per weekday (rows, Monday on top) and local hour (columns)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publishingHeatmap")
        self.setAccessibleName("When you publish: weekday by hour of day, in local time")
        self.setMinimumHeight(240)
        self._counts: dict[tuple[int, int], int] = {}
        self._shades: list[QScatterSeries] = []
        self._x = QValueAxis()
        self._x.setRange(-0.5, HOURS - 0.5)
        self._x.setTickType(QValueAxis.TickType.TicksDynamic)
        self._x.setTickAnchor(0)
        self._x.setTickInterval(3)
        self._x.setLabelFormat("%02d:00")
        self._x.setGridLineVisible(False)
        self._y = QCategoryAxis()
        self._y.setRange(-0.5, len(WEEKDAYS) - 0.5)
        self._y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self._y.setReverse(True)  # Monday on top, like a calendar
        for row, name in enumerate(WEEKDAYS):
            self._y.append(name[:3], row)
        self._y.setGridLineVisible(False)
        self.chart().addAxis(self._x, Qt.AlignmentFlag.AlignBottom)
        self.chart().addAxis(self._y, Qt.AlignmentFlag.AlignLeft)
        for _ in (None, *HEAT_STEPS):  # the empty cells, then one series per shade
            series = QScatterSeries()
            series.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRectangle)
            series.hovered.connect(self._on_hover)
            self.chart().addSeries(series)
            series.attachAxis(self._x)
            series.attachAxis(self._y)
            self._shades.append(series)
        self.chart().plotAreaChanged.connect(self._fit_cells)
        self.apply_palette()

    def set_counts(self, counts: dict[tuple[int, int], int]) -> None:
        self._counts = dict(counts)
        busiest = max(self._counts.values(), default=0)
        points: list[list[QPointF]] = [[] for _ in self._shades]
        for weekday in range(len(WEEKDAYS)):
            for hour in range(HOURS):
                points[self.shade_of(self._counts.get((weekday, hour), 0), busiest)].append(
                    QPointF(hour, weekday)
                )
        for series, cells in zip(self._shades, points, strict=True):
            series.replace(cells)

    @staticmethod
    def shade_of(count: int, busiest: int) -> int:
        """0 for an empty cell, else 1 + the step of HEAT_STEPS the count reaches."""
        if count <= 0 or busiest <= 0:
            return 0
        share = count / busiest
        return 1 + max(step for step, start in enumerate(HEAT_STEPS) if share > start)

    def count_at(self, weekday: int, hour: int) -> int:
        return self._counts.get((weekday, hour), 0)

    def tooltip_for(self, weekday: int, hour: int) -> str:
        count = self.count_at(weekday, hour)
        return (
            f"{WEEKDAYS[weekday]}s, {hour:02d}:00–{hour:02d}:59: {_plural(count, 'post')} published"
        )

    def hover_cell(self, weekday: int, hour: int) -> None:
        """What resting the pointer on a cell does (QScatterSeries.hovered)."""
        self._on_hover(QPointF(hour, weekday), True)

    def _on_hover(self, point: QPointF, state: bool) -> None:
        if not state:
            QToolTip.hideText()
            return
        weekday, hour = round(point.y()), round(point.x())
        QToolTip.showText(QCursor.pos(), self.tooltip_for(weekday, hour), self)

    def _fit_cells(self, area: QRectF) -> None:
        # Scatter markers have a size in pixels: make each one fill its cell at any window size.
        size = max(4.0, min(area.width() / HOURS, area.height() / len(WEEKDAYS)) - 2.0)
        for series in self._shades:
            series.setMarkerSize(size)

    def apply_palette(self) -> None:
        super().apply_palette()
        if not hasattr(self, "_shades"):
            return  # called by the base class before the series exist
        palette = self.palette()
        base = status_colour(PostStatus.PUBLISHED, palette)
        empty = QColor(palette.color(QPalette.ColorRole.WindowText))
        empty.setAlphaF(0.10 if is_dark(palette) else 0.06)
        colours = [empty]
        for step in range(len(HEAT_STEPS)):
            shade = QColor(base)
            shade.setAlphaF(0.3 + 0.7 * step / (len(HEAT_STEPS) - 1))
            colours.append(shade)
        for series, colour in zip(self._shades, colours, strict=True):
            series.setColor(colour)
            series.setBorderColor(Qt.GlobalColor.transparent)
