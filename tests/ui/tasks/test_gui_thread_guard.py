"""The guard that keeps database work off the GUI thread notices UI code that queries there."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, text

import linkie_desktop.ui.tasks
from tests import gui_thread_guard


def _query_as_ui_code(engine: Engine, filename: str) -> None:
    # The same statement, compiled as if written in a UI module: the guard reads the stack.
    statement = "with engine.connect() as connection:\n    connection.execute(text('SELECT 1'))"
    code = compile(statement, filename, "exec")
    exec(code, {"engine": engine, "text": text})  # noqa: S102 - a fixed statement, for the stack


def test_a_query_from_ui_code_on_the_gui_thread_is_recorded(engine: Engine) -> None:
    _query_as_ui_code(engine, linkie_desktop.ui.tasks.__file__)
    found = list(gui_thread_guard._violations)
    gui_thread_guard._violations.clear()  # this test's own probe must not fail it
    assert found and all("linkie_desktop.ui.tasks:2" in line for line in found), found


def test_the_same_query_from_a_worker_thread_or_from_test_code_is_free(engine: Engine) -> None:
    worker = threading.Thread(
        target=_query_as_ui_code, args=(engine, linkie_desktop.ui.tasks.__file__)
    )
    worker.start()
    worker.join()
    with engine.connect() as connection:  # test code on the main thread
        connection.execute(text("SELECT 1"))
    assert gui_thread_guard._violations == []
