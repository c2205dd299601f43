"""Help › Copy diagnostics and About: what a bug report needs (versions, paths, the keyring's
kind), and never a secret: only the fields named here are written, none read from the keyring,
the environment or the preferences file."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication

from linkie_desktop import APP_NAME, DISPLAY_NAME
from linkie_desktop.config import Config
from linkie_desktop.db.migrate import sqlite_path


def version() -> str:
    import linkie_desktop

    return str(linkie_desktop.__version__)


def licence() -> str:
    try:
        meta = metadata.metadata(APP_NAME)
    except metadata.PackageNotFoundError:
        return "unknown"
    for field in ("License-Expression", "License"):
        values = meta.get_all(field) or []
        if values and values[0]:
            return str(values[0])
    return "unknown"


def keyring_backend() -> str:
    """The backend keyring chose (its class), or why there is none; no entry is read."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring is itself the diagnosis
        return f"unavailable ({type(exc).__name__})"
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def database_location(cfg: Config) -> str:
    path = sqlite_path(cfg.database_url)
    if path is not None:
        return str(path)
    # Not a file: the URL's kind only, as a URL may carry a password.
    return cfg.database_url.split(":", 1)[0] + ": (not a file)"


def diagnostics_text(cfg: Config, appearance: str = "") -> str:
    app = QGuiApplication.instance()
    platform_name = QGuiApplication.platformName() if app is not None else "none"
    lines = [
        f"{DISPLAY_NAME} {version()}",
        f"Python {platform.python_version()} ({sys.executable})",
        f"PySide6 {PySide6.__version__}, Qt {qVersion()}, platform plugin {platform_name}",
        f"System: {platform.platform()}",
        f"Data folder: {cfg.data_dir}",
        f"Log folder: {cfg.log_dir}",
        f"Database: {database_location(cfg)}",
        f"Keyring backend: {keyring_backend()}",
    ]
    if appearance:
        lines.append(f"Appearance: {appearance}")
    return "\n".join(lines) + "\n"
