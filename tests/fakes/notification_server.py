"""A desktop notification server for tests: org.freedesktop.Notifications on a private D-Bus
session bus of the test's own, recording every notice and clicking its actions on request.

    @pytest.fixture
    def notification_server() -> Iterator[FakeNotificationServer]:
        with running_notification_server() as server:
            yield server

    def test_x(notification_server: FakeNotificationServer) -> None:
        notifier = DesktopNotifier(bus=notification_server.address)
        ...
        notification_server.click(notification_server.wait_for(1)[0].id, "view")

`private_session_bus` starts `dbus-daemon --session` (the one the with-keyring script uses for its
session too), so the test's server never meets a real desktop's.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from jeepney import DBusAddress, MessageType, message_bus, new_error, new_method_return, new_signal
from jeepney.io.threading import (
    DBusConnection,
    DBusRouter,
    Proxy,
    ReceiveStopped,
    open_dbus_connection,
)
from jeepney.low_level import HeaderFields, Message

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"


@dataclass(frozen=True)
class Shown:
    id: int
    app_name: str
    app_icon: str
    summary: str
    body: str
    actions: dict[str, str]  # key -> label
    hints: dict[str, Any] = field(default_factory=dict)


class FakeNotificationServer:
    def __init__(self, address: str) -> None:
        self.address = address
        self.shown: list[Shown] = []
        self.closed: list[int] = []
        self._lock = threading.Condition()
        self._next_id = 1
        self._conn: DBusConnection = open_dbus_connection(address)
        with DBusRouter(self._conn) as router:
            reply = Proxy(message_bus, router, timeout=5).RequestName(NAME, 4)  # DO_NOT_QUEUE
        assert reply == (1,), f"could not own {NAME}: {reply}"
        self._thread = threading.Thread(target=self._serve, name="fake-notifications", daemon=True)
        self._thread.start()

    # --- what the test does -------------------------------------------------------------------

    def wait_for(self, count: int, timeout_s: float = 5.0) -> list[Shown]:
        """The first `count` notices, once that many were shown (bounded wait)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while len(self.shown) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.shown)} notices shown, expected {count}")
                self._lock.wait(left)
            return list(self.shown[:count])

    def click(self, notification_id: int, action: str) -> None:
        """What the desktop does when the user presses an action's button."""
        emitter = DBusAddress(PATH, interface=INTERFACE)
        self._conn.send(new_signal(emitter, "ActionInvoked", "us", (notification_id, action)))
        self._conn.send(new_signal(emitter, "NotificationClosed", "uu", (notification_id, 2)))

    def stop(self) -> None:
        self._conn.interrupt()
        self._thread.join(timeout=5)
        self._conn.close()

    # --- the service --------------------------------------------------------------------------

    def _serve(self) -> None:
        try:
            while True:
                message = self._conn.receive()
                if message.header.message_type is MessageType.method_call:
                    self._answer(message)
        except ReceiveStopped:
            return

    def _answer(self, call: Message) -> None:
        member = call.header.fields.get(HeaderFields.member)
        if member == "Notify":
            app_name, _replaces, icon, summary, body, actions, hints, _timeout = call.body
            with self._lock:
                notice_id = self._next_id
                self._next_id += 1
                pairs = dict(zip(actions[::2], actions[1::2], strict=True))
                self.shown.append(Shown(notice_id, app_name, icon, summary, body, pairs, hints))
                self._lock.notify_all()
            self._conn.send(new_method_return(call, "u", (notice_id,)))
        elif member == "GetCapabilities":
            self._conn.send(new_method_return(call, "as", (["actions", "body"],)))
        elif member == "GetServerInformation":
            self._conn.send(new_method_return(call, "ssss", ("fake", "linkie-tests", "1", "1.2")))
        elif member == "CloseNotification":
            self.closed.append(int(call.body[0]))
            self._conn.send(new_method_return(call))
        else:
            self._conn.send(new_error(call, "org.freedesktop.DBus.Error.UnknownMethod"))


@contextmanager
def private_session_bus() -> Iterator[str]:
    """A session bus of this test only (its address), stopped at the end."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address, "dbus-daemon printed no address"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=5)


@contextmanager
def running_notification_server() -> Iterator[FakeNotificationServer]:
    """A notification server on a private session bus: a test's fixture yields from this."""
    with private_session_bus() as address:
        server = FakeNotificationServer(address)
        try:
            yield server
        finally:
            server.stop()
