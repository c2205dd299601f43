"""The console entry points end the process without tear-down, but only after flushing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHILD = """
import logging, sys
from linkie_desktop.process_exit import exit_now
handler = logging.FileHandler(sys.argv[1])
logging.getLogger().addHandler(handler)
logging.getLogger().error("last words")
sys.stdout.write("printed, not yet flushed")
sys.stderr.write("and on stderr")
exit_now(3)
"""


def test_the_exit_code_the_log_and_both_streams_survive(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(log)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3
    assert done.stdout == "printed, not yet flushed"
    assert done.stderr == "and on stderr"
    assert log.read_text(encoding="utf-8") == "last words\n"
