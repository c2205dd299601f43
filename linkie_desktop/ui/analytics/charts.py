"""The Analytics charts, painted with QPainter: posts per week as bars, a weekday × hour heat map.

Both follow the application palette (light or dark) and explain each bar or cell in a tooltip
when the pointer rests on it; their accessible description sums the figures up in words. Where
things go is computed once per chart (chart_layout.py), for painting and for the pointer alike.
They only show numbers they are given: no SQL, no HTTP here.

Painted rather than QtCharts: importing QtCharts and building its views cost ~35 ms on the GUI
thread the first time Analytics opened (issue 13 allows 50 ms), its scatter markers only
approximated heat-map cells, and it added a large library to the bundle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import WeekBar
from linkie_desktop.ui.analytics.chart_layout import (
    TICK,
    BarLayout,
    HeatLayout,
    Label,
    bar_layout,
    heat_layout,
)
from linkie_desktop.ui.widgets.palette import is_dark, muted_colour, status_colour

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = 24
# Heat map shades: share of the busiest cell's count at which each shade starts.
HEAT_STEPS = (0.0, 0.25, 0.5, 0.75)
HOUR_LABEL_EVERY = 3
BAR_RADIUS = 3.0
CELL_RADIUS = 3.0


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _week_label(bar: WeekBar) -> str:
    return f"{bar.monday.day} {bar.monday:%b}"


def _hours(hour: int) -> str:
    return f"{hour:02d}:00–{hour:02d}:59"


@dataclass(frozen=True)
class ChartColours:
    labels: QColor  # the axes' words and numbers
    grid: QColor
    baseline: QColor
    bar: QColor
    shades: tuple[QColor, ...]  # the empty cell's, then one per step of HEAT_STEPS


def chart_colours(palette: QPalette) -> ChartColours:
    text = palette.color(QPalette.ColorRole.WindowText)
    grid, baseline, empty = QColor(text), QColor(text), QColor(text)
    grid.setAlphaF(0.12)
    baseline.setAlphaF(0.35)
    empty.setAlphaF(0.10 if is_dark(palette) else 0.06)  # faint, but each cell still shows
    base = status_colour(PostStatus.PUBLISHED, palette)
    shades = [empty]
    for step in range(len(HEAT_STEPS)):
        shade = QColor(base)
        shade.setAlphaF(0.3 + 0.7 * step / (len(HEAT_STEPS) - 1))
        shades.append(shade)
    return ChartColours(muted_colour(palette), grid, baseline, base, tuple(shades))


def _draw_label(painter: QPainter, label: Label, align: Qt.AlignmentFlag) -> None:
    painter.drawText(label.rect, int(align | Qt.AlignmentFlag.AlignVCenter), label.text)


def _crisp(y: float) -> float:
    """A 1 px line on a pixel row rather than smeared over two."""
    return int(y) + 0.5


class _PaintedChart(QWidget):
    """A chart widget: palette-following, antialiased, tooltips from hit-testing its layout."""

    def __init__(self, key: str, name: str, min_height: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(key)
        self.setAccessibleName(name)
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, self.minimumHeight())

    def colours(self) -> ChartColours:
        return chart_colours(self.palette())

    def metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.update()  # colours and the layout are read from them at each paint

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.tip_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
                event.ignore()
            else:
                area, text = hit
                QToolTip.showText(event.globalPos(), text, self, area.toAlignedRect())
            return True
        return super().event(event)

    def tip_at(self, point: QPointF) -> tuple[QRectF, str] | None:
        """The tooltip for the pointer at `point` and the area it holds for, or None."""
        raise NotImplementedError

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, self.colours())
        painter.end()

    def paint(self, painter: QPainter, colours: ChartColours) -> None:
        raise NotImplementedError

    def _rest_pointer_at(self, point: QPointF) -> None:
        """What the pointer resting at `point` does: the help event Qt sends then."""
        where = point.toPoint()
        QApplication.sendEvent(
            self, QHelpEvent(QEvent.Type.ToolTip, where, self.mapToGlobal(where))
        )


class WeeklyBarChart(_PaintedChart):
    """Posts published in each week of the period, oldest week on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("weeklyChart", "Posts published per week", 220, parent)
        self._weeks: tuple[WeekBar, ...] = ()
        self._describe()

    def set_weeks(self, weeks: Sequence[WeekBar]) -> None:
        self._weeks = tuple(weeks)
        self._describe()
        self.update()

    def bar_colour(self) -> QColor:
        return self.colours().bar

    def bar_values(self) -> list[int]:
        return [bar.posts for bar in self._weeks]

    def tooltip_for(self, index: int) -> str:
        bar = self._weeks[index]
        return (
            f"Week of {bar.monday.day} {bar.monday:%B %Y}: {_plural(bar.posts, 'post')} published"
        )

    def chart_layout(self) -> BarLayout:
        return bar_layout(
            QRectF(self.rect()),
            self.metrics(),
            [_week_label(bar) for bar in self._weeks],
            self.bar_values(),
        )

    def hover_bar(self, index: int) -> None:
        """Rest the pointer on bar `index`'s column (for tests and automation, which have none)."""
        self._rest_pointer_at(self.chart_layout().columns[index].center())

    def tip_at(self, point: QPointF) -> tuple[QRectF, str] | None:
        layout = self.chart_layout()
        index = layout.column_at(point)
        return None if index is None else (layout.columns[index], self.tooltip_for(index))

    def paint(self, painter: QPainter, colours: ChartColours) -> None:
        layout = self.chart_layout()
        for index, y in enumerate(layout.gridlines):
            painter.setPen(colours.baseline if index == 0 else colours.grid)
            painter.drawLine(
                QPointF(layout.plot.left(), _crisp(y)), QPointF(layout.plot.right(), _crisp(y))
            )
        painter.setPen(colours.baseline)
        bottom = _crisp(layout.plot.bottom())
        for x in layout.x_ticks:
            painter.drawLine(QPointF(_crisp(x), bottom), QPointF(_crisp(x), bottom + TICK))
        painter.setPen(colours.labels)
        for label in layout.y_labels:
            _draw_label(painter, label, Qt.AlignmentFlag.AlignRight)
        for label in layout.x_labels:
            _draw_label(painter, label, Qt.AlignmentFlag.AlignHCenter)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours.bar)
        for bar in layout.bars:
            if bar.height() > 0:
                painter.drawPath(_rounded_top(bar, BAR_RADIUS))

    def _describe(self) -> None:
        total = sum(self.bar_values())
        weeks = _plural(len(self._weeks), "week")
        if not total:
            self.setAccessibleDescription(f"{weeks}, no posts published")
            return
        busiest = max(self._weeks, key=lambda bar: bar.posts)
        self.setAccessibleDescription(
            f"{weeks}, {_plural(total, 'post')}, busiest week of {_week_label(busiest)}: "
            f"{busiest.posts}"
        )


