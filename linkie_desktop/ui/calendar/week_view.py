"""The week view: seven days side by side, hours down the page, each post at its local time and
each free posting slot as a dashed block.

Drag a post (from here or from the drafts) onto a time: it lands on the quarter-hour under the
pointer. Keys: Up/Down choose the previous/next post, Alt+Up/Alt+Down move the chosen post 15
minutes earlier/later, Alt+Left/Alt+Right a day, Enter opens it, PgUp/PgDn change week, Home goes
to today. Every move is asked of the tab (`move_requested`), which writes it on the runner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.slots import Occurrence
from linkie_desktop.services.calendar import CalendarPost
from linkie_desktop.ui.calendar.day_cell import (
    STATUS_MARKS,
    DropState,
    StatusText,
    long_day,
    stored_status,
)
from linkie_desktop.ui.calendar.drag import answer_hover, post_id_from, start_post_drag
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import status_colour, warning_colour

QUARTER = timedelta(minutes=15)
QUARTERS_PER_DAY = 96
GUTTER = 52  # the hours' column, in pixels
BLOCK_QUARTERS = 2  # a post or slot is drawn 30 minutes tall


@dataclass(frozen=True)
class Block:
    """Something drawn in the week: a post (post set) or a free slot (occurrence set)."""

    rect: QRect
    post: CalendarPost | None = None
    occurrence: Occurrence | None = None


def quarter_of(wall: datetime) -> int:
    return (wall.hour * 60 + wall.minute) // 15


def wall_at(day: date, quarter: int) -> datetime:
    minutes = max(0, min(QUARTERS_PER_DAY - 1, quarter)) * 15
    return datetime.combine(day, time(minutes // 60, minutes % 60))


class WeekCanvas(QWidget):
    """The hours × days grid itself (inside a scroll area)."""

    post_activated = Signal(str)
    post_menu_requested = Signal(str, QPoint)
    post_dropped = Signal(str, datetime)  # post id, local wall time (a quarter-hour)
    move_requested = Signal(str, datetime)  # the keyboard's move: post id, new wall time
    drag_hovered = Signal(str, bool)
    drag_abandoned = Signal()
    week_step_requested = Signal(int)
    today_requested = Signal()
    selection_changed = Signal(str)

    def __init__(
        self,
        drop_refusal: Callable[[str, datetime], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "calendarWeekCanvas", "Week, hours by days")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._drop_refusal = drop_refusal
        self.quarter_height = max(12, self.fontMetrics().height() // 2 + 4)
        self.setFixedHeight(self.quarter_height * QUARTERS_PER_DAY + 1)
        self.days: tuple[date, ...] = ()
        self.today = date.min
        self.posts: tuple[CalendarPost, ...] = ()
        self.free: tuple[Occurrence, ...] = ()
        self.blocks: list[Block] = []
        self.selected: str | None = None
        self.hover: tuple[int, int] | None = None  # (day index, quarter) under a drag
        self.hover_state = DropState.NONE
        self._time_text: Callable[[CalendarPost], str] = lambda _post: ""
        self._status_text: StatusText = stored_status
        self._press: tuple[QPoint, str] | None = None

    # --- content ---------------------------------------------------------------------------

    def show_week(
        self,
        days: Sequence[date],
        today: date,
        posts: Sequence[CalendarPost],
        free: Sequence[Occurrence],
        time_text: Callable[[CalendarPost], str],
        status_text: StatusText = stored_status,
    ) -> None:
        self.days, self.today = tuple(days), today
        self.posts, self.free = tuple(posts), tuple(free)
        self._time_text, self._status_text = time_text, status_text
        if self.selected not in {p.id for p in self.posts}:
            self.selected = None
        self._lay_out()
        self.update()

    def column_width(self) -> float:
        return max(1.0, (self.width() - GUTTER) / 7)

    def day_rect(self, index: int) -> QRect:
        width = self.column_width()
        left = GUTTER + round(index * width)
        return QRect(left, 0, round(GUTTER + (index + 1) * width) - left, self.height())

    def quarter_rect(self, index: int, quarter: int, quarters: int = 1) -> QRect:
        column = self.day_rect(index)
        top = quarter * self.quarter_height
        return QRect(
            column.left() + 2, top + 1, column.width() - 4, quarters * self.quarter_height - 2
        )

    def _lay_out(self) -> None:
        self.blocks = []
        for index, day in enumerate(self.days):
            column = self.day_rect(index)
            todays = [p for p in self.posts if p.wall is not None and p.wall.date() == day]
            # Posts within half an hour of each other share the column side by side.
            lanes: list[list[CalendarPost]] = []
            for post in todays:
                assert post.wall is not None
                start = quarter_of(post.wall)
                group = next(
                    (
                        lane
                        for lane in lanes
                        if lane[0].wall is not None
                        and quarter_of(lane[0].wall) + BLOCK_QUARTERS > start
                    ),
                    None,
                )
                if group is None:
                    lanes.append([post])
                else:
                    group.append(post)
            for lane in lanes:
                assert lane[0].wall is not None
                top = quarter_of(lane[0].wall) * self.quarter_height
                width = (column.width() - 4) / len(lane)
                for n, post in enumerate(lane):
                    assert post.wall is not None
                    rect = QRect(
                        column.left() + 2 + round(n * width),
                        quarter_of(post.wall) * self.quarter_height + 1 if n else top + 1,
                        max(8, round(width) - 2),
                        BLOCK_QUARTERS * self.quarter_height - 2,
                    )
                    self.blocks.append(Block(rect, post=post))
            for occurrence in self.free:
                if occurrence.when.day == day:
                    rect = self.quarter_rect(
                        index, quarter_of(occurrence.when.wall), BLOCK_QUARTERS
                    )
                    self.blocks.append(Block(rect, occurrence=occurrence))

    def block_of(self, post_id: str) -> Block | None:
        return next((b for b in self.blocks if b.post is not None and b.post.id == post_id), None)

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        self._lay_out()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(GUTTER + 7 * 110, self.height())

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        mid = palette.color(QPalette.ColorRole.Mid)
        light = QColor(mid)
        light.setAlpha(70)
        for index, day in enumerate(self.days):
            column = self.day_rect(index)
            if day == self.today:
                tint = QColor(palette.color(QPalette.ColorRole.Highlight))
                tint.setAlpha(18)
                painter.fillRect(column, tint)
            painter.setPen(QPen(mid, 1))
            painter.drawLine(column.topLeft(), column.bottomLeft())
        for hour in range(24):
            y = hour * 4 * self.quarter_height
            painter.setPen(QPen(mid, 1))
            painter.drawLine(GUTTER - 4, y, self.width(), y)
            painter.setPen(QPen(light, 1))
            half = y + 2 * self.quarter_height
            painter.drawLine(GUTTER, half, self.width(), half)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRect(0, y + 1, GUTTER - 8, self.fontMetrics().height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"{hour:02d}:00",
            )
        for block in self.blocks:
            if block.occurrence is not None:
                self._paint_free(painter, block)
        for block in self.blocks:
            if block.post is not None:
                self._paint_post(painter, block)
        self._paint_hover(painter)

    def _paint_free(self, painter: QPainter, block: Block) -> None:
        assert block.occurrence is not None
        palette = self.palette()
        pen = QPen(palette.color(QPalette.ColorRole.PlaceholderText), 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(block.rect), 3, 3)
        painter.drawText(
            block.rect.adjusted(5, 0, -3, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{block.occurrence.when.wall:%H:%M} free slot",
        )

    def _paint_post(self, painter: QPainter, block: Block) -> None:
        post = block.post
        assert post is not None
        colour = status_colour(post.status, self.palette())
        tint = QColor(colour)
        tint.setAlpha(60)
        rect = QRectF(block.rect)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 3, rect.height()), 1.5, 1.5)
        if post.id == self.selected:
            pen = QPen(
                self.palette().color(QPalette.ColorRole.Highlight), 2.5 if self.hasFocus() else 1.5
            )
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        text = f"{STATUS_MARKS.get(post.status, '')}{self._time_text(post)}  {post.label}"
        area = block.rect.adjusted(7, 0, -3, 0)
        painter.drawText(
            area,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, area.width()),
        )

    def _paint_hover(self, painter: QPainter) -> None:
        if self.hover is None or self.hover_state is DropState.NONE:
            return
        index, quarter = self.hover
        refused = self.hover_state is DropState.REFUSE
        palette = self.palette()
        colour = warning_colour(palette) if refused else palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(colour)
        fill.setAlpha(60)
        rect = self.quarter_rect(index, quarter, BLOCK_QUARTERS)
        painter.fillRect(rect, fill)
        pen = QPen(colour, 2)
        if refused:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        painter.drawText(
            rect.adjusted(5, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{wall_at(self.days[index], quarter):%H:%M}",
        )

    # --- where a point is ------------------------------------------------------------------

    def cell_at(self, point: QPointF | QPoint) -> tuple[int, int] | None:
        """(day index, quarter) under `point`; None over the hours' column or outside."""
        x, y = point.x(), point.y()
        if x < GUTTER or not self.days:
            return None
        index = int((x - GUTTER) // self.column_width())
        if not 0 <= index < len(self.days):
            return None
        return index, max(0, min(QUARTERS_PER_DAY - 1, int(y // self.quarter_height)))

    def point_of(self, day: date, wall_time: time) -> QPoint:
        """The centre of the quarter-hour at `wall_time` on `day` (tests and screenshots)."""
        index = self.days.index(day)
        quarter = (wall_time.hour * 60 + wall_time.minute) // 15
        return self.quarter_rect(index, quarter).center()

    def _post_at(self, point: QPoint) -> CalendarPost | None:
        for block in reversed(self.blocks):
            if block.post is not None and block.rect.contains(point):
                return block.post
        return None

    # --- mouse -----------------------------------------------------------------------------

    def select(self, post_id: str | None) -> None:
        if post_id != self.selected:
            self.selected = post_id
            self.selection_changed.emit(post_id or "")
            post = next((p for p in self.posts if p.id == post_id), None)
            if post is not None:
                self.setAccessibleName(
                    f"Week, chosen: {self._time_text(post)} {post.label}, {self._status_text(post)}"
                )
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        post = self._post_at(event.position().toPoint())
        self.select(post.id if post is not None else None)
        if post is not None and event.button() == Qt.MouseButton.LeftButton:
            self._press = (event.position().toPoint(), post.id)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        start, post_id = self._press
        if (
            event.position().toPoint() - start
        ).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        post = next((p for p in self.posts if p.id == post_id), None)
        block = self.block_of(post_id)
        if post is None or block is None or not post.movable:
            return
        if not start_post_drag(self, post_id, self.grab(block.rect)):
            self.drag_abandoned.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = None
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        post = self._post_at(event.position().toPoint())
        if post is not None:
            self.post_activated.emit(post.id)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        post = self._post_at(event.pos())
        if post is not None:
            self.select(post.id)
            self.post_menu_requested.emit(post.id, event.globalPos())
        event.accept()

    # --- drops -----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if post_id_from(event.mimeData()) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self._hover(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        self._hover(event)

    def _hover(self, event: QDragMoveEvent) -> None:
        post_id = post_id_from(event.mimeData())
        cell = self.cell_at(event.position())
        if post_id is None or cell is None:
            self._set_hover(None, DropState.NONE)
            event.ignore()
            return
        wall = wall_at(self.days[cell[0]], cell[1])
        refusal = self._drop_refusal(post_id, wall)
        self._set_hover(cell, DropState.REFUSE if refusal else DropState.ACCEPT)
        words = f"Drop to schedule on {long_day(wall.date())} at {wall:%H:%M}."
        answer_hover(event, refusal, words, self.drag_hovered.emit)

    def _set_hover(self, cell: tuple[int, int] | None, state: DropState) -> None:
        if (self.hover, self.hover_state) != (cell, state):
            self.hover, self.hover_state = cell, state
            self.update()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._set_hover(None, DropState.NONE)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_hover(None, DropState.NONE)
        post_id = post_id_from(event.mimeData())
        cell = self.cell_at(event.position())
        if post_id is None or cell is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.post_dropped.emit(post_id, wall_at(self.days[cell[0]], cell[1]))

    # --- keys ------------------------------------------------------------------------------

    def _ordered(self) -> list[CalendarPost]:
        return [p for p in self.posts if p.wall is not None]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = Qt.Key(event.key())
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        posts = self._ordered()
        chosen = next((p for p in posts if p.id == self.selected), None)
        steps = {
            Qt.Key.Key_Up: -QUARTER,
            Qt.Key.Key_Down: QUARTER,
            Qt.Key.Key_Left: -timedelta(days=1),
            Qt.Key.Key_Right: timedelta(days=1),
        }
        if alt and key in steps:
            if chosen is not None and chosen.wall is not None and chosen.movable:
                self.move_requested.emit(chosen.id, chosen.wall + steps[key])
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and posts:
            index = posts.index(chosen) if chosen is not None else -1
            index = index + (1 if key == Qt.Key.Key_Down else -1) if chosen else 0
            self.select(posts[max(0, min(len(posts) - 1, index))].id)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and chosen is not None:
            self.post_activated.emit(chosen.id)
        elif key == Qt.Key.Key_PageUp:
            self.week_step_requested.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.week_step_requested.emit(1)
        elif key == Qt.Key.Key_Home:
            self.today_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if self.selected is None and self.posts:
            self.select(self._ordered()[0].id if self._ordered() else None)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.update()


class WeekView(QWidget):
    """The day names over the scrolled hours × days canvas."""

    def __init__(
        self,
        drop_refusal: Callable[[str, datetime], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "calendarWeek", "Week view")
        self.canvas = WeekCanvas(drop_refusal)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("calendarWeekScroll")
        self.scroller.setWidget(self.canvas)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.header = QHBoxLayout()
        self.header.setContentsMargins(
            GUTTER, 0, self.scroller.verticalScrollBar().sizeHint().width(), 0
        )
        self.header.setSpacing(0)
        self.day_labels = [QLabel("") for _ in range(7)]
        for n, label in enumerate(self.day_labels):
            label.setObjectName(f"calendarWeekDay_{n}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self.header.addWidget(label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.header)
        layout.addWidget(self.scroller, 1)
        self.setFocusProxy(self.canvas)
        self._scrolled = False

    def show_week(
        self,
        days: Sequence[date],
        today: date,
        posts: Sequence[CalendarPost],
        free: Sequence[Occurrence],
        time_text: Callable[[CalendarPost], str],
        day_name: Callable[[date], str],
        status_text: StatusText = stored_status,
    ) -> None:
        for label, day in zip(self.day_labels, days, strict=True):
            label.setText(day_name(day))
            font = label.font()
            font.setBold(day == today)
            label.setFont(font)
        self.canvas.show_week(days, today, posts, free, time_text, status_text)
        if not self._scrolled:  # the working day in view, not midnight
            self._scrolled = True
            self.scroller.verticalScrollBar().setValue(7 * 4 * self.canvas.quarter_height)
