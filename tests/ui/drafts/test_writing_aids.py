"""Writing aids on a real QPlainTextEdit: Unicode styles from the keyboard and the menu (one undo
step each), the note on styled characters, snippets from the menu, their shortcuts and the
chooser, emoji, and spell checking with pyspellchecker's real dictionaries (underlines,
suggestions, add to dictionary, ignore, the language)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.unicode_styles import Style, styled
from linkie_desktop.services.posts import PostRecord, PostService
from linkie_desktop.services.snippets import Snippet, SnippetStore
from linkie_desktop.services.spelling import UserWords
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.drafts.writing_aids import OFF, WritingAids
from linkie_desktop.ui.tasks import TaskRunner

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "appdata"


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.close()


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    host = QWidget()
    qtbot.addWidget(host)
    return host


def make_aids(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path, text: str = ""
) -> WritingAids:
    editor = QPlainTextEdit()
    editor.setPlainText(text)
    aids = WritingAids.attach(editor, window, tasks=tasks, data_dir=data_dir, locale_name="en_US")
    layout = QVBoxLayout(window)
    layout.addWidget(aids.bar)
    layout.addWidget(editor)
    window.resize(700, 300)
    window.show()
    window.activateWindow()  # keyboard shortcuts work in the active window only
    qtbot.waitUntil(window.isActiveWindow)
    editor.setFocus()
    qtbot.waitUntil(lambda: aids.language != "", timeout=10_000)
    return aids


@pytest.fixture
def aids(qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path) -> WritingAids:
    return make_aids(qtbot, window, tasks, data_dir)


def select(editor: QPlainTextEdit, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def select_all(editor: QPlainTextEdit) -> None:
    editor.selectAll()


# --- styles ----------------------------------------------------------------------------------


def test_ctrl_b_makes_the_selection_bold_in_one_undo_step_and_again_plain(
    qtbot: QtBot, aids: WritingAids
) -> None:
    editor = aids.editor
    editor.setPlainText("Make it count today")
    select(editor, 5, 13)  # "it count"
    QTest.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert editor.toPlainText() == "Make " + styled("it count", Style.BOLD) + " today"
    assert editor.textCursor().selectedText() == styled("it count", Style.BOLD)  # still selected
    QTest.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert editor.toPlainText() == "Make it count today"
    QTest.keyClick(editor, Qt.Key.Key_I, CTRL)
    assert editor.toPlainText() == "Make " + styled("it count", Style.ITALIC) + " today"
    editor.undo()  # one step takes back the italic whole
    assert editor.toPlainText() == "Make it count today"


def test_menu_styles_over_several_lines_round_trip_to_plain(aids: WritingAids) -> None:
    editor = aids.editor
    original = "Café 2024\nnaïve — “quoted”\n\n#tag 👩\u200d💻"
    for style in Style:
        editor.setPlainText(original)
        select_all(editor)
        aids.style_actions[style].trigger()
        assert editor.toPlainText() == styled(original, style)
        assert editor.document().blockCount() == 4  # line breaks stay line breaks
        select_all(editor)
        aids.plain_action.trigger()
        assert editor.toPlainText() == original


def test_the_note_counts_styled_characters_and_hides_when_there_are_none(
    aids: WritingAids,
) -> None:
    editor = aids.editor
    editor.setPlainText("Twelve chars here")
    assert aids.note.isHidden()
    select(editor, 0, 12)  # "Twelve chars": 11 letters and a space
    aids.apply_style(Style.BOLD)
    assert aids.note.text() == "11 styled characters: screen readers read them letter by letter"
    assert aids.note.isVisible()
    select_all(editor)
    aids.make_plain()
    assert aids.note.isHidden()


def test_a_read_only_editor_is_not_styled(aids: WritingAids) -> None:
    editor = aids.editor
    editor.setPlainText("published")
    editor.setReadOnly(True)
    select_all(editor)
    aids.apply_style(Style.BOLD)
    aids.insert_text("x")
    assert editor.toPlainText() == "published"


# --- snippets --------------------------------------------------------------------------------


def store_snippets(data_dir: Path) -> None:
    SnippetStore(data_dir).save(
        [
            Snippet("Signature", "— Alex"),
            Snippet("Call to action", "Tell me below."),
            Snippet("Hashtags", "#ai #product"),
        ]
    )


def test_snippet_shortcuts_insert_at_the_cursor_in_one_undo_step(
    qtbot: QtBot, aids: WritingAids, data_dir: Path
) -> None:
    store_snippets(data_dir)
    editor = aids.editor
    editor.setPlainText("Thanks! ")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClick(editor, Qt.Key.Key_2, CTRL | SHIFT)
    assert editor.toPlainText() == "Thanks! Tell me below."
    editor.undo()
    assert editor.toPlainText() == "Thanks! "
    problems: list[str] = []
    aids.problem.connect(problems.append)
    QTest.keyClick(editor, Qt.Key.Key_7, CTRL | SHIFT)
    assert editor.toPlainText() == "Thanks! "
    assert problems == ["There is no snippet 7: add snippets in Settings › Snippets."]


def test_the_snippet_menu_lists_them_as_stored_now(aids: WritingAids, data_dir: Path) -> None:
    menu = aids.snippet_menu
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions() if a.text()] == [
        "No snippets yet — add them in Settings › Snippets"
    ]
    store_snippets(data_dir)  # saved in Settings meanwhile: seen at the next opening
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:3] == [
        "&1 Signature\tCtrl+Shift+1",
        "&2 Call to action\tCtrl+Shift+2",
        "&3 Hashtags\tCtrl+Shift+3",
    ]
    menu.actions()[2].trigger()
    assert aids.editor.toPlainText() == "#ai #product"


def test_the_chooser_searches_and_enter_inserts(
    qtbot: QtBot, aids: WritingAids, data_dir: Path
) -> None:
    store_snippets(data_dir)
    QTest.keyClick(aids.editor, Qt.Key.Key_Semicolon, CTRL)
    chooser = aids._snippet_chooser
    assert chooser is not None and chooser.isVisible()
    QTest.keyClicks(chooser.search, "hash")
    assert chooser.visible_values() == ["#ai #product"]
    QTest.keyClick(chooser.search, Qt.Key.Key_Return)
    assert not chooser.isVisible()
    assert aids.editor.toPlainText() == "#ai #product"


def test_a_damaged_snippets_file_is_reported_and_kept(aids: WritingAids, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "snippets.json").write_text("{not json", encoding="utf-8")
    problems: list[str] = []
    aids.problem.connect(problems.append)
    aids.snippet_menu.aboutToShow.emit()
    assert "damaged" in problems[0]
    assert (data_dir / "snippets.json").read_text(encoding="utf-8") == "{not json"


# --- emoji -----------------------------------------------------------------------------------


def test_emoji_are_found_by_name_and_inserted_in_one_undo_step(
    qtbot: QtBot, aids: WritingAids
) -> None:
    editor = aids.editor
    editor.setPlainText("Launch day ")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClick(editor, Qt.Key.Key_Period, CTRL)
    picker = aids._emoji_picker
    assert picker is not None and picker.isVisible()
    QTest.keyClicks(picker.search, "rocket")
    assert picker.visible_values() == ["🚀"]
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    assert editor.toPlainText() == "Launch day 🚀"
    editor.undo()
    assert editor.toPlainText() == "Launch day "


# --- spelling --------------------------------------------------------------------------------


def underlined(editor: QPlainTextEdit) -> list[str]:
    """The underlined words, read from the document's layout (what is painted)."""
    words: list[str] = []
    block = editor.document().begin()
    while block.isValid():
        units = block.text().encode("utf-16-le")
        for found in block.layout().formats():
            if found.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline:
                piece = units[found.start * 2 : (found.start + found.length) * 2]
                words.append(piece.decode("utf-16-le"))
        block = block.next()
    return words


