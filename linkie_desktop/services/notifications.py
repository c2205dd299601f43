"""Desktop notifications through the freedesktop Notifications D-Bus interface (no Qt).

One module for the window and for `linkie serve`: the words of every publisher outcome
(`notices_for`), the user's choice of which to show (Settings › Notifications: all, failures only,
none), and a notifier that talks to the desktop's notification server over the session bus with
jeepney (pure Python, already there as the keyring's Secret Service transport), so the headless
background publisher needs no Qt event loop. Notifications work without a tray icon: stock GNOME
has none, but always has a notification server.

A notice about a post carries actions: Open (the window shows the post) and, once published,
View on LinkedIn (the post's page). The server reports a click as an ActionInvoked signal; a
listener thread hands it to `on_action(notice, action)` — the window moves it to its GUI thread,
`linkie serve` acts on it directly (`background_actions`): its Open runs `linkie-desktop
--open-post ID`, which a window already open on the database takes over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from queue import Queue
from typing import Any

from linkie_desktop.services import user_service
from linkie_desktop.services.browser_handoff import Launcher, system_browser
from linkie_desktop.services.publisher_results import CommentOutcome, Outcome, PassResult

log = logging.getLogger(__name__)

APP_NAME = "Linkie Desktop"
APP_ICON = "linkie-desktop"  # the hicolor icon and .desktop entry the package installs
BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
REPLY_TIMEOUT_S = 2.0

OPEN = "open"
VIEW_ON_LINKEDIN = "view"
DEFAULT_ACTION = "default"  # a click on the notification itself: the same as Open


class NotificationLevel(StrEnum):
    ALL = "all"
    FAILURES = "failures"
    NONE = "none"


LEVEL_WORDS: dict[NotificationLevel, str] = {
    NotificationLevel.ALL: "Every outcome — published, failed, waiting",
    NotificationLevel.FAILURES: "Only when something needs me",
    NotificationLevel.NONE: "None",
}


def post_page_url(urn: str) -> str:
    """A published post's page on LinkedIn (LINKEDIN-API.md, Posts API)."""
    return f"https://www.linkedin.com/feed/update/{urn}/"


@dataclass(frozen=True)
class Notice:
    """One thing to tell the user: `failure` when it needs them (kept by "failures only")."""

    title: str
    body: str
    failure: bool = False
    post_id: str | None = None
    post_urn: str | None = None  # published: View on LinkedIn is offered

    @property
    def actions(self) -> list[tuple[str, str]]:
        """(key, label) pairs in the order the desktop shows them."""
        offered: list[tuple[str, str]] = []
        if self.post_id is not None:
            offered += [(DEFAULT_ACTION, "Open"), (OPEN, "Open")]
        if self.post_urn:
            offered.append((VIEW_ON_LINKEDIN, "View on LinkedIn"))
        return offered


def level_of(value: str) -> NotificationLevel:
    try:
        return NotificationLevel(value)
    except ValueError:
        return NotificationLevel.ALL


def wanted(notice: Notice, level: NotificationLevel | str) -> bool:
    chosen = level_of(level) if isinstance(level, str) else level
    if chosen is NotificationLevel.NONE:
        return False
    return chosen is NotificationLevel.ALL or notice.failure


RECONNECT_NOTICE = Notice(
    "LinkedIn connection expired",
    "Scheduled posts are waiting. Open Settings → LinkedIn and press Connect.",
    failure=True,
)


def notices_for(result: PassResult) -> list[Notice]:
    """What a pass has to tell the user, in the order it happened (the window and serve alike)."""
    notices: list[Notice] = []
    for item in result.results:
        if item.outcome is Outcome.PUBLISHED and not item.comment_only:
            notices.append(
                Notice(
                    f"Published: {item.title}",
                    "It is on LinkedIn now.",
                    False,
                    item.post_id,
                    item.urn,
                )
            )
        elif item.outcome is Outcome.FAILED:
            notices.append(Notice(f"Failed: {item.title}", item.detail, True, item.post_id))
        if item.comment is not None and item.comment.outcome is CommentOutcome.FAILED:
            notices.append(
                Notice(
                    f"First comment not added: {item.title}",
                    item.comment.detail,
                    True,
                    item.post_id,
                    item.urn,
                )
            )
    if result.reconnect_needed:
        notices.append(RECONNECT_NOTICE)
    return notices


OnAction = Callable[[Notice, str], None]


