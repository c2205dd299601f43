"""Best times to post (no Qt): posting slots suggested from the user's own history, each with the
reason shown beside it.

With LinkedIn's figures stored (the analytics permission, db/stats.py's cache), the weekday ×
hour whose posts reached the most people on average comes first; without them, the weekday ×
hour the user published at most. Only the past year counts, in local time (`tz`, None: the
system's), and hours already among the user's slots are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import Engine

from linkie_desktop.db import queries, stats
from linkie_desktop.db.engine import reading
from linkie_desktop.domain.slots import DAY_WORDS, Slot
from linkie_desktop.services.analytics import local_clock

HISTORY = timedelta(days=365)
SUGGESTIONS = 3
FIGURES_READ = 1000  # the posts with LinkedIn's figures looked at, most impressions first


@dataclass(frozen=True)
class Suggestion:
    slot: Slot
    reason: str


def _hours(hour: int) -> str:
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def best_times(
    engine: Engine,
    user_id: str,
    now: datetime,
    tz: tzinfo | None = None,
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    start = now - HISTORY
    clock = local_clock(start, now, tz)
    with reading(engine) as session:
        heatmap = stats.publishing_heatmap(session, user_id, start, now, clock)
        figures = stats.cached_linkedin_figures(session, user_id, start, now, FIGURES_READ)
        taken = {(s.weekday, s.at.hour) for s in queries.slot_rules(session, user_id)}
    reach: dict[tuple[int, int], list[int]] = defaultdict(list)
    for figure in figures:
        if figure.impressions is not None and figure.published_at is not None:
            local = figure.published_at.astimezone(tz)
            reach[(local.weekday(), local.hour)].append(figure.impressions)
    if reach:
        every = [n for values in reach.values() for n in values]
        average = sum(every) / len(every)
        ranked = sorted(reach.items(), key=lambda item: -sum(item[1]) / len(item[1]))
        found = []
        for (weekday, hour), values in ranked:
            if (weekday, hour) in taken:
                continue
            mean = round(sum(values) / len(values))
            reason = (
                f"Your {_plural(len(values), 'post')} published on {DAY_WORDS[weekday]}s "
                f"{_hours(hour)} {'was' if len(values) == 1 else 'were'} seen {mean:,} times on "
                f"average on LinkedIn "
                f"(all your posts: {round(average):,})."
            )
            found.append(Suggestion(Slot(weekday, time(hour)), reason))
        return found[:limit]
    total = sum(heatmap.values())
    ranked_cells = sorted(heatmap.items(), key=lambda item: (-item[1], item[0]))
    return [
        Suggestion(
            Slot(weekday, time(hour)),
            f"You published {count} of your {_plural(total, 'post')} of the past year on "
            f"{DAY_WORDS[weekday]}s {_hours(hour)}.",
        )
        for (weekday, hour), count in ranked_cells
        if (weekday, hour) not in taken
    ][:limit]
