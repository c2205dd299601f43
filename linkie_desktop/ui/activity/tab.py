"""The Activity tab: the history of every post, newest first — each attempt, what LinkedIn
answered in plain words, each retry with its time, who acted — filtered by outcome and by the
words of a post, or to one post (Show activity, from any view's post actions).

The list reads in pages on the window's database worker (ui/widgets/activity_list.py) and reads
again shortly after posts change (the publisher's outcomes are changes of posts), so it is never
read on the GUI thread and a burst of changes costs one read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services.activity import ActivityQuery, EventOutcome
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.activity_list import ActivityList

REFRESH_DELAY_MS = 300
SEARCH_DELAY_MS = 250

# (what the filter says, the outcomes it keeps; None: all)
OUTCOME_FILTERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("Everything", None),
    ("Published and added", (EventOutcome.SUCCESS.value,)),
    ("Failures", (EventOutcome.FAILURE.value,)),
    ("Retries and waiting", (EventOutcome.RETRY.value,)),
    ("Steps (sending, scheduling…)", (EventOutcome.INFO.value,)),
)


class ActivityTab(QWidget):
    data_shown = Signal()  # the first page (or why it could not be read) is on screen

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("activityTab")
        self.tasks = tasks if tasks is not None else TaskRunner(explain_for(None), self)
        self.signals = signals
        self.post_id: str | None = None  # Show activity: one post's entries only
        self.post_label = ""

        self.outcome_filter = named(QComboBox(), "activityOutcome", "Show")
        for text, _outcomes in OUTCOME_FILTERS:
            self.outcome_filter.addItem(text)
        self.search = named(QLineEdit(), "activitySearch", "Find posts by their words")
        self.search.setPlaceholderText("Find posts by their words…")
        self.search.setClearButtonEnabled(True)
        self.post_chip = QLabel()
        self.post_chip.setObjectName("activityPostFilter")
        self.all_posts_button = named(
            QPushButton("All posts"),
            "activityAllPosts",
            "Show every post's activity",
            "Show the activity of every post again",
        )
        self.all_posts_button.clicked.connect(self.show_all_posts)
        self.list = ActivityList(self.tasks, workspace.engine, workspace.user_id, self, clock=clock)
        self.list.post_activated.connect(signals.open_post_requested)
        self.empty = QLabel()
        self.empty.setObjectName("activityEmpty")
        self.empty.setWordWrap(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.count_label = QLabel()
        self.count_label.setObjectName("activityCount")

        bar = QHBoxLayout()
        bar.setSpacing(Space.S)
        show = QLabel("&Show:")
        show.setBuddy(self.outcome_filter)
        bar.addWidget(show)
        bar.addWidget(self.outcome_filter)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.post_chip)
        bar.addWidget(self.all_posts_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        layout.setSpacing(Space.S)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count_label)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setObjectName("activityRefreshTimer")
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.list.history.reload)
        self._search_timer = QTimer(self)
        self._search_timer.setObjectName("activitySearchTimer")
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.outcome_filter.currentIndexChanged.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.list.history.loaded.connect(self._loaded)
        self.list.history.failed.connect(self._read_failed)
        signals.posts_changed.connect(self._posts_changed)
        self._show_post_chip()
        self.apply_filters()

    # --- filters ------------------------------------------------------------------------------

    @property
    def query(self) -> ActivityQuery:
        _text, outcomes = OUTCOME_FILTERS[max(0, self.outcome_filter.currentIndex())]
        search = "" if self.post_id is not None else self.search.text()
        return ActivityQuery(self.post_id, outcomes, search)

    def apply_filters(self) -> None:
        self.list.show_query(self.query)

    def show_post(self, post_id: str, label: str = "") -> None:
        """Only this post's entries (the post actions' Show activity)."""
        self.post_id, self.post_label = post_id, label
        self._show_post_chip()
        self.apply_filters()

    def show_all_posts(self) -> None:
        self.post_id, self.post_label = None, ""
        self._show_post_chip()
        self.apply_filters()

    def _show_post_chip(self) -> None:
        one = self.post_id is not None
        self.post_chip.setVisible(one)
        self.all_posts_button.setVisible(one)
        self.search.setEnabled(not one)
        self.post_chip.setText(f"One post: {self.post_label}" if self.post_label else "One post")

    def _posts_changed(self, _change: PostsChanged) -> None:
        self._refresh_timer.start()

    # --- answers ------------------------------------------------------------------------------

    def _loaded(self) -> None:
        model = self.list.history
        if self.post_id is not None and model.rows:
            self.post_label = model.rows[0].post_label
            self._show_post_chip()
        total = model.total or 0
        self.stack.setCurrentWidget(self.list if total else self.empty)
        self.empty.setText(self._empty_words())
        self.count_label.setText(
            f"{total} entr{'y' if total == 1 else 'ies'}, newest first" if total else ""
        )
        self.data_shown.emit()

    def _empty_words(self) -> str:
        if self.post_id is not None:
            return "Nothing has happened to this post yet: its history starts when it is scheduled."
        if self.query.outcomes is not None or self.query.search:
            return "No entry matches these filters."
        return (
            "Nothing has happened yet. Each attempt to publish a post, and what LinkedIn "
            "answered, will be listed here."
        )

    def _read_failed(self, message: str) -> None:
        self.count_label.setText(f"The activity could not be read just now: {message}")
        self.data_shown.emit()
