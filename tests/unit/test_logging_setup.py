"""The log file: written where the config says, rotated by size, private, never holding a token."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkie_desktop.logging_setup import (
    LOG_FILE_NAME,
    MCP_LOG_FILE_NAME,
    SERVE_LOG_FILE_NAME,
    setup_logging,
    stop_logging,
)

log = logging.getLogger("linkie_desktop.test")


@pytest.fixture(autouse=True)
def _detach_logging() -> Iterator[None]:
    level = logging.getLogger().level
    yield
    stop_logging()
    logging.getLogger().setLevel(level)


def test_log_file_is_created_in_the_log_folder(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")

    log.info("app started")
    stop_logging()

    assert path == tmp_path / "logs" / LOG_FILE_NAME
    line = path.read_text(encoding="utf-8").strip()
    assert line.endswith("INFO [MainThread] linkie_desktop.test: app started")


def test_log_rotates_by_size_and_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    path = setup_logging(tmp_path, max_bytes=2_000, backup_count=2)
    assert path is not None

    for n in range(200):
        log.info("line %03d %s", n, "x" * 40)
    stop_logging()

    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
    assert all((tmp_path / name).stat().st_size <= 2_000 for name in files)
    assert "line 199" in path.read_text(encoding="utf-8")  # the newest lines are in the live file
    assert "line 000" not in "".join((tmp_path / n).read_text(encoding="utf-8") for n in files)


def test_tokens_in_messages_and_tracebacks_are_masked(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    assert path is not None
    token = "AQV8xq1-secret-access-token-value"

    log.info("GET /v2/userinfo with Authorization: Bearer %s", token)
    try:
        raise RuntimeError(f"refresh failed: access_token={token}&expires_in=5184000")
    except RuntimeError:
        log.exception("token refresh")
    stop_logging()

    text = path.read_text(encoding="utf-8")
    assert token not in text
    assert "Bearer [redacted]" in text
    assert "access_token=[redacted]&expires_in=5184000" in text
    assert "Traceback (most recent call last)" in text


def test_an_unwritable_log_folder_still_lets_the_app_log_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")

    path = setup_logging(blocker / "logs")
    log.warning("still heard")

    assert path is None
    err = capsys.readouterr().err
    assert "cannot write a log file" in err
    assert "still heard" in err


def test_setting_up_twice_does_not_write_lines_twice(tmp_path: Path) -> None:
    setup_logging(tmp_path)
    path = setup_logging(tmp_path)
    assert path is not None

    log.info("once")
    stop_logging()

    assert path.read_text(encoding="utf-8").count("once") == 1


def test_the_log_folder_and_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # a usual desktop session's
    try:
        path = setup_logging(tmp_path / "logs", max_bytes=2_000, backup_count=2)
        assert path is not None
        for n in range(100):  # enough to rotate: the new files are private too
            log.info("post %03d changed %s", n, "x" * 40)
        stop_logging()
    finally:
        os.umask(previous)

    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700
    files = sorted((tmp_path / "logs").iterdir())
    assert len(files) == 3
    assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}


def test_log_files_an_older_version_left_readable_are_tightened(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o755)
    logs.chmod(0o755)
    older = [logs / LOG_FILE_NAME, logs / f"{LOG_FILE_NAME}.1"]
    for path in older:
        path.write_text("an older line\n", encoding="utf-8")
        path.chmod(0o644)

    setup_logging(logs)
    stop_logging()

    assert stat.S_IMODE(logs.stat().st_mode) == 0o700
    assert [stat.S_IMODE(path.stat().st_mode) for path in older] == [0o600, 0o600]


_WRITER = """
import logging, sys
from pathlib import Path
from linkie_desktop.logging_setup import setup_logging, stop_logging
setup_logging(Path(sys.argv[1]), name=sys.argv[2], max_bytes=4_000, backup_count=2)
for n in range(400):
    logging.getLogger("linkie_desktop.test").info("%s line %03d %s", sys.argv[3], n, "x" * 40)
stop_logging()
"""


def _newest_lines_kept(log_dir: Path, names: tuple[str, str]) -> dict[str, bool]:
    """Two real processes logging at once, as the window and `linkie serve` do, each to the file
    named for it: whether each one's newest lines are still in the folder afterwards."""
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(log_dir), name, f"writer{n}"])
        for n, name in enumerate(names)
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    text = "".join(p.read_text(encoding="utf-8") for p in log_dir.iterdir())
    return {f"writer{n}": f"writer{n} line 399" in text for n in range(2)}


def test_the_window_and_linkie_serve_rotate_their_own_files_and_keep_their_newest_lines(
    tmp_path: Path,
) -> None:
    # One shared file lost a program's newest lines: the other's rotation deleted the rotated
    # copy it was still writing to (measured: one of the two lost them nearly every run).
    assert len({LOG_FILE_NAME, SERVE_LOG_FILE_NAME, MCP_LOG_FILE_NAME}) == 3  # one file each
    kept = _newest_lines_kept(tmp_path, (LOG_FILE_NAME, SERVE_LOG_FILE_NAME))
    assert kept == {"writer0": True, "writer1": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}{ending}"
        for name in (LOG_FILE_NAME, SERVE_LOG_FILE_NAME)
        for ending in ("", ".1", ".2")
    )
