"""`linkie backup | backups list | restore | export | import | trash` on a real database: what
each prints, and exit status 2 with one line for bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.integration.cli.cli_support import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("LINKIE_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    return Cli(tmp_path / "data" / "linkie.db", capsys)


def _soon() -> str:
    return (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()


def test_backup_prints_its_path_and_backups_list_shows_it(cli: Cli, tmp_path: Path) -> None:
    cli.ok("posts", "add", "--content", "one")
    cli.ok("posts", "add", "--content", "two")
    made = Path(cli.ok("backup").strip())
    assert made.parent == cli.db.parent and (made / "manifest.json").is_file()

    (row,) = json.loads(cli.ok("backups", "list", "--json"))
    assert set(row) == {"path", "created_at", "posts"}
    assert (row["path"], row["posts"]) == (str(made), 2)
    assert datetime.fromisoformat(row["created_at"]).tzinfo is not None
    assert str(made) in cli.ok("backups", "list")

    out = tmp_path / "elsewhere"
    assert cli.ok("backup", "--out", str(out)).strip() == str(out)
    assert "exists already" in cli.refused("backup", "--out", str(out))


def test_restore_replaces_the_posts_and_keeps_the_current_database(cli: Cli) -> None:
    kept = cli.ok("posts", "add", "--content", "in the backup").strip()
    backup = cli.ok("backup").strip()
    cli.ok("posts", "add", "--content", "after it")

    said = cli.ok("restore", backup)

    assert said.startswith("Restored 1 post from ") and "kept in" in said
    assert [p["id"] for p in json.loads(cli.ok("posts", "list", "--json"))] == [kept]
    assert len(json.loads(cli.ok("backups", "list", "--json"))) == 2
    assert "no backup at" in cli.refused("restore", str(cli.db.parent / "nothing-here"))


def test_export_then_import_prints_the_counts(cli: Cli, tmp_path: Path) -> None:
    cli.ok("posts", "add", "--content", "hello", "--at", _soon())
    out = tmp_path / "posts.json"
    assert cli.ok("export", "--format", "json", "--out", str(out)).startswith("Exported 1 post ")
    assert cli.ok("export", "--format", "csv", "--out", str(tmp_path / "p.csv")).startswith(
        "Exported 1 post "
    )

    code, printed, err = cli("import", str(out))
    assert (code, printed) == (0, "imported 1, skipped 0\n")
    assert "got a new id" in err  # the same database: its id is taken, so it gets a new one
    assert len(json.loads(cli.ok("posts", "list", "--json"))) == 2


def test_import_csv_names_the_bad_line_and_skip_bad_imports_the_rest(
    cli: Cli, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("Content,Status\ngood,draft\nbad,maybe\n", encoding="utf-8")

    said = cli.refused("import", str(source))
    assert "line 3: status is draft or scheduled, not 'maybe'" in said
    assert json.loads(cli.ok("posts", "list", "--json")) == []

    code, printed, err = cli("import", str(source), "--format", "csv", "--skip-bad")
    assert (code, printed) == (0, "imported 1, skipped 1\n")
    assert err == "linkie: skipped line 3: status is draft or scheduled, not 'maybe'\n"
    cli.refused("import", str(tmp_path / "posts.txt"))  # no format from its name


def test_trash_list_restore_and_empty(cli: Cli) -> None:
    post = cli.ok("posts", "add", "--content", "soon gone").strip()
    cli.ok("posts", "delete", post)
    assert cli.ok("posts", "list") == ""

    (row,) = json.loads(cli.ok("trash", "list", "--json"))
    assert (row["id"], row["status"], row["title"]) == (post, "draft", "soon gone")
    assert post in cli.ok("trash", "list")
    assert cli.ok("trash", "restore", post) == f"restored {post}\n"
    assert "in the trash" in cli.refused("trash", "restore", post)

    cli.ok("posts", "delete", post)
    assert cli.ok("trash", "empty") == "removed 1 post for good\n"
    assert json.loads(cli.ok("trash", "list", "--json")) == []
