"""Who can see a post, in the words LinkedIn's own share box uses: one choice box for the composer
and for Settings › Posting's default."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.ui.widgets.accessible import named

VISIBILITY_CHOICES = ((Visibility.PUBLIC, "Anyone"), (Visibility.CONNECTIONS, "Connections only"))


def visibility_box(object_name: str, accessible_name: str, chosen: Visibility) -> QComboBox:
    box = named(QComboBox(), object_name, accessible_name)
    for value, text in VISIBILITY_CHOICES:
        box.addItem(text, value)
    box.setCurrentIndex(box.findData(chosen))
    return box


def chosen_visibility(box: QComboBox) -> Visibility:
    return Visibility(box.currentData())
