"""The LinkedIn test server refuses what LinkedIn refuses for every post format, so a wrong client
fails the other tests: raw HTTP here, no client of ours in between."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fakes.linkedin_content import read_little_text
from tests.fakes.linkedin_server import FakeLinkedIn, SentMention

HEADERS = {
    "LinkedIn-Version": "202511",
    "X-Restli-Protocol-Version": "2.0.0",
    "Content-Type": "application/json",
}
PART = 4 * 1024 * 1024


class Raw:
    """One member's raw requests to the server."""

    def __init__(self, server: FakeLinkedIn) -> None:
        self.server = server
        self.owner = f"urn:li:person:{server.profile['sub']}"
        self.headers = HEADERS | {"Authorization": f"Bearer {server.issue_token()}"}

    def post(self, path: str, body: Any, **params: str) -> httpx.Response:
        return httpx.post(
            f"{self.server.base_url}{path}", json=body, params=params, headers=self.headers
        )

    def create(self, content: Any = None, **fields: Any) -> httpx.Response:
        body = {
            "author": self.owner,
            "commentary": "x",
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        } | fields
        if content is not None:
            body["content"] = content
        return self.post("/rest/posts", body)

    def image(self) -> str:
        value = self.post(
            "/rest/images",
            {"initializeUploadRequest": {"owner": self.owner}},
            action="initializeUpload",
        ).json()["value"]
        put = httpx.put(value["uploadUrl"], content=b"GIF89a", headers=self.headers)
        assert put.status_code == 201
        return str(value["image"])

    def video_ticket(self, size: int, **overrides: Any) -> httpx.Response:
        request = {
            "owner": self.owner,
            "fileSizeBytes": size,
            "uploadCaptions": False,
            "uploadThumbnail": False,
        } | overrides
        return self.post(
            "/rest/videos", {"initializeUploadRequest": request}, action="initializeUpload"
        )

    def finalize(self, value: dict[str, Any], part_ids: list[str], token: str = "") -> int:
        request = {
            "video": value["video"],
            "uploadToken": token or value["uploadToken"],
            "uploadedPartIds": part_ids,
        }
        return self.post(
            "/rest/videos", {"finalizeUploadRequest": request}, action="finalizeUpload"
        ).status_code


def _put_part(
    instruction: dict[str, Any], content_type: str = "application/octet-stream", extra: int = 0
) -> httpx.Response:
    length = instruction["lastByte"] - instruction["firstByte"] + 1 + extra
    return httpx.put(
        instruction["uploadUrl"], content=b"v" * length, headers={"Content-Type": content_type}
    )


@pytest.fixture
def raw(linkedin_server: FakeLinkedIn) -> Raw:
    return Raw(linkedin_server)


# --- little text ------------------------------------------------------------------------------


def test_templates_and_mentions_are_read_and_stray_markup_cuts() -> None:
    shown = read_little_text(
        r"Hi @[Ada \(L\)](urn:li:person:a1) {hashtag|\#|python} and {hashtag|\#|my\_tag}!"
    )
    assert shown.text == "Hi Ada (L) #python and #my_tag!"
    assert shown.hashtags == ("python", "my_tag")
    assert shown.mentions == (SentMention("Ada (L)", "urn:li:person:a1"),)


@pytest.mark.parametrize(
    ("commentary", "shown"),
    [
        ("a {hashtag|#|word} b", "a "),  # the template's "#" must be escaped
        ("a {hashtag|\\#|} b", "a "),  # no word
        ("a {hashtag|\\#|123} b", "a "),  # no letter: not a hashtag
        ("a {hashtag|\\#|my_tag} b", "a "),  # a raw "_" inside is stray markup
        ("a {hashtag|\\#|word b", "a "),  # never closed
        ("a {hash|\\#|word} b", "a "),
        ("a @[Ada](urn:li:group:1) b", "a "),  # not a person or organization
        ("a @[Ada] b", "a "),
        ("a @Ada b", "a "),
        ("a @[](urn:li:person:1) b", "a "),
    ],
)
def test_a_malformed_template_cuts_the_text_like_stray_markup(commentary: str, shown: str) -> None:
    read = read_little_text(commentary)
    assert (read.text, read.hashtags, read.mentions) == (shown, (), ())


