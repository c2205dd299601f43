"""The one way UI code runs work off the GUI thread (as Anki's `taskman`).

- Database work goes to one serialized worker: reads and writes of the window never race each
  other, and SQLite sees one connection at a time from this process's UI.
- Network work (LinkedIn, AI vendors, link previews) goes to a small pool, so a slow server never
  holds up a database read.
- Results come back on the GUI thread through one long-lived bridge object. No QObject is made or
  deleted per task: deleting a per-task object while its pool thread still held it crashed Qt.
- A failure the user can act on (`explain` gives plain words) goes to the task's `on_failure`;
  anything else is a bug and is re-raised on the GUI thread through `sys.excepthook`, where the
  crash reporter shows it (and pytest-qt fails the test).
- A task started with a `key` supersedes the earlier tasks of that key still on their way: only
  the answer to what was asked last is delivered (search as you type, month switches).
- A task whose `owner` widget is gone by the time its answer arrives is dropped quietly.
- Work that talks to a server and then writes what it heard is two steps
  (`run_network_then_db`): the network step returns plain values, the database step writes them on
  the database worker. A network thread never writes the database, and a slow server never holds
  the database worker.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
Heard = TypeVar("Heard")

DATABASE_THREAD = "linkie-database"
# Named too: Python keeps the name of a Qt thread that is gone, and a new thread may reuse its id.
NETWORK_THREAD = "linkie-network"
NETWORK_THREADS = 4
UNEXPECTED = "Something unexpected went wrong; the details are in the log."

Explain = Callable[[BaseException], str | None]


def _no_known_errors(_exc: BaseException) -> str | None:
    return None


@dataclass(eq=False)
class _Task(Generic[T]):
    work: Callable[[], T]
    on_success: Callable[[T], None] | None
    on_failure: Callable[[str], None] | None
    owner: QObject | None
    key: Hashable | None
    serial: int
    # A second step for the database worker, given what `work` returned (run_network_then_db).
    then_on_database: Callable[[Any], Any] | None = None
    result: Any = None
    error: BaseException | None = None
    finished: threading.Event = field(default_factory=threading.Event)


class _Bridge(QObject):
    """Lives on the GUI thread; its signal, emitted from a worker, is delivered there."""

    delivered = Signal(object)


class _Runnable(QRunnable):
    def __init__(
        self,
        task: _Task[Any],
        bridge: _Bridge,
        thread_name: str,
        database: QThreadPool,
    ) -> None:
        super().__init__()
        self.task = task
        self.bridge = bridge
        self.thread_name = thread_name
        self.database = database

    def run(self) -> None:
        threading.current_thread().name = self.thread_name
        task = self.task
        try:
            result = task.work()
            step = task.then_on_database
            if step is not None:
                # Handed on from this thread, not through the GUI thread: the write is queued
                # before this step ends, so wait_idle (and close) cannot miss it.
                task.work, task.then_on_database = (lambda: step(result)), None
                self.database.start(_Runnable(task, self.bridge, DATABASE_THREAD, self.database))
                return
            task.result = result
        except BaseException as exc:  # noqa: BLE001 - every failure reaches the GUI thread
            task.error = exc
        task.finished.set()
        self.bridge.delivered.emit(task)


class TaskRunner(QObject):
    """Create one per window (the shell does); hand it to every tab and dialog."""

    # The exception of every failure `explain` knows, besides the task's own on_failure: start-up
    # listens for a database that fails while the window opens.
    known_failure = Signal(object)

    def __init__(self, explain: Explain = _no_known_errors, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("task-runner")
        self._explain = explain
        self._database = QThreadPool(self)
        self._database.setObjectName("database-worker")
        self._database.setMaxThreadCount(1)  # serialized: see the module's first point
        self._database.setExpiryTimeout(-1)  # one thread for the app's life: no re-creation cost
        self._network = QThreadPool(self)
        self._network.setObjectName("network-pool")
        self._network.setMaxThreadCount(NETWORK_THREADS)
        self._bridge = _Bridge(self)
        self._bridge.delivered.connect(self._deliver)
        self._serial = 0
        self._latest: dict[Hashable, int] = {}
        self._pending = 0
        self._closed = False

    @property
    def pending(self) -> int:
        """Tasks started whose answer has not been delivered (or dropped) yet."""
        return self._pending

    def forget(self, key: Hashable) -> None:
        """Drop the answers of the tasks of `key` still on their way (the work itself runs on:
        it cannot be stopped halfway). For a view that settled the question another way, e.g.
        a new empty post shown at once while a read of another post was on its way."""
        if key in self._latest:
            self._serial += 1
            self._latest[key] = self._serial  # no task has this serial: none of theirs is wanted

    def run_db(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        *,
        owner: QObject | None = None,
        key: Hashable | None = None,
    ) -> None:
        """Run `work` (database reads or writes through services/) on the database worker."""
        self._start(self._database, DATABASE_THREAD, work, on_success, on_failure, owner, key)

    def run_network(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        *,
        owner: QObject | None = None,
        key: Hashable | None = None,
    ) -> None:
        """Run `work` (HTTP, no database) on the network pool."""
        self._start(self._network, NETWORK_THREAD, work, on_success, on_failure, owner, key)

    def run_network_then_db(
        self,
        fetch: Callable[[], Heard],
        store: Callable[[Heard], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        *,
        owner: QObject | None = None,
        key: Hashable | None = None,
    ) -> None:
        """Run `fetch` (HTTP, no database) on the network pool, then `store(what it returned)`
        (the database writes) on the database worker; one answer, `store`'s, comes back.

        A failure of `fetch` ends the task there (`store` does not run). `store` runs even when
        the owner is gone meanwhile: what the server said is kept; only the answer is dropped.
        """
        self._start(
            self._network,
            NETWORK_THREAD,
            fetch,
            on_success,
            on_failure,
            owner,
            key,
            then_on_database=store,
        )

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until both pools are idle (shut-down: let a save finish before the engine closes).

        Answers still on their way are not delivered afterwards unless the event loop runs.
        """
        # The database worker once more at the end: a network step that ended meanwhile may
        # have handed it its write (run_network_then_db).
        return bool(
            self._database.waitForDone(timeout_ms)
            and self._network.waitForDone(timeout_ms)
            and self._database.waitForDone(timeout_ms)
        )

    @property
    def closed(self) -> bool:
        """close() was called (or the runner is gone): work asked of it now is not started."""
        return self._closed or not shiboken6.isValid(self)

    def later(self, delay_ms: int, owner: QObject, build: Callable[[], object]) -> None:
        """`build` on the GUI thread in `delay_ms` (a part of a view left for a later turn, once
        what is on screen has painted), unless `owner` is gone or this runner closed by then: a
        window shut down meanwhile builds nothing on a runner that takes no more work."""

        def when_due() -> None:
            if not self.closed:
                build()

        QTimer.singleShot(delay_ms, owner, when_due)

    def close(self, timeout_ms: int = 30_000) -> bool:
        """Shut-down: let what was given finish, then take no more work (a timer of a widget
        that outlives the window may still ask; the database is about to close)."""
        self._closed = True
        return self.wait_idle(timeout_ms)

    def _start(
        self,
        pool: QThreadPool,
        thread_name: str,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[str], None] | None,
        owner: QObject | None,
        key: Hashable | None,
        then_on_database: Callable[[Any], Any] | None = None,
    ) -> None:
        if self._closed or not shiboken6.isValid(pool):
            log.debug("task runner closed: a late task was not started")
            return
        self._serial += 1
        if key is not None:
            self._latest[key] = self._serial
        task: _Task[Any] = _Task(
            work, on_success, on_failure, owner, key, self._serial, then_on_database
        )
        self._pending += 1
        pool.start(_Runnable(task, self._bridge, thread_name, self._database))

    @Slot(object)
    def _deliver(self, task: _Task[Any]) -> None:
        self._pending -= 1
        wanted = True
        if task.key is not None:
            wanted = self._latest.get(task.key) == task.serial
            if wanted:
                del self._latest[task.key]
        if task.owner is not None and not shiboken6.isValid(task.owner):
            wanted = False
        error = task.error
        if error is None:
            if wanted and task.on_success is not None:
                task.on_success(task.result)
            return
        known = self._explain(error)
        if known is not None:
            self.known_failure.emit(error)
        if known is None:
            # A bug, even in an answer nobody waits for any more: raised again here so that the
            # crash reporter (or pytest-qt) hears of it.
            sys.excepthook(type(error), error, error.__traceback__)
            known = UNEXPECTED
        if not wanted:
            log.debug("dropped the failure of a superseded task: %s", known)
        elif task.on_failure is not None:
            task.on_failure(known)
        else:
            log.warning("a background task failed and nobody listened: %s", known)
