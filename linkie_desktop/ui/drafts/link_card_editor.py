"""The composer's link card editor (address, title, description, thumbnail); the offer of a card
when an address appears in the post is link_offer.py.

LinkedIn does not read the page for posts made through its API, so the card shows what Linkie
sends. Accepting the offer (or pressing Enter in the card's address) reads the page's own metadata
on the task runner's network pool (services/link_preview.py: its deadline and size caps), fills
the card, and saves it; its image goes through `download_thumbnail` and then `set_link_thumbnail`
(a copy in the media folder). Everything stays editable, and is saved as it is typed once the card
has an address and a title. A page that cannot be read is said in plain words: the card can still
be typed by hand.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from linkie_desktop.domain.post_content import (
    MAX_MEDIA_TITLE_CHARS,
    LinkCard,
    PostContent,
    validate_link_card,
)
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.link_preview import (
    MAX_DESCRIPTION_CHARS,
    LinkPreview,
    download_thumbnail,
    fetch_link_card,
)
from linkie_desktop.services.posts import PostRecord, PostService
from linkie_desktop.ui.drafts.content_changes import ChangeSink, ContentChange
from linkie_desktop.ui.drafts.link_offer import site_of
from linkie_desktop.ui.drafts.thumbnails import decode_image
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour

LINK_KEY = "link"
THUMBNAIL_KEY = "link-thumbnail"
THUMBNAIL_PX = 96


@dataclass(frozen=True)
class _Fetched:
    preview: LinkPreview | None
    refusal: str = ""


def _fetch(url: str) -> _Fetched:
    """On the network pool: the page's card; a page that cannot be read is an answer."""
    try:
        return _Fetched(fetch_link_card(url))
    except ValidationError as exc:  # LinkPreviewError: plain words already
        return _Fetched(None, str(exc))


@dataclass(frozen=True)
class _Downloaded:
    path: Path | None
    refusal: str = ""


def _download(image_url: str) -> _Downloaded:
    """On the network pool: the card's image in a private folder of its own, for the database
    step to copy into the media folder (and remove)."""
    folder = Path(tempfile.mkdtemp(prefix="linkie-card-"))
    try:
        return _Downloaded(download_thumbnail(image_url, folder))
    except ValidationError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return _Downloaded(None, str(exc))


def _set_thumbnail_once(downloaded: Path) -> Callable[[PostService, str], PostRecord]:
    def call(service: PostService, post_id: str) -> PostRecord:
        try:
            return service.set_link_thumbnail(post_id, downloaded)
        finally:  # copied, or refused: the download is not needed either way
            shutil.rmtree(downloaded.parent, ignore_errors=True)

    return call


