"""`linkie-desktop`: start-up of the window app (one instance, splash, logging, migration, shell).

The splash is on screen before the heavy modules are imported: SQLAlchemy, Alembic, httpx, keyring
and the tabs take most of the start-up time, so they are imported inside the functions below,
after the splash is painted. Keep the imports at the top of this module to PySide6 and light ones.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import linkie_desktop
from linkie_desktop import APP_NAME, DISPLAY_NAME, config
from linkie_desktop.ui import pyside_import_check, start_up_gc
from linkie_desktop.ui.single_instance import SingleInstance, instance_key
from linkie_desktop.ui.startup_splash import StartupSplash

if TYPE_CHECKING:
    from linkie_desktop.ui.shell import AppShell

log = logging.getLogger(__name__)

# The splash's icon: the SVG icon drawn ahead of time, as QtSvg costs ~25 ms of a cold start.
SPLASH_ICON = "linkie-desktop-splash.png"
SMOKE_DATA_TIMEOUT_MS = 60_000
# What the splash must not wait for; --smoke reports which of them were loaded when it showed.
HEAVY_MODULES = (
    "importlib.metadata",  # linkie_desktop.__version__
    "sqlalchemy",
    "alembic",
    "httpx",
    "keyring",
    "PySide6.QtSvg",
    "linkie_desktop.services.workspace",
    "linkie_desktop.ui.shell",
)


class _PrintVersion(argparse.Action):
    """--version that reads the version only when asked (see linkie_desktop/__init__.py)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"{DISPLAY_NAME} {linkie_desktop.__version__}")
        parser.exit()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="linkie-desktop", description=DISPLAY_NAME)
    parser.add_argument(
        "--db",
        help="database file, sqlite:/// URL or postgresql://user@host/db address "
        "(default: LINKIE_DB)",
    )
    parser.add_argument(
        "--user",
        metavar="EMAIL",
        help="act as the person of this email (on a database several people share)",
    )
    parser.add_argument(
        "--open-post",
        metavar="POST_ID",
        help="show this post (in the window already open on this database, if there is one)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="build the window, process events and exit 0"
    )
    parser.add_argument(
        "--every-tab",
        action="store_true",
        help="with --smoke: open every tab before exiting (checks that an installed copy "
        "carries all of the window)",
    )
    parser.add_argument("--version", action=_PrintVersion, help="show the version and exit")
    return parser.parse_args(argv)


def _application() -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_NAME)  # Wayland app id; matches the .desktop entry's StartupWMClass
    return app


def _finish_identity(app: QApplication) -> None:
    """The parts of _application() that are slow to load, set once the splash is up."""
    from linkie_desktop.ui.app_icon import app_icon

    app.setWindowIcon(app_icon())  # every window from here on, and the tray


def _set_version(app: QApplication) -> None:
    """After the window's first paint: the version is a look-up in the installed metadata
    (~5-8 ms) that nothing on screen needs before then (Help › About reads it itself)."""
    app.setApplicationVersion(linkie_desktop.__version__)


def _refuse(title: str, message: str, smoke: bool) -> int:
    print(f"linkie-desktop: {message}", file=sys.stderr)
    if not smoke:
        app = QApplication.instance()
        if isinstance(app, QApplication) and app.windowIcon().isNull():
            _finish_identity(app)  # a configuration error comes before the splash
        QMessageBox.critical(None, title, message)
    return 1


def _report_shown(what: str, smoke: bool) -> None:
    """--smoke only: when a window was shown, on the clock benchmarks/package_budget.py reads.

    CLOCK_MONOTONIC is one clock for every process on the machine, so the benchmark can subtract
    the moment it started this process from these lines.
    """
    if not smoke:
        return
    print(f"linkie-desktop: {what} shown at monotonic {time.monotonic():.6f}", file=sys.stderr)
    if what in ("first window", "first data"):
        print(f"linkie-desktop: garbage collector: {start_up_gc.state()}", file=sys.stderr)
    if what == "first window":
        loaded = [name for name in HEAVY_MODULES if name in sys.modules]
        print(
            f"linkie-desktop: heavy modules loaded by then: {' '.join(loaded) or 'none'}",
            file=sys.stderr,
        )


def _database_problem(
    problem: Exception, db_path: Path | None, log_path: Path | None, smoke: bool
) -> int:
    """A known database problem at start-up: in the log, and in a dialog with the plain reason,
    where the log is and the newest backup (nobody reads stderr when the menu started the app)."""
    from linkie_desktop.db.migrate import newest_backup
    from linkie_desktop.ui.crash import database_problem_box

    log.error("cannot open the database: %s", problem)
    if not smoke:
        backup = newest_backup(db_path) if db_path is not None else None
        database_problem_box(str(problem), log_path, backup).exec()
    return 1


