"""Tabs whose module is imported only when the tab is built (start-up builds only the tab on
screen, so it need not import the others' modules either)."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class LazyTab:
    module: str
    name: str
    # What the tab imports only when first shown, beyond its module (e.g. the Drafts preview):
    # imported ahead with it while the window is idle (ui/import_ahead.py).
    shown_modules: tuple[str, ...] = ()

    @property
    def modules(self) -> tuple[str, ...]:
        """Every module this tab is imported by name from: its own, then what it shows."""
        return (self.module, *self.shown_modules)

    def resolve(self) -> Any:
        """The tab's class, importing its module now if need be."""
        return getattr(importlib.import_module(self.module), self.name)

    def loaded(self) -> type | None:
        """The tab's class if its module is imported already, else None (without importing)."""
        module = sys.modules.get(self.module)
        found = getattr(module, self.name, None) if module is not None else None
        return found if isinstance(found, type) else None


def built_as(page: object, tab: LazyTab) -> Any:
    """`page` if it is an instance of `tab`'s class, else None; never imports the module (a page
    of that class cannot exist before its module was imported)."""
    cls = tab.loaded()
    return page if cls is not None and isinstance(page, cls) else None
