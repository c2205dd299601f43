"""`db copy`: a person's rows of a real SQLite file, filled through the real services (posts of
every format, slots, history, LinkedIn figures, settings, a Studio run), copied to a real
PostgreSQL database (the run's throwaway server) and to another SQLite file, then every table
compared row by row, raw values as stored. The copy works there (the posts list, the publisher's
due read finds a due post); a refusal or a failure half-way writes nothing; the media report names
the files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Engine, ForeignKey, MetaData, Table, Text, text

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.errors import DatabaseError
from linkie_desktop.db.migrate import prepare_database
from linkie_desktop.db.models import (
    Account,
    Base,
    OAuthStatus,
    Post,
    PublisherPresence,
    VerificationToken,
)
from linkie_desktop.db.models import Session as AuthSession
from linkie_desktop.db.stats import store_figures
from linkie_desktop.domain.post_content import LinkCard, Poll, Visibility
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.repeat import RepeatRule
from linkie_desktop.domain.slots import Slot
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity, oauth, people
from linkie_desktop.services.activity import EventKind, EventOutcome
from linkie_desktop.services.db_copy import (
    UNOWNED_TABLES,
    CopyRefusedError,
    CopyReport,
    copy_person,
    copy_plan,
)
from linkie_desktop.services.posts import Attachments, PostService
from linkie_desktop.services.slots import SlotService
from tests.fakes.image_files import write_png
from tests.fakes.media_files import write_mp4, write_pdf
from tests.postgres_server import TEMPLATE, PostgresServer

NOW = datetime.now(UTC).replace(microsecond=0)  # the services refuse times already past
USER_COLUMNS = ("user_id", "userId")
# The tables of nobody, as this test knows them: leaving another table behind must fail here.
NOBODYS = ("publisher_presence", "verificationTokens")


class Source:
    """A personal SQLite database: Ann's world, and a few rows of someone else's."""

    def __init__(self, engine: Engine, url: str, media_dir: Path, picked: Path) -> None:
        self.engine, self.url, self.media_dir, self.picked = engine, url, media_dir, picked
        with transaction(engine) as session:
            self.user_id = queries.get_or_create_local_user(session).id
        people.update_person(engine, self.user_id, name="Ann Lee", email="ann@example.com")
        self.other_id = people.add_person(engine, "bob@example.com", "Bob").id
        self.due = ""
        self.studio_image = media_dir / "studio-run.png"


def _png(folder: Path, name: str) -> Path:
    return write_png(folder / name, 30, 20)


def fill(src: Source) -> None:
    """Every kind of row a person has, written the way the app writes it."""
    service = PostService(src.engine, src.user_id, src.media_dir)
    service.create_draft("A draft", "Words in progress")
    images = Attachments(images=[(_png(src.picked, f"p{n}.png"), f"alt {n}") for n in range(2)])
    src.due = service.add(
        "Two photos",
        at=NOW + timedelta(days=1),
        visibility=Visibility.CONNECTIONS,
        first_comment="More below",
        attachments=images,
    ).id
    service.add(
        "A deck",
        at=datetime(2040, 3, 1, 9, tzinfo=UTC),  # past the end of PostgreSQL's 32-bit integer
        attachments=Attachments(document=(write_pdf(src.picked / "d.pdf"), "The deck")),
    )
    service.add("A clip", attachments=Attachments(video=(write_mp4(src.picked / "v.mp4"), "Clip")))
    service.add("A poll", attachments=Attachments(poll=Poll("Tea?", ("Yes", "No"), 7)))
    service.add(
        "A link",
        attachments=Attachments(
            link=LinkCard("https://example.com/a", "Example", "A page"),
            link_thumbnail=_png(src.picked, "thumb.png"),
        ),
    )
    weekly = service.add("Every week", at=NOW + timedelta(days=3)).id
    service.set_repeat(weekly, RepeatRule())
    published = service.add("Out already").id
    service.delete(service.add("In the trash").id)
    with transaction(src.engine) as session:
        post = session.get(Post, published)
        assert post is not None
        post.status, post.published_at = PostStatus.PUBLISHED, NOW - timedelta(days=2)
        post.linkedin_post_urn = "urn:li:share:1"
        activity.record(
            session, src.user_id, published, EventKind.PUBLISHED, EventOutcome.SUCCESS, "sent"
        )
        store_figures(session, src.user_id, published, {"impressions": 900}, NOW)
        queries.create_generation(
            session,
            {
                "user_id": src.user_id,
                "idea": "an idea",
                "text_variations_json": '["a variation"]',
                "images_json": f'["{_png(src.media_dir, src.studio_image.name)}"]',
            },
        )
        queries.upsert_user_settings(
            session,
            src.user_id,
            {
                "linkedin_oauth_status": OAuthStatus.CONNECTED,
                "linkedin_connected": 1,
                "linkedin_person_urn": "urn:li:person:ann",
                "linkedin_access_token": f"enc:v2:{src.user_id}:sealed",
                "linkedin_token_expires_at": NOW + timedelta(days=50),
            },
        )
        session.add(
            Account(
                user_id=src.user_id,
                type="oauth",
                provider="linkedin",
                provider_account_id="ann",
                access_token=f"enc:v2:{src.user_id}:also-sealed",
                expires_at=2_208_988_800,  # 2040: past the 32-bit end of 2038
            )
        )
        session.add(AuthSession(session_token="ann-session", user_id=src.user_id, expires=NOW))
        # Rows of nobody: never copied.
        session.add(VerificationToken(identifier="ann@example.com", token="t", expires=NOW))
        session.add(PublisherPresence(kind="window", host="here", pid=1))
    service.set_evergreen(published, True)
    SlotService(src.engine, src.user_id, UTC, clock=lambda: NOW).add(Slot(0, time(9, 30)))
    oauth.create_state(src.engine, src.user_id, NOW)
    # Bob's rows, in the same tables: none of them may go along.
    bob = PostService(src.engine, src.other_id, src.media_dir)
    bob.add("Bob's", at=NOW + timedelta(days=1), attachments=Attachments(
        images=[(_png(src.picked, "bob.png"), None)]))  # fmt: skip
    SlotService(src.engine, src.other_id, UTC, clock=lambda: NOW).add(Slot(1, time(8)))


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Source]:
    picked = tmp_path / "picked"
    picked.mkdir()
    url = f"sqlite:///{tmp_path / 'personal.db'}"
    engine, _ = prepare_database(url)
    made = Source(engine, url, tmp_path / "data" / "media", picked)
    fill(made)
    yield made
    engine.dispose()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.new_database(template=TEMPLATE)
    yield url
    postgres_server.drop(url)


# --- reading both sides raw ---------------------------------------------------------------


Row = tuple[tuple[str, Any], ...]


def _raw_rows(engine: Engine, table: str) -> list[dict[str, Any]]:
    """Every row as the database stores it (Unix seconds, not datetimes)."""
    with engine.connect() as connection:
        result = connection.execute(text(f'SELECT * FROM "{table}"'))
        return [dict(row._mapping) for row in result]


def _sorted(rows: list[dict[str, Any]]) -> list[Row]:
    return sorted((tuple(sorted(r.items())) for r in rows), key=repr)


def _owner_column(table: Table) -> str:
    if table.name == "users":
        return "id"
    for name in USER_COLUMNS:
        if name in table.c:
            return name
    raise AssertionError(f"the test does not know whose rows {table.name} holds: teach it")


def rows_of(engine: Engine, user_id: str) -> dict[str, list[Row]]:
    """Every table's rows of the person; the tables of nobody with all their rows."""
    found: dict[str, list[Row]] = {}
    for table in Base.metadata.sorted_tables:
        rows = _raw_rows(engine, table.name)
        if table.name not in NOBODYS:
            owner = _owner_column(table)
            rows = [r for r in rows if r[owner] == user_id]
        found[table.name] = _sorted(rows)
    return found


