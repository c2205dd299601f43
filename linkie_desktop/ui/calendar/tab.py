"""The Calendar tab: Month / Week / Agenda views with their navigation, the drafts beside them,
and the glue. Free posting slots show as dashed drop targets in the month and the week.

Every read and write runs on the window's task runner (never on the GUI thread): the month shown,
pages of drafts and of a busy day, and the drops, which services/calendar.py hands to PostService.
A change is announced on `signals.posts_changed` with this tab as its initiator; the tab reads
again after its own change and skips that echo, and reads again (on the runner) after anyone
else's. Changes made by other processes (the CLI, a publisher run elsewhere) arrive the same way:
the shell's data-version poll announces them.

A month switch asks for the new month with one key, so only the newest answer is shown; until it
arrives the grid keeps the month it shows (no empty cells), and its drops and menus still work.
The week and the agenda are read the same way, while they are the view shown. The message bar's
room is kept while it is hidden, so a message never shifts the views under the pointer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QLocale, QPoint, Qt, QTime, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.schedule import MIN_LEAD, resolve_wall_time, shift_month
from linkie_desktop.domain.slots import Occurrence
from linkie_desktop.services.calendar import (
    PAGE_SIZE,
    TIME_PASSED,
    AgendaEntry,
    CalendarPost,
    CalendarService,
    MonthView,
    Outcome,
    Page,
    movement_refusal,
)
from linkie_desktop.services.calendar import WeekView as WeekData
from linkie_desktop.services.oauth import ConnectionInfo, connection_status
from linkie_desktop.services.overview import waiting_label
from linkie_desktop.services.posts import StorageError
from linkie_desktop.services.preferences import Preferences, PreferencesStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.calendar.drafts_panel import DraftsPanel
from linkie_desktop.ui.calendar.legend import StatusLegend
from linkie_desktop.ui.calendar.month_grid import MonthGrid
from linkie_desktop.ui.calendar.post_menu import build_post_menu
from linkie_desktop.ui.post_actions import (
    DELETE,
    DUPLICATE,
    PUBLISH_NOW,
    UNSCHEDULE,
    PostActions,
    PostTarget,
)
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.message_bar import MessageBar
from linkie_desktop.ui.widgets.palette import status_label

if TYPE_CHECKING:
    # Built when first wanted (a switch to the view, a day's list, a post opened), and imported
    # then: the post dialog alone brings the whole composer (~75 ms at the first switch).
    from linkie_desktop.ui.calendar.agenda_view import AgendaView
    from linkie_desktop.ui.calendar.day_dialog import DayPostsDialog
    from linkie_desktop.ui.calendar.week_view import WeekView
    from linkie_desktop.ui.widgets.post_dialog import PostDialog

T = TypeVar("T")

PAST_DAY_NEW_POST = "That day has passed: choose today or a later day for a new post."
MONTH, DRAFTS = "month", "drafts"  # what the tab waits for before its data is on screen
WEEK, AGENDA = "week", "agenda"  # the other views (and what they wait for)
VIEWS = (MONTH, WEEK, AGENDA)


@dataclass(frozen=True)
class _Refused:
    reason: str


def _attempt(work: Callable[[], T]) -> Callable[[], T | _Refused]:
    """On the database worker: a refusal of the rules or the disk is an answer, not a crash."""

    def run() -> T | _Refused:
        try:
            return work()
        except (ValidationError, StorageError) as exc:
            return _Refused(str(exc))

    return run


def first_weekday(locale: QLocale) -> int:
    """The locale's first day of the week as Python counts (0 = Monday); Qt counts 1 = Monday."""
    return locale.firstDayOfWeek().value - 1


def clamp_day(year: int, month: int, day: int) -> date:
    """The same day number in another month, or that month's last day (31 Jan → 28 Feb)."""
    next_year, next_month = shift_month(year, month, 1)
    last = (date(next_year, next_month, 1) - timedelta(days=1)).day
    return date(year, month, min(day, last))


