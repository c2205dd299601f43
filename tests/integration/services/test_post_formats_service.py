"""PostService writes every post format (images in order with alt text, a document, a video, a
poll, a link card, a first comment, visibility), on a real SQLite file and real files: the kind
rules and limits are checked before anything is copied or written, a refusal changes nothing,
and image_path keeps naming the first image."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.domain.post_content import (
    CommentStatus,
    ContentKind,
    LinkCard,
    MediaKind,
    Poll,
    Visibility,
)
from linkie_desktop.domain.posts import ReadOnlyPostError, ValidationError
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import Attachments, PostRecord, PostService
from linkie_desktop.services.preferences import Preferences, load_preferences, save_preferences
from tests.fakes.image_files import write_png
from tests.fakes.media_files import write_mp4, write_pdf


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def service(engine: Engine, user_id: str, media_dir: Path) -> PostService:
    return PostService(engine, user_id, media_dir)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "picked"
    folder.mkdir()
    return folder


def _pngs(folder: Path, count: int) -> list[Path]:
    return [write_png(folder / f"photo{n}.png", 20 + n, 10) for n in range(count)]


def _snapshot(engine: Engine, media_dir: Path) -> tuple[Any, ...]:
    """Every row of posts and post_media, and the media folder's files: what a refusal keeps."""
    with engine.connect() as raw:
        posts = [tuple(row) for row in raw.execute(text("SELECT * FROM posts ORDER BY id"))]
        media = [tuple(row) for row in raw.execute(text("SELECT * FROM post_media ORDER BY id"))]
    names = sorted(p.name for p in media_dir.iterdir()) if media_dir.exists() else []
    return posts, media, names


def _refused(
    engine: Engine,
    media_dir: Path,
    action: Callable[[], object],
    error: type[Exception] = ValidationError,
) -> str:
    before = _snapshot(engine, media_dir)
    with pytest.raises(error) as caught:
        action()
    assert _snapshot(engine, media_dir) == before, "a refusal changed something"
    return str(caught.value)


def _names(record: PostRecord) -> list[str]:
    return [m.path for m in record.post_content.media]


# --- images ---------------------------------------------------------------------------------------


def test_several_images_attach_in_order_with_alt_text(
    service: PostService, files: Path, media_dir: Path
) -> None:
    draft = service.create_draft("", "Three photos")
    record = service.attach_images(draft.id, _pngs(files, 3), ["first", None, "third"])
    content = record.post_content
    assert content.kind is ContentKind.IMAGES
    assert [(m.position, m.kind, m.alt_text) for m in content.media] == [
        (0, MediaKind.IMAGE, "first"),
        (1, MediaKind.IMAGE, None),
        (2, MediaKind.IMAGE, "third"),
    ]
    assert all((media_dir / name).is_file() for name in _names(record))
    assert record.image_path == str(media_dir / content.media[0].path)
    assert [m.size_bytes for m in content.media] == [p.stat().st_size for p in _pngs(files, 3)]
    assert service.get(draft.id) == record  # read back as written


def test_more_than_twenty_images_are_refused_and_nothing_changes(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "Gallery")
    service.attach_images(draft.id, _pngs(files, 18))
    message = _refused(engine, media_dir, lambda: service.attach_images(draft.id, _pngs(files, 3)))
    assert message == "A post holds at most 20 images; it has 18 already and you are adding 3."
    assert len(service.attach_images(draft.id, _pngs(files, 2)).post_content.media) == 20


def test_one_bad_image_among_several_copies_none(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "x")
    bad = files / "notes.png"
    bad.write_text("not an image")
    message = _refused(
        engine, media_dir, lambda: service.attach_images(draft.id, [*_pngs(files, 2), bad])
    )
    assert "not a PNG, JPEG or GIF" in message
    too_long = "a" * 4087
    assert "4086" in _refused(
        engine, media_dir, lambda: service.attach_images(draft.id, _pngs(files, 1), [too_long])
    )


