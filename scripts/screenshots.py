"""Screenshots of every tab (and Settings) for docs/screenshots: 1280×720, at scale 1 and 2, light
and dark, from the sample data in a temporary folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
    ... --fast       scale 1 only (light and dark): what the test suite runs

Each scale and scheme is one child process (QT_SCALE_FACTOR is read when Qt starts), with the
app assembled as it runs (AppShell: the real tabs, theme and preferences). Files are named
`<tab>-<scheme>.png` and `<tab>-<scheme>@2x.png`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 720)
TABS = ("dashboard", "drafts", "calendar", "studio", "analytics", "activity")
SHOTS = (*TABS, "settings")
SCALES = (1, 2)
SCHEMES = ("light", "dark")

STUDIO_IDEA = "Why consistency beats virality on LinkedIn"
STUDIO_VARIATIONS = (
    "Virality is a lottery ticket. Consistency is a savings account.\n\n"
    "I posted every Tuesday for a year. No single post went viral, yet my inbox changed: "
    "people I had never met started conversations with “I read your post last week…”.\n\n"
    "Show up on the same day, with the same care, and let compound interest do the rest.",
    "Nobody remembers your one viral post. They remember that you were there every week.",
    "Three rules I follow:\n1. Same day, same time.\n2. One idea per post.\n"
    "3. Reply to every comment in the first hour.\n\nThree rules, fifty-two weeks.",
)


def file_name(shot: str, scheme: str, scale: int) -> str:
    return f"{shot}-{scheme}{'' if scale == 1 else f'@{scale}x'}.png"


def expected_files(fast: bool) -> list[str]:
    scales = (1,) if fast else SCALES
    return [file_name(s, c, k) for k in scales for c in SCHEMES for s in SHOTS]


# --- the child: one scale, one scheme --------------------------------------------------------


def _shoot(out: Path, scheme: str, scale: int) -> None:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QColor, QPainter, QPalette
    from PySide6.QtWidgets import QApplication

    from linkie_desktop import config
    from linkie_desktop.db.types import utc_now
    from linkie_desktop.services.posts import PostService
    from linkie_desktop.services.preferences import Preferences, save_preferences
    from linkie_desktop.services.seed import seed
    from linkie_desktop.services.studio import GenerationRecord
    from linkie_desktop.services.workspace import open_workspace
    from linkie_desktop.ui.app_icon import app_icon
    from linkie_desktop.ui.drafts.tab import DraftsTab
    from linkie_desktop.ui.shell import AppShell
    from linkie_desktop.ui.studio.tab import StudioTab

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("linkie-desktop")
    app.setWindowIcon(app_icon())
    data = Path(tempfile.mkdtemp(prefix="linkie-screenshots-"))
    cfg = config.load(env={"LINKIE_DATA_DIR": str(data)})
    save_preferences(cfg.data_dir, Preferences(appearance=scheme))
    workspace = open_workspace(cfg)
    seed(workspace.engine, force=True)
    posts = PostService(workspace.engine, workspace.user_id, cfg.media_dir)
    shell = AppShell(workspace, publish=False, external_poll_ms=3_600_000)
    window = shell.window
    window.resize(*SIZE)
    shell.start()

    def settle() -> None:
        # The tabs read on the task runner's worker: wait for every answer, then for the paint.
        for _ in range(4):
            shell.tasks.wait_idle()
            for _ in range(10):
                app.processEvents()

    def save(shot: str) -> None:
        settle()
        image = window.grab()
        target = out / file_name(shot, scheme, scale)
        if not image.save(str(target)):
            raise SystemExit(f"could not write {target}")

    for key in TABS:
        window.show_tab(key)
        page = window.page(key)
        if isinstance(page, DraftsTab):
            # The longest post one can still edit: the preview then shows its fold.
            editable = [p for p in posts.list() if p.status != "published"] or posts.list()
            if editable:
                page.open_post(max(editable, key=lambda post: len(post.content)).id)
        if isinstance(page, StudioTab):
            page.idea_edit.setPlainText(STUDIO_IDEA)
            page.open_run(
                GenerationRecord(
                    "screenshot",
                    STUDIO_IDEA,
                    STUDIO_VARIATIONS,
                    (),
                    utc_now() - timedelta(minutes=3),
                )
            )
        save(key)

    window.show_tab("dashboard")
    shell.open_settings()
    dialog = shell.settings_dialog
    assert dialog is not None
    dialog.resize(760, 600)
    settle()
    # The dialog over the window, as on a screen: one picture of both.
    picture = window.grab()
    over = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(QRect(QPoint(0, 0), window.size()), QColor(0, 0, 0, 60))
    corner = QPoint(
        (window.width() - dialog.width()) // 2, (window.height() - dialog.height()) // 2
    )
    painter.drawPixmap(corner, over)
    painter.setPen(dialog.palette().color(QPalette.ColorRole.Mid))  # its edge, as a frame draws
    painter.drawRect(QRect(corner, dialog.size()).adjusted(0, 0, -1, -1))
    painter.end()
    target = out / file_name("settings", scheme, scale)
    if not picture.save(str(target)):
        raise SystemExit(f"could not write {target}")
    dialog.reject()
    window.close()
    shell.shutdown()
    workspace.close()


# --- the parent: one child per scale and scheme ------------------------------------------------


def _run_child(out: Path, scheme: str, scale: int) -> None:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_SCALE_FACTOR"] = str(scale)
    env.pop("LINKIE_DB", None)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", scheme, str(scale)]
    # This very script, with our own arguments.
    subprocess.run([*command, "--out", str(out)], env=env, check=True, cwd=ROOT)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--fast", action="store_true", help="scale 1 only")
    parser.add_argument("--child", nargs=2, metavar=("SCHEME", "SCALE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.child:
        sys.path.insert(0, str(ROOT))
        _shoot(out, args.child[0], int(args.child[1]))
        return 0
    for scale in (1,) if args.fast else SCALES:
        for scheme in SCHEMES:
            _run_child(out, scheme, scale)
    missing = [name for name in expected_files(args.fast) if not (out / name).is_file()]
    if missing:
        print(f"missing: {', '.join(missing)}", file=sys.stderr)
        return 1
    print(f"{len(expected_files(args.fast))} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
