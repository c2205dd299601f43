"""The question asked when closing the window would stop scheduled posts from going out.

"3 posts are scheduled." — Keep publishing in the background / Quit anyway / Cancel. Keep
publishing can also install the user service, so posts go out after the next login too. The box
is opened, not run in a loop of its own (`open()`): the shell hears `answered` and acts.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from linkie_desktop.ui.widgets.accessible import named


class Answer(Enum):
    KEEP_PUBLISHING = "keep publishing"
    QUIT = "quit"
    CANCEL = "cancel"


def scheduled_words(count: int) -> str:
    return f"{count:,} post is scheduled." if count == 1 else f"{count:,} posts are scheduled."


class CloseQuestion(QMessageBox):
    answered = Signal(object)  # Answer

    def __init__(self, scheduled: int, can_install: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "closeQuestion", "Scheduled posts and closing Linkie")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("Close Linkie?")
        self.setText(scheduled_words(scheduled))
        self.setInformativeText(
            "Once Linkie is closed nothing publishes them. A background publisher "
            "(linkie serve) can send them on time while the window is closed."
        )
        self.keep_button = self.addButton(
            "&Keep publishing in the background", QMessageBox.ButtonRole.AcceptRole
        )
        self.keep_button.setObjectName("closeKeepPublishing")
        self.quit_button = self.addButton("&Quit anyway", QMessageBox.ButtonRole.DestructiveRole)
        self.quit_button.setObjectName("closeQuitAnyway")
        cancel = self.addButton(QMessageBox.StandardButton.Cancel)
        assert cancel is not None
        self.cancel_button = cancel
        self.cancel_button.setObjectName("closeCancel")
        self.setDefaultButton(self.keep_button)
        self.setEscapeButton(self.cancel_button)
        self.install_box: QCheckBox | None = None
        if can_install:
            self.install_box = named(
                QCheckBox("Also start it whenever I &log in (installs a user service)"),
                "closeInstallService",
                "Also start the background publisher whenever I log in",
            )
            self.setCheckBox(self.install_box)
        self.finished.connect(self._finished)

    @property
    def install_chosen(self) -> bool:
        return self.install_box is not None and self.install_box.isChecked()

    @Slot(int)
    def _finished(self, _result: int) -> None:
        clicked = self.clickedButton()
        if clicked is self.keep_button:
            self.answered.emit(Answer.KEEP_PUBLISHING)
        elif clicked is self.quit_button:
            self.answered.emit(Answer.QUIT)
        else:
            self.answered.emit(Answer.CANCEL)