def test_mixing_kinds_is_refused_at_attach_time(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "A deck")
    service.set_document(draft.id, write_pdf(files / "deck.pdf", 5), "Q3 deck")
    message = _refused(engine, media_dir, lambda: service.attach_images(draft.id, _pngs(files, 2)))
    assert (
        message == "A post holds one kind of attachment: remove the document before adding images."
    )
    poll = Poll("Which?", ("A", "B"), 3)
    assert "remove the document before adding a poll" in _refused(
        engine, media_dir, lambda: service.set_poll(draft.id, poll)
    )
    assert "remove the document before adding a link card" in _refused(
        engine, media_dir, lambda: service.set_link_card(draft.id, "https://example.com", "T")
    )
    assert "remove the document before adding a video" in _refused(
        engine, media_dir, lambda: service.set_video(draft.id, write_mp4(files / "v.mp4"), "V")
    )


def test_removing_and_moving_keep_image_path_on_the_first_image(
    service: PostService, files: Path, media_dir: Path
) -> None:
    draft = service.create_draft("", "x")
    record = service.attach_images(draft.id, _pngs(files, 3), ["a", "b", "c"])
    first, second, third = record.post_content.media

    moved = service.move_media(draft.id, third.id, 0)
    assert [m.alt_text for m in moved.post_content.media] == ["c", "a", "b"]
    assert [m.position for m in moved.post_content.media] == [0, 1, 2]
    assert moved.image_path == str(media_dir / third.path)
    assert all((media_dir / m.path).is_file() for m in moved.post_content.media)  # none deleted
    assert [m.alt_text for m in service.move_media(draft.id, third.id, 99).post_content.media] == [
        "a",
        "b",
        "c",
    ]

    after = service.remove_media(draft.id, first.id)
    assert [m.alt_text for m in after.post_content.media] == ["b", "c"]
    assert not (media_dir / first.path).exists()  # its copy went with it
    assert after.image_path == str(media_dir / second.path)
    service.remove_media(draft.id, second.id)
    emptied = service.remove_media(draft.id, third.id)
    assert emptied.post_content.kind is ContentKind.TEXT and emptied.image_path is None
    assert list(media_dir.iterdir()) == []


def test_alt_text_is_for_images_only(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "x")
    image = service.attach_images(draft.id, _pngs(files, 1)).post_content.media[0]
    assert (
        service.set_alt_text(draft.id, image.id, "A cat").post_content.media[0].alt_text == "A cat"
    )
    assert service.set_alt_text(draft.id, image.id, "").post_content.media[0].alt_text is None
    assert "LinkedIn allows 4086" in _refused(
        engine, media_dir, lambda: service.set_alt_text(draft.id, image.id, "x" * 5000)
    )
    assert "no longer on this post" in _refused(
        engine, media_dir, lambda: service.set_alt_text(draft.id, "gone", "x")
    )
    doc = service.create_draft("", "doc")
    item = service.set_document(doc.id, write_pdf(files / "d.pdf"), "D").post_content.media[0]
    assert "Only images have alt text" in _refused(
        engine, media_dir, lambda: service.set_alt_text(doc.id, item.id, "x")
    )


def test_the_old_attach_and_remove_image_still_mean_the_one_image(
    service: PostService, files: Path, media_dir: Path
) -> None:
    draft = service.create_draft("", "x")
    one, two = _pngs(files, 2)
    first = service.attach_image(draft.id, one)
    second = service.attach_image(draft.id, two)  # takes its place, as before
    assert len(second.post_content.media) == 1
    assert not Path(first.image_path or "").exists()
    assert second.image_path is not None and Path(second.image_path).is_file()
    removed = service.remove_image(draft.id)
    assert (removed.image_path, removed.post_content.media) == (None, ())
    assert list(media_dir.iterdir()) == []


def test_a_migrated_image_with_a_full_path_is_replaced_like_any(
    service: PostService, files: Path, media_dir: Path, user_id: str
) -> None:
    media_dir.mkdir()
    old = write_png(media_dir / "old-copy.png")
    with transaction(service.engine) as session:
        post = Post(user_id=user_id, content="from before", image_path=str(old))
        post.media.append(PostMedia(user_id=user_id, position=0, kind="image", path=str(old)))
        session.add(post)
        session.flush()
        post_id = post.id
    assert service.get(post_id).post_content.media[0].path == str(old)
    record = service.attach_image(post_id, _pngs(files, 1)[0])
    assert not old.exists()
    assert record.image_path == str(media_dir / record.post_content.media[0].path)


