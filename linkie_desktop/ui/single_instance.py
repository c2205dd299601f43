"""One Linkie window per database: a second start hands over to the first and quits.

A local socket (QLocalServer) named after the user and the database file, that only this user
may connect to: the second process connects, says what it was started for — show the window, or
show a post (`linkie-desktop --open-post ID`, which a notification's Open from `linkie serve`
runs) — and exits. Two copies publishing from one file would be safe (claims are atomic) but
confusing, and two windows editing the same draft would not be.

What a newcomer asks while the first window is still being built is held, and handed on once
the window is ready (`ready()`), so an Open clicked during a start-up is not lost.
"""

from __future__ import annotations

import getpass
import hashlib
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_ACTIVATE = "activate"
_OPEN_POST = "open"  # followed by a space and the post's id
_CONNECT_TIMEOUT_MS = 500
_MAX_MESSAGE = 256  # bytes of the one line read
# A post id is one word (cuid2 here; a database from elsewhere may hold others): a line that is
# not one of the two messages is not from Linkie and is ignored.
_POST_ID = re.compile(r"\S{1,128}")


def instance_key(database_url: str, person: str | None = None) -> str:
    """One window per OS user, database and, on a shared database, person (`--user`)."""
    whose = f"{getpass.getuser()}|{database_url}" + (f"|{person.lower()}" if person else "")
    digest = hashlib.sha256(whose.encode()).hexdigest()[:16]
    return f"linkie-desktop-{digest}"


def _message(post_id: str | None) -> bytes:
    return f"{_ACTIVATE if post_id is None else f'{_OPEN_POST} {post_id}'}\n".encode()


class SingleInstance(QObject):
    """`claim()` is True for the first process; later ones make it emit `activation_requested`,
    or `post_requested` with the post they were started to show (from `ready()` on)."""

    activation_requested = Signal()
    post_requested = Signal(str)

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key = key
        self._server: QLocalServer | None = None
        self._ready = False
        self._held: list[str | None] = []  # asked before ready(): None is "show the window"

    def _ask_running_instance(self, post_id: str | None) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._key)
        if not socket.waitForConnected(_CONNECT_TIMEOUT_MS):
            return False
        socket.write(_message(post_id))
        socket.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def claim(self, post_id: str | None = None) -> bool:
        """True: this process is the first (it listens from now on). False: a running one was
        asked to show itself, or the post `post_id`, and this process should end."""
        if self._ask_running_instance(post_id):
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

    def ready(self) -> None:
        """The window is up: what was asked meanwhile is emitted now, later asks as they come."""
        self._ready = True
        held, self._held = self._held, []
        for post_id in held:
            self._emit(post_id)

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            # The newcomer writes as soon as it connects; a short wait keeps the protocol to
            # one synchronous read, with no per-socket slots to outlive their objects.
            arrived = socket.bytesAvailable() or socket.waitForReadyRead(_CONNECT_TIMEOUT_MS)
            line = bytes(socket.readLine(_MAX_MESSAGE).data()) if arrived else b""
            socket.abort()
            socket.deleteLater()
            self._heard(line.decode("utf-8", "replace").strip())

    def _heard(self, line: str) -> None:
        what, _, post_id = line.partition(" ")
        if what == _ACTIVATE and not post_id:
            asked: str | None = None
        elif what == _OPEN_POST and _POST_ID.fullmatch(post_id):
            asked = post_id
        else:
            return
        if self._ready:
            self._emit(asked)
        else:
            self._held.append(asked)

    def _emit(self, post_id: str | None) -> None:
        if post_id is None:
            self.activation_requested.emit()
        else:
            self.post_requested.emit(post_id)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
