"""The post as LinkedIn's feed will show it: who it is from, when, and its text up to "…see more".

The text column is exactly the feed's (523 px on desktop, 343 px on a phone) in a font close to
LinkedIn's, and each line above the fold ends where the fold rule (domain/fold.py, measured with
that font) ended it, so the lines seen here are the lines the fold counted. What hides behind
"…see more" is shown below the card, muted and labelled.

Below the text the card shows what the post carries (`show_content`): its images, document, video,
poll or link card as the feed lays them out (preview_media.py, pictures decoded off the GUI
thread), then the action bar and the first comment; the header shows who may see the post.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, QSettings, Qt
from PySide6.QtGui import QFont, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.fold import DESKTOP, LAYOUTS, SEE_MORE, FeedLayout, hook_lines
from linkie_desktop.domain.post_content import PostContent, Visibility
from linkie_desktop.domain.schedule import to_local
from linkie_desktop.ui.drafts.feed_widths import Widths
from linkie_desktop.ui.drafts.post_footer import COMMENT_AVATAR_PX, ActionBar, FirstCommentView
from linkie_desktop.ui.drafts.preview_media import PreviewMedia
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.feed_text import (
    FEED_LINE_HEIGHT_PX,
    FeedText,
    above_fold_html,
    css_colour,
    feed_font,
    read_feed_text,
    text_html,
)
from linkie_desktop.ui.widgets.palette import muted_colour

__all__ = ["SEE_MORE", "PostPreview", "time_text"]

LAYOUT_KEY = "preview/layout"  # in the window-state file: the switch as the user left it
AVATAR_PX = 48  # LinkedIn's feed avatar
CARD_PADDING_PX = 16  # LinkedIn's feed card: 16 px each side of the text column
HIDDEN_LABEL = "Hidden until “…see more” is clicked:"
NOT_CONNECTED_NAME = "You"  # no LinkedIn account connected: the post is still yours
PLACEHOLDER = "Your post will appear here as LinkedIn shows it."
# The header's sign of who may see the post, after the time, as LinkedIn shows it.
VISIBILITY_ICONS = {Visibility.PUBLIC: "🌐", Visibility.CONNECTIONS: "👥"}
VISIBILITY_WORDS = {
    Visibility.PUBLIC: "Anyone on or off LinkedIn can see this post",
    Visibility.CONNECTIONS: "Only your connections can see this post",
}


def time_text(when: datetime | None, now: datetime | None = None) -> str:
    """The header's time: "now" for a draft, else the scheduled time in local time
    ("Tue 3 Dec · 09:30", with the year when it is not this year's)."""
    if when is None:
        return "now"
    local = to_local(when)
    this_year = to_local(now or utc_now()).year
    year = "" if local.year == this_year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year} · {local:%H:%M}"


def _initial(name: str) -> str:
    return next((char.upper() for char in name if char.isalnum()), "?")


