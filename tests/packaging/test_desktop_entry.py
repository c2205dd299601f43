"""The .desktop entry is valid and names what the app announces (icon, window class)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

from linkie_desktop import APP_NAME
from linkie_desktop.config import resources_dir
from tests.packaging.support import run_python

DESKTOP_FILE = resources_dir() / f"{APP_NAME}.desktop"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_validate_accepts_the_entry() -> None:
    tool = shutil.which("desktop-file-validate")
    assert tool, "desktop-file-validate missing: run scripts/setup.sh (desktop-file-utils)"
    done = subprocess.run([tool, str(DESKTOP_FILE)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""  # not even a hint


def test_the_entry_has_every_field_a_menu_needs() -> None:
    entry = _entry()
    for key in ("Name", "GenericName", "Comment", "Exec", "Icon", "Categories", "Keywords"):
        assert entry.get(key, "").strip(), key
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "linkie-desktop"  # no %U: the app opens no files or URLs
    assert "%" not in entry["Exec"]
    assert entry["Icon"] == APP_NAME


# In a child process: the app's start-up sets process-wide Qt state, as it would on a desktop.
_ANNOUNCED = """
import sys
from PySide6.QtGui import QGuiApplication
from linkie_desktop.app import main
assert main(["--smoke", "--db", sys.argv[1]]) == 0
app = QGuiApplication.instance()
sizes = sorted({s.width() for s in app.windowIcon().availableSizes()})
print(app.applicationName(), app.desktopFileName(), ",".join(map(str, sizes)))
"""


def test_window_class_and_app_id_match_the_entry(tmp_path: Path) -> None:
    done = run_python("-c", _ANNOUNCED, str(tmp_path / "linkie.db"), XDG_STATE_HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    wm_class, desktop_file_name, icon_sizes = done.stdout.split()
    # X11 takes WM_CLASS from the application name, Wayland the app id from the desktop file name.
    assert wm_class == _entry()["StartupWMClass"]
    assert desktop_file_name == DESKTOP_FILE.stem
    assert {16, 32, 48, 256} <= {int(size) for size in icon_sizes.split(",")}
