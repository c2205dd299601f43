"""One Linkie window per database: a second start hands over to the first and quits.

A local socket (QLocalServer) named after the user and the database file: the second process
connects, asks the first to show itself, and exits. Two copies publishing from one file would be
safe (claims are atomic) but confusing, and two windows editing the same draft would not be.
"""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_ACTIVATE = b"activate\n"
_CONNECT_TIMEOUT_MS = 500


def instance_key(database_url: str) -> str:
    digest = hashlib.sha256(f"{getpass.getuser()}|{database_url}".encode()).hexdigest()[:16]
    return f"linkie-desktop-{digest}"


class SingleInstance(QObject):
    """`claim()` is True for the first process; later ones make it emit `activation_requested`."""

    activation_requested = Signal()

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key = key
        self._server: QLocalServer | None = None

    def _ask_running_instance(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._key)
        if not socket.waitForConnected(_CONNECT_TIMEOUT_MS):
            return False
        socket.write(_ACTIVATE)
        socket.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def claim(self) -> bool:
        if self._ask_running_instance():
            return False
        # Nobody answered: a socket file left by a crashed run is stale, so it may go.
        QLocalServer.removeServer(self._key)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._key):
            return True  # cannot guard (odd platform); run unguarded rather than not at all
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            # The newcomer writes as soon as it connects; a short wait keeps the protocol to
            # one synchronous read, with no per-socket slots to outlive their objects.
            arrived = socket.bytesAvailable() or socket.waitForReadyRead(_CONNECT_TIMEOUT_MS)
            if arrived and bytes(socket.readAll().data()).startswith(_ACTIVATE.strip()):
                self.activation_requested.emit()
            socket.abort()
            socket.deleteLater()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
