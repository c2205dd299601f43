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


# A pass is three steps, so that only the database worker touches the database and a slow
# LinkedIn never holds it: read what to ask (database), ask (network), store what was heard
# (database).


@dataclass(frozen=True, repr=False)
class FiguresRequest:
    """What a pass asks LinkedIn about: read from the database, asked on the network."""

    posts: tuple[stats.PostToMeasure, ...]
    more_waiting: bool
    sealed_token: str | None  # unsealed on the network step (the keyring may be slow to answer)
    now: datetime

    def __repr__(self) -> str:  # the dataclass default would print the sealed token
        return f"FiguresRequest(posts={len(self.posts)}, more_waiting={self.more_waiting})"


@dataclass(frozen=True)
class HeardFigures:
    """LinkedIn's answers of one pass, for the database step to store."""

    figures: tuple[tuple[str, dict[str, int | None]], ...]  # (post id, figures) in asked order
    more_waiting: bool
    now: datetime
    # The error that ended the pass early: raised once what came before it is stored.
    stopped_by: LinkedInError | None = None


def figures_request(
    engine: Engine, user_id: str, now: datetime | None = None, limit: int = MAX_POSTS_PER_PASS
) -> FiguresRequest:
    """The database step before asking: published posts whose cached figures are missing or an
    hour old (at most `limit`), and the sealed access token to ask with."""
    now = now or utc_now()
    with reading(engine) as session:
        due = stats.posts_needing_figures(session, user_id, now - REFRESH_EVERY, limit + 1)
        settings = queries.get_user_settings(session, user_id)
        sealed = settings.linkedin_access_token if settings is not None else None
    return FiguresRequest(tuple(due[:limit]), len(due) > limit, sealed, now)


def ask_linkedin(request: FiguresRequest, client: LinkedInAnalyticsClient) -> HeardFigures:
    """The network step: LinkedIn's figures for each post of `request` (no database).

    A post LinkedIn does not know (404: deleted on LinkedIn), or whose URN the statistics API does
    not take (an activity URN), gets empty figures, so it is not asked about again within the hour
    and does not block the others. Any other error stops the pass (`stopped_by`).
    """
    heard: list[tuple[str, dict[str, int | None]]] = []
    stopped_by: LinkedInError | None = None
    for post in request.posts:
        try:
            figures = client.post_figures(post.urn)
        except Rejected as exc:
            if exc.status != 404:
                stopped_by = exc
                break
            figures = {}
        except ValueError:  # e.g. an activity URN pasted by "Mark as published": not measurable
            figures = {}
        except LinkedInError as exc:
            stopped_by = exc
            break
        heard.append((post.post_id, figures))
    return HeardFigures(tuple(heard), request.more_waiting, request.now, stopped_by)


def store_heard_figures(engine: Engine, user_id: str, heard: HeardFigures) -> RefreshOutcome:
    """The database step after asking: each post's figures in its own short write; then the
    error that stopped the pass, if one did, is raised."""
    for post_id, figures in heard.figures:
        with transaction(engine) as session:
            stats.store_figures(session, user_id, post_id, figures, heard.now)
    if heard.stopped_by is not None:
        raise heard.stopped_by
    return RefreshOutcome(measured=len(heard.figures), more_waiting=heard.more_waiting)


def refresh_post_figures(
    engine: Engine,
    user_id: str,
    client: LinkedInAnalyticsClient,
    now: datetime | None = None,
    limit: int = MAX_POSTS_PER_PASS,
) -> RefreshOutcome:
    """One whole pass in this thread (tests, scripts): the three steps one after the other."""
    request = figures_request(engine, user_id, now, limit)
    return store_heard_figures(engine, user_id, ask_linkedin(request, client))


def unseal_access_token(sealed: str | None, store: SecretStore | None = None) -> str:
    """The user's LinkedIn access token, unsealed with the key in the OS keyring."""
    if not sealed:
        raise NotConnectedError("Linkie is not connected to LinkedIn.")
    return TokenCipher(store or SecretStore()).decrypt(sealed, "access_token")


def ask_linkedin_with_stored_token(
    request: FiguresRequest,
    config: Config,
    version: str,
    token: Callable[[], str] | None = None,
) -> HeardFigures:
    """The network step as the app runs it (a network thread): token, client, asking, close."""
    access_token = token() if token is not None else unseal_access_token(request.sealed_token)
    client = LinkedInAnalyticsClient(config.linkedin_api_base, version, access_token)
    try:
        return ask_linkedin(request, client)
    finally:
        client.close()
