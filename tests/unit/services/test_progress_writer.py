"""The upload progress the publisher writes: at most every 5 % of the file or every second (and
at the end), so a 500 MB video does not make a write per 256 KB slice. The clock is injected."""

from __future__ import annotations

from linkie_desktop.services.publisher_media import ProgressWriter

SLICE = 256 * 1024


def _feed(total: int, clock: list[float], step_s: float = 0.0) -> list[int]:
    written: list[int] = []
    writer = ProgressWriter(written.append, monotonic=lambda: clock[0])
    sent = 0
    while sent < total:
        sent = min(sent + SLICE, total)
        clock[0] += step_s
        writer(sent, total)
    return written


def test_a_fast_upload_is_written_every_5_percent_and_at_the_end() -> None:
    total = 500 * 1024 * 1024  # 2,000 slices
    written = _feed(total, [0.0])
    assert written[-1] == total
    assert 20 <= len(written) <= 21
    steps = [b - a for a, b in zip([0, *written], written, strict=False)]
    assert all(step >= total * 0.05 for step in steps[:-1])


def test_a_slow_upload_is_written_every_second_so_its_claim_stays_fresh() -> None:
    total = 40 * SLICE
    written = _feed(total, [0.0], step_s=0.5)  # a slice every half second: 1.25 % each
    assert written[-1] == total
    assert len(written) == 20  # every second slice, the last one included


def test_the_same_count_is_never_written_twice() -> None:
    written: list[int] = []
    writer = ProgressWriter(written.append, monotonic=lambda: 0.0)
    writer(100, 100)
    writer(100, 100)
    assert written == [100]
