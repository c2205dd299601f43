"""What the Studio adds to start-up: importing its tab on top of what the window imports anyway.

    .venv/bin/python benchmarks/studio_import.py [--runs 7]

Each figure is the median wall time of a fresh interpreter that imports the module and exits;
runs alternate baseline and Studio so both see the same cache state. The Studio talks to the AI
vendors with plain httpx; the vendors' SDKs (anthropic, google-genai) would add ~2.2 s and ~1 s
of import on their own (measured with `python -X importtime` in throwaway venvs, 2026-11).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

# Every tab already pays for Qt Widgets, the database layer (SQLAlchemy, Alembic) and posts.
BASELINE = (
    "import PySide6.QtWidgets, linkie_desktop.services.workspace, linkie_desktop.services.posts, "
    "linkie_desktop.ui.widgets.message_bar"
)
STUDIO = BASELINE + ", linkie_desktop.ui.studio"


def one_run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    baseline: list[float] = []
    studio: list[float] = []
    for _ in range(runs):
        baseline.append(one_run(BASELINE))
        studio.append(one_run(STUDIO))
    base, mine = statistics.median(baseline), statistics.median(studio)
    print(f"baseline (Qt, database) {base * 1000:7.1f} ms")
    print(f"+ Studio tab and httpx  {mine * 1000:7.1f} ms")
    print(f"ratio                   {mine / base:7.2f}x  (+{(mine - base) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
