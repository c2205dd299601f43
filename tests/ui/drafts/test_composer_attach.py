"""Attaching an image: checked and copied off the GUI thread; what is no image file is refused."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThread, QTimer
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.images import MAX_IMAGE_BYTES
from linkie_desktop.services.posts import PostRecord, PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.tasks import TaskRunner
from tests.fakes.image_files import named_pipe, write_huge_png, write_png
from tests.ui.drafts.attach_support import WAIT_MS, attach_and_wait
from tests.ui.drafts.tab_support import open_post


def _media_files(workspace: Workspace) -> list[Path]:
    folder = workspace.config.media_dir
    return sorted(folder.iterdir()) if folder.exists() else []


@contextmanager
def _not_an_image_file(kind: str, tmp_path: Path) -> Iterator[Path]:
    if kind == "named pipe":
        with named_pipe(tmp_path / "photo.png") as pipe:
            yield pipe
    elif kind == "device":
        yield Path("/dev/zero")  # never ends: reading it "to the end" fills the memory
    else:
        folder = tmp_path / "photo.png"
        folder.mkdir()
        yield folder


@dataclass(frozen=True)
class _OpenDraft:
    tab: DraftsTab
    post: PostRecord


@pytest.fixture
def open_draft(qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService) -> _OpenDraft:
    """A draft without an image, open in the Drafts tab's composer."""
    post = service.create_draft("Pic", "Text")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    return _OpenDraft(tab, post)


@pytest.mark.parametrize("kind", ["named pipe", "device", "folder"])
def test_what_is_not_an_image_file_is_refused_at_once_and_changes_nothing(
    kind: str,
    qtbot: QtBot,
    open_draft: _OpenDraft,
    service: PostService,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    tab, post = open_draft.tab, open_draft.post
    before = service.get(post.id)

    with _not_an_image_file(kind, tmp_path) as source:
        assert not attach_and_wait(qtbot, tab.composer, source)

    # Said in the composer's message area, beside the attachments, in the dialog and tab alike.
    assert tab.composer.message.isVisible()
    assert (
        tab.composer.message.text()
        == f"{source.name} is a {kind}, not an image file; choose a PNG, JPEG or GIF."
    )
    assert service.get(post.id) == before
    assert _media_files(workspace) == []
    assert tab.composer.add_images_button.isEnabled()  # ready for the right file


def test_a_file_over_the_size_limit_is_refused_before_anything_is_copied(
    qtbot: QtBot,
    open_draft: _OpenDraft,
    service: PostService,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    tab, post = open_draft.tab, open_draft.post
    huge = write_huge_png(tmp_path / "poster.png", MAX_IMAGE_BYTES + 1)

    assert not attach_and_wait(qtbot, tab.composer, huge)

    assert "poster.png is 100.1 MB; Linkie takes images of at most 100 MB" in (
        tab.composer.message.text()
    )
    assert service.get(post.id).image_path is None
    assert _media_files(workspace) == []


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    """A runner of the test's own, kept alive (and its worker idle) until the test is over."""
    runner = TaskRunner()
    yield runner
    assert runner.wait_idle(WAIT_MS)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)


@dataclass(frozen=True)
class _HeldPostService(PostService):
    """The real service, watched: attach_images notes the thread it runs on, then waits for the
    test's go-ahead (so the test can use the composer while the check is in progress)."""

    started: threading.Event = field(default_factory=threading.Event)
    go_ahead: threading.Event = field(default_factory=threading.Event)
    seen: dict[str, bool] = field(default_factory=dict)

    def attach_images(
        self, post_id: str, sources: Sequence[Path], alt_texts: Sequence[str | None] = ()
    ) -> PostRecord:
        app = QCoreApplication.instance()
        assert app is not None
        self.seen["on the GUI thread"] = QThread.currentThread() == app.thread()
        self.started.set()
        if not self.go_ahead.wait(WAIT_MS / 1000):
            raise AssertionError("the test never let the attach go on")
        return super().attach_images(post_id, sources, alt_texts)


@dataclass(frozen=True)
class _HeldComposer:
    held: _HeldPostService
    composer: Composer
    post: PostRecord


@pytest.fixture
def held_composer(qtbot: QtBot, runner: TaskRunner, service: PostService) -> _HeldComposer:
    """A shown composer on a draft whose attach waits for the test's go-ahead."""
    held = _HeldPostService(service.engine, service.user_id, service.media_dir)
    composer = Composer(held, runner)
    qtbot.addWidget(composer)
    composer.show()
    post = held.create_draft("Pic", "Before")
    composer.load(post.id)
    qtbot.waitUntil(lambda: composer.post_id == post.id, timeout=WAIT_MS)
    return _HeldComposer(held, composer, post)


def test_the_check_runs_off_the_gui_thread_and_the_composer_keeps_answering(
    qtbot: QtBot, held_composer: _HeldComposer, tmp_path: Path
) -> None:
    held, composer, post = held_composer.held, held_composer.composer, held_composer.post
    image = write_png(tmp_path / "holiday.png")

    assert composer.attach_image(image)  # returns while the check is still to come
    qtbot.waitUntil(held.started.is_set, timeout=WAIT_MS)
    # The GUI thread is free: timers fire, typing lands, the button waits for the image.
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=WAIT_MS)
    QTest.keyClicks(composer.body_edit, " and after")
    assert composer.counter.text().startswith("16 /")
    assert composer.attaching
    assert not composer.add_images_button.isEnabled()
    assert composer.message.text() == "Checking and adding the image…"

    with qtbot.waitSignal(composer.attach_finished, timeout=WAIT_MS) as finished:
        held.go_ahead.set()

    assert finished.args == [True]
    assert held.seen == {"on the GUI thread": False}
    assert composer.flush()
    qtbot.waitUntil(lambda: composer.settled, timeout=WAIT_MS)
    stored = held.get(post.id)
    assert stored.image_path is not None and Path(stored.image_path).is_file()
    assert stored.content == "Before and after"  # typed during the attach, kept
    qtbot.waitUntil(lambda: len(composer.strip.tiles) == 1, timeout=WAIT_MS)
    assert not composer.message.isVisible()
    assert composer.add_images_button.isEnabled()


def test_a_second_attach_while_one_is_on_its_way_does_not_start(
    qtbot: QtBot, held_composer: _HeldComposer, service: PostService, tmp_path: Path
) -> None:
    held, composer = held_composer.held, held_composer.composer

    assert composer.attach_image(write_png(tmp_path / "a.png"))
    assert not composer.attach_image(write_png(tmp_path / "b.png"))
    with qtbot.waitSignal(composer.attach_finished, timeout=WAIT_MS):
        held.go_ahead.set()
    record = composer.record
    assert record is not None and record.image_path is not None
    assert service.media_dir is not None
    assert [p.name for p in service.media_dir.iterdir()] == [Path(record.image_path).name]
