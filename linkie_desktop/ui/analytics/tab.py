"""The Analytics tab: posts per week, when you publish, how publishing goes, how you write, your
streak — from SQL aggregates over your own posts — and LinkedIn's per-post figures when the
connection is allowed to read them.

Figures load on the window's database worker (ui/tasks.py; a year of 100,000 posts takes a few
hundred milliseconds), so the window never waits; LinkedIn's figures are asked on the runner's
network pool and stored on its database worker, at most hourly, a bounded number of posts per pass
(services/linkedin_analytics).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.stats import PostFigures
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import display_title
from linkie_desktop.domain.schedule import to_local
from linkie_desktop.services.analytics import (
    LINKEDIN_PAGE_SIZE,
    AnalyticsFigures,
    Period,
    linkedin_figures_note,
    linkedin_page,
    load_analytics,
)
from linkie_desktop.services.linkedin import LinkedInError
from linkie_desktop.services.linkedin_analytics import (
    REFRESH_EVERY,
    FiguresRequest,
    HeardFigures,
    RefreshOutcome,
    ask_linkedin_with_stored_token,
    figures_request,
    store_heard_figures,
)
from linkie_desktop.services.oauth import effective_version
from linkie_desktop.services.secrets import KeyringUnavailable, TokenUnreadableError
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.analytics.charts import PublishingHeatmap, WeeklyBarChart
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.cards import FigureCard, heading, named_timer
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.preferences import AppPreferences, window_preferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named

RELOAD_DELAY_MS = 300  # a burst of posts_changed causes one reload
LINKEDIN_COLUMNS = (
    "Post",
    "Published",
    "Impressions",
    "Reached",
    "Reactions",
    "Comments",
    "Reshares",
)


FETCH_PROBLEMS = (LinkedInError, KeyringUnavailable, TokenUnreadableError)


T = TypeVar("T")


def _fetch_in_words(work: Callable[[], T]) -> T | str:
    """A fetch that LinkedIn or the keyring refused comes back as words for the status line."""
    try:
        return work()
    except FETCH_PROBLEMS as exc:
        return f"LinkedIn's figures could not be updated: {exc}"


def _empty_note(text: str, key: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(key)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setMinimumHeight(80)
    return label


def _stack(key: str, *pages: QWidget) -> QStackedWidget:
    stack = QStackedWidget()
    stack.setObjectName(key)
    for page in pages:
        stack.addWidget(page)
    return stack


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def _figure(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


class AnalyticsTab(QWidget):
    data_shown = Signal()  # the figures on screen were just replaced (or why they could not be)
    linkedin_refreshed = Signal()  # a LinkedIn fetch finished (or failed)

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
        linkedin_token: Callable[[], str] | None = None,
        tasks: TaskRunner | None = None,
        preferences: AppPreferences | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("analyticsTab")
        self.workspace = workspace
        self.signals = signals
        self._clock = clock
        self._tz = tz
        self._linkedin_token = linkedin_token  # None: the sealed token in the database
        self.figures: AnalyticsFigures | None = None
        # The window's runner; a tab made alone (a test) gets one of its own.
        self.tasks = tasks if tasks is not None else TaskRunner(explain_for(None), self)
        # The window's preferences object (the API version to ask LinkedIn with).
        self.preferences = window_preferences(preferences, workspace.config.data_dir, signals, self)
        self._fetching = False
        self._more_waiting = False
        # LinkedIn's per-post table arrives a page at a time as it is scrolled (one may be
        # thousands of rows long); answers read for an older reload are dropped.
        self._rows_exhausted = True
        self._reading_rows = False
        self._rows_generation = 0
        self._last_fetch_attempt: datetime | None = None

        self._build()

        self._reload_timer = named_timer(
            self, "analyticsReloadTimer", RELOAD_DELAY_MS, self.reload, single_shot=True
        )
        self._linkedin_timer = named_timer(
            self,
            "linkedinFiguresTimer",
            int(REFRESH_EVERY.total_seconds() * 1000),
            self.refresh_linkedin_if_due,
        )
        self._linkedin_timer.start()

        signals.posts_changed.connect(self.reload_soon)
        signals.connection_changed.connect(self.reload_soon)
        self.reload()

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.period_box = named(QComboBox(), "analyticsPeriod", "Period")
        for period in Period:
            self.period_box.addItem(period.label, period)
        self.period_box.setCurrentIndex(list(Period).index(Period.TWELVE_WEEKS))
        self.period_box.currentIndexChanged.connect(self.reload)
        period_label = QLabel("Pe&riod:")
        period_label.setBuddy(self.period_box)
        self.summary = QLabel()
        self.summary.setObjectName("analyticsSummary")
        self.status = QLabel()
        self.status.setObjectName("analyticsStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(period_label)
        top.addWidget(self.period_box)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)

        self.success_card = FigureCard("successRate", "published successfully")
        self.length_card = FigureCard("averageLength", "average post length")
        self.hook_card = FigureCard("hookShare", "hooks above “…see more”")
        self.streak_card = FigureCard("streak", "posting streak")
        cards = QHBoxLayout()
        for card in (self.success_card, self.length_card, self.hook_card, self.streak_card):
            cards.addWidget(card)

        self.weekly_chart = WeeklyBarChart()
        self.weekly_empty = _empty_note("", "weeklyEmpty")
        self.weekly_stack = _stack("weeklyStack", self.weekly_chart, self.weekly_empty)
        self.heatmap = PublishingHeatmap()
        self.heatmap_empty = _empty_note("", "heatmapEmpty")
        self.heatmap_stack = _stack("heatmapStack", self.heatmap, self.heatmap_empty)
        self.heatmap_heading = heading("When you publish", "heatmapHeading")

        self.failures = QLabel()
        self.failures.setObjectName("failureReasons")
        self.failures.setWordWrap(True)
        self.failures.setTextFormat(Qt.TextFormat.PlainText)

        content = QWidget()
        content.setObjectName("analyticsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(cards)
        layout.addWidget(heading("Posts published per week", "weeklyHeading"))
        layout.addWidget(self.weekly_stack)
        layout.addWidget(self.heatmap_heading)
        layout.addWidget(self.heatmap_stack)
        layout.addWidget(heading("Why posts failed", "failuresHeading"))
        layout.addWidget(self.failures)
        layout.addWidget(heading("LinkedIn's figures", "linkedinHeading"))
        layout.addWidget(self._build_linkedin())
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setObjectName("analyticsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _build_linkedin(self) -> QWidget:
        self.linkedin_table = named(
            QTableWidget(0, len(LINKEDIN_COLUMNS)), "linkedinTable", "LinkedIn's figures per post"
        )
        self.linkedin_table.setHorizontalHeaderLabels(list(LINKEDIN_COLUMNS))
        self.linkedin_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.linkedin_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.linkedin_table.verticalHeader().hide()
        header = self.linkedin_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(LINKEDIN_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.linkedin_table.setMinimumHeight(180)
        self.linkedin_table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.linkedin_note = _empty_note("", "linkedinNote")
        self.linkedin_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.linkedin_note.setMinimumHeight(0)
        self.linkedin_stack = _stack("linkedinStack", self.linkedin_table, self.linkedin_note)
        self.linkedin_status = QLabel()
        self.linkedin_status.setObjectName("linkedinStatus")
        self.linkedin_status.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.linkedin_stack)
        layout.addWidget(self.linkedin_status)
        return box

    # --- loading ------------------------------------------------------------------------------

    @property
    def period(self) -> Period:
        period = self.period_box.currentData()
        return period if isinstance(period, Period) else Period.TWELVE_WEEKS

    def set_period(self, period: Period) -> None:
        self.period_box.setCurrentIndex(list(Period).index(period))

    def reload_soon(self, *_: object) -> None:
        self._reload_timer.start()

    def reload(self) -> None:
        """Read the figures on the database worker; the newest request wins if several overlap."""
        period = self.period
        engine, user_id, now, tz = (
            self.workspace.engine,
            self.workspace.user_id,
            self._clock(),
            self._tz,
        )
        self.status.setText("Counting…" if self.figures is None else "")
        self.tasks.run_db(
            lambda: load_analytics(engine, user_id, period, now, tz),
            self._loaded,
            self._load_failed,
            owner=self,
            key=(id(self), "figures"),
        )

    def wait_for_background(self, timeout_ms: int = 10_000) -> None:
        """Let running reads and fetches end (closing the window, tests)."""
        self.tasks.wait_idle(timeout_ms)

    def _load_failed(self, message: str) -> None:
        self.status.setText(f"Linkie could not read your posts just now: {message}")
        self.data_shown.emit()

    def _loaded(self, figures: AnalyticsFigures) -> None:
        self.figures = figures
        self.status.setText("")
        self._show(figures)
        self.data_shown.emit()
        self.refresh_linkedin_if_due()

    # --- showing ------------------------------------------------------------------------------

    def _show(self, figures: AnalyticsFigures) -> None:
        period = figures.period.label.lower()
        published = figures.published
        self.summary.setText(
            f"{published} post{'s' if published != 1 else ''} published in the {period}"
        )
        self._show_cards(figures)
        self.weekly_chart.set_weeks(figures.weeks)
        self.weekly_empty.setText(
            f"No posts were published in the {period}. Each week's count will show here as "
            "bars once they are."
        )
        self.weekly_stack.setCurrentWidget(self.weekly_chart if published else self.weekly_empty)
        zone = to_local(figures.end, self._tz).tzname() or "local time"
        self.heatmap_heading.setText(f"When you publish (weekday × hour, {zone})")
        self.heatmap.set_counts(figures.heatmap)
        self.heatmap_empty.setText(
            f"No posts were published in the {period}, so there is no pattern to show yet."
        )
        self.heatmap_stack.setCurrentWidget(self.heatmap if published else self.heatmap_empty)
        self._show_failures(figures)
        self._show_linkedin(figures)

    def _show_cards(self, figures: AnalyticsFigures) -> None:
        outcomes = figures.outcomes
        self.success_card.set_value(
            _percent(outcomes.success_rate),
            f"published successfully ({outcomes.published} of {outcomes.attempted} attempts)"
            if outcomes.attempted
            else "published successfully (nothing attempted yet)",
        )
        writing = figures.writing
        self.length_card.set_value(
            "–" if writing.average_length is None else f"{round(writing.average_length):,}",
            "characters on average per published post",
        )
        self.hook_card.set_value(
            _percent(writing.hook_share),
            f"of hooks fit above “…see more” ({writing.hooks_above_fold} of {writing.posts})"
            if writing.posts
            else "of hooks fit above “…see more”",
            "The first line shows in full before LinkedIn folds the post "
            "(about 210 characters or three lines).",
        )
        streak = figures.streak_weeks
        self.streak_card.set_value(
            f"{streak} week{'s' if streak != 1 else ''}",
            "posting streak: weeks in a row with a post",
        )

    def _show_failures(self, figures: AnalyticsFigures) -> None:
        if not figures.failure_reasons:
            self.failures.setText(f"No post failed in the {figures.period.label.lower()}.")
            return
        self.failures.setText(
            "\n".join(f"{count} × {reason}" for reason, count in figures.failure_reasons)
        )

    def _show_linkedin(self, figures: AnalyticsFigures) -> None:
        note = linkedin_figures_note(figures.connection)
        if note:
            self.linkedin_note.setText(note)
            self.linkedin_stack.setCurrentWidget(self.linkedin_note)
            self.linkedin_status.setText("")
            return
        self.linkedin_stack.setCurrentWidget(self.linkedin_table)
        self._rows_generation += 1
        self._reading_rows = False
        self._rows_exhausted = len(figures.linkedin) < LINKEDIN_PAGE_SIZE
        self.linkedin_table.setRowCount(0)
        self._add_linkedin_rows(figures.linkedin)
        if not self._fetching:
            self.linkedin_status.setText(self._fetched_text(figures.linkedin_fetched_at))

    def _add_linkedin_rows(self, rows: tuple[PostFigures, ...]) -> None:
        table = self.linkedin_table
        first = table.rowCount()
        table.setRowCount(first + len(rows))
        for row, post in enumerate(rows, start=first):
            published = (
                f"{to_local(post.published_at, self._tz):%d %b %Y}" if post.published_at else ""
            )
            values = (
                display_title(post.title, post.snippet, 60),
                published,
                *(
                    _figure(value)
                    for value in (
                        post.impressions,
                        post.members_reached,
                        post.reactions,
                        post.comments,
                        post.reshares,
                    )
                ),
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(row, column, item)

    @property
    def linkedin_rows_complete(self) -> bool:
        """Every row of the per-post table is read (none waits for a scroll)."""
        return self._rows_exhausted

    def _scrolled(self, value: int) -> None:
        bar = self.linkedin_table.verticalScrollBar()
        if value >= bar.maximum() - bar.pageStep():  # within a screen of the end
            self.fetch_more_linkedin_rows()

    def fetch_more_linkedin_rows(self) -> None:
        """Read the next page of the per-post table on the database worker (one at a time)."""
        figures = self.figures
        if figures is None or self._rows_exhausted or self._reading_rows:
            return
        self._reading_rows = True
        engine, user_id = self.workspace.engine, self.workspace.user_id
        offset, generation = self.linkedin_table.rowCount(), self._rows_generation
        self.tasks.run_db(
            lambda: linkedin_page(engine, user_id, figures, offset),
            lambda rows: self._more_rows(rows, generation),
            lambda message: self._more_rows_failed(message, generation),
            owner=self,
        )

    def _more_rows(self, rows: tuple[PostFigures, ...], generation: int) -> None:
        if generation != self._rows_generation:
            return  # read for a table that was replaced meanwhile
        self._reading_rows = False
        self._rows_exhausted = len(rows) < LINKEDIN_PAGE_SIZE
        self._add_linkedin_rows(rows)

    def _more_rows_failed(self, message: str, generation: int) -> None:
        if generation != self._rows_generation:
            return
        # Stop asking at every scroll; the next reload starts again from the first page.
        self._reading_rows = False
        self._rows_exhausted = True
        self.linkedin_status.setText(f"Linkie could not read more of these figures: {message}")

    def _fetched_text(self, fetched_at: datetime | None) -> str:
        if fetched_at is None:
            return "LinkedIn's figures have not been fetched yet."
        return (
            f"Updated {to_local(fetched_at, self._tz):%d %b, %H:%M}; "
            "Linkie asks LinkedIn again at most once an hour."
        )

    # --- LinkedIn's figures -------------------------------------------------------------------

    def refresh_linkedin_if_due(self) -> None:
        figures = self.figures
        if figures is None or self._fetching or linkedin_figures_note(figures.connection):
            return
        # The service asks only about posts whose figures are an hour old; this keeps a failing
        # LinkedIn from being asked again at every post change, and lets a long backlog (more
        # posts than one pass takes) continue at once.
        last = self._last_fetch_attempt
        if last is not None and not self._more_waiting and self._clock() - last < REFRESH_EVERY:
            return
        self._last_fetch_attempt = self._clock()
        self._fetching = True
        self.linkedin_status.setText("Fetching LinkedIn's figures…")
        workspace = self.workspace
        # What to ask is read on the database worker; asking and storing follow in _ask.
        self.tasks.run_db(
            lambda: figures_request(workspace.engine, workspace.user_id),
            self._ask,
            self._fetch_failed,
            owner=self,
        )

    def _ask(self, request: FiguresRequest) -> None:
        """Ask LinkedIn on the network pool (it may be slow, and the database worker must not
        wait for it), then store its answers on the database worker."""
        workspace = self.workspace
        config, engine, user_id = workspace.config, workspace.engine, workspace.user_id
        version = effective_version(config, self.preferences.current)
        token = self._linkedin_token

        def ask() -> HeardFigures | str:
            return _fetch_in_words(
                lambda: ask_linkedin_with_stored_token(request, config, version, token)
            )

        def store(heard: HeardFigures | str) -> RefreshOutcome | str:
            if isinstance(heard, str):
                return heard
            return _fetch_in_words(lambda: store_heard_figures(engine, user_id, heard))

        self.tasks.run_network_then_db(ask, store, self._fetched, self._fetch_failed, owner=self)

    def _fetched(self, outcome: RefreshOutcome | str) -> None:
        if isinstance(outcome, str):
            self._fetch_failed(outcome)
            return
        self._fetching = False
        self._more_waiting = isinstance(outcome, RefreshOutcome) and outcome.more_waiting
        if isinstance(outcome, RefreshOutcome) and outcome.measured:
            self.reload()
        elif self.figures is not None:
            self.linkedin_status.setText(self._fetched_text(self.figures.linkedin_fetched_at))
        self.linkedin_refreshed.emit()

    def _fetch_failed(self, message: str) -> None:
        self._fetching = False
        self.linkedin_status.setText(message)
        self.linkedin_refreshed.emit()
