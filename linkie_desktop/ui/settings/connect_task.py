"""Runs the blocking half of a LinkedIn connect attempt on its own thread; reports by signals."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from linkie_desktop.services.oauth import LOGIN_ERRORS, LinkedInLogin
from linkie_desktop.services.redact import redact

log = logging.getLogger(__name__)


class ConnectTask(QObject):
    """Created on the UI thread (so its signals are delivered there), run on its own thread."""

    succeeded = Signal(object)  # oauth.ConnectionInfo
    failed = Signal(str)  # plain words for the user

    def __init__(self, login: LinkedInLogin) -> None:
        super().__init__()
        self.login = login

    def start(self) -> None:
        # A thread of its own, not the shared pool: the wait may last ten minutes, and the pool's
        # few threads belong to the publisher and the other views meanwhile.
        threading.Thread(target=self._run, name="linkedin-connect", daemon=True).start()

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
