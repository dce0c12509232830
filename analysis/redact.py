"""Replace personal data in free text with typed placeholders such as [NAME] and [POSTCODE]."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc

from . import _lexicon
from .pipeline import BATCH_SIZE, get_nlp

KINDS = ("NAME", "EMAIL", "PHONE", "POSTCODE", "ADDRESS", "SCHOOL", "PLACE", "HANDLE", "URL", "DOB")


@dataclass(frozen=True)
class RedactedSpan:
    """One redacted stretch of the original text: character offsets, kind, and (if kept) the original."""

    start: int
    end: int
    kind: str
    original: str | None = None


@dataclass(frozen=True)
class Redaction:
    """The redacted text and the spans of the original that were replaced."""

    text: str
    spans: list[RedactedSpan] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        """Return the distinct kinds redacted, in order of first appearance."""
        return list(dict.fromkeys(s.kind for s in self.spans))

    def without_originals(self) -> Redaction:
        """Return a copy that keeps no original personal data."""
        return Redaction(self.text, [replace(s, original=None) for s in self.spans])


_STREET_TYPES = (
    r"street|st|road|rd|avenue|ave|drive|dr|lane|ln|crescent|cres|place|pl|court|ct|gardens|gdns|terrace|"
    r"way|close|grove|square|sq|wynd|brae|view|row|walk|circle|loan|gate|park|quadrant|boulevard|mews|rise"
)
_MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+(?:\d{{4}}|'?\d{{2}})"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
_DOB_CUE = r"(?:born|birthday|b'day|bday|d\.?o\.?b\.?|date\s+of\s+birth)"
_SCHOOL_WORDS = (
    r"primary(?:\s+school)?|high\s+school|academy|grammar(?:\s+school)?|secondary(?:\s+school)?|"
    r"nursery(?:\s+school)?|early\s+years\s+centre|family\s+centre|elc|college|ps|hs"
)

# (kind, pattern, flags). Earlier kinds win when spans overlap at the same start.
_PATTERNS: list[tuple[str, str, int]] = [
    ("EMAIL", r"[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", 0),
    ("URL", r"\b(?:https?://|www\.)[^\s<>\"']+", re.I),
    (
        "URL",
        r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|co\.uk|org\.uk|org|net|scot|gov\.uk|ac\.uk|uk|io|me|tv|ly|gg)\b(?:/[^\s<>\"']*)?",
        re.I,
    ),
    ("HANDLE", r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}", 0),
    (
        "HANDLE",
        r"\b(?:snap(?:chat)?|insta(?:gram)?|tiktok|twitter|discord|roblox|xbox|psn|gamertag|ig|username|user\s?name)\s*(?:is|:|-)?\s*@?[A-Za-z0-9_.]*[0-9_][A-Za-z0-9_.]*",
        re.I,
    ),
    ("DOB", rf"\b{_DOB_CUE}\b[^.!?\n]{{0,20}}?\b{_DATE}", re.I),
    ("DOB", rf"\b(?:birthday|b'day|bday)\s+(?:is\s+)?(?:on\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.I),
    ("DOB", rf"\b(?:birthday|b'day|bday)\s+(?:is\s+)?(?:on\s+)?(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I),
    ("DOB", rf"\bborn\s+(?:in|on)\s+(?:(?:{_MONTHS})\s+)?(?:19|20)\d{{2}}\b", re.I),
    ("DOB", rf"\b{_DATE}(?=[^.!?\n]{{0,20}}\b(?:born|birthday|d\.?o\.?b))", re.I),
    (
        "PHONE",
        r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s)-]{0,2}){8,10}\d(?!\d)",
        0,
    ),
    ("PHONE", r"(?<!\d)0?7\d{3}[\s-]?\d{3}[\s-]?\d{3}(?!\d)", 0),
    ("POSTCODE", r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b", 0),
    (
        "ADDRESS",
        rf"\b(?:flat\s+\d+[/-]?\d*,?\s+)?\d{{1,4}}[a-z]?(?:/\d{{1,2}})?,?\s+(?:[A-Za-z][A-Za-z'’-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?",
        re.I,
    ),
    ("ADDRESS", rf"\b(?:[A-Z][a-z'’-]+\s+){{1,3}}(?i:{_STREET_TYPES.replace('|st|', '|').replace('|dr|', '|')})\b", 0),
    ("ADDRESS", r"\b(?:live|living|lives|stay|stays|staying)\s+(?:at|on)\s+(?:no\.?\s*)?\d{1,4}[a-z]?\b[^.!?\n,]{0,40}", re.I),
    ("SCHOOL", rf"\b(?:St\.?\s+|Saint\s+)?(?:[A-Z][A-Za-z'’-]+\s+){{1,3}}(?i:{_SCHOOL_WORDS})\b", 0),
    ("SCHOOL", r"\b(?:[A-Za-z][A-Za-z'’-]+\s+){1,2}(?:primary|high\s+school|academy)\b", 0),
    ("SCHOOL", rf"\b(?:St\.?|Saint)\s+[A-Z][A-Za-z'’-]+(?:'s|’s|s)?\b(?:\s+(?i:{_SCHOOL_WORDS}))?", 0),
]
_COMPILED = [(k, re.compile(p, f)) for k, p, f in _PATTERNS]
# What each pattern cannot match without (a cheap check that skips most patterns for most answers).
_NEEDS = (
    "@", "url", ".", "@", "digit_",
    "digit", "digit", "digit", "digit", "digit",
    "digit", "digit", "digit",
    "digit", "upper", "digit",
    "upper", "school", "upper",
)
_DIGIT = re.compile(r"\d")
_SCHOOL_WORD = re.compile(r"primary|high|academy")
_PRIORITY = {k: i for i, k in enumerate(("EMAIL", "URL", "HANDLE", "DOB", "PHONE", "POSTCODE", "SCHOOL", "ADDRESS", "PLACE", "NAME"))}
_SCHOOL_SUFFIX = re.compile(rf"(?i:{_SCHOOL_WORDS})\s*$")


def _trim_school(text: str, s: int, e: int) -> int | None:
    """Drop ordinary leading words ("my new primary"); return the new start, or None if no name is left."""
    m = _SCHOOL_SUFFIX.search(text, s, e)
    if m is None:
        return s
    common = _lexicon.common_words()
    pos = s
    for w in re.finditer(r"\S+", text[s : m.start()]):
        word = w.group(0).strip(".,").lower()
        cap = w.group(0)[:1].isupper()
        if word in _lexicon.STOPWORDS or (not cap and word in common):
            pos = s + w.end()
            continue
        break
    while pos < e and text[pos].isspace():
        pos += 1
    return None if pos >= m.start() else pos


def _list_pattern(names: Iterable[str], *, ignore_case: bool) -> re.Pattern[str] | None:
    items = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not items:
        return None
    alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in items)
    # Only try the long alternation where a name could start (same matches, far fewer attempts).
    first = "".join(sorted({re.escape(n[0]) for n in items}))
    return re.compile(rf"(?<![\w-])(?=[{first}])(?:{alts})(?:'s|’s)?(?![\w-])", re.I if ignore_case else 0)


@lru_cache(maxsize=64)
def _local_patterns(places: tuple[str, ...], schools: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    sp = _list_pattern(schools, ignore_case=True)
    if sp is not None:
        out.append(("SCHOOL", sp))
    pp = _list_pattern(places, ignore_case=True)
    if pp is not None:
        out.append(("PLACE", pp))
    dp = _default_places()
    if dp is not None:
        out.append(("PLACE", dp))
    return out


@lru_cache(maxsize=1)
def _default_places() -> re.Pattern[str] | None:
    return _list_pattern(_lexicon.default_places(), ignore_case=False)


def _regex_spans(text: str, local: list[tuple[str, re.Pattern[str]]]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for kind, rx in local:
        if kind == "PLACE" and rx is _default_places() and text == text.lower():
            continue  # every default place name is capitalised and that list is case-sensitive
        spans.extend((m.start(), m.end(), kind) for m in rx.finditer(text))
    digit = _DIGIT.search(text) is not None
    have = {
        "@": "@" in text,
        "url": "." in text or ":" in text,
        ".": "." in text,
        "digit": digit,
        "digit_": digit or "_" in text,
        "upper": text != text.lower(),
        "school": _SCHOOL_WORD.search(text) is not None,
    }
    for (kind, rx), need in zip(_COMPILED, _NEEDS, strict=True):
        if not have[need]:
            continue
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if kind == "SCHOOL":
                trimmed = _trim_school(text, s, e)
                if trimmed is None:
                    continue
                s = trimmed
            if kind == "PHONE" and sum(c.isdigit() for c in m.group(0)) < 10:
                continue
            spans.append((s, e, kind))
    return spans


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Resolve overlaps: the union is redacted; the kind is the highest-priority one covering the start."""
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0]), _PRIORITY.get(t[2], 99)))
    out: list[tuple[int, int, str]] = []
    for s, e, k in spans:
        if out and s < out[-1][1]:
            ps, pe, pk = out[-1]
            kind = pk if _PRIORITY.get(pk, 99) <= _PRIORITY.get(k, 99) or (pe - ps) >= (e - s) else k
            out[-1] = (ps, max(pe, e), kind)
        else:
            out.append((s, e, k))
    return out


