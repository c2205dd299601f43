"""Import posts (no Qt): Linkie's own JSON export, or a CSV from a spreadsheet or another tool.

Every row is read and checked first; then the files are copied and everything is written by
PostService.import_rows (the one writer of posts) in one transaction. A bad row is reported with
its line number (CSV) or its place (JSON, "post 3") and nothing is imported, unless `skip_bad`
imports the others. docs/export-format.md describes both formats; in short, for CSV:

- UTF-8, with or without a BOM; a header row, matched case-insensitively and without the
  spaces around names; `content` required, `title`, `scheduled_at` (ISO-8601; local time without
  an offset) and `status` (`draft` or `scheduled`; empty: scheduled when it has a time) optional;
  other columns are ignored;
- the delimiter is detected from the header row: a comma, a semicolon (spreadsheets in many
  European locales write those) or a tab, whichever gives a `content` column;
- cells in quotes may hold delimiters and line breaks; a row's line number is the line it
  starts on.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from linkie_desktop.db.models import Base
from linkie_desktop.db.types import UTCSeconds, new_id, utc_now
from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.domain.posts import (
    ValidationError,
    validate_content,
    validate_draft_content,
    validate_schedule_time,
    validate_title,
)
from linkie_desktop.domain.schedule import parse_when
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.export import EXPORT_FORMAT, EXPORT_VERSION, OWNER_COLUMNS
from linkie_desktop.services.posts import PostService

FORMATS = ("json", "csv")
DELIMITERS = (",", ";", "\t")
CSV_STATUSES = (PostStatus.DRAFT.value, PostStatus.SCHEDULED.value)
_SHOWN_BAD_ROWS = 3


@dataclass(frozen=True)
class BadRow:
    where: str  # "line 5" (CSV) or "post 3" (JSON)
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class ImportRefusedError(ValidationError):
    """Bad rows and no `skip_bad`: nothing was imported. The message names them (one line)."""

    def __init__(self, bad: Sequence[BadRow]) -> None:
        shown = "; ".join(str(b) for b in bad[:_SHOWN_BAD_ROWS])
        more = f" (and {len(bad) - _SHOWN_BAD_ROWS} more)" if len(bad) > _SHOWN_BAD_ROWS else ""
        super().__init__(
            f"{shown}{more}. Nothing was imported; fix the file, or skip the bad rows "
            "(--skip-bad) to import the others."
        )
        self.bad = tuple(bad)


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: tuple[BadRow, ...] = ()
    new_ids: dict[str, str] = field(default_factory=dict)  # {id in the file: id given here}
    files: int = 0

    def summary(self) -> str:
        return f"imported {self.imported}, skipped {len(self.skipped)}"

    def id_note(self) -> str:
        """What the user is told about ids: kept, or which were new because they existed."""
        if not self.new_ids:
            return "Every post kept its id." if self.imported else ""
        return (
            f"{len(self.new_ids)} posts got a new id because a post here has theirs already: "
            + ", ".join(f"{old} → {new}" for old, new in self.new_ids.items())
        )


@dataclass
class _Plan:
    """What one import writes: rows, and the files to copy into the media folder first."""

    posts: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    generations: list[dict[str, Any]] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    files: list[tuple[Path, Callable[[str], None]]] = field(default_factory=list)


def detect_format(path: Path, given: str | None) -> str:
    if given is not None:
        if given not in FORMATS:
            raise ValidationError(f"--format is json or csv, not {given!r}.")
        return given
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ValidationError(f"{path.name}: say which format it is with --format json or csv.")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a BOM (Excel's "CSV UTF-8") is dropped
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.") from None
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path.name} is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8 and try again."
        ) from None
    except OSError as exc:
        raise ValidationError(f"{path} cannot be read: {exc.strerror or exc}.") from None


# --- CSV ------------------------------------------------------------------------------------


def _names(header: Sequence[str]) -> list[str]:
    return [name.strip().lower() for name in header]


def _delimiter(first_line: str) -> str:
    for delimiter in DELIMITERS:
        if "content" in _names(next(csv.reader([first_line], delimiter=delimiter), [])):
            return delimiter
    raise ValidationError(
        "The CSV's first row has no 'content' column: it needs a header row naming the columns "
        "(content, and optionally title, scheduled_at, status), separated by commas, "
        "semicolons or tabs."
    )


def _csv_post(cells: dict[str, str], now: datetime, visibility: Visibility) -> dict[str, Any]:
    content = cells.get("content", "")
    validate_draft_content(content)
    if not content.strip():
        raise ValidationError("its content is empty")
    title = validate_title(cells.get("title", "").strip() or None)
    when_text = cells.get("scheduled_at", "").strip()
    status = cells.get("status", "").strip().lower() or (
        PostStatus.SCHEDULED.value if when_text else PostStatus.DRAFT.value
    )
    if status not in CSV_STATUSES:
        raise ValidationError(f"status is draft or scheduled, not {status!r}")
    values: dict[str, Any] = {
        "content": content,
        "title": title,
        "status": status,
        "visibility": visibility.value,
    }
    if status == PostStatus.SCHEDULED:
        if not when_text:
            raise ValidationError("a scheduled post needs scheduled_at")
        at = parse_when(when_text)
        validate_schedule_time(at, now)
        validate_content(content)
        values["scheduled_at"] = at
    return values


def _plan_csv(text: str, now: datetime, visibility: Visibility) -> _Plan:
    plan = _Plan()
    delimiter = _delimiter(text.split("\n", 1)[0].rstrip("\r"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = _names(next(reader))
        line = reader.line_num + 1
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue  # a blank line between rows
            if len(row) > len(header):
                plan.bad.append(
                    BadRow(f"line {start}", f"{len(row)} cells, the header names {len(header)}")
                )
                continue
            cells = dict(zip(header, row, strict=False))
            try:
                plan.posts.append((_csv_post(cells, now, visibility), []))
            except (ValidationError, ValueError) as exc:
                plan.bad.append(BadRow(f"line {start}", str(exc).rstrip(".")))
    except csv.Error as exc:
        raise ValidationError(f"line {reader.line_num}: the CSV is malformed ({exc}).") from None
    return plan


# --- JSON -------------------------------------------------------------------------------------


def _columns(table: str) -> dict[str, bool]:
    """{column name: is a timestamp} of an importable table, owners left out."""
    return {
        c.name: isinstance(c.type, UTCSeconds)
        for c in Base.metadata.tables[table].columns
        if c.name not in OWNER_COLUMNS
    }


def _values(item: dict[str, Any], table: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, is_time in _columns(table).items():
        if name not in item:
            continue  # an older export: the column's default
        value = item[name]
        if is_time and value is not None:
            value = datetime.fromisoformat(str(value))
            if value.tzinfo is None:
                raise ValidationError(f"{name} {item[name]!r} has no time zone")
        values[name] = value
    return values


class _Files:
    """Files of the export to copy into the media folder, each under a name free there."""

    def __init__(self, base: Path, media_dir: Path) -> None:
        self.base = base
        self.media_dir = media_dir

    def source(self, relative: Any, what: str) -> Path:
        if not isinstance(relative, str):
            raise ValidationError(f"{what} names no file")
        path = self.base / relative
        if not path.is_file():
            raise ValidationError(f"{what}'s file {relative} is missing")
        return path


def _setter(target: dict[str, Any], key: str, folder: Path | None = None) -> Callable[[str], None]:
    """Where a copied file's name goes once the copy has it (a full path with `folder`)."""

    def put(name: str) -> None:
        target[key] = str(folder / name) if folder is not None else name

    return put


