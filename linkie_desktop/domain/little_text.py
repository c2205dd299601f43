"""What a post's text means to LinkedIn: hashtags, mentions and plain text, read once here.

The database keeps what the user typed. A hashtag is typed as `#word`; a mention is kept inline
as `@[Display Name](urn:li:person:…)` (or `urn:li:organization:…`), since a member app cannot look
people up and the URN has to come from the user. At send time the text becomes LinkedIn's "little
text" (`to_little_text`): hashtags become the `{hashtag|\\#|word}` template (an escaped `\\#word`
shows "#word" but is no hashtag), mentions become mention markup, and every other reserved
character is escaped. The reader sees a mention as its name, so lengths count that
(`reader_length`). The composer's counter, the preview and the sender all read the text through
`pieces`, so they never disagree about what is a hashtag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from linkie_desktop.domain.text import escape_little_text


class MentionNameError(ValueError):
    """A mention's name LinkedIn's markup cannot carry; the message says why in plain words."""


# Each piece knows where it stands in the stored text (`start`, `end`), for those who mark the
# text itself (the spell checker, the editor's highlighting); equality ignores it.
def _at() -> int:
    return field(default=0, compare=False)  # a new field each time: dataclasses own theirs


@dataclass(frozen=True)
class Plain:
    text: str
    start: int = _at()
    end: int = _at()


@dataclass(frozen=True)
class Hashtag:
    word: str  # without the "#"
    start: int = _at()
    end: int = _at()

    @property
    def text(self) -> str:
        return "#" + self.word


@dataclass(frozen=True)
class Mention:
    name: str
    urn: str
    start: int = _at()
    end: int = _at()

    @property
    def text(self) -> str:
        return self.name


@dataclass(frozen=True)
class Link:
    """A web address: LinkedIn links it by itself; the feed shows it in its blue."""

    url: str
    start: int = _at()
    end: int = _at()

    @property
    def text(self) -> str:
        return self.url


Piece = Plain | Hashtag | Mention | Link

# A mention as it is stored: the name holds no brackets (LinkedIn's markup cannot carry them).
_MENTION = r"@\[(?P<name>[^\[\]\n]+)\]\((?P<urn>urn:li:(?:person|organization):[A-Za-z0-9_-]+)\)"
# The contract's hashtag rule: a "#" at the start or after a character that is not a letter,
# digit or "_", then letters, digits or "_" of which at least one is a letter ("C#", "#1" and
# "# heading" are text). `[^\W\d_]` is "a Unicode letter" in Python's regular expressions.
_HASHTAG = r"(?<!\w)#(?P<word>\w*[^\W\d_]\w*)"
# A "#" inside a web address is its fragment, never a hashtag: the address is matched whole. It
# ends before the punctuation that closes a sentence around it ("see https://x.y/a.").
_ADDRESS = r"(?P<address>https?://[^\s]*[^\s.,;:!?)\]}'\"])"
_PIECES = re.compile(f"{_MENTION}|{_ADDRESS}|{_HASHTAG}")


def pieces(text: str) -> Iterator[Piece]:
    """The text as the reader will see it: plain runs, hashtags, mentions and links, in order."""
    start = 0
    for found in _PIECES.finditer(text):
        at, end = found.span()
        if at > start:
            yield Plain(text[start:at], start, at)
        if found.group("address") is not None:
            yield Link(found.group("address"), at, end)
        elif found.group("word") is not None:
            yield Hashtag(found.group("word"), at, end)
        else:
            yield Mention(found.group("name"), found.group("urn"), at, end)
        start = end
    if start < len(text):
        yield Plain(text[start:], start, len(text))


def to_little_text(text: str) -> str:
    """The commentary LinkedIn needs for `text`: live hashtags and mentions, the rest escaped so
    it shows exactly as typed (LinkedIn cuts a post at stray markup while answering 201)."""
    sent: list[str] = []
    for piece in pieces(text):
        if isinstance(piece, Hashtag):
            sent.append("{hashtag|\\#|" + escape_little_text(piece.word) + "}")
        elif isinstance(piece, Mention):
            sent.append(f"@[{escape_little_text(piece.name)}]({piece.urn})")
        else:  # plain text, and addresses: escaped alike, LinkedIn still links them
            sent.append(escape_little_text(piece.text))
    return "".join(sent)


def reader_text(text: str) -> str:
    """What the feed shows: mentions as their names, hashtags, links and the rest as typed."""
    return "".join(piece.text for piece in pieces(text))


def reader_length(text: str) -> int:
    """The length LinkedIn's 3000-character limit counts: a mention counts its name."""
    if "@[" not in text:  # no mention: the common case, without parsing
        return len(text)
    return len(reader_text(text))


def mention(name: str, urn: str) -> str:
    """The stored form of a mention of `name` (a person or organization URN)."""
    name = " ".join(name.split())
    if not name:
        raise MentionNameError("A mention needs the name to show.")
    if "[" in name or "]" in name:
        raise MentionNameError(
            "LinkedIn cannot show a mention whose name holds [ or ]: remove them from the name."
        )
    stored = f"@[{name}]({urn})"
    if _PIECES.fullmatch(stored) is None:
        raise MentionNameError(
            f"{urn!r} is not a LinkedIn person or organization URN "
            "(urn:li:person:… or urn:li:organization:…)."
        )
    return stored
