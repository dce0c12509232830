"""Offline language identification for short answers: which language is this free text written in?

Guth offers English, Gàidhlig, Arabic, Polish and Ukrainian, and children mix them, so the page's language is
only a hint. The script decides first (Arabic letters, Cyrillic, Latin); within a script, Google's CLD2 (pycld2,
Apache 2.0, its tables compiled into the wheel) votes, and a short list of each language's commonest words
(``data/safeguarding/lang_cues.tsv``) and its letters (Polish ą ę ł ś ż, Gàidhlig à è ì ò ù, Ukrainian і ї є ґ)
settle short texts, where CLD2 alone is unreliable (it reads "ok" as Dutch).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SUPPORTED = ("en", "gd", "ar", "pl", "uk")
# What CLD2 may call a Scottish child's English.
ENGLISH_VARIETIES = ("sco", "en")
NAMES = {
    "en": "English", "gd": "Gàidhlig", "ar": "Arabic", "pl": "Polish", "uk": "Ukrainian", "ru": "Russian",
    "ur": "Urdu", "fa": "Persian", "ps": "Pashto", "ku": "Kurdish", "so": "Somali", "ro": "Romanian",
    "lt": "Lithuanian", "lv": "Latvian", "sk": "Slovak", "cs": "Czech", "pt": "Portuguese", "es": "Spanish",
    "fr": "French", "de": "German", "it": "Italian", "tr": "Turkish", "ga": "Irish", "cy": "Welsh",
    "zh": "Chinese", "sco": "Scots", "ti": "Tigrinya", "am": "Amharic", "bn": "Bengali", "pa": "Punjabi", "hi": "Hindi",
    "und": "unknown",
}

_DATA = Path(__file__).parent / "data" / "safeguarding" / "lang_cues.tsv"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_PL_LETTERS = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")
_GD_LETTERS = re.compile(r"[àèìòùÀÈÌÒÙ]")
# Characters that carry no language and can break a C library: controls, bidi and zero-width marks.
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]")

# Built-in cue words, used when the data file is absent (the file adds more).
_BUILTIN_CUES = {
    "en": "the and is are was my me i you he she it to of in at not don't can't with when home school".split(),
    "gd": "agus tha bha chan cha nach mi thu e i sinn sibh iad air aig ann anns orm leam dhomh gu gun seo sin "
          "ach ri bho bidh bithidh airson nuair an na nam nan mo do".split(),
    "pl": "i w na nie się że jest mnie mój moja mam to jak ale do z za od po tak tylko bardzo jestem".split(),
    "uk": "і в на не що я мене мій моя це як але до з за від по так тільки дуже він вона".split(),
    "ar": "في من على أن إلى لا ما هو هي أنا عن مع كان هذا هذه".split(),
}


@dataclass(frozen=True)
class LanguageGuess:
    """The language of a text: an ISO 639-1 code ("und" when there is nothing to read), how sure, and whether
    the guess is reliable enough to act on; ``others`` lists other supported languages seen in the text."""

    code: str
    confidence: float
    reliable: bool
    others: tuple[str, ...] = ()

    @property
    def supported(self) -> bool:
        return self.code in SUPPORTED

    @property
    def name(self) -> str:
        return NAMES.get(self.code, self.code)


@lru_cache(maxsize=1)
def _cues() -> dict[str, frozenset[str]]:
    cues: dict[str, set[str]] = {k: set(v) for k, v in _BUILTIN_CUES.items()}
    if _DATA.is_file():
        for line in _DATA.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#") or "\t" not in line:
                continue
            lang, word = line.split("\t", 1)
            cues.setdefault(lang.strip(), set()).add(_fold(word.strip()))
    return {k: frozenset(_fold(w) for w in v) for k, v in cues.items()}


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word.lower().replace("’", "'"))


def _cld(text: str) -> tuple[str, int, bool]:
    """CLD2's best guess: (code, percent of text, reliable)."""
    try:
        import pycld2
    except ImportError:  # pragma: no cover - pycld2 is a dependency; without it only the cues vote
        return "und", 0, False
    try:
        reliable, _, details = pycld2.detect(text, bestEffort=True)
    except Exception:  # pycld2.error on text it cannot parse
        return "und", 0, False
    code, pct = details[0][1], details[0][2]
    if code in ("un", "xxx"):
        return "und", 0, False
    return code.split("-")[0], pct, bool(reliable)


@lru_cache(maxsize=1)
def _cue_index() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Each cue word's languages (one dict look-up per word instead of one per word and language), and the
    languages in ``_cues()`` order."""
    cues = _cues()
    index: dict[str, tuple[str, ...]] = {}
    for lang, ws in cues.items():
        for w in ws:
            index[w] = (*index.get(w, ()), lang)
    return index, tuple(cues)


def _hits(words: list[str]) -> dict[str, int]:
    """How many of the words are each language's cue words (every language of ``_cues()``, in its order)."""
    index, langs = _cue_index()
    hits = dict.fromkeys(langs, 0)
    for w in words:
        for lang in index.get(w, ()):
            hits[lang] += 1
    return hits


# The most the CLD2 vote can add to one language's score in the Latin-script decision (1.5 + 2.0 * 100/100).
_CLD_MAX_BONUS = 3.5


def detect_language(text: str, hint: str | None = None) -> LanguageGuess:
    """Guess the language of one answer.

    Args:
        text: the answer as typed.
        hint: the page's language, used only where the text itself does not say (a two-word answer).
    """
    return _detect(text, hint, True)  # type: ignore[return-value]


