"""The command line on a shared PostgreSQL database: the data commands say what holds there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkie_desktop.cli import run
from tests.postgres_server import TEMPLATE, PostgresServer


@pytest.fixture
def shared(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.new_database(template=TEMPLATE)
    yield url
    postgres_server.drop(url)


def test_backup_on_a_shared_database_says_it_is_the_server_s_and_points_to_export(
    shared: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--db", shared, "posts", "add", "--content", "Kept on the server"]) == 0
    capsys.readouterr()
    assert run(["--db", shared, "backup"]) == 2
    err = capsys.readouterr().err
    assert "backed up on the server (pg_dump" in err and "linkie export" in err
    out = tmp_path / "mine.json"
    assert run(["--db", shared, "export", "--format", "json", "--out", str(out)]) == 0
    assert "Kept on the server" in json.dumps(json.loads(out.read_text(encoding="utf-8")))
