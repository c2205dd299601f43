"""Video over real HTTP: initialize, 4 MiB parts with their ETags, finalize, status, post.

The file is a little over 8 MiB of bytes that are not an MP4: the HTTP layer does not look inside
(the length and format checks are domain/'s, before any request).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkie_desktop.services.linkedin import AuthExpired, LinkedInClient, Rejected
from linkie_desktop.services.linkedin_content import VideoContent
from linkie_desktop.services.linkedin_media import (
    UploadFailed,
    VideoNotAvailable,
    VideoProcessingFailed,
)
from tests.fakes.linkedin_server import FakeLinkedIn

PART = 4 * 1024 * 1024
SIZE = 2 * PART + 12_345  # three parts, the last one short


@pytest.fixture
def client(linkedin_server: FakeLinkedIn) -> Iterator[LinkedInClient]:
    token = linkedin_server.issue_token()
    with LinkedInClient(linkedin_server.base_url, "202511", token, 10.0) as http:
        yield http


@pytest.fixture
def author(linkedin_server: FakeLinkedIn) -> str:
    return f"urn:li:person:{linkedin_server.profile['sub']}"


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "talk.mp4"
    # Different bytes in every part, so a part sent from the wrong offset shows.
    path.write_bytes((bytes(range(251)) * (SIZE // 251 + 1))[:SIZE])
    return path


def _parts(server: FakeLinkedIn) -> list[bytes]:
    return [r.body for r in server.requests_to("PUT", "/upload/video/*")]


def test_a_video_goes_in_three_parts_with_their_etags_in_order(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    heard: list[tuple[int, int]] = []
    urn = client.upload_video(video, author, lambda sent, total: heard.append((sent, total)))

    [init] = linkedin_server.requests_to("POST", "/rest/videos?action=initializeUpload")
    assert init.json() == {
        "initializeUploadRequest": {
            "owner": author,
            "fileSizeBytes": SIZE,
            "uploadCaptions": False,
            "uploadThumbnail": False,
        }
    }
    stored = linkedin_server.videos[urn]
    assert [len(part) for part in _parts(linkedin_server)] == [PART, PART, 12_345]
    assert stored.data() == video.read_bytes()
    [final] = linkedin_server.requests_to("POST", "/rest/videos?action=finalizeUpload")
    assert final.json()["finalizeUploadRequest"]["uploadedPartIds"] == [
        stored.etags[0],
        stored.etags[1],
        stored.etags[2],
    ]
    assert stored.status == "PROCESSING"
    assert heard[-1] == (SIZE, SIZE) and [s for s, _ in heard] == sorted(s for s, _ in heard)
    assert len(heard) > 3  # progress within parts, not only after each


def test_parts_are_octet_streams_without_the_token(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    client.upload_video(video, author)
    for put in linkedin_server.requests_to("PUT", "/upload/video/*"):
        assert put.headers["content-type"] == "application/octet-stream"
        assert "authorization" not in put.headers  # the part URLs are signed for the upload


def test_the_post_is_created_only_once_the_video_is_available(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.video_processing_reads = 3
    urn = client.upload_video(video, author)
    with pytest.raises(Rejected, match="not AVAILABLE"):  # LinkedIn refuses a video in progress
        client.create_post(author, "Too early", content=VideoContent(urn, "My talk"))

    client.wait_until_available(urn, poll_s=0.01, deadline_s=10.0)
    client.create_post(author, "My talk, on video", content=VideoContent(urn, "My talk"))

    statuses = [r for r in linkedin_server.requests if r.path.startswith("/rest/videos/")]
    assert len(statuses) == 4  # three PROCESSING answers, then AVAILABLE
    [post] = linkedin_server.posts
    assert post.kind == "video"
    assert post.content == {"media": {"id": urn, "title": "My talk"}}


def test_processing_failed_raises_and_no_post_request_is_made(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.video_outcome = "PROCESSING_FAILED"
    urn = client.upload_video(video, author)
    with pytest.raises(VideoProcessingFailed, match="could not process the video") as caught:
        client.wait_until_available(urn, poll_s=0.01, deadline_s=10.0)
    assert caught.value.urn == urn and not caught.value.may_have_published
    assert linkedin_server.requests_to("POST", "/rest/posts") == []


def test_still_processing_at_the_deadline_is_a_wait_to_repeat_with_the_same_urn(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.video_processing_reads = 1000
    urn = client.upload_video(video, author)
    with pytest.raises(VideoNotAvailable) as caught:
        client.wait_until_available(urn, poll_s=0.01, deadline_s=0.05)
    assert caught.value.urn == urn
    linkedin_server.set_video_status(urn, "AVAILABLE")
    client.wait_until_available(urn, poll_s=0.01, deadline_s=10.0)


def test_the_status_is_read_at_the_encoded_urn(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    urn = client.upload_video(video, author)
    assert client.video_status(urn) == "PROCESSING"
    assert client.video_status(urn) == "AVAILABLE"
    [read, _] = [r for r in linkedin_server.requests if r.path.startswith("/rest/videos/")]
    assert read.path == "/rest/videos/" + urn.replace(":", "%3A")


def test_a_status_read_that_fails_is_a_video_not_available_yet(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    urn = client.upload_video(video, author)
    linkedin_server.inject("GET", "/rest/videos/*", 503)
    with pytest.raises(VideoNotAvailable) as caught:
        client.video_status(urn)
    assert (caught.value.urn, caught.value.status) == (urn, 503)
    linkedin_server.inject("GET", "/rest/videos/*", 200, body={"status": "READY?"})
    with pytest.raises(VideoNotAvailable, match="unexpected answer"):
        client.video_status(urn)


def test_a_part_answered_500_fails_the_upload_and_the_retried_upload_works(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.inject("PUT", "/upload/video/*", 500)
    with pytest.raises(UploadFailed, match=r"part 1 of 3") as caught:
        client.upload_video(video, author)
    assert caught.value.status == 500 and not caught.value.may_have_published
    assert linkedin_server.requests_to("POST", "/rest/videos?action=finalizeUpload") == []

    urn = client.upload_video(video, author)  # what the publisher's retry does
    assert linkedin_server.videos[urn].data() == video.read_bytes()
    client.wait_until_available(urn, poll_s=0.01, deadline_s=10.0)
    client.create_post(author, "Second try", content=VideoContent(urn, "Talk"))
    assert len(linkedin_server.requests_to("POST", "/rest/posts")) == 1


def test_a_part_without_an_etag_fails_the_upload_before_finalize(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.inject("PUT", "/upload/video/*", omit_headers=("ETag",))
    with pytest.raises(UploadFailed, match="part 1 of 3"):
        client.upload_video(video, author)
    assert linkedin_server.requests_to("POST", "/rest/videos?action=finalizeUpload") == []


def test_a_wrong_etag_makes_finalize_refuse_and_that_is_an_upload_failure(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.inject("PUT", "/upload/video/*", headers={"ETag": "/ETag/not-this-one"})
    with pytest.raises(UploadFailed, match="Finishing the video upload") as caught:
        client.upload_video(video, author)
    assert caught.value.status == 400
    [urn] = linkedin_server.videos
    assert linkedin_server.videos[urn].status == "WAITING_UPLOAD"


def test_expired_part_links_are_an_upload_failure(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.upload_url_lifetime_s = 0.0
    with pytest.raises(UploadFailed, match="expired") as caught:
        client.upload_video(video, author)
    assert caught.value.status == 403


def test_a_finalize_answer_that_times_out_is_an_upload_failure_not_a_post_outcome(
    linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    token = linkedin_server.issue_token()
    with LinkedInClient(linkedin_server.base_url, "202511", token, 0.5) as client:
        linkedin_server.inject("POST", "/rest/videos?action=finalizeUpload", delay_s=3.0)
        with pytest.raises(UploadFailed, match="Finishing the video upload") as caught:
            client.upload_video(video, author)
    assert not caught.value.may_have_published


def test_a_slow_ticket_that_trickles_in_is_an_upload_failure(
    linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    token = linkedin_server.issue_token()
    with LinkedInClient(linkedin_server.base_url, "202511", token, 0.5) as client:
        linkedin_server.inject("POST", "/rest/videos?action=initializeUpload", trickle_s=0.05)
        with pytest.raises(UploadFailed, match="Preparing the video upload"):
            client.upload_video(video, author)
    assert linkedin_server.wait_for_hang_up()


def test_an_expired_token_stays_a_reconnect_during_an_upload(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    linkedin_server.inject("POST", "/rest/videos", 401)
    with pytest.raises(AuthExpired):
        client.upload_video(video, author)


def test_parts_that_do_not_cover_the_file_are_an_unexpected_ticket(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    ticket = {
        "value": {
            "video": "urn:li:video:C5F1",
            "uploadToken": "t",
            "uploadInstructions": [
                {
                    "uploadUrl": f"{linkedin_server.base_url}/upload/video/x",
                    "firstByte": 0,
                    "lastByte": PART - 1,
                }
            ],
        }
    }
    linkedin_server.inject("POST", "/rest/videos", 200, body=ticket)
    with pytest.raises(UploadFailed, match="unexpected answer"):
        client.upload_video(video, author)
    assert linkedin_server.requests_to("PUT", "/upload/video/*") == []


def test_a_video_never_uploaded_cannot_be_posted(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    with pytest.raises(Rejected, match="was not uploaded"):
        client.create_post(author, "ghost", content=VideoContent("urn:li:video:C5F9", "T"))


def test_a_file_cut_short_while_it_is_sent_is_an_upload_failure(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, video: Path
) -> None:
    def cut_short(sent: int, total: int) -> None:
        if sent > PART:  # another program truncates the file during part 2
            with video.open("r+b") as file:
                file.truncate(PART + 1)

    with pytest.raises(UploadFailed, match="got shorter"):
        client.upload_video(video, author, cut_short)
    assert linkedin_server.requests_to("POST", "/rest/videos?action=finalizeUpload") == []
