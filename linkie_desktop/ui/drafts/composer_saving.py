"""The composer's one save, as it runs on the database worker: the text (a new post's first save
creates it), then the changes of its pieces in the order they were made, each a refusal or not.

Refusals come back as values, not exceptions, so they read the same whichever runner's `explain`
(the window's or the tab's) sees the task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from linkie_desktop.domain.posts import ReadOnlyPostError, ValidationError
from linkie_desktop.services.oauth import ConnectionInfo, connection_status
from linkie_desktop.services.posts import PostRecord, PostService, StorageError, UnknownPostError
from linkie_desktop.services.upload_progress import UploadState
from linkie_desktop.ui.drafts.content_changes import ServiceCall
from linkie_desktop.ui.drafts.model import database_reason

FORKED = (
    "This post changed elsewhere and can no longer be edited, so your text was saved as a new "
    "draft."
)
NOT_ON_THE_NEW_DRAFT = "Your text went to a new draft; change its attachments there."


@dataclass(frozen=True)
class SaveOutcome:
    record: PostRecord | None  # the post afterwards; None: the text was not saved (or it is gone)
    forked: bool = False  # the post could no longer be edited: the text became a new draft
    refusal: str = ""  # why the text was not saved
    retry: bool = False  # the database could not take the text now: try again later
    # One per change sent, in order: "" when written, else why not.
    change_refusals: tuple[str, ...] = ()

    @property
    def text_failed(self) -> bool:
        return self.record is None and bool(self.refusal)


def _save_text(
    service: PostService, post_id: str | None, title: str, content: str
) -> tuple[PostRecord, bool]:
    if post_id is None:
        return service.create_draft(title, content), False
    try:
        return service.save_text(post_id, title, content), False
    except (ReadOnlyPostError, UnknownPostError):
        # Published or deleted while the user typed: keep their words as a new draft.
        return service.create_draft(title, content), True


def _apply(service: PostService, post_id: str, call: ServiceCall) -> tuple[PostRecord | None, str]:
    try:
        return call(service, post_id), ""
    except (ValidationError, StorageError) as exc:
        return None, str(exc)
    except OperationalError as exc:
        return None, f"That could not be saved yet ({database_reason(exc)})."


def save(
    service: PostService,
    post_id: str | None,
    text: tuple[str, str] | None,
    calls: Sequence[ServiceCall],
) -> SaveOutcome:
    """Write `text` (title, content; None: unchanged) and then each of `calls`."""
    record: PostRecord | None = None
    forked = False
    if text is not None or post_id is None:
        title, content = text if text is not None else ("", "")
        try:
            record, forked = _save_text(service, post_id, title, content)
        except StorageError as exc:
            return SaveOutcome(None, refusal=str(exc), retry=True)
        except ValidationError as exc:
            return SaveOutcome(None, refusal=str(exc))
    if forked:
        return SaveOutcome(record, True, change_refusals=(NOT_ON_THE_NEW_DRAFT,) * len(calls))
    target = record.id if record is not None else post_id
    assert target is not None
    refusals = []
    for call in calls:
        changed, refusal = _apply(service, target, call)
        record = changed or record
        refusals.append(refusal)
    if record is None:  # every change refused: show the post as it is now
        try:
            record = service.get(target)
        except UnknownPostError:
            record = None
    return SaveOutcome(record, change_refusals=tuple(refusals))


def retry_comment(service: PostService, post_id: str) -> PostRecord | str:
    """The published post's failed first comment made pending again (the publisher sends it at
    its next pass), or why not."""
    try:
        return service.retry_comment(post_id)
    except (ValidationError, StorageError) as exc:
        return str(exc)
    except OperationalError as exc:
        return f"The comment could not be retried yet ({database_reason(exc)})."


@dataclass(frozen=True)
class Stored:
    """A post as stored now, with how its uploads to LinkedIn stand and the LinkedIn connection
    (which decides whether a due post is waiting for it)."""

    record: PostRecord | None  # None: there is none, or it is gone
    upload: UploadState | None = None  # None: no upload under way or failed
    connection: ConnectionInfo | None = None  # None: not read (no post)


def read(service: PostService, post_id: str | None) -> Stored:
    """The post as stored now, its uploads' news ("Uploading video: 45 %") and the connection."""
    if post_id is None:
        return Stored(None)
    try:
        record = service.get(post_id)
    except UnknownPostError:
        return Stored(None)
    upload = service.upload_states([post_id]).get(post_id)
    return Stored(record, upload, connection_status(service.engine, service.user_id))
