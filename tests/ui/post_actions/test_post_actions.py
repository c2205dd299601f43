"""The one set of post actions, on its own: what applies in each status (and why not), and each
action once through the real PostService on the task runner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.domain import schedule
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService, UnknownPostError
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui import post_actions
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.calendar.tab import CalendarTab
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.post_actions import (
    DELETE,
    DUPLICATE,
    MARK_PUBLISHED,
    PUBLISH_NOW,
    RETRY,
    SCHEDULE,
    UNSCHEDULE,
    PostActions,
    PostTarget,
)
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.message_bar import MessageBar
from tests.connection_support import mark_connected
from tests.ui.workspace_support import opened_workspace

WAIT_MS = 5000
ON_A_POST = (DUPLICATE, DELETE, SCHEDULE, UNSCHEDULE, PUBLISH_NOW, RETRY, MARK_PUBLISHED)

# Which actions apply in each status ("" = enabled), LinkedIn connected; the reason otherwise.
EXPECTED: dict[str, dict[str, str]] = {
    PostStatus.DRAFT: {
        UNSCHEDULE: "Only a scheduled or failed post can be unscheduled.",
        RETRY: "Only a failed post can be retried.",
        MARK_PUBLISHED: "Only a failed post can be marked as published.",
    },
    PostStatus.SCHEDULED: {
        RETRY: "Only a failed post can be retried.",
        MARK_PUBLISHED: "Only a failed post can be marked as published.",
    },
    PostStatus.FAILED: {},
    PostStatus.PUBLISHING: {
        DELETE: "This post is being published right now; try again shortly.",
        SCHEDULE: "A publishing post cannot be scheduled.",
        UNSCHEDULE: "Only a scheduled or failed post can be unscheduled.",
        PUBLISH_NOW: "A publishing post cannot be published again.",
        RETRY: "Only a failed post can be retried.",
        MARK_PUBLISHED: "Only a failed post can be marked as published.",
    },
    PostStatus.PUBLISHED: {
        SCHEDULE: "A published post cannot be scheduled.",
        UNSCHEDULE: "Only a scheduled or failed post can be unscheduled.",
        PUBLISH_NOW: "A published post cannot be published again.",
        RETRY: "Only a failed post can be retried.",
        MARK_PUBLISHED: "Only a failed post can be marked as published.",
    },
}


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


@pytest.fixture
def service(workspace: Workspace) -> PostService:
    return PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)


class _View(QWidget):
    """A view the actions live in: a message bar and the changes it hears of."""

    def __init__(self, service: PostService) -> None:
        super().__init__()
        self.signals = AppSignals()
        self.tasks = TaskRunner(parent=self)
        self.bar = MessageBar("test")
        self.bar.setParent(self)
        self.changes: list[PostsChanged] = []
        self.signals.posts_changed.connect(self.changes.append)
        self.actions_ = PostActions(self.tasks, service, self.signals, self.bar, self)

    def settle(self, qtbot: QtBot) -> None:
        qtbot.waitUntil(lambda: self.tasks.pending == 0, timeout=WAIT_MS)

    @property
    def message(self) -> str:
        return self.bar.text_label.text()


@pytest.fixture
def view(qtbot: QtBot, service: PostService) -> _View:
    made = _View(service)
    qtbot.addWidget(made)
    made.show()
    made.settle(qtbot)
    return made


def _post(service: PostService, status: PostStatus, content: str = "Ready to go") -> PostTarget:
    record = service.create_draft("Launch", content)
    with transaction(service.engine) as session:
        queries.update_post(session, record.id, {"status": status}, service.user_id)
    return PostTarget.of_record(service.get(record.id))


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_action_applies_or_says_why_not_in_each_status(
    qtbot: QtBot, view: _View, service: PostService, status: PostStatus
) -> None:
    mark_connected(service.engine, service.user_id)
    view.signals.connection_changed.emit()
    view.settle(qtbot)
    post = _post(service, status)

    view.actions_.set_post(post)
    menu = view.actions_.menu_for(post)

    expected = EXPECTED[status]
    for key in ON_A_POST:
        for action in (view.actions_.actions[key], menu.findChild(QAction, f"{key}Action")):
            assert isinstance(action, QAction)
            reason = expected.get(key, "")
            assert action.isEnabled() == (not reason), (status, key)
            if reason:
                assert action.toolTip() == reason


def test_whether_a_text_can_be_published_is_the_domains_one_rule() -> None:
    # Written once, in domain/: the calendar, the post actions and the Dashboard ask it there
    # (the post actions no longer hand it on under a name of their own).
    assert not hasattr(post_actions, "content_problem")
    assert schedule.text_problem("   ") != "" and schedule.text_problem("Ready") == ""


def test_no_post_and_no_connection_say_why(qtbot: QtBot, view: _View, service: PostService) -> None:
    assert not view.actions_.actions[DUPLICATE].isEnabled()
    assert view.actions_.actions[DUPLICATE].toolTip() == "Choose a post first."
    view.actions_.set_post(_post(service, PostStatus.DRAFT))
    publish = view.actions_.actions[PUBLISH_NOW]
    assert not publish.isEnabled()
    assert publish.toolTip() == "Connect your LinkedIn account in File › Settings… to publish."


def test_unschedule_retry_and_duplicate_change_the_post_and_announce_it(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    scheduled = _post(service, PostStatus.SCHEDULED)
    view.actions_.act(UNSCHEDULE, scheduled)
    view.settle(qtbot)
    assert service.get(scheduled.id).status == PostStatus.DRAFT
    assert view.message == "“Launch” is a draft again, not scheduled."
    assert view.changes[-1].post_ids == (scheduled.id,)
    assert view.changes[-1].echoes(view.actions_)

    failed = _post(service, PostStatus.FAILED)
    view.actions_.act(RETRY, failed)
    view.settle(qtbot)
    assert service.get(failed.id).status == PostStatus.SCHEDULED

    with qtbot.waitSignal(view.actions_.post_created, timeout=WAIT_MS) as created:
        view.actions_.act(DUPLICATE, failed)
    copy = service.get(created.args[0])
    assert (copy.status, copy.content) == (PostStatus.DRAFT, "Ready to go")
    assert view.message == "A copy of “Launch” is in the drafts."


def test_a_refusal_of_the_service_is_said_in_plain_words(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    # Shown as a draft, but the publisher took it meanwhile: the service refuses.
    post = _post(service, PostStatus.DRAFT)
    with transaction(service.engine) as session:
        queries.update_post(session, post.id, {"status": PostStatus.PUBLISHED}, service.user_id)
    view.actions_.act(SCHEDULE, post)
    prompt = view.actions_.schedule_prompt
    assert prompt is not None
    prompt.when_edit.setDateTime(prompt.when_edit.dateTime().addDays(1))
    prompt.accept()
    view.settle(qtbot)
    assert view.message == "A published post cannot be scheduled."
    assert service.get(post.id).status == PostStatus.PUBLISHED


def test_schedule_sets_the_chosen_time(qtbot: QtBot, view: _View, service: PostService) -> None:
    post = _post(service, PostStatus.DRAFT)
    view.actions_.act(SCHEDULE, post)
    prompt = view.actions_.schedule_prompt
    assert prompt is not None
    prompt.accept()  # the suggestion: the default posting time, today or tomorrow
    view.settle(qtbot)
    stored = service.get(post.id)
    assert stored.status == PostStatus.SCHEDULED
    assert stored.scheduled_at is not None
    assert datetime.now(UTC) < stored.scheduled_at < datetime.now(UTC) + timedelta(days=1, hours=1)
    assert view.message.startswith("“Launch” is scheduled for ")


def test_mark_as_published_keeps_the_link(qtbot: QtBot, view: _View, service: PostService) -> None:
    post = _post(service, PostStatus.FAILED)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("urn:li:share:42")
        dialog.accept()

    QTimer.singleShot(0, answer)
    view.actions_.act(MARK_PUBLISHED, post)
    view.settle(qtbot)
    stored = service.get(post.id)
    assert (stored.status, stored.linkedin_post_urn) == (PostStatus.PUBLISHED, "urn:li:share:42")


def test_publish_now_asks_the_publisher_and_refuses_text_linkedin_would_refuse(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    mark_connected(service.engine, service.user_id)
    view.signals.connection_changed.emit()
    view.settle(qtbot)
    post = _post(service, PostStatus.DRAFT)
    view.actions_.act(PUBLISH_NOW, post)
    qtbot.waitUntil(lambda: view.actions_.publish_question is not None, timeout=WAIT_MS)
    question = view.actions_.publish_question
    assert question is not None
    with qtbot.waitSignal(view.actions_.publish_now_requested, timeout=WAIT_MS) as asked:
        # Its Publish button: the question itself is tested in test_publish_now_question.py.
        button = question.findChild(QPushButton, "publishNowConfirm")
        assert button is not None
        button.click()
    assert asked.args == [post.id]
    assert view.message == "Sending “Launch” to LinkedIn now…"

    too_long = _post(service, PostStatus.DRAFT, "x" * 3001)
    view.actions_.act(PUBLISH_NOW, too_long)
    assert view.message.startswith("Can't publish: ") and "3000" in view.message


def test_delete_offers_undo_for_eight_seconds_and_a_second_delete_ends_the_first(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    first, second = _post(service, PostStatus.DRAFT), _post(service, PostStatus.SCHEDULED)
    view.actions_.act(DELETE, first)
    view.settle(qtbot)
    assert view.bar.hide_timer.interval() == 8000
    assert view.bar.action_button.text() == "Undo"
    view.actions_.act(DELETE, second)
    view.settle(qtbot)
    with pytest.raises(UnknownPostError):
        service.get(first.id)

    view.bar.action_button.click()
    view.settle(qtbot)

    assert service.get(second.id).status == PostStatus.SCHEDULED
    assert view.message == "“Launch” is back."
    with pytest.raises(UnknownPostError):
        service.get(first.id)  # its Undo ended when the next deletion came
    assert not view.actions_.undo_pending


def test_drafts_and_calendar_use_this_one_set(qtbot: QtBot, workspace: Workspace) -> None:
    signals = AppSignals()
    drafts = DraftsTab(workspace, signals)
    calendar = CalendarTab(workspace, signals)
    for tab in (drafts, calendar):
        qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: drafts.tasks.pending == 0 and calendar.tasks.pending == 0)

    assert isinstance(drafts.shared_actions, PostActions)
    assert isinstance(calendar.post_actions, PostActions)
    toolbar = [a.objectName() for a in drafts.post_actions() if a is not None]
    assert toolbar == [a.objectName() for a in calendar.post_actions.in_menu_order() if a]
    # Delete with Undo is written once: neither tab keeps a deletion of its own.
    for tab in (drafts, calendar):
        assert not [name for name in vars(type(tab)) if "undo" in name or "forget" in name]
