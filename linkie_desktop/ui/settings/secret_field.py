"""A masked entry for one keyring secret: the stored value is never loaded into the widget.

Typing replaces the secret, Remove deletes it; both happen only when the dialog is applied.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from linkie_desktop.ui.widgets.accessible import named


class SecretChange(Enum):
    KEEP = "keep"
    REPLACE = "replace"
    REMOVE = "remove"


class SecretField(QWidget):
    def __init__(self, key: str, label: str, stored: bool, keyring_usable: bool = True) -> None:
        super().__init__()
        self.label = label
        self.stored = stored
        self.keyring_usable = keyring_usable
        self._remove = False
        self.edit = named(QLineEdit(), f"{key}Edit", label)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setClearButtonEnabled(True)
        self.remove_button = named(QPushButton("Remove"), f"{key}Remove", f"Remove {label}")
        self.remove_button.clicked.connect(self._mark_removed)
        self.edit.textEdited.connect(self._typed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.remove_button)
        self.setFocusProxy(self.edit)
        self._refresh()
        self.setEnabled(keyring_usable)

    def _typed(self, _text: str) -> None:
        self._remove = False
        self._refresh()

    def _mark_removed(self) -> None:
        self.edit.clear()
        self._remove = True
        self._refresh()

    def _refresh(self) -> None:
        if not self.keyring_usable:
            hint = "Unavailable: your keyring can't be used right now"
        elif self._remove:
            hint = "Will be removed from your keyring when you press OK"
        elif self.stored:
            hint = "Saved in your keyring — type a new value to replace it"
        else:
            hint = "Not set"
        self.edit.setPlaceholderText(hint)
        self.remove_button.setEnabled(self.stored and not self._remove)

    def change(self) -> tuple[SecretChange, str]:
        value = self.edit.text().strip()
        if value:
            return SecretChange.REPLACE, value
        if self._remove:
            return SecretChange.REMOVE, ""
        return SecretChange.KEEP, ""

    def mark_saved(self) -> None:
        """The pending change was written: show the new stored state, forget the typed text."""
        kind, _ = self.change()
        if kind is SecretChange.REPLACE:
            self.stored = True
        elif kind is SecretChange.REMOVE:
            self.stored = False
        self.edit.clear()
        self._remove = False
        self._refresh()
