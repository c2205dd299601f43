"""The publisher's upload stage: a post's media reach LinkedIn ahead of its time (no Qt).

From `PublisherConfig.upload_lead` (30 minutes) before a post's time — at once for Publish now —
a pass uploads every file of the post that LinkedIn does not have yet: its images, document or
video (each a post_media row) and a link card's thumbnail (on the post). Each asset's URN is
stored the moment its upload is done, so a retry, a crash or the next pass never uploads it
again; a video is created by its URN only once LinkedIn says it is AVAILABLE (kept in the row's
`upload_state`).

Two publishers on one file (the window and `linkie publish-due`) never upload the same asset
twice: a pass takes a post's uploads with a conditional UPDATE of `posts.upload_claimed_at`
(`scheduled` and no live claim), renews it as the bytes go, and gives it back when done; the
create step takes the post only while no live upload claim is on it. A claim not renewed for
`UPLOAD_CLAIM_STALE` belongs to a process that died: uploading again is safe, nothing was posted.

Nothing here posts anything, so no failure here is an ambiguous send: an upload that failed is
tried again with the publisher's usual backoff (counting an attempt; LinkedIn's Retry-After
respected), a video still processing is looked at again shortly (no attempt counted), and a
video LinkedIn could not process fails the post with nothing created.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, Engine, and_, exists, func, not_, or_, select, update
from sqlalchemy.orm import Session

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.domain.post_content import MediaKind, PostContent, media_file
from linkie_desktop.domain.posts import (
    MAX_RETRIES,
    ValidationError,
    display_title,
    validate_content,
)
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.activity import EventKind, EventOutcome, http_status_of, record
from linkie_desktop.services.linkedin import (
    AuthExpired,
    LinkedInClient,
    LinkedInError,
    Rejected,
    VersionRetired,
    validate_image,
)
from linkie_desktop.services.linkedin_content import (
    ArticleContent,
    DocumentContent,
    ImageContent,
    MultiImageContent,
    PollContent,
    VideoContent,
)
from linkie_desktop.services.linkedin_content import PostContent as LinkedInContent
from linkie_desktop.services.linkedin_media import (
    MediaNotReady,
    VideoNotAvailable,
    VideoProcessingFailed,
)
from linkie_desktop.services.publisher_config import ClientFactory, PublisherConfig
from linkie_desktop.services.publisher_results import (
    RECONNECT,
    Outcome,
    PostResult,
    backoff_seconds,
    retry_time_words,
)

log = logging.getLogger(__name__)

UPLOAD_CLAIM_STALE = timedelta(minutes=5)
# Progress is written when it moved this much, or this long after the last write: often enough
# to show, and to renew the claim during a slow upload, without a write per 256 KB slice.
PROGRESS_STEP = 0.05
PROGRESS_EVERY_S = 1.0
AVAILABLE = "AVAILABLE"
_UPLOAD_KINDS = (MediaKind.IMAGE.value, MediaKind.DOCUMENT.value, MediaKind.VIDEO.value)
_NOUN = {MediaKind.IMAGE: "image", MediaKind.DOCUMENT: "document", MediaKind.VIDEO: "video"}


class MediaPending(Exception):  # noqa: N818 - a state, not a failure
    """The post's media are not all on LinkedIn yet: the post cannot be created now."""


@dataclass(frozen=True)
class Asset:
    """One file LinkedIn must have before the post is created."""

    media_id: str | None  # its post_media row; None: the link card's thumbnail
    kind: MediaKind
    path: Path
    urn: str | None  # uploaded already (a video perhaps still processing)

    @property
    def noun(self) -> str:
        return "thumbnail" if self.media_id is None else _NOUN[self.kind]


@dataclass(frozen=True)
class Connection:
    person_urn: str
    access_token: str


def video_state(status: str) -> str:
    return json.dumps({"video_status": status})


def is_available(upload_state: str | None) -> bool:
    try:
        state = json.loads(upload_state or "{}")
    except ValueError:
        return False
    return isinstance(state, dict) and state.get("video_status") == AVAILABLE


def _orphan_image(post: Post) -> bool:
    """An image only posts.image_path names (an older tool wrote the post): no row holds it."""
    return not post.media and bool(post.image_path and post.image_path.strip())


