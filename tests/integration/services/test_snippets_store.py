"""Snippets in their own private file: stored in order, checked, written atomically, and a
damaged file reported in plain words and never overwritten."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from linkie_desktop.services.snippets import (
    FILE_NAME,
    Snippet,
    SnippetError,
    SnippetsFileDamaged,
    SnippetStore,
)


def test_no_file_means_no_snippets(tmp_path: Path) -> None:
    assert SnippetStore(tmp_path / "data").load() == []


def test_add_rename_edit_move_delete_survive_a_new_store(tmp_path: Path) -> None:
    store = SnippetStore(tmp_path / "data")
    store.add("Signature", "— Alex")
    store.add("Call to action", "What do you think? Tell me below.")
    store.add("Tags", "#ai #product")
    store.rename("Tags", "Hashtags")
    store.edit("Signature", "— Alex Rivera")
    store.move("Hashtags", 0)
    store.delete("Call to action")
    again = SnippetStore(tmp_path / "data").load()
    assert again == [Snippet("Hashtags", "#ai #product"), Snippet("Signature", "— Alex Rivera")]


def test_the_file_is_private_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    store = SnippetStore(tmp_path / "data")
    store.add("Signature", "— Alex")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    assert [p.name for p in store.folder.iterdir()] == [FILE_NAME]


@pytest.mark.parametrize(
    ("snippets", "words"),
    [
        ([Snippet("Sig", "a"), Snippet(" sig ", "b")], "Two snippets are called"),
        ([Snippet("  ", "a")], "has no name"),
        ([Snippet("Empty", "  \n")], "is empty"),
        ([Snippet("Bell", "ding\x07")], "control character"),
        ([Snippet("x" * 61, "a")], "keep it to 60"),
    ],
)
def test_refusals_say_why_and_change_nothing(
    tmp_path: Path, snippets: list[Snippet], words: str
) -> None:
    store = SnippetStore(tmp_path / "data")
    store.add("Keep", "kept")
    before = store.path.read_bytes()
    with pytest.raises(SnippetError, match=words):
        store.save(snippets)
    assert store.path.read_bytes() == before


def test_a_damaged_file_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    store = SnippetStore(tmp_path / "data")
    store.folder.mkdir()
    store.path.write_text('{"snippets": [{"name": "Sig", "text": "— Al', encoding="utf-8")
    before = store.path.read_bytes()
    with pytest.raises(SnippetsFileDamaged) as raised:
        store.load()
    message = str(raised.value)
    assert str(store.path) in message and "left it as it is" in message
    with pytest.raises(SnippetsFileDamaged):
        store.save([Snippet("New", "text")])
    with pytest.raises(SnippetsFileDamaged):
        store.add("New", "text")
    assert store.path.read_bytes() == before


def test_a_file_of_another_shape_is_damaged_too(tmp_path: Path) -> None:
    store = SnippetStore(tmp_path / "data")
    store.folder.mkdir()
    store.path.write_text(json.dumps({"snippets": [{"name": "Sig"}]}), encoding="utf-8")
    with pytest.raises(SnippetsFileDamaged, match="not a name with a text"):
        store.load()


def test_unicode_is_kept_readable_in_the_file(tmp_path: Path) -> None:
    store = SnippetStore(tmp_path / "data")
    store.add("Emoji", "🚀 𝗯𝗼𝗹𝗱 café")
    assert "🚀 𝗯𝗼𝗹𝗱 café" in store.path.read_text(encoding="utf-8")