def avatar_pixmap(
    name: str, picture: QPixmap | None, palette: QPalette, size: int, ratio: float = 1.0
) -> QPixmap:
    """A round avatar: the picture cropped to a circle, or the name's first letter on the
    accent colour when there is no picture."""
    device = max(1, math.ceil(size * ratio))
    out = QPixmap(device, device)
    out.setDevicePixelRatio(ratio)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    circle = QPainterPath()
    bounds = QRectF(0, 0, size, size)
    circle.addEllipse(bounds)
    painter.setClipPath(circle)
    if picture is not None and not picture.isNull():
        scaled = picture.scaled(
            device,
            device,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(ratio)
        left = (scaled.width() / ratio - size) / 2
        top = (scaled.height() / ratio - size) / 2
        painter.drawPixmap(
            QRectF(-left, -top, scaled.width() / ratio, scaled.height() / ratio),
            scaled,
            QRectF(scaled.rect()),
        )
    else:
        painter.fillRect(bounds, palette.color(QPalette.ColorRole.Highlight))
        letter = QFont(feed_font())
        letter.setPixelSize(round(size * 0.42))
        letter.setWeight(QFont.Weight.DemiBold)
        painter.setFont(letter)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(bounds, Qt.AlignmentFlag.AlignCenter, _initial(name))
    painter.end()
    return out


class PostPreview(QWidget):
    """A feed card of the post with a Desktop / Mobile switch; the hidden rest below it."""

    def __init__(
        self, remembered: QSettings | None = None, tasks: TaskRunner | None = None
    ) -> None:
        """`tasks`: the window's task runner, which decodes the attachments' pictures; without
        one (a preview on its own) the preview keeps a runner of its own."""
        super().__init__()
        named(self, "composerPreview", "Preview as LinkedIn shows it")
        self._remembered = remembered
        self._tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self._text = ""
        self._when: datetime | None = None
        self._visibility = Visibility.PUBLIC
        self._comment: str | None = None
        self._name = NOT_CONNECTED_NAME
        self._picture: QPixmap | None = None
        self._feed_layout = self._remembered_layout()
        self.feed: FeedText = read_feed_text("", self._feed_layout)

        self.switch = QButtonGroup(self)
        self.switch.setExclusive(True)
        self.layout_buttons: dict[str, QPushButton] = {}
        switch_row = QHBoxLayout()
        switch_row.setContentsMargins(0, 0, 0, 0)
        switch_row.setSpacing(0)
        for feed_layout in LAYOUTS:
            button = named(
                QPushButton(feed_layout.name),
                f"preview{feed_layout.name}",
                f"Preview on {feed_layout.name.lower()}",
                f"Show the post as LinkedIn's {feed_layout.name.lower()} feed shows it",
            )
            button.setCheckable(True)
            button.setChecked(feed_layout == self._feed_layout)
            button.toggled.connect(lambda on, chosen=feed_layout: self._switched(on, chosen))
            self.switch.addButton(button)
            self.layout_buttons[feed_layout.name] = button
            switch_row.addWidget(button)
        switch_row.addStretch(1)
        # The chosen side filled with the accent: a style's own "pressed" look is barely visible
        # in some dark palettes.
        self.setStyleSheet(
            "QPushButton#previewDesktop:checked, QPushButton#previewMobile:checked {"
            " background: palette(highlight); color: palette(highlighted-text);"
            " border: 1px solid palette(highlight); border-radius: 3px; padding: 4px 12px; }"
        )

        # The hook helper: the opening two lines, their length, and whether the feed shows each
        # whole before "…see more" at the layout chosen (domain.fold.hook_lines).
        self.hook = named(QLabel(), "hookHelper", "Opening lines")
        self.hook.setWordWrap(True)
        self.hook.setTextFormat(Qt.TextFormat.PlainText)

        self.card = named(QFrame(), "previewCard", "Feed card")
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setBackgroundRole(QPalette.ColorRole.Base)
        self.card.setAutoFillBackground(True)
        self.avatar = named(QLabel(), "previewAvatar", "Profile picture")
        self.avatar.setFixedSize(AVATAR_PX, AVATAR_PX)
        self.name_label = named(QLabel(), "previewName", "Posting as")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label = named(QLabel(), "previewTime", "Post time")
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self._body = named(QLabel(), "previewBody", "Preview text")
        self._body.setTextFormat(Qt.TextFormat.RichText)
        self._body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._body.setFont(feed_font())

        self.hidden_heading = named(QLabel(HIDDEN_LABEL), "previewHiddenHeading", "Hidden text")
        self._hidden = named(QLabel(), "previewHidden", "Text hidden behind see more")
        self._hidden.setTextFormat(Qt.TextFormat.RichText)
        self._hidden.setWordWrap(True)
        self._hidden.setFont(feed_font())
        self._hidden.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._hidden.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # In line with the card's text column, so the rest wraps at the feed's width too.
        for below in (self.hidden_heading, self._hidden):
            below.setContentsMargins(CARD_PADDING_PX, 0, CARD_PADDING_PX, 0)

        self.media = PreviewMedia(self._tasks, self._widths())
        self.action_bar = ActionBar()
        self.first_comment = FirstCommentView()
        self.first_comment.hide()

        self._arrange(switch_row)
        self._style_header()
        self.show_text("")
        self.show_time(None)
        self.show_profile(NOT_CONNECTED_NAME, None)

    def _arrange(self, switch_row: QHBoxLayout) -> None:
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(self.name_label)
        who.addWidget(self.time_label)
        who.addStretch(1)
        header.addLayout(who, 1)
        # The card holds what LinkedIn draws: header and text in the padded column, the media
        # edge to edge of the card, then the action bar and the first comment, padded again.
        text = QVBoxLayout()
        text.setContentsMargins(CARD_PADDING_PX, 0, CARD_PADDING_PX, 0)
        text.setSpacing(8)
        text.addLayout(header)
        text.addWidget(self._body)
        below = QVBoxLayout()
        below.setContentsMargins(CARD_PADDING_PX, 0, CARD_PADDING_PX, 0)
        below.setSpacing(4)
        below.addWidget(self.action_bar)
        below.addWidget(self.first_comment)
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(0, 12, 0, 8)
        self.card_layout.setSpacing(8)
        self.card_layout.addLayout(text)
        self.card_layout.addWidget(self.media)
        self.card_layout.addLayout(below)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(switch_row)
        layout.addWidget(self.hook)
        # Each in a row with a stretch rather than aligned left: an aligned item gets its size
        # hint, whose height ignores word wrap, and wrapped text (a comment, the hidden rest)
        # was cut off; a row passes the height its width needs (heightForWidth) on.
        for widget in (self.card, self._hidden):
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(widget)
            row.addStretch(1)
            layout.addLayout(row)
            if widget is self.card:
                layout.addWidget(self.hidden_heading)
        layout.addStretch(1)
        self._size_to_layout()

    def _style_header(self) -> None:
        name_font = QFont(feed_font())
        name_font.setWeight(QFont.Weight.DemiBold)
        self.name_label.setFont(name_font)
        small = QFont(feed_font())
        small.setPixelSize(12)
        self.time_label.setFont(small)
        self.hidden_heading.setFont(small)
        muted = f"color: {css_colour(muted_colour(self.palette()))};"
        self.time_label.setStyleSheet(muted)
        self.hidden_heading.setStyleSheet(muted)

    def _widths(self) -> Widths:
        column = math.ceil(self._feed_layout.width)
        widest = max(math.ceil(known.width) for known in LAYOUTS)
        return Widths(column + 2 * CARD_PADDING_PX, column, widest + 2 * CARD_PADDING_PX)

    def _size_to_layout(self) -> None:
        width = math.ceil(self._feed_layout.width)
        self._body.setFixedWidth(width)
        # The frame's own line is outside the padding, so the text column keeps its width.
        self.card.setFixedWidth(width + 2 * (CARD_PADDING_PX + self.card.frameWidth()))
        self._hidden.setFixedWidth(width + 2 * CARD_PADDING_PX)  # the feed's column, indented
        self.media.set_widths(self._widths())

    # --- the Desktop / Mobile switch ---------------------------------------------------------

    def _remembered_layout(self) -> FeedLayout:
        if self._remembered is None:
            return DESKTOP
        name = str(self._remembered.value(LAYOUT_KEY, DESKTOP.name))
        return next((known for known in LAYOUTS if known.name == name), DESKTOP)

    def _switched(self, on: bool, chosen: FeedLayout) -> None:
        if on:
            self.set_feed_layout(chosen)

    @property
    def feed_layout(self) -> FeedLayout:
        return self._feed_layout

    def set_feed_layout(self, feed_layout: FeedLayout) -> None:
        self.layout_buttons[feed_layout.name].setChecked(True)
        if feed_layout == self._feed_layout:
            return
        self._feed_layout = feed_layout
        if self._remembered is not None:
            self._remembered.setValue(LAYOUT_KEY, feed_layout.name)
        self._size_to_layout()
        self._render()

    # --- what is shown -----------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        self._text = text
        self._render()

    def show_profile(self, name: str, picture: QPixmap | None) -> None:
        """The member the post appears from ("": not connected, shown as "You"); no picture:
        their initial on the accent colour."""
        self._name = name or NOT_CONNECTED_NAME
        self._picture = picture
        self.name_label.setText(self._name)
        self._show_avatar()

    def show_time(self, when: datetime | None) -> None:
        """The post's time: None for "now" (a draft), else its scheduled instant (aware)."""
        self._when = when
        self._show_time_and_visibility()

    def _show_time_and_visibility(self) -> None:
        self.time_label.setText(f"{time_text(self._when)} • {VISIBILITY_ICONS[self._visibility]}")
        self.time_label.setAccessibleDescription(VISIBILITY_WORDS[self._visibility])
        self.time_label.setToolTip(VISIBILITY_WORDS[self._visibility])

    def show_content(self, content: PostContent, media_dir: Path) -> None:
        """What the post carries besides its text: the attachments below the text (their files
        in `media_dir`), who may see it (in the header) and its first comment (under the action
        bar)."""
        self._visibility = content.visibility
        self._show_time_and_visibility()
        comment = content.first_comment
        self._comment = comment.text if comment is not None else None
        self._show_comment()
        self.media.show_content(content, media_dir)

    def _show_comment(self) -> None:
        self.first_comment.setVisible(self._comment is not None)
        if self._comment is not None:
            avatar = avatar_pixmap(
                self._name,
                self._picture,
                self.palette(),
                COMMENT_AVATAR_PX,
                self.devicePixelRatioF(),
            )
            self.first_comment.show_comment(self._comment, self._name, avatar)

    def _show_avatar(self) -> None:
        self.avatar.setPixmap(
            avatar_pixmap(
                self._name, self._picture, self.palette(), AVATAR_PX, self.devicePixelRatioF()
            )
        )
        what = "Profile picture" if self._picture is not None else "Initial"
        self.avatar.setAccessibleName(f"{what} of {self._name}")
        self._show_comment()  # the comment is the author's too

    def _render(self) -> None:
        self.feed = read_feed_text(self._text, self._feed_layout)
        palette = self.palette()
        block = f"white-space:pre; line-height:{FEED_LINE_HEIGHT_PX}px"
        if not self._text.strip():
            muted = css_colour(muted_colour(palette))
            self._body.setText(f'<div style="{block}; color:{muted}">{PLACEHOLDER}</div>')
        else:
            self._body.setText(f'<div style="{block}">{above_fold_html(self.feed, palette)}</div>')
        self._show_hook()
        hidden = self.feed.hidden
        self.hidden_heading.setVisible(bool(hidden.strip()))
        self._hidden.setVisible(bool(hidden.strip()))
        if hidden.strip():
            start = len(self.feed.reader) - len(hidden.lstrip())
            muted = css_colour(muted_colour(palette))
            rest = text_html(self.feed, start, len(self.feed.reader), palette)
            self._hidden.setText(
                f'<div style="white-space:pre-wrap; line-height:{FEED_LINE_HEIGHT_PX}px;'
                f' color:{muted}">{rest}</div>'
            )
        else:
            self._hidden.clear()

    def _show_hook(self) -> None:
        found = hook_lines(self.feed.reader, self.feed.cut)
        words = [
            f"Line {line.number}: {line.length} characters, "
            + ("shown whole ✓" if line.fits else "cut by “…see more”")
            for line in found
        ]
        self.hook.setText(f"Hook ({self._feed_layout.name.lower()}) — " + " · ".join(words))
        self.hook.setVisible(bool(found))

    def body_html(self) -> str:
        """The preview's markup: the text above the fold, then the hidden rest."""
        return self._body.text() + self._hidden.text()

    def shown_text(self) -> str:
        """What the feed shows before "…see more", as the reader reads it."""
        return self.feed.shown

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # The colours are written into the markup: a new light/dark scheme redraws them.
            self._style_header()
            self._render()
            self._show_avatar()
            self.action_bar.restyle()
            self.first_comment.restyle()
            self.media.restyle()
