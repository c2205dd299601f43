"""Real mouse drags in the Calendar tab, on a real X server, checked in the real database.

test_calendar_tab.py delivers drag events by hand because a QDrag cannot run offscreen. Here Qt's
own drag-and-drop runs end to end: this test starts a private Xvfb, and a child process
(calendar_drag_child.py, platform xcb) presses, moves and releases the mouse with QTest so that
QDrag.exec does the work. pytest itself stays offscreen and never runs an event loop of its own.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from linkie_desktop.domain.schedule import PAST_DAY
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.preferences import Preferences, save_preferences
from linkie_desktop.services.workspace import Workspace
from tests.calendar_support import add_post, local, row_of
from tests.ui.workspace_support import opened_workspace

CHILD = Path(__file__).with_name("calendar_drag_child.py")
ROOT = CHILD.parents[3]
# Thursday 26 March 2026, 14:07 in Berlin: the clocks go forward on Sunday the 29th.
TODAY = date(2026, 3, 26)
NOW = local(TODAY, 14, 7)
ZONE = "Europe/Berlin"
DB_NAME = "linkie.db"
DEFAULT_TIME = "10:30"  # not the built-in 09:00, so the drop must have read Preferences
# Generous: a loaded 2-core machine. A normal run takes about a second for each.
XVFB_READY_S = 20
CHILD_TIMEOUT_S = 60  # with Xvfb's wait, inside pytest-timeout's 120 s


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path, DB_NAME) as space:
        save_preferences(space.config.data_dir, Preferences(default_post_time=DEFAULT_TIME))
        yield space


def _read_display(read_fd: int, server: subprocess.Popen[bytes], log: Path) -> str:
    """The display number Xvfb chose and wrote to -displayfd, once it accepts connections."""
    with selectors.DefaultSelector() as selector:
        selector.register(read_fd, selectors.EVENT_READ)
        text = b""
        while not text.endswith(b"\n"):
            if not selector.select(timeout=XVFB_READY_S):
                pytest.fail(f"Xvfb gave no display in {XVFB_READY_S} s: {log.read_text()}")
            chunk = os.read(read_fd, 64)
            if not chunk:
                server.wait(timeout=5)
                pytest.fail(
                    f"Xvfb exited ({server.returncode}) before it was ready: {log.read_text()}"
                )
            text += chunk
    return f":{text.decode().strip()}"


@contextmanager
def xvfb(tmp_path: Path) -> Iterator[str]:
    """A private X server on a display number it picks itself (no clash with other runs)."""
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.fail(
            "Xvfb is not installed, so a real mouse drag cannot be tested: "
            "run scripts/setup.sh (it installs the Debian package xvfb)."
        )
    log = tmp_path / "xvfb.log"
    read_fd, write_fd = os.pipe()
    try:
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [binary, "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24"],
                pass_fds=(write_fd,),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        os.close(write_fd)
        write_fd = -1
        try:
            yield _read_display(read_fd, server, log)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)


def drag_in_child(tmp_path: Path, space: Workspace, drags: list[str]) -> dict[str, Any]:
    """Run the child under a fresh Xvfb; return its JSON report (the test judges the database)."""
    arguments = [str(CHILD), str(tmp_path / DB_NAME), "--data-dir", str(space.config.data_dir)]
    arguments += ["--zone", ZONE, "--now", NOW.isoformat()]
    for drag in drags:
        arguments += ["--drag", drag]
    with xvfb(tmp_path) as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        try:
            done = subprocess.run(
                [sys.executable, *arguments],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=CHILD_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as stuck:  # run() has killed it by now
            pytest.fail(f"the drag child hung for {CHILD_TIMEOUT_S} s: {stuck.stderr!r}")
    seen = f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, seen
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["platform"] == "xcb", seen
    assert report["exposed"], f"the calendar window was never shown on {display}\n{seen}"
    assert report["settled"], f"the calendar's month and drafts never arrived\n{seen}"
    assert report["warnings"] == [], seen
    assert len(report["drags"]) == len(drags), seen
    for drag in report["drags"]:
        assert drag["errors"] == [], seen
        assert drag["started"], f"Qt's drag loop never ran\n{seen}"
        assert drag["after_state"] == "", f"the day stayed lit after the release\n{seen}"
    return report


def scheduled_by_mouse(
    tmp_path: Path, space: Workspace, drag: str
) -> tuple[datetime, dict[str, Any]]:
    """One accepted drag: the row is scheduled; its new time and the child's report of it."""
    (report,) = drag_in_child(tmp_path, space, [drag])["drags"]
    assert report["hover_state"] == "accept"  # the day lit up under the pointer
    status, scheduled_at, *_ = row_of(space.engine, report["post_id"])
    assert status == PostStatus.SCHEDULED
    assert isinstance(scheduled_at, datetime)
    return scheduled_at, report


def test_a_draft_dragged_with_the_mouse_onto_a_day_is_scheduled_at_the_default_time(
    tmp_path: Path, workspace: Workspace
) -> None:
    post_id = add_post(workspace.engine, workspace.user_id, "Weekly kickoff")
    day = date(2026, 3, 30)

    scheduled_at, drag = scheduled_by_mouse(tmp_path, workspace, f"draft:{post_id}:{day}")

    assert scheduled_at == local(day, 10, 30) == datetime(2026, 3, 30, 8, 30, tzinfo=UTC)
    assert drag["hover_text"] == "Drop to schedule on Monday 30 March 2026."
    assert drag["message"] == "“Weekly kickoff” is scheduled for Mon 30 Mar 2026 at 10:30."


def test_a_scheduled_post_dragged_with_the_mouse_keeps_its_time_of_day(
    tmp_path: Path, workspace: Workspace
) -> None:
    # Friday 27 March 09:15 is CET; Tuesday 31 March is CEST: the UTC hour must change.
    before = local(date(2026, 3, 27), 9, 15)
    assert before == datetime(2026, 3, 27, 8, 15, tzinfo=UTC)
    post_id = add_post(workspace.engine, workspace.user_id, "Moving", PostStatus.SCHEDULED, before)
    day = date(2026, 3, 31)

    scheduled_at, drag = scheduled_by_mouse(tmp_path, workspace, f"post:{post_id}:{day}")

    assert scheduled_at == local(day, 9, 15) == datetime(2026, 3, 31, 7, 15, tzinfo=UTC)
    assert drag["message"] == "“Moving” moved to Tue 31 Mar 2026 at 09:15."


def test_a_draft_released_with_the_mouse_on_a_past_day_stays_a_draft_and_says_why(
    tmp_path: Path, workspace: Workspace
) -> None:
    post_id = add_post(workspace.engine, workspace.user_id, "Too late")
    before = row_of(workspace.engine, post_id)

    report = drag_in_child(tmp_path, workspace, [f"draft:{post_id}:{date(2026, 3, 25)}"])

    assert row_of(workspace.engine, post_id) == before
    (drag,) = report["drags"]
    assert drag["hover_state"] == "refuse"
    # Qt sends no drop event where the day refused while hovering: the hint said why, and on
    # letting go the reason moves to the message bar, where it stays readable.
    assert drag["hover_text"] == PAST_DAY
    assert drag["message"] == PAST_DAY
    assert drag["after_hover_text"] == ""
