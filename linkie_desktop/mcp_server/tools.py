"""What an agent can do with Linkie: each tool one method, on the services the window and the CLI
use, so every rule (limits, statuses, times, the one publisher) is theirs.

No MCP here: the methods raise the domain's own errors (ValidationError and the like) and
server.py turns them into tool errors. Their type hints are the tools' JSON schemas and their
docstrings the descriptions the agent reads, so both are written for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

# Not typing's: pydantic reads a typing.TypedDict nested in another only from Python 3.12.
from typing_extensions import TypedDict

from linkie_desktop.cli_linkedin import status_as_json
from linkie_desktop.domain.fold import DESKTOP, split_at_fold
from linkie_desktop.domain.little_text import reader_length, reader_text, to_little_text
from linkie_desktop.domain.post_content import parse_visibility
from linkie_desktop.domain.posts import (
    MAX_CONTENT_CHARS,
    ValidationError,
    display_title,
    validate_content,
)
from linkie_desktop.domain.schedule import parse_when, text_problem
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.analytics import Period, linkedin_figures_note, load_analytics
from linkie_desktop.services.oauth import connection_status
from linkie_desktop.services.post_json import post_as_json
from linkie_desktop.services.posts import PostQuery, PostService
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.publisher import (
    PublisherConfig,
    keyring_tokens,
    run_once,
    schedule_now,
)
from linkie_desktop.services.slots import SlotService
from linkie_desktop.services.workspace import Workspace

MAX_LIST_LIMIT = 200
_WEEKS = [str(p.weeks) for p in Period]
_PERIOD_WEEKS = f"{', '.join(_WEEKS[:-1])} or {_WEEKS[-1]}"

PostId = Annotated[str, Field(description="The post's id, as list_posts or create_draft gave it.")]
Content = Annotated[
    str,
    Field(
        description=(
            f"The post's text, as the member types it (at most {MAX_CONTENT_CHARS} characters). "
            "#word is a hashtag; a mention is @[Name](urn:li:person:…). Linkie escapes the rest "
            "for LinkedIn."
        )
    ),
]
Title = Annotated[
    str | None, Field(description="A title for Linkie's lists only; LinkedIn never shows it.")
]
FirstComment = Annotated[
    str | None,
    Field(description="Plain text Linkie comments on the post right after publishing it."),
]
VisibilityText = Annotated[
    str | None,
    Field(description="public or connections (default: the user's Settings › Posting)."),
]


class PostListItem(TypedDict):
    id: str
    label: str  # the title, else the first line of the text
    status: str
    scheduled_at: str | None
    updated_at: str
    snippet: str


class PostList(TypedDict):
    posts: list[PostListItem]
    total: int  # how many posts match, beyond `limit` too


class Preview(TypedDict):
    characters: int
    limit: int
    fold_text: str
    sent_text: str
    warnings: list[str]


class Deleted(TypedDict):
    id: str
    deleted: bool


class WeekPosts(TypedDict):
    monday: str
    posts: int


class FailureReason(TypedDict):
    reason: str
    posts: int


class Analytics(TypedDict):
    period: str
    start: str
    end: str
    published: int
    failed: int
    success_rate: float | None
    weeks: list[WeekPosts]
    failure_reasons: list[FailureReason]
    average_length: float | None
    hooks_above_fold: int
    streak_weeks: int
    linkedin_figures: list[dict[str, Any]]
    linkedin_note: str


class Published(TypedDict):
    id: str
    outcome: str  # published, retry, failed, waiting; or sending (another Linkie took it)
    detail: str
    urn: str | None
    post: dict[str, Any]


class SlotList(TypedDict):
    slots: list[dict[str, str]]
    queue: list[dict[str, str]]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class LinkieTools:
    workspace: Workspace

    def _posts(self) -> PostService:
        ws = self.workspace
        return PostService(
            ws.engine,
            ws.user_id,
            ws.config.media_dir,
            preferences=lambda: load_preferences(ws.config.data_dir),
        )

    def _post(self, service: PostService, post_id: str) -> dict[str, Any]:
        return post_as_json(service.get(post_id), service)

    # --- reading ----------------------------------------------------------------------------

    def list_posts(
        self,
        status: Annotated[
            PostStatus | None, Field(description="Only posts in this status (default: all).")
        ] = None,
        query: Annotated[
            str | None, Field(description="Only posts whose title or text holds these words.")
        ] = None,
        limit: Annotated[int, Field(ge=1, le=MAX_LIST_LIMIT)] = 50,
    ) -> PostList:
        """The user's posts, most recently changed first: id, label, status, scheduled time (UTC)
        and the text's first characters. get_post reads one whole."""
        service = self._posts()
        wanted = PostQuery(statuses=(status,) if status else None, search=query or "")
        rows = service.page(wanted, 0, limit)
        return {
            "posts": [
                {
                    "id": row.id,
                    "label": display_title(row.title, row.snippet),
                    "status": row.status,
                    "scheduled_at": _iso(row.scheduled_at),
                    "updated_at": row.updated_at.isoformat(),
                    "snippet": row.snippet,
                }
                for row in rows
            ],
            "total": service.count(wanted),
        }

    def get_post(self, id: PostId) -> dict[str, Any]:
        """One post whole, as `linkie posts list --json` shows it: text, title, status, times
        (UTC), visibility, media, poll, link card, first comment and any error."""
        return self._post(self._posts(), id)

    def preview_post(
        self,
        id: Annotated[str | None, Field(description="A saved post to preview.")] = None,
        content: Annotated[str | None, Field(description="Or a text not saved yet.")] = None,
    ) -> Preview:
        """How a text will look on LinkedIn, without saving anything: its length as LinkedIn
        counts it (a mention counts its name) against the limit; fold_text, what the desktop
        feed shows before "…see more" (estimated: LinkedIn publishes no rule); sent_text, the
        commentary exactly as Linkie will send it (hashtags as {hashtag|\\#|word}, reserved
        characters escaped); warnings, why it could not be scheduled or published as it is."""
        if (id is None) == (content is None):
            raise ValidationError("Give either id (a saved post) or content (a text), not both.")
        text = content if content is not None else self._posts().get(str(id)).content
        problem = text_problem(text)  # the rule the calendar, the actions and the publisher ask
        shown, _hidden = split_at_fold(reader_text(text), DESKTOP)
        return {
            "characters": reader_length(text),
            "limit": MAX_CONTENT_CHARS,
            "fold_text": shown,
            "sent_text": to_little_text(text),
            "warnings": [problem] if problem else [],
        }

    def get_analytics(
        self,
        weeks: Annotated[int, Field(description=f"The period: {_PERIOD_WEEKS} weeks.")] = 12,
    ) -> Analytics:
        """The Analytics tab's figures for the last `weeks` weeks, in the user's local time:
        posts published per week (weeks start on Monday), failures and their reasons, average
        length, how many posts' first line showed before the fold, the posting streak, and
        LinkedIn's own per-post figures when the connection may read them."""
        period = next((p for p in Period if p.weeks == weeks), None)
        if period is None:
            raise ValidationError(f"weeks is {_PERIOD_WEEKS}, not {weeks}.")
        ws = self.workspace
        figures = load_analytics(ws.engine, ws.user_id, period)
        return {
            "period": period.label,
            "start": figures.start.isoformat(),
            "end": figures.end.isoformat(),
            "published": figures.published,
            "failed": figures.outcomes.failed,
            "success_rate": figures.outcomes.success_rate,
            "weeks": [{"monday": b.monday.isoformat(), "posts": b.posts} for b in figures.weeks],
            "failure_reasons": [{"reason": r, "posts": n} for r, n in figures.failure_reasons],
            "average_length": figures.writing.average_length,
            "hooks_above_fold": figures.writing.hooks_above_fold,
            "streak_weeks": figures.streak_weeks,
            "linkedin_figures": [
                {
                    "post_id": f.post_id,
                    "title": display_title(f.title, f.snippet),
                    "published_at": _iso(f.published_at),
                    "impressions": f.impressions,
                    "members_reached": f.members_reached,
                    "reactions": f.reactions,
                    "comments": f.comments,
                    "reshares": f.reshares,
                }
                for f in figures.linkedin
            ],
            "linkedin_note": linkedin_figures_note(figures.connection),
        }

    def connection_status(self) -> dict[str, Any]:
        """Whether Linkie is connected to LinkedIn (connected, expired or disconnected), as whom,
        and the days until the connection expires. Publishing needs it connected."""
        info = connection_status(self.workspace.engine, self.workspace.user_id)
        return {**status_as_json(info), "summary": info.summary()}

    # --- drafting ---------------------------------------------------------------------------

    def create_draft(
        self,
        content: Content,
        title: Title = None,
        first_comment: FirstComment = None,
        visibility: VisibilityText = None,
    ) -> dict[str, Any]:
        """A new draft in Linkie (not scheduled, not sent). The text must be one LinkedIn would
        take: not empty, within the limit. Returns the post as get_post does."""
        service = self._posts()
        chosen = parse_visibility(visibility) if visibility is not None else None
        post = service.add(content, title=title, visibility=chosen, first_comment=first_comment)
        return self._post(service, post.id)

    def update_post(
        self,
        id: PostId,
        content: Annotated[str | None, Field(description="The new text (as create_draft).")] = None,
        title: Annotated[str | None, Field(description='The new title; "" removes it.')] = None,
        first_comment: Annotated[
            str | None, Field(description='The new first comment; "" removes it.')
        ] = None,
        visibility: VisibilityText = None,
    ) -> dict[str, Any]:
        """Change a draft, scheduled or failed post; what is left out stays as it is. A scheduled
        post keeps its time. Published posts cannot be changed. Returns the post afterwards."""
        if content is title is first_comment is visibility is None:
            raise ValidationError(
                "Nothing to change: give content, title, first_comment or visibility."
            )
        if content is not None:
            validate_content(content)  # an agent's text must be one LinkedIn takes
        chosen = parse_visibility(visibility) if visibility is not None else None
        service = self._posts()
        # One transaction: a refusal, or the publisher taking the post, changes nothing at all.
        service.update(
            id, title=title, content=content, first_comment=first_comment, visibility=chosen
        )
        return self._post(service, id)

    # --- scheduling -------------------------------------------------------------------------

    def schedule_post(
        self,
        id: PostId,
        at: Annotated[
            str,
            Field(
                description=(
                    "When to publish, ISO-8601 such as 2026-12-01T09:00; without an offset it is "
                    "the user's local time. It must be in the future."
                )
            ),
        ],
    ) -> dict[str, Any]:
        """Schedule a draft (or move a scheduled post) to `at`. Linkie publishes it then, while
        the app or `linkie publish-due` runs. Returns the post afterwards."""
        when = parse_when(at)
        service = self._posts()
        service.schedule(id, when)
        return self._post(service, id)

    def list_slots(self) -> SlotList:
        """The user's weekly posting slots (day mon…sun, local time HH:MM) and the queue: the
        scheduled posts sitting in slots, in order. add_to_queue puts a post in the next free
        slot."""
        slots = SlotService(self.workspace.engine, self.workspace.user_id)
        return {
            "slots": [{"day": s.day_name, "time": s.time_text} for s in slots.slots()],
            "queue": [
                {"id": p.id, "title": p.title, "scheduled_at": p.scheduled_at.isoformat()}
                for p in slots.queue()
            ],
        }

    def add_to_queue(self, id: PostId) -> dict[str, Any]:
        """Schedule the post in the next free posting slot (at least 10 minutes ahead), as the
        window's Add to queue does. Returns `queued_at` (UTC), where it went in words, and the post
        afterwards."""
        service = self._posts()
        slots = SlotService(self.workspace.engine, self.workspace.user_id, posts=service)
        found, message = slots.add_to_queue(id)
        return {
            "queued_at": found.instant.isoformat(),
            "message": message,
            "post": self._post(service, id),
        }

    def unschedule_post(self, id: PostId) -> dict[str, Any]:
        """Take a scheduled post off the calendar: it becomes a draft again."""
        service = self._posts()
        service.unschedule(id)
        return self._post(service, id)

    # --- publishing and deleting ------------------------------------------------------------

    def publish_now(self, id: PostId) -> Published:
        """Publish the post on LinkedIn now, as the window's Publish now does: the post falls due
        at once and one publisher pass sends it (posts already due go with it). `outcome` says
        what happened: published (with LinkedIn's urn), retry (a later attempt is planned),
        failed or waiting (with the reason in `detail`)."""
        ws = self.workspace
        refusal = connection_status(ws.engine, ws.user_id).why_not_publishable()
        if refusal:
            raise ValidationError(refusal)
        schedule_now(ws.engine, ws.user_id, id)
        prefs = load_preferences(ws.config.data_dir)
        result = run_once(
            ws.engine, keyring_tokens(), PublisherConfig.from_config(ws.config, prefs)
        )
        service = self._posts()
        post = self._post(service, id)
        mine = next((r for r in result.results if r.post_id == id), None)
        if mine is None:  # another Linkie's pass (the window's) claimed it first: it sends it
            return {
                "id": id,
                "outcome": "sending",
                "detail": "Another Linkie (the window) is publishing it now: see get_post.",
                "urn": None,
                "post": post,
            }
        return {
            "id": id,
            "outcome": mine.outcome.value,
            "detail": mine.detail,
            "urn": mine.urn,
            "post": post,
        }

    def delete_post(self, id: PostId) -> Deleted:
        """Move the post to Linkie's trash, as the window's Delete does: it is never published
        from there, the user can restore it for 30 days, then it is removed for good. A post
        already on LinkedIn stays there."""
        self._posts().delete(id)
        return {"id": id, "deleted": True}
