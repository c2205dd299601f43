"""Settings: `SettingsDialog(workspace, signals, parent=None)`."""

from linkie_desktop.ui.settings.dialog import SettingsDialog

__all__ = ["SettingsDialog"]
