"""Post operations shared by the window and the command line, with the domain's rules applied."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.models import Post
from linkie_desktop.db.queries import PostSummary
from linkie_desktop.db.types import new_id, utc_now
from linkie_desktop.domain.images import open_checked_image
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
from linkie_desktop.domain.schedule import (
    LocalSlot,
    local_day,
    move_refusal,
    slot_on_day,
    text_problem,
)
from linkie_desktop.domain.status import PostStatus

# The Drafts tab's status filter: (key, label, statuses shown; None = all).
STATUS_FILTERS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("all", "All", None),
    ("drafts", "Drafts", (PostStatus.DRAFT,)),
    # A post on its way to LinkedIn is still "scheduled" to the user until the outcome is known.
    ("scheduled", "Scheduled", (PostStatus.SCHEDULED, PostStatus.PUBLISHING)),
    ("published", "Published", (PostStatus.PUBLISHED,)),
    ("failed", "Failed", (PostStatus.FAILED,)),
)

_COPY_CHUNK = 1 << 20


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

    @property
    def editable(self) -> bool:
        return is_editable(self.status)

    @classmethod
    def of(cls, post: Post) -> PostRecord:
        return cls(**{f.name: getattr(post, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class DeletedPost:
    """Everything needed to put a deleted post back (Undo)."""

    record: PostRecord
    user_id: str


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


@dataclass(frozen=True)
class PostService:
    engine: Engine
    user_id: str
    # Where attached images are copied; only files in here are ever deleted by the app.
    media_dir: Path | None = None

    def add(self, content: str, title: str | None = None, at: datetime | None = None) -> Post:
        validate_content(content)
        title = validate_title(title)
        if at is not None:
            validate_schedule_time(at, utc_now())
        with transaction(self.engine) as session:
            if at is None:
                return queries.create_post(
                    session, {"user_id": self.user_id, "content": content, "title": title}
                )
            return queries.create_post(
                session,
                {
                    "user_id": self.user_id,
                    "content": content,
                    "title": title,
                    "status": PostStatus.SCHEDULED,
                    "scheduled_at": at,
                },
            )

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
            return updated

    def delete(self, post_id: str) -> DeletedPost:
        """Delete the post; its image file stays until `forget` so that `restore` can undo this."""
        with transaction(self.engine) as session:
            post = self._get(session, post_id)
            if not can_delete(post.status):
                raise ValidationError("This post is being published right now; try again shortly.")
            deleted = DeletedPost(record=PostRecord.of(post), user_id=post.user_id)
            queries.delete_post(session, post_id, self.user_id)
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
    ) -> PostRecord:
        """Apply `changes`; `check` (raising ValidationError) sees the post in the same
        transaction, so the publisher cannot claim it between the check and the write."""
        with transaction(self.engine) as session:
            post = self._get(session, post_id)
            if check is not None:
                check(post)
            updated = queries.update_post(session, post_id, changes, self.user_id)
            assert updated is not None
            return PostRecord.of(updated)

    def get(self, post_id: str) -> PostRecord:
        with reading(self.engine) as session:
            return PostRecord.of(self._get(session, post_id))

    def create_draft(self, title: str = "", content: str = "") -> PostRecord:
        """A draft as typed so far: unlike `add`, an empty or long text is kept, not refused;
        control characters and an over-long title are (ValidationError, nothing written)."""
        validate_draft_content(content)
        stored_title = validate_title(title)
        with _storing(), transaction(self.engine) as session:
            post = queries.create_post(
                session, {"user_id": self.user_id, "content": content, "title": stored_title}
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
            status = status_after_edit(post.status)
            updated = queries.update_post(
                session,
                post_id,
                {"title": new_title, "content": content, "status": status},
                self.user_id,
            )
            assert updated is not None
            return PostRecord.of(updated)

    def duplicate(self, post_id: str) -> PostRecord:
        """A new draft with the same title, text and (a copy of the) image."""
        with transaction(self.engine) as session:
            source = self._get(session, post_id)
            # A post written by an older version or another program may break today's rules.
            validate_draft_content(source.content)
            validate_title(source.title)
            copy = queries.create_post(
                session,
                {"user_id": self.user_id, "content": source.content, "title": source.title},
            )
            if source.image_path and Path(source.image_path).is_file():
                copy.image_path = str(self._copy_into_media(Path(source.image_path), copy.id))
                session.flush()
            return PostRecord.of(copy)

    def retry(self, post_id: str) -> PostRecord:
        """Send a failed post again at the publisher's next pass, with a fresh set of attempts."""

        def check(post: Post) -> None:
            if not can_retry(post.status):
                raise ValidationError(
                    f"Only a failed post can be retried; this one is {post.status}."
                )
            validate_content(post.content)

        return self._change(post_id, queries.scheduled_afresh(utc_now()), check)

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
        return self._change(post_id, changes, check)

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
            return DayMove(PostRecord.of(updated), slot, was_draft)

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

    def attach_image(self, post_id: str, source: Path) -> PostRecord:
        """Check the image, copy it into the media folder and point the post at the copy.

        A bad image raises ValidationError before anything is copied or changed.
        """
        post = self.get(post_id)
        ensure_editable(post.status)
        copy = self._copy_into_media(source, post_id, whole=True)
        try:
            record = self._change(post_id, {"image_path": str(copy)}, _editable)
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        self._discard_media(post.image_path)
        return record

    def remove_image(self, post_id: str) -> PostRecord:
        post = self.get(post_id)
        ensure_editable(post.status)
        record = self._change(post_id, {"image_path": None}, _editable)
        self._discard_media(post.image_path)
        return record

    def restore(self, deleted: DeletedPost) -> PostRecord:
        values = {f.name: getattr(deleted.record, f.name) for f in fields(PostRecord)}
        with transaction(self.engine) as session:
            return PostRecord.of(
                queries.restore_post(session, {**values, "user_id": deleted.user_id})
            )

    def forget(self, deleted: DeletedPost) -> None:
        """The Undo time is over: the deleted post's image copy may go too."""
        self._discard_media(deleted.record.image_path)

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

    def records(self, post_ids: Sequence[str]) -> dict[str, PostRecord]:
        with reading(self.engine) as session:
            return {
                p.id: PostRecord.of(p)
                for p in queries.get_posts_by_ids(session, post_ids, self.user_id)
            }

    # --- media files -----------------------------------------------------------------------------

    def _media_folder(self) -> Path:
        if self.media_dir is None:
            raise ValidationError("No folder is set up for images.")
        self.media_dir.mkdir(parents=True, exist_ok=True)
        return self.media_dir

    def _copy_into_media(self, source: Path, post_id: str, *, whole: bool = False) -> Path:
        """Copy under a fresh name (temp file, then rename) so a half-written copy is never used.

        The copy reads the very file the checks read (one descriptor): a name swapped for a pipe
        or a huge file in between is never read, and at most the checked size is copied.
        """
        with open_checked_image(source, whole=whole) as checked:
            folder = self._media_folder()
            target = folder / f"{post_id}-{new_id()}{checked.info.suffix}"
            partial = target.with_suffix(target.suffix + ".part")
            try:
                with partial.open("wb") as out:
                    left = checked.size
                    while left > 0 and (chunk := checked.file.read(min(left, _COPY_CHUNK))):
                        out.write(chunk)
                        left -= len(chunk)
                partial.replace(target)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise ValidationError(f"The image could not be copied: {exc.strerror}.") from None
        return target

    def _discard_media(self, image_path: str | None) -> None:
        if not image_path or self.media_dir is None:
            return
        path = Path(image_path)
        if path.parent.resolve() == self.media_dir.resolve():
            path.unlink(missing_ok=True)
