"""Who a window or command acts as (services/people.choose_user), on each database Linkie uses."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from linkie_desktop.db.engine import reading
from linkie_desktop.db.models import User
from linkie_desktop.db.queries import LOCAL_USER_EMAIL
from linkie_desktop.services.people import PersonChoiceError, add_person, choose_user, list_people


def count_people(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def test_a_new_database_gets_its_first_person(engine: Engine) -> None:
    user_id = choose_user(engine, None)
    [me] = list_people(engine)
    assert (me.id, me.email) == (user_id, LOCAL_USER_EMAIL)
    assert choose_user(engine, None) == user_id  # and keeps it


def test_an_address_never_creates_anyone(engine: Engine) -> None:
    with pytest.raises(PersonChoiceError, match=r"no one with the email 'ann@example\.com'"):
        choose_user(engine, "ann@example.com")
    assert count_people(engine) == 0


def test_the_only_person_is_chosen_whatever_was_remembered(engine: Engine) -> None:
    ann = add_person(engine, "ann@example.com")
    assert choose_user(engine, None, "someone.else@example.com") == ann.id


def test_with_several_people_the_address_or_the_remembered_one_decides(engine: Engine) -> None:
    ann = add_person(engine, "Ann@Example.com", "Ann")
    bob = add_person(engine, "bob@example.com")
    assert choose_user(engine, "ann@example.COM") == ann.id  # addresses ignore case
    assert choose_user(engine, " bob@example.com ") == bob.id
    assert choose_user(engine, None, "ANN@example.com") == ann.id
    assert choose_user(engine, "bob@example.com", "ann@example.com") == bob.id  # --user wins
    with pytest.raises(PersonChoiceError) as none_chosen:
        choose_user(engine, None, None)
    words = str(none_chosen.value)
    assert "2 people (Ann@Example.com, bob@example.com)" in words
    assert "--user EMAIL" in words and "Settings › Profile" in words
    with pytest.raises(PersonChoiceError, match=r"before \(gone@example\.com\)"):
        choose_user(engine, None, "gone@example.com")
    assert count_people(engine) == 2
