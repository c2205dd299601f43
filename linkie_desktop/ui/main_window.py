"""The main window: one tab per job, a menu bar and a status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from linkie_desktop import DISPLAY_NAME
from linkie_desktop.services.workspace import Workspace

# Tabs whose content another piece of work builds say in one line what will be there.
_PLANNED_TABS = (
    (
        "dashboard",
        "Dashboard",
        "Your week at a glance: what is scheduled, published and needs you.",
    ),
    ("drafts", "Drafts", "Write posts, keep drafts and schedule them."),
    ("calendar", "Calendar", "Your month of posts: drag a draft onto a day to schedule it."),
    ("studio", "Studio", "Turn an idea into post variations with AI."),
    ("analytics", "Analytics", "How often you post, when, and how it goes."),
)


def _placeholder(key: str, text: str) -> QWidget:
    page = QWidget()
    page.setObjectName(f"{key}Tab")
    layout = QVBoxLayout(page)
    label = QLabel(text)
    label.setObjectName(f"{key}Placeholder")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    layout.addWidget(label)
    return page


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.setObjectName("mainWindow")
        self.setWindowTitle(DISPLAY_NAME)
        self.resize(1100, 720)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        for key, title, text in _PLANNED_TABS:
            self.tabs.addTab(_placeholder(key, text), title)
        self.setCentralWidget(self.tabs)

        self._build_menus()
        self.statusBar().setObjectName("statusBar")
        self.statusBar().showMessage("LinkedIn: not connected")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setObjectName("quitAction")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
