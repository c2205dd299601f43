"""What the LinkedIn test server makes of a post's commentary and `content`: pure rules, no HTTP.

Kept apart from the server's plumbing (tests/fakes/linkedin_server.py) so the rules read as the
contract (/work/shared/LINKEDIN-API.md) does:

- `read_little_text(commentary)`: what the member sees, and which hashtags and mentions LinkedIn
  made live. An escaped reserved character shows as itself; `{hashtag|\\#|word}` is a hashtag
  (shown `#word`); `@[Name](urn:li:person:…)` / `(urn:li:organization:…)` is a mention (shown as
  its name). Anything else reserved left unescaped, a malformed template included, cuts the text
  there, while LinkedIn still answers 201.
- `check_content(content, author, assets)`: the one kind a post's `content` holds, or a
  `ContentError` (the server answers it as a 422).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

RESERVED = frozenset("|{}@[]()<>#\\*_~")
MAX_COMMENTARY_CHARS = 3000
VISIBILITIES = frozenset({"PUBLIC", "CONNECTIONS"})
POLL_DURATIONS = frozenset({"ONE_DAY", "THREE_DAYS", "SEVEN_DAYS", "FOURTEEN_DAYS"})
MAX_POLL_QUESTION_CHARS = 140
MAX_POLL_OPTION_CHARS = 30
POLL_OPTIONS = range(2, 5)
MULTI_IMAGES = range(2, 21)

_HASHTAG_OPENING = "{hashtag|\\#|"
_HASHTAG_WORD = re.compile(r"\w*[^\W\d_]\w*")  # letters, digits, "_"; at least one letter
_MENTION_URN = re.compile(r"\((urn:li:(?:person|organization):[A-Za-z0-9_-]+)\)")


@dataclass(frozen=True)
class SentMention:
    name: str  # as the member sees it (escapes resolved)
    urn: str


@dataclass(frozen=True)
class ShownText:
    text: str  # what the member sees
    hashtags: tuple[str, ...]  # live hashtags, without "#", in order
    mentions: tuple[SentMention, ...]


def read_little_text(commentary: str) -> ShownText:
    """What LinkedIn shows for `commentary`, and which of it is live markup."""
    shown: list[str] = []
    hashtags: list[str] = []
    mentions: list[SentMention] = []
    i = 0
    while i < len(commentary):
        char = commentary[i]
        if char == "\\" and i + 1 < len(commentary) and commentary[i + 1] in RESERVED:
            shown.append(commentary[i + 1])
            i += 2
            continue
        if char == "{":
            tag = _read_hashtag(commentary, i)
            if tag is None:
                break
            word, i = tag
            shown.append("#" + word)
            hashtags.append(word)
            continue
        if char == "@":
            found = _read_mention(commentary, i)
            if found is None:
                break
            sent, i = found
            shown.append(sent.name)
            mentions.append(sent)
            continue
        if char in RESERVED:
            break
        shown.append(char)
        i += 1
    return ShownText("".join(shown), tuple(hashtags), tuple(mentions))


def parse_little_text(commentary: str) -> str:
    """What LinkedIn shows: escapes resolved, markup read, all from the first stray char lost."""
    return read_little_text(commentary).text


def _read_text_until(source: str, start: int, end: str) -> tuple[str, int] | None:
    """Little text from `start` to an unescaped `end`: (its text, the index after `end`), or
    None when stray markup or the end of `source` comes first."""
    text: list[str] = []
    i = start
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source) and source[i + 1] in RESERVED:
            text.append(source[i + 1])
            i += 2
        elif char == end:
            return "".join(text), i + 1
        elif char in RESERVED:
            return None
        else:
            text.append(char)
            i += 1
    return None


def _read_hashtag(source: str, start: int) -> tuple[str, int] | None:
    if not source.startswith(_HASHTAG_OPENING, start):
        return None
    found = _read_text_until(source, start + len(_HASHTAG_OPENING), "}")
    if found is None or _HASHTAG_WORD.fullmatch(found[0]) is None:
        return None
    return found


def _read_mention(source: str, start: int) -> tuple[SentMention, int] | None:
    if not source.startswith("@[", start):
        return None
    found = _read_text_until(source, start + 2, "]")
    if found is None or not found[0].strip() or "[" in found[0]:
        return None
    name, after = found
    urn = _MENTION_URN.match(source, after)
    if urn is None:
        return None
    return SentMention(name, urn.group(1)), urn.end()


# --- content ---------------------------------------------------------------------------------


class ContentError(Exception):
    """A `content` LinkedIn refuses; `where` is the JSON path, as in LinkedIn's 422 messages."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"ERROR :: /{where} :: {what}")


class Assets(Protocol):
    """What the server knows of uploaded media, per URN: its owner, and a video's status."""

    def uploaded_owner(self, urn: str) -> str | None: ...  # images and documents, once PUT

    def video_state(self, urn: str) -> tuple[str, str] | None: ...  # (owner, status)


