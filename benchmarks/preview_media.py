"""Does a twenty-photo post in the preview ever hold up typing? The longest the GUI thread is
blocked while the preview shows a post's attachments and the user keeps typing.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/preview_media.py [--photos 20]

The heartbeat of benchmarks/ui_responsiveness.py (a 5 ms timer on the GUI thread; the longest
gap between two beats) runs while, for each action, a keystroke lands in an editor wired to the
preview as the composer wires it (every change re-renders the text) until the preview's pictures
are on screen. The photos are real 12-megapixel JPEGs (4000×3000), the document a 40-page PDF
with text on every page. Beside each figure: an idle window's gap (what the machine costs) and,
for reference, how long the same decoding takes when done on the GUI thread instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPdfWriter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_responsiveness import LIMIT_MS, Heartbeat

from linkie_desktop.domain.fold import MOBILE
from linkie_desktop.domain.post_content import MediaItem, MediaKind, PostContent
from linkie_desktop.ui.drafts.image_grid import TILES_SHOWN
from linkie_desktop.ui.drafts.preview import PostPreview
from linkie_desktop.ui.drafts.preview_pictures import decode_covering
from linkie_desktop.ui.tasks import TaskRunner

PHOTO = (4000, 3000)
PDF_PAGES = 40


def _photo(path: Path, hue: int) -> None:
    image = QImage(*PHOTO, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(*PHOTO))
    gradient.setColorAt(0, QColor.fromHsv(hue, 160, 230))
    gradient.setColorAt(1, QColor.fromHsv((hue + 90) % 360, 200, 90))
    painter.fillRect(image.rect(), gradient)
    for n in range(400):  # detail, so the JPEG is photo-sized, not a flat 100 KB
        painter.setPen(QColor.fromHsv((hue + n * 7) % 360, 255, 255))
        painter.drawLine(n * 10, 0, PHOTO[0] - n * 10, PHOTO[1])
    painter.end()
    image.save(str(path), b"JPEG", 90)


def _pdf(path: Path) -> None:
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    font = QFont()
    font.setPointSize(28)
    painter.setFont(font)
    for page in range(PDF_PAGES):
        if page:
            writer.newPage()
        area = QRectF(painter.viewport())
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, f"Lesson {page + 1}\n" + "text " * 80)
    painter.end()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--photos", type=int, default=20)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    heart = Heartbeat()

    idle = QWidget()
    idle.show()
    baseline = heart.measure(lambda: None, lambda: True)
    idle.close()

    with tempfile.TemporaryDirectory(prefix="linkie-preview-") as tmp:
        folder = Path(tmp)
        started = time.monotonic()
        for n in range(args.photos):
            _photo(folder / f"photo{n}.jpg", n * 17)
        _pdf(folder / "deck.pdf")
        size_mb = sum(p.stat().st_size for p in folder.glob("photo*.jpg")) / 1e6
        print(
            f"{args.photos} photos of {PHOTO[0]}×{PHOTO[1]} ({size_mb:.0f} MB in all) and a "
            f"{PDF_PAGES}-page PDF written in {time.monotonic() - started:.1f} s"
        )
        photos = tuple(
            MediaItem(f"p{n}", MediaKind.IMAGE, f"photo{n}.jpg", n, alt_text=f"Photo {n}")
            for n in range(args.photos)
        )
        document = MediaItem("d", MediaKind.DOCUMENT, "deck.pdf", 0, title="Deck", pages=PDF_PAGES)

        tasks = TaskRunner()
        preview = PostPreview(tasks=tasks)
        editor = QPlainTextEdit()
        editor.textChanged.connect(lambda: preview.show_text(editor.toPlainText()))
        preview.resize(640, 1000)
        preview.show()
        editor.show()
        results: list[tuple[str, float]] = []

        def run(name: str, action: Callable[[], object]) -> None:
            def act() -> None:
                action()
                QTest.keyClicks(editor, " typing on")  # keystrokes while the pictures decode

            results.append((name, heart.measure(act, lambda: tasks.pending == 0)))

        run("typing alone (text preview only)", lambda: None)
        run(
            f"show a {args.photos}-photo post",
            lambda: preview.show_content(PostContent(media=photos), folder),
        )
        run("switch to Mobile (re-lay, no decoding)", lambda: preview.set_feed_layout(MOBILE))
        run(
            "its first four reordered (decoded before)",
            lambda: preview.show_content(PostContent(media=photos[3::-1] + photos[4:]), folder),
        )
        run(
            f"show a {PDF_PAGES}-page PDF (first page)",
            lambda: preview.show_content(PostContent(media=(document,)), folder),
        )
        card = preview.media.card
        run("▶ to the next page", lambda: card.next.click())  # type: ignore[union-attr]

        # For reference: the decoding the pool did, if the GUI thread did it itself.
        started = time.monotonic()
        for item in photos[:TILES_SHOWN]:
            decode_covering(folder / item.path, 276, 275)
        on_gui = (time.monotonic() - started) * 1000
        tasks.close()

    print(f"GUI thread: longest gap between heartbeats (limit {LIMIT_MS:.0f} ms)")
    print(f"  idle window (baseline)                       {baseline:7.1f} ms")
    for name, gap in results:
        verdict = "ok" if gap <= LIMIT_MS else f"over {LIMIT_MS:.0f} ms"
        print(f"  {name:<44} {gap:7.1f} ms  {verdict}")
    print(f"  (the 4 tiles' decoding, were it on the GUI thread: {on_gui:.0f} ms)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
