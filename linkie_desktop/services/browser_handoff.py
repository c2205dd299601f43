"""Opening a sign-in address in the browser without putting it on a command line (no Qt).

Whatever a program is started with is readable by every local user (`ps`, /proc/PID/cmdline),
and LinkedIn's authorization address carries the attempt's `state` and PKCE challenge. So the
browser is handed a private page instead, a file only the user can read (0600, in a fresh 0700
folder of the user's runtime folder), that sends it on to the address: only that file's
file:// address reaches xdg-open or the browser. The caller removes the page once the wait for
LinkedIn's answer is over.
"""

from __future__ import annotations

import contextlib
import html
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

# Opens an address in a browser: whether one was started (webbrowser.open, QDesktopServices).
Launcher = Callable[[str], bool]

_FILE_MODE = 0o600
_GROUP_AND_OTHERS = 0o077


def system_browser(address: str) -> bool:
    # Imported here: the window never needs it at start-up. It honours $BROWSER.
    import webbrowser

    return webbrowser.open(address)


def _private_parent() -> str | None:
    """$XDG_RUNTIME_DIR when it is the user's own private folder (it lives in memory and is
    emptied at logout, so even a page left by a crash doesn't outlive the session); otherwise
    None: the system's temporary folder, where mkdtemp's 0700 folder is just as private."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime or os.name != "posix":
        return None
    try:
        info = Path(runtime).stat()
    except OSError:
        return None
    ours = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
    return runtime if ours and not info.st_mode & _GROUP_AND_OTHERS else None


def _page(target: str) -> str:
    address = html.escape(target, quote=True)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name="referrer" content="no-referrer">'
        f'<meta http-equiv="refresh" content="0; url={address}">'
        "<title>Opening LinkedIn…</title></head><body>"
        f'<p>Opening LinkedIn’s sign-in page… If nothing happens, <a href="{address}">'
        "continue to LinkedIn</a>.</p></body></html>"
    )


class HandoffPage:
    """A private page that sends the browser to `target`; `remove()` when it is no longer
    needed. Raises OSError when it can't be written."""

    def __init__(self, target: str) -> None:
        if urlsplit(target).scheme not in ("https", "http"):
            raise ValueError("the browser is only sent on to a web address")
        self._folder = Path(tempfile.mkdtemp(prefix="linkie-sign-in-", dir=_private_parent()))
        self.path = self._folder / "sign-in.html"
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(_page(target))
        except BaseException:
            self.remove()
            raise

    @property
    def address(self) -> str:
        return self.path.as_uri()

    def open(self, launcher: Launcher = system_browser) -> bool:
        """Hand the page's address (and nothing else) to `launcher`; whether a browser started."""
        return launcher(self.address)

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            self._folder.rmdir()