def _run(
    app: QApplication,
    cfg: config.Config,
    smoke: bool,
    splash: StartupSplash,
    guard: SingleInstance,
    log_path: Path | None,
    open_post: str | None,
    user_email: str | None = None,
    every_tab: bool = False,
) -> int:
    from linkie_desktop.db.errors import DatabaseError, database_problem
    from linkie_desktop.db.migrate import sqlite_path
    from linkie_desktop.services.people import PersonChoiceError
    from linkie_desktop.services.workspace import open_workspace

    db_path = sqlite_path(cfg.database_url)
    try:
        workspace = open_workspace(cfg, user_email)
    except PersonChoiceError as exc:
        # Not a broken database: a question of who this window is for (no backup to offer).
        splash.close()
        log.warning("no one chosen to act as: %s", exc)
        chosen = None if smoke or user_email is not None else _ask_who(cfg)
        if chosen is None:
            if not smoke:
                QMessageBox.information(None, "Who are you in this database?", str(exc))
            return 2
        try:
            workspace = open_workspace(cfg, chosen)
        except DatabaseError as again:
            return _database_problem(again, db_path, log_path, smoke)
    except DatabaseError as exc:
        splash.close()
        return _database_problem(exc, db_path, log_path, smoke)
    try:
        if workspace.migration.backup is not None:
            log.info("database upgraded; the previous copy is %s", workspace.migration.backup)
        splash.say("Almost ready…")
        from linkie_desktop.ui.shell import AppShell

        shell: AppShell | None = None
        try:
            shell = AppShell(workspace, publish=not smoke)
            failed_to_open = _end_start_up_on_a_database_problem(
                app, shell, db_path, log_path, smoke
            )
            if smoke:  # before start(): the data may arrive while the splash hands over
                _quit_once_data_is_shown(app, shell, every_tab)
            guard.activation_requested.connect(shell.show_window)
            guard.post_requested.connect(shell.show_post)
            shell.start()
            splash.finish(shell.window)  # waits until the main window is on screen
            app.processEvents()  # its first paint
            _set_version(app)
            if open_post is not None:
                shell.show_post(open_post)
            guard.ready()  # what a second start asked meanwhile, now
        except Exception as exc:
            # The tabs read the database as they are built: a damaged page or a failing disk
            # shows up here, and is the same known problem as at open_workspace.
            problem = database_problem(exc, db_path)
            if problem is None:
                raise
            splash.close()
            if shell is not None:
                shell.window.hide()
                shell.shutdown()
            return _database_problem(problem, db_path, log_path, smoke)
        _report_shown("main window", smoke)
        try:
            # A problem met while the window opened, before the loop ran, was shown already.
            if failed_to_open.problems:
                return 1
            failed_to_open.loop_running = True
            return app.exec()
        finally:
            shell.shutdown()
    finally:
        workspace.close()


def _ask_who(cfg: config.Config) -> str | None:
    """A database several people share, and no one chosen on this machine: ask who this is
    (remembered, as Settings › Profile does); None when the question is cancelled."""
    from dataclasses import replace

    from PySide6.QtWidgets import QInputDialog

    from linkie_desktop.db.engine import make_engine
    from linkie_desktop.services.people import list_people
    from linkie_desktop.services.preferences import load_preferences, save_preferences

    engine = make_engine(cfg.database_url)
    try:
        people = list_people(engine)
    finally:
        engine.dispose()
    labels = [person.label for person in people]
    label, ok = QInputDialog.getItem(
        None,
        "Who are you in this database?",
        "Several people share this database. Linkie acts as the one you choose, on this "
        "computer (Settings › Profile changes it):",
        labels,
        0,
        False,
    )
    if not ok or label not in labels:
        return None
    email = people[labels.index(label)].email
    prefs = load_preferences(cfg.data_dir)
    save_preferences(cfg.data_dir, replace(prefs, acting_user_email=email))
    return email


@dataclass
class _StartUpProblems:
    problems: list[Exception] = field(default_factory=list)
    loop_running: bool = False  # app.exec() has been entered


