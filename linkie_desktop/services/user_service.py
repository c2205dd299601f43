"""`linkie serve` as a systemd user service: the unit file, and installing or removing it (no Qt).

The unit is `$XDG_CONFIG_HOME/systemd/user/linkie-serve.service`, which starts this installation's
`linkie serve --db <this database>` with the user's session and again after a failure. The .deb
ships the same unit for /usr/bin/linkie under /usr/lib/systemd/user/ (packaging/
linkie-serve.service, made by `unit_text`); a user's own unit of that name takes its place.
Nothing secret goes on the command line: the tokens stay in the database and the keyring.

Where systemd's user session cannot be reached (no systemd, a container, a desktop that starts
without it), the unit is still written and the words say how to start it, and that Start at
login (an XDG autostart entry running `linkie serve`, services/autostart.py) does the same there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from linkie_desktop import DISPLAY_NAME
from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.domain.posts import ValidationError

UNIT_NAME = "linkie-serve.service"
# Installed by the .deb for /usr/bin/linkie (packaging/build-deb.sh).
PACKAGED_UNIT_DIR = Path("/usr/lib/systemd/user")
# systemctl's own answers are quick; a hung user manager must not hang the caller.
SYSTEMCTL_TIMEOUT_S = 20.0
# SIGTERM lets the request in hand end (each has a 60-second deadline) before systemd kills.
STOP_TIMEOUT_S = 90

Run = Callable[..., "subprocess.CompletedProcess[str]"]


def linkie_executable() -> str:
    """This installation's `linkie`: beside the running interpreter (a venv's scripts) or the
    frozen bundle's window program; else the one on PATH."""
    name = "linkie.exe" if sys.platform == "win32" else "linkie"
    beside = Path(sys.executable).with_name(name)
    if beside.is_file():
        return str(beside)
    found = shutil.which("linkie")
    return str(Path(found).resolve()) if found else name


KEEP_IT_IN_PGPASS = (
    "The database address holds a password, which would be written into the background "
    "publisher's command line for anyone on this computer to read. Keep the password in "
    "~/.pgpass (PostgreSQL's own password file, readable by you only) and give Linkie the "
    "address without it."
)


def command_line_database(database_url: str) -> str:
    """The database as another Linkie program's `--db` names it: a file as its plain path, a
    server's address never with a password (refused: it would sit in a unit file and in every
    process listing)."""
    path = sqlite_path(database_url)
    if path is not None:
        return str(path)
    address = make_url(database_url)
    if address.password is not None:
        raise ValidationError(KEEP_IT_IN_PGPASS)
    # application_name is the window engine's own name (db/engine.py), not the address's.
    return address.difference_update_query(["application_name"]).render_as_string(False)


def serve_command(executable: str, database_url: str | None = None) -> list[str]:
    """`linkie serve [--db <database>]`."""
    command = [executable, "serve"]
    if database_url is not None:
        command += ["--db", command_line_database(database_url)]
    return command


_PLAIN = re.compile(r"[A-Za-z0-9_/.:@+=,-]+")


def _systemd_word(word: str) -> str:
    """One ExecStart word: quoted when it holds anything but plain characters; % and $ doubled,
    as systemd would otherwise read them as a specifier or a variable."""
    if not _PLAIN.fullmatch(word):
        word = '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word.replace("%", "%%").replace("$", "$$")


def unit_text(command: Sequence[str]) -> str:
    return (
        "[Unit]\n"
        f"Description={DISPLAY_NAME}: publish scheduled LinkedIn posts in the background\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={' '.join(_systemd_word(w) for w in command)}\n"
        "Restart=on-failure\n"
        "RestartSec=10\n"
        f"TimeoutStopSec={STOP_TIMEOUT_S}\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def unit_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/systemd/user`, where systemd looks for a user's own units."""
    env = os.environ if env is None else env
    config_home = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "systemd" / "user"


def unit_path(env: Mapping[str, str] | None = None) -> Path:
    return unit_dir(env) / UNIT_NAME


def is_installed(env: Mapping[str, str] | None = None) -> bool:
    return unit_path(env).is_file()


@dataclass(frozen=True)
class Outcome:
    path: Path
    running: bool  # systemd started it (install) or stopped it (remove)
    message: str  # what happened, in plain words


class _Systemctl:
    def __init__(self, run: Run, env: Mapping[str, str] | None) -> None:
        self._run = run
        self._env = dict(os.environ if env is None else env)
        self.program = shutil.which("systemctl", path=self._env.get("PATH"))
        self.problem = "systemctl is not installed" if self.program is None else ""

    def __call__(self, *args: str) -> bool:
        if self.program is None:
            return False
        try:
            done = self._run(
                [self.program, "--user", *args],
                capture_output=True,
                text=True,
                timeout=SYSTEMCTL_TIMEOUT_S,
                env=self._env,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.problem = f"systemctl --user {args[0]} failed: {exc}"
            return False
        if done.returncode != 0:
            said = " ".join((done.stderr or done.stdout or "").split())
            self.problem = f"systemctl --user {args[0]}: {said or f'exit {done.returncode}'}"
            return False
        return True

    def reachable(self) -> bool:
        """True when systemd's user manager answers (there is a user session to run it in)."""
        return self("show-environment")


def _start_by_hand(path: Path) -> str:
    return (
        f"Start it with: systemctl --user daemon-reload && systemctl --user enable --now "
        f"{UNIT_NAME}. On a desktop without systemd user sessions, turn on Settings › General › "
        f"Start at login instead (it runs linkie serve when you log in). The unit is {path}."
    )


def install(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    run: Run = subprocess.run,
) -> Outcome:
    """Write the unit for `command`, then reload, enable and start it when systemd's user session
    can be reached. Raises OSError when the file cannot be written."""
    if not Path(command[0]).is_absolute():
        raise OSError(f"cannot find this installation's linkie program (got {command[0]!r})")
    path = unit_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(unit_text(command), encoding="utf-8")
    tmp.replace(path)
    systemctl = _Systemctl(run, env)
    if (
        systemctl.reachable()
        and systemctl("daemon-reload")
        and systemctl("enable", "--now", UNIT_NAME)
    ):
        return Outcome(
            path,
            True,
            f"Linkie publishes in the background now: the user service {UNIT_NAME} is running "
            "and starts again whenever you log in.",
        )
    return Outcome(
        path,
        False,
        f"The user service was written but not started ({systemctl.problem}). "
        + _start_by_hand(path),
    )


def remove(env: Mapping[str, str] | None = None, run: Run = subprocess.run) -> Outcome:
    """Stop and disable the service when systemd can be reached, then remove the unit file."""
    path = unit_path(env)
    systemctl = _Systemctl(run, env)
    stopped = systemctl.reachable() and systemctl("disable", "--now", UNIT_NAME)
    existed = path.is_file()
    path.unlink(missing_ok=True)
    if systemctl.program is not None and not systemctl.problem:
        systemctl("daemon-reload")
    if not existed:
        return Outcome(path, stopped, f"There was no user service to remove ({path}).")
    if stopped:
        return Outcome(path, True, f"The user service {UNIT_NAME} was stopped and removed.")
    return Outcome(
        path,
        False,
        f"The user service file was removed ({systemctl.problem}); a linkie serve it started "
        "keeps running until you log out.",
    )
