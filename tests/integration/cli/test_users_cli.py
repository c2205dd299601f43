"""`linkie --user EMAIL` and `linkie users add|list` on a real database file several people share:
each command acts as one person, nobody is guessed, and an unknown address changes nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from linkie_desktop.db.queries import LOCAL_USER_EMAIL
from linkie_desktop.services.preferences import Preferences, save_preferences
from linkie_desktop.services.secrets import SecretStore, token_key_entry
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.cli import cli_support
from tests.integration.oauth_helpers import Browser, free_port

LINKIE = str(Path(sys.executable).with_name("linkie"))


class Cli(cli_support.Cli):
    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        super().__init__(tmp_path / "shared.db", capsys)
        self.data_dir = tmp_path / "data"

    def people(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = json.loads(self.ok("users", "list", "--json"))
        return rows


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    made = Cli(tmp_path, capsys)
    monkeypatch.setenv("LINKIE_DATA_DIR", str(made.data_dir))
    return made


@pytest.fixture
def two(cli: Cli) -> Cli:
    """The database's first person (made by the first command acting as someone), then Ann,
    then Bob."""
    cli.ok("posts", "list")
    cli.ok("users", "add", "ann@example.com", "--name", "Ann Lee")
    cli.ok("users", "add", "bob@example.com")
    return cli


def test_a_new_database_has_one_person_every_command_acts_as(cli: Cli) -> None:
    post_id = cli.ok("posts", "add", "--content", "Mine").strip()
    [me] = cli.people()
    assert (me["email"], me["name"], me["acting"]) == (LOCAL_USER_EMAIL, None, True)
    plain = cli.ok("users", "list")
    assert plain.startswith(f"{LOCAL_USER_EMAIL}\t\t{me['id']}\t*")
    assert post_id in cli.ok("posts", "list")


def test_the_first_person_added_to_a_new_database_is_its_only_one(cli: Cli) -> None:
    cli.ok("migrate")
    ann_id = cli.ok("users", "add", "ann@example.com", "--name", "Ann Lee").strip()
    [ann] = cli.people()
    assert (ann["id"], ann["email"], ann["acting"]) == (ann_id, "ann@example.com", True)
    post_id = cli.ok("posts", "add", "--content", "Ann's first").strip()
    assert post_id in cli.ok("--user", "ann@example.com", "posts", "list")


def test_users_add_prints_the_id_and_list_shows_everyone_in_order(two: Cli) -> None:
    people = {str(p["email"]): p for p in two.people()}
    # The first added first; within one second (times are whole seconds) by address.
    assert list(people) in (
        [LOCAL_USER_EMAIL, "ann@example.com", "bob@example.com"],
        ["ann@example.com", "bob@example.com", LOCAL_USER_EMAIL],
    )
    assert people["ann@example.com"]["name"] == "Ann Lee"
    assert people["bob@example.com"]["name"] is None
    assert not any(p["acting"] for p in people.values())  # several people, none chosen
    ann = json.loads(two.ok("--user", "ann@example.com", "users", "list", "--json"))
    assert [p["email"] for p in ann if p["acting"]] == ["ann@example.com"]
    lines = [line.split("\t") for line in two.ok("users", "list").splitlines()]
    assert ["ann@example.com", "Ann Lee", people["ann@example.com"]["id"]] in lines


def test_with_several_people_and_no_choice_a_command_says_how_to_choose(two: Cli) -> None:
    code, out, err = two("posts", "list")
    assert (code, out) == (2, "")
    assert "3 people" in err and "ann@example.com" in err and "bob@example.com" in err
    assert "--user EMAIL" in err and "Settings › Profile" in err
    assert len(err.strip().splitlines()) == 1


def test_each_person_sees_only_their_own_posts(two: Cli) -> None:
    ann_post = two.ok("--user", "ann@example.com", "posts", "add", "--content", "Ann's").strip()
    # --user after the command too, and the address in any case.
    bob_post = two.ok("posts", "add", "--content", "Bob's", "--user", "BOB@example.com").strip()
    ann = json.loads(two.ok("--user", "ann@example.com", "posts", "list", "--json"))
    bob = json.loads(two.ok("--user", "bob@example.com", "posts", "list", "--json"))
    assert [p["id"] for p in ann] == [ann_post]
    assert [p["id"] for p in bob] == [bob_post]
    code, _out, err = two("--user", "bob@example.com", "posts", "delete", ann_post)
    assert code != 0 and ann_post in err
    assert len(json.loads(two.ok("--user", "ann@example.com", "posts", "list", "--json"))) == 1


def test_an_unknown_address_is_refused_and_changes_nothing(two: Cli) -> None:
    before = two.people()
    code, out, err = two("--user", "carol@example.com", "posts", "add", "--content", "Lost")
    assert (code, out) == (2, "")
    assert "no one with the email 'carol@example.com'" in err
    assert "linkie users add carol@example.com" in err
    assert two.people() == before
    for who in ("ann@example.com", "bob@example.com", LOCAL_USER_EMAIL):
        assert json.loads(two.ok("--user", who, "posts", "list", "--json")) == []


def test_an_unknown_address_on_a_new_database_creates_no_one(cli: Cli) -> None:
    code, _out, err = cli("--user", "carol@example.com", "posts", "list")
    assert code == 2 and "carol@example.com" in err
    with sqlite3.connect(cli.db) as db:
        assert db.execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_the_person_chosen_in_settings_is_remembered(two: Cli) -> None:
    save_preferences(two.data_dir, Preferences(acting_user_email="bob@example.com"))
    post_id = two.ok("posts", "add", "--content", "Bob's").strip()
    bob = json.loads(two.ok("--user", "bob@example.com", "posts", "list", "--json"))
    assert [p["id"] for p in bob] == [post_id]
    # --user wins over the remembered choice.
    assert json.loads(two.ok("--user", "ann@example.com", "posts", "list", "--json")) == []


def test_a_remembered_person_no_longer_here_is_named(two: Cli) -> None:
    save_preferences(two.data_dir, Preferences(acting_user_email="gone@example.com"))
    code, _out, err = two("posts", "list")
    assert code == 2 and "gone@example.com" in err and "--user EMAIL" in err


def test_commands_acting_on_nobody_run_without_a_choice(two: Cli) -> None:
    assert two.ok("migrate").strip()
    assert two.ok("publish-due", "--json").strip() == "[]"
    backup = two.ok("backup").strip()
    assert backup and json.loads(two.ok("backups", "list", "--json"))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("users", "add", "not-an-address"), "is not an email address"),
        (("users", "add", "ann@example"), "is not an email address"),
        (("users", "add", "  "), "Enter an email address"),
        (("users", "add", "ANN@example.com"), "already someone in this database"),
        (("users", "add", "new@example.com", "--name", "x" * 201), "at most 200 characters"),
    ],
)
def test_a_bad_or_taken_address_is_refused(two: Cli, args: tuple[str, ...], words: str) -> None:
    before = two.people()
    code, out, err = two(*args)
    assert (code, out) == (2, "")
    assert words in err
    assert two.people() == before


@pytest.mark.keyring
def test_connect_as_one_person_seals_under_that_persons_own_key(
    tmp_path: Path, linkedin_server: FakeLinkedIn
) -> None:
    # Real processes on the real Secret Service (with-keyring.sh): what `linkie connect` writes.
    port = free_port()
    linkedin_server.redirect_uris.add(f"http://127.0.0.1:{port}/callback")
    db = tmp_path / "shared.db"
    env = {
        **os.environ,
        "LINKIE_DB": str(db),
        "LINKIE_DATA_DIR": str(tmp_path / "data"),
        "LINKIE_LINKEDIN_API_BASE": linkedin_server.base_url,
        "LINKIE_LINKEDIN_AUTH_BASE": linkedin_server.base_url,
        "LINKIE_LINKEDIN_CLIENT_ID": linkedin_server.client_id,
        "LINKIE_LINKEDIN_CLIENT_SECRET": linkedin_server.client_secret,
        "LINKIE_OAUTH_PORT": str(port),
    }

    def linkie(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [LINKIE, *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )

    # Connecting writes the member's LinkedIn address into the person's row (oauth.py): Bob's
    # LinkedIn address is the one he is known by here.
    linkedin_server.profile["email"] = "bob@example.com"
    assert linkie("users", "add", "ann@example.com").returncode == 0
    bob_id = linkie("users", "add", "bob@example.com").stdout.strip()
    process = subprocess.Popen(
        [LINKIE, "--user", "bob@example.com", "connect", "--no-browser"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        Browser(linkedin_server).consent(process.stdout.readline().strip())
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT user_id, linkedin_access_token FROM user_settings"))
    assert list(rows) == [bob_id]
    assert rows[bob_id].startswith(f"enc:v2:{bob_id}:")
    store = SecretStore(user_id=bob_id)
    assert store.get_entry(token_key_entry(bob_id)) is not None
    status = json.loads(linkie("--user", "ann@example.com", "status", "--json").stdout)
    assert status["connected"] is False  # Ann is not Bob
    assert linkie("--user", "bob@example.com", "disconnect").returncode == 0
    assert store.get_entry(token_key_entry(bob_id)) is None
