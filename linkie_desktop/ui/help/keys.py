"""Access keys for menus (as KDE's KAcceleratorManager gives them) and the list of every keyboard
shortcut, read from the live QActions and QShortcuts so that it cannot drift from what works.

A menu's items are filled by different owners (the Drafts tab fills the Post menu, the window the
rest), so uniqueness is the menu's business: an item whose owner chose a free key keeps it, the
others get the first free letter of a word, else of any letter, of their own text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

_MARK = re.compile(r"&(.)")


def access_key(text: str) -> str | None:
    """The letter after the single '&' of a menu text, lower-cased ('&&' is a literal '&')."""
    for match in _MARK.finditer(text):
        if match.group(1) != "&":
            return match.group(1).lower()
    return None


def plain_text(text: str) -> str:
    """The text as the user reads it: no access-key mark, '&&' back to '&'."""
    return _MARK.sub(lambda m: m.group(1), text)


def _candidates(plain: str) -> Iterator[int]:
    """Positions to try, best first: each word's first letter, then every letter or digit."""
    starts = [m.start() for m in re.finditer(r"\b\w", plain)]
    yield from starts
    yield from (i for i, ch in enumerate(plain) if ch.isalnum() and i not in starts)


def with_access_key(text: str, taken: set[str]) -> str:
    """`text` with '&' before its first free candidate (unchanged when none is free)."""
    plain = plain_text(text)
    for index in _candidates(plain):
        if plain[index].lower() not in taken:
            escaped = [ch.replace("&", "&&") for ch in plain]
            escaped[index] = "&" + escaped[index]
            return "".join(escaped)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&&")


def _items(actions: Iterable[QAction]) -> list[QAction]:
    return [action for action in actions if not action.isSeparator() and action.text()]


def give_access_keys(actions: Iterable[QAction]) -> None:
    """Every item its own access key within these actions (one menu's, or the menu bar's)."""
    items = _items(actions)
    taken: set[str] = set()
    pending: list[QAction] = []
    for action in items:
        key = access_key(action.text())
        if key is None or key in taken:
            pending.append(action)
        else:
            taken.add(key)
    for action in pending:
        text = with_access_key(action.text(), taken)
        key = access_key(text)
        if key is not None:
            taken.add(key)
        action.setText(text)


def give_menus_access_keys(menu_bar: QMenuBar) -> None:
    """The menu bar's titles and each of its menus' items, submenus included."""
    give_access_keys(menu_bar.actions())
    for action in menu_bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            _menu_and_submenus(menu)


def _menu_and_submenus(menu: QMenu) -> None:
    give_access_keys(menu.actions())
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            _menu_and_submenus(sub)


# --- the list of shortcuts ----------------------------------------------------------------------

UNDESCRIBED = "A key of this tab (not described by it)"


@dataclass(frozen=True)
class Shortcut:
    where: str  # "Everywhere", or the tab or widget it works in
    keys: str  # as the platform writes them ("Ctrl+Shift+Tab"), alternatives joined by ", "
    what: str  # the action's text, or the QShortcut's whatsThis


def _keys(sequences: Iterable[QKeySequence]) -> str:
    written = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences]
    return ", ".join(dict.fromkeys(w for w in written if w))


def _description(owner: QObject) -> str:
    if isinstance(owner, QAction):
        text = plain_text(owner.text()).rstrip("…").rstrip(".")
        return text or owner.toolTip() or owner.objectName()
    if isinstance(owner, QShortcut):
        if owner.whatsThis():
            return owner.whatsThis()
        widget = owner.parent()
        name = widget.accessibleName() if isinstance(widget, QWidget) else ""
        return f"A key of “{name}” (not described by it)" if name else UNDESCRIBED
    return owner.objectName()


def collect_shortcuts(root: QWidget, places: dict[QObject, str], everywhere: str) -> list[Shortcut]:
    """Every QAction and QShortcut under `root` that has keys, each placed in the nearest of
    `places` (a tab page → its title) among its parents, else `everywhere`."""
    found: list[Shortcut] = []
    seen: set[int] = set()
    owners: list[QObject] = [*root.actions(), *root.findChildren(QAction)]
    owners += root.findChildren(QShortcut)
    for owner in owners:
        if id(owner) in seen:
            continue
        seen.add(id(owner))
        if isinstance(owner, QAction):
            keys = _keys(owner.shortcuts())
        elif isinstance(owner, QShortcut):
            keys = _keys(owner.keys())
        else:  # pragma: no cover - findChildren asked for these two kinds only
            continue
        if keys:
            found.append(Shortcut(_place(owner, places, everywhere), keys, _description(owner)))
    return _merged(found)


def _merged(shortcuts: list[Shortcut]) -> list[Shortcut]:
    """One row per described action and place: Ctrl+Return and Ctrl+Enter of one "Generate"
    are one row; keys nobody described stay a row each (they may do different things)."""
    rows: dict[tuple[str, str], list[str]] = {}
    for index, shortcut in enumerate(shortcuts):
        described = "(not described by it)" not in shortcut.what
        key = (shortcut.where, shortcut.what if described else f"{shortcut.what}\0{index}")
        rows.setdefault(key, []).append(shortcut.keys)
    return [
        Shortcut(where, ", ".join(dict.fromkeys(keys)), what.split("\0")[0])
        for (where, what), keys in rows.items()
    ]


def _place(owner: QObject, places: dict[QObject, str], everywhere: str) -> str:
    node: QObject | None = owner
    while node is not None:
        if node in places:
            return places[node]
        # An action added to a widget but owned elsewhere: the widget says where it works.
        if isinstance(node, QAction):
            for widget in node.associatedObjects():
                if widget in places:
                    return places[widget]
        node = node.parent()
    return everywhere
