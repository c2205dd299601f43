"""Link cards in the composer: offered when an address appears in the text, filled from the page
(the page server on 127.0.0.1), edited, saved with its picture; a page that cannot be read is said
in plain words."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.fakes.web_pages import OG_DESCRIPTION, OG_TITLE, WebPages
from tests.ui.drafts.attach_support import WAIT_MS
from tests.ui.drafts.formats_support import OpenDraft, saved
from tests.ui.drafts.tab_support import open_post, settle


@pytest.fixture
def pages() -> Iterator[WebPages]:
    server = WebPages().start()
    yield server
    server.stop()


@pytest.fixture
def draft(qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService) -> OpenDraft:
    post = service.create_draft("Reading", "")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    return OpenDraft(tab, post, service)


def _paste(draft: OpenDraft, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    draft.composer.body_edit.setFocus()
    QTest.keyClick(draft.composer.body_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_a_pasted_address_offers_a_card_filled_from_the_page_and_saved(
    qtbot: QtBot, draft: OpenDraft, pages: WebPages
) -> None:
    composer = draft.composer
    address = pages.url("/articles/og")
    _paste(draft, f"Worth a read: {address}")

    offer = composer.link_offer
    assert offer.isVisible()
    assert offer.question.text() == "Add a link card for 127.0.0.1?"
    offer.add_button.click()
    editor = composer.link_editor
    assert editor.isVisible() and not offer.isVisible()
    qtbot.waitUntil(lambda: editor.title_edit.text() == OG_TITLE, timeout=WAIT_MS)
    assert editor.description_edit.text() == OG_DESCRIPTION
    settle(qtbot, draft.tab)
    link = draft.stored().link
    assert link is not None
    assert (link.url, link.title, link.description) == (address, OG_TITLE, OG_DESCRIPTION)
    # Its picture is on another host (cdn.example.test), which this machine cannot reach.
    qtbot.waitUntil(lambda: editor.state.text().startswith("The card goes without a picture"))
    assert draft.stored().link == link

    editor.title_edit.selectAll()
    QTest.keyClicks(editor.title_edit, "Small releases")
    QTest.keyClicks(editor.description_edit, " Edited.")
    saved(qtbot, draft.tab)
    link = draft.stored().link
    assert link is not None
    assert (link.title, link.description) == ("Small releases", OG_DESCRIPTION + " Edited.")


def test_the_pages_picture_becomes_the_cards_thumbnail(
    qtbot: QtBot, draft: OpenDraft, pages: WebPages
) -> None:
    composer = draft.composer
    composer.add_link_button.click()
    editor = composer.link_editor
    editor.url_edit.setText(pages.url("/articles/deep/relative"))
    QTest.keyClick(editor.url_edit, Qt.Key.Key_Return)

    def has_thumbnail() -> bool:
        link = draft.stored().link
        return link is not None and link.thumbnail_path is not None

    qtbot.waitUntil(lambda: composer.settled and has_thumbnail(), timeout=WAIT_MS)
    link = draft.stored().link
    assert link is not None and link.thumbnail_path is not None
    assert link.title == "A card with a relative image"
    copy = draft.service.media_path(link.thumbnail_path)
    assert copy.is_file()
    qtbot.waitUntil(lambda: not editor.thumbnail.pixmap().isNull(), timeout=WAIT_MS)
    assert pages.visited("/articles/images/card.png")

    editor.remove_thumbnail_button.click()
    settle(qtbot, draft.tab)
    link = draft.stored().link
    assert link is not None and link.thumbnail_path is None
    assert not copy.exists()
    editor.remove_button.click()
    settle(qtbot, draft.tab)
    assert draft.stored().link is None
    assert not editor.isVisible()
    # Gone, the text's address is offered again.
    _paste(draft, pages.url("/articles/plain"))
    assert composer.link_offer.isVisible()


def test_a_page_that_cannot_be_read_is_said_and_the_card_can_be_typed(
    qtbot: QtBot, draft: OpenDraft, pages: WebPages
) -> None:
    composer = draft.composer
    _paste(draft, pages.url("/missing"))
    composer.link_offer.add_button.click()
    editor = composer.link_editor
    qtbot.waitUntil(lambda: "You can type the card's title yourself" in editor.state.text())
    assert editor.state.text().startswith("That page")
    settle(qtbot, draft.tab)
    assert draft.stored().link is None  # no title yet: no card LinkedIn takes

    QTest.keyClicks(editor.title_edit, "Typed by hand")
    saved(qtbot, draft.tab)
    link = draft.stored().link
    assert link is not None and (link.url, link.title) == (pages.url("/missing"), "Typed by hand")


def test_not_now_stops_the_offer_for_that_address(
    qtbot: QtBot, draft: OpenDraft, pages: WebPages
) -> None:
    composer = draft.composer
    _paste(draft, pages.url("/articles/og"))
    composer.link_offer.dismiss_button.click()
    QTest.keyClicks(composer.body_edit, " more words")
    assert not composer.link_offer.isVisible()
    settle(qtbot, draft.tab)
    assert draft.stored().link is None
    assert pages.visited("/articles/og") == []  # nothing was fetched
