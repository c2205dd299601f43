"""Which files may be attached: regular files within the size limit, checked without blocking."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from linkie_desktop.domain.images import (
    MAX_IMAGE_BYTES,
    ImageInfo,
    inspect_image,
    inspect_whole_image,
    open_checked_image,
)
from linkie_desktop.domain.posts import ValidationError
from tests.fakes.image_files import named_pipe, png_bytes, write_huge_png, write_png

# Far longer than any of these checks needs; only a call stuck in open() or read() reaches it.
DEADLINE_S = 10.0

INSPECTIONS = (inspect_image, inspect_whole_image)


def _refusal_within_deadline(check: Callable[[Path], ImageInfo], path: Path) -> str:
    """Run the check on a thread joined with a deadline: proves it returns, then its refusal."""
    outcome: list[BaseException | ImageInfo] = []

    def run() -> None:
        try:
            outcome.append(check(path))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=run, name="image-check", daemon=True)
    worker.start()
    worker.join(DEADLINE_S)
    assert not worker.is_alive(), f"{check.__name__} blocked on {path}"
    (result,) = outcome
    assert isinstance(result, ValidationError), result
    return str(result)


@pytest.mark.parametrize("check", INSPECTIONS)
def test_a_named_pipe_is_refused_at_once(
    check: Callable[[Path], ImageInfo], tmp_path: Path
) -> None:
    with named_pipe(tmp_path / "photo.png") as pipe:
        message = _refusal_within_deadline(check, pipe)
    assert message == "photo.png is a named pipe, not an image file; choose a PNG, JPEG or GIF."


@pytest.mark.parametrize("check", INSPECTIONS)
def test_a_device_is_refused_without_reading_it(check: Callable[[Path], ImageInfo]) -> None:
    # /dev/zero never ends: reading "to the end" of it fills the memory.
    message = _refusal_within_deadline(check, Path("/dev/zero"))
    assert message == "zero is a device, not an image file; choose a PNG, JPEG or GIF."


@pytest.mark.parametrize("check", INSPECTIONS)
def test_a_folder_is_refused(check: Callable[[Path], ImageInfo], tmp_path: Path) -> None:
    folder = tmp_path / "holiday.png"
    folder.mkdir()
    message = _refusal_within_deadline(check, folder)
    assert message == "holiday.png is a folder, not an image file; choose a PNG, JPEG or GIF."


@pytest.mark.parametrize("check", INSPECTIONS)
def test_a_file_over_the_size_limit_is_refused_by_its_size(
    check: Callable[[Path], ImageInfo], tmp_path: Path
) -> None:
    # A real PNG header that claims a small picture: only the byte size can refuse it.
    huge = write_huge_png(tmp_path / "huge.png", MAX_IMAGE_BYTES + 1)
    message = _refusal_within_deadline(check, huge)
    assert message == (
        "huge.png is 100.1 MB; Linkie takes images of at most 100 MB. Make it smaller first."
    )


def test_a_file_at_the_size_limit_is_judged_by_its_content(tmp_path: Path) -> None:
    at_limit = write_huge_png(tmp_path / "big.png", MAX_IMAGE_BYTES)
    assert inspect_image(at_limit).width == 40
    with pytest.raises(ValidationError, match="incomplete"):
        inspect_whole_image(at_limit)  # no IEND: the size passed, the content did not


def test_the_checked_file_is_the_one_read_even_if_its_name_moves_on(tmp_path: Path) -> None:
    path = write_png(tmp_path / "a.png", 40, 30)
    original = path.read_bytes()
    with open_checked_image(path) as checked:
        # Another program puts something else under the name between check and copy.
        (tmp_path / "other").write_bytes(b"not an image at all")
        (tmp_path / "other").replace(path)
        assert checked.info.width == 40
        assert checked.file.read() == original


def test_an_ordinary_image_still_passes(tmp_path: Path) -> None:
    path = tmp_path / "fine.png"
    path.write_bytes(png_bytes(12, 8))
    assert inspect_whole_image(path) == ImageInfo(kind="png", width=12, height=8)