TEXT = "🚀 I recieve 𝗹𝗼𝘁𝘀 of questions about #hirng from @[Ada Lovlace](urn:li:person:a1), teh end"


def test_misspelled_words_are_underlined_where_they_are(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    aids = make_aids(qtbot, window, tasks, data_dir, TEXT)
    assert aids.language == "en"
    # The emoji and the bold word are two UTF-16 units a character: the marks still fall right.
    qtbot.waitUntil(lambda: underlined(aids.editor) == ["recieve", "teh"])
    aids.editor.appendPlainText(styled("wrds", Style.BOLD))
    assert underlined(aids.editor) == ["recieve", "teh", styled("wrds", Style.BOLD)]


def context_menu_on(aids: WritingAids, word: str) -> QMenu:
    editor = aids.editor
    cursor = editor.textCursor()
    position = len(editor.toPlainText()[: editor.toPlainText().index(word) + 1].encode("utf-16-le"))
    cursor.setPosition(position // 2)
    return aids.context_menu(editor.cursorRect(cursor).center())


def test_a_suggestion_replaces_the_word_in_one_undo_step(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    aids = make_aids(qtbot, window, tasks, data_dir, TEXT)
    menu = context_menu_on(aids, "recieve")
    suggestions = [a for a in menu.actions() if a.objectName() == "spellingSuggestion"]
    assert [a.text() for a in suggestions] == ["receive", "relieve"]
    suggestions[0].trigger()
    assert "I receive 𝗹𝗼𝘁𝘀" in aids.editor.toPlainText()
    assert underlined(aids.editor) == ["teh"]
    aids.editor.undo()
    assert aids.editor.toPlainText() == TEXT


def test_add_to_dictionary_keeps_the_word_in_the_private_file(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    aids = make_aids(qtbot, window, tasks, data_dir, "Our onbording guide, and teh rest")
    qtbot.waitUntil(lambda: underlined(aids.editor) == ["onbording", "teh"])
    menu = context_menu_on(aids, "onbording")
    add = next(a for a in menu.actions() if a.objectName() == "addToDictionary")
    assert add.text() == "&Add “onbording” to dictionary"
    add.trigger()
    assert underlined(aids.editor) == ["teh"]
    qtbot.waitUntil(lambda: UserWords(data_dir).load() == ["onbording"])
    # A new editor (another post, the next run) knows it too.
    other_window = QWidget()
    qtbot.addWidget(other_window)
    again = make_aids(qtbot, other_window, tasks, data_dir, "onbording")
    assert underlined(again.editor) == []


def test_ignore_forgets_the_word_for_this_editor_only(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    aids = make_aids(qtbot, window, tasks, data_dir, "teh cat and teh dog")
    qtbot.waitUntil(lambda: underlined(aids.editor) == ["teh", "teh"])
    ignore = next(a for a in context_menu_on(aids, "teh").actions() if a.text() == "I&gnore")
    ignore.trigger()
    assert underlined(aids.editor) == []
    assert UserWords(data_dir).load() == []


def test_far_suggestions_arrive_in_the_open_menu(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    aids = make_aids(qtbot, window, tasks, data_dir, "Good leadrshp matters")
    menu = context_menu_on(aids, "leadrshp")

    def names() -> list[str]:
        return [a.text() for a in menu.actions() if a.objectName() == "spellingSuggestion"]

    assert any(a.objectName() == "suggestionsWaiting" for a in menu.actions())
    qtbot.waitUntil(lambda: names() == ["leadership"], timeout=10_000)
    assert not any(a.objectName() == "suggestionsWaiting" for a in menu.actions())


def test_a_correct_word_has_no_suggestions(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    aids = make_aids(qtbot, window, tasks, data_dir, "All good here")
    menu = context_menu_on(aids, "good")
    assert not [a for a in menu.actions() if a.objectName() == "spellingSuggestion"]
    assert not [a for a in menu.actions() if a.objectName() == "addToDictionary"]


def test_the_language_follows_the_text_or_the_users_choice(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    aids = make_aids(qtbot, window, tasks, data_dir, "")
    assert aids.language == "en"  # the locale's, before there is text to tell
    ready: list[str] = []
    aids.dictionary_ready.connect(ready.append)
    aids.editor.setPlainText("Das ist nicht der Weg, den wir mit dem Team gehen: ein Beitrg")
    aids._detect_timer.timeout.emit()  # the pause after typing, without waiting for it
    qtbot.waitUntil(lambda: ready == ["de"], timeout=10_000)
    assert aids.language_box.currentText() == "Auto (Deutsch)"
    assert underlined(aids.editor) == ["Beitrg"]

    box = aids.language_box
    box.setCurrentIndex(box.findData(OFF))
    box.activated.emit(box.currentIndex())
    assert underlined(aids.editor) == [] and aids.language == ""
    box.setCurrentIndex(box.findData("en"))
    box.activated.emit(box.currentIndex())
    qtbot.waitUntil(lambda: aids.language == "en", timeout=10_000)
    assert "Beitrg" in underlined(aids.editor) and "nicht" in underlined(aids.editor)


def test_the_first_dictionary_loads_once_the_event_loop_runs_after_the_editor_is_built(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    editor = QPlainTextEdit("Some words to check")
    aids = WritingAids.attach(editor, window, tasks=tasks, data_dir=data_dir, locale_name="en_US")
    # Nothing asked of the worker while the composer is still being built and painted.
    assert tasks.pending == 0 and aids.language == ""
    assert aids.language_box.currentData() == "auto"
    with qtbot.waitSignal(aids.dictionary_ready, timeout=10_000) as ready:
        pass  # the event loop runs: the load starts, and answers
    assert ready.args == ["en"]


def test_a_language_chosen_before_the_first_load_starts_is_the_one_loaded(
    qtbot: QtBot, window: QWidget, tasks: TaskRunner, data_dir: Path
) -> None:
    editor = QPlainTextEdit("Guten Tag")
    aids = WritingAids.attach(editor, window, tasks=tasks, data_dir=data_dir, locale_name="en_US")
    box = aids.language_box
    box.setCurrentIndex(box.findData(OFF))
    box.activated.emit(box.currentIndex())
    ready: list[str] = []
    aids.dictionary_ready.connect(ready.append)
    passed: list[bool] = []
    QTimer.singleShot(0, lambda: passed.append(True))  # runs after the aids' deferred start
    qtbot.waitUntil(lambda: bool(passed), timeout=5000)
    assert tasks.pending == 0 and aids.language == "" and ready == []


# --- attached to the composer (the lines composer.py is to gain) ------------------------------


def test_attached_to_the_composer_a_styling_is_saved_like_typing(
    qtbot: QtBot, service: PostService, workspace: Workspace, tasks: TaskRunner
) -> None:
    composer = Composer(service, tasks)
    qtbot.addWidget(composer)
    aids = WritingAids.attach(
        composer.body_edit, composer, tasks=tasks, data_dir=workspace.config.data_dir
    )
    layout = composer.layout()
    assert layout is not None
    layout.addWidget(aids.bar)
    problems: list[str] = []
    aids.problem.connect(problems.append)
    composer.show()
    composer.activateWindow()  # keyboard shortcuts work in the active window only
    qtbot.waitUntil(composer.isActiveWindow)
    saved: list[PostRecord] = []
    composer.saved.connect(saved.append)
    composer.body_edit.setPlainText("Ship it")
    select(composer.body_edit, 0, 4)
    composer.body_edit.setFocus()
    QTest.keyClick(composer.body_edit, Qt.Key.Key_B, CTRL)
    bold = styled("Ship", Style.BOLD) + " it"
    assert composer.body_edit.toPlainText() == bold
    assert composer.flush()
    qtbot.waitUntil(lambda: composer.settled and bool(saved), timeout=10_000)
    assert service.get(saved[-1].id).content == bold
    assert aids.note.text().startswith("4 styled characters")
    assert problems == []


def test_every_toolbar_button_is_reachable_with_tab(aids: WritingAids) -> None:
    names = [w.objectName() or w.accessibleName() for w in aids.focus_order]
    assert len(names) == 6  # bold, italic, style, snippets, emoji, language
    assert all(w.focusPolicy() & Qt.FocusPolicy.TabFocus for w in aids.focus_order)
    assert {"styleButton", "snippetButton", "emojiButton", "spellingLanguage"} <= set(names)
