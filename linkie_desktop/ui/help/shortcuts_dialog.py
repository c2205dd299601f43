"""Help › Keyboard shortcuts: every shortcut of the window, read from its actions when it opens."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.ui.help.keys import Shortcut
from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.accessible import named

NOTE = (
    "Alt with the underlined letter opens a menu or picks its item. These are the keys the "
    "window holds right now, each where it works."
)


class ShortcutsDialog(QDialog):
    def __init__(
        self, shortcuts: Sequence[Shortcut], order: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        named(self, "shortcutsDialog", "Keyboard shortcuts")
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = named(QTreeWidget(), "shortcutsList", "Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        rank = {place: index for index, place in enumerate(order)}
        groups: dict[str, list[Shortcut]] = {}
        for shortcut in shortcuts:
            groups.setdefault(shortcut.where, []).append(shortcut)
        for place in sorted(groups, key=lambda p: (rank.get(p, len(rank)), p)):
            heading = QTreeWidgetItem([place, ""])
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(heading)
            for shortcut in sorted(groups[place], key=lambda s: s.what.lower()):
                self.tree.addTopLevelItem(QTreeWidgetItem([f"    {shortcut.what}", shortcut.keys]))
        note = QLabel(NOTE)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        layout.setSpacing(Space.S)
        layout.addWidget(note)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def rows(self) -> list[tuple[str, str]]:
        """(action, keys) of every shortcut shown, headings left out (for tests and automation)."""
        return [(what.strip(), keys) for what, keys in self._texts() if keys]

    def headings(self) -> list[str]:
        return [what for what, keys in self._texts() if not keys]

    def _texts(self) -> list[tuple[str, str]]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [(item.text(0), item.text(1)) for item in items if item is not None]
