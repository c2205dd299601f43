"""The composer's History section: the opened post's own activity history (every attempt to
publish it, LinkedIn's answer in plain words, each retry, who acted), newest first, under a
button that opens and closes it (issue 15).

The list is the Activity tab's (ui/widgets/activity_list.py, one post's entries), built the first
time the section is opened: a closed section reads nothing and costs nothing at the composer's
first show. Open, it reads again whenever the composer shows the post anew (another post, or this
one changed elsewhere: a publish attempt, a retry, a schedule), never after an autosave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget
from sqlalchemy import Engine

from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named

if TYPE_CHECKING:  # imported when the section is first opened
    from linkie_desktop.ui.widgets.activity_list import ActivityList

EMPTY = "Nothing has happened to this post yet: its attempts to publish will be listed here."
LIST_HEIGHT_PX = 200


class PostHistory(QWidget):
    """Hidden for a new post (it has no history yet)."""

    def __init__(self, tasks: TaskRunner, engine: Engine, user_id: str) -> None:
        super().__init__()
        named(self, "composerHistory", "History of this post")
        self._tasks = tasks
        self._engine = engine
        self._user_id = user_id
        self._post_id: str | None = None
        self.list: ActivityList | None = None  # built when first opened

        self.toggle = named(
            QToolButton(),
            "composerHistoryToggle",
            "History",
            "Every attempt to publish this post and what LinkedIn answered",
        )
        self.toggle.setText("Hi&story")  # Alt+H is the menu bar's Help
        self.toggle.setCheckable(True)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a tool button takes Tab only
        self.toggle.toggled.connect(self._toggled)
        self.empty = named(QLabel(EMPTY), "composerHistoryEmpty", "No history yet")
        self.empty.setWordWrap(True)
        self.empty.hide()

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addWidget(self.empty)
        self.hide()

    @property
    def is_open(self) -> bool:
        return self.toggle.isChecked()

    def show_post(self, post_id: str | None) -> None:
        """The composer shows this post (None: a new one) anew: an open list reads again."""
        self._post_id = post_id
        self.setVisible(post_id is not None)
        if post_id is not None and self.is_open:
            self._read(post_id)

    def _toggled(self, open_: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        if open_ and self._post_id is not None:
            self._read(self._post_id)
        if self.list is not None:
            self.list.setVisible(open_)
        if not open_:
            self.empty.hide()

    def _read(self, post_id: str) -> None:
        if self.list is None:
            self.list = self._build_list()
        self.list.show()
        self.list.show_post(post_id)

    def _build_list(self) -> ActivityList:
        from linkie_desktop.ui.widgets.activity_list import ActivityList

        history = ActivityList(self._tasks, self._engine, self._user_id, self)
        history.setAccessibleName("History of this post")
        # As wide as the composer, never wider: its columns scroll inside it (their contents'
        # widths would otherwise widen the composer's details past its column).
        history.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        history.setFixedHeight(LIST_HEIGHT_PX)
        history.history.loaded.connect(self._show_emptiness)
        self._layout.addWidget(history)
        return history

    def _show_emptiness(self) -> None:
        shown = self.list
        empty = shown is not None and shown.history.total == 0 and self.is_open
        self.empty.setVisible(empty)
        if shown is not None:
            shown.setVisible(self.is_open and not empty)
