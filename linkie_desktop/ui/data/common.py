"""What the data dialogs share: a question the user answers, and file choosers tests replace."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

# (parent, title, question) -> the user said yes
Ask = Callable[[QWidget, str, str], bool]
# (parent, title, folder or file proposed, filter) -> the path chosen, "" for none
ChoosePath = Callable[[QWidget, str, str, str], str]


def ask(parent: QWidget, title: str, question: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # the safe answer by default
    return box.exec() == QMessageBox.StandardButton.Yes


def save_path(parent: QWidget, title: str, proposed: str, filters: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, proposed, filters)[0]


def open_path(parent: QWidget, title: str, folder: str, filters: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, folder, filters)[0]


def open_folder(parent: QWidget, title: str, folder: str, _filters: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title, folder)
