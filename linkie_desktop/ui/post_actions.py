"""The one set of post actions: Schedule…, Add to queue, Unschedule, Publish now (asked first),
Retry, Mark as published, Duplicate, Delete with Undo (also Ctrl+Z while the Undo bar shows),
View on LinkedIn, Copy link, Show activity, and New post, for every view that shows posts; a
post's context menu adds Repeat… and Evergreen.

`PostActions` owns the QActions of "the current post" (a toolbar, the Post menu) and builds the
same actions in a context menu for any post (`menu_for`). Whether an action applies is read from
the domain's one table (`domain/status.py`); a disabled action's tooltip says why. Every change
runs on the task runner's database worker through `PostService`, is announced on
`posts_changed` with this object as the initiator, and ends with a sentence in the view's message
bar: what happened, or why nothing did. Publish now is only asked for (`publish_now_requested`):
the window hands it to the publisher driver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QCheckBox, QInputDialog, QMenu, QMessageBox, QWidget

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.domain.posts import ValidationError, display_title
from linkie_desktop.domain.repeat import RepeatRule
from linkie_desktop.domain.schedule import format_day, text_problem
from linkie_desktop.domain.status import PostAction, PostStatus, allows
from linkie_desktop.services.browser_handoff import Launcher
from linkie_desktop.services.notifications import post_page_url
from linkie_desktop.services.oauth import ConnectionInfo
from linkie_desktop.services.overview import linkedin_connection
from linkie_desktop.services.posts import DeletedPost, PostRecord, PostService, StorageError
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.icons import decorate, themed_icon
from linkie_desktop.ui.notifications import open_in_browser
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.message_bar import MessageBar

if TYPE_CHECKING:
    # Imported where used: the calendar's kind of post, and the dialogs of Schedule… and
    # Repeat…, are not needed to show the first tab (the Dashboard builds these actions).
    from linkie_desktop.services.calendar import CalendarPost
    from linkie_desktop.services.slots import SlotService
    from linkie_desktop.ui.drafts.schedule_prompt import SchedulePrompt
    from linkie_desktop.ui.widgets.recurrence_editor import RepeatDialog

T = TypeVar("T")

UNDO_DELETE_MS = 8000
DEFAULT_POSTING_TIME = time(9, 0)
CHECKING_CONNECTION = "Checking the LinkedIn connection…"
NO_POST = "Choose a post first."
NO_POST_TO_PUBLISH = "Choose a draft, scheduled or failed post to publish."

# The keys name the QActions (f"{key}Action"): tests, the Post menu and shortcuts rely on them.
NEW, DUPLICATE, DELETE = "newPost", "duplicatePost", "deletePost"
SCHEDULE, UNSCHEDULE, PUBLISH_NOW = "schedulePost", "unschedulePost", "publishNow"
RETRY, MARK_PUBLISHED = "retryPost", "markPublished"
QUEUE, REPEAT, EVERGREEN = "queuePost", "repeatPost", "evergreenPost"
VIEW_ON_LINKEDIN, COPY_LINK, SHOW_ACTIVITY = "viewOnLinkedIn", "copyPostLink", "showActivity"
UNDO_DELETE = "undoDelete"
NOT_ON_LINKEDIN = "Only a published post is on LinkedIn."
NO_LINK = (
    "Linkie does not know this post's address on LinkedIn: it was marked as published without "
    "its link. Find it on your LinkedIn profile."
)
PUBLISH_QUESTION = "Publish to LinkedIn now?"
WHO_SEES = {
    Visibility.PUBLIC: "Everyone will see it.",
    Visibility.CONNECTIONS: "Your connections will see it.",
}
# Icons of the actions ui/icons.py does not name (it decorates the rest): freedesktop names.
_OWN_ICONS = {
    VIEW_ON_LINKEDIN: "internet-web-browser",
    COPY_LINK: "edit-copy",
    SHOW_ACTIVITY: "document-open-recent",
    UNDO_DELETE: "edit-undo",
}


@dataclass(frozen=True)
class _Spec:
    key: str
    text: str
    tip: str  # what it does, shown while it is enabled
    domain: PostAction | None  # None: New post, which needs no post
    # Made into a QKeySequence only when the actions are: none may exist before the app.
    shortcut: QKeySequence.StandardKey | str | None = None


_KEYS = QKeySequence.StandardKey
SPECS: tuple[_Spec | None, ...] = (  # menu order; None marks a separator
    _Spec(NEW, "New post", "Start a new post (Ctrl+N)", None, _KEYS.New),
    _Spec(
        DUPLICATE,
        "Duplicate",
        "Make a new draft from this post (Ctrl+D)",
        PostAction.DUPLICATE,
        "Ctrl+D",
    ),
    _Spec(
        DELETE,
        "Delete",
        "Delete this post (Delete); you can undo it",
        PostAction.DELETE,
        _KEYS.Delete,
    ),
    None,
    _Spec(
        SCHEDULE,
        "Schedule…",
        "Choose when LinkedIn gets this post (Ctrl+Shift+S)",
        PostAction.SCHEDULE,
        "Ctrl+Shift+S",
    ),
    _Spec(
        QUEUE,
        "Add to &queue",  # Q: the Post menu's other items need the common letters
        "Schedule this post in the next free posting slot (Settings › Schedule)",
        PostAction.SCHEDULE,
    ),
    _Spec(UNSCHEDULE, "Unschedule", "Turn this post back into a draft", PostAction.UNSCHEDULE),
    _Spec(
        PUBLISH_NOW,
        "Publish now",
        "Send this post to LinkedIn now (Ctrl+Shift+P)",
        PostAction.PUBLISH_NOW,
        "Ctrl+Shift+P",
    ),
    None,
    _Spec(RETRY, "Retry", "Try publishing this failed post again", PostAction.RETRY),
    _Spec(
        MARK_PUBLISHED,
        "Mark as published",
        "It is on LinkedIn after all: never send it again",
        PostAction.MARK_PUBLISHED,
    ),
    None,
    # A post's life on LinkedIn and in Linkie: no change of status, so no domain action.
    _Spec(VIEW_ON_LINKEDIN, "View on LinkedIn", "Open this post's page on LinkedIn", None),
    _Spec(COPY_LINK, "Copy link", "Copy the address of this post on LinkedIn", None),
    _Spec(SHOW_ACTIVITY, "Show activity", "Every attempt and outcome of this post", None),
)

# Only in a post's context menu: what a post does beyond this one time.
MENU_EXTRAS: tuple[_Spec, ...] = (
    _Spec(REPEAT, "Repeat…", "Post this again every few days or weeks", PostAction.EDIT),
    _Spec(
        EVERGREEN,
        "Evergreen",
        "Reuse this published post in empty posting slots (Settings › Schedule)",
        PostAction.DUPLICATE,
    ),
)

_NOT_ALLOWED: dict[str, str] = {
    DELETE: "This post is being published right now; try again shortly.",
    SCHEDULE: "A {status} post cannot be scheduled.",
    QUEUE: "A {status} post cannot be queued.",
    REPEAT: "A {status} post cannot be changed: duplicate it to repeat its text.",
    UNSCHEDULE: "Only a scheduled or failed post can be unscheduled.",
    PUBLISH_NOW: "A {status} post cannot be published again.",
    RETRY: "Only a failed post can be retried.",
    MARK_PUBLISHED: "Only a failed post can be marked as published.",
}


@dataclass(frozen=True)
class PostTarget:
    """What the actions need to know of a post, from any view's own kind of post."""

    id: str
    status: str
    label: str  # the title, else the first words of the text
    content_problem: str = ""  # why it cannot be scheduled or published; "" when it can
    scheduled_at: datetime | None = None
    urn: str | None = None  # on LinkedIn; None: not known here (read when needed)

    @classmethod
    def of_record(cls, record: PostRecord, content: str | None = None) -> PostTarget:
        """`content`: the text on screen, when it is newer than the record's."""
        text = record.content if content is None else content
        return cls(
            record.id,
            record.status,
            display_title(record.title, text, limit=60),
            text_problem(text),
            record.scheduled_at,
            record.linkedin_post_urn,
        )

    @classmethod
    def of_calendar(cls, post: CalendarPost) -> PostTarget:
        return cls(post.id, post.status, post.label, post.content_problem, post.instant)


