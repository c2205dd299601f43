"""`linkie serve`: publish scheduled posts while the window is closed, until stopped.

`linkie serve` runs the window's publisher headless (services/serve.py) and stops cleanly on
SIGTERM or Ctrl+C. `--install-user-service` / `--remove-user-service` write or remove a systemd
user unit that runs it with the session (services/user_service.py).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from linkie_desktop.cli_linkedin import CommandFactory
from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.services import redact, user_service
from linkie_desktop.services.activity import Actor, set_process_actor
from linkie_desktop.services.backup import backup_if_due
from linkie_desktop.services.notifications import (
    DesktopNotifier,
    background_actions,
    notify_outcome,
    window_opener,
)
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.publisher import PassResult, PublisherConfig, keyring_tokens
from linkie_desktop.services.serve import AlreadyServingError, Server
from linkie_desktop.services.workspace import Workspace

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _log_outcomes_on_stderr() -> None:
    """Each outcome on stderr too (the journal, under systemd), besides the log file."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("linkie %(message)s"))
    redact.install(handler)
    logging.getLogger("linkie_desktop.services.serve").addHandler(handler)


def _stop_on_signals(stop: threading.Event) -> None:
    def asked_to_stop(_signum: int, _frame: FrameType | None) -> None:
        # Only a flag (no logging here: its lock may be held by the code this interrupted). The
        # pass ends the request in hand and takes up no other post; the loop then says so.
        stop.set()

    for number in STOP_SIGNALS:
        signal.signal(number, asked_to_stop)


def _daily_backup(ws: Workspace) -> Callable[[], object] | None:
    """The window's daily backup, for `linkie serve` (a SQLite database only: a shared server
    keeps its own backups); None when there is no file to back up."""
    db_path = sqlite_path(ws.config.database_url)
    if db_path is None:
        return None
    media, data = ws.config.media_dir, ws.config.data_dir
    return lambda: backup_if_due(db_path, media, load_preferences(data).backups_kept)


def _serve(ws: Workspace) -> None:
    from linkie_desktop.logging_setup import SERVE_LOG_FILE_NAME, setup_logging

    setup_logging(ws.config.log_dir, name=SERVE_LOG_FILE_NAME)  # the window may be writing its own
    _log_outcomes_on_stderr()
    set_process_actor(Actor.SERVE)  # the activity history says "the background publisher"
    stop = threading.Event()
    _stop_on_signals(stop)
    notifier = DesktopNotifier(background_actions(window_opener(ws.config.database_url)))

    def tell(result: PassResult) -> None:  # at the level chosen in Settings, read each time
        notify_outcome(result, load_preferences(ws.config.data_dir).notifications, notifier)

    server = Server(
        ws.engine,
        keyring_tokens(),
        lambda: PublisherConfig.from_config(ws.config, load_preferences(ws.config.data_dir)),
        ws.config.publish_interval_s,
        stop,
        database=sqlite_path(ws.config.database_url),
        on_pass=tell,
        backup=_daily_backup(ws),
    )
    try:
        server.refuse_a_second_one()
    except AlreadyServingError as exc:
        print(f"linkie: {exc}; nothing to do", file=sys.stderr)
        return
    try:
        server.run()
    finally:
        notifier.close()


def _cmd_serve(ws: Workspace, args: argparse.Namespace) -> None:
    if args.install_user_service:
        command = user_service.serve_command(
            user_service.linkie_executable(), ws.config.database_url
        )
        print(user_service.install(command).message)
    elif args.remove_user_service:
        print(user_service.remove().message)
    else:
        _serve(ws)


def register(command: CommandFactory) -> None:
    serve = command(
        "serve", _cmd_serve, "publish scheduled posts in the background until stopped (SIGTERM)"
    )
    service = serve.add_mutually_exclusive_group()
    service.add_argument(
        "--install-user-service",
        action="store_true",
        help=f"write ~/.config/systemd/user/{user_service.UNIT_NAME} and start it",
    )
    service.add_argument(
        "--remove-user-service", action="store_true", help="stop and remove that service"
    )
