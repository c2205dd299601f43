"""The colour key of the calendar's post statuses, with the same symbols as the chips."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QWidget

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.ui.calendar.day_cell import STATUS_MARKS
from linkie_desktop.ui.widgets.palette import status_colour, status_label

LEGEND_STATUSES = (
    PostStatus.SCHEDULED,
    PostStatus.PUBLISHING,
    PostStatus.PUBLISHED,
    PostStatus.FAILED,
)


class _Swatch(QWidget):
    def __init__(self, status: str) -> None:
        super().__init__()
        self.status = status
        self.text = f"{STATUS_MARKS.get(status, '')}{status_label(status)}"
        self.setObjectName(f"calendarLegend_{status}")
        self.setAccessibleName(f"{status_label(status)} posts are shown in this colour")

    def sizeHint(self) -> QSize:  # noqa: N802
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self.text) + 22, metrics.height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - never squeezed into "Sche…"
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        size = self.fontMetrics().height() - 4
        top = (self.height() - size) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_colour(self.status, self.palette()))
        painter.drawRoundedRect(QRectF(0, top, size, size), 2, 2)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(
            self.rect().adjusted(size + 6, 0, 0, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self.text,
        )


class StatusLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarLegend")
        self.setAccessibleName("Colour key")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for status in LEGEND_STATUSES:
            layout.addWidget(_Swatch(status))
