"""The app's log: a rotating file in the user's log folder, warnings on stderr, secrets masked.

The folder and files are the user's alone (0700 and 0600): the log names files and post ids.

Each long-running program has a file of its own: the window, `linkie serve` and `linkie mcp`
often run at the same time, and two processes rotating one file lose lines: each renames the file
the other still writes to, so the other's lines go on into a rotated copy and are gone when that
one is dropped.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

from linkie_desktop.private_files import FILE_MODE, private_folder, tighten
from linkie_desktop.services import redact

LOG_FILE_NAME = "linkie-desktop.log"  # the window's
SERVE_LOG_FILE_NAME = "linkie-serve.log"  # the background publisher's (`linkie serve`)
MCP_LOG_FILE_NAME = "linkie-mcp.log"  # the AI agents' server's (`linkie mcp`)
# About a week of normal use per file; the five old ones are enough to see how a problem began.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger(__name__)
# The handlers this module added, so a second call (tests, a restart in-process) replaces them.
_installed: list[logging.Handler] = []


def log_file(log_dir: Path, name: str = LOG_FILE_NAME) -> Path:
    return log_dir / name


def _formatter() -> logging.Formatter:
    formatter = logging.Formatter(_FORMAT)
    formatter.converter = time.gmtime  # UTC, like the database: one clock to compare them by
    formatter.default_time_format = "%Y-%m-%dT%H:%M:%S"
    formatter.default_msec_format = "%s.%03dZ"
    return formatter


class _PrivateLogFile(RotatingFileHandler):
    """Each log file is created 0600 whatever the umask, and a disk that refuses a line (full,
    gone) is told once on stderr instead of a traceback for every line."""

    _told = False

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        tighten(Path(self.baseFilename))  # made by an older version, or before the umask was set
        # The handler keeps the stream open until close(), as FileHandler does.
        stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: PTH123, SIM115
        assert isinstance(stream, io.TextIOWrapper)
        return stream

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        problem = sys.exc_info()[1]
        if not isinstance(problem, OSError):
            super().handleError(record)  # a bug in a log call: Python's own report
            return
        if self._told or sys.stderr is None:
            return
        self._told = True
        print(
            f"linkie-desktop: cannot write the log file {self.baseFilename} ({problem}); "
            "later lines are not kept",
            file=sys.stderr,
        )


def _open_file(log_dir: Path, name: str, max_bytes: int, backup_count: int) -> RotatingFileHandler:
    private_folder(log_dir)
    for older in log_dir.glob(f"{name}.*"):
        tighten(older)
    return _PrivateLogFile(
        log_file(log_dir, name), maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )


def setup_logging(
    log_dir: Path,
    *,
    name: str = LOG_FILE_NAME,
    level: int = logging.INFO,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path | None:
    """Send the root logger to `log_dir`/`name` (the window's file unless told: a long-running
    headless command names its own); returns that path, or None if the folder cannot be written
    (the app still starts, logging to stderr only)."""
    stop_logging()
    root = logging.getLogger()
    handlers: list[logging.Handler] = []
    path: Path | None = None
    failure: OSError | None = None
    try:
        handlers.append(_open_file(log_dir, name, max_bytes, backup_count))
        path = log_file(log_dir, name)
    except OSError as exc:
        failure = exc
    if sys.stderr is not None:  # a windowed app on Windows has no stderr at all
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        handlers.append(console)

    formatter = _formatter()
    for handler in handlers:
        handler.setFormatter(formatter)
        redact.install(handler)
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    if failure is not None:
        log.warning("cannot write a log file in %s (%s); logging to stderr only", log_dir, failure)
    return path


def stop_logging() -> None:
    """Detach and close the handlers setup_logging added (the file is flushed and released)."""
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
