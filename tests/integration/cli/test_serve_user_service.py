"""`linkie serve --install-user-service` / `--remove-user-service` in a child process, with a
temporary XDG_CONFIG_HOME. systemd's user manager cannot run here: a stand-in `systemctl` first on
PATH records what it was asked and answers as a working (or an absent) user session would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from linkie_desktop.services.user_service import UNIT_NAME
from tests.integration.cli.serve_support import LINKIE, ROOT

FAKE_SYSTEMCTL = """#!/bin/sh
echo "$@" >> "$SYSTEMCTL_LOG"
if [ -n "$SYSTEMCTL_FAILS" ]; then echo "Failed to connect to bus: No medium found" >&2; exit 1; fi
exit 0
"""


def _linkie(tmp_path: Path, *args: str, systemctl: str | None) -> subprocess.CompletedProcess[str]:
    """`linkie` with PATH holding only the stand-in systemctl (or none at all)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "systemctl"
    fake.unlink(missing_ok=True)
    if systemctl is not None:
        fake.write_text(FAKE_SYSTEMCTL, encoding="utf-8")
        fake.chmod(0o755)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LINKIE_") and key != "PATH"
    }
    env |= {
        "PATH": str(bin_dir),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LINKIE_DATA_DIR": str(tmp_path / "data"),
        "SYSTEMCTL_LOG": str(tmp_path / "systemctl.log"),
        "PYTHONPATH": str(ROOT),
    }
    if systemctl == "fails":
        env["SYSTEMCTL_FAILS"] = "1"
    return subprocess.run(
        [str(LINKIE), *args], env=env, capture_output=True, text=True, check=False, timeout=60
    )


def _asked(tmp_path: Path) -> list[str]:
    log = tmp_path / "systemctl.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _unit(tmp_path: Path) -> Path:
    return tmp_path / "config" / "systemd" / "user" / UNIT_NAME


def test_install_writes_the_unit_for_this_linkie_and_database_and_starts_it(
    tmp_path: Path,
) -> None:
    db = tmp_path / "my data" / "linkie.db"  # a space: quoted for systemd
    db.parent.mkdir()
    done = _linkie(tmp_path, "serve", "--install-user-service", "--db", str(db), systemctl="ok")
    assert done.returncode == 0, done.stderr
    assert "is running and starts again whenever you log in" in done.stdout
    text = _unit(tmp_path).read_text(encoding="utf-8")
    assert f'ExecStart={LINKIE} serve --db "{db}"\n' in text
    assert "Restart=on-failure\n" in text and "WantedBy=default.target\n" in text
    for secret_word in ("token", "secret", "LINKIE_LINKEDIN_CLIENT"):
        assert secret_word not in text.lower()
    assert _asked(tmp_path) == [
        "--user show-environment",
        "--user daemon-reload",
        f"--user enable --now {UNIT_NAME}",
    ]


def test_without_a_user_session_the_unit_is_written_and_the_words_say_how_to_start_it(
    tmp_path: Path,
) -> None:
    for systemctl in ("fails", None):
        done = _linkie(tmp_path, "serve", "--install-user-service", systemctl=systemctl)
        assert done.returncode == 0, done.stderr
        assert "written but not started" in done.stdout
        assert f"systemctl --user enable --now {UNIT_NAME}" in done.stdout
        assert "Start at login" in done.stdout  # the autostart entry, without systemd
        assert _unit(tmp_path).is_file()
    assert "systemctl is not installed" in done.stdout


def test_remove_stops_disables_and_deletes_the_unit(tmp_path: Path) -> None:
    _linkie(tmp_path, "serve", "--install-user-service", systemctl="ok")
    done = _linkie(tmp_path, "serve", "--remove-user-service", systemctl="ok")
    assert done.returncode == 0, done.stderr
    assert "stopped and removed" in done.stdout
    assert not _unit(tmp_path).exists()
    assert _asked(tmp_path)[-2:] == [f"--user disable --now {UNIT_NAME}", "--user daemon-reload"]


def test_the_written_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here: the unit's content is checked above")
    _linkie(tmp_path, "serve", "--install-user-service", systemctl="fails")
    verified = subprocess.run(
        [analyze, "verify", str(_unit(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == "", verified.stderr
