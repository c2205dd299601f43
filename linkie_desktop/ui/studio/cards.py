"""A variation as a card: the text folded where LinkedIn's desktop feed folds it (measured in the
feed's font, as the composer's preview measures it), its length, actions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.fold import DESKTOP, SEE_MORE
from linkie_desktop.domain.posts import MAX_CONTENT_CHARS
from linkie_desktop.ui.icons import themed_icon
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.feed_text import css_colour, read_feed_text, see_more_html, text_html
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour

__all__ = ["SEE_MORE", "VariationCard", "count_text"]


def count_text(text: str) -> str:
    return f"{len(text):,} / {MAX_CONTENT_CHARS:,} characters"


class VariationCard(QFrame):
    """Shows the feed's view of one variation; "Show all" unfolds it."""

    use_requested = Signal(str)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._built = False  # palette changes while building come before there is text to draw
        number = index + 1
        named(self, f"variationCard{number}", f"Variation {number}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.text = ""

        title = QLabel(f"<b>Variation {number}</b>")
        title.setObjectName(f"variationTitle{number}")
        self.count_label = named(QLabel(), f"variationCount{number}", "Character count")
        self.body = named(QLabel(), f"variationBody{number}", f"Text of variation {number}")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.unfold_button = named(QToolButton(), f"variationUnfold{number}", "Show the whole text")
        self.unfold_button.setText("Show all")
        self.unfold_button.setCheckable(True)
        self.unfold_button.toggled.connect(self._render)
        self.use_button = named(
            QPushButton("Use as draft"),
            f"useAsDraft{number}",
            f"Use variation {number} as a draft",
            "Create a draft with this text (and the selected image) and open it in Drafts",
        )
        self.use_button.clicked.connect(lambda: self.use_requested.emit(self.text))
        self.copy_button = named(
            QPushButton("Copy"), f"copyVariation{number}", f"Copy variation {number}"
        )
        self.copy_button.clicked.connect(self._copy)
        self.use_button.setIcon(themed_icon("document-new"))
        self.copy_button.setIcon(themed_icon("edit-copy"))

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.unfold_button)
        actions.addStretch(1)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.body, 1)
        layout.addLayout(actions)
        self._built = True

    def set_text(self, text: str) -> None:
        self.text = text
        self.unfold_button.setChecked(False)
        self._render()

    def _render(self) -> None:
        feed = read_feed_text(self.text, DESKTOP)
        palette = self.palette()
        self.unfold_button.setVisible(feed.folded)
        muted = css_colour(muted_colour(palette))
        whole = len(feed.reader)
        if not feed.folded:
            markup = text_html(feed, 0, whole, palette)
        elif self.unfold_button.isChecked():
            cut = feed.cut or 0
            hidden = f"<span style='color:{muted}'>{text_html(feed, cut, whole, palette)}</span>"
            markup = text_html(feed, 0, cut, palette) + hidden
        else:
            markup = text_html(feed, 0, feed.cut or 0, palette) + see_more_html(palette)
        # The card is narrower than the feed: its own wrapping, the feed's line breaks and spaces.
        self.body.setText(f"<div style='white-space:pre-wrap'>{markup}</div>")
        self.unfold_button.setText("Show less" if self.unfold_button.isChecked() else "Show all")
        over = len(self.text) > MAX_CONTENT_CHARS
        colour = css_colour(warning_colour(palette)) if over else muted
        self.count_label.setStyleSheet(f"color: {colour};")
        self.count_label.setText(count_text(self.text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._built:
            self._render()  # its colours (LinkedIn's blue, muted) follow a light/dark switch

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)
