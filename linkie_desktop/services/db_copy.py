"""`linkie db copy --to URL`: one person's rows of this database copied into another one (a
PostgreSQL database several people share, or another SQLite file), no Qt.

Every row that belongs to the person goes, in every table of the schema, with its id and its
stored values exactly as they are: timestamps as stored, LinkedIn tokens as the ciphertext they
are (sealed under the person's own keyring key, services/secrets.py, so the shared database never
holds a usable token). Which rows belong to the person is read from the schema itself (a table
keyed by the user, or a child of such a table), so a table added later is copied without a
change here; a table that belongs to nobody must say why in UNOWNED_TABLES, or the copy refuses
to run rather than leave it behind silently.

The target is brought to this version's schema first, then written in one transaction: a
refusal or a failure half-way leaves it as it was. The media files stay on this machine's disk
(a database holds only their names): the report lists them for the user to copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Column,
    Connection,
    Dialect,
    Engine,
    MetaData,
    Row,
    Table,
    func,
    insert,
    select,
    text,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine

from linkie_desktop.db.engine import reading
from linkie_desktop.db.errors import DatabaseError, database_problem
from linkie_desktop.db.migrate import prepare_database, shown_url, sqlite_path
from linkie_desktop.db.models import Base, Post, User
from linkie_desktop.db.queries import stored_media_paths
from linkie_desktop.domain.post_content import media_file
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.people import Person, PersonChoiceError, choose_person

# Tables whose rows belong to no person, so no person's copy takes them. (alembic_version is
# not in the models at all: the target keeps its own stamp, written by prepare_database.)
UNOWNED_TABLES = {
    # A running publisher's heartbeat on this machine's database: in another database it would
    # claim a publisher that is not there; the publishers of that database write their own.
    "publisher_presence": "the heartbeats of the publishers running on this database",
    # The web app's email sign-in tokens (Auth.js): keyed by an address, short-lived, unused
    # by the desktop.
    "verificationTokens": "the web app's short-lived sign-in tokens, keyed by address",
}
USERS_TABLE = "users"
_BATCH = 1000  # rows read and written at a time: a 100,000-post database never sits in memory

RowsOf = Callable[[str], ColumnElement[bool]]


class CopyRefusedError(DatabaseError):
    """The copy would clash with what the target holds (or is the database itself); nothing
    was written. The message says why and what to do."""


@dataclass(frozen=True)
class TablePlan:
    """One table the copy takes, and which of its rows are a person's."""

    table: Table
    rows_of: RowsOf


def copy_plan(metadata: MetaData = Base.metadata) -> list[TablePlan]:
    """The tables a person's copy takes, parents before children (foreign-key order).

    A table is a person's when a column refers to users.id (their rows are the person's), or,
    failing that, when it refers to a table that is (posts' children: the rows of the person's
    posts). A table that is neither must be in UNOWNED_TABLES with its reason: a new table
    never goes missing from a copy without anyone deciding so.
    """
    plans: dict[str, TablePlan] = {}
    for table in metadata.sorted_tables:
        if table.name in UNOWNED_TABLES:
            continue
        rows_of = _rows_of(table, plans)
        if rows_of is None:
            raise RuntimeError(
                f"The table {table.name} belongs to no person: say in db_copy.UNOWNED_TABLES "
                "why a copy leaves it behind, or give it a user_id."
            )
        plans[table.name] = TablePlan(table, rows_of)
    return list(plans.values())


def _rows_of(table: Table, owned: dict[str, TablePlan]) -> RowsOf | None:
    if table.name == USERS_TABLE:
        key = table.c.id
        return lambda user_id: key == user_id
    keys = sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
    for fk in keys:
        if fk.column.table.name == USERS_TABLE:
            column = fk.parent
            return lambda user_id: column == user_id
    for fk in keys:
        parent = owned.get(fk.column.table.name)
        if parent is not None:
            column, referred, parent_rows = fk.parent, fk.column, parent.rows_of
            return lambda user_id: column.in_(select(referred).where(parent_rows(user_id)))
    return None


