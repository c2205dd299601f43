"""A post's media on LinkedIn: images and documents in one PUT each, videos in 4 MiB parts
(initialize, PUT each part, finalize with the parts' ETags in order), and waiting until a video
is AVAILABLE (LINKEDIN-API.md, Images, Documents, Videos).

Nothing here posts anything, so no error here can mean "may have been published": an upload
that fails is a `MediaNotReady` (a `ConnectionFailed`: nothing was posted, trying again is safe),
never one of the create-post errors. The rule for what fails how:
- 401 and a retired API version are what they are anywhere (`AuthExpired`, `VersionRetired`);
- LinkedIn refusing the request itself (initialize, a status read) is its `Rejected`: the same
  request would be refused again;
- everything else (no answer, 5xx, 429, an answer that is not LinkedIn's, an upload URL that
  refused the bytes or expired, a finalize that did not take the parts) is `UploadFailed` or
  `VideoNotAvailable`, to be tried again later;
- a video LinkedIn could not process (`PROCESSING_FAILED`) is final: `VideoProcessingFailed`.

Files are read in slices while they are sent (a 500 MB video never sits in memory), and
`on_progress(sent, total)` hears every slice. Requests go through the client's one `_send`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.linkedin_answers import (
    ANY_SUCCESS,
    JSON_OK,
    SLOW_UPLINK_BYTES_PER_S,
    AuthExpired,
    ConnectionFailed,
    Expected,
    LinkedInError,
    LinkedInSender,
    RateLimited,
    Rejected,
    ServerError,
    UnexpectedAnswer,
    VersionRetired,
    unexpected_answer,
)

if TYPE_CHECKING:
    import httpx


ProgressCallback = Callable[[int, int], None]  # (bytes sent, bytes in all)

READ_SLICE = 256 * 1024  # bytes read from the file, and heard by on_progress, at a time
VIDEO_STATUSES = frozenset({"WAITING_UPLOAD", "PROCESSING", "AVAILABLE", "PROCESSING_FAILED"})
FINALIZED = Expected(frozenset({200}), json=False)  # POST /rest/videos?action=finalizeUpload
_INITIALIZE_PATHS = {"image": "/rest/images", "document": "/rest/documents"}


class MediaNotReady(ConnectionFailed):
    """A post's media is not (yet) on LinkedIn, so nothing was posted: safe to try again.
    `status` is the HTTP status behind it, if any; `retry_after` LinkedIn's wait, if it said."""

    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class UploadFailed(MediaNotReady):
    """An upload did not complete; the next attempt uploads the file again."""


class VideoNotAvailable(MediaNotReady):
    """The video is uploaded but not AVAILABLE yet (still processing when the wait ended, or its
    status could not be read): wait for the same `urn` again later, no new upload needed."""

    def __init__(
        self,
        message: str,
        urn: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status, retry_after)
        self.urn = urn


class VideoProcessingFailed(LinkedInError):  # noqa: N818 - named after what happened
    """LinkedIn could not process the video (`PROCESSING_FAILED` is final): no post is made."""

    def __init__(self, urn: str) -> None:
        super().__init__(
            "LinkedIn could not process the video, so nothing was posted. Check that it is an "
            "MP4 that plays, then upload it again."
        )
        self.urn = urn


@contextmanager
def _retryable(
    what: str, make: Callable[[str, int | None, float | None], MediaNotReady], *, refusal: str
) -> Iterator[None]:
    """Turn the errors of one step into the media errors above. `refusal`: "final" when a
    refusal of the step is LinkedIn's answer to the request itself, "retry" when it is the
    upload URL or the upload's state that refused (a fresh upload gets fresh ones)."""
    try:
        yield
    except (AuthExpired, VersionRetired, MediaNotReady):
        raise
    except Rejected as exc:
        if refusal == "final":
            raise
        raise make(_saying(what, exc), exc.status, None) from exc
    except LinkedInError as exc:  # no answer, 5xx, 429, not LinkedIn's answer
        status = exc.status if isinstance(exc, ServerError | UnexpectedAnswer) else None
        retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
        if isinstance(exc, RateLimited):
            status = 429
        raise make(_saying(what, exc), status, retry_after) from exc


def _saying(what: str, exc: Exception) -> str:
    message = str(exc)
    return message if message.startswith(what) else f"{what}: {message}"


def _upload_failed(message: str, status: int | None, retry_after: float | None) -> MediaNotReady:
    return UploadFailed(message, status, retry_after)


