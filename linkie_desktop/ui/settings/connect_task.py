"""Runs the blocking half of a LinkedIn connect attempt on a pool thread; reports by signals."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThreadPool, Signal

from linkie_desktop.services.oauth import LOGIN_ERRORS, LinkedInLogin
from linkie_desktop.services.redact import redact

log = logging.getLogger(__name__)


class ConnectTask(QObject):
    """Created on the UI thread (so its signals are delivered there), run on a pool thread."""

    succeeded = Signal(object)  # oauth.ConnectionInfo
    failed = Signal(str)  # plain words for the user

    def __init__(self, login: LinkedInLogin) -> None:
        super().__init__()
        self.login = login

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._run)

    def cancel(self) -> None:
        self.login.cancel()

    def _run(self) -> None:
        try:
            info = self.login.finish()
        except LOGIN_ERRORS as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug must still end the waiting state
            log.error("connect failed unexpectedly: %s", redact(repr(exc)))
            self.failed.emit(
                "Something unexpected stopped the connection. Nothing was changed; please try "
                "again, and tell us if it keeps happening."
            )
        else:
            self.succeeded.emit(info)