@dataclass(frozen=True)
class CopyReport:
    """What a copy wrote, and the files it could not take along."""

    target: str  # the target's address as it may be shown (no password)
    person: str  # whose rows: 'Ann Lee <ann@example.com>'
    rows: dict[str, int]  # table -> rows copied, in the order they were written
    files: tuple[Path, ...]  # the media files the copied rows name, on this machine's disk
    missing: tuple[Path, ...]  # of those, the ones already gone from the disk
    media_dir: Path

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "person": self.person,
            "rows": self.rows,
            "files": [str(f) for f in self.files],
            "missing_files": [str(f) for f in self.missing],
            "media_dir": str(self.media_dir),
        }

    def lines(self) -> list[str]:
        """The report in plain words, one line each."""
        out = [f"Copied {self.total} rows of {self.person} to {self.target}:"]
        out += [f"  {name}: {count}" for name, count in self.rows.items()]
        if not self.files:
            out.append("The copied posts use no media files.")
            return out
        count = len(self.files)
        these = "This file stays" if count == 1 else f"These {count} files stay"
        out.append(
            f"{these} on this computer (a database holds only their names): copy "
            f"{'it' if count == 1 else 'them'} into the media folder of every computer that "
            f"opens {self.target} (here: {self.media_dir}):"
        )
        gone = set(self.missing)
        out += [f"  {f}{'  (no longer on this disk)' if f in gone else ''}" for f in self.files]
        return out


def copy_person(source: Engine, user_id: str, target_url: str, media_dir: Path) -> CopyReport:
    """Copy the person `user_id` of `source` (at this version's schema) with every row that is
    theirs into the database at `target_url`, upgraded to this version's schema first.

    Refused with CopyRefusedError, the target unchanged: the target is the source itself; it
    already holds this person's rows (copied before); someone else there has their email. An
    unreachable target raises prepare_database's DatabaseError as it is.
    """
    plan = copy_plan()
    shown = shown_url(target_url)
    if _same_file(source, target_url):
        raise CopyRefusedError(f"{shown} is this very database: choose another one to copy to.")
    target, _migration = prepare_database(target_url)
    try:
        with reading(source) as snapshot:
            src = snapshot.connection()
            person = _person(snapshot, user_id)
            try:
                with target.begin() as dst:
                    if _same_server_database(src, dst):
                        raise CopyRefusedError(
                            f"{shown} is this very database: choose another one to copy to."
                        )
                    _refuse_clashes(dst, plan, person, shown)
                    rows = {p.table.name: _copy_rows(src, dst, p, user_id) for p in plan}
            except IntegrityError as exc:
                raise CopyRefusedError(
                    f"Nothing was copied: {shown} already holds a row with one of the same ids "
                    f"or names ({_first_line(exc)})."
                ) from None
            except SQLAlchemyError as exc:
                known = database_problem(exc, sqlite_path(target_url))
                raise known or DatabaseError(
                    f"Nothing was copied to {shown}: the copy failed ({_first_line(exc)})."
                ) from exc
            named = stored_media_paths(snapshot, user_id)
            files = tuple(sorted({media_file(media_dir, stored) for stored in named}))
    finally:
        target.dispose()
    return CopyReport(
        target=shown,
        person=person.label,
        rows=rows,
        files=files,
        missing=tuple(f for f in files if not f.is_file()),
        media_dir=media_dir,
    )


def _first_line(exc: BaseException) -> str:
    words = str(getattr(exc, "orig", None) or exc)
    return words.splitlines()[0] if words else type(exc).__name__


def _person(snapshot: Session, user_id: str) -> Person:
    user = snapshot.get(User, user_id)
    if user is None:
        raise ValidationError("This person is no longer in the database.")
    return Person.of(user)


def _same_file(source: Engine, target_url: str) -> bool:
    mine = sqlite_path(source.url.render_as_string(hide_password=False))
    theirs = sqlite_path(target_url)
    if mine is None or theirs is None:
        return False
    try:
        return mine.samefile(theirs)
    except OSError:  # the target does not exist yet: a new file
        return False


