"""Pin the process's local time zone (TZ + time.tzset) for a test, and put it back afterwards.

Code that takes `tz=None` follows the system zone through the C library; pinning it makes those
paths testable in Europe/Berlin and America/New_York whatever the machine's own zone is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@contextmanager
def system_zone(name: str) -> Iterator[ZoneInfo]:
    previous = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield ZoneInfo(name)
    finally:
        if previous is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = previous
        time.tzset()
