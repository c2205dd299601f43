"""Snippets: named texts the user inserts while writing (a signature, a call to action, a set of
hashtags), kept in their own private JSON file in the data folder.

The file is small and read at each use, so a change saved in Settings (or by another window) is
seen the next time a menu opens. Writes are atomic (a temporary file, then `os.replace`), so a
crash never leaves half a file. A damaged file is never overwritten: reading it raises
`SnippetsFileDamaged` with plain words, and every change refuses until the user fixes or removes
the file, so snippets typed by hand are not silently replaced by an empty list.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from linkie_desktop.domain.posts import ValidationError, validate_draft_content
from linkie_desktop.private_files import private_folder, tighten

FILE_NAME = "snippets.json"
MAX_NAME_CHARS = 60
_FORMAT_VERSION = 1


class SnippetError(ValidationError):
    """A snippet the rules refuse (empty, a name used twice, a control character)."""


class SnippetsFileDamaged(Exception):  # noqa: N818 - reads as the sentence it reports
    """The snippets file cannot be read; the message says where it is and what to do."""


@dataclass(frozen=True)
class Snippet:
    name: str
    text: str


def write_private_text(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically (a temporary file beside it, then os.replace), so a
    crash leaves the old file or the new one, never half of one; the file is the user's alone.

    (The user's spelling dictionary is written through here too; private_files.py would be its
    natural home.)"""
    private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        tighten(Path(tmp))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_snippets(snippets: list[Snippet]) -> list[Snippet]:
    """The list as it may be stored: names given, short and unique (ignoring case and spaces
    around), texts not empty and free of control characters. Raises SnippetError."""
    seen: dict[str, str] = {}
    for position, snippet in enumerate(snippets, start=1):
        name = snippet.name.strip()
        if not name:
            raise SnippetError(f"Snippet {position} has no name: give it one.")
        if len(name) > MAX_NAME_CHARS:
            raise SnippetError(
                f"The snippet name “{name[:20]}…” is {len(name)} characters long; "
                f"keep it to {MAX_NAME_CHARS} or fewer."
            )
        if "\n" in name:
            raise SnippetError(f"The snippet name “{name}” has a line break: keep it on one line.")
        key = name.casefold()
        if key in seen:
            raise SnippetError(f"Two snippets are called “{name}”: give each its own name.")
        seen[key] = name
        if not snippet.text.strip():
            raise SnippetError(f"The snippet “{name}” is empty: write its text or delete it.")
        try:
            validate_draft_content(snippet.text)
            validate_draft_content(name)
        except ValidationError as exc:
            raise SnippetError(f"The snippet “{name}”: {exc}") from exc
    return [Snippet(snippet.name.strip(), snippet.text) for snippet in snippets]


class SnippetStore:
    """The snippets of one data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def load(self) -> list[Snippet]:
        """The snippets in the user's order (none yet: empty). Raises SnippetsFileDamaged."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise self._damaged(f"it cannot be read ({exc})") from exc
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise self._damaged(f"it is not valid JSON ({exc})") from exc
        items = data.get("snippets") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise self._damaged("it holds no list of snippets")
        snippets: list[Snippet] = []
        for item in items:
            if not (
                isinstance(item, dict)
                and isinstance(item.get("name"), str)
                and isinstance(item.get("text"), str)
            ):
                raise self._damaged("an entry is not a name with a text")
            snippets.append(Snippet(item["name"], item["text"]))
        try:
            return check_snippets(snippets)
        except SnippetError as exc:
            raise self._damaged(str(exc)) from exc

    def _damaged(self, why: str) -> SnippetsFileDamaged:
        return SnippetsFileDamaged(
            f"The snippets file {self.path} is damaged: {why}. Linkie left it as it is; fix it or "
            "move it away, and your snippets can be managed again."
        )

    def save(self, snippets: list[Snippet]) -> list[Snippet]:
        """Store `snippets` in this order (checked first: a refusal changes nothing).

        The file on disk is read first: a damaged file raises SnippetsFileDamaged rather than
        being replaced."""
        checked = check_snippets(snippets)
        self.load()
        payload = {
            "version": _FORMAT_VERSION,
            "snippets": [{"name": s.name, "text": s.text} for s in checked],
        }
        write_private_text(self.path, json.dumps(payload, indent=2, ensure_ascii=False))
        return checked

    # --- one change at a time, for callers without the whole list (Settings saves its list) ---

    def add(self, name: str, text: str) -> list[Snippet]:
        return self.save([*self.load(), Snippet(name, text)])

    def rename(self, old: str, new: str) -> list[Snippet]:
        return self.save([Snippet(new, s.text) if s.name == old else s for s in self._having(old)])

    def edit(self, name: str, text: str) -> list[Snippet]:
        return self.save([Snippet(name, text) if s.name == name else s for s in self._having(name)])

    def delete(self, name: str) -> list[Snippet]:
        return self.save([s for s in self._having(name) if s.name != name])

    def move(self, name: str, position: int) -> list[Snippet]:
        """Put `name` at `position` (0 first), the others keeping their order."""
        snippets = self._having(name)
        moving = next(s for s in snippets if s.name == name)
        rest = [s for s in snippets if s.name != name]
        rest.insert(max(0, min(position, len(rest))), moving)
        return self.save(rest)

    def _having(self, name: str) -> list[Snippet]:
        snippets = self.load()
        if not any(s.name == name for s in snippets):
            raise SnippetError(f"There is no snippet called “{name}”.")
        return snippets
