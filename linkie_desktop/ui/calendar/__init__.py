"""The Calendar tab: a month of posts, drafts beside it, drag and drop to schedule and move."""

from linkie_desktop.ui.calendar.tab import CalendarTab

__all__ = ["CalendarTab"]
