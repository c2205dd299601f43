"""A throwaway PostgreSQL server for the test run: `initdb` + `pg_ctl` in a temporary folder.

Started the first time a test asks for it (`postgres_server`), stopped and removed at the end of
the run. It listens only on a Unix socket inside its own folder (no TCP port, nothing another
program can reach), runs as an unprivileged user when the tests run as root (initdb refuses root),
and trades durability for speed (fsync off): the data is thrown away anyway.

Each test gets a database of its own: a copy of a template migrated once to head by the app's own
`prepare_database`, so a test costs a `CREATE DATABASE … TEMPLATE` instead of eleven migrations.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SUPERUSER = "postgres"
TEMPLATE = "linkie_head"
_UNPRIVILEGED = "nobody"
_MISSING = (
    "PostgreSQL's server programs (initdb, pg_ctl) are not installed, so the PostgreSQL half of "
    "the database tests cannot run: install Debian's `postgresql` package (scripts/setup.sh "
    "does when it can)."
)


def postgres_bin_dir() -> Path | None:
    """Debian's newest /usr/lib/postgresql/N/bin, else wherever initdb is on PATH."""
    versions = sorted(
        (path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        key=lambda bin_dir: int(bin_dir.parent.name) if bin_dir.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


class PostgresServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="linkie-postgres-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self._as_root = os.geteuid() == 0
        self._names = itertools.count(1)
        self._watchdog: subprocess.Popen[bytes] | None = None
        if self._as_root:
            shutil.chown(self.root, user=_UNPRIVILEGED)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self._as_root:
            command = ["runuser", "-u", _UNPRIVILEGED, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root, timeout=60)

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        self.run_server()
        self._watch()

    def _watch(self) -> None:
        """A killed test run (a timeout, Ctrl+C twice, a CI limit) must not leave its server
        behind: a small process waits on a pipe only this one holds open, and at its end (however
        this process ends) stops the server and removes its folder."""
        import sys

        bin_dir, data, root = str(self.bin_dir), str(self.data), str(self.root)
        as_root = ["runuser", "-u", _UNPRIVILEGED, "--"] if self._as_root else []
        script = (
            "import shutil, subprocess, sys\n"
            "sys.stdin.read()\n"
            f"subprocess.run({as_root!r} + [{bin_dir!r} + '/pg_ctl', '-D', {data!r}, "
            "'-m', 'immediate', '-w', 'stop'], capture_output=True)\n"
            f"shutil.rmtree({root!r}, ignore_errors=True)\n"
        )
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl+C to the test run's group does not end it first
        )

    def run_server(self) -> None:
        """Start the server on its folder (again, after `halt`)."""
        options = " ".join(
            (
                f"-k {self.socket_dir}",
                "-c listen_addresses=",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=300",
            )
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server and keep its data (an outage; `run_server` starts it again)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        try:
            self.halt()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            watchdog = self._watchdog
            if watchdog is not None and watchdog.stdin is not None:
                watchdog.stdin.close()  # its work is done; it ends at once
                watchdog.wait(timeout=30)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql.encode())  # our own fixed statements, no parameters

    def new_database(self, template: str | None = None) -> str:
        """A fresh database's URL: empty, or a copy of `template`."""
        name = f"test_{next(self._names)}"
        copy = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{copy}")
        return self.url(name)

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        # FORCE: a test's child process may still hold a connection as it exits.
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def prepare_template(self) -> None:
        from linkie_desktop.db.migrate import prepare_database

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        engine, _ = prepare_database(self.url(TEMPLATE))
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        pytest.skip(_MISSING)
    server = PostgresServer(bin_dir)
    try:
        server.start()
        server.prepare_template()
        yield server
    finally:
        server.stop()
