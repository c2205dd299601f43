"""Start-up of the window from this checkout against a bare PySide6 window, at 1,000 and 100,000.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--sizes 1000 100000]

Each run is a whole process: `linkie-desktop --smoke --db FILE` (it exits once its window has been
shown and painted) and benchmarks/bare_window.py (a QMainWindow of the same size, shown, painted,
one event-loop turn), started alternately so that the machine's drift hits both alike. Printed:
the median wall time and peak RSS (from wait4, the kernel's own accounting) of each, the ratio
app / bare window at each size, and the ratio between the sizes; beside them the bare window that
also imports SQLAlchemy's ORM (bare_window.py --with-orm, ending as linkie-desktop does), the
floor of any start-up whose first data comes through the database layer DESIGN.md prescribes.
Offscreen, with PYTHONDONTWRITEBYTECODE unset, as a user's start-up (bytecode compiled by
scripts/setup.sh). The databases are real migrated files in a temporary folder, with posts in
every status spread over five years around today (a third of them drafts), so that every tab has
something to show.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = ROOT / "benchmarks" / "bare_window.py"
STATUSES = ("draft", "draft", "scheduled", "published", "failed")


def build(folder: Path, count: int) -> Path:
    """A migrated database holding `count` posts of the local user.

    Run in a child process (--build): Linux carries a process's peak RSS across exec, so a parent
    holding SQLAlchemy and 100,000 rows would lend its peak to every process it starts.
    """
    from sqlalchemy import text

    from linkie_desktop import config
    from linkie_desktop.db.types import new_id
    from linkie_desktop.services.workspace import open_workspace

    path = folder / f"posts-{count}.db"
    workspace = open_workspace(config.load(db=str(path), env={"LINKIE_DATA_DIR": str(folder)}))
    rng = random.Random(count)
    start = datetime.now(UTC) - timedelta(days=900)
    rows = []
    for n in range(count):
        at = int((start + timedelta(seconds=rng.randrange(5 * 365 * 86_400))).timestamp())
        status = rng.choice(STATUSES)
        rows.append(
            {
                "id": new_id(),
                "user_id": workspace.user_id,
                "title": None if n % 3 else f"Title {n}",
                "content": f"Post {n}: " + "words " * rng.randint(5, 200),
                "status": status,
                "scheduled_at": None if status == "draft" else at,
                "published_at": at if status == "published" else None,
                "created_at": at,
                "updated_at": at,
            }
        )
    insert = text(
        "INSERT INTO posts (id, user_id, title, content, status, scheduled_at, published_at, "
        "retry_count, created_at, updated_at) VALUES (:id, :user_id, :title, :content, :status, "
        ":scheduled_at, :published_at, 0, :created_at, :updated_at)"
    )
    with workspace.engine.begin() as connection:
        connection.execute(insert, rows)
    workspace.close()
    return path


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one whole process."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{errors}")
    return wall, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the child that fills
    args = parser.parse_args(argv)
    if args.build is not None:
        for size in args.sizes:
            build(args.build, size)
        return 0
    app = [str(ROOT / ".venv" / "bin" / "linkie-desktop"), "--smoke", "--db"]
    bare = [sys.executable, str(BARE)]
    floor = [sys.executable, str(BARE), "--with-orm"]
    # The same, reading the Dashboard's figures through Linkie's data layer (the first size's
    # database): what this design costs before any of the window's own parts.
    data_floor = [sys.executable, str(BARE), "--with-dashboard-read"]
    with tempfile.TemporaryDirectory(prefix="linkie-startup-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {
            "QT_QPA_PLATFORM": "offscreen",
            "LINKIE_DATA_DIR": str(folder / "data"),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_STATE_HOME": str(folder / "state"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        sizes = [str(size) for size in args.sizes]
        subprocess.run(
            [sys.executable, __file__, "--build", str(folder), "--sizes", *sizes], check=True
        )
        databases = {size: folder / f"posts-{size}.db" for size in args.sizes}
        for database in databases.values():  # warm-up: page cache, first-run folders
            run_once([*app, str(database)], env)
        run_once(bare, env)
        keys: list[int | str] = [*args.sizes, "bare", "floor", "data"]
        first_database = str(databases[args.sizes[0]])
        walls: dict[int | str, list[float]] = {key: [] for key in keys}
        peaks: dict[int | str, list[float]] = {key: [] for key in keys}
        for _ in range(args.runs):
            for size, database in databases.items():
                for key, command in ((size, [*app, str(database)]), ("bare", bare)):
                    wall, peak = run_once(command, env)
                    walls[key].append(wall)
                    peaks[key].append(peak)
            for key, command in (("floor", floor), ("data", [*data_floor, first_database])):
                wall, peak = run_once(command, env)
                walls[key].append(wall)
                peaks[key].append(peak)
    bare_wall = statistics.median(walls["bare"])
    bare_peak = statistics.median(peaks["bare"])
    print(f"start-up, whole process, median of {args.runs} (offscreen)")
    print(f"  bare PySide6 window     {bare_wall:6.3f} s   peak {bare_peak:6.1f} MiB")
    floor_wall, floor_peak = statistics.median(walls["floor"]), statistics.median(peaks["floor"])
    print(
        f"  bare + SQLAlchemy ORM   {floor_wall:6.3f} s   peak {floor_peak:6.1f} MiB"
        f"   ×{floor_wall / bare_wall:.2f} (the floor of any start-up reading through it)"
    )
    data_wall, data_peak = statistics.median(walls["data"]), statistics.median(peaks["data"])
    print(
        f"  + one Dashboard read    {data_wall:6.3f} s   peak {data_peak:6.1f} MiB"
        f"   ×{data_wall / bare_wall:.2f} (through Linkie's db/ and services/, {args.sizes[0]:,}"
        " posts: the floor of this design)"
    )
    for size in args.sizes:
        wall, peak = statistics.median(walls[size]), statistics.median(peaks[size])
        print(
            f"  linkie {size:>7,} posts  {wall:6.3f} s   peak {peak:6.1f} MiB"
            f"   ×{wall / bare_wall:.2f} of the bare window (target ≤ 3)"
        )
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        ratio = statistics.median(walls[large]) / statistics.median(walls[small])
        print(f"  {large:,} / {small:,} posts: ×{ratio:.2f} (target ≤ 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
