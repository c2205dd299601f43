"""Below a post in LinkedIn's feed: the action bar (Like · Comment · Repost · Send), and under it
the post's first comment as it will appear once Linkie has sent it.

The comment is shown as plain text, exactly as written: it is sent as plain text (the Comments
API's `message.text` is not little text, LINKEDIN-API.md), so it carries no hashtag or mention
markup, and LinkedIn does not document linking anything in a comment sent that way. No blue words
here, then: the preview promises only what the contract says will happen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.feed_text import css_colour, feed_font
from linkie_desktop.ui.widgets.palette import muted_colour

ACTIONS = ("Like", "Comment", "Repost", "Send")
COMMENT_AVATAR_PX = 32  # LinkedIn's comment avatar


def line_colour(palette: QPalette) -> QColor:
    """LinkedIn's hairlines (the divider over the actions, a card's border): a light touch of
    the text colour on the card, in either scheme."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (text.red() * 20 + base.red() * 80) // 100,
        (text.green() * 20 + base.green() * 80) // 100,
        (text.blue() * 20 + base.blue() * 80) // 100,
    )


def _font(px: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont(feed_font())
    font.setPixelSize(px)
    font.setWeight(weight)
    return font


class ActionBar(QFrame):
    """The four actions under every post, muted: the preview shows where they are, not buttons."""

    def __init__(self) -> None:
        super().__init__()
        named(self, "previewActions", "Like, Comment, Repost, Send")
        self.labels: list[QLabel] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 0)
        for action in ACTIONS:
            label = named(QLabel(action), f"previewAction{action}", action)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFont(_font(14, QFont.Weight.DemiBold))
            self.labels.append(label)
            row.addWidget(label, 1)
        self.restyle()

    def restyle(self) -> None:
        muted = css_colour(muted_colour(self.palette()))
        line = css_colour(line_colour(self.palette()))
        self.setStyleSheet(
            f"QFrame#previewActions {{ border-top: 1px solid {line}; }}"
            f" QLabel {{ color: {muted}; padding: 6px 0; }}"
        )


class FirstCommentView(QWidget):
    """The author's avatar and the comment in a grey bubble, name in bold, text as written."""

    def __init__(self) -> None:
        super().__init__()
        named(self, "previewFirstComment", "First comment")
        self.avatar = named(QLabel(), "previewCommentAvatar", "Comment author")
        self.avatar.setFixedSize(COMMENT_AVATAR_PX, COMMENT_AVATAR_PX)
        self.bubble = named(QFrame(), "previewCommentBubble", "Comment")
        self.name_label = named(QLabel(), "previewCommentName", "Comment author")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setFont(_font(14, QFont.Weight.DemiBold))
        self.text_label = named(QLabel(), "previewCommentText", "Comment text")
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)  # never styled: see the module
        self.text_label.setWordWrap(True)
        self.text_label.setFont(_font(14))
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inside = QVBoxLayout(self.bubble)
        inside.setContentsMargins(12, 8, 12, 10)
        inside.setSpacing(2)
        inside.addWidget(self.name_label)
        inside.addWidget(self.text_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.bubble, 1)
        self.restyle()

    def show_comment(self, text: str, name: str, avatar: QPixmap) -> None:
        self.text_label.setText(text)
        self.name_label.setText(name)
        self.avatar.setPixmap(avatar)
        self.avatar.setAccessibleName(f"Picture of {name}")

    def restyle(self) -> None:
        self.bubble.setStyleSheet(
            "QFrame#previewCommentBubble { background: palette(alternate-base);"
            " border-radius: 8px; }"
        )
