"""One publisher pass (no Qt): every due post goes to LinkedIn at most once, or says why not.

`run_once` is the whole publisher; the window's timer (ui/publisher_driver.py) and `linkie
publish-due` both call it. A pass: housekeeping (expired OAuth states, posts stuck in `publishing`,
first comments stuck `sending`, posts missed while Linkie was closed); the uploads of posts due
within 30 minutes (services/publisher_media.py); then each due post whose media are all on
LinkedIn is claimed with a conditional UPDATE — so two processes on one database never both send
it — and created; the answer decides its outcome (DESIGN.md, Publisher; LINKEDIN-API.md, Errors);
right after a 201 its first comment is sent (services/publisher_comment.py), and so are comments
an earlier pass left pending. Only the create request (and a comment's) is at-most-once: nothing
that may have reached LinkedIn is ever sent again automatically.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import OAuthStatus, Post
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.post_content import CommentStatus
from linkie_desktop.domain.posts import (
    MAX_RETRIES,
    ValidationError,
    can_publish_now,
    display_title,
    validate_content,
)
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.activity import (
    Actor,
    EventKind,
    EventOutcome,
    acting_as,
    http_status_of,
    record,
)
from linkie_desktop.services.evergreen import refill_empty_slots
from linkie_desktop.services.linkedin_content import PostContent as LinkedInContent
from linkie_desktop.services.oauth import (
    clean_expired_states,
    decide_connection,
)
from linkie_desktop.services.posts import content_of
from linkie_desktop.services.publisher_comment import CommentStage
from linkie_desktop.services.publisher_config import (
    LATE_GRACE,
    UPLOAD_LEAD,
    ClientFactory,
    PublisherConfig,
    TokenProvider,
    keyring_tokens,
)
from linkie_desktop.services.publisher_media import (
    Connection,
    MediaPending,
    UploadStage,
    is_ready,
    linkedin_content,
    upload_claim_free,
)
from linkie_desktop.services.publisher_results import (
    CHECK_LINKEDIN,
    MAY_HAVE_PUBLISHED,
    MISSED_WHILE_CLOSED,
    NOT_CONNECTED,
    RECONNECT,
    CommentOutcome,
    CommentResult,
    Outcome,
    PassResult,
    PostResult,
    backoff_seconds,
    retry_time_words,
)
from linkie_desktop.services.publisher_verdicts import (
    WAITING_FOR_UPLOADS,
    Claimed,
    CreateVerdicts,
    Delivery,
    Verdict,
)
from linkie_desktop.services.recurrence import schedule_next_occurrence
from linkie_desktop.services.secrets import TokenKeyMissingError

__all__ = [
    "CHECK_LINKEDIN",
    "LATE_GRACE",
    "MAY_HAVE_PUBLISHED",
    "MISSED_WHILE_CLOSED",
    "NOT_CONNECTED",
    "RECONNECT",
    "UPLOAD_LEAD",
    "CommentOutcome",
    "CommentResult",
    "Outcome",
    "PassResult",
    "PostResult",
    "PublisherConfig",
    "TokenProvider",
    "backoff_seconds",
    "key_not_here",
    "keyring_tokens",
    "retry_time_words",
    "run_once",
    "schedule_now",
]

log = logging.getLogger(__name__)


def key_not_here() -> str:
    """Why a user's posts wait on a machine without their token key, in the words the post and
    its history show: which machine, since the reader is often at another one."""
    return (
        f"Waiting — this person's LinkedIn key is not on this machine ({socket.gethostname()}); "
        "their posts go out from a Linkie where they connected LinkedIn"
    )


class _Pass:
    """The state of one pass: its clock, the connections it has looked up, what happened."""

    def __init__(
        self,
        engine: Engine,
        tokens: TokenProvider,
        config: PublisherConfig,
        clock: Callable[[], datetime],
        client_factory: ClientFactory,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.tokens = tokens
        self.config = config
        self.clock = clock
        self.client_factory = client_factory
        self.connections: dict[str, Connection | str] = {}  # user id -> connection or reason
        self.results: list[PostResult] = []
        self.uploaded: list[str] = []  # posts whose media went up in this pass
        self.due_read_at = clock()
        self.reconnect_needed = False
        self.uploads = UploadStage(engine, config, clock, client_factory, on_progress)
        self.comments = CommentStage(engine, clock, client_factory)
        self.verdicts = CreateVerdicts(config, clock)

    # --- housekeeping -----------------------------------------------------------------------

    def housekeeping(self) -> None:
        now = self.clock()
        with transaction(self.engine) as session:
            clean_expired_states(session, now)
            for post in queries.get_stale_publishing_posts(session, now):
                self._fail_if(session, post, PostStatus.PUBLISHING, MAY_HAVE_PUBLISHED, now)
            self.results.extend(self.comments.give_up_stale(session, now))
            missed = session.scalars(
                select(Post).where(
                    Post.status == PostStatus.SCHEDULED,
                    Post.retry_count == 0,
                    Post.next_attempt_at.is_(None),  # a post a pass has seen was not missed
                    Post.scheduled_at <= now - self.config.late_grace,
                    queries.live_posts(),  # a post in the trash keeps its state until restored
                )
            ).all()
            for post in missed:
                self._fail_if(session, post, PostStatus.SCHEDULED, MISSED_WHILE_CLOSED, now)
        from linkie_desktop.services.trash import purge_expired_trash  # (issue 17)

        purge_expired_trash(self.engine, self.config.media_dir, now)  # 30 days in the trash

    def _fail_if(
        self, session: Session, post: Post, status: PostStatus, reason: str, now: datetime
    ) -> None:
        changed = session.execute(
            update(Post)
            .where(Post.id == post.id, Post.status == status)
            .values(
                status=PostStatus.FAILED, error_message=reason, next_attempt_at=None, updated_at=now
            )
        )
        if _rowcount(changed):
            failed = (EventKind.FAILED, EventOutcome.FAILURE, reason)
            record(session, post.user_id, post.id, *failed, at=now)
            self._add(post.id, display_title(post.title, post.content), Outcome.FAILED, reason)

    def _add(
        self,
        post_id: str,
        title: str,
        outcome: Outcome,
        detail: str,
        urn: str | None = None,
        next_attempt_at: datetime | None = None,
        comment: CommentResult | None = None,
    ) -> None:
        self.results.append(
            PostResult(post_id, title, outcome, detail, urn, next_attempt_at, comment)
        )

    # --- uploads ahead of time and comments left pending ---------------------------------------

    def upload_media(self) -> None:
        """Media of the posts due within the upload lead go up now (publisher_media.py)."""
        for post_id, user_id in self.uploads.posts_to_upload():
            if not self.config.keep_going():
                return
            connection = self._connection(user_id)
            if isinstance(connection, str):
                continue  # publish_due says why the post waits, once it is due
            report = self.uploads.upload(post_id, connection)
            if report.expired:
                self._expire(user_id)
            if report.result is not None:
                self.results.append(report.result)
            elif report.uploaded:
                self.uploaded.append(post_id)

    def send_pending_comments(self) -> None:
        for post_id, user_id in self.comments.pending():
            connection = self._connection(user_id)
            if isinstance(connection, str):
                continue  # sent once the user reconnects
            sent = self.comments.send_pending(post_id, connection)
            if sent is not None:
                result, expired = sent
                self.results.append(result)
                if expired:
                    self._expire(user_id)

    def _expire(self, user_id: str) -> None:
        """LinkedIn answered 401: the connection is expired for every screen and this pass."""
        with transaction(self.engine) as session:
            queries.upsert_user_settings(
                session, user_id, {"linkedin_oauth_status": OAuthStatus.EXPIRED}
            )
        self.connections[user_id] = RECONNECT
        self.reconnect_needed = True

    # --- one post ---------------------------------------------------------------------------

    def publish_due(self) -> None:
        self.due_read_at = self.clock()
        with reading(self.engine) as session:
            due = [
                (p.id, p.user_id)
                for p in queries.get_posts_ready_to_publish(session, self.due_read_at)
            ]
        for post_id, user_id in due:
            if not self.config.keep_going():
                return  # the rest stay scheduled, untouched, for the next publisher
            connection = self._connection(user_id)
            if isinstance(connection, str):
                self._wait(post_id, connection)
                continue
            claimed = self._claim(post_id)
            if claimed is not None:
                self._send(claimed, connection)

    def _connection(self, user_id: str) -> Connection | str:
        if user_id not in self.connections:
            self.connections[user_id] = self._look_up_connection(user_id)
        return self.connections[user_id]

    def _look_up_connection(self, user_id: str) -> Connection | str:
        now = self.clock()
        with transaction(self.engine) as session:
            settings = queries.get_user_settings(session, user_id)
            info = decide_connection(settings, None, now)  # the one rule every screen shows
            if settings is None or info.status is OAuthStatus.DISCONNECTED:
                return NOT_CONNECTED
            if info.status is OAuthStatus.EXPIRED:
                if settings.linkedin_oauth_status == OAuthStatus.CONNECTED:
                    # Past its expiry: written down, so every screen says so without asking.
                    settings.linkedin_oauth_status = OAuthStatus.EXPIRED
                    self.reconnect_needed = True
                return RECONNECT
            if info.person_urn is None:
                return NOT_CONNECTED  # a sign-in that never learned whom to post as
            try:
                token = self.tokens(settings)
            except TokenKeyMissingError:
                # A shared database: this person's key stays on their own machine, whose
                # publisher sends their posts; the other users' posts go out from here.
                return key_not_here()
            except Exception as exc:  # noqa: BLE001 - any provider failure means "wait", in words
                return f"Waiting: the LinkedIn connection can't be read — {exc}"
            return Connection(info.person_urn, token)

    def _wait(self, post_id: str, reason: str) -> None:
        """Leave the post scheduled, no attempt counted; a pass saw it, so it is not 'missed'."""
        now = self.clock()
        with transaction(self.engine) as session:
            post = session.get(Post, post_id)
            if post is None or post.status != PostStatus.SCHEDULED:
                return
            if post.next_attempt_at is None:
                post.next_attempt_at = now
            if post.error_message != reason:  # said once, not at every tick while it waits
                waiting = (EventKind.WAITING, EventOutcome.RETRY, reason)
                record(session, post.user_id, post.id, *waiting, at=now)
            post.error_message = reason
            title = display_title(post.title, post.content)
        self._add(post_id, title, Outcome.WAITING, reason)

    def _claim(self, post_id: str) -> Claimed | None:
        """Take the post for this pass; None when another pass (or an edit) got there first."""
        now = self.clock()
        with transaction(self.engine) as session:
            claimed = session.execute(
                update(Post)
                # Not while a pass uploads its media: it is created once they are all up.
                .where(Post.id == post_id, *queries.due_conditions(now), upload_claim_free(now))
                .values(status=PostStatus.PUBLISHING, updated_at=now)
            )
            if _rowcount(claimed) != 1:
                return None
            post = session.get(Post, post_id, populate_existing=True)
            assert post is not None
            content = content_of(post)
            linkedin: LinkedInContent | None = None
            not_ready: Exception | None = None
            try:
                if not is_ready(post, self.config.media_dir):
                    raise MediaPending
                linkedin = linkedin_content(content)
            except (MediaPending, ValidationError) as exc:
                not_ready = exc
            if not_ready is None:
                attempt = f"Attempt {post.retry_count + 1} of {MAX_RETRIES}"
                sending = (EventKind.ATTEMPT, EventOutcome.INFO, attempt)
                record(session, post.user_id, post.id, *sending, at=now)
            comment = content.first_comment
            pending = comment is not None and comment.status is CommentStatus.PENDING
            return Claimed(
                post.id,
                post.user_id,
                display_title(post.title, post.content),
                post.content,
                post.retry_count,
                content.visibility.value,
                linkedin,
                not_ready,
                comment.text if comment is not None and pending else None,
            )

    def _send(self, post: Claimed, connection: Connection) -> None:
        """Send the post, then record what the answer means, in this pass, whatever happens.

        Reading the answer is kept apart from sending it: a bug while working out the outcome
        (a retry time no clock can hold, say) still ends in a truthful state at once, instead of
        leaving the post in `publishing` for the stale rule to call "may have been published".
        """
        delivery = self._deliver(post, connection)
        try:
            verdict = self.verdicts.verdict(post, delivery)
        except Exception:  # any bug here must still leave the post truthful
            log.exception("publisher: could not work out the outcome of post %s", post.id)
            verdict = self.verdicts.fallback(post, delivery)
        recorded = self._record(post, verdict, http_status_of(delivery.error))
        if recorded and verdict.outcome is Outcome.PUBLISHED:  # a recurring post's next one
            schedule_next_occurrence(
                self.engine, post.id, self.clock(), self.config.tz, self.config.media_dir
            )
        comment = None
        if recorded and verdict.outcome is Outcome.PUBLISHED and post.first_comment is not None:
            sent = self.comments.send(post.id, verdict.urn, post.first_comment, connection)
            comment = sent.result
            if sent.expired:
                self._expire(post.user_id)
        self._add(
            post.id,
            post.title,
            verdict.outcome,
            verdict.detail,
            verdict.urn,
            verdict.next_at,
            comment,
        )

    def _deliver(self, post: Claimed, connection: Connection) -> Delivery:
        try:
            validate_content(post.content)
            if post.not_ready is not None:
                raise post.not_ready
        except (ValidationError, MediaPending) as exc:
            return Delivery(error=exc)
        post_request_started = published = False
        urn = None
        try:
            with self.client_factory(connection.access_token) as client:
                post_request_started = True
                urn = client.create_post(
                    connection.person_urn,
                    post.content,
                    visibility=post.visibility,
                    content=post.linkedin,
                )
                published = True
        except Exception as exc:  # noqa: BLE001 - one odd answer must not stall the pass; logged
            if not published:
                return Delivery(error=exc, post_request_started=post_request_started)
            log.warning("publisher: closing the client after post %s failed: %s", post.id, exc)
        return Delivery(urn=urn, post_request_started=True)

    def _record(self, post: Claimed, verdict: Verdict, http_status: int | None = None) -> bool:
        """Write the verdict; False when the post was no longer ours to write."""
        with transaction(self.engine) as session:
            if verdict.expire_connection:
                queries.upsert_user_settings(
                    session, post.user_id, {"linkedin_oauth_status": OAuthStatus.EXPIRED}
                )
            written = self._update_claimed(session, post, **verdict.changes)
            event = _EVENTS[verdict.outcome]
            if written and verdict.detail != WAITING_FOR_UPLOADS:  # nothing was attempted then
                detail = "Published on LinkedIn" if event[0] is EventKind.PUBLISHED else None
                record(
                    session,
                    post.user_id,
                    post.id,
                    *event,
                    detail or verdict.detail,
                    http_status=http_status,
                    at=self.clock(),
                )
        if verdict.expire_connection:
            self.connections[post.user_id] = RECONNECT
            self.reconnect_needed = True
        return written

    def _update_claimed(self, session: Session, post: Claimed, **changes: object) -> bool:
        claimed = Post.status == PostStatus.PUBLISHING
        if changes.get("status") == PostStatus.PUBLISHED:
            # A send can outlast the 5-minute stale rule (a slow upload) and another pass may have
            # marked the post "may have been published" meanwhile: LinkedIn's 201 is the truth.
            claimed = or_(
                claimed,
                and_(Post.status == PostStatus.FAILED, Post.error_message == MAY_HAVE_PUBLISHED),
            )
        written = session.execute(
            update(Post)
            .where(Post.id == post.id, claimed)
            .values(updated_at=self.clock(), **changes)
        )
        return _rowcount(written) == 1

    # --- what comes next --------------------------------------------------------------------

    def next_due_at(self) -> datetime | None:
        """The earliest post or retry not yet due when this pass read the due posts.

        Measured from that read, not from the end of the pass: a post that fell due while the
        pass was sending is then in the past, so the next pass starts at once.
        """
        now = self.due_read_at
        with reading(self.engine) as session:
            scheduled = (Post.status == PostStatus.SCHEDULED, Post.retry_count < MAX_RETRIES)
            first = session.scalar(
                select(func.min(Post.scheduled_at)).where(*scheduled, Post.scheduled_at > now)
            )
            # Filtering only on next_attempt_at keeps SQLite on its index (few posts have one);
            # with a status condition it would read every scheduled post instead.
            waiting = session.execute(
                select(Post.next_attempt_at, Post.status, Post.retry_count)
                .where(Post.next_attempt_at > now)
                .order_by(Post.next_attempt_at)
            )
            retry = next(
                (
                    when
                    for when, status, tries in waiting
                    if status == PostStatus.SCHEDULED and tries < MAX_RETRIES
                ),
                None,
            )
        upload = self.uploads.next_upload_at(now, first)
        times = [t for t in (first, retry, upload) if t is not None]
        return min(times) if times else None


# What each outcome of a create request is in the activity history.
_EVENTS: dict[Outcome, tuple[EventKind, EventOutcome]] = {
    Outcome.PUBLISHED: (EventKind.PUBLISHED, EventOutcome.SUCCESS),
    Outcome.RETRY: (EventKind.RETRY, EventOutcome.RETRY),
    Outcome.FAILED: (EventKind.FAILED, EventOutcome.FAILURE),
    Outcome.WAITING: (EventKind.WAITING, EventOutcome.RETRY),
}


def _rowcount(result: object) -> int:
    # Core UPDATEs return a CursorResult; the Session API types it as the generic Result.
    return int(getattr(result, "rowcount", 0))


def run_once(
    engine: Engine,
    tokens: TokenProvider,
    config: PublisherConfig,
    *,
    now: datetime | None = None,
    client_factory: ClientFactory | None = None,
    on_upload_progress: Callable[[str], None] | None = None,
    actor: Actor | None = None,
) -> PassResult:
    """One whole pass. `now` fixes the clock (tests); by default each step reads the real time.
    `on_upload_progress(post_id)` hears each progress written while a post's media upload.
    `actor`: who the activity history says acted (by default the process's, services/activity)."""
    if actor is not None:
        with acting_as(actor):
            return run_once(
                engine,
                tokens,
                config,
                now=now,
                client_factory=client_factory,
                on_upload_progress=on_upload_progress,
            )
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utc_now
    one_pass = _Pass(
        engine, tokens, config, clock, client_factory or config.client_for, on_upload_progress
    )
    one_pass.housekeeping()
    one_pass.upload_media()
    one_pass.publish_due()
    one_pass.send_pending_comments()
    # Evergreen copies in empty slots: new posts, announced with the ones whose uploads moved.
    one_pass.uploaded += refill_empty_slots(
        engine, config.evergreen_gap, clock(), config.tz, config.media_dir
    )
    return PassResult(
        one_pass.results, one_pass.reconnect_needed, one_pass.next_due_at(), one_pass.uploaded
    )


def schedule_now(engine: Engine, user_id: str, post_id: str, now: datetime | None = None) -> None:
    """'Publish now': the post becomes due at once with fresh attempts; the next pass sends it."""
    now = now or utc_now()
    with transaction(engine) as session:
        post = queries.get_post_by_id(session, post_id, user_id)
        if post is None:
            raise ValidationError(f"There is no post with id {post_id!r}.")
        if not can_publish_now(post.status):
            raise ValidationError(f"A {post.status} post cannot be published now.")
        validate_content(post.content)
        queries.update_post(session, post_id, queries.scheduled_afresh(now), user_id)
        record(session, user_id, post_id, EventKind.PUBLISH_NOW, EventOutcome.INFO, at=now)
