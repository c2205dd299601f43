"""Writing aids for a post editor: Unicode styles, snippets, emoji and spell checking, attached to
any QPlainTextEdit in one call:

    self.aids = WritingAids.attach(self.body_edit, self, tasks=tasks, data_dir=data_dir)
    layout.addWidget(self.aids.bar)          # the toolbar, with the note on styled characters
    self.aids.problem.connect(self.problem)   # plain-words messages for the user

Each change to the text is one undo step (a QTextCursor edit block), so Ctrl+Z takes back a
styling, a snippet or an emoji whole. Keys, while the editor has the focus: Ctrl+B bold, Ctrl+I
italic, Ctrl+Shift+1…9 the first nine snippets, Ctrl+; the snippet chooser, Ctrl+. the emoji
picker; the toolbar's menus have access keys.

Nothing slow runs on the GUI thread: a language's dictionary is loaded, the user's dictionary read
and written, and the slower suggestions found on the task runner's network pool (the pool for
work that is not the database's; it is file and CPU work here). The snippets file is read when a
menu or shortcut needs it: a few kilobytes, and a change saved in Settings is seen at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.unicode_styles import Style, plain, styled_count, toggled
from linkie_desktop.services.snippets import Snippet, SnippetsFileDamaged, SnippetStore
from linkie_desktop.services.spelling import (
    LANGUAGES,
    Dictionary,
    SpellCheck,
    UserWords,
    UserWordsDamaged,
    default_language,
    detect_language,
    load_dictionary,
)
from linkie_desktop.ui.drafts.spell_highlighter import SpellHighlighter
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour

if TYPE_CHECKING:  # the pickers' module (and its emoji table) is imported at the first popup
    from linkie_desktop.ui.widgets.emoji_picker import EmojiPicker, SearchPopup

AUTO = "auto"
OFF = "off"
DETECT_DELAY_MS = 1200  # the language is guessed again once typing pauses
SNIPPET_KEYS = 9


def styled_note(count: int) -> str:
    if count == 0:
        return ""
    noun = "styled character" if count == 1 else "styled characters"
    return f"{count} {noun}: screen readers read them letter by letter"


@dataclass(frozen=True)
class _StyleSpec:
    style: Style
    text: str
    key: str
    shortcut: str | None
    icon: str  # freedesktop icon name


_STYLES = (
    _StyleSpec(Style.BOLD, "&Bold", "styleBold", "Ctrl+B", "format-text-bold"),
    _StyleSpec(Style.ITALIC, "&Italic", "styleItalic", "Ctrl+I", "format-text-italic"),
    _StyleSpec(Style.BOLD_ITALIC, "Bold i&talic", "styleBoldItalic", None, ""),
    _StyleSpec(Style.MONOSPACE, "&Monospace", "styleMonospace", None, ""),
    _StyleSpec(
        Style.STRIKETHROUGH, "&Strikethrough", "styleStrike", None, "format-text-strikethrough"
    ),
)


@dataclass(frozen=True)
class _Loaded:
    dictionary: Dictionary | None
    user_words: list[str]
    problem: str = ""


def _load(language: str, user_words: UserWords) -> _Loaded:
    """On a worker: the language's dictionary and the user's words; a damaged file is an answer."""
    dictionary = load_dictionary(language)
    try:
        return _Loaded(dictionary, user_words.load())
    except UserWordsDamaged as exc:
        return _Loaded(dictionary, [], str(exc))


def _add_word(user_words: UserWords, word: str) -> str:
    """On a worker: keep `word`; '' when kept, else why not."""
    try:
        user_words.add(word)
    except UserWordsDamaged as exc:
        return str(exc)
    except OSError as exc:
        return f"The word could not be added to your dictionary: {exc.strerror or exc}."
    return ""


class WritingAidsBar(QWidget):
    """The toolbar and, under it, the note on styled characters (hidden while there are none)."""

    def __init__(self, toolbar: QToolBar, language: QComboBox, note: QLabel) -> None:
        super().__init__()
        self.setObjectName("writingAidsBar")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(toolbar)
        row.addStretch(1)
        label = QLabel("S&pelling:")
        label.setBuddy(language)
        row.addWidget(label)
        row.addWidget(language)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(note)


class WritingAids(QObject):
    problem = Signal(str)  # plain words for the user (a damaged file, a word not kept)
    dictionary_ready = Signal(str)  # the language now checked ("" when spell checking is off)

    @classmethod
    def attach(
        cls,
        editor: QPlainTextEdit,
        parent: QObject,
        *,
        tasks: TaskRunner,
        data_dir: Path,
        locale_name: str | None = None,
    ) -> WritingAids:
        """Writing aids for `editor`; place `.bar` where the toolbar should go."""
        return cls(editor, parent, tasks, data_dir, locale_name or QLocale.system().name())

    def __init__(
        self,
        editor: QPlainTextEdit,
        parent: QObject,
        tasks: TaskRunner,
        data_dir: Path,
        locale_name: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("writingAids")
        self.editor = editor
        self._tasks = tasks
        self.snippets = SnippetStore(data_dir)
        self.user_words = UserWords(data_dir)
        self._fallback_language = default_language(locale_name)
        self._language = ""  # checked now ("" while none is loaded)
        self._wanted = ""  # asked for last: an older answer still on its way is not shown
        self._ignored: set[str] = set()  # "Ignore": for this editor, until it closes
        self._user_words: set[str] = set()
        self._dictionary_key = object()
        self._emoji_picker: EmojiPicker | None = None
        self._snippet_chooser: SearchPopup | None = None

        self.highlighter = SpellHighlighter(editor.document())
        self.style_actions = {spec.style: self._style_action(spec) for spec in _STYLES}
        self.plain_action = self._action("stylePlain", "&Plain text", self.make_plain)
        self.plain_action.setToolTip("Remove every style from the selection")
        self.emoji_action = self._action("insertEmoji", "&Emoji…", self.show_emoji_picker)
        self.emoji_action.setShortcut(QKeySequence("Ctrl+."))
        self.emoji_action.setToolTip("Insert an emoji, searched by name (Ctrl+.)")
        self.emoji_action.setIcon(QIcon.fromTheme("face-smile"))
        for action in (*self.style_actions.values(), self.plain_action, self.emoji_action):
            editor.addAction(action)  # their keys work while the editor has the focus

        self.style_menu = named(QMenu("St&yle"), "styleMenu", "Text style")
        for action in self.style_actions.values():
            self.style_menu.addAction(action)
        self.style_menu.addSeparator()
        self.style_menu.addAction(self.plain_action)
        self.snippet_menu = named(QMenu("S&nippets"), "snippetMenu", "Insert a snippet")
        self.snippet_menu.aboutToShow.connect(lambda: self._fill_snippet_menu(self.snippet_menu))
        self._snippet_shortcuts = [
            QShortcut(
                QKeySequence(f"Ctrl+Shift+{n}"),
                editor,
                lambda n=n: self.insert_snippet_number(n),
                context=Qt.ShortcutContext.WidgetShortcut,
            )
            for n in range(1, SNIPPET_KEYS + 1)
        ]
        for n, shortcut in enumerate(self._snippet_shortcuts, start=1):
            shortcut.setWhatsThis(f"Insert snippet {n}")  # what Help › Keyboard shortcuts shows
        self._chooser_shortcut = QShortcut(
            QKeySequence("Ctrl+;"),
            editor,
            self.show_snippet_chooser,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self._chooser_shortcut.setWhatsThis("Choose a snippet to insert")

        self.toolbar = self._toolbar()
        self.language_box = self._language_box()
        self.note = named(QLabel(""), "styledNote", "Styled characters")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {muted_colour().name()};")
        self.note.hide()
        self.bar = WritingAidsBar(self.toolbar, self.language_box, self.note)

        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self._show_context_menu)
        self._detect_timer = QTimer(self)
        self._detect_timer.setObjectName("languageDetectTimer")
        self._detect_timer.setSingleShot(True)
        self._detect_timer.setInterval(DETECT_DELAY_MS)
        self._detect_timer.timeout.connect(self._detect_language)
        editor.textChanged.connect(self._on_text_changed)
        self._update_note()
        self.language_box.setCurrentIndex(self.language_box.findData(AUTO))
        # The first dictionary is loaded once the event loop runs again, after the editor has
        # been built and painted: its load holds Python's GIL for much of its 0.2 s, and started
        # with the editor it stretched the Drafts tab's first show several times over (issue 13).
        QTimer.singleShot(0, self, self._start_checking)

    # --- building --------------------------------------------------------------------------------

    def _action(self, key: str, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(key)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        return action

    def _style_action(self, spec: _StyleSpec) -> QAction:
        action = self._action(spec.key, spec.text, lambda: self.apply_style(spec.style))
        name = spec.text.replace("&", "")
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
            name += f" ({spec.shortcut})"
        action.setToolTip(f"{name}: Unicode letters that show on LinkedIn; again to undo")
        if spec.icon:
            action.setIcon(QIcon.fromTheme(spec.icon))
        return action

    def _toolbar(self) -> QToolBar:
        toolbar = named(QToolBar(), "writingAidsToolbar", "Writing aids")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bold = self.style_actions[Style.BOLD]
        italic = self.style_actions[Style.ITALIC]
        toolbar.addAction(bold)
        toolbar.addAction(italic)
        # The glyph says what the button does, in the style it makes.
        for action, glyph in ((bold, "𝗕"), (italic, "𝘐")):
            button = toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setText(glyph)
                button.setObjectName(f"{action.objectName()}Button")
                button.setAccessibleName(action.text().replace("&", ""))
        for menu, key in ((self.style_menu, "styleButton"), (self.snippet_menu, "snippetButton")):
            button = named(QToolButton(), key, menu.accessibleName())
            button.setMenu(menu)
            button.setText(menu.title())
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setToolTip(
                "More styles, and Plain text to remove them"
                if menu is self.style_menu
                else "Insert a saved text (Ctrl+Shift+1…9, or Ctrl+; to search)"
            )
            toolbar.addWidget(button)
        toolbar.addAction(self.emoji_action)
        emoji_button = toolbar.widgetForAction(self.emoji_action)
        if emoji_button is not None:
            emoji_button.setObjectName("emojiButton")
            emoji_button.setAccessibleName("Emoji")
        for action in toolbar.actions():
            button = toolbar.widgetForAction(action)
            if button is not None:
                # A toolbar's own buttons take no focus in Qt: these are reachable with Tab.
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return toolbar

    @property
    def focus_order(self) -> list[QWidget]:
        """The bar's widgets in Tab order, for the composer's setTabOrder chain."""
        buttons = [self.toolbar.widgetForAction(action) for action in self.toolbar.actions()]
        return [*(b for b in buttons if b is not None), self.language_box]

    def _language_box(self) -> QComboBox:
        box = named(QComboBox(), "spellingLanguage", "Spell-check language")
        box.addItem("Auto", AUTO)
        for code, name in LANGUAGES.items():
            box.addItem(name, code)
        box.addItem("No spell check", OFF)
        box.setToolTip("The language the post is checked in; Auto guesses it from the text")
        box.activated.connect(lambda index: self._choose_language(str(box.itemData(index))))
        return box

    # --- styles ----------------------------------------------------------------------------------

    def _editable(self) -> bool:
        return not self.editor.isReadOnly()

    def _replace_selection(self, change: Callable[[str], str]) -> None:
        """Replace the selection by `change(selected text)` as one undo step, and keep it
        selected so another style can follow."""
        cursor = self.editor.textCursor()
        if not cursor.hasSelection() or not self._editable():
            return
        start = cursor.selectionStart()
        # Qt gives paragraph separators (U+2029) for line breaks inside a selection.
        selected = cursor.selectedText().replace("\u2029", "\n")
        replacement = change(selected)
        if replacement == selected:
            return
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()
        length = len(replacement.encode("utf-16-le")) // 2  # Qt counts UTF-16 units
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)

    def apply_style(self, style: Style) -> None:
        self._replace_selection(lambda text: toggled(text, style))

    def make_plain(self) -> None:
        self._replace_selection(plain)

    def _update_note(self) -> None:
        text = styled_note(styled_count(self.editor.toPlainText()))
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # --- inserting -------------------------------------------------------------------------------

    def insert_text(self, text: str) -> None:
        """Insert at the cursor (replacing a selection) as one undo step."""
        if not self._editable():
            return
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        cursor.insertText(text)
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def _load_snippets(self) -> list[Snippet] | None:
        try:
            return self.snippets.load()
        except SnippetsFileDamaged as exc:
            self.problem.emit(str(exc))
            return None

    def _fill_snippet_menu(self, menu: QMenu) -> None:
        menu.clear()
        snippets = self._load_snippets()
        if snippets is None:
            menu.addAction("Snippets can't be read — see the message").setEnabled(False)
            return
        if not snippets:
            menu.addAction("No snippets yet — add them in Settings › Snippets").setEnabled(False)
            return
        for number, snippet in enumerate(snippets, start=1):
            # The access key is the snippet's number, as its shortcut (Ctrl+Shift+number).
            label = snippet.name.replace("&", "&&")
            if number <= SNIPPET_KEYS:
                label = f"&{number} {label}\tCtrl+Shift+{number}"
            action = menu.addAction(label)
            action.setToolTip(snippet.text)
            action.triggered.connect(lambda _=False, text=snippet.text: self.insert_text(text))
        menu.setToolTipsVisible(True)
        menu.addSeparator()
        menu.addAction("&Search snippets…\tCtrl+;", self.show_snippet_chooser)

    def insert_snippet_number(self, number: int) -> bool:
        """Insert the `number`th snippet (1 first); False when there is none."""
        snippets = self._load_snippets()
        if not snippets or number > len(snippets):
            if snippets is not None:
                self.problem.emit(
                    f"There is no snippet {number}: add snippets in Settings › Snippets."
                )
            return False
        self.insert_text(snippets[number - 1].text)
        return True

    def _popup_point(self) -> QPoint:
        rect = self.editor.cursorRect()
        return self.editor.viewport().mapToGlobal(rect.bottomLeft())

    def show_snippet_chooser(self) -> SearchPopup | None:
        from linkie_desktop.ui.widgets.emoji_picker import Choice, SearchPopup

        snippets = self._load_snippets()
        if snippets is None:
            return None
        choices = [
            Choice(s.name, f"{s.name} {s.text}".casefold(), s.text, s.text) for s in snippets
        ]
        if self._snippet_chooser is not None:
            self._snippet_chooser.deleteLater()
        chooser = SearchPopup(
            choices,
            self.editor,
            key="snippetChooser",
            title="Snippets",
            placeholder="Search snippets by name or text",
        )
        chooser.resize(320, 260)
        chooser.chosen.connect(self.insert_text)
        self._snippet_chooser = chooser
        chooser.popup(self._popup_point())
        return chooser

    def show_emoji_picker(self) -> EmojiPicker:
        from linkie_desktop.ui.widgets.emoji_picker import EmojiPicker

        if self._emoji_picker is None:
            self._emoji_picker = EmojiPicker(self.editor)
            self._emoji_picker.chosen.connect(self.insert_text)
        self._emoji_picker.popup(self._popup_point())
        return self._emoji_picker

    # --- spelling --------------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """The language checked now ("" when none: off, or still loading)."""
        return self._language

    def _choose_language(self, choice: str) -> None:
        index = self.language_box.findData(choice)
        self.language_box.setCurrentIndex(index)
        if choice == OFF:
            self._wanted = self._language = ""
            self.highlighter.set_check(None)
            self.dictionary_ready.emit("")
        elif choice == AUTO:
            self._detect_language()
        else:
            self._use_language(choice)

    def _start_checking(self) -> None:
        if not self._wanted and self._auto():  # no language was chosen meanwhile
            self._detect_language()

    def _auto(self) -> bool:
        return bool(self.language_box.currentData() == AUTO)

    def _detect_language(self) -> None:
        if not self._auto():
            return
        language = detect_language(self.editor.toPlainText())
        self._use_language(language or self._language or self._fallback_language)

    def _use_language(self, language: str) -> None:
        if self._auto():
            self.language_box.setItemText(0, f"Auto ({LANGUAGES[language]})")
        self._wanted = language
        if language == self._language and self.highlighter.check is not None:
            return
        user_words = self.user_words
        self._tasks.run_network(
            lambda: _load(language, user_words),
            lambda loaded: self._loaded(language, loaded),
            self.problem.emit,
            owner=self,
            key=self._dictionary_key,
        )

    def _loaded(self, language: str, loaded: _Loaded) -> None:
        if language != self._wanted:
            return  # another language (or none) was chosen meanwhile
        if loaded.problem:
            self.problem.emit(loaded.problem)
        self._user_words = {word.casefold() for word in loaded.user_words}
        self._language = language
        assert loaded.dictionary is not None
        self.highlighter.set_check(SpellCheck(loaded.dictionary, self._accepted()))
        self.dictionary_ready.emit(language)

    def _accepted(self) -> set[str]:
        return self._user_words | self._ignored

    def _accept(self, word: str, keep: bool) -> None:
        check = self.highlighter.check
        if check is None:
            return
        form = check.lookup_form(word)
        (self._user_words if keep else self._ignored).add(form.casefold())
        self.highlighter.set_check(SpellCheck(check.dictionary, self._accepted()))
        if keep:
            user_words = self.user_words

            def kept(problem: str) -> None:
                if problem:
                    self.problem.emit(problem)

            self._tasks.run_network(lambda: _add_word(user_words, form), kept, owner=self)

    def _on_text_changed(self) -> None:
        self._update_note()
        if self._auto():
            self._detect_timer.start()

    # --- context menu ----------------------------------------------------------------------------

    def context_menu(self, pos: QPoint) -> QMenu:
        """The editor's menu for a right click at `pos` (viewport coordinates): suggestions for a
        misspelled word first, then the usual editing actions, styles and snippets."""
        menu = self.editor.createStandardContextMenu()
        menu.setObjectName("editorContextMenu")
        first = menu.actions()[0] if menu.actions() else None
        click = self.editor.cursorForPosition(pos)
        block = click.block()
        found = self.highlighter.misspelling_at(block.text(), click.positionInBlock())
        check = self.highlighter.check
        if found is not None and check is not None and self._editable():
            text = block.text()
            start = block.position() + len(text[: found.start].encode("utf-16-le")) // 2
            end = block.position() + len(text[: found.end].encode("utf-16-le")) // 2
            word = check.lookup_form(found.word)
            quick = check.dictionary.quick_suggestions(word)
            added: list[QAction] = []
            for suggestion in quick:
                added.append(self._suggestion_action(menu, suggestion, start, end))
            if not quick:
                waiting = QAction("Looking for suggestions…", menu)
                waiting.setObjectName("suggestionsWaiting")
                waiting.setEnabled(False)
                added.append(waiting)
                self._find_suggestions(menu, waiting, check.dictionary, word, start, end)
            keep = QAction(f"&Add “{found.word}” to dictionary", menu)
            keep.setObjectName("addToDictionary")
            keep.triggered.connect(lambda: self._accept(found.word, keep=True))
            ignore = QAction("I&gnore", menu)
            ignore.setObjectName("ignoreWord")
            ignore.setToolTip("Don't underline this word again in this post")
            ignore.triggered.connect(lambda: self._accept(found.word, keep=False))
            separator = QAction(menu)
            separator.setSeparator(True)
            if first is None:
                menu.addActions([*added, keep, ignore])
            else:
                menu.insertActions(first, [*added, keep, ignore, separator])
        menu.addSeparator()
        menu.addMenu(self.style_menu)
        snippets = menu.addMenu("Insert s&nippet")
        snippets.setObjectName("contextSnippetMenu")
        self._fill_snippet_menu(snippets)
        menu.addAction(self.emoji_action)
        return menu

    def _suggestion_action(self, menu: QMenu, suggestion: str, start: int, end: int) -> QAction:
        action = QAction(suggestion, menu)
        action.setObjectName("spellingSuggestion")
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        action.triggered.connect(lambda: self._replace_range(start, end, suggestion))
        return action

    def _find_suggestions(
        self, menu: QMenu, waiting: QAction, dictionary: Dictionary, word: str, start: int, end: int
    ) -> None:
        """Nothing one edit away: look further on a worker and fill the open menu when found."""

        def found(suggestions: list[str]) -> None:
            for suggestion in suggestions:
                menu.insertAction(waiting, self._suggestion_action(menu, suggestion, start, end))
            if suggestions:
                menu.removeAction(waiting)
            else:
                waiting.setText("No suggestions")

        self._tasks.run_network(lambda: dictionary.suggestions(word), found, owner=menu)

    def _replace_range(self, start: int, end: int, text: str) -> None:
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.insertText(text)
        cursor.endEditBlock()

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        menu.exec(self.editor.viewport().mapToGlobal(pos))
        # The style menu is the aids' own: taken back before the one-off menu goes.
        menu.removeAction(self.style_menu.menuAction())
        menu.deleteLater()
