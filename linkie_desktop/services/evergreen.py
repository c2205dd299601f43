"""Evergreen posts (no Qt): a posting slot still empty 24 hours ahead gets a new copy of the
evergreen post used longest ago, at most once every N weeks per post (Settings › Schedule:
"Refill empty slots from evergreen posts"; N is 8 unless changed).

A publish counts as a use, so a post published last week waits N weeks. The copy is an ordinary
scheduled post the user can edit, move or delete; its source is marked used in the transaction
that writes it, and the slot is checked free in that same transaction, so two publishers never
fill one slot twice. The publisher's pass runs `refill_empty_slots` once per pass.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import Engine

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.slots import SlotService

REFILL_AHEAD = timedelta(hours=24)
DEFAULT_GAP_WEEKS = 8


def refill_empty_slots(
    engine: Engine,
    gap: timedelta | None,
    now: datetime,
    tz: tzinfo | None = None,
    media_dir: Path | None = None,
) -> list[str]:
    """Fill each user's free slots within REFILL_AHEAD of `now`; `gap` None: refilling is off.
    Returns the new posts' ids."""
    if gap is None:
        return []
    with reading(engine) as session:
        users = list(queries.users_with_slots(session))
    made: list[str] = []
    for user_id in users:
        slots = SlotService(engine, user_id, tz, clock=lambda: now)
        posts = PostService(engine, user_id, media_dir)
        for free in slots.free_between(now, now + REFILL_AHEAD):
            with reading(engine) as session:
                source = queries.evergreen_candidate(session, user_id, now - gap)
                source_id = source.id if source is not None else None
            if source_id is None:
                break  # every evergreen post was used within the gap
            try:
                copy = posts.add_copy_at(
                    source_id,
                    free.instant,
                    {"evergreen_source_id": source_id},
                    {"evergreen_used_at": now},
                )
            except ValidationError:
                continue  # another publisher filled the slot meanwhile
            made.append(copy.id)
    return made
