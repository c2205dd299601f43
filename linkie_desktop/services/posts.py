"""Post operations shared by the window and the command line, with the domain's rules applied.

PostService is the one writer of posts. The file work of attachments is services/post_files.py's
and the conversion between a post's rows and its `PostContent` is services/post_content_records.py's
(`content_of` and `Attachments` are importable from here as well, as callers have always done).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Generation, Post, PostEvent, PostMedia
from linkie_desktop.db.queries import PostSummary
from linkie_desktop.db.types import new_id, utc_now
from linkie_desktop.domain.post_content import (
    CommentStatus,
    ContentKind,
    FirstComment,
    MediaKind,
    Poll,
    PostContent,
    Visibility,
    check_image_count,
    refuse_mixing,
    validate_alt_text,
    validate_first_comment,
    validate_link_card,
    validate_media_title,
    validate_poll,
)
from linkie_desktop.domain.posts import (
    ValidationError,
    can_delete,
    can_mark_published,
    can_retry,
    can_schedule,
    can_unschedule,
    ensure_editable,
    is_editable,
    parse_post_urn,
    status_after_edit,
    validate_content,
    validate_draft_content,
    validate_schedule_time,
    validate_title,
)
from linkie_desktop.domain.repeat import VARY_NOTE, RepeatRule
from linkie_desktop.domain.schedule import (
    MIN_LEAD,
    LocalSlot,
    local_day,
    local_minute_text,
    move_refusal,
    slot_on_day,
    text_problem,
)
from linkie_desktop.domain.slots import QUEUE_HORIZON, Occurrence, first_free
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity
from linkie_desktop.services.activity import EventKind, EventOutcome
from linkie_desktop.services.post_content_records import (
    Attachments,
    comment_columns,
    content_columns,
    content_of,
    enum_or,
    image_files,
    link_columns,
    poll_columns,
    restored_row,
)
from linkie_desktop.services.post_files import FileCopy, MediaFiles, NewFile, with_copies
from linkie_desktop.services.preferences import Preferences

if TYPE_CHECKING:
    from linkie_desktop.services.upload_progress import UploadState

__all__ = [
    "COMMENT_HELD_BY_HAND",
    "STATUS_FILTERS",
    "Attachments",
    "DayMove",
    "DeletedPost",
    "PostQuery",
    "PostRecord",
    "PostService",
    "StorageError",
    "UnknownPostError",
    "content_of",
]

# The Drafts tab's status filter: (key, label, statuses shown; None = all).
STATUS_FILTERS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("all", "All", None),
    ("drafts", "Drafts", (PostStatus.DRAFT,)),
    # A post on its way to LinkedIn is still "scheduled" to the user until the outcome is known.
    ("scheduled", "Scheduled", (PostStatus.SCHEDULED, PostStatus.PUBLISHING)),
    ("published", "Published", (PostStatus.PUBLISHED,)),
    ("failed", "Failed", (PostStatus.FAILED,)),
)

NO_SLOTS = (
    "There are no posting slots yet: add some in Settings › Schedule (or `linkie slots add`)."
)
QUEUE_FULL = "Every posting slot of the coming year is taken: add slots, or choose a time."
QUEUE_CHANGED = "The queue changed meanwhile (a post was published or moved): try again."

COMMENT_HELD_BY_HAND = (
    "Not sent: the post was marked as published by hand — press Retry comment to send it"
)


@dataclass(frozen=True)
class PostRecord:
    """A post as a plain value: safe to hand to the UI and to keep after the session closed."""

    id: str
    title: str | None
    content: str
    status: str
    scheduled_at: datetime | None
    published_at: datetime | None
    linkedin_post_urn: str | None
    image_path: str | None
    error_message: str | None
    retry_count: int
    created_at: datetime
    updated_at: datetime
    # Everything beyond the text: media, poll, link card, visibility, first comment.
    post_content: PostContent = field(default_factory=PostContent)
    # Recurring and evergreen posts (issue 16): the repeat rule's JSON, the evergreen flag.
    repeat_rule_json: str | None = None
    evergreen: int = 0

    @property
    def editable(self) -> bool:
        return is_editable(self.status)

    @classmethod
    def of(cls, post: Post) -> PostRecord:
        columns = {f.name: getattr(post, f.name) for f in fields(cls) if f.name in _POST_COLUMNS}
        return cls(**columns, post_content=content_of(post))


# The fields of PostRecord that are columns of posts (post_content is read from several).
_POST_COLUMNS = frozenset(f.name for f in fields(PostRecord)) - {"post_content"}


@dataclass(frozen=True)
class DeletedPost:
    """Everything needed to put a deleted post back (Undo)."""

    record: PostRecord
    user_id: str
    events: tuple[PostEvent, ...] = ()  # its activity history, which goes with it and comes back


@dataclass(frozen=True)
class PostQuery:
    """Which posts a list shows and in what order; all of it is applied in SQL."""

    statuses: tuple[str, ...] | None = None
    search: str = ""
    sort: str = "updated_at"
    descending: bool = True


@dataclass(frozen=True)
class DayMove:
    """What a move onto a calendar day did."""

    record: PostRecord  # the post afterwards (as it was, when nothing moved)
    slot: LocalSlot | None  # where it went; None: it was on that day already, nothing written
    was_draft: bool  # it came from the drafts (default posting time), not from another day


class StorageError(Exception):
    """The database could not take a write (disk full, file locked, read-only): a known error."""


@contextmanager
def _storing() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise StorageError(f"Your changes could not be saved yet ({reason}).") from exc


class UnknownPostError(ValidationError):
    def __init__(self, post_id: str) -> None:
        super().__init__(f"There is no post with id {post_id!r}.")


def _editable(post: Post) -> None:
    ensure_editable(post.status)


def _text_changes(post: Post, title: str | None, content: str) -> queries.PostChanges:
    """The columns a new title and text change: the status never moves, and the note asking a
    repeat for new words goes once its words changed."""
    changes: queries.PostChanges = {
        "title": title,
        "content": content,
        "status": status_after_edit(post.status),
    }
    if post.error_message == VARY_NOTE and post.content != content:
        changes["error_message"] = None  # the repeat's words changed, as it asked
    return changes


@dataclass(frozen=True)
class PostService:
    engine: Engine
    user_id: str
    # Where attached files are copied; only files in here are ever deleted by the app.
    media_dir: Path | None = None
    # Settings › Posting, read when a post is created (its default visibility); None: defaults.
    preferences: Callable[[], Preferences] | None = None

    def _default_visibility(self) -> Visibility:
        prefs = self.preferences() if self.preferences is not None else Preferences()
        return prefs.default_visibility

    def add(
        self,
        content: str,
        title: str | None = None,
        at: datetime | None = None,
        *,
        visibility: Visibility | None = None,
        first_comment: str | None = None,
        attachments: Attachments | None = None,
    ) -> Post:
        """A new draft (or, with `at`, a scheduled post), with all it carries: every check runs
        and every file is copied before the one transaction that writes it; a refusal writes
        nothing and leaves no copy."""
        validate_content(content)
        title = validate_title(title)
        if at is not None:
            validate_schedule_time(at, utc_now())
        comment = validate_first_comment(first_comment)
        extras = attachments or Attachments()
        files = extras.files()
        extras.columns(None)  # the poll's and link card's checks, before any copy
        post_id = new_id()
        copies, thumbnail = self._copy_with_thumbnail(files, extras.link_thumbnail, post_id)
        new: queries.NewPost = {
            "id": post_id,
            "user_id": self.user_id,
            "content": content,
            "title": title,
        }
        if at is not None:
            new.update({"status": PostStatus.SCHEDULED, "scheduled_at": at})
        columns: queries.PostChanges = {
            "visibility": (visibility or self._default_visibility()).value,
            **comment_columns(FirstComment(comment) if comment else None),
            **extras.columns(thumbnail),
        }
        made = [*copies, *([thumbnail] if thumbnail else [])]
        scheduled = _scheduled_event if at is not None else None  # in the activity history
        return with_copies(made, lambda: self._create(new, columns, copies, files, scheduled))

    def _create(
        self,
        new: queries.NewPost,
        columns: queries.PostChanges,
        copies: Sequence[FileCopy],
        files: Sequence[NewFile],
        also: Callable[[Session, Post], None] | None = None,
    ) -> Post:
        """One new post with its content columns and media rows, in one transaction."""
        with _storing(), transaction(self.engine) as session:
            post = queries.create_post(session, new)
            if also is not None:  # before the columns: the new post holds no time yet
                also(session, post)
            for key, value in columns.items():
                setattr(post, key, value)
            post.media[:] = [c.row(self.user_id, f) for c, f in zip(copies, files, strict=True)]
            for position, row in enumerate(post.media):
                row.position = position
            post.image_path = self._first_image_path(post)
            session.flush()
            return post

    def _copy_with_thumbnail(
        self, files: Sequence[NewFile], thumbnail: Path | None, post_id: str, *, whole: bool = True
    ) -> tuple[tuple[FileCopy, ...], FileCopy | None]:
        """Copies of `files` and of a link card's thumbnail image, all or none."""
        extra = [NewFile(MediaKind.IMAGE, thumbnail)] if thumbnail is not None else []
        made = self._files.copy_new([*files, *extra], post_id, whole=whole)
        return made[: len(files)], (made[len(files)] if extra else None)

    def schedule(self, post_id: str, at: datetime) -> Post:
        validate_schedule_time(at, utc_now())
        with transaction(self.engine) as session:
            post = queries.get_post_by_id(session, post_id, self.user_id)
            if post is None:
                raise UnknownPostError(post_id)
            if not can_schedule(post.status):
                raise ValidationError(f"A {post.status} post cannot be scheduled.")
            validate_content(post.content)
            updated = queries.update_post(
                session, post_id, queries.scheduled_afresh(at), self.user_id
            )
            assert updated is not None
            _scheduled_event(session, updated)
            return updated

    def unschedule(self, post_id: str) -> Post:
        with transaction(self.engine) as session:
            post = queries.get_post_by_id(session, post_id, self.user_id)
            if post is None:
                raise UnknownPostError(post_id)
            if not can_unschedule(post.status):
                raise ValidationError(f"A {post.status} post is not scheduled.")
            updated = queries.update_post(
                session,
                post_id,
                {"status": PostStatus.DRAFT, "scheduled_at": None, "error_message": None},
                self.user_id,
            )
            assert updated is not None
            activity.record(session, self.user_id, post_id, *_UNSCHEDULED)
            return updated

    def delete(self, post_id: str, now: datetime | None = None) -> DeletedPost:
        """Move the post to the trash (deleted_at): from then on it shows only there and is
        never published; `restore` undoes this, and its files stay until the trash is emptied
        (`empty_trash`, by hand or 30 days later)."""
        with _storing(), transaction(self.engine) as session:
            post = self._get(session, post_id)
            if not can_delete(post.status):
                raise ValidationError("This post is being published right now; try again shortly.")
            activity.record(session, post.user_id, post_id, EventKind.DELETED, EventOutcome.INFO)
            events = activity.events_of(session, post_id)
            deleted = DeletedPost(PostRecord.of(post), post.user_id, events)
            post.deleted_at = now or utc_now()  # updated_at stays: put back, it is where it was
            session.flush()
            return deleted

    def list(self, status: str | None = None) -> list[Post]:
        with reading(self.engine) as session:
            return list(queries.get_all_posts(session, self.user_id, status=status))

    # --- the window's operations -----------------------------------------------------------------

    def _get(self, session: Session, post_id: str) -> Post:
        post = queries.get_post_by_id(session, post_id, self.user_id)
        if post is None:
            raise UnknownPostError(post_id)
        return post

    def _change(
        self,
        post_id: str,
        changes: queries.PostChanges,
        check: Callable[[Post], None] | None = None,
        event: Callable[[Session, Post], None] | None = None,
    ) -> PostRecord:
        """Apply `changes`; `check` (raising ValidationError) sees the post in the same
        transaction, so the publisher cannot claim it between the check and the write; `event`
        writes the change into the activity history in that transaction too."""
        with transaction(self.engine) as session:
            post = self._get(session, post_id)
            if check is not None:
                check(post)
            updated = queries.update_post(session, post_id, changes, self.user_id)
            assert updated is not None
            if event is not None:
                event(session, updated)
            return PostRecord.of(updated)

    def get(self, post_id: str) -> PostRecord:
        with reading(self.engine) as session:
            return PostRecord.of(self._get(session, post_id))

    def create_draft(self, title: str = "", content: str = "") -> PostRecord:
        """A draft as typed so far: unlike `add`, an empty or long text is kept, not refused;
        control characters and an over-long title are (ValidationError, nothing written)."""
        validate_draft_content(content)
        stored_title = validate_title(title)
        visibility = self._default_visibility().value
        with _storing(), transaction(self.engine) as session:
            post = queries.create_post(
                session,
                {
                    "user_id": self.user_id,
                    "content": content,
                    "title": stored_title,
                    "visibility": visibility,
                },
            )
            return PostRecord.of(post)

    def save_text(self, post_id: str, title: str, content: str) -> PostRecord:
        """Autosave: store what the user typed, whatever its length; the status does not move.
        The same characters and title length as `create_draft` are refused."""
        validate_draft_content(content)
        new_title = validate_title(title)
        with _storing(), transaction(self.engine) as session:
            post = self._get(session, post_id)
            if post.title == new_title and post.content == content:
                return PostRecord.of(post)
            changes = _text_changes(post, new_title, content)
            updated = queries.update_post(session, post_id, changes, self.user_id)
            assert updated is not None
            return PostRecord.of(updated)

    def update(
        self,
        post_id: str,
        *,
        title: str | None = None,
        content: str | None = None,
        first_comment: str | None = None,
        visibility: Visibility | None = None,
    ) -> PostRecord:
        """Several of a post's parts at once (None: left as it is; "" removes a title or the
        first comment), checked and written in ONE transaction: a refusal, or the publisher
        claiming the post, never leaves part of the change (an agent's edit, `update_post`)."""
        if content is not None:
            validate_draft_content(content)
        new_title = validate_title(title) if title is not None else None
        comment = validate_first_comment(first_comment) if first_comment is not None else None

        def change(post: Post) -> queries.PostChanges:
            changes: queries.PostChanges = {}
            if title is not None or content is not None:
                changes.update(
                    _text_changes(
                        post,
                        new_title if title is not None else post.title,
                        content if content is not None else post.content,
                    )
                )
            if first_comment is not None:
                changes.update(comment_columns(FirstComment(comment) if comment else None))
            if visibility is not None:
                changes["visibility"] = Visibility(visibility).value
            return changes

        return self._edit(post_id, change)

    def duplicate(self, post_id: str) -> PostRecord:
        """A new draft with the same title, text and content: copies of its files (those still
        there), its poll, link card, visibility and first comment (to be sent afresh)."""
        return self._copy(post_id)

    def _copy(
        self,
        post_id: str,
        columns: queries.PostChanges | None = None,
        also: Callable[[Session, Post], None] | None = None,
    ) -> PostRecord:
        """`duplicate`'s copy, with `columns` on it (a time and status: a repeat, an evergreen
        reuse) and `also` run in the transaction that writes it (a refusal there writes
        nothing and leaves no copy)."""
        source = self.get(post_id)
        # A post written by an older version or another program may break today's rules.
        validate_draft_content(source.content)
        validate_title(source.title)
        content = source.post_content
        copy_id = new_id()
        kept = [m for m in content.media if self.media_path(m.path).is_file()]
        files = [NewFile(m.kind, self.media_path(m.path), m.alt_text, m.title) for m in kept]
        link = content.link
        thumbnail = None
        if link is not None and link.thumbnail_path:
            thumbnail = self.media_path(link.thumbnail_path)
            thumbnail = thumbnail if thumbnail.is_file() else None
        copies, thumb = self._copy_with_thumbnail(files, thumbnail, copy_id, whole=False)
        if link is not None:
            thumb_name = thumb.path.name if thumb else None
            link = replace(link, thumbnail_path=thumb_name, thumbnail_urn=None)
        comment = content.first_comment
        fresh = PostContent(
            visibility=content.visibility,
            poll=content.poll,
            link=link,
            first_comment=FirstComment(comment.text) if comment else None,
        )
        new: queries.NewPost = {
            "id": copy_id,
            "user_id": self.user_id,
            "content": source.content,
            "title": source.title,
        }
        made = [*copies, *([thumb] if thumb else [])]
        extra: queries.PostChanges = {**content_columns(fresh), **(columns or {})}
        post = with_copies(made, lambda: self._create(new, extra, copies, files, also))
        return PostRecord.of(post)

    def retry(self, post_id: str) -> PostRecord:
        """Send a failed post again at the publisher's next pass, with a fresh set of attempts."""

        def check(post: Post) -> None:
            if not can_retry(post.status):
                raise ValidationError(
                    f"Only a failed post can be retried; this one is {post.status}."
                )
            validate_content(post.content)

        return self._change(
            post_id, queries.scheduled_afresh(utc_now()), check, _event(EventKind.RETRIED)
        )

    def mark_published(self, post_id: str, link: str = "") -> PostRecord:
        """The user found a failed post on LinkedIn after all: record it, never send it again.
        `link` (optional) is the post's address or URN, kept so the post can be found later."""

        def check(post: Post) -> None:
            if not can_mark_published(post.status):
                raise ValidationError(
                    f"Only a failed post can be marked as published, not a {post.status} one."
                )

        changes: queries.PostChanges = {
            "status": PostStatus.PUBLISHED,
            "published_at": utc_now(),
            "error_message": None,
            "linkedin_post_urn": parse_post_urn(link),
        }

        def check_and_hold_comment(post: Post) -> None:
            check(post)
            if post.first_comment_text and post.first_comment_status == CommentStatus.PENDING:
                # Linkie did not see this post created, so it never comments by itself: the
                # user may have commented already. Retry comment sends it if they want.
                changes["first_comment_status"] = CommentStatus.FAILED.value
                changes["first_comment_error"] = COMMENT_HELD_BY_HAND

        return self._change(
            post_id, changes, check_and_hold_comment, _event(EventKind.MARKED_PUBLISHED, link)
        )

    def retry_comment(self, post_id: str) -> PostRecord:
        """Send a published post's failed first comment again: it becomes pending, and the
        publisher's next pass sends it (services/publisher_comment.py, the one sender)."""

        def check(post: Post) -> None:
            if post.status != PostStatus.PUBLISHED:
                raise ValidationError(
                    f"A first comment is sent after its post is published; this one is "
                    f"{post.status}."
                )
            if not post.first_comment_text:
                raise ValidationError("This post has no first comment.")
            if post.first_comment_status != CommentStatus.FAILED:
                state = enum_or(CommentStatus, post.first_comment_status, CommentStatus.PENDING)
                raise ValidationError(
                    f"Only a failed first comment can be retried; this one is {state}."
                )
            if not post.linkedin_post_urn:
                raise ValidationError(
                    "Linkie does not know this post's address on LinkedIn, so it cannot comment "
                    "on it; add the comment on LinkedIn yourself."
                )

        changes: queries.PostChanges = {
            "first_comment_status": CommentStatus.PENDING.value,
            "first_comment_error": None,
        }
        return self._change(post_id, changes, check)

    def set_schedule(self, post_id: str, at: datetime | None, now: datetime) -> PostRecord:
        """The post dialog's Save: scheduled for `at` (in the future of `now`, the caller's
        clock), or with `at` None a draft again. The text is the composer's, saved already."""
        if at is not None:
            validate_schedule_time(at, now)

        def check(post: Post) -> None:
            ensure_editable(post.status)
            if at is not None:
                validate_content(post.content)

        changes: queries.PostChanges = (
            queries.scheduled_afresh(at)
            if at is not None
            else {"status": PostStatus.DRAFT, "scheduled_at": None, "error_message": None}
        )
        return self._change(post_id, changes, check, _schedule_change(at))

    def move_to_day(
        self, post_id: str, day: date, default_time: time, now: datetime, tz: tzinfo | None
    ) -> DayMove:
        """The calendar's drop on a local day, by the caller's clock `now` and zone `tz`: a draft
        at `default_time` (the next quarter-hour when that has passed today), a scheduled or
        failed post at its own local time of day, across DST changes. A past day, a published or
        publishing post and a text LinkedIn would refuse are refused (ValidationError), checked in
        the transaction that writes, so the publisher cannot claim the post in between."""
        with _storing(), transaction(self.engine) as session:
            post = self._get(session, post_id)
            refusal = move_refusal(post.status, text_problem(post.content), day, local_day(now, tz))
            if refusal:
                raise ValidationError(refusal)
            was_draft = post.status == PostStatus.DRAFT or post.scheduled_at is None
            slot = slot_on_day(None if was_draft else post.scheduled_at, day, default_time, now, tz)
            if slot is None:
                return DayMove(PostRecord.of(post), None, was_draft)
            validate_schedule_time(slot.instant, now)
            updated = queries.update_post(
                session, post_id, queries.scheduled_afresh(slot.instant), self.user_id
            )
            assert updated is not None
            _scheduled_event(session, updated)
            return DayMove(PostRecord.of(updated), slot, was_draft)

    # --- the queue, recurring and evergreen posts (issue 16) --------------------------------------

    def queue(
        self, post_id: str, now: datetime | None = None, tz: tzinfo | None = None
    ) -> Occurrence:
        """Add to queue: the post is scheduled in the next free posting slot at least MIN_LEAD
        after `now` (free: no scheduled or publishing post at that instant; its own time counts
        as free). Refused (ValidationError, nothing written): no slots, no free slot within a
        year, or a post that cannot be scheduled as it is."""
        now = now or utc_now()
        with _storing(), transaction(self.engine) as session:
            post = self._get(session, post_id)
            if not can_schedule(post.status):
                raise ValidationError(f"A {post.status} post cannot be queued.")
            problem = text_problem(post.content)
            if problem:
                raise ValidationError(f"Not queued. {problem}")
            slots = queries.slot_rules(session, self.user_id)
            if not slots:
                raise ValidationError(NO_SLOTS)
            taken = queries.taken_instants(
                session, self.user_id, now + MIN_LEAD, now + QUEUE_HORIZON
            )
            if post.scheduled_at is not None:
                taken.discard(post.scheduled_at)
            found = first_free(slots, now, taken, tz)
            if found is None:
                raise ValidationError(QUEUE_FULL)
            updated = queries.update_post(
                session, post_id, queries.scheduled_afresh(found.instant), self.user_id
            )
            assert updated is not None
            _scheduled_event(session, updated)
            return found

    def reassign_times(self, moves: Sequence[tuple[str, datetime, datetime]]) -> tuple[str, ...]:
        """The queue's Move up/down and Shuffle: each (post, from, to) moves a scheduled post from
        its time to another, all in one transaction. Refused, with nothing moved, when any post
        is no longer scheduled at its `from` (published, edited or moved meanwhile)."""
        with _storing(), transaction(self.engine) as session:
            for post_id, before, after in moves:
                post = self._get(session, post_id)
                if post.status != PostStatus.SCHEDULED or post.scheduled_at != before:
                    raise ValidationError(QUEUE_CHANGED)
                moved = queries.update_post(
                    session, post_id, queries.scheduled_afresh(after), self.user_id
                )
                assert moved is not None
                _scheduled_event(session, moved)
            return tuple(post_id for post_id, _before, _after in moves)

    def set_repeat(self, post_id: str, rule: RepeatRule | None) -> PostRecord:
        """Repeat the post by `rule` (None: no more repeats). The post starts its series."""

        def change(post: Post) -> queries.PostChanges:
            if rule is None:
                return {"repeat_rule_json": None}
            return {"repeat_rule_json": rule.to_json(), "series_id": post.series_id or post.id}

        return self._edit(post_id, change)

    def set_evergreen(self, post_id: str, evergreen: bool) -> PostRecord:
        """A published post may fill an empty slot again (services/evergreen.py)."""

        def check(post: Post) -> None:
            if evergreen and post.status != PostStatus.PUBLISHED:
                raise ValidationError("Only a published post can be evergreen.")

        return self._change(post_id, {"evergreen": int(evergreen)}, check)

    def repeat_rule(self, post_id: str) -> RepeatRule | None:
        text = self.get(post_id).repeat_rule_json
        return RepeatRule.from_json(text) if text else None

    def toggle_evergreen(self, post_id: str) -> PostRecord:
        return self.set_evergreen(post_id, not self.get(post_id).evergreen)

    def add_copy_at(
        self,
        source_id: str,
        at: datetime,
        columns: queries.PostChanges,
        source_changes: queries.PostChanges | None = None,
        *,
        require_free: bool = True,
    ) -> PostRecord:
        """A copy of the post scheduled for `at`, with `columns` (a repeat's series and rule, an
        evergreen reuse's source), written (with `require_free`) only while no other post holds
        `at`; the source gets `source_changes` in the same transaction."""

        def check_free(session: Session, copy: Post) -> None:
            holders = queries.taken_instants(session, self.user_id, at, at + MIN_LEAD)
            if require_free and at in holders:
                raise ValidationError("Another post took that time meanwhile.")
            if source_changes:
                queries.update_post(session, source_id, source_changes, self.user_id)
            _scheduled_event(session, copy, at)  # its time is set after this: said here

        scheduled: queries.PostChanges = {"status": PostStatus.SCHEDULED, "scheduled_at": at}
        return self._copy(source_id, {**columns, **scheduled}, check_free)

    def return_to_drafts(self, post_id: str) -> tuple[PostRecord, bool]:
        """The calendar's drop on its drafts: a scheduled or failed post becomes a draft again
        (True); a draft stays as it is (False); a published or publishing post is refused in the
        calendar's words (ValidationError)."""
        with _storing(), transaction(self.engine) as session:
            post = self._get(session, post_id)
            refusal = move_refusal(post.status, "", None, date.min)
            if refusal:
                raise ValidationError(refusal)
            if post.status == PostStatus.DRAFT:
                return PostRecord.of(post), False
            updated = queries.update_post(
                session,
                post_id,
                {"status": PostStatus.DRAFT, "scheduled_at": None, "error_message": None},
                self.user_id,
            )
            assert updated is not None
            return PostRecord.of(updated), True

    # --- what a post carries besides its text (post formats) -------------------------------------

    def content(self, post_id: str) -> PostContent:
        return self.get(post_id).post_content

    def attach_images(
        self, post_id: str, sources: Sequence[Path], alt_texts: Sequence[str | None] = ()
    ) -> PostRecord:
        """Append images (in this order, `alt_texts[i]` for `sources[i]`), each checked and
        copied into the media folder. Refused, with nothing copied or changed: another kind of
        attachment on the post, more than MAX_IMAGES images in all, a bad image or alt text."""
        files = image_files(sources, alt_texts)
        return self._add_files(post_id, files, _image_kind(len(files)), _none_replaced)

    def attach_image(self, post_id: str, source: Path) -> PostRecord:
        """The one-image composer's Attach: `source` takes the place of the post's first image
        (the one image_path names), or is its first image."""
        files = image_files([source], ())
        return self._add_files(post_id, files, ContentKind.IMAGE, _first_image, whole=True)

    def set_document(self, post_id: str, source: Path, title: str) -> PostRecord:
        """The post's document (replacing one it had): PDF, PPT, PPTX, DOC or DOCX, with its
        title, checked (size, pages where they can be counted) and copied."""
        file = NewFile(
            MediaKind.DOCUMENT, source, title=validate_media_title(title, MediaKind.DOCUMENT)
        )
        return self._add_files(post_id, [file], ContentKind.DOCUMENT, _all_of(MediaKind.DOCUMENT))

    def set_video(self, post_id: str, source: Path, title: str) -> PostRecord:
        """The post's video (replacing one it had): an MP4 with its title, checked (size, length
        read locally) and copied."""
        file = NewFile(MediaKind.VIDEO, source, title=validate_media_title(title, MediaKind.VIDEO))
        return self._add_files(post_id, [file], ContentKind.VIDEO, _all_of(MediaKind.VIDEO))

    def remove_media(self, post_id: str, media_id: str) -> PostRecord:
        """Take one file off the post and delete its copy; the others close up in order."""

        def change(post: Post) -> None:
            post.media.remove(_row(post, media_id))

        return self._edit(post_id, change, media=True)

    def remove_image(self, post_id: str) -> PostRecord:
        """The one-image composer's Remove: the post's first image goes (any left moves up)."""

        def change(post: Post) -> None:
            first = _first_image_row(post)
            if first is not None:
                post.media.remove(first)

        return self._edit(post_id, change, media=True)

    def move_media(self, post_id: str, media_id: str, position: int) -> PostRecord:
        """Move one file to `position` (0 first; past either end means that end)."""

        def change(post: Post) -> None:
            row = _row(post, media_id)
            order = [m for m in post.media if m is not row]
            order.insert(max(0, min(position, len(order))), row)
            post.media[:] = order

        return self._edit(post_id, change, media=True)

    def set_alt_text(self, post_id: str, media_id: str, alt_text: str | None) -> PostRecord:
        """An image's alt text (empty: none), at most MAX_ALT_TEXT_CHARS."""
        stored = validate_alt_text(alt_text)

        def change(post: Post) -> None:
            row = _row(post, media_id)
            if row.kind != MediaKind.IMAGE:
                raise ValidationError(f"Only images have alt text on LinkedIn, not a {row.kind}.")
            row.alt_text = stored

        return self._edit(post_id, change)

    def set_media_title(self, post_id: str, media_id: str, title: str) -> PostRecord:
        """A document's or video's title (required)."""

        def change(post: Post) -> None:
            row = _row(post, media_id)
            if row.kind == MediaKind.IMAGE:
                raise ValidationError("An image has alt text on LinkedIn, not a title.")
            row.title = validate_media_title(title, MediaKind(row.kind))

        return self._edit(post_id, change)

    def set_poll(self, post_id: str, poll: Poll) -> PostRecord:
        """The post's poll (replacing one it had): 2-4 options, 1/3/7/14 days."""
        checked = validate_poll(poll.question, poll.options, poll.days)

        def change(post: Post) -> queries.PostChanges:
            refuse_mixing(content_of(post), ContentKind.POLL)
            return poll_columns(checked)

        return self._edit(post_id, change)

    def remove_poll(self, post_id: str) -> PostRecord:
        return self._edit(post_id, lambda _post: poll_columns(None))

    def set_link_card(
        self, post_id: str, url: str, title: str, description: str | None = None
    ) -> PostRecord:
        """The post's link card text (its thumbnail, if any, stays: `set_link_thumbnail`)."""
        card = validate_link_card(url, title, description)

        def change(post: Post) -> queries.PostChanges:
            refuse_mixing(content_of(post), ContentKind.LINK)
            return {
                "link_url": card.url,
                "link_title": card.title,
                "link_description": card.description,
            }

        return self._edit(post_id, change)

    def set_link_thumbnail(self, post_id: str, source: Path | None) -> PostRecord:
        """The link card's thumbnail image (None: none), checked and copied like any image."""
        before = self.get(post_id)
        ensure_editable(before.status)
        _need_link(before.post_content)
        copy = (
            self._files.copy_new([NewFile(MediaKind.IMAGE, source)], post_id)[0] if source else None
        )
        old: list[str] = []

        def change(post: Post) -> queries.PostChanges:
            _need_link(content_of(post))
            if post.link_thumbnail_path:
                old.append(post.link_thumbnail_path)
            return {
                "link_thumbnail_path": copy.path.name if copy else None,
                "link_thumbnail_urn": None,
            }

        record = with_copies([copy] if copy else [], lambda: self._edit(post_id, change))
        self._files.discard(old)
        return record

    def remove_link_card(self, post_id: str) -> PostRecord:
        old: list[str] = []

        def change(post: Post) -> queries.PostChanges:
            if post.link_thumbnail_path:
                old.append(post.link_thumbnail_path)
            return link_columns(None)

        record = self._edit(post_id, change)
        self._files.discard(old)
        return record

    def set_first_comment(self, post_id: str, text: str | None) -> PostRecord:
        """The comment sent right after the post (plain text, at most MAX_COMMENT_CHARS);
        empty: no comment."""
        stored = validate_first_comment(text)
        comment = FirstComment(stored) if stored is not None else None
        return self._edit(post_id, lambda _post: comment_columns(comment))

    def set_visibility(self, post_id: str, visibility: Visibility) -> PostRecord:
        return self._edit(post_id, lambda _post: {"visibility": Visibility(visibility).value})

    def media_path(self, stored: str) -> Path:
        """Where a stored media path (MediaItem.path, LinkCard.thumbnail_path) is on disk."""
        return self._files.path(stored)

    @property
    def _files(self) -> MediaFiles:
        return MediaFiles(self.media_dir)

    def _edit(
        self,
        post_id: str,
        change: Callable[[Post], queries.PostChanges | None],
        *,
        media: bool = False,
    ) -> PostRecord:
        """One change to an editable post, checked and written in one transaction (a refusal
        from `change` writes nothing). With `media`, the files were rearranged: positions are
        numbered again, image_path follows the first image, and copies no longer used go."""
        with _storing(), transaction(self.engine) as session:
            post = self._get(session, post_id)
            ensure_editable(post.status)
            files_before = self._files.files_of(post.image_path, [m.path for m in post.media])
            changes: queries.PostChanges = {}
            changes.update(change(post) or {})
            if media:
                for position, row in enumerate(post.media):
                    row.position = position
                changes["image_path"] = self._first_image_path(post)
            updated = queries.update_post(session, post_id, changes, self.user_id)
            assert updated is not None
            record = PostRecord.of(updated)
        if media:
            paths = [m.path for m in record.post_content.media]
            self._files.discard_paths(files_before - self._files.files_of(record.image_path, paths))
        return record

    def _add_files(
        self,
        post_id: str,
        files: Sequence[NewFile],
        adding: ContentKind,
        replaced: Callable[[Post], Sequence[PostMedia]],
        *,
        whole: bool = True,
    ) -> PostRecord:
        """Check and copy `files`, then in one transaction put them where `replaced` rows were
        (else at the end). The kind rules are checked before copying and again in the
        transaction; a refusal leaves no copy and changes nothing."""

        def check(content: PostContent, replacing: int) -> None:
            refuse_mixing(content, adding)
            if adding in (ContentKind.IMAGE, ContentKind.IMAGES):
                check_image_count(len(content.images) - replacing, len(files))

        with reading(self.engine) as session:
            post = self._get(session, post_id)
            ensure_editable(post.status)
            check(content_of(post), len(replaced(post)))
        copies = self._files.copy_new(files, post_id, whole=whole)

        def change(post: Post) -> None:
            old = replaced(post)
            check(content_of(post), len(old))
            kept = [m for m in post.media if m not in old]
            before = post.media[: post.media.index(old[0])] if old else post.media
            at = sum(1 for m in before if m not in old)
            rows = [copy.row(post.user_id, file) for copy, file in zip(copies, files, strict=True)]
            post.media[:] = kept[:at] + rows + kept[at:]

        return with_copies(copies, lambda: self._edit(post_id, change, media=True))

    def _first_image_path(self, post: Post) -> str | None:
        first = post.media[0] if post.media else None
        if first is None or first.kind != MediaKind.IMAGE:
            return None
        return str(self.media_path(first.path))

    def restore(self, deleted: DeletedPost) -> PostRecord:
        """Undo a delete: the post comes out of the trash as it was (same id, times, content and
        media rows); one the trash no longer holds (emptied meanwhile) is written back whole."""
        if deleted.user_id != self.user_id:  # someone else's Undo, on a shared database
            raise ValidationError("That post is someone else's; nothing was changed.")
        record = deleted.record
        values = {name: getattr(record, name) for name in _POST_COLUMNS}
        content = record.post_content
        with transaction(self.engine) as session:
            trashed = queries.get_trashed_post(session, record.id, deleted.user_id)
            if trashed is not None:
                trashed.deleted_at = None
                activity.record(
                    session, deleted.user_id, record.id, EventKind.RESTORED, EventOutcome.INFO
                )
                session.flush()
                return PostRecord.of(trashed)
            post = queries.restore_post(
                session, {**values, **content_columns(content), "user_id": deleted.user_id}
            )
            post.media[:] = [restored_row(item, deleted.user_id) for item in content.media]
            session.flush()
            activity.put_back(session, deleted.events)
            activity.record(
                session, deleted.user_id, post.id, EventKind.RESTORED, EventOutcome.INFO
            )
            return PostRecord.of(post)

    def forget(self, deleted: DeletedPost) -> None:
        """The Undo time is over: the deleted post's copies (media, thumbnail) go once no post
        uses them any more; while the post is in the trash they stay, for a restore from there."""
        self._discard_unused([deleted.record])

    def _discard_unused(self, records: Sequence[PostRecord]) -> None:
        """Delete the files of `records` that no post row (the trash's included) still names."""
        stored: list[str] = []
        for record in records:
            stored += [m.path for m in record.post_content.media]
            link = record.post_content.link
            if link is not None and link.thumbnail_path:
                stored.append(link.thumbnail_path)
        candidates = {self.media_path(s) for s in stored}
        candidates |= {Path(r.image_path) for r in records if r.image_path}
        # A file may be named either way (a media row's name, posts.image_path's full path).
        names = [p.name for p in candidates]
        with reading(self.engine) as session:
            used = {self.media_path(n) for n in queries.media_paths_in_use(session, names)}
            used |= set(map(Path, queries.image_paths_in_use(session, list(map(str, candidates)))))
        self._files.discard_paths(candidates - used)

    def import_rows(
        self,
        posts: Sequence[tuple[dict[str, Any], Sequence[dict[str, Any]]]],
        generations: Sequence[dict[str, Any]] = (),
    ) -> dict[str, str]:
        """Write imported posts (each its columns and its media rows' columns, checked by
        services/import_posts.py) and Studio generations, all in one transaction, as the
        user's. Ids are kept, or new where a row holds them already (references between the
        imported posts follow); returns {old id: new id} of the posts that got a new one."""
        with _storing(), transaction(self.engine) as session:

            def taken(model: type[Post | PostMedia | Generation], ids: list[str]) -> set[str]:
                return set(queries.existing_ids(session, model, ids))

            new_ids = {
                old: new_id() for old in taken(Post, [p["id"] for p, _ in posts if "id" in p])
            }
            media_taken = taken(PostMedia, [m["id"] for _, ms in posts for m in ms if "id" in m])
            for values, media in posts:
                old = values.get("id") or new_id()
                post = Post(**{**values, "id": new_ids.get(old, old), "user_id": self.user_id})
                for key in ("series_id", "evergreen_source_id"):
                    setattr(post, key, new_ids.get(getattr(post, key), getattr(post, key)))
                post.media[:] = [
                    PostMedia(
                        **{
                            **m,
                            "user_id": self.user_id,
                            "id": new_id() if m.get("id") in media_taken else m.get("id", new_id()),
                        }
                    )
                    for m in media
                ]
                session.add(post)
            generations_taken = taken(Generation, [g["id"] for g in generations if "id" in g])
            for g in generations:
                gid = new_id() if g.get("id") in generations_taken else g.get("id", new_id())
                session.add(Generation(**{**g, "id": gid, "user_id": self.user_id}))
            session.flush()
        return new_ids

    # --- the trash (issue 17) ---------------------------------------------------------------------

    def trash(self) -> tuple[tuple[PostRecord, datetime], ...]:
        """The posts in the trash with when each was deleted, the most recent first."""
        with reading(self.engine) as session:
            return tuple(
                (PostRecord.of(p), p.deleted_at)
                for p in queries.get_trashed_posts(session, self.user_id)
                if p.deleted_at is not None
            )

    def restore_from_trash(
        self, post_id: str, now: datetime | None = None
    ) -> tuple[PostRecord, bool]:
        """Take a post out of the trash. A scheduled post whose time passed while it lay there
        comes back as a draft (True): it is never sent late by surprise."""
        now = now or utc_now()
        with _storing(), transaction(self.engine) as session:
            post = queries.get_trashed_post(session, post_id, self.user_id)
            if post is None:
                raise ValidationError(f"There is no post with id {post_id!r} in the trash.")
            post.deleted_at = None
            late = post.status == PostStatus.SCHEDULED and (
                post.scheduled_at is None or post.scheduled_at <= now
            )
            if late:
                post.status = PostStatus.DRAFT
                post.scheduled_at = None
                post.next_attempt_at = None
            activity.record(session, self.user_id, post_id, EventKind.RESTORED, EventOutcome.INFO)
            session.flush()
            return PostRecord.of(post), late

    def discard(self, post_id: str) -> None:
        """Remove a post for good at once, row and files, without the trash: for a post made a
        moment ago that could not be finished (Studio's Use as draft whose image failed), which
        the user never saw."""
        with _storing(), transaction(self.engine) as session:
            post = self._get(session, post_id)
            record = PostRecord.of(post)
            session.delete(post)
            session.flush()
        self._discard_unused([record])

    def empty_trash(self, deleted_before: datetime | None = None) -> tuple[str, ...]:
        """Remove the posts in the trash for good (with `deleted_before`: those deleted before
        then), their rows and the media files no other post uses; the ids removed."""
        with _storing(), transaction(self.engine) as session:
            trashed = queries.get_trashed_posts(session, self.user_id, deleted_before)
            records = [PostRecord.of(p) for p in trashed]
            for post in trashed:
                session.delete(post)
            session.flush()
        self._discard_unused(records)
        return tuple(r.id for r in records)

    def page(self, query: PostQuery, offset: int, limit: int) -> Sequence[PostSummary]:
        with reading(self.engine) as session:
            return queries.list_post_summaries(
                session,
                self.user_id,
                statuses=query.statuses,
                search=query.search,
                sort=query.sort,
                descending=query.descending,
                limit=limit,
                offset=offset,
            )

    def count(self, query: PostQuery) -> int:
        with reading(self.engine) as session:
            return queries.count_post_summaries(
                session, self.user_id, statuses=query.statuses, search=query.search
            )

    def upload_states(
        self, post_ids: Sequence[str], *, now: datetime | None = None, tz: tzinfo | None = None
    ) -> dict[str, UploadState]:
        """How the posts' uploads stand ("Uploading video: 45 %", "Upload failed: … — will
        retry at 10:42:05"), for those that have news (services/upload_progress.py)."""
        from linkie_desktop.services.upload_progress import upload_states

        return upload_states(self.engine, self.user_id, post_ids, now=now, tz=tz)

    def records(self, post_ids: Sequence[str]) -> dict[str, PostRecord]:
        with reading(self.engine) as session:
            return {
                p.id: PostRecord.of(p)
                for p in queries.get_posts_by_ids(session, post_ids, self.user_id)
            }


