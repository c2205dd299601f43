"""`linkie` as a real process: bad input is one line on stderr, exit 2, and the database file is
not touched; far dates written to the database by hand list in every time zone."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

LINKIE = Path(sys.executable).with_name("linkie")
LAST_MINUTE = 253402300740  # 9999-12-31 23:59 UTC in Unix seconds
LAST_SECOND = 253402300799  # 9999-12-31 23:59:59 UTC, the last second a datetime holds
EPOCH = 0  # 1970-01-01 00:00 UTC
FIRST_INSTANT = -62135596800  # 0001-01-01 00:00 UTC: only a database edited by hand holds this


def linkie(
    db: Path, *args: str | bytes, tz: str = "UTC", check: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINKIE_DATA_DIR": str(db.parent), "TZ": tz}
    env.pop("LINKIE_DB", None)
    return subprocess.run(
        [str(LINKIE), "--db", str(db), *args],
        env=env, capture_output=True, text=True, errors="backslashreplace", check=check,
    )  # fmt: skip


def _fingerprint(db: Path) -> tuple[str, int]:
    """The file's hash and the number of posts: both must stay as they were after a refusal."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("SELECT count(*) FROM posts").fetchone()
    conn.close()
    return digest, count


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One post in a database; every refusal below must leave the file exactly as it is."""
    db = tmp_path_factory.mktemp("refusals") / "linkie.db"
    post_id = linkie(db, "posts", "add", "--content", "The one post", check=True).stdout.strip()
    return db, post_id


LONG_TITLE = "t" * 201
TOMORROW = "2099-01-01T09:00"
REFUSED: list[tuple[list[str | bytes], str]] = [
    (["posts", "add", "--content", "\u200b\u200c\u200d\u2060\ufeff"], "empty"),
    (["posts", "add", "--content", "\u00a0 \u2800 \u3164"], "empty"),
    (["posts", "add", "--content", "ring\x07ring"], "U+0007"),
    (["posts", "add", "--content", "\x1b[31mred"], "U+001B (escape), at character 1"),
    (["posts", "add", "--content", "one\ntwo\x0cthree"], "U+000C (form feed), at line 2"),
    (["posts", "add", "--content", b"caf\xe9 latin-1"], "--content is not valid UTF-8"),
    (["posts", "add", "--content", "ok", "--title", b"\xff"], "--title is not valid UTF-8"),
    (["posts", "add", "--content", "ok", "--at", b"2030\xff"], "--at is not valid UTF-8"),
    (["posts", "schedule", b"\xfe\xff", "--at", TOMORROW], "post id is not valid UTF-8"),
    (["posts", "add", "--content", "ok", "--title", LONG_TITLE], "201 characters long"),
    (["posts", "add", "--content", "ok", "--title", "a\x08b"], "U+0008"),
    (["posts", "add", "--content", "ok", "--at", ""], "No date and time given"),
    (["posts", "add", "--content", "ok", "--at", "  "], "No date and time given"),
    (["posts", "add", "--content", "ok", "--at", "0001-01-01T00:00"], "between 1970 and 9999"),
    (["posts", "add", "--content", "ok", "--at", "10000-01-01T00:00"], "between 1970 and 9999"),
    (["posts", "add", "--content", "ok", "--at=-1"], "between 1970 and 9999"),
    (["posts", "add", "--content", "ok", "--at", "1969-12-31T23:59Z"], "between 1970 and 9999"),
    (["posts", "add", "--content", "ok", "--at", "9999-12-31T23:59-14:00"], "1970 and 9999"),
    (["posts", "add", "--content", "ok", "--at", "9999-12-31T23:59-00:01"], "1970 and 9999"),
]


@pytest.mark.parametrize(("args", "reason"), REFUSED, ids=[str(i) for i in range(len(REFUSED))])
def test_bad_input_is_one_line_exit_2_and_the_file_is_untouched(
    database: tuple[Path, str], args: list[str | bytes], reason: str
) -> None:
    db, _ = database
    before = _fingerprint(db)
    done = linkie(db, *args)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.startswith("linkie: ") and done.stderr.count("\n") == 1, done.stderr
    assert reason in done.stderr
    assert "unexpected error" not in done.stderr and "Traceback" not in done.stderr
    assert _fingerprint(db) == before


@pytest.mark.parametrize("at", ["9999-12-31T23:59-14:00", "9999-12-31T23:59", "0001-01-01T00:00"])
def test_a_time_out_of_range_leaves_the_post_as_it_was(database: tuple[Path, str], at: str) -> None:
    db, post_id = database
    before = _fingerprint(db)
    done = linkie(db, "posts", "schedule", post_id, "--at", at, tz="Etc/GMT+12")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "between 1970 and 9999" in done.stderr
    assert _fingerprint(db) == before


def test_a_local_time_past_9999_in_utc_is_refused_west_of_greenwich(
    database: tuple[Path, str],
) -> None:
    db, _ = database
    before = _fingerprint(db)
    done = linkie(db, "posts", "add", "--content", "x", "--at", "9999-12-31T23:59", tz="Etc/GMT+12")
    assert done.returncode == 2 and "between 1970 and 9999" in done.stderr, done.stderr
    assert _fingerprint(db) == before


ZONES = ["Pacific/Kiritimati", "Etc/GMT-14", "Etc/GMT+12", "America/New_York", "UTC"]
# What `posts list` shows for each stored instant: the local time, or UTC (labelled) when the
# local time would be past 9999, which no datetime holds.
EXPECTED_TEXT = {
    # Kiritimati was UTC-10:40 until 1979 and is UTC+14 since 1995.
    "Pacific/Kiritimati": ["9999-12-31 23:59 UTC", "9999-12-31 23:59 UTC", "1969-12-31 13:20"],
    "Etc/GMT-14": ["9999-12-31 23:59 UTC", "9999-12-31 23:59 UTC", "1970-01-01 14:00"],
    "Etc/GMT+12": ["9999-12-31 11:59", "9999-12-31 11:59", "1969-12-31 12:00"],
    "America/New_York": ["9999-12-31 18:59", "9999-12-31 18:59", "1969-12-31 19:00"],
    "UTC": ["9999-12-31 23:59", "9999-12-31 23:59", "1970-01-01 00:00"],
}
# The first instant a datetime holds is still in year 1 east of Greenwich; west of it (Kiritimati
# and New York by their old local mean times) it is in year 0, which no datetime holds: UTC then.
FIRST_TEXT = {
    "Pacific/Kiritimati": "0001-01-01 00:00 UTC",
    "Etc/GMT-14": "0001-01-01 14:00",
    "Etc/GMT+12": "0001-01-01 00:00 UTC",
    "America/New_York": "0001-01-01 00:00 UTC",
    "UTC": "0001-01-01 00:00",
}


@pytest.fixture(scope="module")
def far_dates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Posts whose times were written straight into the file (INTEGER Unix seconds)."""
    db = tmp_path_factory.mktemp("far") / "linkie.db"
    ids = []
    for stamp in (LAST_MINUTE, LAST_SECOND, EPOCH, FIRST_INSTANT):
        ids.append(
            linkie(db, "posts", "add", "--content", f"at {stamp}", check=True).stdout.strip()
        )
        with sqlite3.connect(db) as conn:
            conn.execute(
                "UPDATE posts SET status = 'scheduled', scheduled_at = ? WHERE id = ?",
                (stamp, ids[-1]),
            )
        conn.close()
    return db, ids