def _build(text: str, spans: list[tuple[int, int, str]], keep_originals: bool) -> Redaction:
    parts: list[str] = []
    out_spans: list[RedactedSpan] = []
    pos = 0
    for s, e, k in spans:
        # Keep trailing whitespace/punctuation outside the placeholder.
        while e > s and text[e - 1] in " \t\n.,;:":
            e -= 1
        parts.append(text[pos:s])
        parts.append(f"[{k}]")
        out_spans.append(RedactedSpan(s, e, k, text[s:e] if keep_originals else None))
        pos = e
    parts.append(text[pos:])
    return Redaction("".join(parts), out_spans)


def redact_many(
    texts: Iterable[str],
    *,
    places: Iterable[str] = (),
    schools: Iterable[str] = (),
    keep_originals: bool = False,
    batch_size: int = BATCH_SIZE,
) -> list[Redaction]:
    """Redact personal data from many texts, batched through the spaCy pipeline.

    Args:
        texts: free-text answers.
        places: local place names to replace with [PLACE] (added to a default Scottish gazetteer).
        schools: local school names to replace with [SCHOOL].
        keep_originals: keep the replaced text in each span's ``original`` (only where policy allows).
        batch_size: texts per ``nlp.pipe`` batch.

    Returns:
        One Redaction per text, in order.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    local = local_patterns(places, schools)
    return [redact_doc(text, doc, local, keep_originals) for text, doc in zip(texts, name_docs(texts, batch_size), strict=True)]


def name_docs(texts: list[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Tokenise and tag names (the lemmatizer is not needed for redaction and is skipped)."""
    return get_nlp().pipe(texts, batch_size=batch_size, disable=["lemmatizer"])


