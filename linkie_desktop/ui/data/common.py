"""What the data dialogs share: their table-and-buttons shape, a question the user answers, and
file choosers tests replace."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.ui.widgets.accessible import named

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


def rows_table(name: str, label: str, columns: tuple[str, ...]) -> QTableWidget:
    """A read-only table of whole rows (backups, posts in the trash), chosen by row."""
    table = named(QTableWidget(0, len(columns)), name, label)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    return table


def lay_out_rows_dialog(
    dialog: QDialog,
    key: str,
    parts: tuple[QLabel, QTableWidget, QLabel],
    actions: tuple[QPushButton, ...],
) -> None:
    """The data dialogs' one shape: the words above, the table, a message line, then the
    dialog's actions on the left and Close on the right."""
    intro, table, message = parts
    close = named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close), f"{key}Buttons", "Close")
    close.rejected.connect(dialog.reject)
    buttons = QHBoxLayout()
    for action in actions:
        buttons.addWidget(action)
    buttons.addStretch(1)
    buttons.addWidget(close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addWidget(table, 1)
    layout.addWidget(message)
    layout.addLayout(buttons)