def _file_size(path: Path, noun: str) -> int:
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError:
        size = None
    if size is None:
        raise ValidationError(f"The {noun} file {path.name} cannot be read.")
    if size == 0:
        raise ValidationError(f"The {noun} file {path.name} is empty.")
    return size


def _slices(path: Path, first: int, length: int, heard: Callable[[int], None]) -> Iterator[bytes]:
    """`length` bytes of `path` from `first`, a slice at a time; `heard(n)` after each slice."""
    with path.open("rb") as file:
        file.seek(first)
        left = length
        while left:
            piece = file.read(min(READ_SLICE, left))
            if not piece:
                raise UploadFailed(f"The file {path.name} got shorter while it was uploaded.")
            left -= len(piece)
            yield piece
            heard(len(piece))


class _Progress:
    def __init__(self, total: int, on_progress: ProgressCallback | None) -> None:
        self.total = total
        self.sent = 0
        self._on_progress = on_progress

    def heard(self, count: int) -> None:
        self.sent += count
        if self._on_progress is not None:
            self._on_progress(self.sent, self.total)


def _put_file(
    client: LinkedInSender,
    url: str,
    path: Path,
    part: tuple[int, int],
    progress: _Progress,
    *,
    what: str,
    headers: dict[str, str],
) -> httpx.Response:
    first, length = part
    response, _ = client._send(
        "PUT",
        url,
        what=what,
        expected=ANY_SUCCESS,
        # The call's deadline plus the time the bytes take at a poor uplink.
        deadline_s=client.deadline_s + length / SLOW_UPLINK_BYTES_PER_S,
        headers=headers | {"Content-Length": str(length)},
        content=_slices(path, first, length, progress.heard),
    )
    return response


# --- images and documents: one PUT ---------------------------------------------------------------


def initialize_upload(client: LinkedInSender, kind: str, owner_urn: str) -> tuple[str, str]:
    """(upload URL, URN) for one image or document (`kind`) owned by `owner_urn`."""
    what = f"Preparing the {kind} upload"
    response, body = client._send(
        "POST",
        f"{client.api_base}{_INITIALIZE_PATHS[kind]}",
        what=what,
        expected=JSON_OK,
        params={"action": "initializeUpload"},
        headers=client._rest_headers(),
        json={"initializeUploadRequest": {"owner": owner_urn}},
    )
    value = body.get("value") if body is not None else None
    upload_url = value.get("uploadUrl") if isinstance(value, dict) else None
    urn = value.get(kind) if isinstance(value, dict) else None
    if not (_is_url(upload_url) and isinstance(urn, str) and urn):
        raise unexpected_answer(response, what, publishes=False)
    assert isinstance(upload_url, str)
    return upload_url, urn


def upload_file(
    client: LinkedInSender,
    kind: str,
    path: Path,
    owner_urn: str,
    on_progress: ProgressCallback | None = None,
) -> str:
    """Upload one image or document (`kind`) whole; its URN. UploadFailed to try again."""
    size = _file_size(path, kind)
    with _retryable(f"Preparing the {kind} upload", _upload_failed, refusal="final"):
        upload_url, urn = initialize_upload(client, kind, owner_urn)
    what = f"Uploading the {kind}"
    with _retryable(what, _upload_failed, refusal="retry"):
        _put_file(
            client,
            upload_url,
            path,
            (0, size),
            _Progress(size, on_progress),
            what=what,
            headers=client._bearer_headers(),
        )
    return urn


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


# --- videos: parts, ETags, finalize, status -------------------------------------------------------


@dataclass(frozen=True)
class _VideoTicket:
    urn: str
    upload_token: str
    parts: tuple[tuple[str, int, int], ...]  # (upload URL, first byte, byte count), in order


def _video_ticket(response: httpx.Response, body: dict[str, Any] | None, size: int) -> _VideoTicket:
    """LinkedIn's answer to initializeUpload, checked: parts that cover the file exactly."""
    what = "Preparing the video upload"
    value = body.get("value") if body is not None else None
    if not isinstance(value, dict):
        raise unexpected_answer(response, what, publishes=False)
    urn, token, instructions = (
        value.get("video"),
        value.get("uploadToken"),
        value.get("uploadInstructions"),
    )
    parts: list[tuple[str, int, int]] = []
    next_byte = 0
    for instruction in instructions if isinstance(instructions, list) else []:
        url = instruction.get("uploadUrl") if isinstance(instruction, dict) else None
        first = instruction.get("firstByte") if isinstance(instruction, dict) else None
        last = instruction.get("lastByte") if isinstance(instruction, dict) else None
        if not (_is_url(url) and first == next_byte and isinstance(last, int) and last >= first):
            raise unexpected_answer(response, what, publishes=False)
        assert isinstance(url, str) and isinstance(first, int)
        parts.append((url, first, last - first + 1))
        next_byte = last + 1
    if not (isinstance(urn, str) and urn and isinstance(token, str)) or next_byte != size:
        raise unexpected_answer(response, what, publishes=False)
    return _VideoTicket(urn, token, tuple(parts))


