"""Start at login: an XDG autostart entry that starts the background publisher (`linkie serve`),
not the window, on Linux; other systems are not supported yet.

Posts go out only while a publisher runs, so starting one with the session is what makes them go
out on time even on a day the window is never opened (DESIGN.md, Publisher). It is also the way
for desktops without systemd user sessions, where the user service (services/user_service.py)
cannot run. An entry written by an older Linkie starts the window: `refresh` turns it into this
one.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from linkie_desktop import APP_NAME, DISPLAY_NAME
from linkie_desktop.services.user_service import linkie_executable, serve_command

DESKTOP_FILE_NAME = f"{APP_NAME}.desktop"


class AutostartUnsupportedError(Exception):
    """Start at login can't be set up on this system."""


def is_supported(platform: str | None = None) -> bool:
    return (platform or sys.platform).startswith("linux")


def _unsupported() -> AutostartUnsupportedError:
    return AutostartUnsupportedError(
        "Starting Linkie at login is not supported on this system yet. Add Linkie Desktop to "
        "your system's login items by hand to keep scheduled posts going out."
    )


def autostart_dir(env: dict[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/autostart`, where desktop sessions look for programs to start."""
    env = dict(os.environ) if env is None else env
    config_home = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "autostart"


def entry_path(env: dict[str, str] | None = None) -> Path:
    return autostart_dir(env) / DESKTOP_FILE_NAME


# Characters the Desktop Entry Specification's Exec key wants quoted.
_PLAIN = re.compile(r"[^\s\"'\\><~|&;$*?#()`]+")


def _exec_word(word: str) -> str:
    if not _PLAIN.fullmatch(word):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in word)
        word = f'"{escaped}"'
    # `%` starts a field code; the value is also a string, where a backslash is written twice.
    return word.replace("%", "%%").replace("\\", "\\\\")


def exec_line(command: list[str]) -> str:
    return " ".join(_exec_word(word) for word in command)


def launch_command(database_url: str | None = None) -> str:
    """The Exec line that starts this installation's background publisher on `database_url`
    (None: the database `linkie` opens by default)."""
    return exec_line(serve_command(linkie_executable(), database_url))


def desktop_entry(command: str) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={DISPLAY_NAME} (background publisher)\n"
        "Comment=Publishes your scheduled LinkedIn posts while the window is closed\n"
        f"Exec={command}\n"
        f"Icon={APP_NAME}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def is_enabled(platform: str | None = None, env: dict[str, str] | None = None) -> bool:
    return is_supported(platform) and entry_path(env).is_file()


def _write(path: Path, command: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(desktop_entry(command), encoding="utf-8")
    tmp.replace(path)


def set_enabled(
    enabled: bool,
    platform: str | None = None,
    env: dict[str, str] | None = None,
    command: str | None = None,
    database_url: str | None = None,
) -> None:
    """Create or remove the autostart entry; enabling off Linux raises AutostartUnsupportedError."""
    if not is_supported(platform):
        if enabled:
            raise _unsupported()
        return
    path = entry_path(env)
    if not enabled:
        path.unlink(missing_ok=True)
        return
    _write(path, command or launch_command(database_url))


def _exec_of(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r"^Exec=(.*)$", text, re.MULTILINE)
    return found.group(1).strip() if found else None


def refresh(
    database_url: str, platform: str | None = None, env: dict[str, str] | None = None
) -> bool:
    """Bring an existing entry up to date; True when it was rewritten.

    An entry of an older Linkie starts the window: it now starts `linkie serve`. One that starts
    `linkie serve` on no particular database (as Settings writes it) gets this database, the one
    the window works on. An entry naming a database is the user's choice and is left alone.
    """
    if not is_enabled(platform, env):
        return False
    path = entry_path(env)
    current = _exec_of(path) or ""
    try:
        words = shlex.split(current)
    except ValueError:  # unbalanced quotes: not an entry we wrote; ours replaces it
        words = []
    serves = len(words) >= 2 and words[1] == "serve"
    if serves and "--db" in words:
        return False
    wanted = launch_command(database_url)
    if current == wanted:
        return False
    _write(path, wanted)
    return True
