"""The people of one database (`users` rows) and which one a window or a command acts as (no Qt).

A personal database holds one person: Linkie acts as them, asked nothing. A database several
people share (a team on one PostgreSQL server) holds one row each; every window and command then
acts as one of them: the one `--user EMAIL` names, else the one Settings › Profile remembered on
this machine. Nobody is ever guessed: without either, the answer is a message saying how to choose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.errors import DatabaseError
from linkie_desktop.db.models import User
from linkie_desktop.domain.posts import ValidationError

MAX_NAME = 200
MAX_EMAIL = 254  # the longest address SMTP carries (RFC 5321)
# One @, something before it, a dotted domain after it, no spaces: what a typing slip breaks.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
HOW_TO_CHOOSE = "start Linkie with --user EMAIL, or choose in Settings › Profile"


class PersonChoiceError(DatabaseError):
    """Linkie can't tell who it acts as; the message says why and how to choose.

    A DatabaseError: the database can't be used until someone is chosen, and every place that
    opens one (the window's start-up dialog, the command line's one line) already says those
    in words."""


@dataclass(frozen=True)
class Person:
    id: str
    name: str | None
    email: str
    created_at: datetime

    @property
    def label(self) -> str:
        """'Ann Lee <ann@example.com>', or the address alone before a name is known."""
        return f"{self.name} <{self.email}>" if self.name else self.email

    @classmethod
    def of(cls, user: User) -> Person:
        return cls(user.id, user.name, user.email, user.created_at)


def _people(session: Session) -> list[Person]:
    # Times are whole seconds: people added within one are in the order of their addresses.
    rows = session.scalars(select(User).order_by(User.created_at, User.email, User.id))
    return [Person.of(user) for user in rows]


def list_people(engine: Engine) -> list[Person]:
    """Everyone in the database, the first added first."""
    with reading(engine) as session:
        return _people(session)


def get_person(engine: Engine, user_id: str) -> Person:
    with reading(engine) as session:
        user = session.get(User, user_id)
        if user is None:
            raise ValidationError("This person is no longer in the database.")
        return Person.of(user)


def _by_email(session: Session, email: str) -> User | None:
    # Addresses compare without regard to case: Ann@Example.com is ann@example.com.
    stmt = select(User).where(func.lower(User.email) == email.casefold()).order_by(User.created_at)
    return session.scalars(stmt.limit(1)).first()


def clean_email(text: str) -> str:
    """The address as stored, or ValidationError in words."""
    email = text.strip()
    if not email:
        raise ValidationError("Enter an email address.")
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise ValidationError(f"{email!r} is not an email address (like ann@example.com).")
    return email


def clean_name(text: str | None) -> str | None:
    """The name as stored (None when left empty), or ValidationError in words."""
    name = " ".join((text or "").split())
    if len(name) > MAX_NAME:
        raise ValidationError(f"A name holds at most {MAX_NAME} characters.")
    return name or None


def _refuse_taken(session: Session, email: str, user_id: str | None) -> None:
    other = _by_email(session, email)
    if other is not None and other.id != user_id:
        raise ValidationError(f"{other.email} is already someone in this database.")


def add_person(engine: Engine, email: str, name: str | None = None) -> Person:
    """A new person of this database; refused when the address is malformed or taken."""
    email, name = clean_email(email), clean_name(name)
    with transaction(engine) as session:
        _refuse_taken(session, email, None)
        user = User(email=email, name=name)
        session.add(user)
        session.flush()
        return Person.of(user)


def update_person(engine: Engine, user_id: str, *, name: str | None, email: str) -> Person:
    """Change this person's name and address (Settings › Profile); refused as add_person is."""
    email, name = clean_email(email), clean_name(name)
    with transaction(engine) as session:
        user = session.get(User, user_id)
        if user is None:
            raise ValidationError("This person is no longer in the database.")
        _refuse_taken(session, email, user_id)
        user.name, user.email = name, email
        session.flush()
        return Person.of(user)


def _listed(people: Sequence[Person]) -> str:
    shown = ", ".join(p.email for p in people[:5])
    return shown + (f" and {len(people) - 5} more" if len(people) > 5 else "")


def choose_person(session: Session, email: str | None, remembered: str | None) -> User:
    """Who this window or command acts as, in an open transaction (see `choose_user`)."""
    if email is not None:
        wanted = email.strip()
        found = _by_email(session, wanted) if wanted else None
        if found is None:
            raise PersonChoiceError(
                f"There is no one with the email {wanted!r} in this database. `linkie users "
                f"list` shows who is; `linkie users add {wanted or 'EMAIL'}` adds someone."
            )
        return found
    users = list(session.scalars(select(User).order_by(User.created_at, User.id).limit(2)))
    if not users:
        return queries.get_or_create_local_user(session)  # a new database's first person
    if len(users) == 1:
        return users[0]
    if remembered:
        found = _by_email(session, remembered)
        if found is not None:
            return found
    people = _people(session)
    forgotten = (
        f" The person chosen on this machine before ({remembered}) is not one of them."
        if remembered
        else ""
    )
    raise PersonChoiceError(
        f"This database holds {len(people)} people ({_listed(people)}), and Linkie doesn't "
        f"know which one you are.{forgotten} To choose, {HOW_TO_CHOOSE}."
    )


def choose_user(engine: Engine, email: str | None, remembered: str | None = None) -> str:
    """The id of the person a window or command acts as.

    `email`: `--user EMAIL`, which must name someone here (never creates anyone). Without it:
    the only person of the database (a new database gets its first, placeholder, one), else
    `remembered` (the address Settings › Profile saved) if it is someone here. Anything else
    raises PersonChoiceError with the way to choose; nothing is changed then.
    """
    with transaction(engine) as session:
        return choose_person(session, email, remembered).id
