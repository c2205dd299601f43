"""What Linkie checks before LinkedIn's sign-in page opens, and the window's words for a connect
that failed (no Qt).

Each check raises SetupError: plain words that name the field and the step of Settings ›
LinkedIn's guide that fixes it (the window focuses that field). The checks catch what users get
wrong most: a client ID pasted with a space, a URL or the secret in its place; the secret
missing or the ID pasted twice; the redirect port taken by another program; and (asking
LinkedIn itself before the browser opens) a client ID LinkedIn doesn't know or a redirect URL
not registered for the app.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import socket
from typing import Any

from linkie_desktop.services.loopback import PortInUseError
from linkie_desktop.services.oauth import (
    LinkedInApp,
    OAuthError,
    SetupError,
    SetupField,
    SetupStep,
)

__all__ = ["SetupError", "SetupField"]  # raised by these checks; defined with the login's errors

log = logging.getLogger(__name__)

# LinkedIn's client IDs are letters and digits: 14 in every app seen (77dsuygh5i0zj5,
# 78zvij188dntsk); older apps had 12. A little room each side, so a format LinkedIn changes
# slightly is not refused — LinkedIn itself is asked next (check_authorization).
CLIENT_ID_PATTERN = re.compile(r"[A-Za-z0-9]{10,20}")
EXAMPLE_CLIENT_ID = "77abc123def456"
# Secrets are 16 letters and digits (older apps) or "WPL_AP1.…" with dots, slashes, "=" and "+":
# those characters never occur in an ID, so they tell a pasted secret apart.
_SECRET_MARKS = re.compile(r"^WPL_|[./=+]")
MIN_SECRET_LENGTH = 8
_PROBE_DEADLINE_S = 10.0


def _shown(value: str) -> str:
    return value if len(value) <= 24 else f"{value[:20]}…"


def _looks_like_url(value: str) -> bool:
    return "://" in value or value.lower().startswith(("www.", "linkedin.com"))


def client_id_problem(client_id: str) -> SetupError | None:
    """None when `client_id` can be a LinkedIn client ID (surrounding spaces are trimmed)."""
    value = client_id.strip()
    step = SetupStep.CREDENTIALS
    where = f"Copy it again from your app's Auth tab into the Client ID field (step {step})"

    def problem(message: str) -> SetupError:
        return SetupError(message, SetupField.CLIENT_ID, step)

    if not value:
        return problem(f"Enter your app's Client ID first. {where}.")
    if any(char.isspace() for char in value):
        return problem(f"The Client ID has a space in it. {where}: it is one word.")
    if _looks_like_url(value):
        return problem(
            "The Client ID field holds a web address, not a Client ID. Paste your app's Client ID "
            f"there (step {step}): it is on the app's Auth tab, letters and digits like "
            f"{EXAMPLE_CLIENT_ID}."
        )
    if _SECRET_MARKS.search(value):
        return problem(
            "The Client ID field seems to hold the client secret. Paste the Client ID there and "
            f"the Primary Client Secret in the Client secret field (step {step}): both are on "
            "your app's Auth tab."
        )
    if not CLIENT_ID_PATTERN.fullmatch(value):
        return problem(
            f"“{_shown(value)}” is not a LinkedIn Client ID: those are 10 to 20 letters and "
            f"digits, like {EXAMPLE_CLIENT_ID}. {where}."
        )
    return None


def client_secret_problem(secret: str, client_id: str) -> SetupError | None:
    """None when `secret` can be the Primary Client Secret of the app `client_id` names."""
    value = secret.strip()
    step = SetupStep.CREDENTIALS
    where = f"Copy the Primary Client Secret again from your app's Auth tab (step {step})"

    def problem(message: str) -> SetupError:
        return SetupError(message, SetupField.CLIENT_SECRET, step)

    if not value:
        return problem(f"Enter your app's client secret first. {where}.")
    if value == client_id.strip():
        return problem(
            "The Client secret field holds the Client ID. Paste the Primary Client Secret there "
            f"instead: it is under the Client ID on your app's Auth tab (step {step})."
        )
    if any(char.isspace() for char in value):
        return problem(f"The Client secret has a space in it. {where}: it is one word.")
    if _looks_like_url(value):
        return problem(f"The Client secret field holds a web address, not the secret. {where}.")
    if len(value) < MIN_SECRET_LENGTH:
        return problem(f"The Client secret is too short to be LinkedIn's. {where}.")
    return None


def check_credentials(app: LinkedInApp) -> None:
    """Raise the first problem of the app's client ID and secret (quick: any thread)."""
    problem = client_id_problem(app.client_id) or client_secret_problem(
        app.client_secret, app.client_id
    )
    if problem is not None:
        raise problem


