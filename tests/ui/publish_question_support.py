"""Publish now asks first (ui/post_actions.py): tests that only want the post sent say yes."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.post_actions import PostActions


def say_publish(qtbot: QtBot, actions: PostActions) -> None:
    """Press Publish in the question Publish now asked (read on the database worker first)."""
    qtbot.waitUntil(lambda: actions.publish_question is not None, timeout=5000)
    question = actions.publish_question
    assert question is not None
    button = question.findChild(QPushButton, "publishNowConfirm")
    assert button is not None
    button.click()