# --- documents and videos -------------------------------------------------------------------------


def test_a_document_is_copied_with_its_title_and_pages(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "Carousel")
    assert "needs a title" in _refused(
        engine, media_dir, lambda: service.set_document(draft.id, write_pdf(files / "a.pdf"), " ")
    )
    record = service.set_document(draft.id, write_pdf(files / "a.pdf", 12), "Ten lessons")
    (doc,) = record.post_content.media
    assert (doc.kind, doc.title, doc.pages, record.image_path) == (
        MediaKind.DOCUMENT,
        "Ten lessons",
        12,
        None,
    )
    assert doc.path.endswith(".pdf") and (media_dir / doc.path).is_file()
    replaced = service.set_document(draft.id, write_pdf(files / "b.pdf", 2), "Two")
    assert [m.pages for m in replaced.post_content.media] == [2]
    assert not (media_dir / doc.path).exists()
    renamed = service.set_media_title(draft.id, replaced.post_content.media[0].id, "Two pages")
    assert renamed.post_content.media[0].title == "Two pages"
    too_long = write_pdf(files / "book.pdf", 301)
    assert "301 pages" in _refused(
        engine, media_dir, lambda: service.set_document(draft.id, too_long, "Book")
    )


def test_a_video_is_copied_with_its_title_and_length(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "Watch")
    short = write_mp4(files / "short.mp4", seconds=1)
    assert "LinkedIn takes videos of 3 seconds to 30 minutes" in _refused(
        engine, media_dir, lambda: service.set_video(draft.id, short, "Short")
    )
    record = service.set_video(draft.id, write_mp4(files / "clip.mp4", seconds=42.5), "Demo")
    (video,) = record.post_content.media
    assert (video.kind, video.title, video.duration_s) == (MediaKind.VIDEO, "Demo", 42.5)
    assert record.post_content.kind is ContentKind.VIDEO


# --- poll, link card, first comment, visibility ---------------------------------------------------


def test_a_poll_is_set_checked_and_removed(
    service: PostService, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "Vote")
    record = service.set_poll(draft.id, Poll("Which one?", ("Tea", "Coffee", "Both"), 7))
    assert record.post_content.poll == Poll("Which one?", ("Tea", "Coffee", "Both"), 7)
    assert record.post_content.kind is ContentKind.POLL
    assert "not 5" in _refused(
        engine, media_dir, lambda: service.set_poll(draft.id, Poll("Q", ("A", "B"), 5))
    )
    assert service.remove_poll(draft.id).post_content.poll is None


def test_a_link_card_with_its_thumbnail(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "Read this")
    assert "Add the link card first" in _refused(
        engine, media_dir, lambda: service.set_link_thumbnail(draft.id, _pngs(files, 1)[0])
    )
    service.set_link_card(draft.id, "https://example.com/post", "A post", "Why it matters")
    record = service.set_link_thumbnail(draft.id, _pngs(files, 1)[0])
    card = record.post_content.link
    assert card is not None and card.thumbnail_path is not None
    assert (card.url, card.title, card.description) == (
        "https://example.com/post",
        "A post",
        "Why it matters",
    )
    assert (media_dir / card.thumbnail_path).is_file()
    kept = service.set_link_card(draft.id, "https://example.com/other", "Other").post_content.link
    assert kept is not None and kept.thumbnail_path == card.thumbnail_path
    assert "starting with http" in _refused(
        engine, media_dir, lambda: service.set_link_card(draft.id, "example.com", "T")
    )
    assert "remove the link card before adding an image" in _refused(
        engine, media_dir, lambda: service.attach_images(draft.id, _pngs(files, 1))
    )
    assert service.remove_link_card(draft.id).post_content.link is None
    assert list(media_dir.iterdir()) == []


