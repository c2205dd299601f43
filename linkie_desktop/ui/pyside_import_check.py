"""PySide6 asks of every module imported after it whether the module's source mentions "PySide6"
(for its `__feature__` switches), and finds out with `inspect.getsource`: tokenizing each file
through linecache. Over the ~400 modules of a start-up that is tens of milliseconds, paid again by
every tab whose module is imported when first shown. The same question, answered by reading the
file's bytes, gives the same answer for a fraction of the cost.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import ModuleType

log = logging.getLogger(__name__)

_FEATURE_MODULE = "shibokensupport.feature"
_CHECK = "_mod_uses_pyside"


def _reads_the_file(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # built-in, extension or zipped: PySide's own answer
        try:
            with open(path, "rb") as source:  # noqa: PTH123 - the cheapest read there is
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.__wrapped__ = original  # type: ignore[attr-defined]
    return uses_pyside


def install() -> bool:
    """Answer PySide6's per-import question cheaply; False (and nothing changed) when this
    PySide6 no longer asks it the way this module knows."""
    feature = sys.modules.get(_FEATURE_MODULE)
    original = getattr(feature, _CHECK, None)
    if feature is None or not callable(original):
        log.debug("PySide6 has no %s.%s: import check left as it is", _FEATURE_MODULE, _CHECK)
        return False
    if hasattr(original, "__wrapped__"):
        return True  # installed already
    setattr(feature, _CHECK, _reads_the_file(original))
    return True
