"""The Dashboard tab: this week's figures, the next post with a live countdown, the coming seven
days and the LinkedIn connection, all computed by SQL (services.overview.load_overview, one task
on the database worker).

Each upcoming post (and the next one) offers the one set of post actions (ui/post_actions.py)
in its context menu, from the mouse or the keyboard; Publish now goes to the window like every
tab's. The figures are re-read when posts change (`AppSignals.posts_changed`), when the connection
changes, and once a minute (so "this week" moves on at midnight), on the window's database
worker (ui/tasks.py): a few milliseconds even with 100,000 posts, but never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.schedule import format_day, text_problem, to_local
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import (
    UPCOMING_DAYS,
    ConnectionSummary,
    DashboardFigures,
    UpcomingItem,
    countdown_text,
)
from linkie_desktop.services.overview import DashboardOverview, load_overview
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.cards import ActionCard, FigureCard, heading, named_timer
from linkie_desktop.ui.dashboard.upcoming import POST_ID_ROLE, UpcomingList
from linkie_desktop.ui.dashboard.welcome import WelcomePanel
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.post_actions import PostActions, PostTarget
from linkie_desktop.ui.preferences import AppPreferences, window_preferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.message_bar import MessageBar
from linkie_desktop.ui.widgets.palette import warning_colour

REFRESH_DELAY_MS = 100  # several posts_changed in a row (a bulk edit) cause one re-read
CLOCK_INTERVAL_MS = 60_000
COUNTDOWN_INTERVAL_MS = 1_000


def when_text(instant: datetime, tz: tzinfo | None) -> str:
    local = to_local(instant, tz)
    return f"{format_day(local.date())} · {local:%H:%M}"


def _panel(key: str, title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName(key)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(Space.L, Space.M, Space.L, Space.M)
    layout.setSpacing(Space.S)
    layout.addWidget(heading(title, f"{key}Heading"))
    return frame, layout


def _connection_advice(connection: ConnectionSummary) -> str:
    if connection.status == OAuthStatus.EXPIRED:
        return "Scheduled posts wait until you reconnect."
    if not connection.connected:
        return "Linkie can publish only once your LinkedIn account is connected."
    if connection.info.expiring_soon:
        return "Reconnect before then so scheduled posts keep going out."
    return "Scheduled posts go out while Linkie is running."


class DashboardTab(QWidget):
    show_failed_requested = Signal()  # the failed card was pressed: Drafts, filtered to failed
    connect_requested = Signal()  # the LinkedIn card's button: open Settings › LinkedIn
    new_post_requested = Signal()  # the welcome's "Write a post": a new draft in Drafts
    data_shown = Signal()  # figures (or why they could not be read) are on screen
    publish_now_requested = Signal(str)  # post id: the window hands it to the publisher driver

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
        tasks: TaskRunner | None = None,
        preferences: AppPreferences | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardTab")
        self.workspace = workspace
        # The window's runner; a tab made alone (a test) gets one of its own.
        self.tasks = tasks if tasks is not None else TaskRunner(explain_for(None), self)
        self.signals = signals
        self._clock = clock
        self._tz = tz
        self.figures: DashboardFigures | None = None
        self.overview: DashboardOverview | None = None
        self.menu: QMenu | None = None  # the post menu open now (kept alive while it shows)
        self.message_bar = MessageBar("dashboard")
        # The window's one preferences object: a post made here takes Settings › Posting's
        # visibility as it is now (a tab made alone reads the file once).
        prefs = window_preferences(preferences, workspace.config.data_dir, signals, self)
        self.posts = PostService(
            workspace.engine,
            workspace.user_id,
            workspace.config.media_dir,
            preferences=lambda: prefs.current,
        )
        self.post_actions = PostActions(
            self.tasks,
            self.posts,
            signals,
            self.message_bar,
            self,
            preferences=prefs,  # where Publish now's "Don't ask again" is kept
        )
        self.post_actions.publish_now_requested.connect(self.publish_now_requested)

        self._build()

        self._refresh_timer = named_timer(
            self, "dashboardRefreshTimer", REFRESH_DELAY_MS, self.refresh, single_shot=True
        )
        self.countdown_timer = named_timer(
            self, "countdownTimer", COUNTDOWN_INTERVAL_MS, self._tick
        )
        self._clock_timer = named_timer(
            self, "dashboardClockTimer", CLOCK_INTERVAL_MS, self.refresh_soon
        )
        self._clock_timer.start()

        signals.posts_changed.connect(self.refresh_soon)
        signals.connection_changed.connect(self.refresh_soon)
        self.refresh()

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.scheduled_card = FigureCard("scheduledThisWeek", "scheduled this week")
        self.published_card = FigureCard("publishedThisMonth", "published this month")
        self.drafts_card = FigureCard("drafts", "drafts")
        self.failed_card = named(
            ActionCard("failed", "failed — need your attention"),
            "failedCard",
            "Failed posts",
            "Show the failed posts in the Drafts tab",
        )
        self.failed_card.clicked.connect(self.show_failed_requested)
        # Posts whose time came while the connection cannot publish: counted on their own, not
        # as scheduled; pressing the card opens Settings › LinkedIn, where reconnecting is.
        self.waiting_card = named(
            ActionCard("waiting", "waiting — reconnect LinkedIn"),
            "waitingCard",
            "Posts waiting for the LinkedIn connection",
            "Reconnect LinkedIn in Settings and they go out at once",
        )
        self.waiting_card.clicked.connect(self.connect_requested)
        self.waiting_card.hide()

        cards = QHBoxLayout()
        cards.setSpacing(Space.M)
        for card in (self.scheduled_card, self.published_card, self.drafts_card):
            cards.addWidget(card)
        cards.addWidget(self.waiting_card)
        cards.addWidget(self.failed_card)

        lower = QGridLayout()
        lower.setSpacing(Space.M)
        lower.addWidget(self._build_next_post(), 0, 0)
        lower.addWidget(self._build_linkedin(), 0, 1)
        lower.setColumnStretch(0, 3)
        lower.setColumnStretch(1, 2)

        self.welcome = WelcomePanel()
        self.welcome.connect_requested.connect(self.connect_requested)
        self.welcome.write_requested.connect(self.new_post_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        layout.setSpacing(Space.M)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.welcome)
        layout.addLayout(cards)
        layout.addLayout(lower)
        layout.addWidget(heading(f"Upcoming — the next {UPCOMING_DAYS} days", "upcomingTitle"))
        layout.addWidget(self._build_upcoming())
        layout.addStretch(1)

    def _build_next_post(self) -> QFrame:
        frame, layout = _panel("nextPost", "Next post")
        self.next_title = QLabel()
        self.next_title.setObjectName("nextPostTitle")
        self.next_title.setWordWrap(True)
        font = self.next_title.font()
        font.setBold(True)
        self.next_title.setFont(font)
        self.next_when = QLabel()
        self.next_when.setObjectName("nextPostWhen")
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName("nextPostCountdown")
        big = self.countdown_label.font()
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.countdown_label.setFont(big)
        self.open_next_button = named(
            QPushButton("Open"), "openNextPostButton", "Open the next post in Drafts"
        )
        self.open_next_button.clicked.connect(self._open_next)
        self.next_actions_button = named(
            QPushButton("Actions…"),
            "nextPostActionsButton",
            "Actions for the next post",
            "Schedule, publish, duplicate or delete the next post",
        )
        self.next_actions_button.clicked.connect(self._next_post_menu_from_button)
        # The panel's own context menu is the same one, for a right-click anywhere on it.
        frame.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        frame.customContextMenuRequested.connect(
            lambda position: self._next_post_menu(frame.mapToGlobal(position))
        )
        layout.addWidget(self.next_title)
        layout.addWidget(self.next_when)
        row = QHBoxLayout()
        row.addWidget(self.countdown_label, 1)
        row.addWidget(self.next_actions_button)
        row.addWidget(self.open_next_button)
        layout.addLayout(row)
        return frame

    def _build_linkedin(self) -> QFrame:
        frame, layout = _panel("linkedin", "LinkedIn")
        self.linkedin_status = QLabel()
        self.linkedin_status.setObjectName("linkedinStatus")
        self.linkedin_status.setWordWrap(True)
        self.connect_button = named(
            QPushButton("Connect LinkedIn…"),
            "connectButton",
            "Connect LinkedIn",
            "Open Settings › LinkedIn",
        )
        self.connect_button.clicked.connect(self.connect_requested)
        layout.addWidget(self.linkedin_status, 1)
        layout.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignLeft)
        return frame

    def _build_upcoming(self) -> QStackedWidget:
        self.upcoming_list = named(
            UpcomingList(), "upcomingList", f"Posts scheduled in the next {UPCOMING_DAYS} days"
        )
        self.upcoming_list.itemActivated.connect(self._open_item)
        self.upcoming_list.menu_requested.connect(self.show_post_menu)
        self.upcoming_list.setSpacing(Space.XS // 2)  # 2 px above and below: rows 4 px apart
        self.upcoming_list.setAlternatingRowColors(True)
        self.upcoming_list.setMaximumHeight(260)
        self.upcoming_empty = QLabel(
            f"Nothing is scheduled for the next {UPCOMING_DAYS} days. Schedule a draft in the "
            "Drafts or Calendar tab and it will show here."
        )
        self.upcoming_empty.setObjectName("upcomingEmpty")
        self.upcoming_empty.setWordWrap(True)
        self.upcoming_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.upcoming_empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.upcoming_stack = QStackedWidget()
        self.upcoming_stack.setObjectName("upcomingStack")
        self.upcoming_stack.addWidget(self.upcoming_list)
        self.upcoming_stack.addWidget(self.upcoming_empty)
        return self.upcoming_stack

    # --- data ---------------------------------------------------------------------------------

    def refresh_soon(self, *_: object) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        engine, user_id, now, tz = (
            self.workspace.engine,
            self.workspace.user_id,
            self._clock(),
            self._tz,
        )
        self.tasks.run_db(
            lambda: load_overview(engine, user_id, now, tz),
            self._show_figures,
            self._read_failed,
            owner=self,
            key=(id(self), "dashboard"),  # a burst of changes: only the newest read is shown
        )

    def _read_failed(self, message: str) -> None:
        # The figures shown stay (they were true a moment ago); the reason goes beside them.
        self.next_when.setText(f"The figures could not be read just now: {message}")
        self.data_shown.emit()

    def _show_figures(self, overview: DashboardOverview) -> None:
        figures = overview.figures
        self.overview = overview
        self.figures = figures
        self._show_waiting(overview)
        self.welcome.show_progress(figures.connection.connected, figures.has_posts)
        counts = figures.counts
        self.scheduled_card.set_value(str(counts.scheduled_this_week))
        self.published_card.set_value(str(counts.published_this_month))
        self.drafts_card.set_value(str(counts.drafts))
        self.failed_card.set_value(
            str(counts.failed),
            "failed — need your attention" if counts.failed else "failed posts",
            "Show the failed posts in the Drafts tab",
        )
        self._colour_failed()
        self._show_next(figures.next_post)
        self._show_upcoming(figures.upcoming)
        self._show_connection(figures)
        self.data_shown.emit()

    def _show_waiting(self, overview: DashboardOverview) -> None:
        self.waiting_card.setVisible(overview.waiting > 0)
        words = overview.waiting_words.removeprefix("Waiting — ")
        self.waiting_card.set_value(
            str(overview.waiting),
            f"waiting — {words}",
            f"{overview.waiting} post{'s' if overview.waiting != 1 else ''} could not go out: "
            f"{words} in Settings and {'they go' if overview.waiting != 1 else 'it goes'} at once",
        )
        colour = warning_colour(self.palette()).name() if overview.waiting else ""
        self.waiting_card.body.value_label.setStyleSheet(f"color: {colour};" if colour else "")

    def _colour_failed(self) -> None:
        failed = self.figures is not None and self.figures.counts.failed > 0
        colour = warning_colour(self.palette()).name() if failed else ""
        self.failed_card.body.value_label.setStyleSheet(f"color: {colour};" if colour else "")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "failed_card"):
            self._colour_failed()  # the warning's red of the new light or dark palette

    def _show_next(self, post: UpcomingItem | None) -> None:
        self.open_next_button.setEnabled(post is not None)
        self.next_actions_button.setEnabled(post is not None)
        if post is None:
            self.countdown_timer.stop()
            self.next_title.setText("Nothing scheduled")
            self.next_when.setText("Schedule a draft and its countdown starts here.")
            self.countdown_label.setText("")
            return
        self.next_title.setText(post.label)
        self.next_when.setText(when_text(post.scheduled_at, self._tz))
        self._tick()
        self.countdown_timer.start()

    def _tick(self) -> None:
        post = self.figures.next_post if self.figures else None
        if post is None:
            return
        left = post.scheduled_at - self._clock()
        self.countdown_label.setText(countdown_text(left))
        self.countdown_label.setAccessibleName(f"Next post {countdown_text(left)}")
        if left.total_seconds() <= 0:
            # Due: the publisher takes it from here; re-read to show the one after it.
            self.countdown_timer.stop()
            self.refresh_soon()

    def _show_upcoming(self, upcoming: tuple[UpcomingItem, ...]) -> None:
        self.upcoming_list.clear()
        for post in upcoming:
            item = QListWidgetItem(f"{when_text(post.scheduled_at, self._tz)}  —  {post.label}")
            item.setData(POST_ID_ROLE, post.post_id)
            item.setToolTip(
                "Double-click or press Enter to open it in Drafts; right-click or Shift+F10 "
                "for its actions"
            )
            self.upcoming_list.addItem(item)
        self.upcoming_stack.setCurrentWidget(
            self.upcoming_list if upcoming else self.upcoming_empty
        )

    def _show_connection(self, figures: DashboardFigures) -> None:
        connection = figures.connection
        self.linkedin_status.setText(f"{connection.describe()}\n{_connection_advice(connection)}")
        if connection.status == OAuthStatus.CONNECTED:
            self.connect_button.setText("LinkedIn settings…")
        elif connection.status == OAuthStatus.EXPIRED:
            self.connect_button.setText("Reconnect LinkedIn…")
        else:
            self.connect_button.setText("Connect LinkedIn…")
        self.connect_button.setAccessibleName(self.connect_button.text().rstrip("…"))

    def _open_item(self, item: QListWidgetItem) -> None:
        self.signals.open_post_requested.emit(str(item.data(POST_ID_ROLE)))

    def _open_next(self) -> None:
        if self.figures is not None and self.figures.next_post is not None:
            self.signals.open_post_requested.emit(self.figures.next_post.post_id)

    # --- the post actions -------------------------------------------------------------------

    def _known(self, post_id: str) -> UpcomingItem | None:
        figures = self.figures
        if figures is None:
            return None
        shown = (*figures.upcoming, *((figures.next_post,) if figures.next_post else ()))
        return next((post for post in shown if post.post_id == post_id), None)

    def post_menu_for(self, post_id: str) -> QMenu | None:
        """The shared post actions for a post on the Dashboard (None: not shown here)."""
        post = self._known(post_id)
        if post is None:
            return None
        target = PostTarget(
            post.post_id,
            PostStatus.SCHEDULED,  # the Dashboard shows scheduled posts only
            post.label,
            text_problem(post.content),  # the domain's one rule
            post.scheduled_at,
        )
        menu = self.post_actions.menu_for(target, self)
        menu.setObjectName("dashboardPostMenu")
        return menu

    def show_post_menu(self, post_id: str, where: QPoint) -> None:
        menu = self.post_menu_for(post_id)
        if menu is None:
            return
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = menu
        menu.popup(where)

    def _next_post_menu(self, where: QPoint) -> None:
        if self.figures is not None and self.figures.next_post is not None:
            self.show_post_menu(self.figures.next_post.post_id, where)

    def _next_post_menu_from_button(self) -> None:
        button = self.next_actions_button
        self._next_post_menu(button.mapToGlobal(button.rect().bottomLeft()))

    def shutdown(self) -> bool:
        """The window closes: a pending Undo of a delete expires now."""
        self.post_actions.shutdown()
        return True
