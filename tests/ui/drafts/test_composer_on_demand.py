"""The composer builds a format's editor the first time it is needed (issue 13): a text post
shows none of them, Add poll / Link card builds its editor, and a post opened with a poll, a link
card, images or a document builds the one it carries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.post_content import Poll
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.attachments_strip import AttachmentsStrip
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.drafts.link_card_editor import LinkCardEditor
from linkie_desktop.ui.drafts.media_cards import MediaCard
from linkie_desktop.ui.drafts.poll_editor import PollEditor
from linkie_desktop.ui.drafts.preview import PostPreview
from linkie_desktop.ui.drafts.tab import OPEN_POST_KEY, DraftsTab
from tests.fakes.image_files import write_png
from tests.fakes.media_files import write_pdf
from tests.fresh_process_support import loaded_after_importing
from tests.ui.drafts.formats_support import saved
from tests.ui.drafts.tab_support import open_post

EDITORS: tuple[type[QWidget], ...] = (AttachmentsStrip, MediaCard, PollEditor, LinkCardEditor)
# What only a format editor, a preview's attachment card or a picker needs: not with the tab.
ON_DEMAND_MODULES = (
    "linkie_desktop.ui.drafts.attachments_strip",
    "linkie_desktop.ui.drafts.media_cards",
    "linkie_desktop.ui.drafts.poll_editor",
    "linkie_desktop.ui.drafts.link_card_editor",
    "linkie_desktop.services.link_preview",
    "linkie_desktop.ui.drafts.image_grid",
    "linkie_desktop.ui.drafts.document_card",
    "linkie_desktop.ui.drafts.preview_pictures",
    "linkie_desktop.ui.widgets.emoji_picker",
    "linkie_desktop.ui.drafts.preview",  # built on the event loop's next turn
    "linkie_desktop.ui.drafts.composer",  # built on its own turn, once the list is on screen
    "linkie_desktop.ui.drafts.writing_aids",
)


def built(composer: Composer) -> dict[str, int]:
    """How many of each format editor exist under the composer (found the way Qt finds them,
    not through the composer's properties, which build what they are asked for)."""
    return {kind.__name__: len(composer.findChildren(kind)) for kind in EDITORS}


def only(**kinds: int) -> dict[str, int]:
    return {kind.__name__: kinds.get(kind.__name__, 0) for kind in EDITORS}


def test_a_text_post_builds_no_format_editor(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Words", "Only words, and a https://example.com address")
    tab = make_tab()
    assert built(tab.composer) == only()  # the new, empty post shown at first
    open_post(qtbot, tab, post.id)
    QTest.keyClicks(tab.composer.body_edit, " more")
    saved(qtbot, tab)
    assert tab.composer.link_offer.isVisible()  # the offer needs no editor
    assert built(tab.composer) == only()


def test_add_poll_builds_the_poll_editor_which_then_saves_the_poll(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Poll", "Which one?")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    composer = tab.composer
    composer.add_poll_button.click()
    assert built(composer) == only(PollEditor=1)
    poll = composer.poll_editor
    assert poll.isVisible() and poll.question.hasFocus()
    QTest.keyClicks(poll.question, "Tabs or spaces?")
    QTest.keyClicks(poll.options[0], "Tabs")
    QTest.keyClicks(poll.options[1], "Spaces")
    saved(qtbot, tab)
    assert service.content(post.id).poll == Poll("Tabs or spaces?", ("Tabs", "Spaces"), 7)
    # In the Tab order once built: from the last Add button to the poll's own fields.
    composer.add_link_button.setFocus(Qt.FocusReason.OtherFocusReason)
    assert composer.add_link_button.nextInFocusChain() is poll.remove_button


def test_a_post_opened_with_a_poll_builds_only_the_poll_editor(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Poll", "Vote")
    service.set_poll(post.id, Poll("Coffee or tea?", ("Coffee", "Tea"), 3))
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    composer = tab.composer
    assert built(composer) == only(PollEditor=1)
    assert composer.poll_editor.isVisible()
    assert composer.poll_editor.question.text() == "Coffee or tea?"


def test_posts_opened_with_a_link_card_images_or_a_document_build_their_editors(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, tmp_path: Path
) -> None:
    linked = service.create_draft("Link", "Read this")
    service.set_link_card(linked.id, "https://example.com/a", "A page", None)
    pictured = service.create_draft("Images", "Look")
    service.attach_images(pictured.id, [write_png(tmp_path / "one.png", width=40)])
    documented = service.create_draft("Document", "Slides")
    service.set_document(documented.id, write_pdf(tmp_path / "deck.pdf", pages=2), "Deck")
    tab = make_tab()
    composer = tab.composer

    open_post(qtbot, tab, linked.id)
    assert built(composer) == only(LinkCardEditor=1)
    assert composer.link_editor.isVisible()
    assert composer.link_editor.title_edit.text() == "A page"

    open_post(qtbot, tab, pictured.id)
    assert built(composer) == only(LinkCardEditor=1, AttachmentsStrip=1)
    assert not composer.link_editor.isVisible()  # built once, it hides for another format
    assert composer.strip.isVisible() and len(composer.strip.tiles) == 1

    open_post(qtbot, tab, documented.id)
    assert built(composer) == only(LinkCardEditor=1, AttachmentsStrip=1, MediaCard=1)
    assert composer.document_card.isVisible() and not composer.strip.isVisible()
    assert composer.document_card.title_edit.text() == "Deck"


def test_the_drafts_tab_module_loads_none_of_the_on_demand_modules() -> None:
    loaded = loaded_after_importing(["linkie_desktop.ui.drafts.tab"])
    assert "linkie_desktop.ui.drafts.post_list" in loaded  # the child really imported the tab
    assert loaded.isdisjoint(ON_DEMAND_MODULES), sorted(loaded & set(ON_DEMAND_MODULES))


def test_the_preview_is_built_once_the_event_loop_runs_and_shows_what_is_on_screen(
    qtbot: QtBot, workspace: Workspace, signals: AppSignals
) -> None:
    tab = DraftsTab(workspace, signals)
    qtbot.addWidget(tab)
    composer = tab.composer
    assert composer.findChild(PostPreview) is None  # not while the tab is being built
    composer.body_edit.setPlainText("Typed before the preview was there")
    tab.show()
    qtbot.waitUntil(lambda: composer.findChild(PostPreview) is not None, timeout=5000)
    preview = composer.findChild(PostPreview)
    assert preview is composer.preview and preview.isVisibleTo(tab)
    assert preview.shown_text() == "Typed before the preview was there"
    assert preview.name_label.text() == "You"  # no LinkedIn account: the post is still yours
    composer.body_edit.setPlainText("And after")
    assert preview.shown_text() == "And after"
    tab.shutdown()


def test_the_composer_is_built_a_turn_after_the_list_and_reopens_the_last_post(
    qtbot: QtBot, workspace: Workspace, signals: AppSignals, service: PostService, tmp_path: Path
) -> None:
    post = service.create_draft("Kept", "The post open when Linkie closed")
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    state.setValue(OPEN_POST_KEY, post.id)
    tab = DraftsTab(workspace, signals, window_state=state)
    qtbot.addWidget(tab)
    # The list, its toolbar and actions are there; the composer's side holds an empty slot.
    assert tab.findChild(Composer) is None
    assert tab.splitter.count() == 2 and not isinstance(tab.splitter.widget(1), Composer)
    assert not tab.schedule_action.isEnabled()  # no post in hand yet
    tab.show()
    qtbot.waitUntil(lambda: tab.findChild(Composer) is not None, timeout=5000)
    composer = tab.findChild(Composer)
    assert tab.splitter.widget(1) is composer and composer is tab.composer
    qtbot.waitUntil(lambda: composer.post_id == post.id, timeout=5000)
    assert composer.body_edit.toPlainText() == "The post open when Linkie closed"
    assert tab.delete_action.isEnabled()  # the actions follow the composer's post
    tab.shutdown()


def test_anything_that_needs_the_composer_before_its_turn_builds_it_at_once(
    qtbot: QtBot, workspace: Workspace, signals: AppSignals, service: PostService
) -> None:
    post = service.create_draft("Asked", "Opened from the Calendar")
    tab = DraftsTab(workspace, signals)
    qtbot.addWidget(tab)
    tab.open_post(post.id)  # e.g. the Calendar's Edit in Drafts, right after the tab was built
    composer = tab.findChild(Composer)
    assert composer is not None and tab.splitter.widget(1) is composer
    qtbot.waitUntil(lambda: composer.post_id == post.id, timeout=5000)
    qtbot.wait(50)  # its own turn comes, and builds nothing more
    assert len(tab.findChildren(Composer)) == 1
    assert tab.shutdown()


def test_a_tab_whose_window_closed_before_the_composers_turn_builds_nothing(
    qtbot: QtBot, workspace: Workspace, signals: AppSignals
) -> None:
    tab = DraftsTab(workspace, signals)
    qtbot.addWidget(tab)
    tab.tasks.close()  # the shell's shut-down: its runner takes no more work
    assert tab.tasks.closed
    qtbot.wait(100)  # the composer's turn, and the preview's, come and go
    assert tab.findChild(Composer) is None
    assert tab.shutdown()