def everything(engine: Engine) -> dict[str, list[Row]]:
    return {t.name: _sorted(_raw_rows(engine, t.name)) for t in Base.metadata.sorted_tables}


def _copy(src: Source, url: str) -> CopyReport:
    return copy_person(src.engine, src.user_id, url, src.media_dir)


def _check_round_trip(src: Source, target: Engine, report: CopyReport) -> None:
    mine = rows_of(src.engine, src.user_id)
    owned = [name for name in mine if name not in NOBODYS]
    empty = [name for name in owned if not mine[name]]
    assert empty == [], "fill() writes no row of these tables: the round trip would not test them"
    copied = everything(target)
    for name in owned:
        assert copied[name] == mine[name], f"{name} differs after the copy"
    for name in NOBODYS:
        assert copied[name] == [], f"{name} belongs to nobody and must not be copied"
    assert report.rows == {name: len(mine[name]) for name in owned}


def _check_it_works(src: Source, target: Engine) -> None:
    here = PostService(src.engine, src.user_id, src.media_dir)
    there = PostService(target, src.user_id, src.media_dir)
    assert [p.id for p in there.list()] == [p.id for p in here.list()]
    assert there.content(src.due) == here.content(src.due)
    with reading(target) as session:
        due = queries.get_posts_ready_to_publish(session, NOW + timedelta(days=1, minutes=1))
        assert [p.id for p in due] == [src.due]


