"""The context menu of a post anywhere in the calendar: Edit, Unschedule, Publish now, Duplicate,
Delete — each disabled, with the reason as its tooltip, when it does not apply."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from linkie_desktop.domain.posts import can_delete, can_publish_now, can_unschedule, is_editable
from linkie_desktop.services.calendar import CalendarPost


class PostActions(Protocol):
    def edit_post(self, post_id: str) -> None: ...
    def unschedule_post(self, post_id: str) -> None: ...
    def publish_post_now(self, post_id: str) -> None: ...
    def duplicate_post(self, post_id: str) -> None: ...
    def delete_post(self, post_id: str) -> None: ...


def _action(menu: QMenu, key: str, text: str, enabled: bool, why_not: str) -> QAction:
    action = menu.addAction(text)
    action.setObjectName(f"{key}Action")
    action.setEnabled(enabled)
    if not enabled:
        action.setToolTip(why_not)
    return action


def build_post_menu(
    parent: QWidget, post: CalendarPost, connected: bool, actions: PostActions
) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("calendarPostMenu")
    menu.setAccessibleName(f"Actions for {post.label}")
    menu.setToolTipsVisible(True)
    editable = is_editable(post.status)
    edit = _action(menu, "edit", "&Edit…" if editable else "&Open…", True, "")
    unschedule = _action(
        menu,
        "unschedule",
        "&Unschedule",
        can_unschedule(post.status),
        "Only a scheduled or failed post can be unscheduled.",
    )
    if not connected:
        publish_ok, publish_why = False, "Connect LinkedIn in Settings first."
    elif not can_publish_now(post.status):
        publish_ok, publish_why = False, f"A {post.status} post cannot be published again."
    elif post.content_problem:
        publish_ok, publish_why = False, post.content_problem
    else:
        publish_ok, publish_why = True, ""
    publish = _action(menu, "publishNow", "&Publish now", publish_ok, publish_why)
    menu.addSeparator()
    duplicate = _action(menu, "duplicate", "D&uplicate", True, "")
    delete = _action(
        menu,
        "delete",
        "&Delete…",
        can_delete(post.status),
        "This post is being published right now; try again shortly.",
    )
    edit.triggered.connect(lambda: actions.edit_post(post.id))
    unschedule.triggered.connect(lambda: actions.unschedule_post(post.id))
    publish.triggered.connect(lambda: actions.publish_post_now(post.id))
    duplicate.triggered.connect(lambda: actions.duplicate_post(post.id))
    delete.triggered.connect(lambda: actions.delete_post(post.id))
    return menu
