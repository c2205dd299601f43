"""Settings › Profile: who you are in this database (name and email, changed at once), and, on a
database several people share, who this window acts as from the next start (a preference,
saved with the dialog's OK like every other page's).

The people are read and written on the task runner (services/people.py), never the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.people import Person, list_people, update_person
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.theme import Space
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour

NEXT_START = (
    "Remembered on this computer: Linkie acts as this person from its next start. "
    "Commands choose with --user EMAIL instead."
)


@dataclass(frozen=True)
class _Saved:
    people: list[Person]
    message: str


class ProfilePage(QWidget):
    def __init__(
        self, workspace: Workspace, prefs: Preferences, tasks: TaskRunner | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("profilePage")
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self.engine = workspace.engine
        self.user_id = workspace.user_id
        self.remembered = prefs.acting_user_email
        self.people: list[Person] = []
        self._chosen_by_hand = False

        # Access keys clear of the dialog's tabs (L, P, G, K, S, A, R, F, Q, Z and J).
        self.name = named(QLineEdit(), "profileName", "Your name")
        self.name.setPlaceholderText("How Linkie names you, e.g. Ann Lee")
        self.email = named(QLineEdit(), "profileEmail", "Your email address")
        self.email.setPlaceholderText("ann@example.com")
        self.save_button = named(
            QPushButton("Sa&ve name and email"), "profileSave", "Save your name and email now"
        )
        self.status = note("", "profileStatus")
        self.status.hide()  # until there is something to say
        you = QGroupBox("Who you are in this database")
        form = QFormLayout(you)
        form.addRow("&Name:", self.name)
        form.addRow("E&mail:", self.email)
        saving = QHBoxLayout()
        saving.addStretch(1)
        saving.addWidget(self.save_button)
        form.addRow(saving)
        form.addRow(self.status)
        form.addRow(
            note(
                "Your posts, posting slots and history are kept under this person. Connecting "
                "LinkedIn fills in the name and email LinkedIn knows.",
                "profileNote",
            )
        )

        self.acting = named(QComboBox(), "profileActingAs", "Who this window acts as")
        self.acting_box = QGroupBox("Several people share this database")
        acting_form = QFormLayout(self.acting_box)
        acting_form.addRow("This &window acts as:", self.acting)
        self.acting_note = note(NEXT_START, "profileActingNote")
        acting_form.addRow(self.acting_note)
        self.acting_box.hide()  # shown once the people are read, when there are several

        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        layout.setSpacing(Space.S)
        layout.addWidget(you)
        layout.addWidget(self.acting_box)
        layout.addStretch(1)

        self.save_button.clicked.connect(self.save)
        self.acting.activated.connect(self._chose)
        self.read()

    # --- reading -------------------------------------------------------------------------------

    def read(self) -> None:
        engine = self.engine
        self.tasks.run_db(
            lambda: list_people(engine),
            self._show,
            self._say,
            owner=self,
            key=("profilePage", id(self)),
        )

    def _show(self, people: list[Person]) -> None:
        self.people = people
        me = self._person(self.user_id)
        if me is not None:
            self.name.setText(me.name or "")
            self.email.setText(me.email)
        chosen = self.acting.currentData() if self._chosen_by_hand else None
        self.acting.clear()
        for person in people:
            self.acting.addItem(person.label, person.id)
        remembered = next(
            (p.id for p in people if p.email.casefold() == self.remembered.casefold()), None
        )
        wanted = chosen or remembered or self.user_id
        self.acting.setCurrentIndex(max(0, self.acting.findData(wanted)))
        self.acting_box.setVisible(len(people) > 1)

    def _person(self, user_id: str | None) -> Person | None:
        return next((p for p in self.people if p.id == user_id), None)

    def _chose(self, _index: int) -> None:
        self._chosen_by_hand = True
        person = self._person(self.acting.currentData())
        if person is not None and person.id != self.user_id:
            self.acting_note.setText(f"{NEXT_START} This window stays {self._me_label()} now.")
        else:
            self.acting_note.setText(NEXT_START)

    def _me_label(self) -> str:
        me = self._person(self.user_id)
        return me.label if me is not None else "as it is"

    # --- saving the name and email (at once, on the runner) --------------------------------

    def _say(self, text: str, refused: bool = True) -> None:
        colour = warning_colour() if refused else muted_colour()
        self.status.setStyleSheet(f"color: {colour.name()};")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def save(self) -> None:
        engine, user_id = self.engine, self.user_id
        name, email = self.name.text(), self.email.text()

        def run() -> _Saved | str:
            try:
                saved = update_person(engine, user_id, name=name, email=email)
            except ValidationError as exc:
                return str(exc)
            return _Saved(list_people(engine), f"Saved: you are {saved.label}.")

        def done(answer: _Saved | str) -> None:
            if isinstance(answer, str):
                self._say(answer)
                return
            self._show(answer.people)
            self._say(answer.message, refused=False)

        self.tasks.run_db(run, done, self._say, owner=self)

    # --- the dialog's OK ---------------------------------------------------------------------

    def prefs_changes(self) -> dict[str, object]:
        """The person chosen to act as, by their address as it is now (it follows a change of
        address made here). Nothing when the choice was never made: OK alone remembers no one."""
        person = self._person(self.acting.currentData())
        if person is None or not (self._chosen_by_hand or self.remembered):
            return {}
        return {"acting_user_email": person.email}