def test_the_3000_limit_counts_what_the_reader_sees(raw: Raw) -> None:
    mention = "@[" + "N" * 10 + "](urn:li:person:" + "p" * 200 + ")"
    assert raw.create(commentary=mention + "x" * 2990).status_code == 201
    assert raw.create(commentary=mention + "y" * 2991).status_code == 422


# --- content kinds ----------------------------------------------------------------------------


def test_two_kinds_or_an_unknown_kind_are_refused(raw: Raw) -> None:
    image = raw.image()
    poll = {
        "question": "Q",
        "options": [{"text": "A"}, {"text": "B"}],
        "settings": {"duration": "ONE_DAY"},
    }
    assert raw.create({"media": {"id": image}, "poll": poll}).status_code == 422
    assert raw.create({"carousel": {"id": image}}).status_code == 422
    assert raw.create({}).status_code == 422
    assert raw.create({"media": {"id": image}}).status_code == 201
    assert raw.server.posts[0].kind == "image"


@pytest.mark.parametrize("count", [1, 21])
def test_multi_image_takes_2_to_20(raw: Raw, count: int) -> None:
    images = [{"id": raw.image()} for _ in range(count)]
    response = raw.create({"multiImage": {"images": images}})
    assert response.status_code == 422 and "2 to 20" in response.json()["message"]


@pytest.mark.parametrize(
    ("poll", "where"),
    [
        ({"question": "Q" * 141}, "question"),
        ({"question": ""}, "question"),
        ({"options": [{"text": "A"}]}, "options"),
        ({"options": [{"text": c} for c in "ABCDE"]}, "options"),
        ({"options": [{"text": "A"}, {"text": "B" * 31}]}, "options/1/text"),
        ({"options": [{"text": "A"}, {"label": "B"}]}, "options/1"),
        ({"settings": {"duration": "TWO_DAYS"}}, "settings/duration"),
        ({"settings": {}}, "settings/duration"),
    ],
)
def test_poll_rules(raw: Raw, poll: dict[str, Any], where: str) -> None:
    body = {
        "question": "Q" * 140,
        "options": [{"text": "A" * 30}, {"text": "B"}],
        "settings": {"duration": "FOURTEEN_DAYS"},
    }
    assert raw.create({"poll": body}, commentary="ok").status_code == 201
    response = raw.create({"poll": body | poll})
    assert response.status_code == 422 and f"/content/poll/{where}" in response.json()["message"]


def test_an_article_needs_source_and_title_and_an_uploaded_thumbnail(raw: Raw) -> None:
    assert raw.create({"article": {"source": "https://a.b/"}}).status_code == 422
    assert raw.create({"article": {"title": "T"}}).status_code == 422
    assert raw.create({"article": {"source": "a.b", "title": "T"}}).status_code == 422
    card = {"source": "https://a.b/", "title": "T", "thumbnail": "urn:li:image:nope"}
    assert raw.create({"article": card}).status_code == 422
    assert raw.create({"article": card | {"thumbnail": raw.image()}}).status_code == 201


def test_a_document_needs_its_upload_and_title(raw: Raw) -> None:
    value = raw.post(
        "/rest/documents",
        {"initializeUploadRequest": {"owner": raw.owner}},
        action="initializeUpload",
    ).json()["value"]
    urn = value["document"]
    assert raw.create({"media": {"id": urn, "title": "T"}}).status_code == 422  # not PUT yet
    assert httpx.put(value["uploadUrl"], content=b"%PDF", headers=raw.headers).status_code == 201
    assert raw.create({"media": {"id": urn}}).status_code == 422
    assert raw.create({"media": {"id": urn, "title": "T", "altText": "a"}}).status_code == 422
    assert raw.create({"media": {"id": urn, "title": "T"}}).status_code == 201


def test_uploads_check_the_owner(raw: Raw) -> None:
    other = {"initializeUploadRequest": {"owner": "urn:li:person:someone-else"}}
    for path in ("/rest/images", "/rest/documents"):
        assert raw.post(path, other, action="initializeUpload").status_code == 403
    assert raw.video_ticket(PART, owner="urn:li:person:someone-else").status_code == 403


def test_visibility_is_public_or_connections(raw: Raw) -> None:
    assert raw.create(visibility="LOGGED_IN").status_code == 422
    assert raw.create(visibility="CONNECTIONS").status_code == 201


