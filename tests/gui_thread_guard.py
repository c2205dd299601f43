"""Fails a test whose UI code ran a database query on the GUI thread (issue 13: one task runner).

Every SQL statement sent through any SQLAlchemy engine is checked: on the main thread, the
innermost frame of ours under `linkie_desktop/ui/` names the UI module that asked. Test code
itself (fixtures that seed a database, assertions that read it back) is free to query on the main
thread: only statements that UI code started are counted.

Every UI module is on `linkie_desktop.ui.tasks.TaskRunner`: there is no exception list.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from sqlalchemy import Engine, event

import linkie_desktop

UI_FOLDER = Path(linkie_desktop.__file__).parent / "ui"

_violations: list[str] = []


def _asking_ui_module() -> tuple[str, str] | None:
    """(module, 'file:line in function') of the innermost UI frame on this stack, if any."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(UI_FOLDER):
            parts = path.relative_to(UI_FOLDER).with_suffix("").parts
            module = ".".join(("linkie_desktop", "ui", *parts))
            where = f"{module}:{frame.f_lineno} in {frame.f_code.co_name}"
            return module, where
        frame = frame.f_back
    return None


def _before_cursor_execute(
    _conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    asked = _asking_ui_module()
    if asked is None:
        return
    _module, where = asked
    _violations.append(f"{where}: {statement.split(None, 1)[0]} on the GUI thread")


event.listen(Engine, "before_cursor_execute", _before_cursor_execute)


@pytest.fixture(autouse=True)
def _no_query_on_the_gui_thread() -> Iterator[None]:
    _violations.clear()
    yield
    found = list(dict.fromkeys(_violations))
    _violations.clear()
    if found:
        pytest.fail(
            "UI code queried the database on the GUI thread (use the TaskRunner):\n"
            + "\n".join(found[:10]),
            pytrace=False,
        )