def test_first_comment_and_visibility(
    service: PostService, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "x")
    record = service.set_first_comment(draft.id, "Link: https://example.com #tag (plain)")
    comment = record.post_content.first_comment
    assert comment is not None
    assert (comment.text, comment.status, comment.urn) == (
        "Link: https://example.com #tag (plain)",
        CommentStatus.PENDING,
        None,
    )
    assert "LinkedIn allows 1250" in _refused(
        engine, media_dir, lambda: service.set_first_comment(draft.id, "c" * 1251)
    )
    assert service.set_first_comment(draft.id, "  ").post_content.first_comment is None
    assert service.set_visibility(draft.id, Visibility.CONNECTIONS).post_content.visibility is (
        Visibility.CONNECTIONS
    )


def test_new_posts_take_the_default_visibility_from_settings(
    engine: Engine, user_id: str, media_dir: Path
) -> None:
    prefs = Preferences(default_visibility=Visibility.CONNECTIONS)
    service = PostService(engine, user_id, media_dir, preferences=lambda: prefs)
    assert service.create_draft("", "x").post_content.visibility is Visibility.CONNECTIONS
    assert service.get(service.add("y").id).post_content.visibility is Visibility.CONNECTIONS
    chosen = service.add("z", visibility=Visibility.PUBLIC)
    assert service.get(chosen.id).post_content.visibility is Visibility.PUBLIC
    assert PostService(engine, user_id).create_draft("", "w").post_content.visibility is (
        Visibility.PUBLIC
    )


def test_a_published_post_refuses_every_change(
    service: PostService, files: Path, media_dir: Path, engine: Engine
) -> None:
    draft = service.create_draft("", "x")
    image = service.attach_images(draft.id, _pngs(files, 2)).post_content.media[0]
    service.set_first_comment(draft.id, "hello")
    with transaction(service.engine) as session:
        post = session.get(Post, draft.id)
        assert post is not None
        post.status = PostStatus.PUBLISHED
    pdf = write_pdf(files / "d.pdf")
    changes: list[Callable[[], object]] = [
        lambda: service.attach_images(draft.id, _pngs(files, 1)),
        lambda: service.attach_image(draft.id, _pngs(files, 1)[0]),
        lambda: service.remove_image(draft.id),
        lambda: service.remove_media(draft.id, image.id),
        lambda: service.move_media(draft.id, image.id, 1),
        lambda: service.set_alt_text(draft.id, image.id, "x"),
        lambda: service.set_document(draft.id, pdf, "D"),
        lambda: service.set_poll(draft.id, Poll("Q", ("A", "B"), 1)),
        lambda: service.set_link_card(draft.id, "https://example.com", "T"),
        lambda: service.set_first_comment(draft.id, "changed"),
        lambda: service.set_visibility(draft.id, Visibility.CONNECTIONS),
    ]
    for change in changes:
        _refused(engine, media_dir, change, ReadOnlyPostError)


# --- a post made whole, duplicated, deleted and restored ------------------------------------------


def test_add_writes_a_post_with_everything_at_once(
    service: PostService, files: Path, media_dir: Path
) -> None:
    images = Attachments(images=[(p, f"alt {n}") for n, p in enumerate(_pngs(files, 2))])
    post = service.add("Two", attachments=images, first_comment="More in the comments")
    record = service.get(post.id)
    assert [m.alt_text for m in record.post_content.media] == ["alt 0", "alt 1"]
    assert record.image_path == str(media_dir / record.post_content.media[0].path)
    comment = record.post_content.first_comment
    assert comment is not None and comment.text == "More in the comments"
    card = Attachments(
        link=LinkCard("https://example.com", "Example", "A site"),
        link_thumbnail=_pngs(files, 1)[0],
    )
    linked = service.get(service.add("Link", attachments=card).id).post_content.link
    assert (
        linked is not None
        and linked.thumbnail_path
        and (media_dir / linked.thumbnail_path).is_file()
    )
    video = Attachments(video=(write_mp4(files / "v.mp4", 10), "Clip"))
    assert (
        service.get(service.add("V", attachments=video).id).post_content.kind is ContentKind.VIDEO
    )
    poll = Attachments(poll=Poll("Q?", ("A", "B"), 14))
    assert service.get(service.add("P", attachments=poll).id).post_content.poll == Poll(
        "Q?", ("A", "B"), 14
    )


