"""The preview's cards for a video, a poll and a link, drawn as LinkedIn's feed draws them.

- Video: a 16:9 frame with the play symbol, the title over its top and the length (mm:ss) in a
  badge at the bottom, where LinkedIn's player shows the time.
- Poll: the question, each option as an outlined bar in LinkedIn's blue, and the footer LinkedIn
  shows before anyone voted ("0 votes • 1 week left").
- Link: LinkedIn's organic article card since 2024 — a small thumbnail beside the title and the
  site's host (full-width link images are left to sponsored posts).
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from linkie_desktop.domain.post_content import LinkCard, MediaItem, Poll
from linkie_desktop.ui.drafts.post_footer import line_colour
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.feed_text import css_colour, feed_font, link_colour
from linkie_desktop.ui.widgets.palette import muted_colour

LINK_THUMBNAIL = (128, 72)  # LinkedIn's small organic link image, 16:9
PLAY_PX = 64
OPTION_PX = 32  # an option's pill; its rounding is half of it (Qt drops a radius that is more)


def length_text(seconds: float | None) -> str:
    """A video's length as its player shows it, mm:ss ("00:05", "12:30"); "" when unknown."""
    if seconds is None:
        return ""
    whole = math.floor(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def poll_footer(days: int) -> str:
    """What LinkedIn writes under a new poll: no votes yet and the time it runs."""
    if days % 7 == 0:
        weeks = days // 7
        left = f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    else:
        left = f"{days} day" if days == 1 else f"{days} days"
    return f"0 votes • {left} left"


def host_text(url: str) -> str:
    """The site as LinkedIn's card names it: the host, without "www."."""
    try:
        host = urlsplit(url).hostname or url
    except ValueError:
        host = url
    return host.removeprefix("www.")


def _small_font(px: int = 12, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont(feed_font())
    font.setPixelSize(px)
    font.setWeight(weight)
    return font


class VideoCard(QWidget):
    """A video's frame: dark, 16:9, the play symbol in the middle."""

    def __init__(self, item: MediaItem, width: int) -> None:
        super().__init__()
        self.item = item
        title = item.title or "Video"
        self.length = length_text(item.duration_s)
        named(self, "previewVideo", f"Video: {title}" + (f", {self.length}" if self.length else ""))
        self.title_label = named(QLabel(title, self), "previewVideoTitle", "Video title")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setFont(_small_font(14, QFont.Weight.DemiBold))
        self.title_label.setStyleSheet(
            "color: white; background: rgba(0, 0, 0, 0.45); padding: 6px 10px;"
        )
        self.length_label = named(QLabel(self.length, self), "previewVideoLength", "Video length")
        self.length_label.setFont(_small_font(12, QFont.Weight.DemiBold))
        self.length_label.setStyleSheet(
            "color: white; background: rgba(0, 0, 0, 0.7); border-radius: 4px; padding: 2px 6px;"
        )
        self.length_label.setVisible(bool(self.length))
        self.set_width(width)

    def set_width(self, width: int) -> None:
        self.setFixedSize(width, round(width * 9 / 16))
        self.title_label.setFixedWidth(width)
        self.title_label.setText(
            self.title_label.fontMetrics().elidedText(
                self.item.title or "Video", Qt.TextElideMode.ElideRight, width - 20
            )
        )
        self.length_label.adjustSize()
        self.length_label.move(10, self.height() - self.length_label.height() - 10)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#1b1f23"))
        centre = QPointF(self.width() / 2, self.height() / 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawEllipse(centre, PLAY_PX / 2, PLAY_PX / 2)
        triangle = QPainterPath()
        side = PLAY_PX * 0.36
        triangle.moveTo(centre.x() - side * 0.4, centre.y() - side / 2)
        triangle.lineTo(centre.x() + side * 0.6, centre.y())
        triangle.lineTo(centre.x() - side * 0.4, centre.y() + side / 2)
        triangle.closeSubpath()
        painter.setBrush(QColor("#1b1f23"))
        painter.drawPath(triangle)
        painter.end()


class PollCard(QFrame):
    """A poll before anyone voted: the question, the options as outlined bars, the footer."""

    def __init__(self, poll: Poll, width: int) -> None:
        super().__init__()
        named(self, "previewPoll", f"Poll: {poll.question}")
        self.poll = poll
        self.question = named(QLabel(poll.question), "previewPollQuestion", "Poll question")
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.question.setWordWrap(True)
        self.question.setFont(_small_font(16, QFont.Weight.DemiBold))
        self.options: list[QLabel] = []
        self.footer = named(QLabel(poll_footer(poll.days)), "previewPollFooter", "Poll length")
        self.footer.setFont(_small_font(12))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.question)
        for number, option in enumerate(poll.options, start=1):
            bar = named(QLabel(option), "previewPollOption", f"Option {number}")
            bar.setTextFormat(Qt.TextFormat.PlainText)
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setFont(_small_font(14, QFont.Weight.DemiBold))
            bar.setFixedHeight(OPTION_PX)
            self.options.append(bar)
            layout.addWidget(bar)
        layout.addWidget(self.footer)
        self.restyle()
        self.set_width(width)

    def set_width(self, width: int) -> None:
        self.setFixedWidth(width)

    def restyle(self) -> None:
        blue = css_colour(link_colour(self.palette()))
        muted = css_colour(muted_colour(self.palette()))
        line = css_colour(line_colour(self.palette()))
        self.setStyleSheet(
            f"QFrame#previewPoll {{ border: 1px solid {line}; border-radius: 8px; }}"
            f" QLabel#previewPollOption {{ border: 1px solid {blue}; color: {blue};"
            f" border-radius: {OPTION_PX // 2}px; padding: 0 12px; }}"
            f" QLabel#previewPollFooter {{ color: {muted}; }}"
        )


class LinkCardView(QFrame):
    """A link as LinkedIn's organic feed shows it: thumbnail (if any), title, host."""

    def __init__(self, link: LinkCard, width: int) -> None:
        super().__init__()
        named(self, "previewLink", f"Link: {link.title}")
        self.link = link
        self.thumbnail = named(QLabel(), "previewLinkThumbnail", "Link image")
        self.thumbnail.setFixedSize(*LINK_THUMBNAIL)
        self.thumbnail.setVisible(bool(link.thumbnail_path))
        self.title = named(QLabel(link.title), "previewLinkTitle", "Link title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setFont(_small_font(14, QFont.Weight.DemiBold))
        self.host = named(QLabel(host_text(link.url)), "previewLinkHost", "Site")
        self.host.setTextFormat(Qt.TextFormat.PlainText)
        self.host.setFont(_small_font(12))
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addStretch(1)
        words.addWidget(self.title)
        words.addWidget(self.host)
        words.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 12, 12, 12)
        row.setSpacing(12)
        row.addWidget(self.thumbnail, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(words, 1)
        self.restyle()
        self.set_width(width)

    def set_width(self, width: int) -> None:
        self.setFixedWidth(width)

    def set_thumbnail(self, image: QImage) -> None:
        if image.isNull():
            return
        ratio = self.devicePixelRatioF()
        width, height = LINK_THUMBNAIL
        scaled = QPixmap.fromImage(image).scaled(
            round(width * ratio),
            round(height * ratio),
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        left = (scaled.width() - round(width * ratio)) // 2
        top = (scaled.height() - round(height * ratio)) // 2
        cropped = scaled.copy(left, top, round(width * ratio), round(height * ratio))
        cropped.setDevicePixelRatio(ratio)
        self.thumbnail.setPixmap(cropped)

    def restyle(self) -> None:
        muted = css_colour(muted_colour(self.palette()))
        line = css_colour(line_colour(self.palette()))
        self.setStyleSheet(
            f"QFrame#previewLink {{ border: 1px solid {line}; border-radius: 8px; }}"
            f" QLabel#previewLinkHost {{ color: {muted}; }}"
            f" QLabel#previewLinkThumbnail {{ background: {line}; }}"
        )
