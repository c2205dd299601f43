"""End a finished process at once, without Python's and Qt's tear-down.

By the time the window app or a `linkie` command returns, everything that must outlive it is
written: the database is closed with its WAL checkpointed, the window state synced, the log
handlers are flushed here. What is left is the interpreter unloading ~600 modules and Qt deleting
its object tree: about 0.2 s at every exit on this machine, a fifth of a `--smoke` start-up, and
a source of shutdown-order crashes in Qt apps. So the console entry points end with os._exit.
Tests call `app.main()` / `cli.run()` instead, which return normally.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    logging.shutdown()  # flush and close every log file
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe: nothing more can reach it anyway.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
