"""The context menu of a post anywhere in the calendar: Edit (or Open) and then the shared post
actions (ui/post_actions.py), each disabled, with the reason as its tooltip, when it does not
apply."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from linkie_desktop.domain.posts import is_editable
from linkie_desktop.services.calendar import CalendarPost
from linkie_desktop.ui.post_actions import PostActions, PostTarget


def build_post_menu(
    parent: QWidget, post: CalendarPost, actions: PostActions, edit: Callable[[str], None]
) -> QMenu:
    menu = actions.menu_for(PostTarget.of_calendar(post), parent)
    menu.setObjectName("calendarPostMenu")
    edit_action = QAction("&Edit…" if is_editable(post.status) else "&Open…", menu)
    edit_action.setObjectName("editAction")
    edit_action.triggered.connect(lambda: edit(post.id))
    first = menu.actions()[0]
    menu.insertAction(first, edit_action)
    menu.insertSeparator(first)
    return menu