# --- the redirect port -------------------------------------------------------------------------


def port_busy_message(port: int, fixed: bool = False) -> str:
    """What to do when another program listens on the redirect port; `fixed`: this copy of
    Linkie was started with the port set for it, so Settings can't change it."""
    if fixed:
        return (
            f"Port {port} is in use by another program, and this copy of Linkie was started with "
            "that port fixed, so it can't be changed here. Close the other program, then "
            "Connect again."
        )
    return (
        f"Port {port} is in use by another program: choose another port in Settings › LinkedIn "
        f"(step {SetupStep.REDIRECT_URL}) and register the new redirect URL on LinkedIn, then "
        "Connect again."
    )


def check_redirect_port(port: int, fixed: bool = False) -> None:
    """Raise SetupError when 127.0.0.1:`port` can't be listened on. Binds for a moment, so
    run it off the GUI thread; the listener binds again when the attempt starts."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # As the listener does (loopback.CallbackServer): on POSIX a socket of the last attempt
        # still in TIME_WAIT must not read as "in use"; on Windows the option would steal ports.
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen(1)
    except OSError as exc:
        if exc.errno == errno.EACCES:
            message = (
                f"This computer doesn't let Linkie use port {port}. Choose a port from 1024 up in "
                f"Settings › LinkedIn (step {SetupStep.REDIRECT_URL}) and register the new "
                "redirect URL on LinkedIn, then Connect again."
            )
        else:
            message = port_busy_message(port, fixed)
        raise SetupError(message, SetupField.REDIRECT_PORT, SetupStep.REDIRECT_URL) from None
    finally:
        probe.close()


# --- asking LinkedIn ---------------------------------------------------------------------------


def _refusal(response: Any) -> str:
    """LinkedIn's words in a refused authorization request (JSON or its error page), lower case."""
    try:
        body = response.json()
    except ValueError:
        return str(response.text).lower()
    if isinstance(body, dict):
        return json.dumps(body).lower()
    return str(response.text).lower()


def check_authorization(app: LinkedInApp, url: str) -> None:
    """Ask LinkedIn for the sign-in page the browser will be sent to (network: a network thread).

    LinkedIn answers a client ID it doesn't know, or a redirect URL not registered for the app,
    on that page itself (it can't send the browser back to an address it doesn't trust), where
    Linkie would never hear of it. Asked first, its refusal is explained here, with the step.
    Anything else (its login page, a redirect, no answer) lets the browser open as usual.
    """
    import httpx

    from linkie_desktop.services.http_deadline import request_once

    try:
        response = request_once("GET", url, _PROBE_DEADLINE_S)
    except httpx.HTTPError as exc:
        log.info("could not ask LinkedIn about the app first (%s); opening the browser", exc)
        return
    if not 400 <= response.status_code < 500:
        return
    said = _refusal(response)
    if "redirect_uri" in said:
        raise SetupError(
            "LinkedIn says the redirect URL is not registered for your app (“The redirect_uri "
            f"does not match the registered value”). Add {app.redirect_uri} on your app's Auth "
            "tab under “Authorized redirect URLs for your app” and press Update (step "
            f"{SetupStep.REDIRECT_URL}), then Connect again.",
            SetupField.REDIRECT_PORT,
            SetupStep.REDIRECT_URL,
        )
    if "client_id" in said:
        raise SetupError(
            f"LinkedIn doesn't know the Client ID {_shown(app.client_id)}. Copy it again from "
            f"your app's Auth tab into the Client ID field (step {SetupStep.CREDENTIALS}), then "
            "Connect again.",
            SetupField.CLIENT_ID,
            SetupStep.CREDENTIALS,
        )
    log.info(
        "LinkedIn refused the sign-in page (HTTP %s); opening the browser", response.status_code
    )


# --- the window's words ------------------------------------------------------------------------


def in_app_words(exc: BaseException, port_fixed: bool = False) -> str:
    """How the window tells a failed connect: what to do in the app, never an environment
    variable (those are the command line's; `port_fixed` says the port can't be changed here)."""
    if isinstance(exc, PortInUseError):
        return port_busy_message(exc.port, port_fixed)
    if isinstance(exc, OAuthError):
        return exc.in_app
    return str(exc)
