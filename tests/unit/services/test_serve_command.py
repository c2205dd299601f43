"""The background publisher's command line names the window's database, never a password."""

from __future__ import annotations

import pytest

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.user_service import KEEP_IT_IN_PGPASS, serve_command


def test_a_file_is_named_by_its_path(tmp_path: object) -> None:
    assert serve_command("/usr/bin/linkie", "sqlite:////home/ann/linkie.db") == [
        "/usr/bin/linkie",
        "serve",
        "--db",
        "/home/ann/linkie.db",
    ]


def test_a_shared_database_is_named_without_the_window_engine_s_own_name() -> None:
    url = (
        "postgresql+psycopg://ann@db.example/team?application_name=linkie-0123abcd&sslmode=require"
    )
    command = serve_command("/usr/bin/linkie", url)
    assert command[-1] == "postgresql+psycopg://ann@db.example/team?sslmode=require"


def test_an_address_with_a_password_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ValidationError) as refused:
        serve_command("/usr/bin/linkie", "postgresql+psycopg://ann:hunter2@db.example/team")
    assert str(refused.value) == KEEP_IT_IN_PGPASS
    assert "hunter2" not in str(refused.value)
    assert "~/.pgpass" in str(refused.value)


def test_the_notification_s_window_command_follows_the_same_rule() -> None:
    from linkie_desktop.services.notifications import window_command

    shared = "postgresql+psycopg://ann@db.example/team?application_name=linkie-00ff"
    assert window_command("p1", shared)[-2:] == ["--db", "postgresql+psycopg://ann@db.example/team"]
    with pytest.raises(ValidationError):
        window_command("p1", "postgresql+psycopg://ann:hunter2@db.example/team")
