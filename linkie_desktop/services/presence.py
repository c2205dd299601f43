"""Who is publishing on this database: each running publisher's heartbeat (no Qt).

Every publisher (the window's driver, `linkie serve`) keeps one row of `publisher_presence`
fresh while it runs and removes it when it stops. A row seen within two ticks is a running
publisher; an older one, or one of this computer whose process is gone (a crash, a kill), is not,
and is cleaned away by the next writer. The window reads the `serve` rows to say that posts go
out in the background, and `linkie serve` reads them so that a second one on the same database
(a login item beside the user service) steps aside.

A heartbeat is a commit, and other processes hear every commit through their data-version poll
(services/external_changes.py) and run a pass on it. So a heartbeat is written at most about once
a tick, however often passes run: otherwise two publishers would wake each other for ever.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import PublisherPresence
from linkie_desktop.db.types import utc_now

log = logging.getLogger(__name__)

# A publisher not seen for this many ticks is taken for gone.
ACTIVE_TICKS = 2
# A heartbeat is written when the last one is older than this share of a tick.
BEAT_SHARE = 0.8
# Rows older than this are removed whoever wrote them (another computer's, on a shared folder).
FORGOTTEN_AFTER = timedelta(hours=1)


class Kind(StrEnum):
    WINDOW = "window"
    SERVE = "serve"


@dataclass(frozen=True)
class Presence:
    kind: Kind
    host: str
    pid: int
    started_at: datetime
    seen_at: datetime


def pid_alive(pid: int) -> bool:
    """True when a process `pid` exists on this computer (signal 0 asks without sending)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError:
        return False
    return True


def _gone(row: PublisherPresence, host: str) -> bool:
    return row.host == host and not pid_alive(row.pid)


def active(
    engine: Engine,
    kind: Kind,
    interval_s: float,
    *,
    now: datetime | None = None,
    host: str | None = None,
    exclude_pid: int | None = None,
) -> list[Presence]:
    """The publishers of `kind` seen within `ACTIVE_TICKS` ticks and, on this computer, alive."""
    now = now or utc_now()
    host = host or socket.gethostname()
    since = now - timedelta(seconds=ACTIVE_TICKS * interval_s)
    with reading(engine) as session:
        rows = session.scalars(
            select(PublisherPresence).where(
                PublisherPresence.kind == kind.value, PublisherPresence.seen_at >= since
            )
        ).all()
        return [
            Presence(Kind(r.kind), r.host, r.pid, r.started_at, r.seen_at)
            for r in rows
            if not _gone(r, host) and not (r.host == host and r.pid == exclude_pid)
        ]


class Heartbeat:
    """One publisher's row: `beat()` after every pass (written about once a tick), `end()` when
    it stops."""

    def __init__(
        self,
        engine: Engine,
        kind: Kind,
        interval_s: float,
        *,
        clock: Callable[[], datetime] = utc_now,
        host: str | None = None,
        pid: int | None = None,
    ) -> None:
        self.engine = engine
        self.kind = kind
        self.interval_s = interval_s
        self._clock = clock
        self.host = host or socket.gethostname()
        self.pid = pid if pid is not None else os.getpid()
        self._row_id: str | None = None
        self._started_at: datetime | None = None
        self._written_at: datetime | None = None

    def beat(self, *, force: bool = False) -> bool:
        """Write the row if the last write is older than most of a tick (or `force`); True when
        written. A row removed meanwhile (cleaned by another process) is written anew."""
        now = self._clock()
        fresh = timedelta(seconds=BEAT_SHARE * self.interval_s)
        if not force and self._written_at is not None and now - self._written_at < fresh:
            return False
        with transaction(self.engine) as session:
            self._clean(session, now)
            if self._row_id is not None:
                moved = session.execute(
                    update(PublisherPresence)
                    .where(PublisherPresence.id == self._row_id)
                    .values(seen_at=now)
                )
                if int(getattr(moved, "rowcount", 0)) == 1:
                    self._written_at = now
                    return True
            self._started_at = self._started_at or now
            row = PublisherPresence(
                kind=self.kind.value,
                host=self.host,
                pid=self.pid,
                started_at=self._started_at,
                seen_at=now,
            )
            if self._row_id is not None:
                row.id = self._row_id
            session.add(row)
            session.flush()
            self._row_id = row.id
        self._written_at = now
        return True

    def _clean(self, session: Session, now: datetime) -> None:
        forgotten = PublisherPresence.seen_at < now - FORGOTTEN_AFTER
        session.execute(delete(PublisherPresence).where(forgotten))
        here = session.scalars(
            select(PublisherPresence).where(
                PublisherPresence.host == self.host, PublisherPresence.pid != self.pid
            )
        ).all()
        for row in here:
            if not pid_alive(row.pid):
                log.info("presence: %s publisher %d is gone; its row is removed", row.kind, row.pid)
                session.delete(row)

    def end(self) -> None:
        """Remove the row: this publisher stopped."""
        if self._row_id is None:
            return
        with transaction(self.engine) as session:
            session.execute(delete(PublisherPresence).where(PublisherPresence.id == self._row_id))
        self._row_id = self._written_at = None
