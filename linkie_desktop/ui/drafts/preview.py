"""A LinkedIn-style preview of the post, marking where the feed folds it behind "…see more"."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from linkie_desktop.domain.fold import split_at_fold
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour

SEE_MORE = "…see more"


def _as_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def preview_html(text: str, palette: QPalette | None = None) -> str:
    """The feed's view: visible text, the "…see more" marker, then the folded rest greyed out."""
    shown, hidden = split_at_fold(text)
    if not text.strip():
        muted = muted_colour(palette).name()
        return (
            f'<span style="color:{muted}">Your post will appear here as LinkedIn shows it.</span>'
        )
    if not hidden:
        return _as_html(shown)
    muted = muted_colour(palette).name()
    return (
        f"{_as_html(shown.rstrip())}"
        f'<span style="color:{muted}"><b> {SEE_MORE}</b></span>'
        f'<div style="color:{muted}; margin-top:8px">'
        f"<i>Hidden until “see more” is clicked:</i><br>{_as_html(hidden.lstrip())}</div>"
    )


class PostPreview(QFrame):
    """Looks like a feed card: a header line, then the text with its fold."""

    def __init__(self) -> None:
        super().__init__()
        named(self, "composerPreview", "Preview as LinkedIn shows it")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        header = QLabel("<b>You</b> · now")
        header.setObjectName("previewHeader")
        header.setTextFormat(Qt.TextFormat.RichText)
        self._body = QLabel()
        self._body.setObjectName("previewBody")
        self._body.setAccessibleName("Preview text")
        self._body.setWordWrap(True)
        self._body.setTextFormat(Qt.TextFormat.RichText)
        self._body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(header)
        layout.addWidget(self._body, 1)
        self._text = ""
        self.show_text("")

    def show_text(self, text: str) -> None:
        self._text = text
        self._body.setText(preview_html(text, self.palette()))

    def body_html(self) -> str:
        return self._body.text()