class LinkCardEditor(QFrame):
    """The post's link card; hidden while it has none."""

    def __init__(
        self, sink: ChangeSink, tasks: TaskRunner, media_path: Callable[[str], Path]
    ) -> None:
        super().__init__()
        named(self, "linkCardEditor", "Link card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._sink = sink
        self._tasks = tasks
        self._media_path = media_path
        self._saved = False  # the card shown is stored, or on its way to be
        self._editable = True
        self._thumbnail_of: str | None = None
        self._fetch_key = object()

        self.url_edit = named(QLineEdit(), "linkUrl", "Link address")
        self.url_edit.setPlaceholderText("https://… (Enter reads the page's title and picture)")
        self.fetch_button = named(
            QPushButton("Fill from page"), "linkFetch", "Fill the card from the page"
        )
        self.title_edit = named(QLineEdit(), "linkTitle", "Link card title")
        self.title_edit.setMaxLength(MAX_MEDIA_TITLE_CHARS)
        self.title_edit.setPlaceholderText("Title (required: LinkedIn shows it under the link)")
        self.description_edit = named(QLineEdit(), "linkDescription", "Link card description")
        self.description_edit.setMaxLength(MAX_DESCRIPTION_CHARS)
        self.description_edit.setPlaceholderText("Description (optional)")
        self.thumbnail = named(QLabel(), "linkThumbnail", "Link card picture")
        self.thumbnail.setFixedSize(THUMBNAIL_PX, THUMBNAIL_PX * 2 // 3)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setFrameShape(QFrame.Shape.Box)
        self.remove_thumbnail_button = named(
            QPushButton("Remove picture"), "linkRemoveThumbnail", "Remove the card's picture"
        )
        self.remove_button = named(
            QPushButton("Remove link card"), "linkRemove", "Remove the link card"
        )
        self.state = named(QLabel(), "linkState", "Link card state")
        self.state.setWordWrap(True)

        heading = QHBoxLayout()
        heading.addWidget(QLabel("<b>Link card</b>"))
        heading.addStretch(1)
        heading.addWidget(self.remove_button)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.fetch_button)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        for text, field, row in (
            ("&Address:", self.url_edit, url_row),
            ("&Title:", self.title_edit, self.title_edit),
            ("&Description:", self.description_edit, self.description_edit),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, row)
        picture_row = QHBoxLayout()
        picture_row.addWidget(self.thumbnail)
        picture_row.addWidget(self.remove_thumbnail_button, 0, Qt.AlignmentFlag.AlignBottom)
        picture_row.addStretch(1)
        form.addRow("Picture:", picture_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(heading)
        layout.addLayout(form)
        layout.addWidget(self.state)

        self.url_edit.returnPressed.connect(lambda: self.fill_from(self.url_edit.text()))
        self.fetch_button.clicked.connect(lambda: self.fill_from(self.url_edit.text()))
        for edit in (self.url_edit, self.title_edit, self.description_edit):
            edit.textEdited.connect(self._edited)
        self.remove_thumbnail_button.clicked.connect(self.remove_thumbnail)
        self.remove_button.clicked.connect(self.remove)
        self.hide()

    # --- what is shown -----------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self.isVisible()

    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        self._editable = editable
        link = content.link
        if LINK_KEY not in waiting:
            if link is not None:
                self._show_card(link)
                self.show()
            elif self.isVisible() and self._saved:
                self.hide()
        if THUMBNAIL_KEY not in waiting:
            self._show_thumbnail(link.thumbnail_path if link is not None else None)
        for edit in (self.url_edit, self.title_edit, self.description_edit):
            edit.setReadOnly(not editable)
        self.fetch_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.remove_thumbnail_button.setEnabled(
            editable and link is not None and bool(link.thumbnail_path)
        )

    def _show_card(self, link: LinkCard) -> None:
        for edit, text in (
            (self.url_edit, link.url),
            (self.title_edit, link.title),
            (self.description_edit, link.description or ""),
        ):
            if edit.text() != text:
                edit.setText(text)
        self._saved = True

    def _show_thumbnail(self, stored: str | None) -> None:
        if stored == self._thumbnail_of:
            return
        self._thumbnail_of = stored
        self.thumbnail.clear()
        self.thumbnail.setText("No picture")
        self.thumbnail.setStyleSheet(f"color: {muted_colour(self.palette()).name()};")
        if stored is None:
            return
        path = self._media_path(stored)

        def decoded(image: QImage) -> None:
            if self._thumbnail_of != stored:
                return
            if image.isNull():
                self.thumbnail.setText("?")
            else:
                self.thumbnail.setPixmap(QPixmap.fromImage(image))

        self._tasks.run_network(lambda: decode_image(path, THUMBNAIL_PX), decoded, owner=self)

    def reset(self) -> None:
        """Another post is shown: forget a card being filled in that was never stored."""
        self._saved = False
        self._fetch_key = object()  # an answer still on its way is for the other post
        self.state.setText("")
        self.hide()

    def start(self, url: str = "") -> None:
        """Add link card (from the offer, with its address): show the editor and read the page."""
        if not self._saved:
            for edit in (self.url_edit, self.title_edit, self.description_edit):
                edit.clear()
        self.show()
        if url:
            self.url_edit.setText(url)
            self.fill_from(url)
        else:
            self.url_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self._say("Paste the page's address and press Enter to fill the card from it.")

    # --- reading the page ----------------------------------------------------------------------

    def fill_from(self, url: str) -> None:
        if not url.strip() or not self._editable:
            return
        self._say(f"Reading {site_of(url.strip())}…")
        key = self._fetch_key
        self._tasks.run_network(
            lambda: _fetch(url), lambda fetched: self._fetched(fetched, key), owner=self
        )

    def _fetched(self, fetched: _Fetched, key: object) -> None:
        if key is not self._fetch_key:
            return
        preview = fetched.preview
        if preview is None:
            self._say(f"{fetched.refusal} You can type the card's title yourself.", warning=True)
            return
        self.url_edit.setText(preview.url)
        self.title_edit.setText(preview.title)
        self.description_edit.setText(preview.description)
        self._say("")
        if not self._save_card(at_once=True):
            return
        if preview.image_url:
            self._say("Getting the page's picture…")
            image_url = preview.image_url
            self._tasks.run_network(
                lambda: _download(image_url),
                lambda downloaded: self._downloaded(downloaded, key),
                owner=self,
            )

    def _downloaded(self, downloaded: _Downloaded, key: object) -> None:
        path = downloaded.path
        if path is None:
            self._say(f"The card goes without a picture: {downloaded.refusal}", warning=True)
            return
        if key is not self._fetch_key:
            shutil.rmtree(path.parent, ignore_errors=True)
            return
        self._say("")
        change = ContentChange(THUMBNAIL_KEY, _set_thumbnail_once(path), self._thumbnail_saved)
        if not self._sink.change(change, at_once=True):
            shutil.rmtree(path.parent, ignore_errors=True)

    def _thumbnail_saved(self, refusal: str) -> None:
        if refusal:
            self._say(f"The card goes without a picture: {refusal}", warning=True)

    # --- editing -----------------------------------------------------------------------------

    def _edited(self, _text: str = "") -> None:
        self._save_card(at_once=False)

    def _save_card(self, *, at_once: bool) -> bool:
        url, title = self.url_edit.text().strip(), self.title_edit.text()
        description = self.description_edit.text() or None
        try:
            validate_link_card(url, title, description)
        except ValidationError as exc:
            self._say(f"Not saved yet: {exc}", warning=True)
            return False
        if not self.state.text().startswith(("Reading", "Getting")):
            self._say("")
        self._saved = True
        return self._sink.change(
            ContentChange(
                LINK_KEY,
                lambda service, post_id: service.set_link_card(post_id, url, title, description),
            ),
            at_once=at_once,
        )

    def remove_thumbnail(self) -> None:
        self._sink.change(
            ContentChange(
                THUMBNAIL_KEY, lambda service, post_id: service.set_link_thumbnail(post_id, None)
            ),
            at_once=True,
        )

    def remove(self) -> None:
        self._fetch_key = object()
        self.hide()
        if not self._saved:
            return
        self._saved = False
        self._sink.change(
            ContentChange(LINK_KEY, lambda service, post_id: service.remove_link_card(post_id)),
            at_once=True,
        )

    def _say(self, text: str, *, warning: bool = False) -> None:
        colour = warning_colour(self.palette()) if warning else muted_colour(self.palette())
        self.state.setStyleSheet(f"color: {colour.name()};")
        self.state.setText(text)
        self.state.setVisible(bool(text))
