"""The composer in a narrow window: at 900 px the Drafts tab gives it a column of ~390 px, and
the details under the text (the "Add:" buttons, first comment, visibility, history, preview) fit
in it; the "Add:" buttons wrap onto a second row there and stay in one row when there is room."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractScrollArea, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.tab_support import settle


def shown_at(qtbot: QtBot, make_tab: Callable[[], DraftsTab], width: int) -> DraftsTab:
    tab = make_tab()
    tab.resize(width, 600)
    qtbot.waitUntil(lambda: tab.width() == width, timeout=5000)
    settle(qtbot, tab)
    return tab


def details(tab: DraftsTab) -> QWidget:
    widget = tab.composer.details_scroll.widget()
    assert widget is not None
    return widget


def nearest_scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def overflow(tab: DraftsTab) -> list[str]:
    """The details' visible widgets whose right edge passes the scroll area's viewport (cut off:
    the details scroll only up and down). Widgets inside a scroll area of their own (the preview
    at LinkedIn's feed width, the history's table) scroll sideways there: not counted."""
    scroll = tab.composer.details_scroll
    viewport = scroll.viewport()
    return [
        child.objectName() or type(child).__name__
        for child in details(tab).findChildren(QWidget)
        if child.isVisible()
        and nearest_scroll_area(child) is scroll
        and child.mapTo(viewport, QPoint(child.width(), 0)).x() > viewport.width()
    ]


@pytest.mark.parametrize("width", [900, 1280])
def test_nothing_in_the_details_is_cut_off(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], width: int
) -> None:
    tab = shown_at(qtbot, make_tab, width)
    scroll = tab.composer.details_scroll
    assert details(tab).minimumSizeHint().width() <= scroll.viewport().width()
    assert overflow(tab) == []


def test_the_add_buttons_wrap_when_narrow_and_share_a_row_when_wide(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab]
) -> None:
    tab = shown_at(qtbot, make_tab, 900)
    buttons = tab.composer.add_buttons
    assert all(button.isVisible() for button in buttons)
    assert len({button.y() for button in buttons}) == 2
    # Tab still walks them in their order across the wrap.
    assert [b.nextInFocusChain() for b in buttons[:-1]] == list(buttons[1:])
    tab.resize(1280, 600)
    qtbot.waitUntil(lambda: len({button.y() for button in buttons}) == 1, timeout=5000)
    lefts = [button.x() for button in buttons]
    assert lefts == sorted(lefts)  # in their order, left to right
