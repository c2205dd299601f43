"""Spell checking with pyspellchecker's real dictionaries: what is flagged, what is not read at
all (hashtags, mentions, addresses, acronyms), suggestions, the language guess and the user's
own dictionary file."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from spellchecker import SpellChecker

from linkie_desktop.domain.unicode_styles import Style, styled
from linkie_desktop.services import spelling
from linkie_desktop.services.spelling import (
    LANGUAGES,
    SpellCheck,
    UserWords,
    UserWordsDamaged,
    default_language,
    detect_language,
    load_dictionary,
)


@pytest.fixture(scope="module")
def english() -> SpellCheck:
    return SpellCheck(load_dictionary("en"))


def flagged(check: SpellCheck, text: str) -> list[str]:
    return [m.word for m in check.misspellings(text)]


def test_misspelled_words_are_flagged_with_their_place(english: SpellCheck) -> None:
    text = "I recieve teh newsletter every week."
    found = english.misspellings(text)
    assert [(m.word, text[m.start : m.end]) for m in found] == [
        ("recieve", "recieve"),
        ("teh", "teh"),
    ]


def test_hashtags_mentions_addresses_and_names_are_not_read(english: SpellCheck) -> None:
    text = (
        "#productivty @[Ada Lovelaec](urn:li:person:abc123) see https://exmple.com/pth, "
        "www.wrng.org, linkie.app/helpp, me@exmple.com, @handel, LinkedIn, KPIs, B2B, SaaS, "
        "iPhone, I, a"
    )
    assert flagged(english, text) == []


def test_styled_words_are_checked_as_their_letters(english: SpellCheck) -> None:
    text = styled("bold", Style.BOLD) + " " + styled("wrod", Style.ITALIC)
    assert flagged(english, text) == [styled("wrod", Style.ITALIC)]
    assert english.lookup_form(styled("wrod", Style.ITALIC)) == "wrod"


def test_apostrophes_and_possessives(english: SpellCheck) -> None:
    assert flagged(english, "Don’t miss Ada’s talk, it's great") == []


def test_suggestions_commonest_first_in_the_typed_case(english: SpellCheck) -> None:
    dictionary = english.dictionary
    assert dictionary.suggestions("recieve")[0] == "receive"
    assert dictionary.suggestions("Teh")[0] == "The"
    assert len(dictionary.suggestions("teh")) <= 5
    # Nothing one edit away: the slower search two edits away finds it.
    assert dictionary.quick_suggestions("leadrshp") == []
    assert dictionary.suggestions("leadrshp") == ["leadership"]


def test_accepted_words_are_not_flagged(english: SpellCheck) -> None:
    check = SpellCheck(english.dictionary, accepted={"onboarding"})
    assert flagged(check, "Onboarding done") == []


def test_other_languages_have_their_dictionaries() -> None:
    german = SpellCheck(load_dictionary("de"))
    assert flagged(german, "Ich habe heute einen Beitrag geschriebn") == ["geschriebn"]


def test_the_language_is_guessed_from_the_text() -> None:
    assert detect_language("This is what I learned about hiring, and why it matters to you") == "en"
    assert detect_language("Das ist nicht der Weg, den wir mit dem Team gehen wollen") == "de"
    assert detect_language("Esta es la historia de un equipo que no se rindió") == "es"
    assert detect_language("C'est une idée que nous avons eue pour les équipes") == "fr"
    assert detect_language("Great news") is None  # too little to tell


def test_default_language_follows_the_locale_when_a_dictionary_exists() -> None:
    assert default_language("de_AT.UTF-8") == "de"
    assert default_language("pt-BR") == "pt"
    assert default_language("ja_JP") == "en"
    assert default_language("C") == "en"
    assert set(LANGUAGES) >= {"en", "de", "es", "fr", "it", "nl", "pt", "ru"}


def test_user_words_are_kept_privately_once(tmp_path: Path) -> None:
    words = UserWords(tmp_path / "data")
    assert words.load() == []
    words.add("Linkie")
    assert words.add("linkie") == ["Linkie"]
    words.add("onboarding")
    assert UserWords(tmp_path / "data").load() == ["Linkie", "onboarding"]
    assert stat.S_IMODE(words.path.stat().st_mode) == 0o600
    with pytest.raises(UserWordsDamaged, match="single word"):
        words.add("two words")


def test_an_unreadable_user_dictionary_is_not_overwritten(tmp_path: Path) -> None:
    words = UserWords(tmp_path / "data")
    words.folder.mkdir()
    words.path.write_bytes(b"caf\xe9\n")  # Latin-1, not UTF-8
    with pytest.raises(UserWordsDamaged, match="left it as it is"):
        words.add("word")
    assert words.path.read_bytes() == b"caf\xe9\n"


@pytest.mark.parametrize("language", ["en", "de", "fa"])  # fa: its lines end in \r\n
def test_the_dictionary_read_in_pieces_is_the_librarys_own(language: str) -> None:
    ours = spelling._filled_checker(language).word_frequency
    library = SpellChecker(language=language, distance=2).word_frequency
    assert ours.dictionary == library.dictionary
    assert list(ours.dictionary) == list(library.dictionary)  # the same order too
    assert ours.letters == library.letters
    assert ours.total_words == library.total_words
    assert ours.unique_words == library.unique_words
    assert ours.longest_word_length == library.longest_word_length


def test_callers_at_once_share_one_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spelling, "_loaded", {})  # a first load in this process, whatever ran
    start = threading.Barrier(3)
    got: list[object] = []

    def load() -> None:
        start.wait()
        got.append(load_dictionary("nl"))

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(got) == 3
    assert got[0] is got[1] is got[2]
    assert load_dictionary("nl") is got[0]
