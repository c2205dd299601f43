"""The cheaper answer to PySide6's "does this module use PySide6?" is the same answer."""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads the feature module this patches

from linkie_desktop.ui import pyside_import_check


def _feature() -> ModuleType:
    return sys.modules["shibokensupport.feature"]


def test_it_answers_as_pyside_does_for_every_loaded_module() -> None:
    assert pyside_import_check.install()
    check = _feature()._mod_uses_pyside
    original = check.__wrapped__
    modules = [
        m for m in list(sys.modules.values()) if isinstance(getattr(m, "__file__", None), str)
    ]
    assert len(modules) > 100
    differing = [m.__name__ for m in modules if check(m) != original(m)]
    assert differing == []
    assert check(pyside_import_check) is True  # its source names PySide6
    assert check(sys.modules["json"]) is False


def test_installing_twice_wraps_once() -> None:
    assert pyside_import_check.install()
    first = _feature()._mod_uses_pyside
    assert pyside_import_check.install()
    assert _feature()._mod_uses_pyside is first
    assert not hasattr(first.__wrapped__, "__wrapped__")
