"""LinkedIn's own per-post figures (memberCreatorPostAnalytics), fetched and cached hourly (no Qt).

Only for connections granted `r_member_postAnalytics`, which LinkedIn gives few apps. One GET per
metric per post (`q=entity`, `aggregation=TOTAL`); the answers are cached in
`post_linkedin_stats` and a post is asked about again only when its figures are an hour old.
Each pass measures at most `MAX_POSTS_PER_PASS` posts, the most recently published first, so a
long history is filled in over a few hours instead of in one burst of API calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import Engine

from linkie_desktop.config import Config
from linkie_desktop.db import queries, stats
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.types import utc_now
from linkie_desktop.services.linkedin import JSON_OK, LinkedInClient, LinkedInError, Rejected
from linkie_desktop.services.secrets import SecretStore, TokenCipher

REFRESH_EVERY = timedelta(hours=1)
MAX_POSTS_PER_PASS = 20
# LinkedIn's metric names -> our columns (db.stats.METRIC_COLUMNS).
METRICS: dict[str, str] = {
    "IMPRESSION": "impressions",
    "MEMBERS_REACHED": "members_reached",
    "REACTION": "reactions",
    "COMMENT": "comments",
    "RESHARE": "reshares",
}


class NotConnectedError(LinkedInError):
    """No stored LinkedIn token to ask with."""


def entity_parameter(post_urn: str) -> str:
    """Rest.li 2.0 form of the `entity` finder key: `(share:urn%3Ali%3Ashare%3A7…)`."""
    if post_urn.startswith("urn:li:share:"):
        kind = "share"
    elif post_urn.startswith("urn:li:ugcPost:"):
        kind = "ugc"
    else:
        raise ValueError(f"not a LinkedIn post URN: {post_urn!r}")
    return f"({kind}:{quote(post_urn, safe='')})"


class LinkedInAnalyticsClient(LinkedInClient):
    """The REST client, plus the member's post statistics."""

    def post_figures(self, post_urn: str) -> dict[str, int | None]:
        """{column name: LinkedIn's lifetime total}; None where LinkedIn reported nothing."""
        figures: dict[str, int | None] = {}
        for metric, column in METRICS.items():
            # Built by hand: the parentheses and colons of Rest.li syntax must not be escaped.
            query = (
                f"q=entity&entity={entity_parameter(post_urn)}&queryType={metric}&aggregation=TOTAL"
            )
            _, body = self._send(
                "GET",
                f"{self.api_base}/rest/memberCreatorPostAnalytics?{query}",
                what="Reading LinkedIn's figures for a post",
                expected=JSON_OK,
                headers=self._rest_headers() | {"Content-Type": "application/json"},
            )
            figures[column] = _total(body, metric)
        return figures


def _total(body: object, metric: str) -> int | None:
    elements = body.get("elements") if isinstance(body, dict) else None
    if not isinstance(elements, list):
        return None
    for element in elements:
        if not isinstance(element, dict):
            continue
        kind = element.get("metricType")
        if isinstance(
            kind, dict
        ):  # {"com.linkedin…CreatorPostAnalyticsMetricTypeV1": "IMPRESSION"}
            kind = next(iter(kind.values()), None)
        count = element.get("count")
        if kind == metric and isinstance(count, int) and not isinstance(count, bool):
            return count
    return None


@dataclass(frozen=True)
class RefreshOutcome:
    measured: int  # posts whose figures were stored in this pass
    more_waiting: bool  # posts beyond this pass's limit still need figures (next pass)


def refresh_post_figures(
    engine: Engine,
    user_id: str,
    client: LinkedInAnalyticsClient,
    now: datetime | None = None,
    limit: int = MAX_POSTS_PER_PASS,
) -> RefreshOutcome:
    """Ask LinkedIn about published posts whose cached figures are missing or an hour old.

    A post LinkedIn does not know (404: deleted on LinkedIn), or whose URN the statistics API does
    not take (an activity URN), is stored with empty figures, so it is not asked about again
    within the hour and does not block the others. Any other error stops the pass and is raised.
    """
    now = now or utc_now()
    with reading(engine) as session:
        due = stats.posts_needing_figures(session, user_id, now - REFRESH_EVERY, limit + 1)
    measured = 0
    for post in due[:limit]:
        try:
            figures = client.post_figures(post.urn)
        except Rejected as exc:
            if exc.status != 404:
                raise
            figures = {}
        except ValueError:  # e.g. an activity URN pasted by "Mark as published": not measurable
            figures = {}
        with transaction(engine) as session:
            stats.store_figures(session, user_id, post.post_id, figures, now)
        measured += 1
    return RefreshOutcome(measured=measured, more_waiting=len(due) > limit)


def stored_access_token(engine: Engine, user_id: str, store: SecretStore | None = None) -> str:
    """The user's LinkedIn access token, unsealed with the key in the OS keyring."""
    with reading(engine) as session:
        settings = queries.get_user_settings(session, user_id)
        sealed = settings.linkedin_access_token if settings is not None else None
    if not sealed:
        raise NotConnectedError("Linkie is not connected to LinkedIn.")
    return TokenCipher(store or SecretStore()).decrypt(sealed, "access_token")


def refresh_with_stored_token(
    engine: Engine,
    user_id: str,
    config: Config,
    version: str,
    token: Callable[[], str] | None = None,
) -> RefreshOutcome:
    """One refresh pass as the app runs it (in a worker thread): token, client, pass, close."""
    access_token = token() if token is not None else stored_access_token(engine, user_id)
    client = LinkedInAnalyticsClient(config.linkedin_api_base, version, access_token)
    try:
        return refresh_post_figures(engine, user_id, client)
    finally:
        client.close()
