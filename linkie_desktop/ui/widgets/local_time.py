"""A stored instant in words for a list or a status line, in the user's zone and language."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale


def local_time_text(instant: datetime | None, now: QDateTime | None = None) -> str:
    """A stored UTC instant in the user's zone, compact: "Today 09:00", "28 Nov 09:00"."""
    if instant is None:
        return ""
    local = QDateTime.fromSecsSinceEpoch(int(instant.timestamp()))
    now = now or QDateTime.currentDateTime()
    locale = QLocale.system()
    clock = locale.toString(local.time(), "HH:mm")
    days = now.date().daysTo(local.date())
    if days == 0:
        return f"Today {clock}"
    if days == 1:
        return f"Tomorrow {clock}"
    if days == -1:
        return f"Yesterday {clock}"
    pattern = "d MMM" if local.date().year() == now.date().year() else "d MMM yyyy"
    return f"{locale.toString(local.date(), pattern)} {clock}"
