"""Where LinkedIn folds a long post behind "…see more" in the feed.

LinkedIn shows about the first 210 characters or the first three lines, whichever ends first; the
exact cut varies by device, so the composer marks this rule's position as a guide, not a promise.
"""

from __future__ import annotations

FOLD_CHARS = 210
FOLD_LINES = 3


def fold_index(text: str) -> int | None:
    """Index where the feed preview ends, or None when the whole post shows without a fold."""
    cut = FOLD_CHARS
    breaks = 0
    for index, char in enumerate(text[:FOLD_CHARS]):
        if char == "\n":
            breaks += 1
            if breaks == FOLD_LINES:
                cut = index
                break
    if len(text.rstrip()) <= cut:
        return None
    return cut


def split_at_fold(text: str) -> tuple[str, str]:
    """(what the feed shows, what hides behind "…see more"); the second part may be empty."""
    cut = fold_index(text)
    if cut is None:
        return text, ""
    return text[:cut], text[cut:]
