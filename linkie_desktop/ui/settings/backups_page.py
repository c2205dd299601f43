"""Settings › Backups: how many backups are kept, where they are, and what each holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QWidget

from linkie_desktop.services.preferences import Preferences
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.widgets.accessible import named

MIN_KEPT, MAX_KEPT = 1, 100


class BackupsPage(QWidget):
    def __init__(self, prefs: Preferences, database: Path | None) -> None:
        super().__init__()
        self.setObjectName("backupsPage")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.kept = named(QSpinBox(), "backupsKept", "How many backups are kept")
        self.kept.setRange(MIN_KEPT, MAX_KEPT)
        self.kept.setValue(max(MIN_KEPT, min(MAX_KEPT, prefs.backups_kept)))
        self.kept.setSuffix(" backups")
        form.addRow("Keep the &newest:", self.kept)
        form.addRow(
            note(
                "Linkie backs up your posts and their media once a day while it runs, before "
                "every upgrade of the database, and whenever you choose File › Back up now. "
                "Older backups beyond this number are removed; a backup that was cut short "
                "never counts.",
                "backupsWhen",
            )
        )
        where = (
            f"Backups are folders named {database.name}.backup-<date> beside the database, in "
            f"{database.parent}."
            if database is not None
            else "This database is not a file, so it is not backed up."
        )
        self.where = note(where, "backupsWhere")
        form.addRow(self.where)
        form.addRow(
            note(
                "File › Restore from backup… puts one back (the database as it is then is kept "
                "as a backup first). Deleted posts wait in File › Trash… for 30 days.",
                "backupsRestore",
            )
        )
        form.addRow(QLabel(""))

    def prefs_changes(self) -> dict[str, int]:
        return {"backups_kept": self.kept.value()}