class CalendarTab(QWidget):
    publish_now_requested = Signal(str)  # post id; the lead connects it to the publisher driver
    data_shown = Signal()  # the month and the drafts asked for (or why not) are on screen

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        parent: QWidget | None = None,
        *,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utc_now,
        tasks: TaskRunner | None = None,
        preferences: AppPreferences | None = None,
    ) -> None:
        """`preferences`: the window's one object (read, then followed when it changes); a tab
        made alone reads the file once."""
        super().__init__(parent)
        named(self, "calendarTab", "Calendar")
        self.workspace = workspace
        self.signals = signals
        # The window's runner; a tab made alone (a test, a benchmark) gets one of its own.
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self.tz, self.clock = tz, clock
        self.service = CalendarService(
            workspace.engine,
            workspace.user_id,
            tz=tz,
            clock=clock,
            media_dir=workspace.config.media_dir,
        )
        self.qlocale = QLocale()
        self.preferences = preferences  # handed on to the post dialog
        if preferences is None:
            self.default_time = PreferencesStore(workspace.config.data_dir).current.default_time
        else:
            self.default_time = preferences.current.default_time
            preferences.preferences_changed.connect(self._preferences_changed)
        # The posts on screen, by id (menus and the drag's quick check read them): the month's,
        # the drafts panel's and the day list's.
        self.known: dict[str, CalendarPost] = {}
        self._shown: dict[str, dict[str, CalendarPost]] = {
            name: {} for name in (MONTH, DRAFTS, "day", WEEK, AGENDA)
        }
        # One key per list: a newer question supersedes an older one still on its way.
        self._keys = {name: (name, id(self)) for name in (MONTH, DRAFTS, "day", WEEK, AGENDA)}
        self.mode = MONTH
        self.week: WeekData | None = None
        self.agenda_search = ""
        self._waiting: set[str] = set()  # what the tab waits for before `data_shown`
        self._drafts_asked = False  # a page of drafts is on its way
        self._day_asked = False  # a page of the day list is on its way
        self.active_dialog: PostDialog | None = None
        self.day_dialog: DayPostsDialog | None = None
        self.menu: QMenu | None = None
        self.stale = False

        self._build()
        today = self.service.today()
        self.view: MonthView | None = None
        # The LinkedIn connection, read with the month: a due post it cannot send is "Waiting".
        self.connection: ConnectionInfo | None = None
        self.year, self.month = today.year, today.month
        self.grid.set_current(today)
        self.reload()

        signals.posts_changed.connect(self._posts_changed)
        signals.connection_changed.connect(self._reload_when_seen)  # what "Waiting" says

    # --- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.prev_button = named(
            QPushButton("◀ Pre&vious"),
            "calendarPrevMonth",
            "Previous month",
            "Previous month (PgUp)",
        )
        self.today_button = named(
            QPushButton("&Today"), "calendarToday", "Today", "Go to today (Home)"
        )
        self.next_button = named(
            QPushButton("&Next ▶"), "calendarNextMonth", "Next month", "Next month (PgDn)"
        )
        self.view_buttons: dict[str, QPushButton] = {}
        self.view_group = QButtonGroup(self)
        for key, text, words in (
            (MONTH, "&Month", "Month view"),
            (WEEK, "&Week", "Week view: hours by days"),
            (AGENDA, "A&genda", "Agenda: upcoming posts in order"),
        ):
            button = named(QPushButton(text), f"calendarView_{key}", words, words)
            button.setCheckable(True)
            button.setChecked(key == MONTH)
            button.clicked.connect(lambda _checked=False, k=key: self.set_mode(k))
            self.view_group.addButton(button)
            self.view_buttons[key] = button
        self.month_label = QLabel("")
        self.month_label.setObjectName("calendarMonthTitle")
        font = QFont(self.month_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.month_label.setFont(font)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_to_today)

        header = QHBoxLayout()
        header.addWidget(self.prev_button)
        header.addWidget(self.today_button)
        header.addWidget(self.next_button)
        header.addSpacing(12)
        header.addWidget(self.month_label)
        header.addStretch(1)
        for button in self.view_buttons.values():
            header.addWidget(button)

        self.message_bar = MessageBar("calendar")
        # Its room is kept while hidden (two lines of text): a message appearing or going never
        # moves the grid, so a drag or a click lands where the user aimed.
        policy = self.message_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.message_bar.setSizePolicy(policy)
        self.message_bar.setFixedHeight(2 * self.message_bar.fontMetrics().lineSpacing() + 14)
        # The same post actions (and the one Delete with Undo) as Drafts and the Dashboard.
        self.post_actions = PostActions(
            self.tasks,
            self.service.posts,
            self.signals,
            self.message_bar,
            self,
            default_time=lambda: self.default_time,
            tz=self.tz,
            clock=self.clock,
            preferences=self.preferences,  # where Publish now's "Don't ask again" is kept
        )
        self.post_actions.publish_now_requested.connect(self.publish_now_requested)

        names = [
            self.qlocale.dayName(
                (first_weekday(self.qlocale) + offset) % 7 + 1, QLocale.FormatType.ShortFormat
            )
            for offset in range(7)
        ]
        self.grid = MonthGrid(names, self.refusal_on_day)
        self.grid.day_selected.connect(self.select_day)
        self.grid.day_activated.connect(self.open_day)
        self.grid.month_step_requested.connect(self.step_month)
        self.grid.today_requested.connect(self.go_to_today)
        self.grid.more_requested.connect(self.open_day_list)
        self.grid.post_activated.connect(self.edit_post)
        self.grid.post_menu_requested.connect(self.show_post_menu)
        self.grid.post_dropped.connect(self.drop_on_day)
        self.grid.drag_hovered.connect(self._show_hover)
        self.grid.drag_abandoned.connect(self._drag_abandoned)
        self.grid.slot_dropped.connect(self.drop_on_slot)

        # The month is what the tab opens on; the week and the agenda are built when first
        # shown (`week_view`, `agenda`), each in its place behind a stand-in until then.
        self._week_view: WeekView | None = None
        self._agenda: AgendaView | None = None
        self.views = QStackedWidget()
        self.views.setObjectName("calendarViews")
        self.views.addWidget(self.grid)
        self._stand_ins: dict[str, QWidget] = {}
        for key in (WEEK, AGENDA):
            stand_in = self._stand_ins[key] = QWidget()
            stand_in.setObjectName(f"calendar_{key}_NotBuiltYet")
            self.views.addWidget(stand_in)

        self.drafts_panel = DraftsPanel(self.refusal_on_drafts)
        self.drafts_panel.setFixedWidth(250)
        self.drafts_list = self.drafts_panel.list
        self.drafts_list.post_activated.connect(self.edit_post)
        self.drafts_list.post_menu_requested.connect(self.show_post_menu)
        self.drafts_list.post_dropped.connect(self.drop_on_drafts)
        self.drafts_list.drag_hovered.connect(self._show_hover)
        self.drafts_list.drag_abandoned.connect(self._drag_abandoned)
        self.drafts_list.more_wanted.connect(self._more_drafts)

        self.hover_label = QLabel("")
        self._hover_refusal = ""  # the reason the last hovered target would refuse the drop
        self.hover_label.setObjectName("calendarDragHint")
        self.hover_label.setAccessibleName("What a drop here would do")

        left = QVBoxLayout()
        left.addLayout(header)
        left.addWidget(self.message_bar)
        left.addWidget(self.views, 1)
        # Under the grid, beside the drag hint: in the header it would squeeze the month's name.
        footer = QHBoxLayout()
        footer.addWidget(self.hover_label, 1)
        footer.addWidget(StatusLegend())
        left.addLayout(footer)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.drafts_panel)

        # No Ctrl+N here: the window's own Ctrl+N (new post) would become an ambiguous shortcut.
        self.setTabOrder(self.prev_button, self.today_button)
        self.setTabOrder(self.today_button, self.next_button)
        self.setTabOrder(self.next_button, self.view_buttons[MONTH])
        self.setTabOrder(self.view_buttons[MONTH], self.view_buttons[WEEK])
        self.setTabOrder(self.view_buttons[WEEK], self.view_buttons[AGENDA])
        self.setTabOrder(self.view_buttons[AGENDA], self.grid)
        self.setTabOrder(self.grid, self.drafts_list)

    @property
    def week_view(self) -> WeekView:
        """The Week view, built now if it was not yet (it is built when first shown)."""
        if self._week_view is None:
            from linkie_desktop.ui.calendar.week_view import WeekView

            view = self._week_view = WeekView(self.refusal_at_time)
            canvas = view.canvas
            canvas.post_activated.connect(self.edit_post)
            canvas.post_menu_requested.connect(self.show_post_menu)
            canvas.post_dropped.connect(self.drop_at_time)
            canvas.move_requested.connect(self.drop_at_time)
            canvas.drag_hovered.connect(self._show_hover)
            canvas.drag_abandoned.connect(self._drag_abandoned)
            canvas.week_step_requested.connect(self.step)
            canvas.today_requested.connect(self.go_to_today)
            self._place_view(WEEK, view)
            self.setTabOrder(self.grid, canvas)  # after the grid, as the views are stacked
        return self._week_view

    @property
    def agenda(self) -> AgendaView:
        """The Agenda view, built now if it was not yet (it is built when first shown)."""
        if self._agenda is None:
            from linkie_desktop.ui.calendar.agenda_view import AgendaView

            view = self._agenda = AgendaView()
            view.search_changed.connect(self._search_agenda)
            view.shuffle_requested.connect(self.shuffle_queue)
            view.list.post_activated.connect(self.edit_post)
            view.list.post_menu_requested.connect(self.show_post_menu)
            view.list.move_requested.connect(self.move_in_queue)
            self._place_view(AGENDA, view)
            before = self._week_view.canvas if self._week_view is not None else self.grid
            self.setTabOrder(before, view.search)
            self.setTabOrder(view.search, view.list)
        return self._agenda

    def view_widget(self, mode: str) -> QWidget:
        """The widget of the Month, Week or Agenda view (built now if it was not yet)."""
        if mode == WEEK:
            return self.week_view
        return self.agenda if mode == AGENDA else self.grid

    def _place_view(self, key: str, view: QWidget) -> None:
        """`view` takes its stand-in's place in the stack; the view shown stays shown."""
        stand_in = self._stand_ins.pop(key)
        current = self.views.currentIndex()
        self.views.insertWidget(VIEWS.index(key), view)
        self.views.removeWidget(stand_in)
        stand_in.deleteLater()
        self.views.setCurrentIndex(current)

    # --- loading ---------------------------------------------------------------------------------

    def time_text(self, post: CalendarPost) -> str:
        if post.wall is None:
            return ""
        return self.qlocale.toString(
            QTime(post.wall.hour, post.wall.minute), QLocale.FormatType.ShortFormat
        )

    def status_text(self, post: CalendarPost) -> str:
        """A post's status in words: "Waiting — reconnect LinkedIn" for a due post the
        connection cannot send (services.overview.waiting_label, the rule the Drafts list and
        the Dashboard use), else its stored status."""
        connection = self.connection
        if connection is None:
            return status_label(post.status)
        waiting = waiting_label(post.status, post.instant, self.clock(), connection)
        return waiting or status_label(post.status)

    def reload(self) -> None:
        """Everything again, on the runner: the month shown, the drafts (as many rows as are
        shown, a page at least) and an open day list (after a change anywhere)."""
        self.stale = False
        self.show_month(self.year, self.month)
        service, rows = self.service, max(PAGE_SIZE, self.drafts_list.count())
        self._waiting.add(DRAFTS)
        self._drafts_asked = True
        self.tasks.run_db(
            lambda: service.drafts_page(0, rows),
            self._drafts_read,
            lambda reason: self._read_failed(DRAFTS, reason),
            owner=self,
            key=self._keys[DRAFTS],
        )
        if self.day_dialog is not None:
            self._read_day(self.day_dialog.day, 0)
        if self.mode == WEEK:
            self.show_week()
        elif self.mode == AGENDA:
            self.read_agenda()

    # --- the views -------------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        """Show the Month, Week or Agenda view (read afresh when it is shown)."""
        self.mode = mode
        self.view_buttons[mode].setChecked(True)
        self.views.setCurrentWidget(self.view_widget(mode))  # built at its first showing
        navigable = mode != AGENDA
        for button in (self.prev_button, self.next_button, self.today_button):
            button.setEnabled(navigable)
        unit = "week" if mode == WEEK else "month"
        self.prev_button.setAccessibleName(f"Previous {unit}")
        self.next_button.setAccessibleName(f"Next {unit}")
        self.prev_button.setToolTip(f"Previous {unit} (PgUp)")
        self.next_button.setToolTip(f"Next {unit} (PgDn)")
        if mode == WEEK:
            self.show_week()
        elif mode == AGENDA:
            self.read_agenda()
        else:
            self._title_month()
        shown = self.views.currentWidget()
        if shown is not None:
            shown.setFocus()

    def week_start(self) -> date:
        """The first day (the locale's) of the week of the selected day."""
        day = self.grid.current if self.grid.current != date.min else self.service.today()
        return day - timedelta(days=(day.weekday() - first_weekday(self.qlocale)) % 7)

    def show_week(self) -> None:
        service, first = self.service, self.week_start()
        self._waiting.add(WEEK)
        self.tasks.run_db(
            lambda: service.week_view(first),
            self._week_read,
            lambda reason: self._read_failed(WEEK, reason),
            owner=self,
            key=self._keys[WEEK],
        )

    def _week_read(self, week: WeekData) -> None:
        self.week = week
        self._show_known(WEEK, week.posts)
        self.week_view.show_week(
            week.days,
            week.today,
            week.posts,
            week.free_slots,
            self.time_text,
            self._day_name,
            self.status_text,
        )
        if self.mode == WEEK:
            first, last = week.days[0], week.days[-1]
            title = f"{first.day} {self.qlocale.monthName(first.month)} – {last.day} "
            title += f"{self.qlocale.monthName(last.month)} {last.year}"
            self.month_label.setText(title)
            self.month_label.setAccessibleName(f"Showing the week of {title}")
        if week.total > len(week.posts):
            self.message_bar.show_message(
                f"This week has {week.total} posts; the week view shows the first "
                f"{len(week.posts)}. The month view's day lists show them all.",
                warning=True,
            )
        self._arrived(WEEK)

    def _day_name(self, day: date) -> str:
        name = self.qlocale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
        return f"{name} {day.day}"

    def read_agenda(self) -> None:
        service, search = self.service, self.agenda_search
        self._waiting.add(AGENDA)
        self.tasks.run_db(
            lambda: service.agenda(search),
            lambda entries: self._agenda_read(entries, search),
            lambda reason: self._read_failed(AGENDA, reason),
            owner=self,
            key=self._keys[AGENDA],
        )

    def _search_agenda(self, text: str) -> None:
        self.agenda_search = text
        self.read_agenda()

    def _agenda_read(self, entries: tuple[AgendaEntry, ...], search: str) -> None:
        self._show_known(AGENDA, [entry.post for entry in entries])
        self.agenda.show_entries(entries, self.time_text, search, self.status_text)
        if self.mode == AGENDA:
            self.month_label.setText("Upcoming posts")
            self.month_label.setAccessibleName("Showing the upcoming posts")
        self._arrived(AGENDA)

    def _title_month(self) -> None:
        if self.view is None:
            return
        title = f"{self.qlocale.standaloneMonthName(self.view.month)} {self.view.year}"
        self.month_label.setText(title)
        self.month_label.setAccessibleName(f"Showing {title}")

    def show_month(self, year: int, month: int) -> None:
        """Turn to a month: ONE query (the 42 days) on the runner; the grid shows it when it is
        read, and the month shown until then stays."""
        self.year, self.month = year, month
        service, weekday = self.service, first_weekday(self.qlocale)
        engine, user_id, clock = self.workspace.engine, self.workspace.user_id, self.clock

        def read() -> tuple[MonthView, ConnectionInfo]:
            view = service.month_view(year, month, weekday)
            return view, connection_status(engine, user_id, clock())

        self._waiting.add(MONTH)
        self.tasks.run_db(
            read,
            self._month_read,
            lambda reason: self._read_failed(MONTH, reason),
            owner=self,
            key=self._keys[MONTH],
        )

    def _month_read(self, answer: tuple[MonthView, ConnectionInfo]) -> None:
        view, self.connection = answer
        self.view = view
        self._show_known(MONTH, [post for posts in view.posts.values() for post in posts])
        self.grid.show_view(view, self.time_text, self.status_text)
        if self.mode == MONTH:
            self._title_month()
        self._arrived(MONTH)

    def _drafts_read(self, page: Page) -> None:
        self._drafts_asked = False
        self._show_known(DRAFTS, page.posts)
        self.drafts_panel.show_drafts(page.posts, page.total)
        self._arrived(DRAFTS)

    def _more_drafts(self, offset: int) -> None:
        if self._drafts_asked:
            return
        self._drafts_asked = True
        service = self.service
        self.tasks.run_db(
            lambda: service.drafts_page(offset),
            self._more_drafts_read,
            lambda reason: self._read_failed(DRAFTS, reason),
            owner=self,
            key=self._keys[DRAFTS],
        )

    def _more_drafts_read(self, page: Page) -> None:
        self._drafts_asked = False
        self._show_known(DRAFTS, page.posts, more=True)
        self.drafts_panel.add_drafts(page.offset, page.posts, page.total)

    def _show_known(self, where: str, posts: Sequence[CalendarPost], more: bool = False) -> None:
        shown = self._shown[where]
        if not more:
            shown.clear()
        shown.update((post.id, post) for post in posts)
        self.known = {
            **self._shown[AGENDA],
            **self._shown[WEEK],
            **self._shown["day"],
            **self._shown[DRAFTS],
            **self._shown[MONTH],
        }

    def _read_failed(self, what: str, reason: str) -> None:
        if what == DRAFTS:
            self._drafts_asked = False
        self.message_bar.show_message(reason, warning=True)
        self._arrived(what)

    def _arrived(self, what: str) -> None:
        if what in self._waiting:
            self._waiting.discard(what)
            if not self._waiting:
                self.data_shown.emit()

    def _posts_changed(self, change: PostsChanged) -> None:
        if change.echoes(self):
            return  # this tab's own drop: it has read again already
        self._reload_when_seen()

    def _reload_when_seen(self) -> None:
        # Another tab may autosave every few seconds: a hidden calendar only notes that it is
        # out of date and catches up when it is shown again.
        if self.isVisible():
            self.reload()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            self.reload()

    def _preferences_changed(self, prefs: Preferences) -> None:
        self.default_time = prefs.default_time

    # --- navigation ------------------------------------------------------------------------------

    def select_day(self, day: date, follow: bool = True) -> None:
        if follow and (day.year, day.month) != (self.year, self.month):
            self.show_month(day.year, day.month)
        self.grid.set_current(day)

    def step(self, delta: int) -> None:
        """Previous / Next: a month in the month view, a week in the week view."""
        if self.mode == WEEK:
            day = self.grid.current + timedelta(weeks=delta)
            self.select_day(day)
            self.show_week()
        else:
            self.step_month(delta)

    def step_month(self, delta: int) -> None:
        year, month = shift_month(self.year, self.month, delta)
        current = self.grid.current
        self.show_month(year, month)
        self.grid.set_current(clamp_day(year, month, current.day))

    def go_to_today(self) -> None:
        self.select_day(self.service.today())
        if self.mode == WEEK:
            self.show_week()
            self.week_view.canvas.setFocus()
        else:
            self.grid.setFocus()

    # --- opening days and posts ------------------------------------------------------------------

    def open_day(self, day: date) -> None:
        """Enter or double-click on a day: its list when it has posts, else a new post there."""
        self.grid.set_current(day)
        if self.view is not None and self.view.count_on(day):
            self.open_day_list(day)
        else:
            self.new_post_on(day)

    def open_day_list(self, day: date) -> None:
        from linkie_desktop.ui.calendar.day_dialog import DayPostsDialog

        if self.day_dialog is not None:
            self.day_dialog.close()
        dialog = DayPostsDialog(day, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.post_activated.connect(self.edit_post)
        dialog.post_menu_requested.connect(self.show_post_menu)
        dialog.new_post_requested.connect(self.new_post_on)
        dialog.more_wanted.connect(self._more_of_day)
        dialog.destroyed.connect(self._day_dialog_closed)
        self.day_dialog = dialog
        # The posts the grid shows for the day at once; the list's pages follow from the runner.
        view = self.view
        shown = view.posts_on(day) if view is not None else ()
        total = view.count_on(day) if view is not None else 0
        dialog.show_posts(shown, total, self.time_text, self.status_text)
        self._read_day(day, 0)
        dialog.open()

    def _read_day(self, day: date, offset: int) -> None:
        self._day_asked = True
        service = self.service
        self.tasks.run_db(
            lambda: service.day_page(day, offset),
            lambda page: self._day_read(day, page),
            lambda reason: self._read_failed("day", reason),
            owner=self,
            key=self._keys["day"],
        )

    def _more_of_day(self, day: date, offset: int) -> None:
        if not self._day_asked:
            self._read_day(day, offset)

    def _day_read(self, day: date, page: Page) -> None:
        self._day_asked = False
        dialog = self.day_dialog
        if dialog is None or dialog.day != day:
            return
        self._show_known("day", page.posts, more=page.offset > 0)
        if page.offset == 0:
            dialog.show_posts(page.posts, page.total, self.time_text, self.status_text)
        else:
            dialog.add_posts(page.offset, page.posts, page.total, self.time_text, self.status_text)

    def _day_dialog_closed(self) -> None:
        self.day_dialog = None
        self._day_asked = False
        self._show_known("day", ())

    def new_post_on(self, day: date) -> None:
        if day < self.service.today():
            self.message_bar.show_message(PAST_DAY_NEW_POST, warning=True)
            return
        self._open_post_dialog(None, day)

    def edit_post(self, post_id: str) -> None:
        self._open_post_dialog(post_id, None)

    def _open_post_dialog(self, post_id: str | None, day: date | None) -> None:
        from linkie_desktop.ui.widgets.post_dialog import PostDialog

        dialog = PostDialog(
            self.workspace,
            self.signals,
            post_id,
            day,
            self,
            tz=self.tz,
            clock=self.clock,
            tasks=self.tasks,
            preferences=self.preferences,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _id, message: self.message_bar.show_message(message))
        dialog.gone.connect(self._post_gone)
        dialog.destroyed.connect(self._post_dialog_closed)
        self.active_dialog = dialog
        dialog.open()

    def _post_gone(self, message: str) -> None:  # deleted elsewhere meanwhile
        self.message_bar.show_message(message, warning=True)
        self.reload()

    def _post_dialog_closed(self) -> None:
        self.active_dialog = None

    # --- the context menu ------------------------------------------------------------------------

    def post_menu_for(self, post_id: str) -> QMenu | None:
        post = self.known.get(post_id)
        if post is None:
            return None
        return build_post_menu(self, post, self.post_actions, self.edit_post)

    def show_post_menu(self, post_id: str, position: QPoint) -> None:
        menu = self.post_menu_for(post_id)
        if menu is None:
            return
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = menu
        menu.popup(position)

    def _act(self, key: str, post_id: str) -> None:
        post = self.known.get(post_id)
        if post is None:  # not on screen (any more): read again
            self.reload()
            return
        self.post_actions.act(key, PostTarget.of_calendar(post))

    def unschedule_post(self, post_id: str) -> None:
        self._act(UNSCHEDULE, post_id)

    def publish_post_now(self, post_id: str) -> None:
        self._act(PUBLISH_NOW, post_id)

    def duplicate_post(self, post_id: str) -> None:
        self._act(DUPLICATE, post_id)

    def delete_post(self, post_id: str) -> None:
        self._act(DELETE, post_id)

    # --- drag and drop ---------------------------------------------------------------------------

    def refusal_on_day(self, post_id: str, day: date) -> str:
        """Why a drop of `post_id` on `day` would be refused ("" = fine), from what is shown."""
        post = self.known.get(post_id)
        if post is None or self.view is None:
            return ""  # not on screen: the drop itself will check in the database
        return movement_refusal(post, day, self.view.today)

    def refusal_on_drafts(self, post_id: str) -> str:
        post = self.known.get(post_id)
        if post is None or self.view is None:
            return ""
        return movement_refusal(post, None, self.view.today)

    def drop_on_day(self, post_id: str, day: date) -> None:
        self.hover_label.clear()
        self.grid.set_current(day)
        service, default_time = self.service, self.default_time
        self._run(lambda: service.drop_on_day(post_id, day, default_time))

    def refusal_at_time(self, post_id: str, wall: datetime) -> str:
        """Why a drop of `post_id` at the local wall time `wall` would be refused ("" = fine)."""
        if resolve_wall_time(wall, self.tz).instant < self.clock() + MIN_LEAD:
            return TIME_PASSED
        post = self.known.get(post_id)
        if post is None:
            return ""
        return movement_refusal(post, wall.date(), self.service.today())

    def drop_at_time(self, post_id: str, wall: datetime) -> None:
        """The week view's drop or keyboard move: the post goes to that local time."""
        self.hover_label.clear()
        self.week_view.canvas.select(post_id)
        service = self.service
        self._run(lambda: service.drop_at_time(post_id, wall))

    def drop_on_slot(self, post_id: str, occurrence: Occurrence) -> None:
        """A drop on a free slot's dashed target in the month: the post takes its time."""
        self.hover_label.clear()
        service = self.service
        self._run(lambda: service.drop_on_slot(post_id, occurrence))

    def move_in_queue(self, post_id: str, step: int) -> None:
        service = self.service
        self._run(lambda: service.move_in_queue(post_id, step))

    def shuffle_queue(self) -> None:
        service = self.service
        self._run(service.shuffle_queue)

    def drop_on_drafts(self, post_id: str) -> None:
        self.hover_label.clear()
        service = self.service
        self._run(lambda: service.drop_on_drafts(post_id))

    def _show_hover(self, text: str, refused: bool) -> None:
        self.hover_label.setText(text)
        self._hover_refusal = text if refused else ""

    def _drag_abandoned(self) -> None:
        """A real drag let go where it was refused (Qt then sends no drop event) or cancelled:
        the reason moves from the passing hint into the message bar, where it stays readable."""
        if self._hover_refusal:
            self.message_bar.show_message(self._hover_refusal, warning=True)
        self._hover_refusal = ""
        self.hover_label.clear()

    def _run(self, action: Callable[[], Outcome]) -> None:
        """Do one change on the runner; say what happened, or why nothing did."""
        self.tasks.run_db(
            _attempt(action),
            self._ran,
            lambda reason: self.message_bar.show_message(reason, warning=True),
            owner=self,
        )

    def _ran(self, outcome: Outcome | _Refused) -> None:
        if isinstance(outcome, _Refused):
            self.message_bar.show_message(outcome.reason, warning=True)
            return
        if outcome.post_ids:
            self.signals.announce_posts(outcome.post_ids, initiator=self)
            self.reload()
        self.message_bar.show_message(outcome.message)
