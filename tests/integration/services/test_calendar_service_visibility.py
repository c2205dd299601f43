"""The calendar's posts service follows Settings › Posting: a post made through it (the calendar's
post actions) takes the default visibility Settings hold at that moment."""

from __future__ import annotations

from sqlalchemy import Engine

from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.services.calendar import CalendarService
from linkie_desktop.services.preferences import Preferences


def test_the_calendars_posts_take_the_default_visibility_of_settings(
    engine: Engine, user_id: str
) -> None:
    current = [Preferences()]
    calendar = CalendarService(engine, user_id, preferences=lambda: current[0])
    assert calendar.posts.create_draft("Public").post_content.visibility is Visibility.PUBLIC
    current[0] = Preferences(default_visibility=Visibility.CONNECTIONS)  # Settings changed
    made = calendar.posts.create_draft("For my network")
    assert made.post_content.visibility is Visibility.CONNECTIONS
