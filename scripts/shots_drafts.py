"""Offscreen screenshots of the main window's Drafts tab (empty, seeded, dark) for review.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_drafts.py /work/notes/shots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from linkie_desktop import config
from linkie_desktop.services.seed import seed
from linkie_desktop.services.workspace import open_workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.main_window import MainWindow


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#1f2125"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#17181b"),
        (roles.AlternateBase, "#24262b"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#2a2c31"),
        (roles.ButtonText, "#e6e6e6"),
        (roles.Highlight, "#3d6fd6"),
        (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#8b9099"),
        (roles.ToolTipBase, "#2a2c31"),
        (roles.ToolTipText, "#e6e6e6"),
        (roles.Mid, "#3a3c42"),
    ):
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#6b6f78"))
    return palette


LONG_TEXT = (
    "Three things I learned shipping a desktop app this year:\n\n"
    "1. Never lose a word the user typed.\n"
    "2. Never freeze the window.\n"
    "3. Say plainly what went wrong, and what to do next.\n\n"
    "The rest of this post sits behind the fold, where only curious readers go."
)


def settle(app: QApplication, window: MainWindow) -> None:
    """Until the task runner has answered everything asked so far (reads run off the GUI)."""
    for _ in range(3):
        window.tasks.wait_idle()
        for _ in range(5):
            app.processEvents()


def shoot(
    app: QApplication,
    folder: Path,
    name: str,
    seeded: bool,
    size: tuple[int, int],
    show: str = "first",
) -> None:
    data = Path(tempfile.mkdtemp(prefix="linkie-shots-"))
    cfg = config.load(env={"LINKIE_DATA_DIR": str(data)})
    workspace = open_workspace(cfg)
    if seeded:
        seed(workspace.engine, force=True)
    window = MainWindow(workspace, AppSignals())
    window.resize(*size)
    window.show()
    window.show_tab("drafts")
    drafts = window.drafts
    assert drafts is not None
    settle(app, window)
    if show in ("failed", "history"):
        for row in range(drafts.posts.model.rowCount()):
            if drafts.posts.model.index(row, 1).data() == "Failed":
                drafts.open_post(drafts.posts.model.post_id_at(row) or "")
        if show == "history":  # the composer's History section, opened and scrolled to
            settle(app, window)
            drafts.composer.history.toggle.click()
            settle(app, window)
            history = drafts.composer.history
            bar = drafts.composer.details_scroll.verticalScrollBar()
            bar.setValue(history.y() - 40)  # scrolled down to it, not sideways
    elif show == "compose":
        drafts.new_post()
        drafts.composer.title_edit.setText("Shipping lessons")
        drafts.composer.body_edit.setPlainText(LONG_TEXT)
    elif seeded:
        drafts.open_post(drafts.posts.model.post_id_at(0) or "")
    settle(app, window)
    window.grab().save(str(folder / f"{name}.png"))
    window.close()
    workspace.close()


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setStyle(QStyleFactory.create("Fusion"))
    for width, height in ((1280, 800), (900, 600)):
        shoot(app, folder, f"drafts-empty-{width}", seeded=False, size=(width, height))
        shoot(app, folder, f"drafts-seed-{width}", seeded=True, size=(width, height))
    shoot(app, folder, "drafts-compose-1280", seeded=True, size=(1280, 800), show="compose")
    # The composer's narrowest column: its Add buttons wrap onto a second row there.
    shoot(app, folder, "drafts-compose-900", seeded=True, size=(900, 600), show="compose")
    shoot(app, folder, "drafts-history-1280", seeded=True, size=(1280, 800), show="history")
    app.setPalette(dark_palette())
    for width, height in ((1280, 800), (900, 600)):
        shoot(app, folder, f"drafts-dark-{width}", seeded=True, size=(width, height), show="failed")
    shoot(app, folder, "drafts-dark-compose-1280", seeded=True, size=(1280, 800), show="compose")
    shoot(app, folder, "drafts-dark-history-900", seeded=True, size=(900, 600), show="history")


if __name__ == "__main__":
    main()