def local_patterns(places: Iterable[str] = (), schools: Iterable[str] = ()) -> list[tuple[str, re.Pattern[str]]]:
    """Return the compiled local place and school lists (cached per list)."""
    return _local_patterns(tuple(places), tuple(schools))


def redact_doc(text: str, doc: Doc, local: list[tuple[str, re.Pattern[str]]], keep_originals: bool = False) -> Redaction:
    """Redact one text given its Doc from ``name_docs`` (shared with other steps by ``analyse_many``)."""
    spans = _regex_spans(text, local)
    spans.extend((sp.start_char, sp.end_char, "NAME") for sp in doc.spans.get("guth_names", []))
    return _build(text, _merge(spans), keep_originals)


def redact(
    text: str,
    *,
    places: Iterable[str] = (),
    schools: Iterable[str] = (),
    keep_originals: bool = False,
) -> Redaction:
    """Redact personal data from one text.

    Args:
        text: a free-text answer.
        places: local place names to replace with [PLACE].
        schools: local school names to replace with [SCHOOL].
        keep_originals: keep the replaced text in each span's ``original``.

    Returns:
        The Redaction: placeholder text plus the replaced spans (offsets into ``text``).
    """
    return redact_many([text], places=places, schools=schools, keep_originals=keep_originals)[0]
