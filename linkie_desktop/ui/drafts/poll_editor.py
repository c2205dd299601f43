"""The poll editor: a question (at most 140 characters), two to four options (at most 30 each)
and how long it runs (1, 3, 7 or 14 days), each with its counter.

A poll is saved as it is typed, like the text, once it is a poll LinkedIn takes (the domain's
`validate_poll`): until then the editor says what is missing and the stored poll (or none) stays.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.post_content import (
    MAX_POLL_OPTION,
    MAX_POLL_OPTIONS,
    MAX_POLL_QUESTION,
    MIN_POLL_OPTIONS,
    POLL_DAYS,
    Poll,
    PostContent,
    validate_poll,
)
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.ui.drafts.content_changes import ChangeSink, ContentChange
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour

POLL_KEY = "poll"
DEFAULT_DAYS = 7
NOT_YET_SAVED = "Not saved yet: {reason}"


def _counter(length: int, limit: int) -> str:
    return f"{length} / {limit}"


class PollEditor(QFrame):
    """Hidden until the post has a poll or the user adds one."""

    def __init__(self, sink: ChangeSink) -> None:
        super().__init__()
        named(self, "pollEditor", "Poll")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._sink = sink
        self._editable = True
        self._loading = False
        self._saved = False  # the poll shown is stored, or on its way to be
        self.question = named(QLineEdit(), "pollQuestion", "Poll question")
        self.question.setPlaceholderText("Ask a question")
        self.question.setMaxLength(MAX_POLL_QUESTION)
        self.question_counter = named(QLabel(), "pollQuestionCounter", "Question characters used")
        self.options: list[QLineEdit] = []
        self.option_counters: list[QLabel] = []
        self.remove_option_buttons: list[QToolButton] = []
        self._options_grid = QGridLayout()
        self._options_grid.setContentsMargins(0, 0, 0, 0)
        self.add_option_button = named(QPushButton("Add option"), "pollAddOption", "Add an option")
        self.days = named(QComboBox(), "pollDays", "Poll duration")
        for days in POLL_DAYS:
            self.days.addItem(f"{days} day{'' if days == 1 else 's'}", days)
        self.remove_button = named(QPushButton("Remove poll"), "pollRemove", "Remove the poll")
        self.state = named(QLabel(), "pollState", "Poll state")
        self.state.setWordWrap(True)

        heading = QHBoxLayout()
        heading.addWidget(QLabel("<b>Poll</b>"))
        heading.addStretch(1)
        heading.addWidget(self.remove_button)
        question_row = QHBoxLayout()
        question_row.addWidget(self.question, 1)
        question_row.addWidget(self.question_counter)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_option_button)
        bottom.addStretch(1)
        duration = QLabel("&Runs for:")
        duration.setBuddy(self.days)
        bottom.addWidget(duration)
        bottom.addWidget(self.days)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(heading)
        layout.addLayout(question_row)
        layout.addLayout(self._options_grid)
        layout.addLayout(bottom)
        layout.addWidget(self.state)

        self.question.textEdited.connect(self._edited)
        self.days.activated.connect(lambda _index: self._edited())
        self.add_option_button.clicked.connect(self.add_option)
        self.remove_button.clicked.connect(self.remove)
        self._set_options(["", ""])
        self.hide()

    # --- what is shown -----------------------------------------------------------------------

    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        self._editable = editable
        poll = content.poll
        if POLL_KEY not in waiting:
            if poll is not None:
                self._show_poll(poll)
                self.show()
            elif self.isVisible() and self._saved:
                self.hide()  # removed (here or elsewhere)
        for widget in (self.question, *self.options):
            widget.setReadOnly(not editable)
        self.days.setEnabled(editable)
        self._update_buttons()

    def reset(self) -> None:
        """Another post is shown: forget a poll being filled in that was never stored."""
        self._saved = False
        self.hide()

    def start(self) -> None:
        """Add poll: an empty poll to fill in (saved once it has a question and two options)."""
        self._show_poll(Poll("", ("", ""), DEFAULT_DAYS))
        self._saved = False
        self.show()
        self._say_state()
        self.question.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_poll(self, poll: Poll) -> None:
        self._loading = True
        try:
            if self.question.text() != poll.question:
                self.question.setText(poll.question)
            self._set_options(list(poll.options))
            index = self.days.findData(poll.days)
            self.days.setCurrentIndex(index if index >= 0 else self.days.findData(DEFAULT_DAYS))
        finally:
            self._loading = False
        self._saved = True
        self._update_counters()
        self.state.setText("")
        self.state.hide()

    def _set_options(self, texts: list[str]) -> None:
        while len(self.options) < len(texts):
            self._add_option_row()
        while len(self.options) > len(texts):
            self._drop_last_option_row()
        for edit, text in zip(self.options, texts, strict=True):
            if edit.text() != text:
                edit.setText(text)
        self._update_buttons()

    def _add_option_row(self) -> None:
        number = len(self.options) + 1
        edit = named(QLineEdit(), f"pollOption{number}", f"Option {number}")
        edit.setPlaceholderText(f"Option {number}")
        edit.setMaxLength(MAX_POLL_OPTION)
        counter = named(QLabel(), f"pollOptionCounter{number}", f"Option {number} characters used")
        remove = named(QToolButton(), f"pollRemoveOption{number}", f"Remove option {number}")
        remove.setText("×")
        edit.textEdited.connect(self._edited)
        remove.clicked.connect(lambda: self.remove_option(self.remove_option_buttons.index(remove)))
        row = len(self.options)
        self._options_grid.addWidget(edit, row, 0)
        self._options_grid.addWidget(counter, row, 1)
        self._options_grid.addWidget(remove, row, 2)
        self.options.append(edit)
        self.option_counters.append(counter)
        self.remove_option_buttons.append(remove)

    def _drop_last_option_row(self) -> None:
        """The last row goes (removing another option moves the texts up first)."""
        for widgets in (self.options, self.option_counters, self.remove_option_buttons):
            widget: QWidget = widgets.pop()
            self._options_grid.removeWidget(widget)
            widget.deleteLater()

    def _update_buttons(self) -> None:
        count = len(self.options)
        self.add_option_button.setEnabled(self._editable and count < MAX_POLL_OPTIONS)
        for button in self.remove_option_buttons:
            button.setEnabled(self._editable and count > MIN_POLL_OPTIONS)
        self.remove_button.setEnabled(self._editable)

    def _update_counters(self) -> None:
        muted = f"color: {muted_colour(self.palette()).name()};"
        self.question_counter.setText(_counter(len(self.question.text()), MAX_POLL_QUESTION))
        self.question_counter.setStyleSheet(muted)
        for edit, counter in zip(self.options, self.option_counters, strict=True):
            counter.setText(_counter(len(edit.text()), MAX_POLL_OPTION))
            counter.setStyleSheet(muted)

    # --- editing -----------------------------------------------------------------------------

    @property
    def poll_texts(self) -> tuple[str, list[str], int]:
        return (
            self.question.text(),
            [edit.text() for edit in self.options],
            int(self.days.currentData()),
        )

    def add_option(self) -> None:
        if len(self.options) >= MAX_POLL_OPTIONS:
            return
        self._add_option_row()
        self._update_buttons()
        self.options[-1].setFocus(Qt.FocusReason.OtherFocusReason)
        self._edited()

    def remove_option(self, index: int) -> None:
        if len(self.options) <= MIN_POLL_OPTIONS:
            return
        texts = [edit.text() for edit in self.options]
        del texts[index]
        self._set_options(texts)
        self._edited()

    def _edited(self, _text: str = "") -> None:
        if self._loading:
            return
        self._update_counters()
        question, options, days = self.poll_texts
        try:
            poll = validate_poll(question, options, days)
        except ValidationError as exc:
            self._say_state(str(exc))
            return
        self.state.setText("")
        self.state.hide()
        self._saved = True
        self._sink.change(
            ContentChange(POLL_KEY, lambda service, post_id: service.set_poll(post_id, poll))
        )

    def _say_state(self, reason: str = "") -> None:
        question, options, days = self.poll_texts
        if not reason:
            try:
                validate_poll(question, options, days)
            except ValidationError as exc:
                reason = str(exc)
        self.state.setStyleSheet(f"color: {warning_colour(self.palette()).name()};")
        self.state.setText(NOT_YET_SAVED.format(reason=reason) if reason else "")
        self.state.setVisible(bool(reason))

    def remove(self) -> None:
        self.hide()
        if not self._saved:
            return  # never stored: nothing to write
        self._sink.change(
            ContentChange(POLL_KEY, lambda service, post_id: service.remove_poll(post_id)),
            at_once=True,
        )
