"""Settings › Snippets: named texts to insert while writing (a signature, a call to action, a set
of hashtags). Add, rename, edit, delete and reorder here; OK stores the list (checked first, so a
refusal changes nothing), Cancel forgets the changes, as every Settings page does.

A damaged snippets file is shown in plain words and the page stays read-only: it is never
replaced by what the page holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services.snippets import (
    MAX_NAME_CHARS,
    Snippet,
    SnippetError,
    SnippetsFileDamaged,
    SnippetStore,
    check_snippets,
)
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.widgets.accessible import named

_TEXT = Qt.ItemDataRole.UserRole


class SnippetsPage(QWidget):
    def __init__(self, store: SnippetStore) -> None:
        super().__init__()
        self.setObjectName("snippetsPage")
        self.store = store
        self._loading = False
        self.damaged = ""
        try:
            snippets = store.load()
        except SnippetsFileDamaged as exc:
            snippets, self.damaged = [], str(exc)

        self.list = named(QListWidget(), "snippetList", "Snippets")
        self.list.setDragDropMode(QListWidget.DragDropMode.InternalMove)  # reorder by dragging too
        self.name_edit = named(QLineEdit(), "snippetName", "Snippet name")
        self.name_edit.setMaxLength(MAX_NAME_CHARS)
        self.name_edit.setPlaceholderText("Signature, Call to action, Hashtags…")
        self.text_edit = named(QPlainTextEdit(), "snippetText", "Snippet text")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText("The text inserted at the cursor")
        self.add_button = named(QPushButton("&New snippet"), "snippetAdd", "New snippet")
        self.delete_button = named(QPushButton("&Delete"), "snippetDelete", "Delete snippet")
        self.up_button = named(QPushButton("Move &up"), "snippetUp", "Move snippet up")
        self.down_button = named(QPushButton("Move do&wn"), "snippetDown", "Move snippet down")

        layout = QVBoxLayout(self)
        if self.damaged:
            layout.addWidget(note(self.damaged, "snippetsDamaged", warning=True))
        grid = QGridLayout()
        grid.addWidget(self.list, 0, 0, 5, 1)
        for row, button in enumerate(
            (self.add_button, self.delete_button, self.up_button, self.down_button)
        ):
            grid.addWidget(button, row, 1)
        grid.setRowStretch(4, 1)
        layout.addLayout(grid, 1)
        form = QFormLayout()
        form.addRow("Na&me:", self.name_edit)
        form.addRow("Te&xt:", self.text_edit)
        layout.addLayout(form, 1)
        layout.addWidget(
            note(
                "In the post editor: the Snippets menu, Ctrl+Shift+1…9 for the first nine, and "
                "Ctrl+; to search them by name.",
                "snippetsNote",
            )
        )

        for snippet in snippets:
            self._add_item(snippet)
        self.list.currentItemChanged.connect(self._show_current)
        self.name_edit.textEdited.connect(self._name_edited)
        self.text_edit.textChanged.connect(self._text_edited)
        self.add_button.clicked.connect(self.add_snippet)
        self.delete_button.clicked.connect(self.delete_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        if snippets:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def _add_item(self, snippet: Snippet) -> QListWidgetItem:
        item = QListWidgetItem(snippet.name)
        item.setData(_TEXT, snippet.text)
        self.list.addItem(item)
        return item

    # --- editing ---------------------------------------------------------------------------------

    def snippets(self) -> list[Snippet]:
        """What the page holds, in its order."""
        return [
            Snippet(self.list.item(row).text(), str(self.list.item(row).data(_TEXT)))
            for row in range(self.list.count())
        ]

    def add_snippet(self) -> None:
        names = {s.name.casefold() for s in self.snippets()}
        name, number = "New snippet", 2
        while name.casefold() in names:
            name, number = f"New snippet {number}", number + 1
        self.list.setCurrentItem(self._add_item(Snippet(name, "")))
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def delete_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
        self._update_buttons()

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def _show_current(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self._loading = True
        try:
            self.name_edit.setText(item.text() if item else "")
            self.text_edit.setPlainText(str(item.data(_TEXT)) if item else "")
        finally:
            self._loading = False
        self._update_buttons()

    def _name_edited(self, text: str) -> None:
        item = self.list.currentItem()
        if item is not None:
            item.setText(text)

    def _text_edited(self) -> None:
        item = self.list.currentItem()
        if item is not None and not self._loading:
            item.setData(_TEXT, self.text_edit.toPlainText())

    def _update_buttons(self) -> None:
        editable = not self.damaged
        row, count = self.list.currentRow(), self.list.count()
        self.list.setEnabled(editable)
        self.add_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and row >= 0)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < count - 1)
        self.name_edit.setEnabled(editable and row >= 0)
        self.text_edit.setEnabled(editable and row >= 0)

    # --- applying (the dialog's OK) ------------------------------------------------------------

    def validation_error(self) -> str | None:
        if self.damaged:
            return None  # nothing is written: the file stays as it is
        try:
            check_snippets(self.snippets())
        except SnippetError as exc:
            return str(exc)
        return None

    def apply(self) -> None:
        """Store the page's list (raises SnippetError, SnippetsFileDamaged or OSError)."""
        if not self.damaged:
            self.store.save(self.snippets())
