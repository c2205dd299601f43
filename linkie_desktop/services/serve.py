"""`linkie serve`'s loop: the window's publisher without the window (no Qt).

The same pass (`services.publisher.run_once`) at the same moments as the window's driver
(services/publish_schedule.py): at start, on every tick, when the next post falls due, within a
second of a change made by another process (the data-version poll of
services/external_changes.py), and after a wake from sleep. Each outcome is logged by post id,
never with the post's text or title. A heartbeat row says the background publisher runs
(services/presence.py).

Stopping (`stop` set, e.g. by SIGTERM): a pass in progress finishes the request in hand — its
answer decides the post's state as always, so no post is left in `publishing` — and takes up no
other post (`PublisherConfig.keep_going`); then the heartbeat row goes and the loop returns.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine

from linkie_desktop.db.errors import database_problem
from linkie_desktop.services import presence
from linkie_desktop.services.external_changes import ExternalChangeWatcher
from linkie_desktop.services.publish_schedule import PassSchedule, Reason
from linkie_desktop.services.publisher import (
    Outcome,
    PassResult,
    PublisherConfig,
    TokenProvider,
    run_once,
)

log = logging.getLogger(__name__)

# How often other processes' changes are looked for: the window's poll does the same each second.
CHANGE_POLL_S = 1.0


def start_in_background(command: Sequence[str]) -> int:
    """Start one of Linkie's programs on its own, detached from this process's session and
    terminal, so it outlives the one that started it: `linkie serve` from the window, the window
    from `linkie serve` (a notification's Open). Returns its process id; its words go to its log
    file. Raises OSError when it cannot be started."""
    child = subprocess.Popen(  # noqa: S603 - our own program, from this installation
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
    what = " ".join([Path(command[0]).name, *command[1:2]])  # "linkie serve", "linkie-desktop …"
    log.info("started %s in the background (process %d)", what, child.pid)
    return child.pid


class AlreadyServingError(Exception):
    """Another `linkie serve` on this computer already publishes from this database."""


def log_outcomes(result: PassResult, reason: Reason) -> None:
    """One line per post handled: its id, what happened and the publisher's words for it (which
    never quote the post). A pass with nothing to do is said at debug level only."""
    if not result.results:
        log.debug("serve: %s pass, nothing to publish", reason)
    for item in result.results:
        level = logging.WARNING if item.outcome is Outcome.FAILED else logging.INFO
        urn = f" as {item.urn}" if item.urn else ""
        log.log(level, "serve: post %s %s%s: %s", item.post_id, item.outcome, urn, item.detail)
        if item.comment is not None:
            log.info("serve: post %s first comment %s", item.post_id, item.comment.outcome)
    if result.reconnect_needed:
        log.warning("serve: the LinkedIn connection has expired; posts wait until you reconnect")


class Server:
    """Runs passes until `stop` is set. `config()` is read before each pass, so a setting
    changed in the window (the API version) applies from the next pass."""

    def __init__(
        self,
        engine: Engine,
        tokens: TokenProvider,
        config: Callable[[], PublisherConfig],
        interval_s: float,
        stop: threading.Event,
        *,
        database: Path | None = None,
        poll_s: float = CHANGE_POLL_S,
        on_pass: Callable[[PassResult], None] | None = None,
        backup: Callable[[], object] | None = None,
    ) -> None:
        self.engine = engine
        self.tokens = tokens
        self.config = config
        self.interval_s = interval_s
        self.stop = stop
        self.database = database
        self.poll_s = poll_s
        self.on_pass = on_pass  # hears each pass's result (desktop notifications)
        # The daily backup, asked after each pass (it writes only once a day has gone by), so a
        # machine that only ever runs `linkie serve` is backed up like one running the window.
        self.backup = backup
        self.schedule = PassSchedule(interval_s)
        self.heartbeat = presence.Heartbeat(engine, presence.Kind.SERVE, interval_s)
        self.passes = 0

    def refuse_a_second_one(self) -> None:
        """Raise AlreadyServingError when another `linkie serve` of this computer runs on this
        database (a login item beside the user service): one is enough, and claims would keep
        two from sending a post twice anyway."""
        here = presence.active(
            self.engine, presence.Kind.SERVE, self.interval_s, exclude_pid=self.heartbeat.pid
        )
        mine = [p for p in here if p.host == self.heartbeat.host]
        if mine:
            raise AlreadyServingError(
                f"linkie serve is already publishing from this database (process {mine[0].pid})"
            )

    def run(self) -> None:
        watcher = ExternalChangeWatcher(self.engine)
        self.heartbeat.beat(force=True)
        log.info("serve: publishing in the background (tick %.0f s)", self.interval_s)
        try:
            while not self.stop.is_set():
                reason = self.schedule.take()
                if reason is not None:
                    self._pass(reason)
                    continue  # a pass takes time: look at the clock again before sleeping
                if self.stop.wait(min(self.schedule.wait_s(), self.poll_s)):
                    break
                if watcher.changed():
                    self.schedule.changed()
        finally:
            if self.stop.is_set():
                log.info("serve: asked to stop")
            watcher.close()
            self.heartbeat.end()
            log.info("serve: stopped")

    def _pass(self, reason: Reason) -> None:
        config = replace(self.config(), keep_going=lambda: not self.stop.is_set())
        try:
            result = run_once(self.engine, self.tokens, config)
        except Exception as exc:  # a pass that cannot run (disk full...): said, tried next tick
            known = database_problem(exc, self.database)
            if known is None:
                log.exception("serve: the publisher pass failed")
            else:
                log.error("serve: the publisher pass failed: %s", known)
            self.schedule.pass_done(None)
            return
        self.passes += 1
        self.schedule.pass_done(result.next_due_at)
        log_outcomes(result, reason)
        if self.on_pass is not None:
            try:
                self.on_pass(result)
            except Exception:  # a notice that cannot be shown must not stop publishing
                log.exception("serve: telling the user about the pass failed")
        try:
            self.heartbeat.beat()
        except Exception as exc:  # noqa: BLE001 - a missed heartbeat must not stop publishing
            log.warning("serve: the heartbeat could not be written: %s", exc)
        if self.backup is not None:
            try:
                made = self.backup()
            except Exception as exc:  # noqa: BLE001 - a failed backup must not stop publishing
                log.warning("serve: the daily backup failed: %s", exc)
            else:
                if made is not None:
                    log.info("serve: daily backup written: %s", made)