def pending_assets(post: Post, media_dir: Path | None) -> list[Asset]:
    """The post's files LinkedIn does not have (or, a video, has not made AVAILABLE), in order."""

    def where(stored: str) -> Path:
        return media_file(media_dir, stored) if media_dir is not None else Path(stored)

    assets = []
    for row in post.media:
        if row.kind not in _UPLOAD_KINDS:
            continue  # a kind another tool wrote: content_of does not show it either
        kind = MediaKind(row.kind)
        if row.urn is None or (kind is MediaKind.VIDEO and not is_available(row.upload_state)):
            assets.append(Asset(row.id, kind, where(row.path), row.urn))
    if post.link_url and post.link_thumbnail_path and post.link_thumbnail_urn is None:
        assets.append(Asset(None, MediaKind.IMAGE, where(post.link_thumbnail_path), None))
    return assets


def is_ready(post: Post, media_dir: Path | None) -> bool:
    return not _orphan_image(post) and not pending_assets(post, media_dir)


def needs_upload() -> ColumnElement[bool]:
    """SQL for "the post has something to upload": at least every post `pending_assets` (or an
    orphan image) would find, so no post waits for an upload that no pass starts."""
    media_pending = exists().where(
        PostMedia.post_id == Post.id,
        PostMedia.kind.in_(_UPLOAD_KINDS),
        or_(
            PostMedia.urn.is_(None),
            and_(
                PostMedia.kind == MediaKind.VIDEO.value,
                not_(func.coalesce(PostMedia.upload_state, "").contains(AVAILABLE)),
            ),
        ),
    )
    thumbnail = and_(
        Post.link_url.is_not(None),
        Post.link_url != "",
        Post.link_thumbnail_path.is_not(None),
        Post.link_thumbnail_path != "",
        Post.link_thumbnail_urn.is_(None),
    )
    orphan = and_(
        Post.image_path.is_not(None),
        func.trim(Post.image_path) != "",
        ~exists().where(PostMedia.post_id == Post.id),
    )
    return or_(media_pending, thumbnail, orphan)


def _window_end(now: datetime, lead: timedelta) -> datetime:
    """`now + lead`, or the last instant a clock holds (a test at the end of year 9999)."""
    try:
        return now + lead
    except OverflowError:
        return datetime.max.replace(tzinfo=now.tzinfo)


def upload_claim_free(now: datetime) -> ColumnElement[bool]:
    """No pass is uploading the post's media now (or the one that was has died)."""
    return or_(Post.upload_claimed_at.is_(None), Post.upload_claimed_at <= now - UPLOAD_CLAIM_STALE)


def linkedin_content(content: PostContent) -> LinkedInContent | None:
    """The Posts API's `content` for a post whose media are all uploaded; MediaPending when an
    asset has no URN yet. ValidationError for a shape LinkedIn would refuse (a poll of one)."""
    media = content.media
    if media:
        if any(m.urn is None for m in media):
            raise MediaPending
        first = media[0]
        if first.kind is MediaKind.IMAGE:
            images = tuple(ImageContent(m.urn or "", m.alt_text) for m in media)
            return images[0] if len(images) == 1 else MultiImageContent(images)
        if first.kind is MediaKind.DOCUMENT:
            return DocumentContent(first.urn or "", first.title or "")
        return VideoContent(first.urn or "", first.title or "")
    if content.poll is not None:
        poll = content.poll
        return PollContent(poll.question, poll.options, poll.days)
    if content.link is not None:
        link = content.link
        if link.thumbnail_path and link.thumbnail_urn is None:
            raise MediaPending
        return ArticleContent(link.url, link.title, link.description, link.thumbnail_urn)
    return None


