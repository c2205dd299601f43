"""Questions asked of a fresh Python process (offscreen): which modules an import loads, what a
probe prints. The test process itself has long imported everything, so only a child can tell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable

_LOADED = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} | set(sys.modules))))
"""


def run_python(code: str) -> str:
    """What `code` prints in a fresh interpreter (it must exit 0)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def loaded_after_importing(modules: Iterable[str]) -> set[str]:
    """Every module (and top-level package) a fresh process holds after importing `modules`."""
    loaded: list[str] = json.loads(run_python(_LOADED.format(modules=tuple(modules))))
    return set(loaded)