def why_not(key: str, post: PostTarget | None, connection: ConnectionInfo | None) -> str:
    """Why the action `key` does not apply to `post` now ("" when it does)."""
    if key == NEW:
        return ""
    if post is None:
        return NO_POST_TO_PUBLISH if key == PUBLISH_NOW else NO_POST
    if key in (VIEW_ON_LINKEDIN, COPY_LINK):
        return "" if post.status == PostStatus.PUBLISHED else NOT_ON_LINKEDIN
    if key == SHOW_ACTIVITY:
        return ""
    if key == PUBLISH_NOW:
        if connection is None:
            return CHECKING_CONNECTION
        if reason := connection.why_not_publishable():
            return reason
    spec = _spec(key)
    assert spec.domain is not None
    if key == EVERGREEN and post.status != PostStatus.PUBLISHED:
        return "Only a published post can be evergreen."
    if not allows(post.status, spec.domain):
        return _NOT_ALLOWED[key].format(status=post.status)
    return ""


def _spec(key: str) -> _Spec:
    return next(spec for spec in (*SPECS, *MENU_EXTRAS) if spec is not None and spec.key == key)


@dataclass(frozen=True)
class _Refused:
    reason: str


def _attempt(work: Callable[[], T]) -> Callable[[], T | _Refused]:
    """On the database worker: a refusal of the rules or the disk is an answer, not a crash, so
    it reads the same whichever runner (the window's or a tab's own) runs it."""

    def run() -> T | _Refused:
        try:
            return work()
        except (ValidationError, StorageError) as exc:
            return _Refused(str(exc))

    return run


