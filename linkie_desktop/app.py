"""`linkie-desktop`: start-up of the window app (logging, one instance, migration, the shell)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from linkie_desktop import APP_NAME, DISPLAY_NAME, __version__, config
from linkie_desktop.db.migrate import DatabaseError
from linkie_desktop.logging_setup import setup_logging
from linkie_desktop.services.workspace import open_workspace
from linkie_desktop.ui.app_icon import app_icon
from linkie_desktop.ui.crash import CrashReporter
from linkie_desktop.ui.shell import AppShell
from linkie_desktop.ui.single_instance import SingleInstance, instance_key

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="linkie-desktop", description=DISPLAY_NAME)
    parser.add_argument("--db", help="database file or sqlite:/// URL (default: LINKIE_DB)")
    parser.add_argument(
        "--smoke", action="store_true", help="build the window, process events and exit 0"
    )
    parser.add_argument("--version", action="version", version=f"{DISPLAY_NAME} {__version__}")
    return parser.parse_args(argv)


def _application() -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_NAME)  # Wayland app id; matches the .desktop entry's StartupWMClass
    app.setWindowIcon(app_icon())
    return app


def _refuse(title: str, message: str, smoke: bool) -> int:
    print(f"linkie-desktop: {message}", file=sys.stderr)
    if not smoke:
        QMessageBox.critical(None, title, message)
    return 1


def _run(app: QApplication, cfg: config.Config, smoke: bool) -> int:
    guard = SingleInstance(instance_key(cfg.database_url), app)
    if not guard.claim():
        print("linkie-desktop: already running; showing its window", file=sys.stderr)
        return 0
    try:
        try:
            workspace = open_workspace(cfg)
        except DatabaseError as exc:
            return _refuse("Linkie Desktop cannot open its database", str(exc), smoke)
        if workspace.migration.backup is not None:
            log.info("database upgraded; the previous copy is %s", workspace.migration.backup)
        shell = AppShell(workspace, publish=not smoke)
        guard.activation_requested.connect(shell.show_window)
        shell.start()
        if smoke:
            QTimer.singleShot(0, app.quit)
        try:
            return app.exec()
        finally:
            shell.shutdown()
            workspace.close()
    finally:
        guard.release()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = _application()
    try:
        cfg = config.load(db=args.db)
    except config.ConfigError as exc:
        return _refuse("Linkie Desktop cannot start", str(exc), args.smoke)
    crash_reporter = CrashReporter(setup_logging(cfg.log_dir), parent=app).install()
    try:
        return _run(app, cfg, args.smoke)
    finally:
        crash_reporter.uninstall()


if __name__ == "__main__":
    sys.exit(main())
