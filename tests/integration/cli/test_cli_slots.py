"""`linkie slots`, `linkie posts queue` and `linkie queue` on a real database file, with the
process's zone pinned to Berlin: output shapes, exit statuses and plain-words errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.calendar_support import system_zone
from tests.integration.cli.cli_support import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    with system_zone("Europe/Berlin"):
        yield Cli(tmp_path / "cli.db", capsys)


def test_slots_add_list_and_remove(cli: Cli) -> None:
    assert cli("slots", "add", "mon", "09:00")[0] == 0
    code, _out, err = cli("slots", "add", "Tue", "12:30")
    assert code == 0 and err.strip() == "Added a posting slot on Tuesday 12:30."
    code, out, _err = cli("slots", "list", "--json")
    assert json.loads(out) == [{"day": "mon", "time": "09:00"}, {"day": "tue", "time": "12:30"}]
    assert cli("slots", "list")[1] == "mon\t09:00\ntue\t12:30\n"
    assert cli("slots", "remove", "mon", "09:00")[0] == 0
    code, out, err = cli("slots", "remove", "mon", "09:00")
    assert (code, out) == (2, "") and err == "linkie: There is no posting slot on Monday 09:00.\n"
    code, _out, err = cli("slots", "add", "someday", "09:00")
    assert code == 2 and "is not a day" in err
    code, _out, err = cli("slots", "add", "mon", "9am")
    assert code == 2 and "is not a time" in err


def test_posts_queue_prints_the_instant_and_queue_lists_in_order(cli: Cli) -> None:
    code, _out, err = cli("posts", "add", "--content", "Nothing to queue into")
    lonely = _out.strip()
    code, out, err = cli("posts", "queue", lonely)
    assert (code, out) == (2, "") and "no posting slots" in err
    cli("slots", "add", "wed", "09:00")
    cli("slots", "add", "fri", "16:45")
    code, out, _err = cli("posts", "queue", lonely)
    assert code == 0
    first = datetime.fromisoformat(out.strip())
    assert first.utcoffset() is not None and (first.hour, first.minute) in ((9, 0), (16, 45))
    second_id = cli("posts", "add", "--content", "Second", "--title", "Two")[1].strip()
    second = datetime.fromisoformat(cli("posts", "queue", second_id)[1].strip())
    assert second > first
    code, out, _err = cli("queue", "--json")
    rows = json.loads(out)
    assert [(r["id"], r["title"]) for r in rows] == [
        (lonely, "Nothing to queue into"),
        (second_id, "Two"),
    ]
    assert [datetime.fromisoformat(r["scheduled_at"]) for r in rows] == [first, second]
    code, out, err = cli("posts", "queue", "no-such-post")
    assert (code, out) == (2, "") and "There is no post with id" in err
