"""The main window's modules load without httpx, keyring or cryptography (~150 ms of a cold start).

They are imported where a request or a keyring read happens (services/linkedin.py, secrets.py,
ai_http.py, ...). A fresh child process is needed: this test process has long imported them all.
Names, not timings: the time itself is measured by benchmarks/, never asserted here.
"""

from __future__ import annotations

from tests.fresh_process_support import loaded_after_importing, run_python

WINDOW_MODULES = ("linkie_desktop.services.workspace", "linkie_desktop.ui.shell")
LAZY_PACKAGES = ("httpx", "keyring", "cryptography")


def test_main_window_modules_do_not_load_httpx_or_keyring() -> None:
    loaded = loaded_after_importing(WINDOW_MODULES)

    assert set(WINDOW_MODULES) <= loaded  # the child really imported the window's modules
    assert "linkie_desktop.services.secrets" in loaded  # ...including those that use keyring
    assert "linkie_desktop.services.linkedin" in loaded  # ...and httpx
    assert loaded.isdisjoint(LAZY_PACKAGES), sorted(loaded & set(LAZY_PACKAGES))


TAB_MODULES = (
    "linkie_desktop.ui.calendar.tab",
    "linkie_desktop.ui.analytics.tab",
    "linkie_desktop.ui.studio.tab",
    "linkie_desktop.ui.drafts.tab",
)


def test_the_window_imports_no_tab_module_before_the_tab_is_built() -> None:
    # The shell and main window import none of the tabs: each tab's module loads when the tab is
    # first built, so a start on the Dashboard never pays for the Calendar or Analytics.
    loaded = loaded_after_importing(("linkie_desktop.ui.shell", "linkie_desktop.ui.main_window"))
    assert loaded.isdisjoint(TAB_MODULES), sorted(loaded & set(TAB_MODULES))


# What the first painted tab (the Dashboard, a new user's first) does not need: each is imported
# where it is used (the About box, the Calendar's reads, an action's dialog, the Drafts list).
FIRST_TAB_PATH = (
    "linkie_desktop.ui.shell",
    "linkie_desktop.ui.main_window",
    "linkie_desktop.ui.dashboard.tab",
)
NOT_FOR_THE_FIRST_TAB = (
    "linkie_desktop.services.calendar",  # the Calendar's reads and its kind of post
    "linkie_desktop.ui.drafts.schedule_prompt",  # Schedule…'s dialog
    "linkie_desktop.ui.widgets.recurrence_editor",  # Repeat…'s dialog
    "linkie_desktop.ui.drafts.model",  # the Drafts list (the status bar's time: ui/widgets)
)


def test_the_first_tab_loads_no_module_it_does_not_show() -> None:
    loaded = loaded_after_importing(FIRST_TAB_PATH)
    assert set(FIRST_TAB_PATH) <= loaded
    assert loaded.isdisjoint(NOT_FOR_THE_FIRST_TAB), sorted(loaded & set(NOT_FOR_THE_FIRST_TAB))


def _after_the_first_tab_path(question: str) -> str:
    """What `question` (an expression) says in a fresh process once the first tab's modules
    are imported."""
    probe = (
        "import importlib, sys\n"
        f"for name in {FIRST_TAB_PATH!r}: importlib.import_module(name)\n"
        f"print({question})"
    )
    return run_python(probe).strip()


def test_the_window_reads_the_version_only_for_the_about_box() -> None:
    # linkie_desktop.__version__ is read from the installed metadata on first use (one look-up
    # of the distribution); the window asks for it when Help › About shows it, not at import.
    # (The module importlib.metadata itself is loaded by SQLAlchemy anyway.)
    assert _after_the_first_tab_path("'__version__' in vars(sys.modules['linkie_desktop'])") == (
        "False"
    )


def test_the_dashboard_leaves_qstyle_to_its_first_paint() -> None:
    # PySide6 makes a Qt class's Python type when it is first touched; QStyle's ~860 enum
    # members take ~9 ms, so only the Dashboard's card that draws with it (at paint) touches it.
    assert _after_the_first_tab_path("'QStyle' in vars(sys.modules['PySide6.QtWidgets'])") == (
        "False"
    )


# The Calendar opens on its month: the other views, a day's list and the post dialog (which
# brings the whole composer) are imported when first shown.
CALENDAR_LATER = (
    "linkie_desktop.ui.calendar.week_view",
    "linkie_desktop.ui.calendar.agenda_view",
    "linkie_desktop.ui.calendar.day_dialog",
    "linkie_desktop.ui.widgets.post_dialog",
    "linkie_desktop.ui.drafts.composer",
)


def test_the_calendar_tab_loads_only_its_month_at_first() -> None:
    loaded = loaded_after_importing(("linkie_desktop.ui.calendar.tab",))
    assert "linkie_desktop.ui.calendar.month_grid" in loaded
    assert loaded.isdisjoint(CALENDAR_LATER), sorted(loaded & set(CALENDAR_LATER))


# The File menu's data actions are built with the window; what each runs is imported when it is
# chosen (or when the daily backup first looks, a minute after start).
DATA_ACTIONS_LATER = (
    "linkie_desktop.services.backup",
    "linkie_desktop.services.export",
    "linkie_desktop.services.import_posts",
)


def test_the_data_menu_loads_its_jobs_when_one_is_chosen() -> None:
    loaded = loaded_after_importing(("linkie_desktop.ui.data.actions",))
    assert "linkie_desktop.ui.data.actions" in loaded
    assert loaded.isdisjoint(DATA_ACTIONS_LATER), sorted(loaded & set(DATA_ACTIONS_LATER))


# What the shell uses only after the first paint: a worker's read (the poll, the counts, the
# connection's days left), a notice, the close question, the user service, `linkie serve`.
# Other window modules may still load these services; the shell itself must not ask for them at
# import, so they leave the start path as soon as those do too.
SHELL_LATER_NAMES = (
    "presence",
    "ExternalChangeWatcher",
    "PostService",
    "PostQuery",
    "connection_status",
    "user_service",
    "autostart",
    "start_in_background",
    "Notice",
    "wanted",
    "CloseQuestion",
    "ValidationError",
)


def test_the_shell_imports_what_it_uses_after_the_first_paint_where_it_uses_it() -> None:
    names = _after_the_first_tab_path(
        f"sorted(set(vars(sys.modules['linkie_desktop.ui.shell'])) & set({SHELL_LATER_NAMES!r}))"
    )
    assert names == "[]"


_IDENTITY_PROBE = """
import sys
from PySide6.QtWidgets import QApplication
import linkie_desktop
from linkie_desktop import app
import linkie_desktop.ui.crash
qapp = QApplication([])
app._finish_identity(qapp)
print('__version__' in vars(linkie_desktop))
app._set_version(qapp)
print(qapp.applicationVersion() == linkie_desktop.__version__ != '')
"""


def test_the_version_is_read_after_the_first_paint_not_before_the_window() -> None:
    # _finish_identity runs before the window is built; the crash reporter is installed then
    # too: neither reads the version (it is read when a report is written); _set_version does,
    # once the window has painted.
    assert run_python(_IDENTITY_PROBE).split() == ["False", "True"]


def test_notifications_and_post_actions_leave_linkie_serve_to_the_open_button() -> None:
    """The Dashboard's post actions and the window's notifications import
    services/notifications.py; `linkie serve` (and the publisher it brings) comes with Open."""
    loaded = loaded_after_importing(
        ("linkie_desktop.ui.post_actions", "linkie_desktop.ui.notifications")
    )
    assert "linkie_desktop.services.serve" not in loaded