def _post_from_json(
    item: Any, files: _Files, later: list[tuple[Path, Callable[[str], None]]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(item, dict):
        raise ValidationError("not an object")
    values = _values(item, "posts")
    content = values.get("content")
    if not isinstance(content, str):
        raise ValidationError("it has no content")
    validate_draft_content(content)
    values["title"] = validate_title(values.get("title"))
    status = values.get("status", PostStatus.DRAFT.value)
    if status not in {s.value for s in PostStatus}:
        raise ValidationError(f"unknown status {status!r}")
    media: list[dict[str, Any]] = []
    for position, entry in enumerate(item.get("media") or []):
        row = _values(entry, "post_media")
        source = files.source(entry.get("file"), f"media {position + 1}")
        # Its name in the media folder (an older row's full path too: the file comes in).
        later.append((source, _setter(row, "path")))
        media.append(row)
    if item.get("link_thumbnail_file"):
        source = files.source(item["link_thumbnail_file"], "the link card's thumbnail")
        later.append((source, _setter(values, "link_thumbnail_path")))
    if item.get("image_file"):
        source = files.source(item["image_file"], "its image")
        later.append((source, _setter(values, "image_path", files.media_dir)))
    return values, media


def _generation_from_json(
    item: Any, files: _Files, later: list[tuple[Path, Callable[[str], None]]]
) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValidationError("not an object")
    values = _values(item, "generations")
    if not isinstance(values.get("idea"), str):
        raise ValidationError("it has no idea")
    images: list[str] = []
    values["images_json"] = "[]"
    for n, relative in enumerate(item.get("image_files") or []):
        source = files.source(relative, f"image {n + 1}")
        images.append("")

        def put(name: str, n: int = n) -> None:
            images[n] = str(files.media_dir / name)
            values["images_json"] = json.dumps(images)

        later.append((source, put))
    return values


def _plan_json(text: str, base: Path, media_dir: Path) -> _Plan:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"The file is not JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ValidationError("This JSON is not a Linkie export (docs/export-format.md).")
    version = document.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise ValidationError(
            f"This export was made by a newer Linkie (format version {version}); update Linkie "
            "to import it."
        )
    plan = _Plan()
    files = _Files(base, media_dir)
    for kind, items, read in (
        ("post", document.get("posts") or [], _post_from_json),
        ("generation", document.get("generations") or [], _generation_from_json),
    ):
        for index, item in enumerate(items, start=1):
            later: list[tuple[Path, Callable[[str], None]]] = []
            try:
                made = read(item, files, later)
            except (ValidationError, ValueError, TypeError, AttributeError) as exc:
                plan.bad.append(BadRow(f"{kind} {index}", str(exc).rstrip(".")))
                continue
            plan.files += later
            if kind == "post":
                assert isinstance(made, tuple)
                plan.posts.append(made)
            else:
                assert isinstance(made, dict)
                plan.generations.append(made)
    return plan


# --- both -------------------------------------------------------------------------------------


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as left, b.open("rb") as right:
        while chunk := left.read(1 << 20):
            if chunk != right.read(len(chunk)):
                return False
    return True


def _copy_files(plan: _Plan, media_dir: Path) -> list[Path]:
    """Each file into the media folder under its own name, or a fresh one where that name holds
    other bytes; a file already there with the same bytes is used as it is. The copies made."""
    made: list[Path] = []
    try:
        for source, place in plan.files:
            media_dir.mkdir(parents=True, exist_ok=True)
            target = media_dir / source.name
            if target.exists() and not _same_bytes(source, target):
                target = media_dir / f"{source.stem}-{new_id()}{source.suffix}"
            if not target.exists():
                partial = target.with_name(f".{target.name}.part")
                shutil.copyfile(source, partial)
                partial.replace(target)
                made.append(target)
            place(target.name)
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        raise
    return made


def import_file(
    service: PostService,
    path: Path,
    fmt: str | None = None,
    *,
    skip_bad: bool = False,
    now: datetime | None = None,
    visibility: Visibility = Visibility.PUBLIC,
) -> ImportResult:
    """Import `path` as the service's user. `visibility` is what a CSV row gets (Settings ›
    Posting's default); a JSON post keeps its own. Raises ImportRefusedError when a row is bad
    and `skip_bad` is not given, with nothing written."""
    kind = detect_format(path, fmt)
    text = _read_text(path)
    if service.media_dir is None and kind == "json":
        raise ValidationError("No media folder is set up to import into.")
    media_dir = service.media_dir or path.parent
    if kind == "csv":
        plan = _plan_csv(text, now or utc_now(), visibility)
    else:
        plan = _plan_json(text, path.parent, media_dir)
    if plan.bad and not skip_bad:
        raise ImportRefusedError(plan.bad)
    if not plan.posts and not plan.generations:
        return ImportResult(0, tuple(plan.bad))
    made = _copy_files(plan, media_dir)
    try:
        new_ids = service.import_rows(plan.posts, plan.generations)
    except BaseException:
        for copy in made:
            copy.unlink(missing_ok=True)
        raise
    return ImportResult(len(plan.posts), tuple(plan.bad), new_ids, len(made))
