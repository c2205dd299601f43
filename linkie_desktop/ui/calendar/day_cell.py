"""One day of the month grid: its number, as many posts as its height has room for as coloured
chips, "+N more" for the rest, and the day's free posting slots as dashed targets below them.

A cell is also a drop target: it lights up while a post hovers over it (accent when the drop
would work, warning colour when it would be refused) and reports drops to the grid. A free
slot's dashed chip is a drop target of its own: a post dropped there takes the slot's time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from linkie_desktop.domain.slots import Occurrence
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.calendar import GRID_POSTS_PER_DAY, CalendarPost
from linkie_desktop.ui.calendar.drag import answer_hover, post_id_from, start_post_drag
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import status_colour, status_label, warning_colour

# The most chips a cell can show (the month is read with this many a day); a cell shows as many
# lines as fit (chips, free slots, "+N more").
MAX_CHIPS = GRID_POSTS_PER_DAY
LINE_SPACING = 2
# A symbol beside the colour, so the status does not rest on colour alone.
STATUS_MARKS: dict[str, str] = {
    PostStatus.PUBLISHED: "✓ ",
    PostStatus.FAILED: "⚠ ",
    PostStatus.PUBLISHING: "↑ ",
}


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# A post's status in words. The tab's own says "Waiting — reconnect LinkedIn" for a due post the
# connection cannot send (CalendarTab.status_text); on their own, the views say the stored status.
StatusText = Callable[[CalendarPost], str]


def stored_status(post: CalendarPost) -> str:
    return status_label(post.status)


def chip_text(post: CalendarPost, time_text: str) -> str:
    return f"{STATUS_MARKS.get(post.status, '')}{time_text}  {post.label}"


class DropState(StrEnum):
    NONE = ""
    ACCEPT = "accept"
    REFUSE = "refuse"


class PostChip(QWidget):
    """A post on a day: local time and title, tinted by status; drag it, double-click to edit."""

    activated = Signal(str)  # post id
    menu_requested = Signal(str, QPoint)  # post id, global position
    pressed = Signal()
    drag_abandoned = Signal()  # dragged, then let go where no target took it

    def __init__(self, object_name: str) -> None:
        super().__init__()
        named(self, object_name, "Post")
        self.post: CalendarPost | None = None
        self.text = ""
        self.dimmed = False
        self._press_at: QPoint | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 6)

    def show_post(
        self, post: CalendarPost, time_text: str, dimmed: bool, status: str | None = None
    ) -> None:
        """`status`: the post's status in words (None: its stored status's)."""
        self.post = post
        self.text = chip_text(post, time_text)
        self.dimmed = dimmed
        status = stored_status(post) if status is None else status
        self.setAccessibleName(f"{time_text} {post.label}, {status}")
        tip = f"{time_text} · {status}\n{post.label}"
        if post.error_message:
            tip += f"\n{post.error_message}"
        if post.upload:  # "Uploading video: 45 %", "Upload failed: … — will retry at …"
            tip += f"\n{post.upload}"
            self.setAccessibleName(f"{self.accessibleName()}. {post.upload}")
        if not post.movable:
            tip += "\nPublished posts stay where they are; duplicate one to reuse its text."
        self.setToolTip(tip)
        self.show()
        self.update()

    def drag_post_id(self) -> str | None:
        """The id a drag from this chip carries; None for posts that cannot move (published)."""
        return self.post.id if self.post is not None and self.post.movable else None

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(80, self.fontMetrics().height() + 6)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        if self.post is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.dimmed:
            painter.setOpacity(0.55)
        colour = status_colour(self.post.status, self.palette())
        tint = QColor(colour)
        tint.setAlpha(48)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 3, rect.height()), 1.5, 1.5)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        text_rect = self.rect().adjusted(7, 0, -3, 0)
        elided = self.fontMetrics().elidedText(
            self.text, Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.pressed.emit()
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_at = event.position().toPoint()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press_at is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        moved = (event.position().toPoint() - self._press_at).manhattanLength()
        post_id = self.drag_post_id()
        if moved >= QApplication.startDragDistance() and post_id is not None:
            self._press_at = None
            if not start_post_drag(self, post_id):
                self.drag_abandoned.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press_at = None
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.post is not None:
            self.activated.emit(self.post.id)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if self.post is not None:
            self.menu_requested.emit(self.post.id, event.globalPos())
        event.accept()


class SlotChip(QWidget):
    """A free posting slot on a day: its time in a dashed outline; drop a post on it to put the
    post at that time."""

    dropped = Signal(str, object)  # post id, the slot's Occurrence
    hovered = Signal(str, bool)  # what a drop would do, or why not; refused?

    def __init__(self, object_name: str, refusal: Callable[[str], str]) -> None:
        super().__init__()
        named(self, object_name, "Free posting slot")
        self.occurrence: Occurrence | None = None
        self.text = ""
        self.drop_state = DropState.NONE
        self._refusal = refusal
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 6)

    def show_slot(self, occurrence: Occurrence) -> None:
        self.occurrence = occurrence
        wall = occurrence.when.wall
        self.text = f"{wall:%H:%M}  Free slot"
        self.setAccessibleName(f"Free posting slot at {wall:%H:%M}")
        self.setToolTip(
            f"Free posting slot ({occurrence.slot.words}): drop a post here to put it at "
            f"{wall:%H:%M}.{' ' + occurrence.when.note if occurrence.when.note else ''}"
        )
        self.show()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        if self.occurrence is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        refused = self.drop_state is DropState.REFUSE
        colour = warning_colour(palette) if refused else palette.color(QPalette.ColorRole.Highlight)
        if self.drop_state is not DropState.NONE:
            fill = QColor(colour)
            fill.setAlpha(48)
            painter.fillRect(self.rect(), fill)
        pen = QPen(
            colour
            if self.drop_state is not DropState.NONE
            else palette.color(QPalette.ColorRole.PlaceholderText),
            1.2,
        )
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        text_rect = self.rect().adjusted(7, 0, -3, 0)
        elided = self.fontMetrics().elidedText(
            self.text, Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
        )

    def _set_state(self, state: DropState) -> None:
        if self.drop_state is not state:
            self.drop_state = state
            self.update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if post_id_from(event.mimeData()) is None or self.occurrence is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self._hover(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        self._hover(event)

    def _hover(self, event: QDragMoveEvent) -> None:
        post_id = post_id_from(event.mimeData())
        if post_id is None or self.occurrence is None:
            event.ignore()
            return
        refusal = self._refusal(post_id)
        self._set_state(DropState.REFUSE if refusal else DropState.ACCEPT)
        wall = self.occurrence.when.wall
        answer_hover(
            event, refusal, f"Drop to put the post in the {wall:%H:%M} slot.", self.hovered.emit
        )

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._set_state(DropState.NONE)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_state(DropState.NONE)
        post_id = post_id_from(event.mimeData())
        if post_id is None or self.occurrence is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(post_id, self.occurrence)


class DayCell(QWidget):
    """One of the 42 days. The grid owns the keyboard; cells only take mouse and drops."""

    pressed = Signal(date)
    activated = Signal(date)  # double-click on the day (not on a post): new post that day
    more_requested = Signal(date)
    post_activated = Signal(str)
    post_menu_requested = Signal(str, QPoint)
    post_dropped = Signal(str, date)  # post id, day
    drag_hovered = Signal(str, bool)  # what a drop here would do, or why not; refused?
    drag_abandoned = Signal()  # a drag from one of its chips ended without a drop
    slot_dropped = Signal(str, object)  # post id, the free slot's Occurrence

    def __init__(self, index: int, drop_refusal: Callable[[str, date], str]) -> None:
        super().__init__()
        named(self, f"calendarDay_{index}", "Day")
        self.index = index
        self.day = date.min
        self.in_month = True
        self.is_today = False
        self.is_current = False
        self.grid_focused = False
        self.drop_state = DropState.NONE
        self.posts: tuple[CalendarPost, ...] = ()
        self.total = 0  # the day's posts, shown as chips or not
        self.free: tuple[Occurrence, ...] = ()  # the day's free posting slots
        self._drop_refusal = drop_refusal
        self.setAcceptDrops(True)
        # Room for one line (a chip, a free slot or "+N more") at least; taller cells show more.
        self._line_height = self.fontMetrics().height() + 6
        self.setMinimumSize(96, 30 + self._line_height + LINE_SPACING)
        self._time_text: Callable[[CalendarPost], str] = lambda _post: ""
        self._status_text: StatusText = stored_status
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(4, self.fontMetrics().height() + 8, 4, 3)
        layout.setSpacing(LINE_SPACING)
        # Chips are made when a day first has that many posts (or free slots) to show: 42 empty
        # cells with 16 chips each were most of the cost of opening the Calendar.
        self.chips: list[PostChip] = []
        self.slot_chips: list[SlotChip] = []
        self.more_button = named(QPushButton(""), f"calendarMore_{index}", "More posts")
        self.more_button.setFlat(True)
        self.more_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more_button.setStyleSheet("text-align: left; padding: 0 4px;")
        self.more_button.setFixedHeight(self._line_height)  # one line, as a chip
        self.more_button.clicked.connect(lambda: self.more_requested.emit(self.day))
        self.more_button.hide()
        layout.addWidget(self.more_button)
        layout.addStretch(1)

    def _chips_for(self, count: int) -> list[PostChip]:
        """At least `count` post chips (at most MAX_CHIPS), the missing ones made now."""
        while len(self.chips) < min(count, MAX_CHIPS):
            chip = PostChip(f"calendarPost_{self.index}_{len(self.chips)}")
            chip.activated.connect(self.post_activated)
            chip.menu_requested.connect(self.post_menu_requested)
            chip.drag_abandoned.connect(self.drag_abandoned)
            chip.pressed.connect(lambda: self.pressed.emit(self.day))
            self._add_line(chip)
            self.chips.append(chip)
        return self.chips

    def _slot_chips_for(self, count: int) -> list[SlotChip]:
        """At least `count` free-slot chips (at most MAX_CHIPS), the missing ones made now."""
        while len(self.slot_chips) < min(count, MAX_CHIPS):
            slot_chip = SlotChip(
                f"calendarFreeSlot_{self.index}_{len(self.slot_chips)}",
                lambda post_id: self._drop_refusal(post_id, self.day),
            )
            slot_chip.dropped.connect(self.slot_dropped)
            slot_chip.hovered.connect(self.drag_hovered)
            self._add_line(slot_chip)
            self.slot_chips.append(slot_chip)
        return self.slot_chips

    def _add_line(self, widget: QWidget) -> None:
        widget.hide()  # shown when it gets a post or a slot; _in_time_order places it
        self._layout.insertWidget(self._layout.count() - 1, widget)  # above the stretch

    # --- content ---------------------------------------------------------------------------------

    def show_day(
        self,
        day: date,
        posts: tuple[CalendarPost, ...],
        in_month: bool,
        is_today: bool,
        time_text: Callable[[CalendarPost], str],
        total: int | None = None,
        free: tuple[Occurrence, ...] = (),
        status_text: StatusText = stored_status,
    ) -> None:
        """`posts`: the day's first posts by time (up to MAX_CHIPS); `total`: how many it has
        (None: just these); `free`: its free posting slots; `status_text`: a post's status in
        words."""
        self.day, self.in_month, self.is_today = day, in_month, is_today
        self.posts = posts
        self.free = free
        self.total = len(posts) if total is None else total
        self._time_text, self._status_text = time_text, status_text
        self._lay_out_chips()
        total = self.total
        count = f"{total} post{'s' if total != 1 else ''}" if total else "no posts"
        today = ", today" if is_today else ""
        other = "" if in_month else ", other month"
        self.setAccessibleName(f"{long_day(day)}{today}{other}, {count}")
        self.update()

    def chip_room(self) -> int:
        """How many lines (chips, free slots, "+N more") this cell's height has room for."""
        margins = self._layout.contentsMargins()
        below_number = self.height() - margins.top() - margins.bottom()
        return max(1, (below_number + LINE_SPACING) // (self._line_height + LINE_SPACING))

    def _lay_out_chips(self) -> None:
        posts, room = self.posts, self.chip_room()
        visible = posts if self.total <= room else posts[: min(room - 1, len(posts))]
        for chip, post in zip(self._chips_for(len(visible)), visible, strict=False):
            chip.show_post(post, self._time_text(post), not self.in_month, self._status_text(post))
        for chip in self.chips[len(visible) :]:
            chip.post = None
            chip.hide()
        hidden = self.total - len(visible)
        self.more_button.setVisible(hidden > 0)
        self.more_button.setText(f"+{hidden} more")
        self.more_button.setAccessibleName(f"{hidden} more posts on {long_day(self.day)}")
        left = max(0, room - len(visible) - (1 if hidden else 0))
        shown_free = self.free[: min(left, MAX_CHIPS)]
        for slot_chip, occurrence in zip(
            self._slot_chips_for(len(shown_free)), shown_free, strict=False
        ):
            slot_chip.show_slot(occurrence)
        for slot_chip in self.slot_chips[len(shown_free) :]:
            slot_chip.occurrence = None
            slot_chip.hide()
        self._in_time_order(visible, shown_free, hidden > 0)

    def _in_time_order(
        self, visible: tuple[CalendarPost, ...], free: tuple[Occurrence, ...], more: bool
    ) -> None:
        """Posts and free slots in one time order; "+N more" after them (it stands for later
        posts, so the free slots of a busy day go after it)."""
        lines: list[tuple[tuple[int, datetime], QWidget]] = []
        for chip, post in zip(self.chips, visible, strict=False):
            lines.append(((0, post.wall or datetime.min), chip))
        for slot_chip, occurrence in zip(self.slot_chips, free, strict=False):
            lines.append(((1 if more else 0, occurrence.when.wall), slot_chip))
        lines.sort(key=lambda line: line[0])
        widgets = [w for _key, w in lines if _key[0] == 0]
        widgets += [self.more_button] + [w for _key, w in lines if _key[0] == 1]
        for position, widget in enumerate(widgets):
            if self._layout.indexOf(widget) != position:
                self._layout.insertWidget(position, widget)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.posts or self.free:  # a few chips: laying them out again is cheap
            self._lay_out_chips()

    def set_current(self, current: bool, grid_focused: bool) -> None:
        if (self.is_current, self.grid_focused) != (current, grid_focused):
            self.is_current, self.grid_focused = current, grid_focused
            self.update()

    # --- painting --------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        if not self.in_month:
            base = QColor(palette.color(QPalette.ColorRole.Window))
        painter.fillRect(self.rect(), base)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(QRectF(self.rect()).adjusted(0, 0, -0.5, -0.5))
        self._paint_drop_state(painter)
        self._paint_day_number(painter)
        if self.is_current:
            accent = palette.color(QPalette.ColorRole.Highlight)
            pen = QPen(accent, 2.5 if self.grid_focused else 1.5)
            if not self.grid_focused:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -2, -2))

    def _paint_drop_state(self, painter: QPainter) -> None:
        if self.drop_state is DropState.NONE:
            return
        refused = self.drop_state is DropState.REFUSE
        colour = (
            warning_colour(self.palette())
            if refused
            else self.palette().color(QPalette.ColorRole.Highlight)
        )
        fill = QColor(colour)
        fill.setAlpha(40)
        painter.fillRect(self.rect(), fill)
        pen = QPen(colour, 2.5)
        if refused:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -2, -2))

    def _paint_day_number(self, painter: QPainter) -> None:
        palette = self.palette()
        metrics = self.fontMetrics()
        text = str(self.day.day)
        side = max(metrics.horizontalAdvance("00") + 10, metrics.height() + 4)
        box = QRectF(3, 2, side, metrics.height() + 4)
        font = painter.font()
        if self.is_today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            font.setBold(True)
        elif self.in_month:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
        else:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # --- mouse and drops -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.pressed.emit(self.day)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.activated.emit(self.day)
        event.accept()

    def _set_drop_state(self, state: DropState) -> None:
        if self.drop_state is not state:
            self.drop_state = state
            self.update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        # Accept every post drag on entry so that move and leave events follow; the move event
        # then says whether a drop is possible (the cursor shows it) and lights the cell up.
        if post_id_from(event.mimeData()) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self._hover(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        self._hover(event)

    def _hover(self, event: QDragMoveEvent) -> None:
        post_id = post_id_from(event.mimeData())
        if post_id is None:
            event.ignore()
            return
        refusal = self._drop_refusal(post_id, self.day)
        self._set_drop_state(DropState.REFUSE if refusal else DropState.ACCEPT)
        answer_hover(
            event, refusal, f"Drop to schedule on {long_day(self.day)}.", self.drag_hovered.emit
        )

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._set_drop_state(DropState.NONE)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_drop_state(DropState.NONE)
        post_id = post_id_from(event.mimeData())
        if post_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.post_dropped.emit(post_id, self.day)
