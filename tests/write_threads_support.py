"""Which threads write a table: the database must be written on the task runner's database worker
only, never on a network thread (issue 13)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def threads_writing(engine: Engine, *tables: str) -> Iterator[list[str]]:
    """The name of the thread of every INSERT, UPDATE or DELETE of `tables` while inside."""
    names: list[str] = []
    quoted = {f'"{table}"' for table in tables} | set(tables)

    def heard(_conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any) -> None:
        words = statement.split()
        if words and words[0].upper() in WRITES and quoted & set(words[:4]):
            names.append(threading.current_thread().name)

    event.listen(engine, "before_cursor_execute", heard)
    try:
        yield names
    finally:
        event.remove(engine, "before_cursor_execute", heard)
