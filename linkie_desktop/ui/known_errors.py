"""Which failures of background work the user can act on, in plain words; the rest are bugs.

The task runner asks `explain` about every failure: a known one goes to the task's own
`on_failure` (a message bar, a dialog line); anything else goes to the crash reporter. One list
for the whole window, so a disk that fills up reads the same in every tab.
"""

from __future__ import annotations

from pathlib import Path

from linkie_desktop.db.errors import database_problem
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.ai_http import AiError
from linkie_desktop.services.autostart import AutostartUnsupportedError
from linkie_desktop.services.linkedin import LinkedInError
from linkie_desktop.services.loopback import CallbackError
from linkie_desktop.services.oauth import OAuthError
from linkie_desktop.services.oauth_checks import in_app_words
from linkie_desktop.services.posts import StorageError
from linkie_desktop.services.secrets import TokenUnreadableError
from linkie_desktop.services.seed import SeedRefusedError
from linkie_desktop.ui.tasks import Explain

# Errors whose message is written for the user already.
PLAIN_WORDS: tuple[type[BaseException], ...] = (
    ValidationError,
    StorageError,
    LinkedInError,
    AiError,
    OAuthError,
    CallbackError,
    TokenUnreadableError,
    AutostartUnsupportedError,
    SeedRefusedError,
)


def explain_for(database: Path | None) -> Explain:
    """`explain` for a window whose database file is `database` (None: not a file)."""

    def explain(exc: BaseException) -> str | None:
        if isinstance(exc, PLAIN_WORDS):
            # The window's words: what to do in the app (the command line's may name a variable).
            return in_app_words(exc)
        known = database_problem(exc, database)
        return str(known) if known is not None else None

    return explain