def test_copy_to_postgresql_round_trip_row_by_row(source: Source, pg_url: str) -> None:
    report = _copy(source, pg_url)
    target, _ = prepare_database(pg_url)
    try:
        _check_round_trip(source, target, report)
        _check_it_works(source, target)
    finally:
        target.dispose()


def test_copy_to_another_sqlite_file_round_trip(source: Source, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'copy.db'}"
    report = _copy(source, url)
    target, _ = prepare_database(url)
    try:
        _check_round_trip(source, target, report)
        _check_it_works(source, target)
    finally:
        target.dispose()


def test_the_source_is_left_as_it_was(source: Source, tmp_path: Path) -> None:
    before = everything(source.engine)
    _copy(source, f"sqlite:///{tmp_path / 'copy.db'}")
    assert everything(source.engine) == before


# --- the media report ---------------------------------------------------------------------


def _expected_files(src: Source) -> set[Path]:
    service = PostService(src.engine, src.user_id, src.media_dir)
    files = {src.studio_image}
    with reading(src.engine) as session:
        posts = session.query(Post).filter(Post.user_id == src.user_id).all()
        for post in posts:
            files |= {service.media_path(m.path) for m in post.media}
            if post.link_thumbnail_path:
                files.add(service.media_path(post.link_thumbnail_path))
    return files


def test_the_report_names_every_media_file_and_which_are_gone(
    source: Source, tmp_path: Path
) -> None:
    expected = _expected_files(source)
    assert len(expected) == 6  # two photos, the deck, the clip, the thumbnail, the Studio's
    gone = sorted(expected)[0]
    gone.unlink()
    report = _copy(source, f"sqlite:///{tmp_path / 'copy.db'}")
    assert set(report.files) == expected  # Bob's photo is not among them
    assert report.missing == (gone,)
    text_report = "\n".join(report.lines())
    assert "These 6 files stay on this computer" in text_report
    assert all(str(f) in text_report for f in expected)
    assert f"{gone}  (no longer on this disk)" in text_report
    assert report.as_json()["files"] == [str(f) for f in sorted(expected)]
    assert report.as_json()["missing_files"] == [str(gone)]


# --- refusals: nothing written --------------------------------------------------------------


def test_a_second_copy_is_refused_and_writes_nothing(source: Source, pg_url: str) -> None:
    _copy(source, pg_url)
    target, _ = prepare_database(pg_url)
    try:
        before = everything(target)
        with pytest.raises(CopyRefusedError, match="already holds 9 posts of Ann Lee"):
            _copy(source, pg_url)
        assert everything(target) == before
    finally:
        target.dispose()


def test_the_person_there_without_posts_is_refused_too(source: Source, tmp_path: Path) -> None:
    """Copied once, then all of Ann's posts removed there: her person and settings remain."""
    url = f"sqlite:///{tmp_path / 'copy.db'}"
    _copy(source, url)
    target, _ = prepare_database(url)
    try:
        with transaction(target) as session:
            session.execute(text("DELETE FROM posts"))
        before = everything(target)
        with pytest.raises(CopyRefusedError, match="already holds the person of Ann Lee"):
            _copy(source, url)
        assert everything(target) == before
    finally:
        target.dispose()


def test_someone_else_with_the_same_email_is_refused(source: Source, pg_url: str) -> None:
    target, _ = prepare_database(pg_url)
    try:
        other = people.add_person(target, "ANN@example.com", "Another Ann")
        before = everything(target)
        with pytest.raises(CopyRefusedError) as refused:
            _copy(source, pg_url)
        words = str(refused.value)
        assert f"Another Ann <ANN@example.com> (id {other.id})" in words
        assert "Settings › Profile" in words and "users list" in words
        assert everything(target) == before
    finally:
        target.dispose()


