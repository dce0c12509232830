"""Per-language safeguarding lexicons (gd, ar, pl, uk): drafts that need a fluent speaker's review.

Each ``data/safeguarding/lexicon_<lang>.tsv`` line is ``category<TAB>pattern<TAB>weight``. A pattern's tokens
must stand as consecutive words; ``*`` at a token's start or end stands for any letters there (Arabic clitics,
Polish and Ukrainian endings). ``strong`` patterns are a disclosure on their own; ``topic`` patterns are harm
words that only send an answer to a person when the model also leans that way; ``_negator`` lines list the
words that, just before a pattern, set it aside ("nie bije mnie" is not "bije mnie").
Gàidhlig and Polish are also matched with their accents taken off, as children often type them. Arabic is
matched folded (``fold_arabic``: no short vowels or tatweel, one alef, ي for ى, ه for ة), the same folding the
screen model's n-grams see, so "إنتحار", "انتحار" and "انْتِحار" are one word to both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .categories import CATEGORIES

LANGS = ("gd", "ar", "pl", "uk")
_DIR = Path(__file__).parent / "data" / "safeguarding"
_FOLD_ACCENTS = {"gd", "pl"}
_LETTER = r"[^\W\d_]"


@dataclass(frozen=True)
class LexiconHit:
    lang: str
    category: str
    strong: bool
    start: int
    end: int
    words: str


def strip_accents(text: str) -> str:
    """Letters without their accents, keeping the string's length (one character stays one character)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append("l" if ch == "ł" else "L" if ch == "Ł" else base)
    return "".join(out)


def _token_regex(token: str) -> str:
    head = token.startswith("*")
    tail = token.endswith("*")
    core = re.escape(token.strip("*").replace("’", "'"))
    return f"{_LETTER}*{core}" if head and not tail else (
        f"{core}{_LETTER}*" if tail and not head else (f"{_LETTER}*{core}{_LETTER}*" if head else core))


@dataclass(frozen=True)
class _Lexicon:
    lang: str
    patterns: tuple[tuple[str, bool, re.Pattern], ...]
    negator: re.Pattern | None
    any: re.Pattern | None = None  # every pattern in one alternation: most answers match none
    # Each pattern's longest literal word part: a text without it cannot match the pattern, and a substring
    # test is far cheaper than trying a pattern (or the alternation) at every position.
    literals: tuple[str, ...] = ()
    any_literal: re.Pattern | None = None  # the literals in one alternation: most answers contain none


def _compile(lang: str, path: Path) -> _Lexicon:
    pats: list[tuple[str, bool, re.Pattern]] = []
    literals: list[str] = []
    negators: list[str] = []
    fold = lang in _FOLD_ACCENTS
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2:
            continue
        category, pattern = parts[0], unicodedata.normalize("NFC", parts[1].lower())
        weight = parts[2].lower() if len(parts) > 2 else "strong"
        if fold:
            pattern = strip_accents(pattern)
        elif lang == "ar":
            pattern = fold_arabic(pattern)
        if category == "_negator":
            negators.extend(pattern.split())
            continue
        if category not in CATEGORIES or not pattern.strip():
            continue
        body = r"[\s\-–—'’،,]+".join(_token_regex(t) for t in pattern.split())
        try:
            rx = re.compile(rf"(?<!{_LETTER}){body}(?!{_LETTER})")
        except re.error:
            continue
        pats.append((category, weight != "topic", rx))
        literals.append(max((t.strip("*").replace("’", "'") for t in pattern.split()), key=len))
    neg = None
    if negators:
        neg = re.compile(r"(?<!\w)(?:" + "|".join(_token_regex(n) for n in sorted(set(negators))) + r")(?!\w)")
    union = re.compile("|".join(f"(?:{rx.pattern})" for _, _, rx in pats)) if pats else None
    return _Lexicon(lang, tuple(pats), neg, union, tuple(literals), _any_of(literals) if literals else None)


def _any_of(literals: list[str]) -> re.Pattern:
    """A regex found in a text exactly when one of the literals is: a trie (one branch per next character), so
    at each position only the literals that start with its character are tried (three times faster than the
    plain alternation on an answer with none of them). A literal that extends a shorter one is dropped: the
    shorter is found wherever it is."""
    root: dict = {}
    for word in sorted(set(literals)):
        node = root
        for ch in word:
            if "" in node:
                break
            node = node.setdefault(ch, {})
        else:
            node.clear()
            node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:
            return ""
        parts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return re.compile(emit(root))


