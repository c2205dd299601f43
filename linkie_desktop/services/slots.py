"""Posting slots and the queue (no Qt): the user's weekly wall times, the next free one, and the
ordered list of scheduled posts that sit in them.

The queue's order is the slots' order: Move up / Move down swap a post with its neighbour's slot
and Shuffle deals the posts out over the same slots again, so every queued post stays in a slot.
Every change to a post goes through PostService (the one writer of posts); the slots' own rows
are written here. Times: instants are UTC, slots are wall times in `tz` (None: the system's).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import ValidationError, display_title
from linkie_desktop.domain.schedule import MIN_LEAD, format_day
from linkie_desktop.domain.slots import QUEUE_HORIZON, Occurrence, Slot, first_free, occurrences
from linkie_desktop.services.posts import PostService


class UnknownSlotError(ValidationError):
    def __init__(self, slot: Slot) -> None:
        super().__init__(f"There is no posting slot on {slot.words}.")


@dataclass(frozen=True)
class QueuedPost:
    """A scheduled post sitting in a slot, in the queue's order."""

    id: str
    title: str  # the title, else the first words of the text
    scheduled_at: datetime
    slot: Slot


@dataclass(frozen=True)
class SlotChange:
    """What a change did, with a sentence for the user; `post_ids`: the posts that moved."""

    message: str
    post_ids: tuple[str, ...] = ()


def when_words(occurrence: Occurrence) -> str:
    """'Mon 30 Mar 2026 at 09:00' and, when DST moved it, why."""
    when = occurrence.when
    text = f"{format_day(when.day)} at {when.wall:%H:%M}"
    return f"{text}. {when.note}" if when.note else text


class SlotService:
    def __init__(
        self,
        engine: Engine,
        user_id: str,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utc_now,
        posts: PostService | None = None,
    ) -> None:
        self.engine, self.user_id, self.tz, self.clock = engine, user_id, tz, clock
        self.posts = posts or PostService(engine, user_id)

    # --- the slots ---------------------------------------------------------------------------

    def slots(self) -> list[Slot]:
        with reading(self.engine) as session:
            return queries.slot_rules(session, self.user_id)

    def add(self, slot: Slot) -> SlotChange:
        with transaction(self.engine) as session:
            added = queries.add_posting_slot(session, self.user_id, slot.weekday, slot.time_text)
        if not added:
            return SlotChange(f"There is a slot on {slot.words} already.")
        return SlotChange(f"Added a posting slot on {slot.words}.")

    def remove(self, slot: Slot) -> SlotChange:
        """The slot goes; posts queued in it stay scheduled at their times (and leave the
        queue), which the message says. An unknown slot: UnknownSlotError."""
        sitting = [post for post in self.queue() if post.slot == slot]
        with transaction(self.engine) as session:
            if not queries.delete_posting_slot(session, self.user_id, slot.weekday, slot.time_text):
                raise UnknownSlotError(slot)
        message = f"Removed the posting slot on {slot.words}."
        if sitting:
            count = len(sitting)
            posts = "post stays" if count == 1 else "posts stay"
            message += f" Its {count} queued {posts} scheduled at the same time."
        return SlotChange(message)

    def replace_all(self, slots: Sequence[Slot]) -> SlotChange:
        """Settings › Schedule's OK: exactly these slots (the ones removed say so as above)."""
        before = set(self.slots())
        wanted = set(slots)
        messages = [self.remove(slot).message for slot in sorted(before - wanted)]
        messages += [self.add(slot).message for slot in sorted(wanted - before)]
        return SlotChange(" ".join(messages) or "The posting slots are unchanged.")

    # --- free slots and the queue -----------------------------------------------------------

    def next_free(self) -> Occurrence | None:
        now = self.clock()
        with reading(self.engine) as session:
            slots = queries.slot_rules(session, self.user_id)
            taken = queries.taken_instants(
                session, self.user_id, now + MIN_LEAD, now + QUEUE_HORIZON
            )
        return first_free(slots, now, taken, self.tz)

    def free_between(self, start: datetime, end: datetime) -> list[Occurrence]:
        """The free occurrences in [start, end) still at least MIN_LEAD ahead: the calendar's
        dashed drop targets."""
        start = max(start, self.clock() + MIN_LEAD)
        if end <= start:
            return []
        with reading(self.engine) as session:
            slots = queries.slot_rules(session, self.user_id)
            if not slots:
                return []
            taken = queries.taken_instants(session, self.user_id, start, end)
        return [o for o in occurrences(slots, start, end, self.tz) if o.instant not in taken]

    def queue(self) -> list[QueuedPost]:
        """The scheduled posts from now on that sit in a slot, in time order."""
        now = self.clock()
        with reading(self.engine) as session:
            slots = queries.slot_rules(session, self.user_id)
            last = queries.last_scheduled_at(session, self.user_id, now)
            if not slots or last is None:
                return []
            end = min(last + timedelta(seconds=1), now + QUEUE_HORIZON)
            rows = queries.scheduled_between(session, self.user_id, now, end)
            found = {o.instant: o.slot for o in occurrences(slots, now, end, self.tz)}
            ids = [post_id for post_id, at in rows if at in found]
            posts = {p.id: p for p in queries.get_posts_by_ids(session, ids, self.user_id)}
        return [
            QueuedPost(
                post_id,
                display_title(posts[post_id].title, posts[post_id].content, limit=60),
                at,
                found[at],
            )
            for post_id, at in rows
            if post_id in posts
        ]

    def add_to_queue(self, post_id: str) -> tuple[Occurrence, str]:
        """PostService.queue, and the sentence that says where the post went."""
        found = self.posts.queue(post_id, self.clock(), self.tz)
        record = self.posts.get(post_id)
        label = display_title(record.title, record.content, limit=60)
        return found, f"“{label}” is queued for {when_words(found)}"

    def move(self, post_id: str, step: int) -> SlotChange:
        """Move up (-1) or down (+1): the post swaps slots with its neighbour in the queue."""
        queue = self.queue()
        index = next((i for i, post in enumerate(queue) if post.id == post_id), None)
        if index is None:
            raise ValidationError("That post is not in the queue (it is in no posting slot).")
        other = index + step
        if not 0 <= other < len(queue):
            where = "first" if step < 0 else "last"
            return SlotChange(f"“{queue[index].title}” is {where} in the queue already.")
        mine, theirs = queue[index], queue[other]
        moved = self.posts.reassign_times(
            [
                (mine.id, mine.scheduled_at, theirs.scheduled_at),
                (theirs.id, theirs.scheduled_at, mine.scheduled_at),
            ]
        )
        direction = "up" if step < 0 else "down"
        return SlotChange(f"“{mine.title}” moved {direction} the queue.", moved)

    def shuffle(self, rng: random.Random | None = None) -> SlotChange:
        """The queued posts dealt out again over the same slots, in a new order."""
        queue = self.queue()
        if len(queue) < 2:
            return SlotChange("There is nothing to shuffle: the queue has fewer than two posts.")
        times = [post.scheduled_at for post in queue]
        order = list(queue)
        chooser = rng or random.SystemRandom()
        while order == queue:  # a shuffle that changes nothing would look broken
            chooser.shuffle(order)
        moves = [
            (post.id, post.scheduled_at, at)
            for post, at in zip(order, times, strict=True)
            if post.scheduled_at != at
        ]
        moved = self.posts.reassign_times(moves)
        return SlotChange(f"Shuffled the queue: {len(moved)} posts changed slots.", moved)
