"""The `linkie` command run in this process on one database file, its output captured."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkie_desktop.cli import run


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str, db: str | None = None) -> tuple[int, str, str]:
        """(exit code, stdout, stderr) of `linkie --db DB ARGS…` (`db`: another database)."""
        code = run(["--db", db or str(self.db), *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str, db: str | None = None) -> str:
        code, out, err = self(*args, db=db)
        assert (code, err) == (0, ""), err
        return out

    def refused(self, *args: str) -> str:
        """A refusal: exit 2, nothing on stdout, one plain `linkie: …` line on stderr."""
        code, out, err = self(*args)
        assert (code, out) == (2, ""), (code, out, err)
        assert err.startswith("linkie: ") and err.count("\n") == 1, err
        return err
