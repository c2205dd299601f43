"""`linkie db copy --to URL` end to end through `linkie`'s own run(): a personal database file
filled by `linkie posts add`, copied into a database on the run's real PostgreSQL server, then
used there by `linkie --db URL`; refusals are one line on stderr with cli.py's exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.image_files import write_png
from tests.integration.cli.cli_support import Cli
from tests.postgres_server import TEMPLATE, PostgresServer


@pytest.fixture
def linkie(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    monkeypatch.setenv("LINKIE_DATA_DIR", str(tmp_path / "data"))
    return Cli(tmp_path / "personal.db", capsys)


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.new_database(template=TEMPLATE)
    yield url
    postgres_server.drop(url)


def _fill(linkie: Cli, tmp_path: Path) -> list[str]:
    photo = write_png(tmp_path / "photo.png", 40, 30)
    return [
        linkie.ok("posts", "add", "--content", "A draft").strip(),
        linkie.ok(
            "posts", "add", "--content", "With a photo", "--at", "2040-05-01T09:00:00+00:00",
            "--image", str(photo), "--alt", "A photo",
        ).strip(),
    ]  # fmt: skip


def test_copy_then_use_the_copy_on_postgresql(linkie: Cli, tmp_path: Path, pg_url: str) -> None:
    ids = _fill(linkie, tmp_path)
    out = linkie.ok("db", "copy", "--to", pg_url)
    lines = out.splitlines()
    assert lines[0].startswith("Copied ") and "of me@linkie.local to postgresql+psycopg://" in out
    assert "  users: 1" in lines and "  posts: 2" in lines and "  post_media: 1" in lines
    media = tmp_path / "data" / "media"
    assert "This file stays on this computer" in out and f"(here: {media})" in out
    [photo] = [line.strip() for line in lines if line.startswith(f"  {media}")]
    assert Path(photo).is_file()
    # The copy works: `linkie --db URL` lists the same posts, the time 2040 as scheduled.
    there = json.loads(linkie.ok("posts", "list", "--json", db=pg_url))
    assert sorted(p["id"] for p in there) == sorted(ids)
    scheduled = next(p for p in there if p["id"] == ids[1])
    assert scheduled["scheduled_at"] == "2040-05-01T09:00:00+00:00"
    assert scheduled["media"][0]["alt_text"] == "A photo"


def test_copy_json_names_rows_and_files(linkie: Cli, tmp_path: Path) -> None:
    _fill(linkie, tmp_path)
    target = tmp_path / "other.db"
    report = json.loads(linkie.ok("db", "copy", "--to", str(target), "--json"))
    assert report["target"] == f"sqlite:///{target}"
    assert report["rows"]["posts"] == 2 and report["rows"]["users"] == 1
    assert [Path(f).name for f in report["files"]] == [Path(report["files"][0]).name]
    assert report["missing_files"] == []


def test_only_the_acting_person_goes(linkie: Cli, tmp_path: Path) -> None:
    _fill(linkie, tmp_path)  # the first person's
    linkie.ok("users", "add", "ann@example.com", "--name", "Ann")
    mine = linkie.ok("--user", "ann@example.com", "posts", "add", "--content", "Ann's").strip()
    target = tmp_path / "ann.db"
    report = json.loads(
        linkie.ok("--user", "ann@example.com", "db", "copy", "--to", str(target), "--json")
    )
    assert report["person"] == "Ann <ann@example.com>"
    assert report["rows"]["users"] == 1 and report["rows"]["posts"] == 1
    there = json.loads(linkie.ok("posts", "list", "--json", db=str(target)))
    assert [p["id"] for p in there] == [mine]


def test_a_second_copy_is_refused_in_one_line(linkie: Cli, tmp_path: Path, pg_url: str) -> None:
    _fill(linkie, tmp_path)
    linkie.ok("db", "copy", "--to", pg_url)
    code, out, err = linkie("db", "copy", "--to", pg_url)
    assert (code, out) == (1, "")
    assert err.startswith("linkie: ") and "already holds 2 posts of me@linkie.local" in err
    assert err.count("\n") == 1


def test_the_same_file_is_refused(linkie: Cli, tmp_path: Path) -> None:
    _fill(linkie, tmp_path)
    code, out, err = linkie("db", "copy", "--to", str(linkie.db))
    assert (code, out) == (1, "") and "this very database" in err


def test_an_unreachable_server_never_shows_the_password(linkie: Cli, tmp_path: Path) -> None:
    _fill(linkie, tmp_path)
    url = f"postgresql+psycopg://ann:s3cret-word@/linkie?host={tmp_path / 'nothing-here'}"
    code, out, err = linkie("db", "copy", "--to", url)
    assert (code, out) == (1, "")
    assert "Cannot reach the database" in err and "s3cret-word" not in err


def test_a_target_that_is_no_database_address_is_bad_input(linkie: Cli, tmp_path: Path) -> None:
    _fill(linkie, tmp_path)
    code, out, err = linkie("db", "copy", "--to", "mysql://someone@host/db")
    assert (code, out) == (2, "") and "mysql:// is neither" in err
    code, _out, err = linkie("db", "copy")
    assert code == 2 and "--to" in err
