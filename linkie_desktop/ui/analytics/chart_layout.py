"""Where each part of an Analytics chart goes: the one geometry that painting and hit-testing share.

Pure arithmetic over a rectangle and a font's metrics (no painting, no widgets), so a bar or a cell
the pointer rests on is exactly the one drawn there, at any size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontMetricsF

PAD = 8.0  # between an axis' labels and the plot, and around the chart
TICK = 4.0  # the tick marks under labelled weeks
LABEL_GAP = 12.0  # the least room between two week labels side by side
MAX_GRID_STEPS = 5  # more horizontal lines than this read as noise
MAX_BAR_WIDTH = 72.0  # a few weeks on a wide window: bars, not slabs
BAR_SHARE = 0.7  # of a week's column
CELL_GAP = 3.0  # between heat-map cells


@dataclass(frozen=True)
class Label:
    rect: QRectF
    text: str


def integer_ticks(top: int, height: float, min_gap: float) -> tuple[int, ...]:
    """0, step, 2·step… up to the first multiple of step at or above `top`: whole numbers (posts
    are counted), a step of 1, 2 or 5 × 10ⁿ, at least `min_gap` pixels and at most
    MAX_GRID_STEPS steps apart."""
    top = max(top, 1)
    room = max(1, min(MAX_GRID_STEPS, int(height // max(min_gap, 1.0))))
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(top / step) <= room:
                return tuple(range(0, math.ceil(top / step) * step + 1, step))
        magnitude *= 10


@dataclass(frozen=True)
class BarLayout:
    plot: QRectF
    columns: tuple[QRectF, ...]  # each week's slot across the plot's height: what the pointer hits
    bars: tuple[QRectF, ...]  # the painted bars (an empty week's is 0 high)
    gridlines: tuple[float, ...]  # y of each tick's horizontal line, 0 first (the baseline)
    y_labels: tuple[Label, ...]
    x_ticks: tuple[float, ...]  # x of the marks under the labelled weeks
    x_labels: tuple[Label, ...]

    def column_at(self, point: QPointF) -> int | None:
        return next((i for i, rect in enumerate(self.columns) if rect.contains(point)), None)


def bar_layout(
    area: QRectF, metrics: QFontMetricsF, labels: Sequence[str], values: Sequence[int]
) -> BarLayout:
    """Bars for `values`, oldest left, each labelled by `labels` below (every k-th one, the newest
    always, when they do not all fit side by side), a y axis of whole numbers on the left."""
    line = metrics.height()
    top_room = line / 2 + 4  # the top tick's label is centred on its line
    # The week labels start below the "0" beside the baseline, so even a label reaching left past
    # the first bar cannot touch it.
    below = max(TICK + 2, line / 2 + 1)
    bottom_room = below + line
    height = max(area.height() - top_room - bottom_room, 1.0)
    ticks = integer_ticks(max(values, default=0), height, line * 1.8)
    tick_texts = [str(tick) for tick in ticks]
    left = max(metrics.horizontalAdvance(text) for text in tick_texts) + PAD
    label_width = max((metrics.horizontalAdvance(text) for text in labels), default=0.0)
    count = max(len(values), 1)
    # The newest week's label is centred under its bar and may reach past it on the right.
    slot = max((area.width() - left - PAD) / count, 1.0)
    right = max(PAD, label_width / 2 - slot / 2 + 2)
    plot = QRectF(
        area.left() + left,
        area.top() + top_room,
        max(area.width() - left - right, 1.0),
        height,
    )
    slot = plot.width() / count
    every = max(1, math.ceil((label_width + LABEL_GAP) / slot))
    axis_top = ticks[-1]
    bar_width = min(slot * BAR_SHARE, MAX_BAR_WIDTH)

    columns, bars, x_ticks, x_labels = [], [], [], []
    for index, value in enumerate(values):
        column = QRectF(plot.left() + index * slot, plot.top(), slot, plot.height())
        centre = column.center().x()
        bar_height = plot.height() * value / axis_top
        columns.append(column)
        bars.append(
            QRectF(centre - bar_width / 2, plot.bottom() - bar_height, bar_width, bar_height)
        )
        if (len(values) - 1 - index) % every == 0:
            x_ticks.append(centre)
            width = metrics.horizontalAdvance(labels[index])
            x_labels.append(
                Label(
                    QRectF(centre - width / 2, plot.bottom() + below, width, line),
                    labels[index],
                )
            )
    gridlines = tuple(plot.bottom() - plot.height() * tick / axis_top for tick in ticks)
    y_labels = tuple(
        Label(QRectF(area.left(), y - line / 2, left - PAD, line), text)
        for y, text in zip(gridlines, tick_texts, strict=True)
    )
    return BarLayout(
        plot, tuple(columns), tuple(bars), gridlines, y_labels, tuple(x_ticks), tuple(x_labels)
    )


@dataclass(frozen=True)
class HeatLayout:
    plot: QRectF
    rows: int
    columns: int
    row_labels: tuple[Label, ...]
    column_labels: tuple[Label, ...]
    legend_swatches: tuple[QRectF, ...]  # the empty shade first, the busiest last
    legend_labels: tuple[Label, Label]  # "Less" before the swatches, "More" after

    def slot(self, row: int, column: int) -> QRectF:
        """The cell's whole share of the plot: what the pointer hits."""
        width, height = self.plot.width() / self.columns, self.plot.height() / self.rows
        return QRectF(
            self.plot.left() + column * width, self.plot.top() + row * height, width, height
        )

    def cell(self, row: int, column: int) -> QRectF:
        """The painted cell: its slot less a gap, so neighbours read as separate squares."""
        slot = self.slot(row, column)
        gap = min(CELL_GAP, slot.width() / 4, slot.height() / 4) / 2
        return slot.adjusted(gap, gap, -gap, -gap)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        if not self.plot.contains(point):
            return None
        column = int((point.x() - self.plot.left()) / (self.plot.width() / self.columns))
        row = int((point.y() - self.plot.top()) / (self.plot.height() / self.rows))
        return min(row, self.rows - 1), min(column, self.columns - 1)


