"""The composer's formats in tests: a draft open in the Drafts tab, and its stored content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QImageReader
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.post_content import PostContent
from linkie_desktop.services.posts import PostRecord, PostService
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.fakes.image_files import write_png
from tests.ui.drafts.attach_support import WAIT_MS
from tests.ui.drafts.tab_support import settle


@dataclass(frozen=True)
class OpenDraft:
    tab: DraftsTab
    post: PostRecord
    service: PostService

    @property
    def composer(self) -> Composer:
        return self.tab.composer

    def stored(self) -> PostContent:
        return self.service.content(self.post.id)

    def stored_widths(self) -> list[int]:
        """The stored images' widths, in the post's order (the tests' images differ by width)."""
        return [
            QImageReader(str(self.service.media_path(m.path))).size().width()
            for m in self.stored().images
        ]


def attach_files(qtbot: QtBot, composer: Composer, start: Callable[[], bool]) -> bool:
    """Start an attach (`start`, e.g. composer.attach_document(path)) and wait for its end;
    True when the files are attached."""
    with qtbot.waitSignal(composer.attach_finished, timeout=WAIT_MS) as finished:
        assert start()
    return bool(finished.args[0])


def saved(qtbot: QtBot, tab: DraftsTab) -> None:
    """Whatever the composer holds is written (the autosave timer not waited for)."""
    assert tab.composer.flush()
    settle(qtbot, tab)


def image_files(folder: Path, widths: list[int]) -> list[Path]:
    return [write_png(folder / f"picture-{w}.png", width=w) for w in widths]
