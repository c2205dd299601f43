"""What every Calendar test shares: an English, Monday-first locale on request, and the runners of
the tabs a test made finishing their work before pytest-qt deletes the tabs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from tests.ui.calendar.test_calendar_tab import _made


@pytest.fixture
def british() -> Iterator[None]:
    """A Monday-first locale with English names, whatever the machine's locale is."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(previous)


@pytest.fixture(autouse=True)
def _runners_done(qtbot: QtBot) -> Iterator[None]:
    """Each tab made alone has a runner of its own: it finishes its work (a dialog's last
    autosave, say) before pytest-qt deletes the tab, as the window's runner does at shut-down."""
    yield
    for made in _made:
        if shiboken6.isValid(made):
            made.tasks.close()
    _made.clear()