@lru_cache(maxsize=1)
def lexicons() -> dict[str, _Lexicon]:
    """The lexicons shipped in ``data/safeguarding`` (a language with no file has none)."""
    out = {}
    for lang in LANGS:
        path = _DIR / f"lexicon_{lang}.tsv"
        if path.is_file():
            out[lang] = _compile(lang, path)
    return out


# Arabic marks children type or leave out at will: Quranic annotation signs, short vowels, shadda, sukun,
# hamza above/below as separate marks, dagger alef, tatweel. Dropped before matching.
_AR_MARKS = re.compile(r"[\u0610-\u061A\u0640\u064B-\u065F\u0670\u06D6-\u06ED]")
# Letters written several ways for one sound (one character to one character, so offsets hold): the alef
# forms to bare alef, alef maqsura to ya, ta marbuta to ha; Persian-keyboard ya and kaf to the Arabic ones.
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"})
_HAS_ARABIC = re.compile(r"[\u0600-\u06FF]")


def fold_arabic(text: str) -> str:
    """Arabic as the screen reads it: marks and tatweel dropped, alef, ya and ta marbuta forms unified.

    Text without Arabic letters comes back unchanged. Used by the lexicon matcher and the model's n-grams.
    """
    if not _HAS_ARABIC.search(text):
        return text
    return _AR_MARKS.sub("", text).translate(_AR_FOLD)
_SCRIPT = {
    "ar": re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFFA-Za-z]"),  # and Arabizi
    "uk": re.compile(r"[\u0400-\u04FF]"),
    "pl": re.compile(r"[A-Za-z\u00C0-\u024F]"),
    "gd": re.compile(r"[A-Za-z\u00C0-\u024F]"),
}


@lru_cache(maxsize=1)
def _accent_table() -> dict[int, str]:
    table = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = "l" if ch in "łŁ" else unicodedata.normalize("NFD", ch)[0]
        if base != ch:
            table[cp] = base
    return table


def _lower(text: str) -> str:
    """Lowercase with curly apostrophes straight, one character to one character (so offsets match)."""
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lowercase is longer: map character by character
        low = "".join((ch.lower()[:1] or ch) for ch in text)
    return low.replace("’", "'")


def _prepare(text: str, lang: str, low: str | None = None) -> tuple[str, list[int] | None]:
    """The text as a lexicon matches it, and (where characters were dropped) each character's offset in
    ``text``: lowercase, curly apostrophes straight, accents off for gd and pl, Arabic folded (marks and
    tatweel dropped, letter forms unified). Lowercasing keeps one character one character here (checked),
    so offsets match. ``low``: ``_lower(text)``, when already computed."""
    low = _lower(text) if low is None else low
    if lang in _FOLD_ACCENTS and not low.isascii():  # the accent table has no ASCII letter
        low = low.translate(_accent_table())
    if lang == "ar" and _HAS_ARABIC.search(low):  # the folds and marks are all Arabic letters
        low = low.translate(_AR_FOLD)
        if _AR_MARKS.search(low):
            index = [i for i, ch in enumerate(low) if not _AR_MARKS.match(ch)]
            return "".join(low[i] for i in index), index
    return low, None


def find(text: str, langs: tuple[str, ...] | None = None) -> tuple[list[LexiconHit], list[str]]:
    """Return the lexicon hits in a text (offsets into ``text``) and the hits set aside as negated."""
    hits: list[LexiconHit] = []
    aside: list[str] = []
    if not text:
        return hits, aside
    text = unicodedata.normalize("NFC", text)
    low = None
    for lang, lex in lexicons().items():
        if (langs is not None and lang not in langs) or lex.any is None or not _SCRIPT[lang].search(text):
            continue
        low = _lower(text) if low is None else low
        prepared, index = _prepare(text, lang, low)
        if lex.any_literal is None or lex.any_literal.search(prepared) is None:
            continue
        for (category, strong, rx), literal in zip(lex.patterns, lex.literals, strict=True):
            if literal not in prepared:
                continue
            for m in rx.finditer(prepared):
                if index is None:
                    s, e = m.start(), m.end()
                else:
                    s, e = index[m.start()], index[m.end() - 1] + 1
                before = prepared[max(0, m.start() - 30): m.start()].split()[-2:]
                if lex.negator is not None and any(lex.negator.fullmatch(w) for w in before):
                    aside.append(f"{text[s:e]} (negated)")
                    continue
                hits.append(LexiconHit(lang, category, strong, s, e, text[s:e]))
    return hits, aside
