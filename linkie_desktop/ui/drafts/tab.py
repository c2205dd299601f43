"""The Drafts tab: the posts list (filter, search, sort) beside the composer, and post actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.posts import (
    ValidationError,
    can_delete,
    can_mark_published,
    can_publish_now,
    can_retry,
    can_schedule,
    can_unschedule,
    validate_content,
)
from linkie_desktop.services.oauth import ConnectionInfo
from linkie_desktop.services.overview import linkedin_connection
from linkie_desktop.services.posts import (
    DeletedPost,
    PostService,
)
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.drafts.post_list import PostList
from linkie_desktop.ui.drafts.schedule_prompt import SchedulePrompt, suggested_time
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.message_bar import MessageBar

UNDO_DELETE_MS = 8000


class DraftsTab(QWidget):
    publish_now_requested = Signal(str)  # post id, for the publisher driver to serve

    def __init__(
        self, workspace: Workspace, signals: AppSignals, tasks: TaskRunner | None = None
    ) -> None:
        super().__init__()
        named(self, "draftsTab", "Drafts")
        self._workspace = workspace
        self._signals = signals
        # The window's runner once the shell hands it out (issue 13); until then the tab's own.
        self._owns_tasks = tasks is None
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self._service = PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)
        self._connection = linkedin_connection(workspace.engine, workspace.user_id)
        self._pending_delete: DeletedPost | None = None
        self.schedule_prompt: SchedulePrompt | None = None

        self.posts = PostList(self._service)
        self.composer = Composer(self._service, self.tasks)
        self.message_bar = MessageBar("drafts")
        self._build_actions()
        self.posts.add_context_actions(self.post_actions())
        self._build_layout()
        self._connect()
        self._update_actions()

    # --- construction ----------------------------------------------------------------------------

    def _action(
        self,
        key: str,
        text: str,
        shortcut: QKeySequence | None,
        tip: str,
        window_wide: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{key}Action")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if not window_wide:
            # Ctrl+D or Ctrl+F pressed in the Calendar must not act on the hidden Drafts tab.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.new_action = self._action(
            "newPost",
            "New post",
            key(key.StandardKey.New),
            "Start a new post (Ctrl+N)",
            window_wide=True,  # from any tab: the window then shows Drafts
        )
        self.save_action = self._action(
            "saveNow",
            "Save now",
            key(key.StandardKey.Save),
            "Save now (Ctrl+S); Linkie also saves as you type",
            window_wide=True,
        )
        self.duplicate_action = self._action(
            "duplicatePost", "Duplicate", key("Ctrl+D"), "Make a new draft from this post (Ctrl+D)"
        )
        self.delete_action = self._action(
            "deletePost",
            "Delete",
            key(key.StandardKey.Delete),
            "Delete this post (Delete); you can undo it",
        )
        # Delete must not fire while the user deletes characters in the composer: it belongs to
        # the list only (added to the view below), not to the whole tab.
        self.removeAction(self.delete_action)
        self.schedule_action = self._action(
            "schedulePost", "Schedule…", None, "Choose when LinkedIn gets this post"
        )
        self.unschedule_action = self._action(
            "unschedulePost", "Unschedule", None, "Turn this post back into a draft"
        )
        self.publish_action = self._action(
            "publishNow", "Publish now", None, "Send this post to LinkedIn now"
        )
        self.retry_action = self._action(
            "retryPost", "Retry", None, "Try publishing this failed post again"
        )
        self.mark_published_action = self._action(
            "markPublished",
            "Mark as published",
            None,
            "It is on LinkedIn after all: never send it again",
        )
        self.find_action = self._action(
            "findPosts", "Search", key(key.StandardKey.Find), "Search your posts (Ctrl+F)"
        )

    def post_actions(self) -> tuple[QAction | None, ...]:
        """The post actions in menu order; None marks a separator."""
        return (
            self.new_action,
            self.duplicate_action,
            self.delete_action,
            None,
            self.schedule_action,
            self.unschedule_action,
            self.publish_action,
            None,
            self.retry_action,
            self.mark_published_action,
        )

    def _build_layout(self) -> None:
        toolbar = QToolBar("Post actions")
        toolbar.setObjectName("draftsToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.post_actions():
            if action is None:
                toolbar.addSeparator()
                continue
            toolbar.addAction(action)
            button = toolbar.widgetForAction(action)
            named(button, f"{action.objectName().removesuffix('Action')}Button", action.text())

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("draftsSplitter")
        self.splitter.addWidget(self.posts)
        self.splitter.addWidget(self.composer)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 440])  # a proportion: the list gets a little more room
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(toolbar)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)

        self.setTabOrder(self.posts.view, self.composer.title_edit)

    def _connect(self) -> None:
        self.new_action.triggered.connect(self.new_post)
        self.save_action.triggered.connect(self.save_now)
        self.duplicate_action.triggered.connect(self.duplicate_post)
        self.delete_action.triggered.connect(self.delete_post)
        self.schedule_action.triggered.connect(self.schedule_post)
        self.unschedule_action.triggered.connect(self.unschedule_post)
        self.publish_action.triggered.connect(self.publish_now)
        self.retry_action.triggered.connect(self.retry_post)
        self.mark_published_action.triggered.connect(self.mark_published)
        self.find_action.triggered.connect(self.posts.focus_search)
        self.posts.post_chosen.connect(self._on_post_chosen)
        self.posts.model.modelReset.connect(self._after_reset)
        self.composer.saved.connect(self._on_composer_saved)
        for problem in (self.composer.problem, self.posts.problem):
            problem.connect(lambda text: self.message_bar.show_message(text, warning=True))
        self.message_bar.expired.connect(self._forget_pending_delete)
        self._signals.posts_changed.connect(self._on_posts_changed)
        self._signals.connection_changed.connect(self._on_connection_changed)
        self._signals.open_post_requested.connect(self.open_post)

    # --- list ------------------------------------------------------------------------------------

    def _on_post_chosen(self, post_id: str) -> None:
        if post_id == self.composer.post_id:
            return
        if not self.composer.load(post_id):
            # The text on screen could not be saved: stay with it rather than drop it.
            QTimer.singleShot(0, lambda: self.posts.select(self.composer.post_id))
        self._update_actions()

    def _after_reset(self) -> None:
        self.posts.select(self.composer.post_id)

    def open_post(self, post_id: str) -> None:
        self.composer.load(post_id)
        self.posts.select(self.composer.post_id)
        self._update_actions()

    # --- staying in sync -------------------------------------------------------------------------

    def _on_composer_saved(self, post_id: str) -> None:
        self._signals.announce_posts([post_id], initiator=self)

    def _on_posts_changed(self, change: PostsChanged) -> None:
        self.posts.model.apply_changes(list(change.post_ids))
        if change.concerns(self.composer.post_id):
            self.composer.refresh()
        self.posts.select(self.composer.post_id)
        self.posts.update_count()
        self._update_actions()

    def _on_connection_changed(self) -> None:
        self._connection = linkedin_connection(self._workspace.engine, self._workspace.user_id)
        self._update_actions()

    @property
    def connection(self) -> ConnectionInfo:
        return self._connection

    def _update_actions(self) -> None:
        record = self.composer.record
        status = record.status if record else None
        self.duplicate_action.setEnabled(record is not None)
        self.delete_action.setEnabled(status is not None and can_delete(status))
        self.schedule_action.setEnabled(status is not None and can_schedule(status))
        self.unschedule_action.setEnabled(status is not None and can_unschedule(status))
        self.retry_action.setEnabled(status is not None and can_retry(status))
        self.mark_published_action.setEnabled(status is not None and can_mark_published(status))
        why_not = self._connection.why_not_publishable()
        if not why_not and (status is None or not can_publish_now(status)):
            why_not = "Choose a draft, scheduled or failed post to publish."
        self.publish_action.setEnabled(not why_not)
        # The toolbar button and the menu item show the action's tooltip: it says why not.
        self.publish_action.setToolTip(why_not or "Send this post to LinkedIn now")

    # --- post actions ----------------------------------------------------------------------------

    def new_post(self) -> None:
        self.composer.load(None)
        self.posts.view.selectionModel().clearSelection()
        self._update_actions()
        self.composer.body_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_now(self) -> None:
        if self.composer.flush() and self.composer.record is not None:
            self.message_bar.show_message("Saved.", timeout_ms=2000)

    def _current_post_id(self) -> str | None:
        """The post in the composer once what was typed is saved; None if that failed."""
        if not self.composer.flush():
            return None
        return self.composer.post_id

    def _run(self, change: Callable[[str], object], post_id: str) -> bool:
        """Run one service operation on a post; its refusal is shown in plain words."""
        try:
            change(post_id)
        except ValidationError as exc:
            self.message_bar.show_message(str(exc), warning=True)
            return False
        self._signals.announce_posts([post_id], initiator=self)
        return True

    def duplicate_post(self) -> None:
        post_id = self._current_post_id()
        if post_id is None:
            return
        try:
            copy = self._service.duplicate(post_id)
        except ValidationError as exc:
            self.message_bar.show_message(str(exc), warning=True)
            return
        self.composer.load(copy.id)
        self._signals.announce_posts([copy.id], initiator=self)
        self.message_bar.show_message("Duplicated: you are editing the new draft.", timeout_ms=4000)

    def delete_post(self) -> None:
        post_id = self._current_post_id()
        if post_id is None:
            return
        row = self.posts.model.row_of(post_id)
        try:
            deleted = self._service.delete(post_id)
        except ValidationError as exc:
            self.message_bar.show_message(str(exc), warning=True)
            return
        self.composer.load(None)
        self._signals.announce_posts([post_id], initiator=self)
        if row is not None and self.posts.model.rowCount() > 0:
            self.composer.load(
                self.posts.model.post_id_at(min(row, self.posts.model.rowCount() - 1))
            )
            self.posts.select(self.composer.post_id)
        self._update_actions()
        self.message_bar.show_message(
            f"Deleted “{deleted.record.title or 'post'}”.",
            action=("Undo", self.undo_delete),
            timeout_ms=UNDO_DELETE_MS,
        )
        self._pending_delete = deleted
        self.posts.view.setFocus()

    def undo_delete(self) -> None:
        deleted, self._pending_delete = self._pending_delete, None
        if deleted is None:
            return
        record = self._service.restore(deleted)
        self.composer.load(record.id)
        self._signals.announce_posts([record.id], initiator=self)

    def _forget_pending_delete(self) -> None:
        deleted, self._pending_delete = self._pending_delete, None
        if deleted is not None:
            self._service.forget(deleted)

    def schedule_post(self) -> None:
        post_id = self._current_post_id()
        record = self.composer.record
        if post_id is None or record is None:
            self.message_bar.show_message("Write the post first, then schedule it.", warning=True)
            return
        try:
            validate_content(record.content)
        except ValidationError as exc:
            self.message_bar.show_message(f"Can't schedule: {exc}", warning=True)
            return
        default_time = load_preferences(self._workspace.config.data_dir).default_time
        suggestion = suggested_time(record.scheduled_at, default_time)

        def schedule(when: datetime) -> None:
            self._service.schedule(post_id, when)
            self._signals.announce_posts([post_id], initiator=self)

        self.schedule_prompt = SchedulePrompt(self, suggestion, schedule)
        self.schedule_prompt.open()

    def unschedule_post(self) -> None:
        post_id = self._current_post_id()
        if post_id is not None:
            self._run(self._service.unschedule, post_id)

    def retry_post(self) -> None:
        post_id = self._current_post_id()
        if post_id is not None and self._run(self._service.retry, post_id):
            self.message_bar.show_message(
                "Queued: Linkie will try again within a minute.", timeout_ms=4000
            )

    def mark_published(self) -> None:
        post_id = self._current_post_id()
        if post_id is None:
            return
        link, accepted = QInputDialog.getText(
            self,
            "Mark as published",
            "You found this post on LinkedIn. Paste its link to keep it with the post (optional):",
        )
        if accepted:
            self._run(lambda pid: self._service.mark_published(pid, link), post_id)

    def publish_now(self) -> None:
        post_id = self._current_post_id()
        record = self.composer.record
        if post_id is None or record is None or not self.publish_action.isEnabled():
            return
        try:
            validate_content(record.content)
        except ValidationError as exc:
            self.message_bar.show_message(f"Can't publish: {exc}", warning=True)
            return
        self.publish_now_requested.emit(post_id)
        self.message_bar.show_message("Sending to LinkedIn…", timeout_ms=4000)

    # --- shutting down ---------------------------------------------------------------------------

    def shutdown(self) -> bool:
        """The window closes: save what was typed and let a pending Undo expire.

        False when the text could not be saved, so the window can ask before closing.
        """
        saved = self.composer.flush()
        if self._owns_tasks:  # a window's runner is the window's to wait for
            self.tasks.wait_idle()  # an image being copied lands before the database closes
        self.message_bar.dismiss()
        self._forget_pending_delete()
        return saved