def _same_server_database(src: Connection, dst: Connection) -> bool:
    """Two addresses of one PostgreSQL database (a host name and its IP, a socket and a port):
    the target sees the source's own connection among its database's sessions. Each Linkie
    engine names its connections (db/engine.py), so another server's backend of the same
    process id can't pass for it."""
    if src.dialect.name != "postgresql" or dst.dialect.name != "postgresql":
        return False
    pid = src.scalar(text("SELECT pg_backend_pid()"))
    name = src.scalar(text("SELECT current_setting('application_name')"))
    seen = dst.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid AND application_name = :name "
            "AND datname = current_database()"
        ),
        {"pid": pid, "name": name},
    )
    return bool(seen)


def _refuse_clashes(dst: Connection, plan: Sequence[TablePlan], person: Person, shown: str) -> None:
    posts = dst.scalar(select(func.count()).select_from(Post).where(Post.user_id == person.id))
    held = posts or sum(
        dst.scalar(select(func.count()).select_from(p.table).where(p.rows_of(person.id))) or 0
        for p in plan
    )
    if held:
        what = f"{posts} post{'' if posts == 1 else 's'}" if posts else "the person"
        raise CopyRefusedError(
            f"{shown} already holds {what} of {person.label} (id {person.id}): they were copied "
            f"there before. Nothing was copied; to work there, start Linkie with --db on that "
            f"database and --user {person.email}."
        )
    other = _holder_of(dst, person.email)
    if other is not None:
        raise CopyRefusedError(
            f"{shown} already has someone else with the email {person.email}: "
            f"{other.label} (id {other.id}). Nothing was copied. Give yourself another email "
            "in Settings › Profile, then copy again (`linkie --db <that database> users list` "
            "shows who is there)."
        )


def _holder_of(dst: Connection, email: str) -> Person | None:
    """The target's person with this email (compared as people.py compares addresses)."""
    with Session(bind=dst) as session:
        try:
            return Person.of(choose_person(session, email, None))
        except PersonChoiceError:  # nobody there has it
            return None


def _copy_rows(src: Connection, dst: Connection, plan: TablePlan, user_id: str) -> int:
    table = plan.table
    columns = [type_coerce(c, _stored_type(c.type, src.dialect)).label(c.key) for c in table.c]
    stmt = select(*columns).where(plan.rows_of(user_id)).order_by(*table.primary_key.columns)
    # stream_results: PostgreSQL reads through a server-side cursor, not everything at once.
    result = src.execute(stmt, execution_options={"stream_results": True, "yield_per": _BATCH})
    write = _copy_in if dst.dialect.name == "postgresql" else _insert
    copied = 0
    for batch in result.partitions():
        write(dst, table, batch)
        copied += len(batch)
    return copied


def _insert(dst: Connection, table: Table, rows: Sequence[Row[Any]]) -> None:
    dst.execute(insert(_as_stored(table, dst.dialect)), [row._asdict() for row in rows])


def _copy_in(dst: Connection, table: Table, rows: Sequence[Row[Any]]) -> None:
    """PostgreSQL's COPY: three times as fast as INSERTs here, and the copy holds the shared
    database's write lock (db/engine.py) while it runs: everyone else's saves wait for it."""
    import psycopg

    quote = dst.dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in table.c)  # the order the rows were read in
    sql = f"COPY {quote(table.name)} ({names}) FROM STDIN"
    raw = cast("psycopg.Connection[Any]", dst.connection.driver_connection)
    try:
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row))
    except psycopg.Error as exc:
        # As SQLAlchemy words the INSERTs' failures (an IntegrityError for a clash), so both
        # databases' failures are told apart and said the same way.
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc


def _stored_type(kind: TypeEngine[Any], dialect: Dialect) -> TypeEngine[Any]:
    """A decorated column's type as this database stores it (UTCSeconds: the Unix seconds as
    BIGINT on PostgreSQL, not the datetime they decode to): values cross as stored, never
    decoded and encoded again."""
    return kind.load_dialect_impl(dialect) if isinstance(kind, TypeDecorator) else kind


def _as_stored(table: Table, dialect: Dialect) -> Table:
    """The same table, its columns typed as stored, to insert the values read as stored."""
    columns = [Column(c.name, _stored_type(c.type, dialect), key=c.key) for c in table.c]
    return Table(table.name, MetaData(), *columns)
