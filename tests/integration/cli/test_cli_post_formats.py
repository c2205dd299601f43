"""`linkie posts add` with every post format, as the issue spells the flags, and `posts list
--json` showing them; bad combinations and LinkedIn's limits are one line, exit 2, and nothing is
written (the database file and the media folder stay as they were). Link cards without
--link-title are read from real pages on 127.0.0.1 (tests/fakes/web_pages.py)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linkie_desktop.db.engine import make_engine, reading
from linkie_desktop.db.models import Post
from linkie_desktop.services.posts import PostService
from tests.fakes.image_files import write_png
from tests.fakes.media_files import write_mp4, write_pdf
from tests.fakes.web_pages import WebPages
from tests.integration.cli import cli_support

LINKIE = Path(sys.executable).with_name("linkie")


class Cli(cli_support.Cli):
    """`linkie` in this process, on a data folder of its own (database, media, preferences)."""

    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        super().__init__(folder / "linkie.db", capsys)
        self.folder = folder
        self.media = folder / "media"

    def add(self, *args: str) -> dict[str, Any]:
        code, out, err = self("posts", "add", "--content", "Words", *args)
        assert (code, err) == (0, ""), err
        post_id = out.strip()
        (post,) = [p for p in self.posts() if p["id"] == post_id]
        return post

    def posts(self) -> list[dict[str, Any]]:
        code, out, err = self("posts", "list", "--json")
        assert code == 0, err
        posts: list[dict[str, Any]] = json.loads(out)
        return posts

    def fingerprint(self) -> tuple[str, list[str]]:
        files = sorted(p.name for p in self.media.iterdir()) if self.media.exists() else []
        return hashlib.sha256(self.db.read_bytes()).hexdigest(), files


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("LINKIE_DATA_DIR", str(folder))
    return Cli(folder, capsys)


@pytest.fixture
def picked(tmp_path: Path) -> Path:
    folder = tmp_path / "picked"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def pages() -> Iterator[WebPages]:
    server = WebPages().start()
    yield server
    server.stop()


def test_a_text_post_lists_its_extras_empty_and_public(cli: Cli) -> None:
    post = cli.add()
    assert {k: post[k] for k in ("visibility", "media", "poll", "link", "first_comment")} == {
        "visibility": "PUBLIC",
        "media": [],
        "poll": None,
        "link": None,
        "first_comment": None,
    }


def test_images_keep_their_order_and_each_alt_belongs_to_the_image_before_it(
    cli: Cli, picked: Path
) -> None:
    a, b, c = (write_png(picked / f"{n}.png") for n in "abc")
    post = cli.add("--image", str(a), "--alt", "First", "--image", str(b), "--image", str(c),
                   "--alt", "Third")  # fmt: skip
    assert [(m["kind"], m["alt_text"], m["title"], m["urn"]) for m in post["media"]] == [
        ("image", "First", None, None),
        ("image", None, None, None),
        ("image", "Third", None, None),
    ]
    paths = [Path(m["path"]) for m in post["media"]]
    assert all(p.parent == cli.media and p.is_file() for p in paths)
    assert [p.read_bytes() for p in paths] == [a.read_bytes(), b.read_bytes(), c.read_bytes()]


def test_visibility_and_first_comment(cli: Cli) -> None:
    post = cli.add("--visibility", "connections", "--first-comment", "Link: https://x.test #tag")
    assert post["visibility"] == "CONNECTIONS"
    assert post["first_comment"] == {
        "text": "Link: https://x.test #tag",
        "status": "pending",
        "urn": None,
        "error": None,
    }


def test_the_default_visibility_comes_from_settings(cli: Cli) -> None:
    (cli.folder / "preferences.json").write_text('{"default_visibility": "CONNECTIONS"}')
    assert cli.add()["visibility"] == "CONNECTIONS"
    assert cli.add("--visibility", "PUBLIC")["visibility"] == "PUBLIC"


def test_a_document_a_video_and_a_poll(cli: Cli, picked: Path) -> None:
    pdf = write_pdf(picked / "deck.pdf", 8)
    document = cli.add("--document", str(pdf), "--document-title", "Eight slides")
    assert [(m["kind"], m["title"]) for m in document["media"]] == [("document", "Eight slides")]
    assert Path(document["media"][0]["path"]).suffix == ".pdf"
    video = cli.add("--video", str(write_mp4(picked / "v.mp4", 20)), "--video-title", "Demo")
    assert [(m["kind"], m["title"]) for m in video["media"]] == [("video", "Demo")]
    options = ["--poll-option", "Tabs", "--poll-option", "Spaces", "--poll-option", "Both"]
    poll = cli.add("--poll-question", "Tabs or spaces?", *options, "--poll-days", "7")
    assert poll["poll"] == {
        "question": "Tabs or spaces?",
        "options": ["Tabs", "Spaces", "Both"],
        "days": 7,
    }


def test_a_link_card_typed_in_full_fetches_nothing(cli: Cli, picked: Path) -> None:
    thumb = write_png(picked / "thumb.png")
    post = cli.add("--link", "https://example.com/a", "--link-title", "A", "--link-description",
                   "About A", "--link-thumbnail", str(thumb))  # fmt: skip
    assert post["link"] == {"url": "https://example.com/a", "title": "A", "description": "About A"}
    assert _thumbnail(cli, post["id"]).read_bytes() == thumb.read_bytes()


def _thumbnail(cli: Cli, post_id: str) -> Path:
    engine = make_engine(f"sqlite:///{cli.db}")
    try:
        with reading(engine) as session:
            post = session.get(Post, post_id)
            assert post is not None and post.link_thumbnail_path is not None
            return PostService(engine, post.user_id, cli.media).media_path(post.link_thumbnail_path)
    finally:
        engine.dispose()


def test_without_link_title_the_page_gives_the_card(cli: Cli, pages: WebPages) -> None:
    post = cli.add("--link", pages.url("/articles/plain"))
    assert post["link"] == {
        "url": pages.url("/articles/plain"),
        "title": "A page with just a title",
        "description": "Nothing but the basics.",
    }
    mine = cli.add("--link", pages.url("/articles/plain"), "--link-description", "Mine")
    assert mine["link"]["description"] == "Mine"


def test_the_page_image_becomes_the_thumbnail(cli: Cli, pages: WebPages) -> None:
    post = cli.add("--link", pages.url("/articles/deep/relative"))
    assert post["link"]["title"] == "A card with a relative image"
    thumbnail = _thumbnail(cli, post["id"])
    assert thumbnail.parent == cli.media and thumbnail.read_bytes().startswith(b"\x89PNG")
    assert pages.visited("/articles/images/card.png")


# --- refusals: one line, exit 2, nothing written --------------------------------------------------

REFUSED: list[tuple[list[str], str]] = [
    (["--image", "{png}", "--document", "{pdf}", "--document-title", "T"],
     "--image and --document cannot go together: a post holds one kind of attachment"),
    (["--poll-question", "Q", "--poll-option", "A", "--poll-option", "B", "--poll-days", "3",
      "--link", "https://example.com", "--link-title", "T"], "--poll-question and --link cannot"),
    (["--alt", "A cat", "--image", "{png}"], "--alt belongs to the --image before it"),
    (["--image", "{png}", "--alt", "A", "--alt", "B"], "has two --alt texts"),
    (["--image", "{png}"] * 21, "A post holds at most 20 images"),
    (["--image", "{png}", "--alt", "x" * 4087], "The alt text is 4087 characters long"),
    (["--image", "{text}"], "not a PNG, JPEG or GIF"),
    (["--image", "{missing}"], "is not there any more"),
    (["--document", "{pdf}"], "--document needs --document-title"),
    (["--document-title", "T"], "--document-title belongs to a --document"),
    (["--document", "{pdf}", "--document-title", " "], "The document needs a title"),
    (["--document", "{book}", "--document-title", "B"], "LinkedIn takes documents of at most 300"),
    (["--video", "{short}", "--video-title", "V"], "LinkedIn takes videos of 3 seconds to 30"),
    (["--video", "{pdf}", "--video-title", "V"], "is not an MP4 video"),
    (["--video-title", "V"], "--video-title belongs to a --video"),
    (["--poll-question", "Q", "--poll-option", "A", "--poll-option", "B"], "needs --poll-days"),
    (["--poll-option", "A", "--poll-days", "3"], "belong to a --poll-question"),
    (["--poll-question", "Q", "--poll-option", "A", "--poll-days", "3"], "2 to 4 options"),
    (["--poll-question", "Q", "--poll-option", "A", "--poll-option", "B", "--poll-days", "5"],
     "A poll runs for 1, 3, 7 or 14 days, not 5"),
    (["--poll-question", "q" * 141, "--poll-option", "A", "--poll-option", "B", "--poll-days",
      "1"], "LinkedIn allows 140"),
    (["--poll-question", "Q", "--poll-option", "A", "--poll-option", "o" * 31, "--poll-days",
      "1"], "Option 2 of the poll is 31 characters long; LinkedIn allows 30"),
    (["--link-title", "T"], "belong to a --link"),
    (["--link", "ftp://example.com/a", "--link-title", "T"], "starting with http"),
    (["--link", "https://example.com", "--link-title", " "], "The link card needs a title"),
    (["--link", "https://example.com", "--link-title", "T", "--link-thumbnail", "{text}"],
     "not a PNG, JPEG or GIF"),
    (["--first-comment", "c" * 1251], "The first comment is 1251 characters long"),
    (["--visibility", "friends"], "Visibility is public or connections"),
]  # fmt: skip


def _files(picked: Path) -> dict[str, str]:
    text = picked / "notes.png"
    text.write_text("words, not pixels")
    return {
        "png": str(write_png(picked / "p.png")),
        "pdf": str(write_pdf(picked / "d.pdf")),
        "book": str(write_pdf(picked / "book.pdf", 301)),
        "short": str(write_mp4(picked / "short.mp4", 2)),
        "text": str(text),
        "missing": str(picked / "gone.png"),
    }


@pytest.mark.parametrize(("args", "reason"), REFUSED, ids=[str(i) for i in range(len(REFUSED))])
def test_bad_combinations_and_limits_exit_2_in_one_line_and_write_nothing(
    cli: Cli, picked: Path, args: list[str], reason: str
) -> None:
    cli.add()  # a database with a post in it: a refusal must leave it exactly as it is
    before = cli.fingerprint()
    files = _files(picked)
    code, out, err = cli("posts", "add", "--content", "Words", *[a.format(**files) for a in args])
    assert (code, out) == (2, ""), err
    assert err.startswith("linkie: ") and err.count("\n") == 1, err
    assert reason in err
    assert cli.fingerprint() == before


def test_a_page_that_cannot_give_a_card_refuses_the_post(cli: Cli, pages: WebPages) -> None:
    cli.add()
    before = cli.fingerprint()
    code, _out, err = cli(
        "posts", "add", "--content", "x", "--link", pages.url("/articles/untitled")
    )
    assert code == 2 and err.count("\n") == 1 and "has no title" in err, err
    assert cli.fingerprint() == before


@pytest.mark.parametrize("flag", ["--first-comment", "--alt", "--poll-question", "--link-title"])
def test_undecodable_bytes_are_named_by_their_flag_in_a_real_process(
    cli: Cli, picked: Path, flag: str
) -> None:
    cli.add()
    before = cli.fingerprint()
    png = str(write_png(picked / "p.png"))
    rest = {
        "--first-comment": [],
        "--alt": ["--image", png],
        "--poll-question": [],
        "--link-title": ["--link", "https://example.com"],
    }[flag]
    env = {**os.environ, "LINKIE_DATA_DIR": str(cli.folder)}
    done = subprocess.run(
        [str(LINKIE), "--db", str(cli.db), "posts", "add", "--content", "x", *rest,
         os.fsencode(flag), b"caf\xe9"],
        env=env, capture_output=True, text=True, errors="backslashreplace", check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert f"{flag} is not valid UTF-8" in done.stderr
    assert cli.fingerprint() == before