# --- video ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"fileSizeBytes": 1000},  # under 75 KB
        {"fileSizeBytes": 501 * 1024 * 1024},
        {"fileSizeBytes": "4194304"},
        {"uploadCaptions": "no"},
    ],
)
def test_video_initialize_is_strict(raw: Raw, overrides: dict[str, Any]) -> None:
    assert raw.video_ticket(PART, **overrides).status_code == 422


def test_video_initialize_needs_every_field(raw: Raw) -> None:
    request = {"initializeUploadRequest": {"owner": raw.owner, "fileSizeBytes": PART}}
    assert raw.post("/rest/videos", request, action="initializeUpload").status_code == 422


def test_video_parts_are_4_mib_the_last_shorter(raw: Raw) -> None:
    value = raw.video_ticket(2 * PART + 1).json()["value"]
    assert [(i["firstByte"], i["lastByte"]) for i in value["uploadInstructions"]] == [
        (0, PART - 1),
        (PART, 2 * PART - 1),
        (2 * PART, 2 * PART),
    ]


def test_a_part_needs_its_exact_length_and_octet_stream(raw: Raw) -> None:
    [instruction] = raw.video_ticket(100_000).json()["value"]["uploadInstructions"]
    assert _put_part(instruction, extra=1).status_code == 400
    assert _put_part(instruction, extra=-1).status_code == 400
    assert _put_part(instruction, content_type="video/mp4").status_code == 400
    answer = _put_part(instruction)
    assert answer.status_code == 200 and answer.headers["etag"]


def test_finalize_needs_the_token_every_part_and_the_etags_in_order(raw: Raw) -> None:
    value = raw.video_ticket(PART + 100_000).json()["value"]
    first, second = value["uploadInstructions"]
    etag_1 = _put_part(first).headers["etag"]
    assert raw.finalize(value, [etag_1]) == 400  # part 2 missing
    etag_2 = _put_part(second).headers["etag"]
    assert raw.finalize(value, [etag_2, etag_1]) == 400  # out of order
    assert raw.finalize(value, [etag_1, etag_2], token="forged") == 400
    urn = value["video"]
    assert raw.server.videos[urn].status == "WAITING_UPLOAD"
    assert raw.finalize(value, [etag_1, etag_2]) == 200
    assert raw.finalize(value, [etag_1, etag_2]) == 400  # once
    assert _put_part(first).status_code == 400  # no part after finalize


def test_video_status_goes_processing_then_available(raw: Raw) -> None:
    value = raw.video_ticket(100_000).json()["value"]
    urn = value["video"]
    status_url = f"{raw.server.base_url}/rest/videos/{urn.replace(':', '%3A')}"
    read = dict(raw.headers)
    del read["Content-Type"]

    def status() -> str:
        return str(httpx.get(status_url, headers=read).json()["status"])

    assert status() == "WAITING_UPLOAD"
    video = {"id": urn, "title": "T"}
    assert raw.create({"media": video}).status_code == 422
    [instruction] = value["uploadInstructions"]
    assert raw.finalize(value, [_put_part(instruction).headers["etag"]]) == 200
    assert [status(), status()] == ["PROCESSING", "AVAILABLE"]
    assert raw.create({"media": video | {"altText": "a"}}).status_code == 422
    assert raw.create({"media": {"id": urn}}).status_code == 422  # a video needs its title
    assert raw.create({"media": video}).status_code == 201
    unencoded = f"{raw.server.base_url}/rest/videos/{urn}"
    assert httpx.get(unencoded, headers=read).status_code == 400


# --- comments ---------------------------------------------------------------------------------


def test_a_comment_body_is_strict(raw: Raw) -> None:
    assert raw.create().status_code == 201
    post = raw.server.posts[0].urn
    path = f"/rest/socialActions/{post.replace(':', '%3A')}/comments"
    good = {"actor": raw.owner, "object": post, "message": {"text": "hi"}}
    assert raw.post(path, good | {"object": "urn:li:share:1"}).status_code == 422
    assert raw.post(path, good | {"actor": "urn:li:person:other"}).status_code == 403
    assert raw.post(path, good | {"message": {"text": "hi", "attributes": []}}).status_code == 422
    assert raw.post(path, {"actor": raw.owner, "object": post}).status_code == 422
    assert raw.post(f"/rest/socialActions/{post}/comments", good).status_code == 400
    created = raw.post(path, good)
    assert created.status_code == 201
    assert created.headers["x-restli-id"] == raw.server.comments[0].urn