@pytest.mark.parametrize(
    ("attachments", "said"),
    [
        (lambda f: Attachments(images=[(write_png(f / "a.png"), None)],
                               document=(write_pdf(f / "d.pdf"), "D")),
         "images and a document cannot go together"),
        (lambda f: Attachments(poll=Poll("Q", ("A",), 3)), "2 to 4 options"),
        (lambda f: Attachments(document=(write_pdf(f / "d.pdf"), "")), "needs a title"),
        (lambda f: Attachments(link_thumbnail=write_png(f / "t.png")), "belongs to a link card"),
        (lambda f: Attachments(link=LinkCard("https://example.com", "T"),
                               link_thumbnail=f / "missing.png"), "not there any more"),
        (lambda f: Attachments(images=[(write_png(f / f"{n}.png"), None) for n in range(21)]),
         "at most 20 images"),
    ],
)  # fmt: skip
def test_add_refuses_bad_attachments_and_writes_nothing(
    service: PostService,
    files: Path,
    media_dir: Path,
    engine: Engine,
    attachments: Callable[[Path], Attachments],
    said: str,
) -> None:
    chosen = attachments(files)
    message = _refused(engine, media_dir, lambda: service.add("text", attachments=chosen))
    assert said in message


def test_duplicate_copies_the_content_and_its_files(
    service: PostService, files: Path, media_dir: Path
) -> None:
    draft = service.create_draft("T", "Words")
    service.attach_images(draft.id, _pngs(files, 2), ["one", "two"])
    service.set_first_comment(draft.id, "first!")
    service.set_visibility(draft.id, Visibility.CONNECTIONS)
    source = service.get(draft.id)
    copy = service.duplicate(draft.id)
    content = copy.post_content
    assert [m.alt_text for m in content.media] == ["one", "two"]
    assert set(_names(copy)).isdisjoint(_names(source))  # files of its own
    assert all((media_dir / n).is_file() for n in _names(copy))
    assert content.visibility is Visibility.CONNECTIONS
    assert content.first_comment is not None and content.first_comment.text == "first!"
    assert copy.image_path == str(media_dir / content.media[0].path)
    linked = service.create_draft("", "l")
    service.set_link_card(linked.id, "https://example.com", "T", "D")
    service.set_link_thumbnail(linked.id, _pngs(files, 1)[0])
    twin = service.duplicate(linked.id).post_content.link
    original = service.get(linked.id).post_content.link
    assert twin is not None and original is not None
    assert (twin.url, twin.title, twin.description) == (
        original.url,
        original.title,
        original.description,
    )
    assert twin.thumbnail_path != original.thumbnail_path and twin.thumbnail_path is not None
    assert (media_dir / twin.thumbnail_path).is_file()


def test_delete_restore_forget_and_emptying_the_trash_keep_and_then_drop_the_files(
    service: PostService, files: Path, media_dir: Path
) -> None:
    draft = service.create_draft("", "x")
    service.attach_images(draft.id, _pngs(files, 2), ["a", "b"])
    service.set_first_comment(draft.id, "c")
    before = service.get(draft.id)
    deleted = service.delete(draft.id)
    assert all((media_dir / n).is_file() for n in _names(before))  # Undo is still possible
    restored = service.restore(deleted)
    assert restored.post_content == before.post_content
    again = service.delete(draft.id)
    service.forget(again)  # the Undo time is over, but the post waits in the trash: files stay
    assert all((media_dir / n).is_file() for n in _names(before))
    service.empty_trash()
    assert list(media_dir.iterdir()) == []


def test_the_default_visibility_is_kept_in_the_preferences_file(tmp_path: Path) -> None:
    assert load_preferences(tmp_path).default_visibility is Visibility.PUBLIC  # no file yet
    save_preferences(tmp_path, Preferences(default_visibility=Visibility.CONNECTIONS))
    assert json.loads((tmp_path / "preferences.json").read_text())["default_visibility"] == (
        "CONNECTIONS"
    )
    assert load_preferences(tmp_path).default_visibility is Visibility.CONNECTIONS
    (tmp_path / "preferences.json").write_text('{"default_visibility": "FRIENDS"}')
    assert load_preferences(tmp_path).default_visibility is Visibility.PUBLIC  # unknown: default