_UNSCHEDULED = (EventKind.UNSCHEDULED, EventOutcome.INFO, "A draft again")


def _scheduled_event(session: Session, post: Post, at: datetime | None = None) -> None:
    when = at or post.scheduled_at
    detail = f"For {local_minute_text(when)}" if when is not None else None
    activity.record(session, post.user_id, post.id, EventKind.SCHEDULED, EventOutcome.INFO, detail)


def _event(kind: EventKind, detail: str | None = None) -> Callable[[Session, Post], None]:
    def write(session: Session, post: Post) -> None:
        activity.record(session, post.user_id, post.id, kind, EventOutcome.INFO, detail or None)

    return write


def _schedule_change(at: datetime | None) -> Callable[[Session, Post], None]:
    if at is not None:
        return _scheduled_event

    def unscheduled(session: Session, post: Post) -> None:
        activity.record(session, post.user_id, post.id, *_UNSCHEDULED)

    return unscheduled


def _image_kind(count: int) -> ContentKind:
    return ContentKind.IMAGE if count == 1 else ContentKind.IMAGES


def _none_replaced(_post: Post) -> list[PostMedia]:
    return []


def _first_image_row(post: Post) -> PostMedia | None:
    return next((m for m in post.media if m.kind == MediaKind.IMAGE), None)


def _first_image(post: Post) -> list[PostMedia]:
    first = _first_image_row(post)
    return [first] if first is not None else []


def _all_of(kind: MediaKind) -> Callable[[Post], list[PostMedia]]:
    return lambda post: [m for m in post.media if m.kind == kind]


def _row(post: Post, media_id: str) -> PostMedia:
    for row in post.media:
        if row.id == media_id:
            return row
    raise ValidationError("That attachment is no longer on this post.")


def _need_link(content: PostContent) -> None:
    if content.link is None:
        raise ValidationError("Add the link card first: the thumbnail belongs to it.")
