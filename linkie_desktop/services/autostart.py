"""Start Linkie at login: an XDG autostart entry on Linux; other systems are not supported yet.

Linkie publishes only while it runs, so starting with the session is what makes scheduled posts go
out on time (DESIGN.md, Publisher).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from linkie_desktop import APP_NAME, DISPLAY_NAME

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


def launch_command() -> str:
    """The command line that starts this installation: the frozen binary, the installed script,
    or this interpreter running the package."""
    if getattr(sys, "frozen", False):
        return shlex.quote(sys.executable)
    script = shutil.which("linkie-desktop")
    if script:
        return shlex.quote(script)
    return f"{shlex.quote(sys.executable)} -m linkie_desktop.app"


def desktop_entry(command: str) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={DISPLAY_NAME}\n"
        "Comment=Publishes your scheduled LinkedIn posts\n"
        f"Exec={command}\n"
        f"Icon={APP_NAME}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def is_enabled(platform: str | None = None, env: dict[str, str] | None = None) -> bool:
    return is_supported(platform) and entry_path(env).is_file()


def set_enabled(
    enabled: bool,
    platform: str | None = None,
    env: dict[str, str] | None = None,
    command: str | None = None,
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
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(desktop_entry(command or launch_command()), encoding="utf-8")
    tmp.replace(path)
