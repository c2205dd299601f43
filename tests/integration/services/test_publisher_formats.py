"""Every post format published end to end by the publisher, over real HTTP to the LinkedIn test
server, from posts PostService wrote (files in the media folder, rows in post_media): what the
server received is asserted, body and bytes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop.domain.post_content import LinkCard, Poll, Visibility
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import Attachments
from linkie_desktop.services.publisher import Outcome
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW
from tests.integration.services.publisher_media_support import (
    VIDEO_BYTES,
    MediaDesk,
    make_media_desk,
)


@pytest.fixture
def media(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn, tmp_path: Path) -> MediaDesk:
    return make_media_desk(engine, user_id, linkedin_server, tmp_path)


def _sent_body(media: MediaDesk) -> dict[str, object]:
    [create] = media.creates()
    body = create.json()
    assert isinstance(body, dict)
    return body


def test_one_image_with_its_alt_text(media: MediaDesk) -> None:
    image = media.png("chart.png")
    post_id = media.post("See the chart", attachments=Attachments(images=[(image, "A bar chart")]))
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    [stored] = media.server.posts
    [row] = media.media_rows(post_id)
    assert row.urn is not None and row.urn.startswith("urn:li:image:")
    assert _sent_body(media)["content"] == {"media": {"id": row.urn, "altText": "A bar chart"}}
    assert media.server.images[row.urn] == image.read_bytes()
    assert (stored.kind, stored.urn) == ("image", media.row(post_id).linkedin_post_urn)
    assert row.uploaded_bytes == row.size_bytes and row.uploaded_at == NOW


def test_several_images_keep_their_order_and_alt_texts(media: MediaDesk) -> None:
    images = [media.png(f"photo{n}.png", 20 + n, 10) for n in range(3)]
    alts = ["First", None, "Third"]
    post_id = media.post(
        "Three photos", attachments=Attachments(images=list(zip(images, alts, strict=True)))
    )
    media.run()
    rows = media.media_rows(post_id)
    sent = [
        {"id": r.urn, **({"altText": alt} if alt else {})}
        for r, alt in zip(rows, alts, strict=True)
    ]
    assert _sent_body(media)["content"] == {"multiImage": {"images": sent}}
    assert [media.server.images[r.urn or ""] for r in rows] == [i.read_bytes() for i in images]
    assert media.server.posts[0].kind == "multiImage"


def test_twenty_images_is_a_multi_image_post(media: MediaDesk) -> None:
    images = [(media.png(f"p{n}.png", 10 + n, 10), f"Photo {n}") for n in range(20)]
    post_id = media.post("Twenty", attachments=Attachments(images=images))
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    content = _sent_body(media)["content"]
    assert isinstance(content, dict)
    sent = content["multiImage"]["images"]
    assert [i["altText"] for i in sent] == [f"Photo {n}" for n in range(20)]
    assert [i["id"] for i in sent] == [r.urn for r in media.media_rows(post_id)]


def test_a_document_with_its_title(media: MediaDesk) -> None:
    pdf = media.pdf()
    post_id = media.post("Slides", attachments=Attachments(document=(pdf, "Q3 in ten slides")))
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    [row] = media.media_rows(post_id)
    assert row.urn is not None and row.urn.startswith("urn:li:document:")
    assert _sent_body(media)["content"] == {"media": {"id": row.urn, "title": "Q3 in ten slides"}}
    assert media.server.documents[row.urn] == pdf.read_bytes()


def test_a_video_goes_in_parts_with_etags_then_finalize_then_is_created_once_available(
    media: MediaDesk,
) -> None:
    media.server.video_processing_reads = 0  # AVAILABLE at the first status read
    video = media.mp4()
    post_id = media.post("Watch", attachments=Attachments(video=(video, "My talk")))
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    [row] = media.media_rows(post_id)
    stored = media.server.videos[row.urn or ""]
    assert stored.data() == video.read_bytes() and stored.size == VIDEO_BYTES
    assert len(stored.parts) == 3
    assert stored.finalized_with == [stored.etags[i] for i in range(3)]
    assert _sent_body(media)["content"] == {"media": {"id": row.urn, "title": "My talk"}}
    paths = [r.path for r in media.server.requests]
    finalize = next(
        i for i, r in enumerate(media.server.requests) if r.query.get("action") == "finalizeUpload"
    )
    status_read = paths.index(f"/rest/videos/{(row.urn or '').replace(':', '%3A')}")
    assert finalize < status_read < paths.index("/rest/posts")


def test_a_poll(media: MediaDesk) -> None:
    poll = Poll("Tabs or spaces?", ("Tabs", "Spaces", "Both"), 7)
    media.post("Settle it", attachments=Attachments(poll=poll))
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    assert _sent_body(media)["content"] == {
        "poll": {
            "question": "Tabs or spaces?",
            "options": [{"text": "Tabs"}, {"text": "Spaces"}, {"text": "Both"}],
            "settings": {"duration": "SEVEN_DAYS"},
        }
    }
    assert media.uploads_started() == []


def test_a_link_card_with_its_thumbnail(media: MediaDesk) -> None:
    thumb = media.png("card.png", 120, 63)
    card = LinkCard("https://example.com/a_b?x=(1)", "Read this", "Why it matters")
    post_id = media.post("New article", attachments=Attachments(link=card, link_thumbnail=thumb))
    [result] = media.run().results
    assert result.outcome is Outcome.PUBLISHED
    urn = media.row(post_id).link_thumbnail_urn
    assert urn is not None and media.server.images[urn] == thumb.read_bytes()
    assert _sent_body(media)["content"] == {
        "article": {
            "source": "https://example.com/a_b?x=(1)",
            "title": "Read this",
            "description": "Why it matters",
            "thumbnail": urn,
        }
    }


def test_a_link_card_without_thumbnail_uploads_nothing(media: MediaDesk) -> None:
    media.post("A link", attachments=Attachments(link=LinkCard("https://example.com", "Example")))
    media.run()
    assert media.uploads_started() == []
    assert _sent_body(media)["content"] == {
        "article": {"source": "https://example.com", "title": "Example"}
    }


def test_visibility_connections_is_sent(media: MediaDesk) -> None:
    media.post("Just for my network", visibility=Visibility.CONNECTIONS)
    media.run()
    assert _sent_body(media)["visibility"] == "CONNECTIONS"
    assert media.server.posts[0].visibility == "CONNECTIONS"


def test_hashtags_and_mentions_arrive_as_templates(media: MediaDesk) -> None:
    text = "Shipped with @[Ada Lovelace](urn:li:person:ada1) #launch #AI — C# and #1 stay text"
    media.post(text)
    media.run()
    [stored] = media.server.posts
    assert stored.hashtags == ("launch", "AI")
    assert [(m.name, m.urn) for m in stored.mentions] == [("Ada Lovelace", "urn:li:person:ada1")]
    assert "{hashtag|\\#|launch}" in stored.raw_commentary
    assert stored.commentary.endswith("C# and #1 stay text")


def test_an_image_only_image_path_names_is_adopted_uploaded_once_and_reused(
    media: MediaDesk, tmp_path: Path
) -> None:
    # A post an older tool wrote: its image only in posts.image_path, no post_media row.
    image = media.png("old.png")
    post_id = media.desk.due_post("Old style", image_path=str(image))
    media.server.inject("POST", "/rest/posts", 500)
    [first] = media.run().results
    assert first.outcome is Outcome.RETRY
    [row] = media.media_rows(post_id)
    assert row.path == str(image) and row.urn is not None
    [published] = media.run(NOW + timedelta(minutes=5)).results
    assert published.outcome is Outcome.PUBLISHED
    assert len(media.uploads_started()) == 1 and len(media.creates()) == 2
    assert media.row(post_id).status == PostStatus.PUBLISHED
