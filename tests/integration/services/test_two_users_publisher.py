"""One database, two people, each with a token key in the keyring of their own machine: the
publisher sends each person's posts with that person's token (the LinkedIn test server refuses a
post whose author is not the token's member), and a person whose key is not on this machine
waits, with the reason in the post and its history, while the others' posts go out."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus, Post
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity
from linkie_desktop.services.activity import EventKind
from linkie_desktop.services.publisher import (
    Outcome,
    PublisherConfig,
    key_not_here,
    keyring_tokens,
    run_once,
)
from linkie_desktop.services.secrets import (
    CIPHER_PREFIX,
    SecretName,
    SecretStore,
    TokenCipher,
    token_key_entry,
)
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW

SERVICE = "linkie-desktop"


@dataclass
class Person:
    user_id: str
    sub: str
    token: str


def connect(engine: Engine, server: FakeLinkedIn, user_id: str, sub: str, sealed: str) -> None:
    with transaction(engine) as session:
        queries.upsert_user_settings(
            session,
            user_id,
            {
                "linkedin_oauth_status": OAuthStatus.CONNECTED,
                "linkedin_connected": 1,
                "linkedin_person_urn": f"urn:li:person:{sub}",
                "linkedin_access_token": sealed,
                "linkedin_token_expires_at": NOW + timedelta(days=60),
            },
        )


def person(
    engine: Engine, server: FakeLinkedIn, user_id: str, sub: str, store: SecretStore
) -> Person:
    """A member of LinkedIn `sub`, connected as the OAuth flow does: sealed with their key."""
    server.profile["sub"] = sub
    token = server.issue_token()
    sealed = TokenCipher(store).encrypt(token, "access_token")
    connect(engine, server, user_id, sub, sealed)
    return Person(user_id, sub, token)


def due_post(engine: Engine, user_id: str, content: str) -> str:
    with transaction(engine) as session:
        post = queries.create_post(
            session,
            {
                "user_id": user_id,
                "content": content,
                "status": PostStatus.SCHEDULED,
                "scheduled_at": NOW - timedelta(minutes=1),
            },
        )
        return post.id


def post_row(engine: Engine, post_id: str) -> Post:
    with transaction(engine) as session:
        post = session.get(Post, post_id)
        assert post is not None
        session.expunge(post)
        return post


@pytest.fixture
def config(linkedin_server: FakeLinkedIn) -> PublisherConfig:
    return PublisherConfig(
        api_base=linkedin_server.base_url, linkedin_version="202511", request_deadline_s=2.0
    )


@pytest.fixture
def people(
    engine: Engine,
    user_id: str,
    other_user_id: str,
    linkedin_server: FakeLinkedIn,
    memory_keyring: MemoryKeyring,
) -> Iterator[tuple[Person, Person]]:
    a = person(engine, linkedin_server, user_id, "member-a", SecretStore(user_id=user_id))
    b = person(
        engine, linkedin_server, other_user_id, "member-b", SecretStore(user_id=other_user_id)
    )
    yield a, b


def test_each_persons_post_goes_out_with_their_own_token(
    engine: Engine,
    people: tuple[Person, Person],
    linkedin_server: FakeLinkedIn,
    config: PublisherConfig,
) -> None:
    a, b = people
    post_a = due_post(engine, a.user_id, "From A")
    post_b = due_post(engine, b.user_id, "From B")
    result = run_once(engine, keyring_tokens(), config, now=NOW)
    assert {r.post_id: r.outcome for r in result.results} == {
        post_a: Outcome.PUBLISHED,
        post_b: Outcome.PUBLISHED,
    }
    authors = {p.commentary: p.author for p in linkedin_server.posts}
    assert authors == {"From A": "urn:li:person:member-a", "From B": "urn:li:person:member-b"}


def test_a_person_whose_key_is_elsewhere_waits_and_the_others_go_out(
    engine: Engine,
    people: tuple[Person, Person],
    linkedin_server: FakeLinkedIn,
    config: PublisherConfig,
    memory_keyring: MemoryKeyring,
) -> None:
    a, b = people
    keys = dict(memory_keyring.entries)
    # A's machine: B's key stays in B's keyring.
    del memory_keyring.entries[(SERVICE, token_key_entry(b.user_id))]
    post_a = due_post(engine, a.user_id, "From A")
    post_b = due_post(engine, b.user_id, "From B")
    result = run_once(engine, keyring_tokens(), config, now=NOW)
    outcomes = {r.post_id: (r.outcome, r.detail) for r in result.results}
    assert outcomes[post_a][0] is Outcome.PUBLISHED
    assert outcomes[post_b] == (Outcome.WAITING, key_not_here())
    assert [p.commentary for p in linkedin_server.posts] == ["From A"]
    waiting = post_row(engine, post_b)
    assert waiting.status == PostStatus.SCHEDULED and waiting.retry_count == 0
    assert waiting.error_message == key_not_here()
    assert "this person's LinkedIn key is not on this machine" in key_not_here()
    [event] = activity.for_post(engine, b.user_id, post_b)
    assert (event.kind, event.detail) == (EventKind.WAITING, key_not_here())
    # A's history does not hold B's post, nor B's A's.
    assert activity.for_post(engine, a.user_id, post_b) == []

    # B's machine (B's key, not A's): B's post goes out there, with B's token.
    memory_keyring.entries.clear()
    memory_keyring.entries[(SERVICE, token_key_entry(b.user_id))] = keys[
        (SERVICE, token_key_entry(b.user_id))
    ]
    later = run_once(engine, keyring_tokens(), config, now=NOW + timedelta(minutes=1))
    assert [(r.post_id, r.outcome) for r in later.results] == [(post_b, Outcome.PUBLISHED)]
    assert linkedin_server.posts[-1].author == "urn:li:person:member-b"
    assert post_row(engine, post_b).status == PostStatus.PUBLISHED


def test_an_existing_install_keeps_its_connection_after_the_upgrade(
    engine: Engine,
    user_id: str,
    other_user_id: str,
    linkedin_server: FakeLinkedIn,
    config: PublisherConfig,
    memory_keyring: MemoryKeyring,
) -> None:
    # The database's local user connected with the version before per-user keys: the one key
    # `oauth-token-key` of the OS user, `enc:v1:` ciphertext (written here as that code did).
    linkedin_server.profile["sub"] = "member-old"
    token = linkedin_server.issue_token()
    key = AESGCM.generate_key(bit_length=256)
    memory_keyring.entries[(SERVICE, SecretName.TOKEN_DATA_KEY.value)] = base64.b64encode(
        key
    ).decode()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, token.encode(), b"access_token")
    old = CIPHER_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()
    connect(engine, linkedin_server, user_id, "member-old", old)
    post_id = due_post(engine, user_id, "Still connected")
    result = run_once(engine, keyring_tokens(), config, now=NOW)
    assert [(r.post_id, r.outcome) for r in result.results] == [(post_id, Outcome.PUBLISHED)]
    assert linkedin_server.posts[0].author == "urn:li:person:member-old"


@pytest.mark.keyring
def test_two_people_on_the_real_secret_service(
    engine: Engine,
    user_id: str,
    other_user_id: str,
    linkedin_server: FakeLinkedIn,
    config: PublisherConfig,
    real_keyring_store: SecretStore,
) -> None:
    service = real_keyring_store.service
    a = person(engine, linkedin_server, user_id, "member-a", SecretStore(service, user_id=user_id))
    b_store = SecretStore(service, user_id=other_user_id)
    b = person(engine, linkedin_server, other_user_id, "member-b", b_store)
    entries = {token_key_entry(a.user_id), token_key_entry(b.user_id)}
    assert all(real_keyring_store.get_entry(e) is not None for e in entries)
    TokenCipher(b_store).forget_key()  # this machine is A's
    post_a = due_post(engine, a.user_id, "From A")
    post_b = due_post(engine, b.user_id, "From B")
    try:
        result = run_once(engine, keyring_tokens(real_keyring_store), config, now=NOW)
    finally:
        real_keyring_store.delete_entry(token_key_entry(a.user_id))
    outcomes = {r.post_id: r.outcome for r in result.results}
    assert outcomes == {post_a: Outcome.PUBLISHED, post_b: Outcome.WAITING}
    assert post_row(engine, post_b).error_message == key_not_here()
