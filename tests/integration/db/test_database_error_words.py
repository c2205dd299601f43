"""A database problem the window shows says what to do in plain words, never an option or an
environment variable: those are the command line's, which keeps them (`command_line`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from linkie_desktop.db.errors import DatabaseError, database_problem
from linkie_desktop.db.migrate import prepare_database
from tests.disk_support import another_apps_database

COMMAND_LINE_WORDS = ("--db", "LINKIE_DB")


def _refusal(url: str) -> DatabaseError:
    with pytest.raises(DatabaseError) as refused:
        prepare_database(url)
    return refused.value


def _read_only_error(path: Path) -> sqlite3.Error:
    """SQLite's own answer to a write on a file opened read-only (the error a full disk's
    neighbour, a read-only mount, gives while the window runs)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as refused:
            conn.execute("CREATE TABLE t (x)")
    finally:
        conn.close()
    return refused.value


@pytest.fixture
def problems(tmp_path: Path) -> dict[str, DatabaseError]:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    other = another_apps_database(tmp_path / "recipes.db")
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).close()
    known = database_problem(_read_only_error(plain), plain)
    assert known is not None
    return {
        # /proc refuses new files even to root, so this holds whoever runs the tests.
        "cannot create the file": _refusal("sqlite:////proc/linkie.db"),
        "cannot create the folder": _refusal(f"sqlite:///{blocker}/linkie.db"),
        "another program's file": _refusal(f"sqlite:///{other}"),
        "cannot write while in use": known,
    }


@pytest.mark.parametrize(
    "which",
    [
        "cannot create the file",
        "cannot create the folder",
        "another program's file",
        "cannot write while in use",
    ],
)
def test_the_windows_words_name_no_option_and_the_command_lines_do(
    problems: dict[str, DatabaseError], which: str
) -> None:
    problem = problems[which]
    for word in COMMAND_LINE_WORDS:
        assert word not in str(problem), str(problem)  # str(): what every window path shows
    assert problem.command_line.startswith(str(problem))  # the same words, and then
    assert "--db or LINKIE_DB" in problem.command_line