class DesktopNotifier:
    """Shows notices on the desktop's notification server and hears their actions.

    Connects at the first notice; a session without a bus or without a notification server makes
    `show` answer False (the caller then uses the tray or the status bar) and is not tried again.
    """

    def __init__(
        self,
        on_action: OnAction | None = None,
        *,
        bus: str = "SESSION",
        app_name: str = APP_NAME,
        app_icon: str = APP_ICON,
    ) -> None:
        self._on_action = on_action
        self._bus = bus
        self._app_name = app_name
        self._app_icon = app_icon
        self._router: Any = None
        self._unavailable = False
        self._connecting = threading.Lock()
        self._lock = threading.Lock()  # the ids shown, between `show` and the listener
        self._shown: dict[int, Notice] = {}
        self._events: Queue[Any] = Queue()
        self._listener: threading.Thread | None = None
        self._filter: Any = None

    @property
    def available(self) -> bool:
        return self._connect() is not None

    def _connect(self) -> Any:
        with self._connecting:  # two notices at once (two threads) make one connection
            return self._connect_once()

    def _connect_once(self) -> Any:
        if self._router is not None or self._unavailable:
            return self._router
        try:
            from jeepney import MatchRule, message_bus
            from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection

            router = DBusRouter(open_dbus_connection(self._bus))
            rule = MatchRule(type="signal", interface=INTERFACE, path=OBJECT_PATH)
            Proxy(message_bus, router, timeout=REPLY_TIMEOUT_S).AddMatch(rule)
            self._filter = router.filter(rule, queue=self._events)
        except Exception as exc:  # noqa: BLE001 - no bus, no jeepney: notices go elsewhere
            log.info("desktop notifications unavailable: %s", exc)
            self._unavailable = True
            return None
        self._router = router
        self._listener = threading.Thread(
            target=self._listen, name="notification-actions", daemon=True
        )
        self._listener.start()
        return router

    def show(self, notice: Notice) -> bool:
        """True when the desktop took the notice."""
        router = self._connect()
        if router is None:
            return False
        from jeepney import DBusAddress, MessageType, new_method_call

        actions = [part for pair in notice.actions for part in pair]
        hints = {
            "desktop-entry": ("s", APP_ICON),
            "urgency": ("y", 2 if notice.failure else 1),  # critical stays until dismissed
        }
        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
        call = new_method_call(
            address,
            "Notify",
            "susssasa{sv}i",
            (self._app_name, 0, self._app_icon, notice.title, notice.body, actions, hints, -1),
        )
        try:
            with self._lock:  # a click can't arrive before its id is known
                reply = router.send_and_get_reply(call, timeout=REPLY_TIMEOUT_S)
                if reply.header.message_type is MessageType.error:
                    log.info("the notification server refused a notice: %s", reply.body)
                    return False
                self._shown[int(reply.body[0])] = notice
        except Exception as exc:  # noqa: BLE001 - the server went away: tell it another way
            log.info("desktop notification not shown: %s", exc)
            return False
        return True

    def _listen(self) -> None:
        from jeepney.low_level import HeaderFields

        while True:
            message = self._events.get()
            if message is None:
                return
            member = message.header.fields.get(HeaderFields.member)
            body = message.body
            if member == "ActionInvoked" and len(body) == 2:
                with self._lock:
                    notice = self._shown.get(int(body[0]))
                if notice is not None and self._on_action is not None:
                    try:
                        self._on_action(notice, str(body[1]))
                    except Exception:  # a bug in a handler must not end the listener
                        log.exception("handling a notification's action failed")
            elif member == "NotificationClosed" and body:
                with self._lock:
                    self._shown.pop(int(body[0]), None)

    def close(self) -> None:
        if self._router is None:
            return
        self._events.put(None)
        if self._listener is not None:
            self._listener.join(timeout=5)
        try:
            if self._filter is not None:
                self._filter.close()
            self._router.close()
            self._router.conn.close()
        except Exception as exc:  # noqa: BLE001 - closing a dead bus is nothing to report
            log.debug("closing the notification bus: %s", exc)
        self._router = None


# --- the background publisher's side ------------------------------------------------------------


WINDOW_PROGRAM = "linkie-desktop"


def window_command(post_id: str, database_url: str) -> list[str]:
    """`linkie-desktop --open-post ID --db <this database>`: this installation's window program,
    the one beside its `linkie` (user_service.linkie_executable: a venv's scripts, the bundle's
    folder, or the linkie found on PATH), with the extension it has there."""
    program = Path(user_service.linkie_executable()).with_stem(WINDOW_PROGRAM)
    database = user_service.command_line_database(database_url)
    return [str(program), "--open-post", post_id, "--db", database]


def launch_window(command: Sequence[str]) -> None:
    """Start the window on its own (it outlives `linkie serve`). A window already open on the
    database takes the post over and the new process ends (ui/single_instance.py)."""
    # Here, not at the top: the window imports this module at start, and serve brings the
    # whole publisher with it.
    from linkie_desktop.services.serve import start_in_background

    try:
        start_in_background(command)
    except OSError as exc:
        log.warning("cannot open the window (%s): %s", command[0], exc)


def window_opener(
    database_url: str, launch: Callable[[Sequence[str]], None] = launch_window
) -> Callable[[str], None]:
    """Open: the window, showing the post, on the database `linkie serve` publishes from."""
    return lambda post_id: launch(window_command(post_id, database_url))


def background_actions(
    open_window: Callable[[str], None], launcher: Launcher = system_browser
) -> OnAction:
    """What a click on a notice from `linkie serve` does: Open starts the window at the post
    (`window_opener`), View on LinkedIn opens the post's page in the browser."""

    def act(notice: Notice, action: str) -> None:
        if action in (OPEN, DEFAULT_ACTION) and notice.post_id is not None:
            open_window(notice.post_id)
        elif action == VIEW_ON_LINKEDIN and notice.post_urn:
            launcher(post_page_url(notice.post_urn))

    return act


def notify_outcome(
    result: PassResult, level: NotificationLevel | str, notifier: DesktopNotifier
) -> list[Notice]:
    """Show what a pass has to tell at the user's level (`linkie serve` calls this after each
    pass; Preferences.notifications is the level). The notices shown, in order."""
    shown = []
    for notice in notices_for(result):
        if wanted(notice, level) and notifier.show(notice):
            shown.append(notice)
    return shown