def check_content(content: Any, author: str, assets: Assets) -> str:
    """The kind of `content` (image, multiImage, document, video, poll, article), or
    ContentError: exactly one kind, in its documented shape, its media uploaded by `author`."""
    if not isinstance(content, dict) or len(content) != 1:
        raise ContentError("content", "expected exactly one of media, multiImage, poll, article")
    [(kind, value)] = content.items()
    kind = str(kind)
    if kind == "media":
        return _check_media(value, author, assets)
    if kind == "multiImage":
        _check_multi_image(value, author, assets)
    elif kind == "poll":
        _check_poll(value)
    elif kind == "article":
        _check_article(value, author, assets)
    else:
        raise ContentError(f"content/{kind}", "unrecognized field found but not allowed")
    return kind


def _object(value: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ContentError(where, "expected an object")
    missing = required - value.keys()
    unknown = value.keys() - required - optional
    if missing:
        raise ContentError(f"{where}/{sorted(missing)[0]}", "field is required but not found")
    if unknown:
        raise ContentError(f"{where}/{sorted(unknown)[0]}", "unrecognized field found")
    return value


def _text(value: Any, where: str, max_chars: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(where, "expected a non-empty string")
    text: str = value
    if max_chars is not None and len(text) > max_chars:
        raise ContentError(where, f"length exceeds {max_chars}")
    return text


def _uploaded(urn: Any, kind: str, where: str, author: str, assets: Assets) -> None:
    if not isinstance(urn, str) or not urn.startswith(f"urn:li:{kind}:"):
        raise ContentError(where, f"expected an urn:li:{kind}:… URN")
    owner = assets.uploaded_owner(urn)
    if owner is None:
        raise ContentError(where, f"{urn} was not uploaded")
    if owner != author:
        raise ContentError(where, f"{urn} belongs to another member")


def _check_media(value: Any, author: str, assets: Assets) -> str:
    urn = value.get("id") if isinstance(value, dict) else None
    if isinstance(urn, str) and urn.startswith("urn:li:image:"):
        media = _object(value, "content/media", {"id"}, {"altText"})
        _uploaded(urn, "image", "content/media/id", author, assets)
        if "altText" in media and not isinstance(media["altText"], str):
            raise ContentError("content/media/altText", "expected a string")
        return "image"
    if isinstance(urn, str) and urn.startswith("urn:li:document:"):
        media = _object(value, "content/media", {"id", "title"}, set())
        _uploaded(urn, "document", "content/media/id", author, assets)
        _text(media["title"], "content/media/title")
        return "document"
    if isinstance(urn, str) and urn.startswith("urn:li:video:"):
        media = _object(value, "content/media", {"id", "title"}, set())
        _text(media["title"], "content/media/title")
        state = assets.video_state(urn)
        if state is None:
            raise ContentError("content/media/id", f"{urn} was not uploaded")
        owner, status = state
        if owner != author:
            raise ContentError("content/media/id", f"{urn} belongs to another member")
        if status != "AVAILABLE":
            raise ContentError("content/media/id", f"{urn} is {status}, not AVAILABLE")
        return "video"
    raise ContentError("content/media/id", "expected an image, document or video URN")


def _check_multi_image(value: Any, author: str, assets: Assets) -> None:
    images = _object(value, "content/multiImage", {"images"}, set())["images"]
    if not isinstance(images, list) or len(images) not in MULTI_IMAGES:
        raise ContentError("content/multiImage/images", "expected 2 to 20 images")
    for index, image in enumerate(images):
        where = f"content/multiImage/images/{index}"
        entry = _object(image, where, {"id"}, {"altText"})
        _uploaded(entry["id"], "image", f"{where}/id", author, assets)
        if "altText" in entry and not isinstance(entry["altText"], str):
            raise ContentError(f"{where}/altText", "expected a string")


def _check_poll(value: Any) -> None:
    poll = _object(value, "content/poll", {"question", "options", "settings"}, set())
    _text(poll["question"], "content/poll/question", MAX_POLL_QUESTION_CHARS)
    options = poll["options"]
    if not isinstance(options, list) or len(options) not in POLL_OPTIONS:
        raise ContentError("content/poll/options", "expected 2 to 4 options")
    for index, option in enumerate(options):
        where = f"content/poll/options/{index}"
        text = _object(option, where, {"text"}, set())["text"]
        _text(text, f"{where}/text", MAX_POLL_OPTION_CHARS)
    settings = _object(poll["settings"], "content/poll/settings", {"duration"}, set())
    if settings["duration"] not in POLL_DURATIONS:
        raise ContentError("content/poll/settings/duration", "not a valid enum value")


def _check_article(value: Any, author: str, assets: Assets) -> None:
    article = _object(value, "content/article", {"source", "title"}, {"description", "thumbnail"})
    source = _text(article["source"], "content/article/source")
    if not source.startswith(("https://", "http://")):
        raise ContentError("content/article/source", "expected an http(s) URL")
    _text(article["title"], "content/article/title")
    if "description" in article and not isinstance(article["description"], str):
        raise ContentError("content/article/description", "expected a string")
    if "thumbnail" in article:
        _uploaded(article["thumbnail"], "image", "content/article/thumbnail", author, assets)
