"""A new request that fails leaves no earlier answer on screen that looks like its answer."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from linkie_desktop.ui.studio import StudioTab
from tests.fakes.ai_servers import AiServers


def _generate_and_wait(qtbot: QtBot, tab: StudioTab, idea: str) -> None:
    tab.idea_edit.setPlainText(idea)
    tab.generate()
    qtbot.waitUntil(lambda: not tab.jobs.busy)
    qtbot.waitUntil(lambda: tab.tasks.pending == 0)


def test_a_failed_generation_clears_the_variations_of_the_run_before(
    qtbot: QtBot, tab: StudioTab, ai_env: AiServers
) -> None:
    _generate_and_wait(qtbot, tab, "Why consistency beats virality")
    assert all(card.isVisible() for card in tab.cards)
    assert tab.history.currentItem() is not None

    ai_env.anthropic.inject(429, retry_after=30)
    _generate_and_wait(qtbot, tab, "A different idea: remote teams")

    assert "limiting" in tab.messages.text_label.text()
    assert not any(card.isVisible() for card in tab.cards)
    assert tab.run is None  # "Use as draft" of the old run cannot be reached any more
    assert tab.hint.isVisible()
    assert tab.history.currentItem() is None  # no past run is marked as the one on screen
    assert tab.idea_edit.toPlainText() == "A different idea: remote teams"  # the idea stays


def test_a_failed_image_keeps_the_variations_it_was_drawn_for(
    qtbot: QtBot, tab: StudioTab, ai_env: AiServers
) -> None:
    _generate_and_wait(qtbot, tab, "Why consistency beats virality")
    ai_env.gemini.inject(500)
    tab.generate_image()
    qtbot.waitUntil(lambda: not tab.jobs.busy)
    qtbot.waitUntil(lambda: tab.messages.isVisible())
    assert all(card.isVisible() for card in tab.cards)  # the image failed, not this text
