"""Linkie Desktop: write, schedule and publish LinkedIn posts from your own computer."""

APP_NAME = "linkie-desktop"
DISPLAY_NAME = "Linkie Desktop"


def __getattr__(name: str) -> str:
    # __version__ is read on first use: importing importlib.metadata costs ~40 ms of a cold
    # start, and `linkie-desktop` shows its splash before anything asks for the version.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version(APP_NAME)
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        version = "0.0.0"
    globals()["__version__"] = version
    return version
