"""The composer's counter and LinkedIn-style preview with its "…see more" fold."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.drafts.preview import SEE_MORE
from linkie_desktop.ui.drafts.tab import DraftsTab


def test_preview_marks_the_fold_of_a_long_post(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab]
) -> None:
    tab = make_tab()
    tab.new_post()
    QTest.keyClicks(tab.composer.body_edit, "Short opening line.")
    assert SEE_MORE not in tab.composer.preview.body_html()

    tab.composer.body_edit.setPlainText("one\ntwo\nthree\nfour is hidden")

    html = tab.composer.preview.body_html()
    assert SEE_MORE in html
    assert html.index("three") < html.index(SEE_MORE) < html.index("four is hidden")


def test_counter_follows_the_text_and_warns_past_the_limit(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab]
) -> None:
    tab = make_tab()
    tab.new_post()
    tab.composer.body_edit.setPlainText("y" * 3000)
    assert tab.composer.counter.text() == "3000 / 3000"
    assert tab.composer.counter.styleSheet() == ""
    QTest.keyClicks(tab.composer.body_edit, "z")
    assert tab.composer.counter.text() == "3001 / 3000"
    assert "color" in tab.composer.counter.styleSheet()
    assert "1 characters over" in tab.composer.counter.accessibleDescription()