def test_the_same_sqlite_file_is_refused(source: Source, tmp_path: Path) -> None:
    before = everything(source.engine)
    link = tmp_path / "same.db"
    link.symlink_to(tmp_path / "personal.db")
    for url in (source.url, f"sqlite:///{link}"):
        with pytest.raises(CopyRefusedError, match="this very database"):
            _copy(source, url)
    assert everything(source.engine) == before


def test_the_same_postgresql_database_is_refused(
    source: Source, pg_url: str, postgres_server: PostgresServer
) -> None:
    _copy(source, pg_url)
    shared, _ = prepare_database(pg_url)
    try:
        before = everything(shared)
        # Another spelling of the same address: the server's port said out loud.
        same = f"{pg_url}&port=5432"
        with pytest.raises(CopyRefusedError, match="this very database"):
            copy_person(shared, source.user_id, same, source.media_dir)
        assert everything(shared) == before
    finally:
        shared.dispose()


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_a_failure_half_way_leaves_the_target_unchanged(
    source: Source, kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The target holds someone else's file under the id of one of Ann's media rows: the copy
    meets it at the last table, with Ann's person, posts and history written, and all of it goes
    back."""
    assert [p.table.name for p in copy_plan()][-1] == "post_media"
    url = (
        request.getfixturevalue("pg_url") if kind == "postgresql" else f"sqlite:///{tmp_path}/t.db"
    )
    with reading(source.engine) as session:
        # Ann's: Bob's rows are not copied, so a clash with one of his would never be met.
        media_id = session.scalars(
            text("SELECT id FROM post_media WHERE user_id = :ann ORDER BY id DESC"),
            {"ann": source.user_id},
        ).first()
    target, _ = prepare_database(url)
    try:
        carol = people.add_person(target, "carol@example.com").id
        post = PostService(target, carol).add("Carol's").id
        with transaction(target) as session:
            session.execute(
                text(
                    "INSERT INTO post_media (id, post_id, user_id, position, kind, path, "
                    "created_at) VALUES (:id, :post, :user, 0, 'image', 'c.png', 0)"
                ),
                {"id": media_id, "post": post, "user": carol},
            )
        before = everything(target)
        with pytest.raises(CopyRefusedError, match="Nothing was copied"):
            _copy(source, url)
        assert everything(target) == before
    finally:
        target.dispose()


def test_an_unreachable_server_is_said_without_the_password(source: Source, tmp_path: Path) -> None:
    url = f"postgresql+psycopg://ann:s3cret-word@/linkie?host={tmp_path / 'no-server'}"
    with pytest.raises(DatabaseError, match="Cannot reach the database") as refused:
        _copy(source, url)
    assert "s3cret-word" not in str(refused.value)
    assert "ann:***@" in str(refused.value)


def test_a_person_no_longer_there_is_refused(source: Source, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no longer in the database"):
        copy_person(source.engine, "no-such-id", f"sqlite:///{tmp_path / 'c.db'}", tmp_path)


# --- which tables a copy takes ----------------------------------------------------------------


def test_every_table_is_copied_or_says_why_not() -> None:
    planned = [p.table.name for p in copy_plan()]
    assert set(UNOWNED_TABLES) == set(NOBODYS)
    assert set(planned) | set(NOBODYS) == set(Base.metadata.tables)
    assert set(planned).isdisjoint(NOBODYS)
    assert planned[0] == "users" and planned.index("posts") < planned.index("post_media")


def _schema_with(*extra: Table) -> MetaData:
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    for table in extra:
        table.to_metadata(metadata)
    return metadata


def test_a_new_child_table_without_a_user_column_is_copied_through_its_parent() -> None:
    notes = Table(
        "post_media_notes",
        MetaData(),
        Column("id", Text, primary_key=True),
        Column("media_id", Text, ForeignKey("post_media.id")),
    )
    metadata = _schema_with(notes)
    plan = {p.table.name: p for p in copy_plan(metadata)}
    where = str(plan["post_media_notes"].rows_of("u1").compile())
    assert "post_media_notes.media_id IN (SELECT post_media.id" in where
    assert "post_media.user_id" in where


def test_a_new_table_of_nobody_stops_the_copy_until_it_says_why() -> None:
    metadata = _schema_with(Table("loose", MetaData(), Column("id", Text, primary_key=True)))
    with pytest.raises(RuntimeError, match="The table loose belongs to no person"):
        copy_plan(metadata)