def _end_start_up_on_a_database_problem(
    app: QApplication, shell: AppShell, db_path: Path | None, log_path: Path | None, smoke: bool
) -> _StartUpProblems:
    """Until the first tab has shown its data, a database that fails (a damaged page, a disk
    error) ends the start-up with the database dialog, as a failure in open_workspace does; once
    the window is in use, the same failure is a message where it happened.

    The dialog is shown where the failure is heard; the app's loop is ended only once it runs:
    QApplication.exit() before exec() makes every later event loop (a dialog's, a splash's)
    return at once, for the rest of the process.
    """
    from linkie_desktop.db.errors import database_problem

    found = _StartUpProblems()

    def on_failure(exc: object) -> None:
        if found.problems or shell.window.data_was_shown or not isinstance(exc, Exception):
            return
        problem = database_problem(exc, db_path)
        if problem is None:
            return
        found.problems.append(problem)
        shell.window.hide()
        # Closing the dialog closes the last window: Qt would post a Quit of its own, which a
        # later loop would then receive. This loop is ended here, once.
        quits_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)
        try:
            _database_problem(problem, db_path, log_path, smoke)
        finally:
            app.setQuitOnLastWindowClosed(quits_on_close)
        if found.loop_running:
            app.exit(1)

    shell.tasks.known_failure.connect(on_failure)
    return found


def _quit_once_data_is_shown(app: QApplication, shell: AppShell, every_tab: bool) -> None:
    """--smoke ends when the tab on screen has painted its data, not merely its frame: the
    benchmark then measures what a user waits for. Bounded, so a read that never answers fails
    the smoke run instead of hanging it."""

    # Owned by the shell, so it dies with it: a give-up left pending would end some later loop.
    give_up = QTimer(shell)
    give_up.setObjectName("smoke-give-up-timer")
    give_up.setSingleShot(True)
    give_up.setInterval(SMOKE_DATA_TIMEOUT_MS)

    def shown() -> None:
        give_up.stop()
        shell.window.repaint()  # painted now, with the data just set
        _report_shown("first data", smoke=True)
        if every_tab and not _open_every_tab(app, shell):
            app.exit(1)
            return
        QTimer.singleShot(0, app.quit)  # heard even when this comes before app.exec()

    def gave_up() -> None:
        print("linkie-desktop: --smoke: the first tab's data never arrived", file=sys.stderr)
        app.exit(1)

    give_up.timeout.connect(gave_up)
    shell.window.first_data_shown.connect(shown)
    give_up.start()


def _open_every_tab(app: QApplication, shell: AppShell) -> bool:
    """--smoke --every-tab: each tab built and shown in turn, and every module a tab is imported
    by name from, so that a bundle (the .deb) missing one fails here, not in a user's hands.
    False (and why, on stderr) when one could not be opened."""
    import importlib
    import traceback

    window = shell.window
    try:
        for key in window.tab_keys():
            window.show_tab(key)
            app.processEvents()
        for module in window.tab_modules():
            importlib.import_module(module)
    except Exception:  # noqa: BLE001 - whatever it is, the check fails and says what
        print(
            f"linkie-desktop: a tab could not be opened:\n{traceback.format_exc()}", file=sys.stderr
        )
        return False
    opened = [key for key in window.tab_keys() if key in window.built_pages()]
    print(f"linkie-desktop: tabs opened: {' '.join(opened)}", file=sys.stderr)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    start_up_gc.hold()  # until the first tab shows its data (ui/shell.py releases it) ...
    try:
        return _start(argv)
    finally:
        start_up_gc.release()  # ... or start-up ends without it (a refusal, a failure)


def _start(argv: Sequence[str] | None) -> int:
    pyside_import_check.install()  # before the heavy imports: each one pays PySide6's check
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = _application()
    try:
        cfg = config.load(db=args.db)
    except config.ConfigError as exc:
        return _refuse("Linkie Desktop cannot start", str(exc), args.smoke)
    # Before the splash: a second start hands over to the first without flashing anything.
    guard = SingleInstance(instance_key(cfg.database_url, args.user), app)
    if not guard.claim(args.open_post):
        shown = "its window" if args.open_post is None else f"post {args.open_post} there"
        print(f"linkie-desktop: already running; showing {shown}", file=sys.stderr)
        return 0
    splash = StartupSplash(QIcon(str(config.resources_dir() / "icons" / SPLASH_ICON)), DISPLAY_NAME)
    try:
        splash.show_now()
        _report_shown("first window", args.smoke)
        _finish_identity(app)
        from linkie_desktop.logging_setup import setup_logging
        from linkie_desktop.ui.crash import CrashReporter

        log_path = setup_logging(cfg.log_dir)
        crash_reporter = CrashReporter(log_path, parent=app).install()
        try:
            return _run(
                app,
                cfg,
                args.smoke,
                splash,
                guard,
                log_path,
                args.open_post,
                args.user,
                every_tab=args.every_tab,
            )
        finally:
            crash_reporter.uninstall()
    finally:
        splash.close()  # already closed unless start-up failed
        guard.release()


def launch() -> None:
    """The console entry point: `main()`, then the end of the process without tear-down."""
    from linkie_desktop.process_exit import exit_now

    exit_now(main())


if __name__ == "__main__":
    launch()
