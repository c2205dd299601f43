"""`linkie connect | disconnect | status`: the LinkedIn connection from the command line.

`connect` prints the authorization URL alone on stdout (flushed at once, so a script or agent can
open it) and every other message on stderr; it exits 0 once connected. For headless use the client
ID and secret may come from LINKIE_LINKEDIN_CLIENT_ID / LINKIE_LINKEDIN_CLIENT_SECRET.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC
from typing import Any

from linkie_desktop.services import oauth
from linkie_desktop.services.loopback import WaitCancelledError
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.workspace import Workspace

Handler = Callable[[Workspace, argparse.Namespace], None]
CommandFactory = Callable[[str, Handler, str], argparse.ArgumentParser]

# What these commands fail with: one plain line on stderr, exit status 1 (cli.run catches them).
ERRORS = oauth.LOGIN_ERRORS


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _cmd_connect(ws: Workspace, args: argparse.Namespace) -> None:
    store = SecretStore(user_id=ws.user_id)  # the tokens are sealed under this person's key
    app = oauth.linkedin_app(ws.config, load_preferences(ws.config.data_dir), store)
    login = oauth.LinkedInLogin(ws.engine, ws.user_id, app, store)
    url = login.start()
    print(url, flush=True)
    if not args.no_browser and not login.open_browser():
        _say("Could not open a browser: open the address above yourself.")
    minutes = round(login.timeout_s / 60)
    _say(f"Waiting for LinkedIn (up to {minutes} minutes; Ctrl+C cancels)…")
    try:
        info = login.finish()
    except KeyboardInterrupt:
        raise WaitCancelledError() from None
    _say(info.summary())


def _cmd_disconnect(ws: Workspace, _args: argparse.Namespace) -> None:
    oauth.disconnect(ws.engine, ws.user_id, SecretStore(user_id=ws.user_id))
    _say("Disconnected: the stored LinkedIn tokens and their key were deleted.")


def status_as_json(info: oauth.ConnectionInfo) -> dict[str, Any]:
    return {
        "connected": info.connected,
        "status": info.status.value,
        "name": info.name,
        "person_urn": info.person_urn,
        "expires_at": info.expires_at.astimezone(UTC).isoformat() if info.expires_at else None,
        "days_left": info.days_left,
        "expiring_soon": info.expiring_soon,
    }


def _cmd_status(ws: Workspace, args: argparse.Namespace) -> None:
    info = oauth.connection_status(ws.engine, ws.user_id)
    if args.json:
        print(json.dumps(status_as_json(info), ensure_ascii=False, indent=2))
    else:
        print(info.summary())


def register(command: CommandFactory) -> None:
    connect = command(
        "connect", _cmd_connect, "connect LinkedIn: print the sign-in address, wait for LinkedIn"
    )
    connect.add_argument(
        "--no-browser", action="store_true", help="only print the address; open no browser"
    )
    command("disconnect", _cmd_disconnect, "forget the LinkedIn connection and its tokens")
    status = command("status", _cmd_status, "show the LinkedIn connection")
    status.add_argument("--json", action="store_true", help="print a JSON object")
