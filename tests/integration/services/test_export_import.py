"""Export and import on real files: Linkie's JSON round trip into a fresh database keeps every
column of every post, media row and generation, and the files; ids are kept or renamed (and said);
CSV import takes a BOM, quoted line breaks, semicolons and any header case, names a bad row's
line and imports nothing unless told to skip it."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from linkie_desktop import config
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Base, Post
from linkie_desktop.domain.post_content import LinkCard, Poll
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.export import CSV_COLUMNS, export_csv, export_json
from linkie_desktop.services.import_posts import ImportRefusedError, import_file
from linkie_desktop.services.posts import Attachments, PostService
from linkie_desktop.services.workspace import Workspace, open_workspace
from tests.fakes.image_files import write_png

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)


def _workspace(folder: Path) -> Workspace:
    return open_workspace(
        config.load(db=str(folder / "linkie.db"), env={"LINKIE_DATA_DIR": str(folder)})
    )


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = _workspace(tmp_path / "data")
    yield workspace
    workspace.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Workspace]:
    workspace = _workspace(tmp_path / "fresh")
    yield workspace
    workspace.close()


def _service(ws: Workspace) -> PostService:
    return PostService(ws.engine, ws.user_id, ws.config.media_dir)


def _table(ws: Workspace, name: str) -> list[dict[str, Any]]:
    table = Base.metadata.tables[name]
    with reading(ws.engine) as session:
        rows = session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        return [dict(row) for row in rows]


def _fill(ws: Workspace, tmp_path: Path) -> None:
    """Posts of every kind: images with alt text, a poll, a link card with its thumbnail, a first
    comment, a scheduled and a published one, one in the trash, and a Studio generation."""
    service = _service(ws)
    one, two = write_png(tmp_path / "one.png", 50, 30), write_png(tmp_path / "two.png", 30, 50)
    service.add(
        "Two photos",
        title="Photos",
        first_comment="More in the comments",
        attachments=Attachments(images=[(one, "first"), (two, "second")]),
    )
    service.add(
        "A poll", attachments=Attachments(poll=Poll("Tea or coffee?", ("Tea", "Coffee"), 3))
    )
    service.add(
        "A link",
        at=SOON,
        attachments=Attachments(
            link=LinkCard("https://example.com/a", "Example", "A page"), link_thumbnail=one
        ),
    )
    published = service.add("Went out")
    with transaction(ws.engine) as session:
        post = session.get(Post, published.id)
        assert post is not None
        post.status, post.published_at = PostStatus.PUBLISHED, SOON - timedelta(days=9)
        post.linkedin_post_urn = "urn:li:share:7000"
        post.evergreen = 1
    _studio_generation(ws)
    trashed = service.add("Deleted")
    service.delete(trashed.id)


def _studio_generation(ws: Workspace) -> None:
    picture = write_png(ws.config.media_dir / "studio-image.png")
    with transaction(ws.engine) as session:
        session.execute(
            Base.metadata.tables["generations"]
            .insert()
            .values(
                id="gen-1",
                user_id=ws.user_id,
                idea="An idea",
                text_variations_json='["a", "b"]',
                images_json=json.dumps([str(picture)]),
                created_at=SOON,
            )
        )


def _comparable(rows: list[dict[str, Any]], media_dir: Path) -> list[dict[str, Any]]:
    """Rows as they must match: every column, the owner's id aside (each database has its own
    user), and a full file path by the file's name (each database has its own media folder)."""
    out = []
    for row in rows:
        row = {k: v for k, v in row.items() if k not in ("user_id",)}
        if row.get("image_path"):
            row["image_path"] = Path(row["image_path"]).relative_to(media_dir).as_posix()
        if row.get("images_json"):
            row["images_json"] = [
                Path(p).relative_to(media_dir).as_posix() for p in json.loads(row["images_json"])
            ]
        out.append(row)
    return out


def test_json_export_then_import_into_a_fresh_database_gives_identical_rows_and_files(
    ws: Workspace, fresh: Workspace, tmp_path: Path
) -> None:
    _fill(ws, tmp_path)
    out = tmp_path / "export" / "posts.json"
    out.parent.mkdir()

    exported = export_json(ws.engine, ws.user_id, ws.config.media_dir, out)
    result = import_file(_service(fresh), out)

    assert (exported.posts, exported.files, exported.missing) == (5, 4, 0)
    assert (result.imported, result.skipped, result.new_ids) == (5, (), {})
    assert result.id_note() == "Every post kept its id."
    for table in ("posts", "post_media", "generations"):
        before = _comparable(_table(ws, table), ws.config.media_dir)
        after = _comparable(_table(fresh, table), fresh.config.media_dir)
        assert len(before) == len(after) > 0, table
        for old, new in zip(before, after, strict=True):
            assert old == new, table  # column by column, every column of the schema
    for name in sorted(p.name for p in ws.config.media_dir.iterdir()):
        assert (fresh.config.media_dir / name).read_bytes() == (
            ws.config.media_dir / name
        ).read_bytes()
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("linkie-export", 1)
    assert (out.parent / "posts-media").is_dir()


