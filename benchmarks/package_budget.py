"""The .deb's budgets: its size against 120 MB, and the installed app's cold start to a shown
window against a bare PySide6 window bundled and started the same way (target ≤ 1.5×).

    bash packaging/build-deb.sh                  # makes dist/linkie-desktop_<version>_amd64.deb
    python3 benchmarks/package_budget.py [--deb PATH] [--runs 5] [--warm]

The app is run from /opt/linkie-desktop when that version is installed, else from the .deb unpacked
into a temp folder (the same files apt would install). The baseline is benchmarks/bare_window.py
frozen by the same build venv's PyInstaller into a one-folder bundle (built once, in build/bench).
Both start offscreen with `--smoke`-like behaviour: show the window, one event-loop turn, exit.
Cold: the page cache is dropped before every start (root only; otherwise the runs are warm and
the output says so). Runs alternate app and baseline; the figures are medians.

Three times per start, each from the moment this script starts the process:
- first window: the app's splash is on screen and painted (the budget is judged on this one);
- main window: the real window with its tabs and the database open is on screen and painted;
- exit: the process has ended after one event-loop turn (what this script reported until the
  splash existed; it includes tearing the app down).
The windows say when they were shown on stderr, on CLOCK_MONOTONIC (one clock for all processes).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "linkie-desktop"
SIZE_TARGET_MB = 120.0
START_TARGET_RATIO = 1.5
DROP_CACHES = Path("/proc/sys/vm/drop_caches")
BARE_SCRIPT = ROOT / "benchmarks" / "bare_window.py"
# "linkie-desktop: first window shown at monotonic 123.456789" (bare: "bare-window: window ...")
SHOWN = re.compile(r"^[\w-]+: (?P<what>[\w ]+?) shown at monotonic (?P<at>\d+\.\d+)$", re.M)


def newest_deb() -> Path | None:
    debs = sorted((ROOT / "dist").glob(f"{NAME}_*_amd64.deb"), key=lambda p: p.stat().st_mtime)
    return debs[-1] if debs else None


def deb_version(deb: Path) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def installed_version() -> str | None:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version} ${Status}", NAME],
        capture_output=True,
        text=True,
        check=False,
    )
    version, _, status = done.stdout.partition(" ")
    return version if done.returncode == 0 and status.endswith("installed") else None


def app_binary(deb: Path, scratch: Path) -> tuple[Path, str]:
    if installed_version() == deb_version(deb) and Path(f"/opt/{NAME}/{NAME}").exists():
        return Path(f"/opt/{NAME}/{NAME}"), "installed in /opt"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(scratch / "root")], check=True)
    return scratch / "root" / "opt" / NAME / NAME, "unpacked from the .deb"


def bare_binary() -> Path:
    out = ROOT / "build" / "bench"
    binary = out / "dist" / "bare-window" / "bare-window"
    # Rebuilt whenever bare_window.py changes, so the baseline is always the script in this tree.
    stamp, digest = out / "bare_window.sha256", hashlib.sha256(BARE_SCRIPT.read_bytes()).hexdigest()
    if not binary.exists() or not stamp.exists() or stamp.read_text() != digest:
        pyinstaller = ROOT / "build" / "venv" / "bin" / "pyinstaller"
        if not pyinstaller.exists():
            sys.exit("package_budget: build/venv has no PyInstaller; run packaging/build-deb.sh")
        print("building the bare-window baseline bundle...", file=sys.stderr)
        subprocess.run(
            [
                str(pyinstaller),
                "--noconfirm",
                "--log-level=ERROR",
                "--onedir",
                "--name=bare-window",
                f"--distpath={out / 'dist'}",
                f"--workpath={out / 'work'}",
                f"--specpath={out}",
                str(BARE_SCRIPT),
            ],
            check=True,
        )
        stamp.write_text(digest)
    return binary


def can_drop_caches() -> bool:
    return os.access(DROP_CACHES, os.W_OK)


def start_seconds(command: list[str], env: dict[str, str], cold: bool) -> dict[str, float]:
    """Seconds from starting `command` to each window it reports shown, and to its exit."""
    if cold:
        os.sync()
        DROP_CACHES.write_text("3\n")
    began = time.monotonic()
    done = subprocess.run(
        command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    ended = time.monotonic()
    shown = {m["what"]: float(m["at"]) - began for m in SHOWN.finditer(done.stderr)}
    if not shown:
        sys.exit(f"package_budget: {command[0]} reported no shown window:\n{done.stderr}")
    return {**shown, "exit": ended - began}


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def verdict(ratio: float) -> str:
    return "ok" if ratio <= START_TARGET_RATIO else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, help="the package (default: newest in dist/)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", action="store_true", help="do not drop the page cache")
    args = parser.parse_args()
    deb = args.deb or newest_deb()
    if deb is None or not deb.exists():
        print("package_budget: no .deb; run bash packaging/build-deb.sh first", file=sys.stderr)
        return 2

    size_mb = deb.stat().st_size / 1e6
    size_verdict = "ok" if size_mb <= SIZE_TARGET_MB else "OVER"
    print(f"deb size: {size_mb:.1f} MB (target <= {SIZE_TARGET_MB:.0f} MB): {size_verdict}")

    cold = not args.warm and can_drop_caches()
    with tempfile.TemporaryDirectory(prefix="linkie-budget-") as scratch_dir:
        scratch = Path(scratch_dir)
        app, where = app_binary(deb, scratch)
        bare = bare_binary()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(scratch / "home"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        smoke = [str(app), "--smoke"]
        subprocess.run(smoke, env=env, check=True, capture_output=True)  # first run: migrate
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            app_runs.append(start_seconds(smoke, env, cold))
            bare_runs.append(start_seconds([str(bare)], env, cold))
    app_s, bare_s = medians(app_runs), medians(bare_runs)
    base = bare_s["window"]
    kind = "cold (page cache dropped before each start)" if cold else "warm"
    print(f"start-up, {kind}, median of {args.runs}, app {where};")
    print(
        f"bare PySide6 window (the baseline): shown after {base:.2f} s, exited after "
        f"{bare_s['exit']:.2f} s"
    )
    first = app_s["first window"] / base
    print(
        f"  first window (the splash, on screen and painted): {app_s['first window']:.2f} s = "
        f"{first:.2f}x the bare window (target <= {START_TARGET_RATIO}x): {verdict(first)}"
    )
    main_ratio = app_s["main window"] / base
    print(
        f"  main window (tabs built, database open, painted): {app_s['main window']:.2f} s = "
        f"{main_ratio:.2f}x the bare window (no target; how long the splash is up)"
    )
    exit_ratio = app_s["exit"] / bare_s["exit"]
    print(
        f"  process exit after --smoke's one event-loop turn: {app_s['exit']:.2f} s = "
        f"{exit_ratio:.2f}x the bare window's exit (the figure reported before the splash)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