def upload_video(
    client: LinkedInSender,
    path: Path,
    owner_urn: str,
    on_progress: ProgressCallback | None = None,
) -> str:
    """Upload a video in the parts LinkedIn asks for and finalize it; its `urn:li:video:…`
    (PROCESSING at first: see `wait_until_available`). UploadFailed to upload again."""
    size = _file_size(path, "video")
    what = "Preparing the video upload"
    with _retryable(what, _upload_failed, refusal="final"):
        response, body = client._send(
            "POST",
            f"{client.api_base}/rest/videos",
            what=what,
            expected=JSON_OK,
            params={"action": "initializeUpload"},
            headers=client._rest_headers(),
            json={
                "initializeUploadRequest": {
                    "owner": owner_urn,
                    "fileSizeBytes": size,
                    "uploadCaptions": False,
                    "uploadThumbnail": False,
                }
            },
        )
        ticket = _video_ticket(response, body, size)
    progress = _Progress(size, on_progress)
    etags: list[str] = []
    for number, (url, first, length) in enumerate(ticket.parts, start=1):
        what = f"Uploading the video (part {number} of {len(ticket.parts)})"
        with _retryable(what, _upload_failed, refusal="retry"):
            # The part URLs are signed for the upload: no Bearer token goes to them.
            response = _put_file(
                client,
                url,
                path,
                (first, length),
                progress,
                what=what,
                headers={"Content-Type": "application/octet-stream"},
            )
            etag = response.headers.get("etag")
            if not etag:  # finalize needs every part's ETag: without one the upload is lost
                raise unexpected_answer(response, what, publishes=False)
        etags.append(etag)
    what = "Finishing the video upload"
    with _retryable(what, _upload_failed, refusal="retry"):
        client._send(
            "POST",
            f"{client.api_base}/rest/videos",
            what=what,
            expected=FINALIZED,
            params={"action": "finalizeUpload"},
            headers=client._rest_headers(),
            json={
                "finalizeUploadRequest": {
                    "video": ticket.urn,
                    "uploadToken": ticket.upload_token,
                    "uploadedPartIds": etags,
                }
            },
        )
    return ticket.urn


def video_status(client: LinkedInSender, urn: str) -> str:
    """WAITING_UPLOAD, PROCESSING, AVAILABLE or PROCESSING_FAILED; VideoNotAvailable when it
    cannot be read now."""
    what = "Checking the video on LinkedIn"

    def not_available(message: str, status: int | None, after: float | None) -> MediaNotReady:
        return VideoNotAvailable(message, urn, status, after)

    with _retryable(what, not_available, refusal="final"):
        response, body = client._send(
            "GET",
            f"{client.api_base}/rest/videos/{quote(urn, safe='')}",
            what=what,
            expected=JSON_OK,
            headers=client._rest_headers(),
        )
        status = body.get("status") if body is not None else None
        if status not in VIDEO_STATUSES:
            raise unexpected_answer(response, what, publishes=False)
    assert isinstance(status, str)
    return status


def wait_until_available(
    client: LinkedInSender, urn: str, poll_s: float, deadline_s: float
) -> None:
    """Return once the video is AVAILABLE, reading its status every `poll_s` seconds for at most
    `deadline_s`; VideoProcessingFailed when LinkedIn could not process it, VideoNotAvailable
    when it is still processing at the deadline (wait again later, the same URN)."""
    give_up_at = time.monotonic() + deadline_s
    while True:
        status = video_status(client, urn)
        if status == "AVAILABLE":
            return
        if status == "PROCESSING_FAILED":
            raise VideoProcessingFailed(urn)
        if time.monotonic() + poll_s > give_up_at:
            raise VideoNotAvailable(
                "LinkedIn is still processing the video; the post waits for it.", urn
            )
        time.sleep(poll_s)