def test_importing_into_a_database_that_has_the_ids_gives_new_ids_and_says_which(
    ws: Workspace, tmp_path: Path
) -> None:
    service = _service(ws)
    first = service.add("Series start")
    with transaction(ws.engine) as session:
        post = session.get(Post, first.id)
        assert post is not None
        post.series_id = first.id
    out = tmp_path / "posts.json"
    export_json(ws.engine, ws.user_id, ws.config.media_dir, out)

    result = import_file(service, out)

    (new,) = result.new_ids.values()
    assert result.new_ids == {first.id: new}
    assert f"{first.id} → {new}" in result.id_note()
    copy = service.get(new)
    assert copy.content == "Series start"
    with reading(ws.engine) as session:
        moved = session.get(Post, new)
        assert moved is not None and moved.series_id == new  # its reference followed it


def _write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_csv_with_a_bom_semicolons_quoted_line_breaks_and_any_header_case(
    ws: Workspace, tmp_path: Path
) -> None:
    when = SOON.isoformat()
    source = _write(
        tmp_path / "buffer.csv",
        " Content ;TITLE;Scheduled_At;status;Tags\r\n"
        '"Line one\r\nline two; still it";Two lines;;;x\r\n'
        f"Later;;{when};scheduled;y\r\n",
        bom=True,
    )

    result = import_file(_service(ws), source)

    assert result.summary() == "imported 2, skipped 0"
    posts = {p.content: p for p in _service(ws).list()}
    # Line breaks are kept as \n, whichever the spreadsheet wrote (Excel's \r\n here).
    assert set(posts) == {"Line one\nline two; still it", "Later"}
    assert posts["Later"].status == PostStatus.SCHEDULED and posts["Later"].scheduled_at == SOON
    assert posts["Line one\nline two; still it"].title == "Two lines"
    assert posts["Line one\nline two; still it"].status == PostStatus.DRAFT


def test_a_bad_row_is_named_by_its_line_and_nothing_is_imported_unless_skipped(
    ws: Workspace, tmp_path: Path
) -> None:
    source = _write(
        tmp_path / "posts.csv",
        'content,status,scheduled_at\nfine,draft,\n"two\nlines",published,\nalso fine,,\n'
        "late,scheduled,2020-01-01T09:00\n",
    )
    with pytest.raises(ImportRefusedError) as refused:
        import_file(_service(ws), source)
    bad = refused.value.bad
    assert [b.where for b in bad] == ["line 3", "line 6"]  # the line each row starts on
    assert bad[0].reason == "status is draft or scheduled, not 'published'"
    assert "line 3: status is draft or scheduled" in str(refused.value)
    assert _service(ws).list() == []

    result = import_file(_service(ws), source, skip_bad=True)

    assert result.summary() == "imported 2, skipped 2"
    assert sorted(p.content for p in _service(ws).list()) == ["also fine", "fine"]


def test_a_csv_without_a_content_column_is_refused_in_plain_words(
    ws: Workspace, tmp_path: Path
) -> None:
    source = _write(tmp_path / "x.csv", "text|title\nhello|hi\n")
    with pytest.raises(ValidationError, match="no 'content' column"):
        import_file(_service(ws), source)


def test_csv_export_has_the_documented_columns_and_round_trips_drafts(
    ws: Workspace, fresh: Workspace, tmp_path: Path
) -> None:
    service = _service(ws)
    service.add("Multi\nline, with a comma", title="T")
    service.add("Scheduled", at=SOON)
    trashed = service.add("in the trash")
    service.delete(trashed.id)
    out = tmp_path / "posts.csv"

    assert export_csv(ws.engine, ws.user_id, out).posts == 2

    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r["content"] for r in rows} == {"Multi\nline, with a comma", "Scheduled"}
    assert import_file(_service(fresh), out).summary() == "imported 2, skipped 0"
    assert {(p.content, p.status, p.scheduled_at) for p in _service(fresh).list()} == {
        ("Multi\nline, with a comma", PostStatus.DRAFT, None),
        ("Scheduled", PostStatus.SCHEDULED, SOON),
    }


def test_an_export_from_a_newer_format_version_is_refused(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "new.json"
    source.write_text(json.dumps({"format": "linkie-export", "version": 2, "posts": []}))
    with pytest.raises(ValidationError, match="newer Linkie"):
        import_file(_service(ws), source)
