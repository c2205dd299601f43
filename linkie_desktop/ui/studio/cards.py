"""A variation as a card: the text folded where the LinkedIn feed folds it, its length, actions."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.fold import split_at_fold
from linkie_desktop.domain.posts import MAX_CONTENT_CHARS
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour

SEE_MORE = "…see more"


def _as_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _css(colour: QColor) -> str:
    # name() drops alpha, and the placeholder grey is often black at half opacity.
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {colour.alpha()})"


def count_text(text: str) -> str:
    return f"{len(text):,} / {MAX_CONTENT_CHARS:,} characters"


class VariationCard(QFrame):
    """Shows the feed's view of one variation; "Show all" unfolds it."""

    use_requested = Signal(str)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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

    def set_text(self, text: str) -> None:
        self.text = text
        self.unfold_button.setChecked(False)
        self._render()

    def _render(self) -> None:
        shown, hidden = split_at_fold(self.text)
        self.unfold_button.setVisible(bool(hidden))
        muted = _css(muted_colour(self.palette()))
        if not hidden:
            markup = _as_html(shown)
        elif self.unfold_button.isChecked():
            markup = f"{_as_html(shown)}<span style='color:{muted}'>{_as_html(hidden)}</span>"
        else:
            markup = (
                f"{_as_html(shown.rstrip())}<span style='color:{muted}'><b> {SEE_MORE}</b></span>"
            )
        self.body.setText(markup)
        self.unfold_button.setText("Show less" if self.unfold_button.isChecked() else "Show all")
        over = len(self.text) > MAX_CONTENT_CHARS
        colour = _css(warning_colour(self.palette())) if over else muted
        self.count_label.setStyleSheet(f"color: {colour};")
        self.count_label.setText(count_text(self.text))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text)
