"""Spell checking of a post in its language: which words are misspelled, what to suggest, and the
user's own dictionary. No Qt: the composer's highlighter asks this module one line at a time.

Library: pyspellchecker (PyPI `pyspellchecker`, maintained, MIT). It is pure Python and ships
its dictionaries inside the wheel (word-frequency lists built from OpenSubtitles and Wiktionary
for English, Spanish, French, German, Portuguese, Italian, Dutch, Russian, Arabic, Basque,
Persian and Latvian), so it installs through uv.lock alone: no system package for
scripts/setup.sh, nothing for the .deb's Depends, and the same on Windows and macOS. The
alternative, pyenchant over Debian's hunspell dictionaries, has real morphology (it knows every
inflection of a word, British and American English apart), but needs libenchant-2 and one
hunspell-* package per language on every machine, and PyInstaller bundles do not carry them.
pyspellchecker's price, measured here: about 0.2 s (English) to 0.35 s (German) to load a
language, done off the GUI thread and read in pieces (`_filled_checker`) so the GUI thread keeps
running meanwhile; its English is American ("colour" is flagged until the
user adds it to their dictionary); checking is a dictionary look-up per word.

Suggestions at edit distance 1 take well under a millisecond; distance 2 (when distance 1 finds
nothing) takes up to about half a second for a long word, so callers run `suggestions` off the GUI
thread and may show `quick_suggestions` at once.

Not checked: hashtags, mentions (`@[Name](urn…)`, read by `little_text.pieces` as the sender
reads them), web and e-mail addresses, words in capitals (acronyms), words with a capital inside
(LinkedIn, iPhone), single letters, and words in the user's dictionary or ignored. Words in
Unicode bold or italic are checked as their plain letters.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from linkie_desktop.domain.little_text import Hashtag, Mention, pieces
from linkie_desktop.domain.posts import ValidationError, validate_draft_content
from linkie_desktop.domain.unicode_styles import plain
from linkie_desktop.services.snippets import write_private_text

if TYPE_CHECKING:
    from spellchecker import SpellChecker

log = logging.getLogger(__name__)

USER_WORDS_FILE = "spelling-words.txt"
FALLBACK_LANGUAGE = "en"
MAX_SUGGESTIONS = 5

# Every dictionary pyspellchecker ships, by its code, with the language's own name.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "nl": "Nederlands",
    "pt": "Português",
    "ru": "Русский",
    "lv": "Latviešu",
    "eu": "Euskara",
    "ar": "العربية",
    "fa": "فارسی",
}

# The commonest short words of each language: a post of a few lines holds several, and they are
# rarely shared. Enough to tell the post's language apart; the dictionaries are too big to load
# all of them just to guess.
_FUNCTION_WORDS_TEXT: dict[str, str] = {
    "en": (
        "the and of to is in that it for you with on are this be was have not but at your "
        "they we from what can will about my an our there their"
    ),
    "de": (
        "der die das und ist nicht ich sie es ein eine zu mit auf für den dem wir auch sich "
        "von im wie aber oder wenn noch nur mehr"
    ),
    "es": (
        "el la los las y es en que de un una por con para no se lo más pero como su al del "
        "está son muy también nos"
    ),
    "fr": (
        "le la les et est un une des du que qui pour pas dans sur avec ce il elle nous vous "
        "mais plus au aux sont cette être"
    ),
    "it": (
        "il lo gli e è di che un una per non con sono della del nel alla anche più ma come "
        "questo essere ho hanno"
    ),
    "nl": (
        "de het een en is van dat niet ik je we zijn op te voor met aan maar ook als bij "
        "om wat nog er heb"
    ),
    "pt": (
        "o os as e é de do da dos das que um uma para com não em no na por mais mas como "
        "você são também muito"
    ),
    "ru": "и в не на что я с он как это по но мы вы они все так его она к у же",
}
_FUNCTION_WORDS = {code: frozenset(words.split()) for code, words in _FUNCTION_WORDS_TEXT.items()}
_MIN_EVIDENCE = 3  # function words seen before a guess counts

_LETTERS = r"(?:[^\W\d_]|[\u0300-\u036f])"  # letters, and accents typed as combining marks
_WORD = re.compile(rf"[^\W\d_]{_LETTERS}*(?:['’][^\W\d_]{_LETTERS}*)*")
# Addresses and things like them: a scheme or www., an e-mail, a domain (linkie.app/path).
_ADDRESS_LIKE = re.compile(r"\S*(?:://|www\.)\S*|\S+@\S+\.\S+|[\w-]+(?:\.[A-Za-z]{2,})+(?:/\S*)?")
_APOSTROPHES = str.maketrans({"’": "'"})


def default_language(locale_name: str) -> str:
    """The language of the system's locale ("de_AT.UTF-8" -> "de") if there is a dictionary
    for it, else English."""
    code = locale_name.replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else FALLBACK_LANGUAGE


def detect_language(text: str) -> str | None:
    """The language the text is most likely in, from its function words; None when the text is
    too short or too mixed to tell."""
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for found in _WORD.finditer(text.lower()):
        word = found.group()
        for language, words in _FUNCTION_WORDS.items():
            if word in words:
                counts[language] += 1
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    (best, hits), (_second, runner_up) = ranked[0], ranked[1]
    if hits < _MIN_EVIDENCE or hits < runner_up * 1.5:
        return None
    return best


@dataclass(frozen=True)
class Misspelling:
    start: int  # offsets in the checked text (Python string indexes)
    end: int
    word: str  # as typed


class Dictionary:
    """One language's words. Made by `load_dictionary` (slow: off the GUI thread)."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"No spelling dictionary for {language!r}.")
        self.language = language
        self._checker = _filled_checker(language)

    def knows(self, word: str) -> bool:
        if word in self._checker:
            return True
        # A possessive of a word it knows, or of a name ("Ada's").
        return word.endswith("'s") and word[:-2] in self._checker

    def quick_suggestions(self, word: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """The words one edit away (fast enough for the GUI thread)."""
        return self._ranked(word, self._checker.known(self._checker.edit_distance_1(word)), limit)

    def suggestions(self, word: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Up to `limit` likely words, the commonest first, in the case the word was typed in
        (up to half a second for a long word: off the GUI thread)."""
        quick = self.quick_suggestions(word, limit)
        if quick:
            return quick
        return self._ranked(word, self._checker.candidates(word) or set(), limit)

    def _ranked(self, word: str, found: Iterable[str], limit: int) -> list[str]:
        lowered = word.lower()
        ranked = sorted(
            (w for w in found if w != lowered),
            key=lambda w: (-self._checker.word_usage_frequency(w), w),
        )
        return [_in_case_of(word, w) for w in ranked[:limit]]


def _in_case_of(typed: str, suggestion: str) -> str:
    if typed[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


# The word lists hold one entry a line and a JSON string holds no raw line break, so a comma that
# ends a line always ends an entry: the list can be parsed a piece at a time.
_ENTRY_END = re.compile(r",\r?\n")
_PIECE_CHARS = 64_000  # a piece parses in about 2 ms
_WORDS_PER_PAUSE = 20_000


def _pause() -> None:
    """Let the GUI thread have the GIL: one `json.loads` of a whole word list, or one C call over
    every word, holds it for 40-150 ms, and the window freezes that long."""
    time.sleep(0)


def _word_counts(language: str) -> dict[str, int]:
    """The language's bundled word list (one JSON object) as pyspellchecker's own `json.loads`
    reads it (a word written twice keeps its last count), parsed in pieces; a list written on
    one line is one piece."""
    # Imported here, as spellchecker is: not with the composer, which may never load a dictionary.
    import gzip
    import pkgutil

    raw = pkgutil.get_data("spellchecker", f"resources/{language}.json.gz")
    if raw is None:
        raise ValueError(f"No spelling dictionary for {language!r}.")
    text = gzip.decompress(raw).decode("utf-8").strip()
    body, counts, start = text[1:-1], dict[str, int](), 0
    while start < len(body):
        cut = _ENTRY_END.search(body, start + _PIECE_CHARS)
        end = cut.start() if cut else len(body)
        counts.update(json.loads("{" + body[start:end] + "}"))
        start = cut.end() if cut else end
        _pause()
    return counts


def _filled_checker(language: str) -> SpellChecker:
    """The checker `SpellChecker(language=language, distance=2)` builds, the same words, counts
    and statistics, built without holding the GIL for long."""
    # Imported here, on the worker that loads the first dictionary, not with the composer.
    from spellchecker import SpellChecker

    counts = _word_counts(language)
    checker = SpellChecker(language=None, distance=2)
    frequency = checker.word_frequency
    words = frequency.dictionary  # the library's Counter itself
    lowered = {word.lower(): count for word, count in counts.items()}  # as load_json does
    if len(lowered) != len(counts):
        # No bundled list holds words differing only in case; one that does is summed by the
        # library itself, in one long hold of the GIL.
        frequency.load_json(counts)
        return checker
    words.update(lowered)  # into the empty Counter: one dict copy, a few ms
    _pause()
    # The statistics WordFrequency._update_dictionary derives after a load, computed a slice at a
    # time. Its only public trigger (load_json, load_words...) recomputes them over every word in
    # single C calls: `set().union(*keys)` alone holds the GIL ~40 ms for German. So they are
    # set on its private slots; tests compare every public figure with the library's own load.
    longest, total, letters = 0, 0, set[str]()
    keys = iter(words)
    while chunk := list(itertools.islice(keys, _WORDS_PER_PAUSE)):
        longest = max(longest, *map(len, chunk))
        total += sum(words[word] for word in chunk)
        letters.update(*chunk)
        _pause()
    frequency._longest_word_length = longest
    frequency._total_words = total
    frequency._unique_words = len(words)
    frequency._letters = letters
    return checker


_loaded: dict[str, Dictionary] = {}
_loading: dict[str, threading.Lock] = {}
_loading_guard = threading.Lock()


def load_dictionary(language: str) -> Dictionary:
    """The dictionary of `language`, loaded once per process (every composer shares it): a
    second caller while it loads waits for that load instead of making its own."""
    with _loading_guard:
        lock = _loading.setdefault(language, threading.Lock())
    with lock:
        if language not in _loaded:
            _loaded[language] = Dictionary(language)
        return _loaded[language]


def checkable_words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word as it is looked up) of each word of `text` that spell checking reads."""
    skipped = _skipped_ranges(text)
    for found in _WORD.finditer(text):
        start, end = found.span()
        if any(a <= start < b for a, b in skipped):
            continue
        if start > 0 and text[start - 1] in "@#":
            continue  # a handle or a tag LinkedIn did not make a hashtag: a name, not a word
        word = unicodedata.normalize("NFC", plain(found.group())).translate(_APOSTROPHES)
        letters = word.replace("'", "")
        if len(letters) < 2 or letters.isupper() or any(c.isupper() for c in letters[1:]):
            continue  # single letters, acronyms (KPI, B2B), names like LinkedIn or iPhone
        yield start, end, word


def _skipped_ranges(text: str) -> list[tuple[int, int]]:
    ranges = [found.span() for found in _ADDRESS_LIKE.finditer(text)]
    position = 0
    for piece in pieces(text):
        if isinstance(piece, Mention):
            length = len(f"@[{piece.name}]({piece.urn})")  # the stored form pieces() matched
        else:
            length = len(piece.text)
        if isinstance(piece, Hashtag | Mention):
            ranges.append((position, position + length))
        position += length
    return ranges


@dataclass
class SpellCheck:
    """A dictionary and the words the user accepts (their dictionary and what they ignored)."""

    dictionary: Dictionary
    accepted: set[str] = field(default_factory=set)  # casefolded

    def accepts(self, word: str) -> bool:
        return word.casefold() in self.accepted or self.dictionary.knows(word)

    def misspellings(self, text: str) -> list[Misspelling]:
        return [
            Misspelling(start, end, text[start:end])
            for start, end, word in checkable_words(text)
            if not self.accepts(word)
        ]

    def lookup_form(self, typed: str) -> str:
        """The word as the dictionary is asked about it (styled letters made plain)."""
        return unicodedata.normalize("NFC", plain(typed)).translate(_APOSTROPHES)


class UserWordsDamaged(Exception):  # noqa: N818 - reads as the sentence it reports
    """The user's dictionary cannot be read; the message says where it is."""


class UserWords:
    """The user's own dictionary: one word a line in a private file of the data folder, shared by
    every language (names and trade words are rarely a language's own)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def path(self) -> Path:
        return self.folder / USER_WORDS_FILE

    def load(self) -> list[str]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise UserWordsDamaged(
                f"Your spelling dictionary {self.path} cannot be read ({exc}); Linkie left it as "
                "it is. Fix it or move it away to add words again."
            ) from exc
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def add(self, word: str) -> list[str]:
        """Keep `word` (atomically: a temporary file, then os.replace); the words after it."""
        word = word.strip()
        try:
            validate_draft_content(word)
        except ValidationError as exc:
            raise UserWordsDamaged(str(exc)) from exc
        if not word or any(c.isspace() for c in word):
            raise UserWordsDamaged("Only a single word can be added to the dictionary.")
        words = self.load()
        if word.casefold() in {w.casefold() for w in words}:
            return words
        words.append(word)
        write_private_text(self.path, "".join(f"{w}\n" for w in words))
        return words
