"""The numbered steps of setting up a LinkedIn developer app, each marked ✓ once it is known to
be done, folded away behind one line once the app works (Settings › LinkedIn fills them in)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.oauth import SetupStep
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import (
    current_palette,
    is_dark,
    status_colour,
    warning_colour,
)

_MARKER_SIZE = 24
DONE = "✓"


class GuideStep(QWidget):
    """One step: its number (or ✓ once done) in a circle, what to do, and the step's controls
    in `body`."""

    def __init__(self, step: SetupStep, title: str, key: str) -> None:
        super().__init__()
        self.setObjectName(key)
        self.step = step
        self.done = False
        self.marker = QLabel(str(int(step)))
        self.marker.setObjectName(f"{key}Marker")
        self.marker.setFixedSize(_MARKER_SIZE, _MARKER_SIZE)
        self.marker.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = named(QLabel(title), f"{key}Title", title)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        # What Connect refused in this step, under the step's own fields (the page may be
        # scrolled so far that the message at its top is out of view).
        self.problem = named(QLabel(""), f"{key}Problem", f"Problem in step {int(step)}")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.marker, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.title, 0, 1)
        grid.addLayout(self.body, 1, 1)
        grid.addWidget(self.problem, 2, 1)
        grid.setColumnStretch(1, 1)
        self.set_done(False)

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setStyleSheet(f"color: {warning_colour().name()};")
        self.problem.setVisible(bool(text))

    def set_done(self, done: bool) -> None:
        self.done = done
        palette = current_palette()
        radius = _MARKER_SIZE // 2
        if done:
            green = status_colour(PostStatus.PUBLISHED, palette)
            # White on the light palette's green (5:1); the window's dark on the dark one's.
            ink = palette.window().color().name() if is_dark(palette) else "#ffffff"
            style = f"background: {green.name()}; color: {ink}; border: 1px solid {green.name()};"
            self.marker.setText(DONE)
        else:
            text = palette.windowText().color().name()
            line = palette.mid().color().name()
            style = f"color: {text}; border: 1px solid {line};"
            self.marker.setText(str(int(self.step)))
        self.marker.setStyleSheet(f"QLabel {{ {style} border-radius: {radius}px; }}")
        state = "done" if done else "to do"
        self.marker.setAccessibleName(f"Step {int(self.step)}, {state}")
        self.setAccessibleName(f"Step {int(self.step)}: {self.title.text()} ({state})")


class SetupGuide(QGroupBox):
    """The steps under a title; once the app is set up they can be folded into one line."""

    def __init__(self, title: str, intro: QLabel) -> None:
        super().__init__(title)
        self.setObjectName("linkedinGuide")
        self.steps: dict[SetupStep, GuideStep] = {}
        self.collapsed = False
        self.summary = named(
            QLabel("✓ Your LinkedIn app is set up."), "linkedinGuideSummary", "Setup summary"
        )
        self.toggle_button = named(
            QPushButton("Show the setup steps"), "linkedinGuideToggle", "Show or hide the steps"
        )
        self.toggle_button.clicked.connect(lambda: self.set_collapsed(not self.collapsed))
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.toggle_button, 0, Qt.AlignmentFlag.AlignRight)
        self.intro = intro
        self.steps_box = QWidget()
        self.steps_box.setObjectName("linkedinGuideSteps")
        self._steps_layout = QVBoxLayout(self.steps_box)
        self._steps_layout.setContentsMargins(0, 0, 0, 0)
        self._steps_layout.setSpacing(14)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(intro)
        layout.addWidget(self.steps_box)
        self.set_collapsible(False)

    def clear_problems(self) -> None:
        for step in self.steps.values():
            step.set_problem("")

    def add_step(self, step: SetupStep, title: str, key: str) -> GuideStep:
        widget = GuideStep(step, title, key)
        self.steps[step] = widget
        self._steps_layout.addWidget(widget)
        return widget

    def set_collapsible(self, collapsible: bool) -> None:
        """Only a set-up app's steps fold away: a new user needs them in view."""
        self.summary.setVisible(collapsible and self.collapsed)
        self.toggle_button.setVisible(collapsible)
        if not collapsible:
            self.set_collapsed(False)

    def set_collapsed(self, collapsed: bool) -> None:
        self.collapsed = collapsed
        self.intro.setVisible(not collapsed)
        self.steps_box.setVisible(not collapsed)
        self.summary.setVisible(collapsed)
        self.toggle_button.setText("Show the setup steps" if collapsed else "Hide the setup steps")
