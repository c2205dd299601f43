"""Run one blocking call (a database read, a LinkedIn request) on a pool thread; report by signal.

Results travel on signals of a long-lived QObject created on the UI thread (the tab's own
`_Bridge`), so they are delivered there. No QObject is made or deleted per call: deleting a
per-call object while its pool thread was still letting go of it crashed Qt now and then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QThreadPool, SignalInstance

from linkie_desktop.services.redact import redact

log = logging.getLogger(__name__)

UNEXPECTED = "Something unexpected went wrong; the figures may be out of date."


def run_in_pool(
    pool: QThreadPool,
    work: Callable[[], object],
    done: SignalInstance,
    failed: SignalInstance,
    explain: Callable[[Exception], str | None],
) -> None:
    """`done.emit(work())`, or `failed.emit(plain words)` when it raises, on a `pool` thread."""

    def run() -> None:
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - the UI must hear of every failure, bugs included
            known = explain(exc)
            if known is None:
                log.error("background call failed: %s", redact(repr(exc)))
            failed.emit(known or UNEXPECTED)
        else:
            done.emit(result)

    pool.start(run)
