"""After start-up the window imports the unbuilt tabs' modules while idle, one per step."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.import_ahead import ImportAhead

PACKAGE = "import_ahead_probe"


@pytest.fixture
def probe_modules(tmp_path: Path) -> Iterator[list[str]]:
    """Three real modules on disk that record the order they were imported in."""
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("order = []\n")
    names = []
    for name in ("first", "second", "third"):
        (package / f"{name}.py").write_text(
            f"from {PACKAGE} import order\norder.append({name!r})\n"
        )
        names.append(f"{PACKAGE}.{name}")
    (package / "broken.py").write_text("raise RuntimeError('a module that cannot load')\n")
    sys.path.insert(0, str(tmp_path))
    yield names
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def test_modules_are_imported_in_order_one_step_at_a_time(
    qtbot: QtBot, probe_modules: list[str]
) -> None:
    ahead = ImportAhead(probe_modules, first_step_ms=0, step_ms=10)
    steps: list[list[str]] = []
    ahead._timer.timeout.connect(lambda: steps.append(list(ahead.imported)))
    with qtbot.waitSignal(ahead.finished, timeout=5000):
        ahead.start()
    assert ahead.imported == probe_modules
    assert sys.modules[PACKAGE].order == ["first", "second", "third"]
    # Each step of the timer imported one module, never several at once.
    assert [len(seen) for seen in steps] == [1, 2, 3, 3]


def test_a_module_loaded_already_is_skipped_and_one_that_fails_does_not_stop_the_rest(
    qtbot: QtBot, probe_modules: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    first, second, third = probe_modules
    __import__(second)  # its tab was opened before the window was idle
    ahead = ImportAhead([first, f"{PACKAGE}.broken", second, third], first_step_ms=0, step_ms=0)
    with qtbot.waitSignal(ahead.finished, timeout=5000):
        ahead.start()
    assert ahead.imported == [first, third]
    assert "could not import import_ahead_probe.broken ahead of its tab" in caplog.text


def test_stop_leaves_the_rest_for_the_tabs_to_import(
    qtbot: QtBot, probe_modules: list[str]
) -> None:
    ahead = ImportAhead(probe_modules, first_step_ms=0, step_ms=50)
    ahead.start()
    qtbot.waitUntil(lambda: len(ahead.imported) >= 1, timeout=5000)
    ahead.stop()
    assert ahead.imported == probe_modules[:1], ahead.imported
    qtbot.wait(150)
    assert ahead.imported == probe_modules[:1]
    assert f"{PACKAGE}.third" not in sys.modules