def _quoted(label: str) -> str:
    return f"“{label}”"


class PostActions(QObject):
    publish_now_requested = Signal(str)  # post id, for the publisher driver
    show_activity_requested = Signal(str)  # post id: the window shows its Activity
    new_post_requested = Signal()
    post_created = Signal(str)  # a duplicate, or a deleted post put back: views may open it
    post_deleted = Signal(str)

    def __init__(
        self,
        tasks: TaskRunner,
        service: PostService,
        signals: AppSignals,
        message_sink: MessageBar,
        parent: QObject | None = None,
        *,
        default_time: Callable[[], time] = lambda: DEFAULT_POSTING_TIME,
        prepare: Callable[[], bool] = lambda: True,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utc_now,
        preferences: AppPreferences | None = None,
        launcher: Launcher = open_in_browser,
    ) -> None:
        """`prepare` runs before an action on the current post (the composer saves what was
        typed first); False stops the action. `default_time`: the user's posting time.
        `preferences`: the window's, where "Don't ask again" for Publish now is kept (without
        them Publish now always asks). `launcher` opens a post's page (View on LinkedIn)."""
        super().__init__(parent)
        self.setObjectName("postActions")
        self._tasks = tasks
        self._service = service
        self._signals = signals
        self._messages = message_sink
        self._default_time = default_time
        self._prepare = prepare
        # Add to queue: the posting slots are wall times in `tz` (None: the system's zone); their
        # service is made at the first use.
        self._tz, self._clock = tz, clock
        self._slot_service: SlotService | None = None
        self.repeat_dialog: RepeatDialog | None = None
        self._post: PostTarget | None = None
        self._connection: ConnectionInfo | None = None
        self._pending_delete: DeletedPost | None = None
        self.schedule_prompt: SchedulePrompt | None = None
        self._preferences = preferences
        self.launcher = launcher
        self.publish_question: QMessageBox | None = None
        self.actions: dict[str, QAction] = {}
        for spec in SPECS:
            if spec is not None:
                self.actions[spec.key] = self._make_action(spec, self)
        self.actions[NEW].triggered.connect(self.new_post_requested)
        for key, action in self.actions.items():
            if key != NEW:
                action.triggered.connect(lambda _checked=False, k=key: self._act_on_current(k))
        # Ctrl+Z undoes a delete while its Undo bar shows (in the composer's text, the text's
        # own undo has the key first: Qt gives it to the focused editor).
        self.undo_action = QAction("Undo delete", self)
        self.undo_action.setObjectName(f"{UNDO_DELETE}Action")
        self.undo_action.setIcon(themed_icon(_OWN_ICONS[UNDO_DELETE]))
        self.undo_action.setToolTip("Put back the post just deleted (Ctrl+Z)")
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        self.actions[UNDO_DELETE] = self.undo_action
        message_sink.expired.connect(self._forget_deleted)
        signals.connection_changed.connect(self.read_connection)
        self.read_connection()
        self._update()

    # --- the actions -----------------------------------------------------------------------------

    def _make_action(self, spec: _Spec, parent: QObject) -> QAction:
        action = QAction(spec.text, parent)
        action.setObjectName(f"{spec.key}Action")
        action.setToolTip(spec.tip)
        action.setStatusTip(spec.tip)
        if spec.key in _OWN_ICONS:
            action.setIcon(themed_icon(_OWN_ICONS[spec.key]))
        return action

    def in_menu_order(self) -> tuple[QAction | None, ...]:
        """The current post's actions in menu order; None marks a separator."""
        return tuple(None if spec is None else self.actions[spec.key] for spec in SPECS)

    def set_shortcuts(self) -> None:
        """Give the actions their keys: Ctrl+N window-wide (the window then shows the editor);
        the others only inside the widget that adds the actions, so Ctrl+D pressed in another
        tab never acts on a hidden post."""
        for spec in SPECS:
            if spec is None or spec.shortcut is None:
                continue
            action = self.actions[spec.key]
            action.setShortcut(QKeySequence(spec.shortcut))
            if spec.key != NEW:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    @property
    def post(self) -> PostTarget | None:
        return self._post

    @property
    def connection(self) -> ConnectionInfo | None:
        return self._connection

    def set_post(self, post: PostTarget | None) -> None:
        """The post the actions (toolbar, Post menu) act on; None: no post chosen."""
        self._post = post
        self._update()

    def read_connection(self) -> None:
        service = self._service
        self._tasks.run_db(
            lambda: linkedin_connection(service.engine, service.user_id),
            self._connection_read,
            owner=self,
        )

    def _connection_read(self, connection: ConnectionInfo) -> None:
        self._connection = connection
        self._update()

    def _update(self) -> None:
        for key, action in self.actions.items():
            if key != UNDO_DELETE:
                self._show_availability(key, action, self._post)
        self.undo_action.setEnabled(self._pending_delete is not None)

    def _show_availability(self, key: str, action: QAction, post: PostTarget | None) -> None:
        reason = why_not(key, post, self._connection)
        action.setEnabled(not reason)
        # The toolbar button and the menu item show the action's tooltip: it says why not.
        tip = reason or _spec(key).tip
        action.setToolTip(tip)
        action.setStatusTip(tip)

    def menu_for(self, post: PostTarget, parent: QWidget | None = None) -> QMenu:
        """A context menu of the same actions for `post` (any post, not only the current one)."""
        menu = QMenu(parent)
        menu.setObjectName("postActionsMenu")
        menu.setAccessibleName(f"Actions for {post.label}")
        menu.setToolTipsVisible(True)
        for spec in (*SPECS[1:], None, *MENU_EXTRAS):  # New post is not an action on a post
            if spec is None:
                menu.addSeparator()
                continue
            action = self._make_action(spec, menu)
            menu.addAction(action)
            self._show_availability(spec.key, action, post)
            action.triggered.connect(lambda _checked=False, k=spec.key: self.act(k, post))
        decorate(menu.actions())  # the same icons as the Post menu's
        return menu

    def _act_on_current(self, key: str) -> None:
        post = self._post
        if post is not None and self._prepare():  # what was typed is saved first
            self.act(key, post)

    def act(self, key: str, post: PostTarget) -> None:
        """Do the action `key` to `post`; a refusal is said in the message bar."""
        reason = why_not(key, post, self._connection)
        if reason:
            self._say(reason, warning=True)
            return
        handlers: dict[str, Callable[[PostTarget], None]] = {
            DUPLICATE: self.duplicate,
            DELETE: self.delete,
            SCHEDULE: self.schedule,
            UNSCHEDULE: self.unschedule,
            PUBLISH_NOW: self.publish_now,
            RETRY: self.retry,
            MARK_PUBLISHED: self.mark_published,
            QUEUE: self.add_to_queue,
            REPEAT: self.repeat,
            EVERGREEN: self.toggle_evergreen,
            VIEW_ON_LINKEDIN: self.view_on_linkedin,
            COPY_LINK: self.copy_link,
            SHOW_ACTIVITY: self.show_activity,
        }
        handlers[key](post)

    # --- running a change ------------------------------------------------------------------------

    def _say(self, text: str, *, warning: bool = False) -> None:
        self._messages.show_message(text, warning=warning, timeout_ms=0 if warning else 6000)

    def _change(
        self,
        work: Callable[[], T],
        done: Callable[[T], str],
        changed: Callable[[T], str],
    ) -> None:
        """Run `work`; announce the post `changed` names and say `done`'s sentence."""

        def answer(outcome: T | _Refused) -> None:
            if isinstance(outcome, _Refused):
                self._say(outcome.reason, warning=True)
                return
            self._signals.announce_posts([changed(outcome)], initiator=self)
            message = done(outcome)
            if message:
                self._say(message)

        self._tasks.run_db(
            _attempt(work), answer, lambda reason: self._say(reason, warning=True), owner=self
        )

    def _dialog_parent(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    # --- each action -----------------------------------------------------------------------------

    def duplicate(self, post: PostTarget) -> None:
        service = self._service

        def done(copy: PostRecord) -> str:
            self.post_created.emit(copy.id)
            return f"A copy of {_quoted(post.label)} is in the drafts."

        self._change(lambda: service.duplicate(post.id), done, lambda copy: copy.id)

    def delete(self, post: PostTarget) -> None:
        service = self._service

        def done(deleted: DeletedPost) -> str:
            self.post_deleted.emit(post.id)
            # Showing this message expires the previous one (and forgets its deletion), so the
            # new deletion becomes the one Undo restores only after that.
            self._messages.show_message(
                f"{_quoted(post.label)} was moved to the trash.",
                action=("Undo", self.undo_delete),
                timeout_ms=UNDO_DELETE_MS,
            )
            self._pending_delete = deleted
            self.undo_action.setEnabled(True)
            return ""

        self._change(lambda: service.delete(post.id), done, lambda _deleted: post.id)

    @property
    def undo_pending(self) -> bool:
        return self._pending_delete is not None

    def undo_delete(self) -> None:
        deleted, self._pending_delete = self._pending_delete, None
        self.undo_action.setEnabled(False)
        if deleted is None:
            return
        self._messages.dismiss()  # by Ctrl+Z as by its button: the Undo bar has done its job
        service = self._service

        def done(record: PostRecord) -> str:
            self.post_created.emit(record.id)
            return f"{_quoted(display_title(record.title, record.content, limit=60))} is back."

        self._change(lambda: service.restore(deleted), done, lambda record: record.id)

    def _forget_deleted(self) -> None:
        """The Undo time is over: the deleted post's image copy may go too."""
        deleted, self._pending_delete = self._pending_delete, None
        self.undo_action.setEnabled(False)
        if deleted is not None:
            service = self._service
            self._tasks.run_db(lambda: service.forget(deleted), owner=self)

    def shutdown(self) -> None:
        """The window closes: a pending Undo expires (the runner's owner waits for the rest)."""
        self._messages.dismiss()
        self._forget_deleted()

    def unschedule(self, post: PostTarget) -> None:
        service = self._service
        self._change(
            lambda: service.unschedule(post.id),
            lambda _post: f"{_quoted(post.label)} is a draft again, not scheduled.",
            lambda _post: post.id,
        )

    def retry(self, post: PostTarget) -> None:
        service = self._service
        self._change(
            lambda: service.retry(post.id),
            lambda _record: f"Queued: Linkie will send {_quoted(post.label)} again shortly.",
            lambda _record: post.id,
        )

    def mark_published(self, post: PostTarget) -> None:
        link, accepted = QInputDialog.getText(
            self._dialog_parent(),
            "Mark as published",
            "You found this post on LinkedIn. Paste its link to keep it with the post (optional):",
        )
        if not accepted:
            return
        service = self._service
        self._change(
            lambda: service.mark_published(post.id, link),
            lambda _record: f"{_quoted(post.label)} is marked as published.",
            lambda _record: post.id,
        )

    def schedule(self, post: PostTarget) -> None:
        if post.content_problem:
            self._say(f"Can't schedule: {post.content_problem}", warning=True)
            return
        from linkie_desktop.ui.drafts.schedule_prompt import SchedulePrompt, suggested_time

        suggestion = suggested_time(post.scheduled_at, self._default_time())
        service = self._service

        def chosen(when: datetime) -> None:
            local = when.astimezone()
            self._change(
                lambda: service.schedule(post.id, when),
                lambda _post: (
                    f"{_quoted(post.label)} is scheduled for {format_day(local.date())} "
                    f"at {local:%H:%M}."
                ),
                lambda _post: post.id,
            )

        self.schedule_prompt = SchedulePrompt(self._dialog_parent(), suggestion, chosen)
        self.schedule_prompt.open()

    def publish_now(self, post: PostTarget) -> None:
        """Asked first — "Publish to LinkedIn now?" with who will see it — unless the user said
        not to ask again; the post's visibility is read on the database worker."""
        if post.content_problem:
            self._say(f"Can't publish: {post.content_problem}", warning=True)
            return
        prefs = self._preferences
        if prefs is not None and not prefs.current.confirm_publish_now:
            self._send_now(post)
            return
        service = self._service

        def ask(visibility: Visibility | _Refused) -> None:
            if isinstance(visibility, _Refused):
                self._say(visibility.reason, warning=True)
            else:
                self._ask_before_publishing(post, visibility)

        self._tasks.run_db(
            _attempt(lambda: service.content(post.id).visibility),
            ask,
            lambda reason: self._say(reason, warning=True),
            owner=self,
        )

    def _ask_before_publishing(self, post: PostTarget, visibility: Visibility) -> None:
        box = QMessageBox(self._dialog_parent())
        box.setObjectName("publishNowQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Publish now")
        box.setText(PUBLISH_QUESTION)
        box.setInformativeText(f"{_quoted(post.label)}\n{WHO_SEES[visibility]}")
        publish = box.addButton("Publish", QMessageBox.ButtonRole.AcceptRole)
        publish.setObjectName("publishNowConfirm")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(publish)
        if self._preferences is not None:  # where the answer can be kept
            again = QCheckBox("Don't ask again", box)  # owned by the box, not by Python
            again.setObjectName("publishNowDontAsk")
            box.setCheckBox(again)

        def answered() -> None:
            self.publish_question = None
            box.deleteLater()
            if box.clickedButton() is not publish:
                return
            checkbox = box.checkBox()
            if checkbox is not None and checkbox.isChecked() and self._preferences is not None:
                prefs = self._preferences
                prefs.save(prefs.current.with_changes(confirm_publish_now=False))
            self._send_now(post)

        box.finished.connect(answered)
        self.publish_question = box
        box.open()

    def _send_now(self, post: PostTarget) -> None:
        self.publish_now_requested.emit(post.id)
        self._say(f"Sending {_quoted(post.label)} to LinkedIn now…")

    # --- a published post on LinkedIn, and every post's history -------------------------------

    def _with_link(self, post: PostTarget, use: Callable[[str], None]) -> None:
        """`use(address)` of the post's page; the URN read from the database when the view did
        not carry it (the calendar's posts)."""
        if post.urn:
            use(post_page_url(post.urn))
            return
        service = self._service

        def read(urn: str | _Refused | None) -> None:
            if isinstance(urn, _Refused):
                self._say(urn.reason, warning=True)
            elif urn is None:
                self._say(NO_LINK, warning=True)
            else:
                use(post_page_url(urn))

        self._tasks.run_db(
            _attempt(lambda: service.get(post.id).linkedin_post_urn),
            read,
            lambda reason: self._say(reason, warning=True),
            owner=self,
        )

    def view_on_linkedin(self, post: PostTarget) -> None:
        def open_page(url: str) -> None:
            if not self.launcher(url):
                self._say(f"No browser could be opened. The post is at {url}", warning=True)

        self._with_link(post, open_page)

    def copy_link(self, post: PostTarget) -> None:
        def copy(url: str) -> None:
            QGuiApplication.clipboard().setText(url)
            self._say(f"The link to {_quoted(post.label)} is copied.")

        self._with_link(post, copy)

    def show_activity(self, post: PostTarget) -> None:
        self.show_activity_requested.emit(post.id)

    def _slots(self) -> SlotService:
        """The posting slots' service, made at the first Add to queue."""
        if self._slot_service is None:
            from linkie_desktop.services.slots import SlotService

            service = self._service
            self._slot_service = SlotService(
                service.engine, service.user_id, self._tz, self._clock, posts=service
            )
        return self._slot_service

    def add_to_queue(self, post: PostTarget) -> None:
        if post.content_problem:
            self._say(f"Can't queue: {post.content_problem}", warning=True)
            return
        slots = self._slots()
        self._change(
            lambda: slots.add_to_queue(post.id),
            lambda queued: f"{queued[1]}.",
            lambda _queued: post.id,
        )

    def repeat(self, post: PostTarget) -> None:
        """Repeat…: the rule in a dialog (ui/widgets/recurrence_editor.py); OK sets it."""
        from linkie_desktop.ui.widgets.recurrence_editor import RepeatDialog

        service = self._service

        def show(rule: RepeatRule | None) -> None:
            def chosen(new_rule: RepeatRule | None) -> None:
                words = new_rule.words().lower() if new_rule else ""
                self._change(
                    lambda: service.set_repeat(post.id, new_rule),
                    lambda _record: (
                        f"{_quoted(post.label)} repeats {words}."
                        if new_rule
                        else f"{_quoted(post.label)} no longer repeats."
                    ),
                    lambda _record: post.id,
                )

            self.repeat_dialog = RepeatDialog(post.label, rule, chosen, self._dialog_parent())
            self.repeat_dialog.open()

        def read(rule: RepeatRule | _Refused | None) -> None:
            if isinstance(rule, _Refused):
                self._say(rule.reason, warning=True)
            else:
                show(rule)

        # The post's rule is read first (on the database worker), so the dialog shows it.
        self._tasks.run_db(
            _attempt(lambda: service.repeat_rule(post.id)),
            read,
            lambda reason: self._say(reason, warning=True),
            owner=self,
        )

    def toggle_evergreen(self, post: PostTarget) -> None:
        service = self._service

        def done(record: PostRecord) -> str:
            if record.evergreen:
                return (
                    f"{_quoted(post.label)} is evergreen: it may fill an empty posting slot "
                    "again (Settings › Schedule)."
                )
            return f"{_quoted(post.label)} is no longer evergreen."

        self._change(lambda: service.toggle_evergreen(post.id), done, lambda _record: post.id)
