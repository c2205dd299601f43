"""Pieces the Dashboard and Analytics tabs share: figure cards, section headings, named timers.

A figure card is one big number (or short value) over a caption. A card that leads somewhere is a
button, so keyboard users reach it with Tab and press it with Space like any other button; it is
drawn as the other cards are (the style's panel frame), not as a raised push button, with the
accent around it while hovered or focused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.palette import ACCENT


def heading(text: str, key: str, scale: float = 1.1) -> QLabel:
    """A bold section title, a little larger than the text under it."""
    label = QLabel(text)
    label.setObjectName(key)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def named_timer(
    parent: QObject,
    name: str,
    interval_ms: int,
    slot: Callable[[], None],
    *,
    single_shot: bool = False,
) -> QTimer:
    """A timer with a name, so tests and debugging can find it (and know what it is for)."""
    timer = QTimer(parent)
    timer.setObjectName(name)
    timer.setInterval(interval_ms)
    timer.setSingleShot(single_shot)
    timer.timeout.connect(slot)
    return timer


class _CardBody(QWidget):
    """The value and caption labels both card kinds show."""

    def __init__(self, key: str, caption: str, parent: QWidget) -> None:
        super().__init__(parent)
        # Clicks go to the card itself (a button, for ActionCard).
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.value_label = QLabel("–")
        self.value_label.setObjectName(f"{key}Value")
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 2.0)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName(f"{key}Caption")
        self.caption_label.setWordWrap(True)
        self.caption_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.M, Space.L, Space.M)
        layout.setSpacing(Space.XS)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)


def _card_layout(card: QWidget, body: _CardBody) -> None:
    # Preferred height: cards in a row grow to the tallest one, so the row lines up.
    card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(body)


def _show(card: QWidget, body: _CardBody, value: str, caption: str | None, tooltip: str) -> None:
    body.value_label.setText(value)
    if caption is not None:
        body.caption_label.setText(caption)
    card.setToolTip(tooltip)
    card.setAccessibleName(f"{body.caption_label.text()}: {value}")


class FigureCard(QFrame):
    """A framed value with its caption."""

    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{key}Card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.body = _CardBody(key, caption, self)
        _card_layout(self, self.body)
        self.setAccessibleName(caption)

    def set_value(self, value: str, caption: str | None = None, tooltip: str = "") -> None:
        """New text; the accessible name follows, so screen readers say the new figure."""
        _show(self, self.body, value, caption, tooltip)

    def value(self) -> str:
        return self.body.value_label.text()


class ActionCard(QPushButton):
    """A figure card that is also a button (e.g. failed posts -> the Drafts tab, filtered)."""

    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{key}Card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.body = _CardBody(key, caption, self)
        _card_layout(self, self.body)
        self.setMinimumHeight(self.body.sizeHint().height())
        self.setAccessibleName(caption)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The frame a FigureCard's QFrame draws, plus the accent when hovered or focused."""
        # Imported at the first paint, not with the tab: PySide6 builds QStyle's Python type,
        # ~860 enum members and ~9 ms, when it is first touched.
        from PySide6.QtWidgets import QStyle, QStyleOptionFrame

        painter = QPainter(self)
        option = QStyleOptionFrame()
        option.initFrom(self)
        option.frameShape = QFrame.Shape.StyledPanel
        option.lineWidth = 1
        option.midLineWidth = 0
        # A plain frame, as the other cards' (QFrame's default shadow is Plain, not Sunken).
        option.state &= ~(QStyle.StateFlag.State_Sunken | QStyle.StateFlag.State_Raised)
        self.style().drawControl(QStyle.ControlElement.CE_ShapedFrame, option, painter, self)
        focused = self.hasFocus()
        if focused or self.underMouse() or self.isDown():
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            width = 2.0 if focused else 1.0
            painter.setPen(QPen(QColor(ACCENT), width))
            inset = width / 2
            painter.drawRoundedRect(
                QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 3, 3
            )

    def set_value(self, value: str, caption: str | None = None, tooltip: str = "") -> None:
        _show(self, self.body, value, caption, tooltip)

    def value(self) -> str:
        return self.body.value_label.text()
