"""Repeat…: a post's repeat rule in a dialog (every N days or weeks, on chosen weekdays, until a
date or N times, and whether Linkie asks for new words each time).

The rule's checks are the domain's (domain/repeat.py): a rule it refuses is said under the
fields and the dialog stays open. `chosen(rule)` hears OK (None: Stop repeating).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.domain.repeat import MAX_COUNT, MAX_EVERY, RepeatRule, Unit
from linkie_desktop.domain.slots import DAY_WORDS
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour

VARY_TEXT = (
    "Ask me to change the words each time (LinkedIn refuses an exact repeat of a recent post)"
)


class RepeatDialog(QDialog):
    def __init__(
        self,
        label: str,
        rule: RepeatRule | None,
        chosen: Callable[[RepeatRule | None], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "repeatDialog", f"Repeat {label}")
        self.setWindowTitle("Repeat")
        self._chosen = chosen
        start = rule or RepeatRule()
        self.every = named(QSpinBox(), "repeatEvery", "Repeat every")
        self.every.setRange(1, MAX_EVERY)
        self.every.setValue(start.every)
        self.unit = named(QComboBox(), "repeatUnit", "Days or weeks")
        self.unit.addItem("days", Unit.DAYS)
        self.unit.addItem("weeks", Unit.WEEKS)
        self.unit.setCurrentIndex(0 if start.unit is Unit.DAYS else 1)
        self.weekdays = [
            named(QCheckBox(name[:3]), f"repeatDay_{index}", f"On {name}s")
            for index, name in enumerate(DAY_WORDS)
        ]
        for index, box in enumerate(self.weekdays):
            box.setChecked(index in start.weekdays)
        self.never = named(QRadioButton("&Never"), "repeatEndsNever", "No end")
        self.on_date = named(QRadioButton("&On"), "repeatEndsOn", "Ends on a date")
        self.after = named(QRadioButton("&After"), "repeatEndsAfter", "Ends after a number")
        self.ends = QButtonGroup(self)
        for button in (self.never, self.on_date, self.after):
            self.ends.addButton(button)
        self.until = named(QDateEdit(), "repeatUntil", "Last day")
        self.until.setCalendarPopup(True)
        self.until.setDate(
            QDate(start.until.year, start.until.month, start.until.day)
            if start.until
            else QDate.currentDate().addMonths(3)
        )
        self.count = named(QSpinBox(), "repeatCount", "Posts in all")
        self.count.setRange(2, MAX_COUNT)
        self.count.setValue(start.count or 4)
        self.count.setSuffix(" posts in all")
        (self.after if start.count else self.on_date if start.until else self.never).setChecked(
            True
        )
        self.vary = named(QCheckBox(VARY_TEXT), "repeatVary", "Ask for new words")
        self.vary.setChecked(start.vary)
        self.problem = named(QLabel(""), "repeatProblem", "Why the rule can't be used")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {warning_colour().name()};")
        self.problem.hide()

        every_row = QHBoxLayout()
        every_row.addWidget(QLabel("Every"))
        every_row.addWidget(self.every)
        every_row.addWidget(self.unit)
        every_row.addStretch(1)
        days_row = QHBoxLayout()
        days_row.addWidget(QLabel("On"))
        for box in self.weekdays:
            days_row.addWidget(box)
        days_row.addStretch(1)
        ends = QGridLayout()
        ends.addWidget(QLabel("Ends"), 0, 0)
        ends.addWidget(self.never, 0, 1)
        ends.addWidget(self.on_date, 1, 1)
        ends.addWidget(self.until, 1, 2)
        ends.addWidget(self.after, 2, 1)
        ends.addWidget(self.count, 2, 2)
        self.buttons = named(
            QDialogButtonBox(
                QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            ),
            "repeatButtons",
            "Apply or discard",
        )
        self.stop = named(QPushButton("&Stop repeating"), "repeatStop", "Stop repeating")
        self.stop.setEnabled(rule is not None)
        self.buttons.addButton(self.stop, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.stop.clicked.connect(self._stop)
        layout = QVBoxLayout(self)
        layout.addLayout(every_row)
        layout.addLayout(days_row)
        layout.addLayout(ends)
        layout.addWidget(self.vary)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.unit.currentIndexChanged.connect(self._follow_unit)
        self._follow_unit()

    def _follow_unit(self) -> None:
        weekly = self.unit.currentData() == Unit.WEEKS
        for box in self.weekdays:
            box.setEnabled(weekly)

    def rule(self) -> RepeatRule:
        """The rule as filled in (ValidationError: the domain's reason)."""
        unit = Unit(self.unit.currentData())
        days = (
            tuple(i for i, box in enumerate(self.weekdays) if box.isChecked())
            if unit is Unit.WEEKS
            else ()
        )
        until: date | None = self.until.date().toPython() if self.on_date.isChecked() else None  # type: ignore[assignment]
        return RepeatRule(
            every=self.every.value(),
            unit=unit,
            weekdays=days,
            until=until,
            count=self.count.value() if self.after.isChecked() else None,
            vary=self.vary.isChecked(),
        )

    def accept(self) -> None:
        try:
            rule = self.rule()
        except ValidationError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()
        self._chosen(rule)

    def _stop(self) -> None:
        super().accept()
        self._chosen(None)
