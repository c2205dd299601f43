"""Linkie Desktop: write, schedule and publish LinkedIn posts from your own computer."""

from importlib import metadata

APP_NAME = "linkie-desktop"
DISPLAY_NAME = "Linkie Desktop"

try:
    __version__ = metadata.version(APP_NAME)
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