def language_code(text: str, hint: str | None = None) -> str:
    """``detect_language(text, hint).code``, without asking CLD2 where its vote cannot change the code.

    In Latin script CLD2 adds at most 3.5 to one language's cue-word score and can name another language only
    when under 40% of a four-word answer's words are cues of the best one; an answer whose English cue
    words outscore Gàidhlig's and Polish's by more than that, and make up 40% of its words (or that has under
    four words), is English whatever CLD2 says. Confidence and reliability do depend on CLD2: callers that
    need them use ``detect_language``.
    """
    guess = _detect(text, hint, False)
    return guess if isinstance(guess, str) else guess.code


def _detect(text: str, hint: str | None, full: bool) -> LanguageGuess | str:
    clean = _INVISIBLE.sub("", unicodedata.normalize("NFC", text or ""))
    if clean.isascii():
        # ASCII: folding a word is lowercasing it, and there are no Arabic, Cyrillic, Polish or Gàidhlig
        # letters; any word is made of Latin letters, so the script is Latin (the same answer as below).
        words = _WORD.findall(clean.lower())
        if not words:
            return LanguageGuess("und", 0.0, False)
        return _latin(clean, words, _hits(words), hint, full, pl_letters=False, gd_letters=False)
    words = [_fold(w) for w in _WORD.findall(clean)]
    if not words:
        return LanguageGuess("und", 0.0, False)
    arabic = len(_ARABIC.findall(clean))
    cyrillic = len(_CYRILLIC.findall(clean))
    latin = len(_LATIN.findall(clean))
    letters = arabic + cyrillic + latin
    hits = _hits(words)
    others = tuple(sorted(lang for lang, n in hits.items() if n and lang in SUPPORTED))
    if letters == 0:  # letters of another script only (Chinese, Bengali, Amharic…)
        code, pct, reliable = _cld(clean)
        return LanguageGuess(code, pct / 100 if code != "und" else 0.0, code != "und" and reliable, others)
    if arabic >= max(cyrillic, latin):
        code, pct, reliable = _cld(clean)
        if code in ("fa", "ur", "ps", "ku", "sd", "ug") and reliable and pct >= 80:
            return LanguageGuess(code, pct / 100, True, others)
        return LanguageGuess("ar", max(0.9, arabic / letters), True, others)
    if cyrillic >= latin:
        code, pct, reliable = _cld(clean)
        if _UK_LETTERS.search(clean) or code == "uk":
            return LanguageGuess("uk", 0.95 if _UK_LETTERS.search(clean) else max(0.7, pct / 100), True, others)
        if _RU_LETTERS.search(clean) or code == "ru":
            return LanguageGuess("ru", max(0.7, pct / 100), True, others)
        if code not in ("und",) and reliable:
            return LanguageGuess(code, pct / 100, True, others)
        # Cyrillic with no letter that tells: Ukrainian is the Cyrillic language Guth offers.
        return LanguageGuess("uk", 0.5, False, others)
    return _latin(clean, words, hits, hint, full, pl_letters=bool(_PL_LETTERS.search(clean)),
                  gd_letters=bool(_GD_LETTERS.search(clean)))


def _latin(clean: str, words: list[str], hits: dict[str, int], hint: str | None, full: bool, *,
           pl_letters: bool, gd_letters: bool) -> LanguageGuess | str:
    """The Latin-script decision (``full`` False: the code alone may be returned, as a str)."""
    score = {lang: float(hits.get(lang, 0)) for lang in ("en", "gd", "pl")}
    if not full:
        # Without CLD2's vote (its letters' bonuses are exact sums of small numbers).
        gd = score["gd"] + (1.5 if gd_letters else 0.0)
        pl = score["pl"] + (2.0 if pl_letters else 0.0)
        if score["en"] > max(gd, pl) + _CLD_MAX_BONUS and (len(words) < 4 or hits.get("en", 0) >= 0.4 * len(words)):
            return "en"  # see language_code: CLD2 cannot change this
    others = tuple(sorted(lang for lang, n in hits.items() if n and lang in SUPPORTED))
    code, pct, reliable = _cld(clean)
    if code in ENGLISH_VARIETIES:  # Scots is how many Scottish children write English
        code = "en"
    if pl_letters:
        score["pl"] += 2.0
    if gd_letters:
        score["gd"] += 1.5
    if code in score and (reliable or len(words) >= 4):
        score[code] += 1.5 + 2.0 * pct / 100
    best = max(score, key=lambda k: (score[k], k == (hint or "en"), k == "en"))
    total = sum(score.values())
    if code not in score and code != "und" and reliable and len(words) >= 4 and pct >= 70:
        # Another Latin-script language (Romanian, Lithuanian, Somali…): say so, do not guess English,
        # unless most of its words are one of ours (a Gàidhlig answer CLD2 misread).
        if hits.get(best, 0) < 0.4 * len(words) and not (pl_letters or gd_letters):
            return LanguageGuess(code, pct / 100, True, others)
    if total == 0 or score[best] < 1.0:
        fallback = hint if hint in ("en", "gd", "pl") else "en"
        return LanguageGuess(fallback, 0.4, False, others)
    confidence = score[best] / total
    return LanguageGuess(best, round(confidence, 3), confidence >= 0.6 and score[best] >= 1.5, others)
