"""FlowLayout: items in a row, wrapped onto the next line when the row is too narrow."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.widgets.flow_layout import FlowLayout


def _row(qtbot: QtBot, count: int = 5) -> tuple[QWidget, FlowLayout, list[QPushButton]]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host, spacing=6)
    buttons = [QPushButton(f"Button {n}") for n in range(count)]
    for button in buttons:
        button.setFixedSize(100, 30)
        layout.addWidget(button)
    host.show()
    return host, layout, buttons


def test_items_share_one_row_when_it_is_wide_enough(qtbot: QtBot) -> None:
    host, layout, buttons = _row(qtbot)
    host.resize(5 * 100 + 4 * 6, 200)
    qtbot.waitUntil(lambda: buttons[-1].x() == 4 * 106)
    assert [b.x() for b in buttons] == [0, 106, 212, 318, 424]
    assert {b.y() for b in buttons} == {0}
    assert layout.heightForWidth(524) == 30


def test_items_wrap_in_their_order_and_the_height_follows_the_rows(qtbot: QtBot) -> None:
    host, layout, buttons = _row(qtbot)
    host.resize(250, 200)  # two buttons per row
    qtbot.waitUntil(lambda: buttons[2].y() == 36)
    assert [(b.x(), b.y()) for b in buttons] == [(0, 0), (106, 0), (0, 36), (106, 36), (0, 72)]
    assert layout.heightForWidth(250) == 3 * 30 + 2 * 6
    assert layout.minimumSize().width() == 100  # never narrower than its widest item


def test_a_hidden_item_takes_no_room_and_a_short_one_is_centred_on_its_row(
    qtbot: QtBot,
) -> None:
    host, layout, buttons = _row(qtbot, count=2)
    label = QLabel("Add:")
    label.setFixedSize(40, 16)
    layout.addWidget(label)
    buttons[1].hide()
    host.resize(600, 200)
    qtbot.waitUntil(lambda: label.x() == 106)
    assert label.y() == (30 - 16) // 2
