"""A calendar chip says how its post's uploads stand, in its tooltip and to screen readers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.calendar import CalendarPost
from linkie_desktop.ui.calendar.day_cell import PostChip


def test_the_chip_tells_the_upload(qtbot: QtBot) -> None:
    chip = PostChip("chip")
    qtbot.addWidget(chip)
    at = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    post = CalendarPost(
        id="p1",
        label="Launch video",
        status=PostStatus.SCHEDULED,
        instant=at,
        wall=at,
        content_problem="",
        upload="Uploading video: 45 %",
    )
    chip.show_post(post, "09:00", dimmed=False)
    assert chip.toolTip().endswith("\nUploading video: 45 %")
    assert chip.accessibleName().endswith("Uploading video: 45 %")
    chip.show_post(replace(post, upload=None), "09:00", dimmed=False)
    assert "Uploading" not in chip.toolTip() and "Uploading" not in chip.accessibleName()
