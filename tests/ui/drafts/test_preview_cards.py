"""Studio's variation cards fold where the composer's preview folds on desktop: the same rule,
measured in the feed's font, on the text the reader sees, with LinkedIn's blue words."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextDocument
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.fold import DESKTOP, SEE_MORE, approximate_width, fold_index
from linkie_desktop.domain.little_text import mention, reader_text
from linkie_desktop.ui.drafts.preview import PostPreview
from linkie_desktop.ui.studio.cards import VariationCard
from linkie_desktop.ui.widgets.feed_text import feed_measure

# Wide letters: the feed font's widths and the character estimate disagree on where this folds.
WIDE = "WWW MMM mmm www " * 12 + "and then #more"
WITH_MENTION = f"{mention('Ada Lovelace', 'urn:li:person:ada1')} " * 20 + "#tail text"


def _plain(markup: str) -> str:
    document = QTextDocument()
    document.setHtml(markup)
    return document.toPlainText()


def test_a_card_folds_where_the_desktop_preview_folds(qtbot: QtBot) -> None:
    for text in (WIDE, WITH_MENTION):
        seen = reader_text(text)
        measured = fold_index(seen, DESKTOP, feed_measure())
        assert measured is not None
        card = VariationCard(0)
        qtbot.addWidget(card)
        card.set_text(text)
        preview = PostPreview()
        qtbot.addWidget(preview)
        preview.show_text(text)

        shown = _plain(card.body.text())
        assert shown == seen[:measured] + SEE_MORE
        assert shown.removesuffix(SEE_MORE) == preview.shown_text()
    # The estimate would have folded the wide text elsewhere: the card really is measured.
    assert fold_index(reader_text(WIDE), DESKTOP, approximate_width) != fold_index(
        reader_text(WIDE), DESKTOP, feed_measure()
    )


def test_a_card_shows_hashtags_and_mentions_in_blue_and_unfolds(qtbot: QtBot) -> None:
    card = VariationCard(0)
    qtbot.addWidget(card)
    card.set_text(WITH_MENTION)
    assert "urn:li:" not in card.body.text()
    document = QTextDocument()
    card.unfold_button.click()
    document.setHtml(card.body.text())
    assert document.toPlainText() == reader_text(WITH_MENTION)
    blue = QColor("#0A66C2").rgb()
    coloured: list[str] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().foreground().color().rgb() == blue:
                coloured.append(fragment.text())
            it += 1
        block = block.next()
    assert coloured == ["Ada Lovelace"] * 20 + ["#tail"]
