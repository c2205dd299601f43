"""posts_changed says which posts changed and who changed them."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from linkie_desktop.ui.app_signals import AppSignals, PostsChanged


def test_an_announcement_carries_the_ids_and_the_initiator(qtbot: QtBot) -> None:
    hub, view, other_view = AppSignals(), object(), object()
    with qtbot.waitSignal(hub.posts_changed) as changed:
        hub.announce_posts(["a", "b"], initiator=view)
    [change] = changed.args
    assert change == PostsChanged(("a", "b"), view)
    assert change.echoes(view) and not change.echoes(other_view)
    assert change.concerns("a") and not change.concerns("c") and not change.concerns(None)


def test_an_empty_announcement_concerns_every_post_and_echoes_nobody() -> None:
    change = PostsChanged(())
    assert change.everything and change.concerns("any") and change.concerns(None)
    assert not change.echoes(None) and not change.echoes(object())
