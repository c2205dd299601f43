"""Run the packaging scripts and the app in child processes, as the build and a desktop do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """This venv's Python with `args`, offscreen, with extra environment variables."""
    return subprocess.run(
        [sys.executable, *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
