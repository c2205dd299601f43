"""Every post format over real HTTP: the client's request body as the LinkedIn test server took it.

The server is as strict as LINKEDIN-API.md, so each test also proves LinkedIn would take the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.linkedin import LinkedInClient, Rejected
from linkie_desktop.services.linkedin_content import (
    ArticleContent,
    DocumentContent,
    ImageContent,
    MultiImageContent,
    PollContent,
)
from linkie_desktop.services.linkedin_media import UploadFailed
from tests.fakes.image_files import write_png
from tests.fakes.linkedin_server import FakeLinkedIn, SentMention


@pytest.fixture
def client(linkedin_server: FakeLinkedIn) -> Iterator[LinkedInClient]:
    token = linkedin_server.issue_token()
    with LinkedInClient(linkedin_server.base_url, "202511", token, 5.0) as http:
        yield http


@pytest.fixture
def author(linkedin_server: FakeLinkedIn) -> str:
    return f"urn:li:person:{linkedin_server.profile['sub']}"


def _images(client: LinkedInClient, author: str, tmp_path: Path, count: int) -> list[str]:
    return [
        client.upload_image(write_png(tmp_path / f"{n}.png", 10 + n, 10), author)
        for n in range(count)
    ]


def _sent_content(server: FakeLinkedIn) -> object:
    [request] = server.requests_to("POST", "/rest/posts")
    return request.json()["content"]


def test_text_only_has_no_content(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    urn = client.create_post(author, "Just words", visibility="PUBLIC")
    [post] = linkedin_server.posts
    assert (post.urn, post.kind, post.content, post.commentary) == (
        urn,
        "text",
        None,
        "Just words",
    )
    assert "content" not in linkedin_server.requests_to("POST", "/rest/posts")[0].json()


def test_one_image_with_alt_text_as_content(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path
) -> None:
    [image] = _images(client, author, tmp_path, 1)
    client.create_post(author, "One picture", content=ImageContent(image, "A chart"))
    assert _sent_content(linkedin_server) == {"media": {"id": image, "altText": "A chart"}}
    [post] = linkedin_server.posts
    assert (post.kind, post.image_urn, post.alt_text) == ("image", image, "A chart")


@pytest.mark.parametrize("count", [2, 20])
def test_several_images_arrive_in_order_each_with_its_alt_text(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path, count: int
) -> None:
    urns = _images(client, author, tmp_path, count)
    images = tuple(
        ImageContent(urn, f"picture {n}" if n % 2 == 0 else None) for n, urn in enumerate(urns)
    )
    client.create_post(author, f"{count} pictures", content=MultiImageContent(images))

    sent = [
        {"id": urn, "altText": f"picture {n}"} if n % 2 == 0 else {"id": urn}
        for n, urn in enumerate(urns)
    ]
    assert _sent_content(linkedin_server) == {"multiImage": {"images": sent}}
    assert linkedin_server.posts[0].kind == "multiImage"


def test_21_images_are_refused_before_any_request(
    client: LinkedInClient, linkedin_server: FakeLinkedIn
) -> None:
    images = tuple(ImageContent(f"urn:li:image:D4E{n}") for n in range(21))
    with pytest.raises(ValidationError, match="2 to 20"):
        client.create_post("urn:li:person:x", "too many", content=MultiImageContent(images))
    assert linkedin_server.requests == []


def test_an_image_that_was_never_uploaded_is_refused_by_linkedin(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path
) -> None:
    [uploaded] = _images(client, author, tmp_path, 1)
    images = (ImageContent(uploaded), ImageContent("urn:li:image:D4Enever"))
    with pytest.raises(Rejected, match="was not uploaded") as caught:
        client.create_post(author, "half there", content=MultiImageContent(images))
    assert caught.value.status == 422 and linkedin_server.posts == []


def test_a_document_goes_whole_and_posts_with_its_title(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path
) -> None:
    document = tmp_path / "deck.pdf"
    data = b"%PDF-1.7\n" + bytes(range(256)) * 2000  # ~0.5 MB: two progress slices and more
    document.write_bytes(data)
    heard: list[tuple[int, int]] = []

    urn = client.upload_document(document, author, lambda sent, total: heard.append((sent, total)))
    client.create_post(author, "Slides", content=DocumentContent(urn, "Q3 in 12 slides"))

    assert linkedin_server.documents[urn] == data
    [put] = linkedin_server.requests_to("PUT", "/upload/document/*")
    assert put.headers["authorization"].startswith("Bearer ")
    assert heard[-1] == (len(data), len(data)) and len(heard) > 1
    assert [sent for sent, _ in heard] == sorted(sent for sent, _ in heard)
    assert _sent_content(linkedin_server) == {"media": {"id": urn, "title": "Q3 in 12 slides"}}
    assert linkedin_server.posts[0].kind == "document"


def test_a_document_put_answered_500_is_an_upload_failure_and_a_new_upload_works(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path
) -> None:
    document = tmp_path / "deck.pdf"
    document.write_bytes(b"%PDF-1.7\n" * 100)
    linkedin_server.inject("PUT", "/upload/document/*", 500)
    with pytest.raises(UploadFailed) as caught:
        client.upload_document(document, author)
    assert caught.value.status == 500 and not caught.value.may_have_published
    assert str(caught.value).startswith("Uploading the document: LinkedIn had a problem")
    urn = client.upload_document(document, author)  # trying again uploads it anew
    assert linkedin_server.documents[urn] == document.read_bytes()


def test_an_expired_upload_link_is_an_upload_failure_to_retry(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path
) -> None:
    document = tmp_path / "deck.pdf"
    document.write_bytes(b"%PDF-1.7\n" * 100)
    linkedin_server.upload_url_lifetime_s = 0.0  # every link has expired when the PUT arrives
    with pytest.raises(UploadFailed, match="expired") as caught:
        client.upload_document(document, author)
    assert caught.value.status == 403 and linkedin_server.documents == {}
    linkedin_server.upload_url_lifetime_s = 3600.0
    assert client.upload_document(document, author) in linkedin_server.documents


def test_a_poll_with_its_options_and_duration(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    poll = PollContent("Tabs or spaces?", ("Tabs", "Spaces", "Both (really)"), 3)
    client.create_post(author, "Settle it", content=poll)
    assert _sent_content(linkedin_server) == {
        "poll": {
            "question": "Tabs or spaces?",
            "options": [{"text": "Tabs"}, {"text": "Spaces"}, {"text": "Both (really)"}],
            "settings": {"duration": "THREE_DAYS"},
        }
    }


@pytest.mark.parametrize(
    ("days", "duration"), [(1, "ONE_DAY"), (7, "SEVEN_DAYS"), (14, "FOURTEEN_DAYS")]
)
def test_each_poll_duration(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, days: int, duration: str
) -> None:
    client.create_post(author, f"{days} days", content=PollContent("Q?", ("A", "B"), days))
    assert _sent_content(linkedin_server)["poll"]["settings"] == {"duration": duration}  # type: ignore[index]


def test_a_poll_shape_linkedin_has_no_kind_for_is_refused_before_any_request(
    linkedin_server: FakeLinkedIn,
) -> None:
    with pytest.raises(ValidationError, match="2 to 4 options"):
        PollContent("Q?", ("only one",), 3)
    with pytest.raises(ValidationError, match="1, 3, 7 or 14 days"):
        PollContent("Q?", ("A", "B"), 2)
    assert linkedin_server.requests == []


def test_a_poll_option_over_30_characters_is_refused_by_linkedin(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    with pytest.raises(Rejected, match="length exceeds 30"):
        client.create_post(author, "long", content=PollContent("Q?", ("A", "B" * 31), 1))
    assert linkedin_server.posts == []


def test_a_link_card_with_an_uploaded_thumbnail(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path
) -> None:
    [thumbnail] = _images(client, author, tmp_path, 1)
    card = ArticleContent("https://x.y/a_b", "A title", "What it is about", thumbnail)
    client.create_post(author, "Read this", content=card)
    assert _sent_content(linkedin_server) == {
        "article": {
            "source": "https://x.y/a_b",
            "title": "A title",
            "description": "What it is about",
            "thumbnail": thumbnail,
        }
    }


def test_a_link_card_without_description_or_thumbnail(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    client.create_post(author, "Bare card", content=ArticleContent("https://x.y/", "Title"))
    assert _sent_content(linkedin_server) == {
        "article": {"source": "https://x.y/", "title": "Title"}
    }


def test_a_link_card_thumbnail_never_uploaded_is_refused(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    card = ArticleContent("https://x.y/", "Title", None, "urn:li:image:D4Enever")
    with pytest.raises(Rejected, match="thumbnail"):
        client.create_post(author, "card", content=card)


def test_visibility_connections(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    client.create_post(author, "Only my network", visibility="CONNECTIONS")
    assert linkedin_server.posts[0].visibility == "CONNECTIONS"
    assert linkedin_server.requests_to("POST", "/rest/posts")[0].json()["visibility"] == (
        "CONNECTIONS"
    )


@pytest.mark.parametrize("visibility", ["LOGGED_IN", "public", "PRIVATE"])
def test_a_visibility_linkedin_does_not_know_is_refused(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, visibility: str
) -> None:
    with pytest.raises(Rejected, match="visibility") as caught:
        client.create_post(author, "who sees it?", visibility=visibility)
    assert caught.value.status == 422 and linkedin_server.posts == []


def test_hashtags_and_mentions_arrive_live_and_the_rest_as_typed(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str
) -> None:
    text = (
        "Thanks @[Ada (Lovelace)](urn:li:person:ab-C_1) and @[Acme](urn:li:organization:42)! "
        "#python #my_tag C# #1 (v2) a_b*c"
    )
    client.create_post(author, text)
    [post] = linkedin_server.posts
    assert post.commentary == (
        "Thanks Ada (Lovelace) and Acme! #python #my_tag C# #1 (v2) a_b*c"
    )  # nothing cut: every stray reserved character was escaped
    assert post.hashtags == ("python", "my_tag")
    assert post.mentions == (
        SentMention("Ada (Lovelace)", "urn:li:person:ab-C_1"),
        SentMention("Acme", "urn:li:organization:42"),
    )
    assert "{hashtag|\\#|python}" in post.raw_commentary


def test_the_older_image_arguments_still_post_an_image(
    client: LinkedInClient, linkedin_server: FakeLinkedIn, author: str, tmp_path: Path
) -> None:
    [image] = _images(client, author, tmp_path, 1)
    client.create_post(author, "pic", image, alt_text="alt")
    assert _sent_content(linkedin_server) == {"media": {"id": image, "altText": "alt"}}
    with pytest.raises(ValueError, match="not both"):
        client.create_post(author, "pic", image, content=ImageContent(image))