@pytest.mark.parametrize("zone", ZONES)
def test_far_stored_dates_list_in_every_time_zone(
    far_dates: tuple[Path, list[str]], zone: str
) -> None:
    db, ids = far_dates
    listed = linkie(db, "posts", "list", tz=zone)
    assert (listed.returncode, listed.stderr) == (0, "")
    when = {line.split("\t")[0]: line.split("\t")[2] for line in listed.stdout.splitlines()}
    assert [when[post_id] for post_id in ids] == [*EXPECTED_TEXT[zone], FIRST_TEXT[zone]]

    as_json = linkie(db, "posts", "list", "--json", tz=zone)
    assert (as_json.returncode, as_json.stderr) == (0, "")
    scheduled = {p["id"]: p["scheduled_at"] for p in json.loads(as_json.stdout)}
    assert [scheduled[post_id] for post_id in ids] == [
        "9999-12-31T23:59:00+00:00",
        "9999-12-31T23:59:59+00:00",
        "1970-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+00:00",
    ]


def test_the_command_line_names_its_own_way_out_of_a_database_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window says what to do in the app; the command line may name --db and LINKIE_DB."""
    from linkie_desktop.cli import run

    other = tmp_path / "other-app.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    assert run(["--db", str(other), "posts", "list"]) == 1
    err = capsys.readouterr().err
    assert "another program's tables" in err and "--db or LINKIE_DB" in err
