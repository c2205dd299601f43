"""The offer of a link card when an address appears in the post ("Add a link card for
example.com?"), under the composer's text.

Apart from the card's editor (link_card_editor.py) because the offer is there from the composer's
first show, while the editor, and the page reading it brings, are built only when a post takes a
card.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from linkie_desktop.domain.little_text import Link, pieces
from linkie_desktop.domain.post_content import ContentKind, PostContent
from linkie_desktop.ui.widgets.accessible import named


def site_of(url: str) -> str:
    """The address's host as people say it: example.com for https://www.example.com/a."""
    host = urlsplit(url if "://" in url else f"https://{url}").hostname or url
    return host.removeprefix("www.")


def first_address(text: str) -> str | None:
    """The first web address of a post's text, as the feed would link it."""
    if "http" not in text:  # the common case, without reading the text
        return None
    return next((p.url for p in pieces(text) if isinstance(p, Link)), None)


class LinkOffer(QFrame):
    """'Add a link card for example.com?' under the text, with Add and Not now."""

    accepted = Signal(str)  # the address

    def __init__(self) -> None:
        super().__init__()
        named(self, "linkOffer", "Offer of a link card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.question = named(QLabel(), "linkOfferQuestion", "Link card offer")
        self.add_button = named(QPushButton("Add link card"), "linkOfferAdd", "Add the link card")
        self.dismiss_button = named(QPushButton("Not now"), "linkOfferDismiss", "No link card")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.question, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.dismiss_button)
        self._url = ""
        self._declined: set[str] = set()
        self.add_button.clicked.connect(self._accept)
        self.dismiss_button.clicked.connect(self.decline)
        self.hide()

    @property
    def url(self) -> str:
        return self._url if self.isVisible() else ""

    def consider(self, text: str, content: PostContent | None, editing_card: bool) -> None:
        """Offer a card for the text's first address, when the post could take one."""
        url = first_address(text)
        kind = content.kind if content is not None else ContentKind.TEXT
        if url is None or url in self._declined or editing_card or kind is not ContentKind.TEXT:
            self.hide()
            return
        self._url = url
        self.question.setText(f"Add a link card for {site_of(url)}?")
        self.show()

    def reset(self) -> None:
        self._declined.clear()
        self.hide()

    def decline(self) -> None:
        self._declined.add(self._url)
        self.hide()

    def _accept(self) -> None:
        self.hide()
        self.accepted.emit(self._url)