def _rounded_top(rect: QRectF, radius: float) -> QPainterPath:
    """A bar with rounded top corners standing square on the baseline (one outline: a union of
    shapes drawn as a path broke up on bars a few pixels wide)."""
    radius = min(radius, rect.width() / 2, rect.height())
    left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
    path = QPainterPath(QPointF(left, bottom))
    path.lineTo(left, top + radius)
    path.quadTo(left, top, left + radius, top)
    path.lineTo(right - radius, top)
    path.quadTo(right, top, right, top + radius)
    path.lineTo(right, bottom)
    path.closeSubpath()
    return path


class PublishingHeatmap(_PaintedChart):
    """Posts published per weekday (rows, Monday on top) and local hour (columns)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "publishingHeatmap",
            "When you publish: weekday by hour of day, in local time",
            240,
            parent,
        )
        self._counts: dict[tuple[int, int], int] = {}
        self._describe()

    def set_counts(self, counts: dict[tuple[int, int], int]) -> None:
        self._counts = dict(counts)
        self._describe()
        self.update()

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
        return f"{WEEKDAYS[weekday]}s, {_hours(hour)}: {_plural(count, 'post')} published"

    def chart_layout(self) -> HeatLayout:
        return heat_layout(
            QRectF(self.rect()),
            self.metrics(),
            [name[:3] for name in WEEKDAYS],
            [f"{hour:02d}:00" for hour in range(HOURS)],
            1 + len(HEAT_STEPS),
            ("Less", "More"),
            HOUR_LABEL_EVERY,
        )

    def hover_cell(self, weekday: int, hour: int) -> None:
        """Rest the pointer on a cell (for tests and automation, which have none)."""
        self._rest_pointer_at(self.chart_layout().slot(weekday, hour).center())

    def tip_at(self, point: QPointF) -> tuple[QRectF, str] | None:
        layout = self.chart_layout()
        cell = layout.cell_at(point)
        return None if cell is None else (layout.slot(*cell), self.tooltip_for(*cell))

    def paint(self, painter: QPainter, colours: ChartColours) -> None:
        layout = self.chart_layout()
        busiest = max(self._counts.values(), default=0)
        painter.setPen(Qt.PenStyle.NoPen)
        for weekday in range(len(WEEKDAYS)):
            for hour in range(HOURS):
                painter.setBrush(
                    colours.shades[self.shade_of(self.count_at(weekday, hour), busiest)]
                )
                painter.drawRoundedRect(layout.cell(weekday, hour), CELL_RADIUS, CELL_RADIUS)
        for swatch, colour in zip(layout.legend_swatches, colours.shades, strict=True):
            painter.setBrush(colour)
            painter.drawRoundedRect(swatch, 2, 2)
        painter.setPen(colours.labels)
        for label in layout.row_labels:
            _draw_label(painter, label, Qt.AlignmentFlag.AlignRight)
        for label in layout.column_labels:
            _draw_label(painter, label, Qt.AlignmentFlag.AlignHCenter)
        less, more = layout.legend_labels
        _draw_label(painter, less, Qt.AlignmentFlag.AlignRight)
        _draw_label(painter, more, Qt.AlignmentFlag.AlignLeft)

    def _describe(self) -> None:
        total = sum(self._counts.values())
        if not total:
            self.setAccessibleDescription("No posts published yet")
            return
        # The busiest cell; of equally busy ones the earliest in the week.
        (weekday, hour), count = min(self._counts.items(), key=lambda item: (-item[1], item[0]))
        self.setAccessibleDescription(
            f"{_plural(total, 'post')}; most often on {WEEKDAYS[weekday]}s, {_hours(hour)}: "
            f"{_plural(count, 'post')}"
        )
