"""Export the user's posts (no Qt): Linkie's own JSON with every field, or a CSV of the posts.

The JSON format is documented and versioned in docs/export-format.md: every column of posts,
post_media and generations by its SQL name (so a column a later migration adds is exported
without a change here), timestamps as ISO-8601 in UTC, and the files copied into a folder beside
the JSON (`<name>-media/`), each row naming its copy relative to the JSON. The CSV holds the posts
outside the trash, one row each, in the columns of CSV_COLUMNS.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Engine, Table, select
from sqlalchemy.orm import Session

from linkie_desktop import __version__
from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.db.migrate import SCHEMA_REVISION
from linkie_desktop.db.models import Base, Generation, Post, PostMedia
from linkie_desktop.db.types import UTCSeconds, json_strings, utc_now
from linkie_desktop.domain.posts import ValidationError

EXPORT_FORMAT = "linkie-export"
EXPORT_VERSION = 1
# Columns every exported row leaves out: whose it is (the importer's user takes it), and which
# post a media row belongs to (it is nested in its post).
OWNER_COLUMNS = frozenset({"user_id", "post_id"})
CSV_COLUMNS = (
    "id",
    "title",
    "content",
    "status",
    "scheduled_at",
    "published_at",
    "linkedin_post_urn",
    "visibility",
    "first_comment",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    posts: int
    files: int = 0  # media files copied beside the JSON
    missing: int = 0  # files the posts name that were not there to copy

    def summary(self) -> str:
        files = f" and {self.files} media files" if self.files else ""
        gone = f" ({self.missing} files were missing and left out)" if self.missing else ""
        posts = f"{self.posts} post{'' if self.posts == 1 else 's'}"
        return f"Exported {posts}{files} to {self.path}{gone}."


def _plain(column: Column[Any], value: Any) -> Any:
    if isinstance(column.type, UTCSeconds):
        return value.isoformat() if isinstance(value, datetime) else None
    return value


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _rows(session: Session, table: Table, *where: Any) -> list[dict[str, Any]]:
    columns = [c for c in table.columns if c.name not in OWNER_COLUMNS]
    stmt = select(*columns, *(c for c in table.columns if c.name == "post_id")).where(*where)
    out = []
    for row in session.execute(stmt.order_by(*table.primary_key.columns)):
        values = row._mapping
        item = {c.name: _plain(c, values[c.name]) for c in columns}
        if "post_id" in values:
            item["post_id"] = values["post_id"]
        out.append(item)
    return out


class _MediaCopies:
    """Files copied into the folder beside the JSON, each once, under its own name."""

    def __init__(self, media_dir: Path, folder: Path, relative_to: Path) -> None:
        self.media_dir = media_dir
        self.folder = folder
        self.relative_to = relative_to
        self.copied: dict[Path, str] = {}
        self.missing = 0

    def copy(self, stored: str | None) -> str | None:
        """The copy's path relative to the JSON, or None (no file, or it is gone)."""
        if not stored:
            return None
        source = self.media_dir / stored  # an absolute stored path stays as it is
        if not source.is_file():
            self.missing += 1
            return None
        key = source.resolve()
        if key not in self.copied:
            self.folder.mkdir(exist_ok=True)
            name = source.name
            if (self.folder / name).exists():
                name = f"{len(self.copied)}-{name}"
            shutil.copyfile(source, self.folder / name)
            self.copied[key] = os.path.relpath(self.folder / name, self.relative_to)
        return self.copied[key].replace(os.sep, "/")


def _refuse_existing(out: Path) -> None:
    if not out.parent.is_dir():
        raise ValidationError(f"There is no folder {out.parent} to export into.")
    if out.is_dir():
        raise ValidationError(f"{out} is a folder: give the export a file name.")


def export_json(engine: Engine, user_id: str, media_dir: Path, out: Path) -> ExportResult:
    """Every post of the user (the trash's too, with deleted_at), its media rows and files, first
    comment, poll and link card, and every Studio generation, as docs/export-format.md says."""
    _refuse_existing(out)
    folder = out.with_name(f"{out.stem}-media")
    files = _MediaCopies(media_dir, folder, out.parent)
    with reading(engine) as session:
        posts = _rows(session, _table("posts"), Post.user_id == user_id)
        media = _rows(session, _table("post_media"), PostMedia.user_id == user_id)
        generations = _rows(session, _table("generations"), Generation.user_id == user_id)
    by_post: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(media, key=lambda m: (m["post_id"], m["position"])):
        post_id = row.pop("post_id")
        row["file"] = files.copy(row["path"])
        by_post.setdefault(post_id, []).append(row)
    for post in posts:
        post["media"] = by_post.get(post["id"], [])
        post["image_file"] = files.copy(post["image_path"])
        post["link_thumbnail_file"] = files.copy(post["link_thumbnail_path"])
    for generation in generations:
        generation["image_files"] = [files.copy(p) for p in json_strings(generation["images_json"])]
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utc_now().isoformat(),
        "app_version": __version__,
        "schema": SCHEMA_REVISION,
        "posts": posts,
        "generations": generations,
    }
    _write_atomically(out, lambda handle: json.dump(document, handle, ensure_ascii=False, indent=2))
    return ExportResult(out, len(posts), len(files.copied), files.missing)


def _write_atomically(out: Path, write: Any) -> None:
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            write(handle)
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _csv_rows(posts: Iterable[Post]) -> Iterable[list[str]]:
    yield list(CSV_COLUMNS)
    for post in posts:
        values: dict[str, Any] = {
            "id": post.id,
            "title": post.title,
            "content": post.content,
            "status": post.status,
            "scheduled_at": post.scheduled_at,
            "published_at": post.published_at,
            "linkedin_post_urn": post.linkedin_post_urn,
            "visibility": post.visibility,
            "first_comment": post.first_comment_text,
            "created_at": post.created_at,
            "updated_at": post.updated_at,
        }
        yield [
            v.isoformat() if isinstance(v, datetime) else ("" if v is None else str(v))
            for v in (values[c] for c in CSV_COLUMNS)
        ]


def export_csv(engine: Engine, user_id: str, out: Path) -> ExportResult:
    """The posts outside the trash, the most recently changed first, UTF-8 with a header row
    (CSV_COLUMNS; times ISO-8601 in UTC; a text's line breaks inside its quoted cell)."""
    _refuse_existing(out)
    with reading(engine) as session:
        rows = list(_csv_rows(queries.get_all_posts(session, user_id)))
    _write_atomically(out, lambda handle: csv.writer(handle).writerows(rows))
    return ExportResult(out, len(rows) - 1)
