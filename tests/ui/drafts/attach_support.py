"""Attaching an image in tests: the composer answers later, by signal; wait for it, bounded."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from linkie_desktop.ui.drafts.composer import Composer

# Far longer than a check and a copy of a test image need; only a stuck attach reaches it.
WAIT_MS = 10_000


def attach_and_wait(qtbot: QtBot, composer: Composer, source: Path) -> bool:
    """Start an attach, wait for its end; True when the image was attached."""
    with qtbot.waitSignal(composer.attach_finished, timeout=WAIT_MS) as finished:
        assert composer.attach_image(source)
    return bool(finished.args[0])
