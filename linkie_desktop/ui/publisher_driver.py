"""Drives the publisher from the UI: timers say when, a worker runs the pass, signals report back.

One pass at a time runs `services.publisher.run_once` in a one-thread QThreadPool of its own, never
on the UI thread. Not on the window's task runner: a pass does HTTP to LinkedIn for up to minutes
(an image upload, a slow answer) and writes as it goes, so on the serialized database worker it
would hold up every read and autosave of the window, and on the network pool it would break the
runner's rule that network tasks leave the database alone. Its small UI-started write ("Publish
now") goes through the runner like every other. Passes run at start-up, every tick
(`LINKIE_PUBLISH_INTERVAL_S`), when the next post falls due (a single-shot timer, so a post leaves
within about a second of its time), after a wake from sleep (the tick notices the wall clock
jumped), after "Publish now", and shortly after any change to posts (`posts_changed`, from this
window or, through the shell's data-version poll, from the CLI): a pass is what decides what is
due and when the next one is, so a post scheduled, moved or retried re-arms the due timer.
Results reach the window only through signals: `AppSignals.announce_posts` (also while a post's
media upload, each time its progress was written), `notice` (a post published or failed, a first
comment not added, the connection expired: services/notifications.py words them for the window
and `linkie serve` alike), and `connection_changed` when LinkedIn said the connection expired.
When to run is decided by services/publish_schedule.py, the rules `linkie serve` runs by too; a
heartbeat row (services/presence.py) says this window publishes, written on the worker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtCore import Qt as QtNs
from sqlalchemy import Engine

from linkie_desktop.db.errors import database_problem
from linkie_desktop.services.notifications import Notice, notices_for
from linkie_desktop.services.presence import Heartbeat, Kind
from linkie_desktop.services.publish_schedule import CHANGE_SETTLE_S, due_wait_s, slept
from linkie_desktop.services.publisher import (
    PassResult,
    PublisherConfig,
    TokenProvider,
    run_once,
    schedule_now,
)
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class _PassSignals(QObject):
    finished = Signal(object)  # PassResult
    failed = Signal(str)
    upload_progress = Signal(str)  # a post id whose upload progress was just written


class _PassTask(QRunnable):
    def __init__(
        self,
        engine: Engine,
        tokens: TokenProvider,
        config: PublisherConfig,
        signals: _PassSignals,
        heartbeat: Heartbeat,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.tokens = tokens
        self.config = config
        self.signals = signals  # created on the UI thread, so its signals are queued there
        self.heartbeat = heartbeat

    def run(self) -> None:
        try:
            result = run_once(
                self.engine,
                self.tokens,
                self.config,
                on_upload_progress=self.signals.upload_progress.emit,
            )
        except Exception as exc:  # a pass that cannot run (database gone...) is reported
            database = self.engine.url.database
            known = database_problem(exc, Path(database) if database else None)
            if known is None:
                log.exception("publisher pass failed")
                self.signals.failed.emit(str(exc))
            else:  # a known problem (damaged file, full disk): its words, not a traceback
                log.error("publisher pass failed: %s", known)
                self.signals.failed.emit(str(known))
            return
        try:
            self.heartbeat.beat()  # about once a tick, however often passes run
        except Exception as exc:  # noqa: BLE001 - a missed heartbeat must not lose the result
            log.warning("publisher: the heartbeat could not be written: %s", exc)
        self.signals.finished.emit(result)


class _EndHeartbeat(QRunnable):
    def __init__(self, heartbeat: Heartbeat) -> None:
        super().__init__()
        self.heartbeat = heartbeat

    def run(self) -> None:
        try:
            self.heartbeat.end()
        except Exception as exc:  # noqa: BLE001 - a closing window only says so
            log.warning("publisher: the heartbeat row could not be removed: %s", exc)


class PublisherDriver(QObject):
    """Owns the publisher's timers and worker. Call `start()` once the window is up."""

    pass_started = Signal()
    pass_finished = Signal(object)  # PassResult
    pass_failed = Signal(str)
    wake_detected = Signal()
    notice = Signal(object)  # a Notice for the user (the shell shows it on the desktop)

    def __init__(
        self,
        engine: Engine,
        signals: AppSignals,
        config: PublisherConfig,
        tokens: TokenProvider,
        user_id: str,
        interval_s: float = 30.0,
        parent: QObject | None = None,
        wall_clock: Callable[[], float] = time.time,
        *,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("publisher-driver")
        self.engine = engine
        self.app_signals = signals
        self.config = config
        self.tokens = tokens
        self.user_id = user_id
        self.interval_s = interval_s
        self._wall_clock = wall_clock  # seconds; unlike QTimer's clock it runs during sleep
        self.tasks = tasks if tasks is not None else TaskRunner(explain_for(None), self)
        # One worker thread: passes never overlap, even if a tick arrives mid-pass.
        self._pool = QThreadPool(self)
        self._pool.setObjectName("publisher-pool")
        self._pool.setMaxThreadCount(1)
        self._tick = QTimer(self)
        self._tick.setObjectName("publisher-tick-timer")
        self._tick.setInterval(max(1, int(interval_s * 1000)))
        self._tick.timeout.connect(self._on_tick)
        self._due = QTimer(self)
        self._due.setObjectName("publisher-next-due-timer")
        self._due.setSingleShot(True)
        self._due.setTimerType(QtNs.TimerType.PreciseTimer)
        self._due.timeout.connect(self.run_pass)
        self._changed = QTimer(self)
        self._changed.setObjectName("publisher-posts-changed-timer")
        self._changed.setSingleShot(True)
        self._changed.setInterval(int(CHANGE_SETTLE_S * 1000))
        self._changed.timeout.connect(self.run_pass)
        self._started = False
        signals.posts_changed.connect(self._posts_changed)
        self._running: _PassSignals | None = None
        self._rerun = False
        self._last_tick_wall = wall_clock()
        self.next_due_at: datetime | None = None
        self.heartbeat = Heartbeat(engine, Kind.WINDOW, interval_s)

    # --- control ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start ticking and run the start-up pass (publishes what fell due while closed)."""
        self._last_tick_wall = self._wall_clock()
        self._started = True
        self._tick.start()
        self.run_pass()

    def stop(self, wait_ms: int = 5000) -> None:
        """Stop the timers; wait a little for a pass in flight (its HTTP has its own timeout),
        then remove this window's heartbeat row (on the worker, off the GUI thread)."""
        was_started, self._started = self._started, False
        self._tick.stop()
        self._due.stop()
        self._changed.stop()
        self._pool.waitForDone(wait_ms)
        if was_started:
            self._pool.start(_EndHeartbeat(self.heartbeat))
            self._pool.waitForDone(wait_ms)

    @property
    def started(self) -> bool:
        """True from `start()` to `stop()`: this window publishes."""
        return self._started

    def set_config(self, config: PublisherConfig) -> None:
        """New settings (e.g. the LinkedIn API version) apply from the next pass."""
        self.config = config

    @property
    def is_running(self) -> bool:
        return self._running is not None

    @Slot()
    def run_pass(self) -> bool:
        """Start a pass in the worker; if one is running, run another right after it instead."""
        if self._running is not None:
            self._rerun = True
            return False
        bridge = _PassSignals()
        bridge.finished.connect(self._on_finished)
        bridge.failed.connect(self._on_failed)
        bridge.upload_progress.connect(self._on_upload_progress)
        self._running = bridge
        self.pass_started.emit()
        self._pool.start(_PassTask(self.engine, self.tokens, self.config, bridge, self.heartbeat))
        return True

    def publish_now(self, post_id: str, on_refused: Callable[[str], None]) -> None:
        """Make the post due now (fresh attempts) on the database worker, then run a pass;
        `on_refused(reason)` when the post cannot be published."""
        engine, user_id = self.engine, self.user_id

        def sent_for(_: None) -> None:
            self.app_signals.announce_posts([post_id], initiator=self)
            self.run_pass()

        self.tasks.run_db(
            lambda: schedule_now(engine, user_id, post_id), sent_for, on_refused, owner=self
        )

    @Slot(object)
    def _posts_changed(self, change: PostsChanged) -> None:
        # The driver's own announcements follow a pass (or start one): nothing to re-arm.
        if self._started and not change.echoes(self):
            self._changed.start()

    # --- timers -----------------------------------------------------------------------------

    @Slot()
    def _on_tick(self) -> None:
        now = self._wall_clock()
        if slept(self._last_tick_wall, now, self.interval_s):
            log.info("publisher: woke after %.0f s; running a pass", now - self._last_tick_wall)
            self.wake_detected.emit()
        self._last_tick_wall = now
        self.run_pass()

    def _arm_due_timer(self, next_due_at: datetime | None) -> None:
        self.next_due_at = next_due_at
        if next_due_at is None:
            self._due.stop()
            return
        # The real time to the millisecond: utc_now() is truncated to whole seconds.
        wait_s = due_wait_s(next_due_at, datetime.now(UTC)) or 0.0
        self._due.start(int(wait_s * 1000))

    # --- results ----------------------------------------------------------------------------

    def _pass_done(self) -> None:
        self._running = None
        if self._rerun:
            self._rerun = False
            self.run_pass()

    @Slot(object)
    def _on_finished(self, result: PassResult) -> None:
        self._arm_due_timer(result.next_due_at)
        if result.changed_post_ids:
            self.app_signals.announce_posts(result.changed_post_ids, initiator=self)
        if result.reconnect_needed:
            self.app_signals.connection_changed.emit()
        for notice in notices_for(result):
            self.notice.emit(notice)
        self.pass_finished.emit(result)
        self._pass_done()

    @Slot(str)
    def _on_upload_progress(self, post_id: str) -> None:
        # The views reread the post and show its progress (services/upload_progress.py).
        self.app_signals.announce_posts([post_id], initiator=self)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.notice.emit(
            Notice("Publishing paused", f"The publisher could not run: {message}", failure=True)
        )
        self.pass_failed.emit(message)
        self._pass_done()
