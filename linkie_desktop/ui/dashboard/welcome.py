"""The first-run welcome on the Dashboard: what Linkie needs from a newcomer, step by step."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from linkie_desktop.ui.dashboard.cards import heading
from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.accessible import named

_DONE, _TODO = "✓", "•"


class WelcomePanel(QFrame):
    """Shown until LinkedIn is connected and a first post exists; each step ticks off when done."""

    connect_requested = Signal()
    write_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("welcomePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.M, Space.L, Space.M)
        layout.setSpacing(Space.S)
        layout.addWidget(heading("Welcome to Linkie Desktop", "welcomeHeading", scale=1.3))
        intro = QLabel(
            "Write your LinkedIn posts here, place them on the calendar, and Linkie publishes "
            "each one at its time while it runs on this computer."
        )
        intro.setObjectName("welcomeIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.connect_step = QLabel()
        self.connect_step.setObjectName("welcomeConnectStep")
        self.write_step = QLabel()
        self.write_step.setObjectName("welcomeWriteStep")
        self.connect_button = named(
            QPushButton("Connect LinkedIn…"),
            "welcomeConnectButton",
            "Connect LinkedIn",
            "Open Settings › LinkedIn",
        )
        self.connect_button.clicked.connect(self.connect_requested)
        self.write_button = named(
            QPushButton("Write a post"),
            "welcomeWriteButton",
            "Write your first post",
            "Open a new draft in the Drafts tab (Ctrl+N)",
        )
        self.write_button.clicked.connect(self.write_requested)
        for step, button in ((self.connect_step, self.connect_button),
                             (self.write_step, self.write_button)):  # fmt: skip
            row = QHBoxLayout()
            row.addWidget(step, 1)
            row.addWidget(button)
            layout.addLayout(row)

    def show_progress(self, connected: bool, has_posts: bool) -> None:
        self.connect_step.setText(
            f"{_DONE if connected else _TODO}  Connect your LinkedIn account "
            "(Settings › LinkedIn) so Linkie may publish for you."
        )
        self.write_step.setText(
            f"{_DONE if has_posts else _TODO}  Write your first post, then schedule it "
            "in Drafts or drag it onto a day in the Calendar."
        )
        self.connect_button.setEnabled(not connected)
        self.write_button.setEnabled(not has_posts)
        self.setVisible(not (connected and has_posts))