def heat_layout(
    area: QRectF,
    metrics: QFontMetricsF,
    row_names: Sequence[str],
    column_names: Sequence[str],
    shades: int,
    legend: tuple[str, str],
    label_every: int,
) -> HeatLayout:
    """A grid of len(row_names) × len(column_names) cells; rows named on the left, every
    `label_every`-th column (twice as sparse if those do not fit) under the grid, and a legend of
    `shades` swatches below, right-aligned."""
    line = metrics.height()
    left = max(metrics.horizontalAdvance(name) for name in row_names) + PAD
    plot = QRectF(
        area.left() + left,
        area.top() + 2,
        max(area.width() - left - PAD, 1.0),
        max(area.height() - 2 - (2 + line) - (PAD + line), 1.0),
    )
    rows, columns = len(row_names), len(column_names)
    width, height = plot.width() / columns, plot.height() / rows
    row_labels = tuple(
        Label(QRectF(area.left(), plot.top() + row * height, left - PAD, height), name)
        for row, name in enumerate(row_names)
    )
    widest = max(metrics.horizontalAdvance(name) for name in column_names)
    while widest + LABEL_GAP > label_every * width and label_every < columns:
        label_every *= 2
    column_labels: list[Label] = []
    for column in range(0, columns, label_every):
        text = column_names[column]
        centre = plot.left() + (column + 0.5) * width
        text_width = metrics.horizontalAdvance(text)
        column_labels.append(
            Label(QRectF(centre - text_width / 2, plot.bottom() + 2, text_width, line), text)
        )
    less, more = legend
    size = round(line * 0.75)
    y = plot.bottom() + 2 + line + PAD
    more_width = metrics.horizontalAdvance(more)
    right = plot.right() - more_width
    more_label = Label(QRectF(right, y, more_width, line), more)
    swatches: list[QRectF] = []
    for _ in range(shades):
        right -= PAD / 2 + size
        swatches.insert(0, QRectF(right, y + (line - size) / 2, size, size))
    less_width = metrics.horizontalAdvance(less)
    less_label = Label(QRectF(right - PAD / 2 - less_width, y, less_width, line), less)
    return HeatLayout(
        plot,
        rows,
        columns,
        row_labels,
        tuple(column_labels),
        tuple(swatches),
        (less_label, more_label),
    )
