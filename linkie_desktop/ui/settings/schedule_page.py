"""Settings › Schedule: the weekly posting slots the queue fills, "Best time" suggestions from the
user's own history (each with its reason), and the evergreen refill.

Slots are rows of the database: Add and Remove write at once (on the task runner, never the GUI
thread) and say what they did; removing a slot leaves its posts at their times. The evergreen
choice is a preference, saved with the dialog's OK like every other page's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.slots import DAY_WORDS, Slot
from linkie_desktop.services.best_time import Suggestion, best_times
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.slots import SlotChange, SlotService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.accessible import named

SLOT_ROLE = Qt.ItemDataRole.UserRole
NO_HISTORY = "Publish a few posts first: suggestions come from when your own posts went out."


class SchedulePage(QWidget):
    def __init__(
        self, workspace: Workspace, prefs: Preferences, tasks: TaskRunner | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("schedulePage")
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self.service = SlotService(workspace.engine, workspace.user_id)
        self.slots: list[Slot] = []
        self.suggestions: list[Suggestion] = []

        self.slot_list = named(QListWidget(), "scheduleSlots", "Posting slots")
        self.day = named(QComboBox(), "scheduleDay", "Day of the new slot")
        for index, name in enumerate(DAY_WORDS):
            self.day.addItem(name, index)
        self.time = named(QTimeEdit(QTime(9, 0)), "scheduleTime", "Time of the new slot")
        self.time.setDisplayFormat("HH:mm")
        # Access keys clear of the dialog's tabs (L, P, G, K, S, A, R and Q for this page).
        self.add_button = named(QPushButton("Add sl&ot"), "scheduleAdd", "Add this slot")
        self.remove_button = named(
            QPushButton("Re&move slot"), "scheduleRemove", "Remove the chosen slot"
        )
        self.status = note("", "scheduleStatus")
        self.suggestion_list = named(QListWidget(), "scheduleBestTimes", "Best times to post")
        self.suggestion_list.setWordWrap(True)
        self.use_button = named(
            QPushButton("&Use this time"), "scheduleUseBestTime", "Add the chosen best time"
        )
        self.refill = named(
            QCheckBox("Refill &empty slots from evergreen posts"),
            "scheduleRefill",
            "Refill empty slots from evergreen posts",
        )
        self.refill.setChecked(prefs.refill_from_evergreen)
        self.gap = named(QSpinBox(), "scheduleEvergreenGap", "Weeks between two uses of a post")
        self.gap.setRange(1, 52)
        self.gap.setValue(prefs.evergreen_gap_weeks)
        self.gap.setPrefix("at most once every ")
        self.gap.setSuffix(" weeks")

        adder = QHBoxLayout()
        adder.addWidget(self.day)
        adder.addWidget(self.time)
        adder.addWidget(self.add_button)
        adder.addStretch(1)
        adder.addWidget(self.remove_button)
        slots_box = QGroupBox("Posting slots (local time, every week)")
        slots_layout = QVBoxLayout(slots_box)
        slots_layout.addWidget(
            note(
                "Add to queue puts a post in the next free slot. Removing a slot leaves its "
                "posts scheduled at their times.",
                "scheduleSlotsNote",
            )
        )
        slots_layout.addWidget(self.slot_list, 1)
        slots_layout.addLayout(adder)
        best_box = QGroupBox("Best time")
        best_layout = QVBoxLayout(best_box)
        best_layout.addWidget(self.suggestion_list, 1)
        best_row = QHBoxLayout()
        best_row.addStretch(1)
        best_row.addWidget(self.use_button)
        best_layout.addLayout(best_row)
        evergreen = QHBoxLayout()
        evergreen.addWidget(self.refill)
        evergreen.addWidget(self.gap)
        evergreen.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        layout.setSpacing(Space.S)
        layout.addWidget(slots_box, 3)
        layout.addWidget(best_box, 2)
        layout.addLayout(evergreen)
        layout.addWidget(
            note(
                "An evergreen post (mark one in a published post's menu) fills a slot still "
                "empty 24 hours ahead, as a new post you can edit or remove.",
                "scheduleEvergreenNote",
            )
        )
        layout.addWidget(self.status)

        self.add_button.clicked.connect(self.add_chosen)
        self.remove_button.clicked.connect(self.remove_chosen)
        self.use_button.clicked.connect(self.use_suggestion)
        self.slot_list.currentRowChanged.connect(lambda _row: self._follow())
        self.suggestion_list.currentRowChanged.connect(lambda _row: self._follow())
        self.refill.toggled.connect(lambda _on: self._follow())
        self.read()

    # --- reading -------------------------------------------------------------------------------

    def read(self) -> None:
        service = self.service
        engine, user_id = service.engine, service.user_id
        self.tasks.run_db(
            lambda: (service.slots(), best_times(engine, user_id, utc_now())),
            self._read,
            self._say,
            owner=self,
            key=("schedulePage", id(self)),
        )

    def _read(self, answer: tuple[list[Slot], list[Suggestion]]) -> None:
        self.slots, self.suggestions = answer
        self.slot_list.clear()
        for slot in self.slots:
            item = QListWidgetItem(slot.words)
            item.setData(SLOT_ROLE, (slot.weekday, slot.time_text))
            self.slot_list.addItem(item)
        if not self.slots:
            self.slot_list.addItem(QListWidgetItem("No slots yet: add one below."))
            self.slot_list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self.suggestion_list.clear()
        for suggestion in self.suggestions:
            item = QListWidgetItem(f"{suggestion.slot.words} — {suggestion.reason}")
            item.setData(SLOT_ROLE, (suggestion.slot.weekday, suggestion.slot.time_text))
            self.suggestion_list.addItem(item)
        if not self.suggestions:
            self.suggestion_list.addItem(QListWidgetItem(NO_HISTORY))
            self.suggestion_list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._follow()

    def _follow(self) -> None:
        self.remove_button.setEnabled(self._chosen(self.slot_list) is not None)
        self.use_button.setEnabled(self._chosen(self.suggestion_list) is not None)
        self.gap.setEnabled(self.refill.isChecked())

    def _chosen(self, listing: QListWidget) -> Slot | None:
        item = listing.currentItem()
        data = item.data(SLOT_ROLE) if item is not None else None
        if not data:
            return None
        weekday, text = data
        hours, minutes = text.split(":")
        return Slot(int(weekday), time(int(hours), int(minutes)))

    # --- changes (at once, on the runner) ----------------------------------------------------

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _change(self, work: Callable[[], SlotChange]) -> None:
        def run() -> SlotChange | str:
            try:
                return work()
            except ValidationError as exc:
                return str(exc)

        def done(answer: SlotChange | str) -> None:
            self._say(answer if isinstance(answer, str) else answer.message)
            self.read()

        self.tasks.run_db(run, done, self._say, owner=self)

    def add_chosen(self) -> None:
        chosen = self.time.time()
        slot = Slot(int(self.day.currentData()), time(chosen.hour(), chosen.minute()))
        service = self.service
        self._change(lambda: service.add(slot))

    def remove_chosen(self) -> None:
        slot = self._chosen(self.slot_list)
        if slot is not None:
            service = self.service
            self._change(lambda: service.remove(slot))

    def use_suggestion(self) -> None:
        slot = self._chosen(self.suggestion_list)
        if slot is not None:
            service = self.service
            self._change(lambda: service.add(slot))

    def prefs_changes(self) -> dict[str, object]:
        return {
            "refill_from_evergreen": self.refill.isChecked(),
            "evergreen_gap_weeks": self.gap.value(),
        }
