"""LinkedIn's per-post figures: asked of the LinkedIn test server, cached, refreshed hourly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostLinkedInStats
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import Period, load_analytics
from linkie_desktop.services.linkedin import AuthExpired, Rejected
from linkie_desktop.services.linkedin_analytics import (
    LinkedInAnalyticsClient,
    entity_parameter,
    refresh_post_figures,
)
from tests.fakes.linkedin_server import ALL_SCOPES, ANALYTICS_SCOPE, FakeLinkedIn

NOW = datetime(2026, 11, 4, 11, 0, tzinfo=UTC)
VERSION = "202511"


def published(engine: Engine, user_id: str, urn: str | None, days_ago: int) -> str:
    with transaction(engine) as session:
        post = Post(
            user_id=user_id,
            content=f"Post {urn}",
            status=PostStatus.PUBLISHED,
            published_at=NOW - timedelta(days=days_ago),
            linkedin_post_urn=urn,
        )
        session.add(post)
        session.flush()
        return post.id


def client_for(server: FakeLinkedIn, scopes: tuple[str, ...]) -> LinkedInAnalyticsClient:
    return LinkedInAnalyticsClient(server.base_url, VERSION, server.issue_token(scopes))


def test_entity_parameter_is_restli_with_the_urn_encoded() -> None:
    assert entity_parameter("urn:li:share:7") == "(share:urn%3Ali%3Ashare%3A7)"
    assert entity_parameter("urn:li:ugcPost:9") == "(ugc:urn%3Ali%3AugcPost%3A9)"
    with pytest.raises(ValueError, match="not a LinkedIn post URN"):
        entity_parameter("urn:li:image:1")


def test_figures_are_fetched_per_metric_and_cached(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    linkedin_server.post_statistics["urn:li:share:1"] = {
        "IMPRESSION": 1200,
        "MEMBERS_REACHED": 800,
        "REACTION": 42,
        "COMMENT": 7,
        "RESHARE": 3,
    }
    linkedin_server.post_statistics["urn:li:ugcPost:2"] = {"IMPRESSION": 50}  # the rest unknown
    first = published(engine, user_id, "urn:li:share:1", days_ago=3)
    second = published(engine, user_id, "urn:li:ugcPost:2", days_ago=2)
    published(engine, user_id, None, days_ago=1)  # never reached LinkedIn: nothing to ask
    client = client_for(linkedin_server, (*ALL_SCOPES, ANALYTICS_SCOPE))

    outcome = refresh_post_figures(engine, user_id, client, now=NOW)
    client.close()

    assert (outcome.measured, outcome.more_waiting) == (2, False)
    requests = linkedin_server.requests_to("GET", "/rest/memberCreatorPostAnalytics")
    assert len(requests) == 10  # five metrics for each of the two posts
    assert {r.headers["linkedin-version"] for r in requests} == {VERSION}
    assert {r.headers["x-restli-protocol-version"] for r in requests} == {"2.0.0"}
    figures = load_analytics(engine, user_id, Period.FOUR_WEEKS, now=NOW, tz=UTC)
    by_post = {row.post_id: row for row in figures.linkedin}
    assert list(by_post) == [first, second]  # most impressions first
    assert (
        by_post[first].impressions,
        by_post[first].members_reached,
        by_post[first].reactions,
        by_post[first].comments,
        by_post[first].reshares,
    ) == (1200, 800, 42, 7, 3)
    assert by_post[second].impressions == 50
    assert by_post[second].reactions is None  # not reported is not zero
    assert figures.linkedin_fetched_at == NOW


def test_figures_are_asked_again_only_after_an_hour(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    linkedin_server.post_statistics["urn:li:share:1"] = {"IMPRESSION": 10}
    published(engine, user_id, "urn:li:share:1", days_ago=1)
    client = client_for(linkedin_server, (ANALYTICS_SCOPE,))

    refresh_post_figures(engine, user_id, client, now=NOW)
    linkedin_server.post_statistics["urn:li:share:1"] = {"IMPRESSION": 99}
    soon = refresh_post_figures(engine, user_id, client, now=NOW + timedelta(minutes=59))
    later = refresh_post_figures(engine, user_id, client, now=NOW + timedelta(minutes=61))
    client.close()

    assert (soon.measured, later.measured) == (0, 1)
    assert len(linkedin_server.requests_to("GET", "/rest/memberCreatorPostAnalytics")) == 10
    with transaction(engine) as session:
        assert session.scalar(select(PostLinkedInStats.impressions)) == 99


def test_a_pass_is_bounded_and_newest_posts_go_first(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    for number in range(5):
        linkedin_server.post_statistics[f"urn:li:share:{number}"] = {"IMPRESSION": number}
        published(engine, user_id, f"urn:li:share:{number}", days_ago=number + 1)
    client = client_for(linkedin_server, (ANALYTICS_SCOPE,))

    outcome = refresh_post_figures(engine, user_id, client, now=NOW, limit=2)
    client.close()

    assert (outcome.measured, outcome.more_waiting) == (2, True)
    with transaction(engine) as session:
        measured = set(session.scalars(select(PostLinkedInStats.impressions)))
    assert measured == {0, 1}  # the two most recently published


def test_a_post_deleted_on_linkedin_is_cached_empty(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    published(engine, user_id, "urn:li:share:404", days_ago=1)
    client = client_for(linkedin_server, (ANALYTICS_SCOPE,))

    outcome = refresh_post_figures(engine, user_id, client, now=NOW)
    client.close()

    assert outcome.measured == 1
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(PostLinkedInStats)) == 1
        assert session.scalar(select(PostLinkedInStats.impressions)) is None


def test_an_activity_urn_does_not_block_the_other_posts(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    # "Mark as published" keeps the URN of a pasted link, which may be an activity URN.
    published(engine, user_id, "urn:li:activity:7123", days_ago=1)
    older = published(engine, user_id, "urn:li:share:7001", days_ago=2)
    linkedin_server.post_statistics["urn:li:share:7001"] = {"IMPRESSION": 40}
    client = client_for(linkedin_server, (ANALYTICS_SCOPE,))

    outcome = refresh_post_figures(engine, user_id, client, now=NOW)
    client.close()

    assert outcome.measured == 2
    with transaction(engine) as session:
        stats = session.get(PostLinkedInStats, older)
        assert stats is not None and stats.impressions == 40


def test_without_the_permission_linkedin_refuses_and_nothing_is_cached(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    published(engine, user_id, "urn:li:share:1", days_ago=1)
    client = client_for(linkedin_server, ALL_SCOPES)

    with pytest.raises(Rejected) as refused:
        refresh_post_figures(engine, user_id, client, now=NOW)
    client.close()

    assert refused.value.status == 403
    assert ANALYTICS_SCOPE in str(refused.value)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(PostLinkedInStats)) == 0


def test_an_expired_token_stops_the_pass(
    engine: Engine, user_id: str, linkedin_server: FakeLinkedIn
) -> None:
    published(engine, user_id, "urn:li:share:1", days_ago=1)
    token = linkedin_server.issue_token((ANALYTICS_SCOPE,))
    linkedin_server.expire_token(token)
    client = LinkedInAnalyticsClient(linkedin_server.base_url, VERSION, token)

    with pytest.raises(AuthExpired):
        refresh_post_figures(engine, user_id, client, now=NOW)
    client.close()
