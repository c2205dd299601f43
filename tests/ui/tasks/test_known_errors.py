"""The window's list of failures the user can act on, apart from bugs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.linkedin import ConnectionFailed
from linkie_desktop.services.posts import StorageError
from linkie_desktop.ui.known_errors import explain_for


def test_errors_written_for_the_user_keep_their_words(tmp_path: Path) -> None:
    explain = explain_for(tmp_path / "linkie.db")
    for error in (
        ValidationError("The post is empty: write something first."),
        StorageError("The disk is full."),
        ConnectionFailed("Publishing the post: could not reach LinkedIn (ConnectError)."),
    ):
        assert explain(error) == str(error)


def test_a_database_failure_is_named_by_what_happened(tmp_path: Path) -> None:
    explain = explain_for(tmp_path / "linkie.db")
    damaged = sqlite3.DatabaseError("database disk image is malformed")
    damaged.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    message = explain(damaged)
    assert message is not None and "is damaged (database disk image is malformed)" in message


def test_anything_else_is_a_bug(tmp_path: Path) -> None:
    explain = explain_for(tmp_path / "linkie.db")
    assert explain(ZeroDivisionError("division by zero")) is None
    assert explain(KeyError("id")) is None
