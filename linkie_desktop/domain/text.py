"""LinkedIn's "little text" format: the commentary escaping the Posts API needs at send time.

LinkedIn parses post commentary as little text, where `| { } @ [ ] ( ) < > # \\ * _ ~` are syntax.
An unescaped one makes LinkedIn silently cut the post there while still answering 201, so every
reserved character is escaped, used or not. Only the text sent is escaped; the database keeps
what the user typed. (Where the feed folds a post behind "…see more" lives in `domain/fold.py`.)
"""

from __future__ import annotations

LITTLE_TEXT_RESERVED = frozenset("|{}@[]()<>#\\*_~")


def escape_little_text(text: str) -> str:
    """Backslash-escape every reserved character so LinkedIn shows the text exactly as typed."""
    return "".join("\\" + char if char in LITTLE_TEXT_RESERVED else char for char in text)