class ProgressWriter:
    """`on_progress(sent, total)` for one upload: writes how far it came at most every
    PROGRESS_STEP of the file or PROGRESS_EVERY_S seconds (and at the end), through `write`."""

    def __init__(
        self, write: Callable[[int], None], monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._write = write
        self._monotonic = monotonic
        self._written = -1
        self._written_at = monotonic()

    def __call__(self, sent: int, total: int) -> None:
        moved = (sent - max(self._written, 0)) / total if total else 1.0
        now = self._monotonic()
        due = sent == total or moved >= PROGRESS_STEP or now - self._written_at >= PROGRESS_EVERY_S
        if due and sent != self._written:
            self._write(sent)
            self._written, self._written_at = sent, now


@dataclass(frozen=True)
class UploadReport:
    """What the stage did for one post: `result` when the post's state changed (a retry, a
    failure, a wait), `uploaded` when an asset went up, `expired` on a 401."""

    result: PostResult | None = None
    uploaded: bool = False
    expired: bool = False


class UploadStage:
    """The uploads of one pass (see the module's text)."""

    def __init__(
        self,
        engine: Engine,
        config: PublisherConfig,
        clock: Callable[[], datetime],
        client_factory: ClientFactory,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock
        self.client_factory = client_factory
        self.on_progress = on_progress  # hears a post id whenever its progress was written

    def posts_to_upload(self) -> list[tuple[str, str]]:
        """(post id, user id) of the scheduled posts within UPLOAD_LEAD of their time (or past
        it) with something to upload, not waiting for a backoff, with attempts left."""
        now = self.clock()
        with transaction(self.engine) as session:
            rows = session.execute(
                select(Post.id, Post.user_id)
                .where(
                    Post.status == PostStatus.SCHEDULED,
                    Post.scheduled_at <= _window_end(now, self.config.upload_lead),
                    Post.retry_count < MAX_RETRIES,
                    or_(Post.next_attempt_at.is_(None), Post.next_attempt_at <= now),
                    upload_claim_free(now),
                    needs_upload(),
                )
                .order_by(Post.scheduled_at, Post.id)
            )
            return [(post_id, user_id) for post_id, user_id in rows]

    def next_upload_at(self, now: datetime, first_due: datetime | None) -> datetime | None:
        """When the next post enters its upload window (the window's timer wakes for it), if
        that is before `first_due`, the next scheduled post's time: a later upload start needs
        no timer of its own, the pass at `first_due` looks again."""
        if first_due is None:
            return None
        lead = self.config.upload_lead
        with transaction(self.engine) as session:
            # Only the posts within `lead` after first_due, in time order with LIMIT 1: SQLite
            # walks posts_status_scheduled_idx over that span and stops at the first post with
            # something to upload, instead of testing every scheduled post of the year.
            first = session.scalar(
                select(Post.scheduled_at)
                .where(
                    Post.status == PostStatus.SCHEDULED,
                    Post.scheduled_at > _window_end(now, lead),
                    Post.scheduled_at <= _window_end(first_due, lead),
                    Post.retry_count < MAX_RETRIES,
                    needs_upload(),
                )
                .order_by(Post.scheduled_at)
                .limit(1)
            )
        return first - self.config.upload_lead if first is not None else None

    # --- one post ---------------------------------------------------------------------------

    def upload(self, post_id: str, connection: Connection) -> UploadReport:
        """Upload what the post still needs, under its claim; give the claim back after."""
        claimed = self._claim(post_id)
        if claimed is None:
            return UploadReport()  # another pass has it, or it is no longer scheduled
        title, retry_count, text, assets = claimed
        uploaded = False
        current: Asset | None = None  # the asset a failure was about
        try:
            validate_content(text)  # the text and every file checked before any request
            for current in assets:
                self._check_locally(current)
            with self.client_factory(connection.access_token) as client:
                for current in assets:
                    uploaded = self._upload_one(client, post_id, current, connection) or uploaded
        except Exception as exc:  # noqa: BLE001 - every failure ends in a truthful state
            self._record_asset_error(current, exc)
            report = self._after_failure(post_id, title, retry_count, exc, uploaded)
        else:
            report = UploadReport(uploaded=uploaded)
            self._clear_upload_error(post_id)
        finally:
            self._release(post_id)
        return report

    def _claim(self, post_id: str) -> tuple[str, int, str, list[Asset]] | None:
        now = self.clock()
        with transaction(self.engine) as session:
            taken = session.execute(
                update(Post)
                .where(Post.id == post_id, Post.status == PostStatus.SCHEDULED)
                .where(upload_claim_free(now))
                # The claim is the publisher's business, not an edit: updated_at stays.
                .values(upload_claimed_at=now, updated_at=Post.updated_at)
            )
            if int(getattr(taken, "rowcount", 0)) != 1:
                return None
            post = session.get(Post, post_id, populate_existing=True)
            assert post is not None
            if _orphan_image(post):
                _adopt_image_path(session, post)
            return (
                display_title(post.title, post.content),
                post.retry_count,
                post.content,
                pending_assets(post, self.config.media_dir),
            )

    def _check_locally(self, asset: Asset) -> None:
        if asset.kind is MediaKind.IMAGE:
            validate_image(asset.path)
        elif not asset.path.is_file():
            raise ValidationError(
                f"The {asset.noun} file {asset.path.name} is no longer in Linkie's media folder; "
                "attach it again."
            )

    def _upload_one(
        self, client: LinkedInClient, post_id: str, asset: Asset, connection: Connection
    ) -> bool:
        """Upload one asset unless LinkedIn has it; True when its state moved (bytes went up,
        or a video became AVAILABLE)."""
        owner = connection.person_urn
        if asset.media_id is None:
            urn = client.upload_image(asset.path, owner)
            self._store(post_id, None, {"link_thumbnail_urn": urn})
            return True
        progress = ProgressWriter(lambda sent: self._progress(post_id, asset, sent))
        if asset.kind is MediaKind.VIDEO:
            urn = asset.urn or client.upload_video(asset.path, owner, progress)
            if asset.urn is None:
                self._store(post_id, asset, {"urn": urn, "upload_state": video_state("PROCESSING")})
            try:
                client.wait_until_available(urn, self.config.video_poll_s, self.config.video_wait_s)
            except VideoProcessingFailed:
                # Final: the URN is of no use, so a Retry by the user uploads the file afresh.
                self._store(post_id, asset, {"urn": None, "upload_state": None})
                raise
            self._store(post_id, asset, {"upload_state": video_state(AVAILABLE)}, done=True)
            return True  # uploaded now, or AVAILABLE now: either way the views show a change
        upload = client.upload_image if asset.kind is MediaKind.IMAGE else client.upload_document
        urn = upload(asset.path, owner, progress)
        self._store(post_id, asset, {"urn": urn}, done=True)
        return True

    # --- writes -----------------------------------------------------------------------------

    def _store(
        self, post_id: str, asset: Asset | None, values: dict[str, object], *, done: bool = False
    ) -> None:
        now = self.clock()
        with transaction(self.engine) as session:
            if asset is None or asset.media_id is None:
                session.execute(
                    update(Post)
                    .where(Post.id == post_id)
                    .values(**values, updated_at=Post.updated_at)
                )
                return
            if done:
                size = PostMedia.size_bytes
                values = {
                    **values,
                    "uploaded_at": now,
                    "uploaded_bytes": size,
                    "upload_error": None,
                }
            # A row the user removed meanwhile is simply gone: nothing to write.
            session.execute(update(PostMedia).where(PostMedia.id == asset.media_id).values(values))
            session.execute(
                update(Post)
                .where(Post.id == post_id)
                .values(upload_claimed_at=now, updated_at=Post.updated_at)
            )

    def _progress(self, post_id: str, asset: Asset, sent: int) -> None:
        now = self.clock()
        with transaction(self.engine) as session:
            session.execute(
                update(PostMedia)
                .where(PostMedia.id == asset.media_id)
                .values(uploaded_bytes=sent, upload_error=None)
            )
            session.execute(  # the claim is renewed as the bytes go
                update(Post)
                .where(Post.id == post_id)
                .values(upload_claimed_at=now, updated_at=Post.updated_at)
            )
        if self.on_progress is not None:
            self.on_progress(post_id)

    def _release(self, post_id: str) -> None:
        with transaction(self.engine) as session:
            session.execute(
                update(Post)
                .where(Post.id == post_id)
                .values(upload_claimed_at=None, updated_at=Post.updated_at)
            )

    def _clear_upload_error(self, post_id: str) -> None:
        """Every asset is up: an earlier upload failure's (or a processing video's) words no
        longer apply; a create failure never gets here (nothing is left to upload then)."""
        with transaction(self.engine) as session:
            session.execute(
                update(Post)
                .where(Post.id == post_id, Post.status == PostStatus.SCHEDULED)
                .where(Post.error_message.is_not(None))
                .values(error_message=None, updated_at=Post.updated_at)
            )

    # --- failures ---------------------------------------------------------------------------

    def _after_failure(
        self, post_id: str, title: str, retry_count: int, exc: Exception, uploaded: bool
    ) -> UploadReport:
        now = self.clock()
        reason = _plain_reason(exc)
        if isinstance(exc, VideoNotAvailable) and exc.__cause__ is None:
            # Still processing (wait_until_available's own answer): no attempt is counted.
            when = now + timedelta(seconds=self.config.video_recheck_s)
            detail = (
                "LinkedIn is still processing the video; Linkie checks again "
                f"{retry_time_words(when, now, self.config.tz)}."
            )
            self._set_scheduled(post_id, {"next_attempt_at": when, "error_message": detail})
            return UploadReport(PostResult(post_id, title, Outcome.RETRY, detail, None, when))
        if isinstance(exc, AuthExpired):
            self._set_scheduled(
                post_id,
                {"next_attempt_at": now, "error_message": RECONNECT},
                event=_Event(EventKind.WAITING, EventOutcome.RETRY, RECONNECT, 401),
            )
            report = PostResult(post_id, title, Outcome.WAITING, RECONNECT)
            return UploadReport(report, uploaded, expired=True)
        if isinstance(exc, ValidationError | VideoProcessingFailed | VersionRetired | Rejected):
            return UploadReport(
                self._fail(post_id, title, reason, http=http_status_of(exc)), uploaded
            )
        if not isinstance(exc, LinkedInError):
            log.error(
                "publisher: unexpected error while uploading for post %s", post_id, exc_info=exc
            )
        attempt = retry_count + 1
        if attempt >= MAX_RETRIES:
            reason = f"Not published after {attempt} attempts. Last problem: {reason}"
            failed = self._fail(post_id, title, reason, attempt, http=http_status_of(exc))
            return UploadReport(failed, uploaded)
        retry_after = exc.retry_after if isinstance(exc, MediaNotReady) else None
        when = now + timedelta(
            seconds=backoff_seconds(attempt, self.config.retry_base_s, retry_after)
        )
        words = retry_time_words(when, now, self.config.tz)
        detail = f"{reason} Trying again {words} (attempt {attempt + 1} of {MAX_RETRIES})."
        self._set_scheduled(
            post_id,
            {"retry_count": attempt, "next_attempt_at": when, "error_message": reason},
            event=_Event(EventKind.UPLOAD_RETRY, EventOutcome.RETRY, detail, http_status_of(exc)),
        )
        return UploadReport(PostResult(post_id, title, Outcome.RETRY, detail, None, when), uploaded)

    def _record_asset_error(self, asset: Asset | None, exc: Exception) -> None:
        """The failed upload's words on its row, for the list and the composer to show."""
        if asset is None or asset.media_id is None or isinstance(exc, VideoNotAvailable):
            return  # the thumbnail, a check before any upload, or a video still processing
        with transaction(self.engine) as session:
            session.execute(
                update(PostMedia)
                .where(PostMedia.id == asset.media_id)
                .values(upload_error=_plain_reason(exc), uploaded_bytes=None)
            )

    def _fail(
        self,
        post_id: str,
        title: str,
        reason: str,
        retry_count: int | None = None,
        *,
        http: int | None = None,
    ) -> PostResult:
        values: dict[str, object] = {
            "status": PostStatus.FAILED,
            "error_message": reason,
            "next_attempt_at": None,
        }
        if retry_count is not None:
            values["retry_count"] = retry_count
        event = _Event(EventKind.UPLOAD_FAILED, EventOutcome.FAILURE, reason, http)
        self._set_scheduled(post_id, values, touch=True, event=event)
        return PostResult(post_id, title, Outcome.FAILED, reason)

    def _set_scheduled(
        self,
        post_id: str,
        values: dict[str, object],
        *,
        touch: bool = False,
        event: _Event | None = None,
    ) -> None:
        """Write `values` if the post is still scheduled (the user may have moved it meanwhile),
        and `event` in the activity history when they were written."""
        with transaction(self.engine) as session:
            written = session.execute(
                update(Post)
                .where(Post.id == post_id, Post.status == PostStatus.SCHEDULED)
                .values(**values, updated_at=self.clock() if touch else Post.updated_at)
                .returning(Post.user_id)
            ).scalar_one_or_none()
            if written is not None and event is not None:
                record(
                    session,
                    written,
                    post_id,
                    event.kind,
                    event.outcome,
                    event.detail,
                    http_status=event.http_status,
                    at=self.clock(),
                )


@dataclass(frozen=True)
class _Event:
    """An activity history entry to write with a change of the post."""

    kind: EventKind
    outcome: EventOutcome
    detail: str
    http_status: int | None = None


def _plain_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return f"Not sent: {exc}"
    if isinstance(exc, Rejected):
        return f"LinkedIn refused the upload (HTTP {exc.status}): {exc}"
    if isinstance(exc, VersionRetired):
        return (
            f"LinkedIn API version {exc.version} is retired. Change “LinkedIn API version” in "
            "Settings (YYYYMM, e.g. a month from the last year), then Retry."
        )
    if isinstance(exc, LinkedInError):
        return str(exc)
    return f"An unexpected problem while uploading: {exc}"


def _adopt_image_path(session: Session, post: Post) -> None:
    """The image an older tool named only in image_path becomes the post's first media row (as
    migration 0006 did for the images before it), so its URN has a place to be kept."""
    assert post.image_path is not None
    post.media.append(
        PostMedia(
            user_id=post.user_id, position=0, kind=MediaKind.IMAGE.value, path=post.image_path
        )
    )
    session.flush()
