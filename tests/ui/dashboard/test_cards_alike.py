"""The Dashboard's cards are drawn alike: the failed card (a button) has the figure cards' frame
and background, not a raised push button's bevel."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.dashboard.cards import ActionCard, FigureCard


def _points(image: QImage) -> dict[str, QColor]:
    """The frame's edges and the empty inside (below the caption, where no text is drawn)."""
    w, h = image.width(), image.height()
    return {
        "left edge": image.pixelColor(0, h // 2),
        "top edge": image.pixelColor(w // 2, 0),
        "bottom edge": image.pixelColor(w // 2, h - 1),
        "inside, low left": image.pixelColor(4, h - 4),
        "inside, right": image.pixelColor(w - 5, h // 2),
    }


def test_the_action_card_is_drawn_as_the_figure_cards_are(qtbot: QtBot) -> None:
    row = QWidget()
    layout = QHBoxLayout(row)
    figure = FigureCard("drafts", "drafts")
    action = ActionCard("failed", "failed posts")
    layout.addWidget(figure)
    layout.addWidget(action)
    qtbot.addWidget(row)
    row.resize(600, 140)
    row.show()
    qtbot.waitExposed(row)
    figure.set_value("3")
    action.set_value("3")
    action.setFixedSize(figure.size())
    qtbot.waitUntil(lambda: action.size() == figure.size())

    drawn = {
        name: {k: c.name() for k, c in _points(card.grab().toImage()).items()}
        for name, card in (("figure", figure), ("action", action))
    }
    assert drawn["action"] == drawn["figure"]
