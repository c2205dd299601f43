"""What a post may be and become: text, title and time limits and the status rules every screen
obeys. Every writer of posts calls these before it writes, so a refusal changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from linkie_desktop.domain.little_text import reader_length
from linkie_desktop.domain.status import PostAction, allows
from linkie_desktop.domain.text import first_unstorable, is_blank

MAX_CONTENT_CHARS = 3000
MAX_TITLE_CHARS = 200
MAX_RETRIES = 3
# Times are kept from the Unix epoch to the last second of 9999, both in UTC: before 1970 nothing
# can be scheduled, and after 9999 an instant has no Python datetime to be read back into.
EARLIEST_TIME = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


class ValidationError(ValueError):
    """Input the user can fix; the message says how, in plain words."""


class ReadOnlyPostError(ValidationError):
    """The post is (being) published: its words can only be reused through Duplicate."""


def _refuse_unstorable(text: str, what: str) -> None:
    found = first_unstorable(text)
    if found is None:
        return
    where = f"character {found.column}"
    if "\n" in text:
        where = f"line {found.line}, {where}"
    kind = "a broken character" if found.broken else "a control character"
    raise ValidationError(
        f"{what} has {kind}, {found.describe()}, at {where}: remove it and try again."
    )


def validate_draft_content(content: str) -> str:
    """What any saved text obeys, a draft in progress too: it may be empty or long, but holds only
    text (tab and line breaks included), never control or broken characters."""
    _refuse_unstorable(content, "The post")
    return content


def validate_content(content: str) -> str:
    """A post ready to be scheduled or sent: some visible text, within LinkedIn's length, which
    counts what the reader sees (a mention by its name), as the composer's counter does."""
    validate_draft_content(content)
    if is_blank(content):
        raise ValidationError("The post is empty: write something first.")
    length = reader_length(content)
    if length > MAX_CONTENT_CHARS:
        raise ValidationError(
            f"The post is {length} characters long; LinkedIn allows {MAX_CONTENT_CHARS}."
        )
    return content


def validate_title(title: str | None) -> str | None:
    """The title to store (None for no title): at most MAX_TITLE_CHARS, text only."""
    if not title:
        return None
    if len(title) > MAX_TITLE_CHARS:
        raise ValidationError(
            f"The title is {len(title)} characters long; keep it to {MAX_TITLE_CHARS} or fewer."
        )
    _refuse_unstorable(title, "The title")
    return title


def out_of_range(shown: str = "That time") -> ValidationError:
    """The refusal of a time outside 1970 to 9999 in UTC; `shown` names the time."""
    return ValidationError(
        f"{shown} is out of range: dates must fall between 1970 and 9999 (in UTC)."
    )


def ensure_in_date_range(when: datetime, shown: str = "That time") -> datetime:
    """`when` in UTC, if it falls between 1970 and 9999 there; `shown` names it in the refusal."""
    if when.tzinfo is None:
        raise ValueError("naive datetime refused: a time needs a time zone")
    try:
        instant = when.astimezone(UTC)
    except (OverflowError, ValueError):  # its UTC date is before year 1 or after 9999
        raise out_of_range(shown) from None
    if not EARLIEST_TIME <= instant <= LATEST_TIME:
        raise out_of_range(shown)
    return instant


def validate_schedule_time(when: datetime, now: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("naive datetime refused: scheduling needs a time zone")
    ensure_in_date_range(when)
    if when <= now:
        raise ValidationError("That time has already passed: choose a time in the future.")
    return when


def is_editable(status: str) -> bool:
    """Drafts, scheduled and failed posts may be edited; what is (being) published may not."""
    return allows(status, PostAction.EDIT)


def can_schedule(status: str) -> bool:
    return allows(status, PostAction.SCHEDULE)


def can_unschedule(status: str) -> bool:
    return allows(status, PostAction.UNSCHEDULE)


def ensure_editable(status: str) -> None:
    if not is_editable(status):
        raise ReadOnlyPostError(
            f"This post is {status} and can no longer be changed; duplicate it to reuse the text."
        )


def is_read_only(status: str) -> bool:
    """Published and publishing posts are history: the only way to reuse them is Duplicate."""
    return not is_editable(status)


def status_after_edit(status: str) -> str:
    """Editing never moves a post: a scheduled post stays scheduled, a failed one stays failed."""
    ensure_editable(status)
    return status


def can_retry(status: str) -> bool:
    return allows(status, PostAction.RETRY)


def can_mark_published(status: str) -> bool:
    return allows(status, PostAction.MARK_PUBLISHED)


def can_publish_now(status: str) -> bool:
    return allows(status, PostAction.PUBLISH_NOW)


def can_delete(status: str) -> bool:
    return allows(status, PostAction.DELETE)


def display_title(title: str | None, content: str, limit: int = 80) -> str:
    """What a list shows for a post: its title, else the first line of its text that shows."""
    if title and not is_blank(title):
        return title.strip()
    for line in content.splitlines():
        if not is_blank(line):
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return "(empty post)"


_POST_URN = re.compile(r"urn:li:(?:share|ugcPost|activity):\d+")


def parse_post_urn(text: str) -> str | None:
    """The post URN in what the user pasted: a URN, or a LinkedIn post address that holds one
    (…/feed/update/urn:li:activity:123/). Empty → None; anything else is refused."""
    text = text.strip()
    if not text:
        return None
    match = _POST_URN.search(text.replace("%3A", ":"))
    if match is None:
        raise ValidationError(
            "That is not a LinkedIn post address or URN. Paste the post's link "
            "(…/feed/update/urn:li:activity:…) or leave it empty."
        )
    return match.group(0)
