"""Migration 0006 (post formats) on a real file holding data of the version before: each post's
image becomes its first media row, visibility is PUBLIC, nothing else moves; and back down again
without losing the posts (or another table's rows through a cascade)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, inspect, select

from linkie_desktop.db.engine import make_engine, reading, transaction
from linkie_desktop.db.migrate import SCHEMA_REVISION, downgrade, prepare_database, upgrade
from linkie_desktop.db.models import Post, PostMedia

BEFORE = "0005_posts_due_index"
NOW = 1_764_000_000


def _old_file(db_url: str, db_path: Path) -> None:
    """A database at the revision before, with a user, three posts and LinkedIn figures."""
    engine = make_engine(db_url)
    try:
        upgrade(engine, BEFORE)
    finally:
        engine.dispose()
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute(
            "INSERT INTO users (id, name, email, created_at) VALUES ('u1', 'Alex', 'a@b.c', ?)",
            (NOW,),
        )
        posts = [
            ("p-image", "draft", "/home/alex/.local/share/linkie/media/p-image-x.png"),
            ("p-text", "scheduled", None),
            ("p-published", "published", "/media/old.jpg"),
            ("p-blank-image", "draft", "  "),
        ]
        for post_id, status, image in posts:
            raw.execute(
                "INSERT INTO posts (id, user_id, content, status, image_path, retry_count, "
                "created_at, updated_at) VALUES (?, 'u1', ?, ?, ?, 0, ?, ?)",
                (post_id, f"text of {post_id}", status, image, NOW, NOW + 5),
            )
        raw.execute(
            "INSERT INTO post_linkedin_stats (post_id, user_id, impressions, fetched_at) "
            "VALUES ('p-published', 'u1', 42, ?)",
            (NOW,),
        )
    raw.close()


def _rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    raw = sqlite3.connect(db_path)
    try:
        return list(raw.execute(sql))
    finally:
        raw.close()


# No PostgreSQL database was ever at 0005: Linkie supports PostgreSQL from 0011 on.
@pytest.mark.sqlite_only
def test_upgrade_moves_each_image_into_post_media_and_keeps_image_path(
    db_url: str, db_path: Path
) -> None:
    _old_file(db_url, db_path)
    engine, result = prepare_database(db_url)  # the app's own start-up path, with its backup
    try:
        assert (result.previous, result.revision, result.backup is not None) == (
            BEFORE,
            SCHEMA_REVISION,  # through 0006, which this file is about, to the head
            True,
        )
        media = _rows(
            db_path,
            "SELECT post_id, user_id, position, kind, path, alt_text, urn, created_at "
            "FROM post_media ORDER BY post_id",
        )
        assert media == [
            ("p-image", "u1", 0, "image", "/home/alex/.local/share/linkie/media/p-image-x.png",
             None, None, NOW),
            ("p-published", "u1", 0, "image", "/media/old.jpg", None, None, NOW),
        ]  # fmt: skip
        posts = _rows(
            db_path,
            "SELECT id, content, status, image_path, visibility, updated_at, poll_question, "
            "link_url, first_comment_text FROM posts ORDER BY id",
        )
        assert [row[:4] for row in posts] == [
            ("p-blank-image", "text of p-blank-image", "draft", "  "),
            ("p-image", "text of p-image", "draft",
             "/home/alex/.local/share/linkie/media/p-image-x.png"),
            ("p-published", "text of p-published", "published", "/media/old.jpg"),
            ("p-text", "text of p-text", "scheduled", None),
        ]  # fmt: skip
        assert {row[4:] for row in posts} == {("PUBLIC", NOW + 5, None, None, None)}
        # posts was altered in place, not copied and dropped (which cascades into its figures).
        assert _rows(db_path, "SELECT post_id, impressions FROM post_linkedin_stats") == [
            ("p-published", 42)
        ]
        ids = [str(row[0]) for row in _rows(db_path, "SELECT id FROM post_media")]
        assert all(len(i) >= 24 and i.isalnum() for i in ids), ids  # cuid2, as every id
        _the_orm_reads_the_migrated_media(engine)
    finally:
        engine.dispose()


def _the_orm_reads_the_migrated_media(engine: Engine) -> None:
    with reading(engine) as session:
        post = session.scalars(select(Post).where(Post.id == "p-image")).one()
        assert [(m.kind, m.position) for m in post.media] == [("image", 0)]
        assert post.visibility == "PUBLIC"


# No PostgreSQL database was ever at 0005: Linkie supports PostgreSQL from 0011 on.
@pytest.mark.sqlite_only
def test_downgrade_drops_the_formats_and_keeps_posts_and_other_tables(
    db_url: str, db_path: Path
) -> None:
    _old_file(db_url, db_path)
    engine, _ = prepare_database(db_url)
    try:
        with transaction(engine) as session:
            post = session.get(Post, "p-text")
            assert post is not None
            post.poll_question = "Which?"
            post.media.append(PostMedia(user_id="u1", position=0, kind="video", path="v.mp4"))
        downgrade(engine, BEFORE)
        tables = {r[0] for r in _rows(db_path, "SELECT name FROM sqlite_master")}
        assert "post_media" not in tables
        columns = {r[1] for r in _rows(db_path, 'PRAGMA table_info("posts")')}
        assert not columns & {"visibility", "poll_question", "link_url", "first_comment_text"}
        assert _rows(db_path, "SELECT id, image_path FROM posts WHERE id = 'p-image'") == [
            ("p-image", "/home/alex/.local/share/linkie/media/p-image-x.png")
        ]
        assert len(_rows(db_path, "SELECT id FROM posts")) == 4
        # posts is altered in place, never dropped and copied: its figures are still there.
        assert _rows(db_path, "SELECT post_id, impressions FROM post_linkedin_stats") == [
            ("p-published", 42)
        ]
        upgrade(engine)  # and up again
        assert len(_rows(db_path, "SELECT id FROM post_media")) == 2
    finally:
        engine.dispose()


def test_media_rows_go_with_their_post_and_their_user(engine: Engine, user_id: str) -> None:
    with transaction(engine) as session:
        first = Post(user_id=user_id, content="one")
        second = Post(user_id=user_id, content="two")
        session.add_all([first, second])
        session.flush()
        for post in (first, second):
            session.add(PostMedia(post_id=post.id, user_id=user_id, position=0, kind="image",
                                  path="a.png"))  # fmt: skip
        first_id = first.id
    with transaction(engine) as session:
        session.execute(delete(Post).where(Post.id == first_id))
    with reading(engine) as session:
        left = session.scalars(select(PostMedia.post_id)).all()
    assert first_id not in left and len(left) == 1
    with transaction(engine) as session:
        session.execute(delete(Post))  # the rest, by the database's own cascade
    with reading(engine) as session:
        assert session.scalars(select(PostMedia)).all() == []


def test_foreign_keys_of_post_media_cascade(engine: Engine) -> None:
    schema = inspect(engine)
    fks = sorted(
        (
            fk["referred_table"],
            fk["constrained_columns"],
            fk["referred_columns"],
            fk["options"].get("ondelete"),
        )
        for fk in schema.get_foreign_keys("post_media")
    )
    assert fks == [
        ("posts", ["post_id"], ["id"], "CASCADE"),
        ("users", ["user_id"], ["id"], "CASCADE"),
    ]
    indexes = {ix["name"]: ix["column_names"] for ix in schema.get_indexes("post_media")}
    assert indexes["post_media_post_id_idx"] == ["post_id"]
    visibility = next(c for c in schema.get_columns("posts") if c["name"] == "visibility")
    assert not visibility["nullable"]
    assert str(visibility["default"]).startswith("'PUBLIC'")  # PostgreSQL adds "::text"
