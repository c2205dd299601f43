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
"""

from __future__ import annotations

import argparse
import os
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
    if not binary.exists():
        pyinstaller = ROOT / "build" / "venv" / "bin" / "pyinstaller"
        if not pyinstaller.exists():
            sys.exit("package_budget: build/venv has no PyInstaller; run packaging/build-deb.sh")
        print("building the bare-window baseline bundle (once)...", file=sys.stderr)
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
                str(ROOT / "benchmarks" / "bare_window.py"),
            ],
            check=True,
        )
    return binary


def can_drop_caches() -> bool:
    return os.access(DROP_CACHES, os.W_OK)


def start_seconds(command: list[str], env: dict[str, str], cold: bool) -> float:
    if cold:
        os.sync()
        DROP_CACHES.write_text("3\n")
    began = time.perf_counter()
    subprocess.run(
        command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - began


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
    verdict = "ok" if size_mb <= SIZE_TARGET_MB else "OVER"
    print(f"deb size: {size_mb:.1f} MB (target <= {SIZE_TARGET_MB:.0f} MB): {verdict}")

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
        app_times, bare_times = [], []
        for _ in range(args.runs):
            app_times.append(start_seconds(smoke, env, cold))
            bare_times.append(start_seconds([str(bare)], env, cold))
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    ratio = app_s / bare_s
    verdict = "ok" if ratio <= START_TARGET_RATIO else "OVER"
    kind = "cold (page cache dropped before each start)" if cold else "warm"
    print(f"start to shown window, {kind}, median of {args.runs}, app {where}:")
    print(f"  linkie-desktop --smoke: {app_s:.2f} s   bare PySide6 window: {bare_s:.2f} s")
    print(f"  ratio: {ratio:.2f}x (target <= {START_TARGET_RATIO}x): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
