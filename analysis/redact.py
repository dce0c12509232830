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
_STREET_WORDS_TITLE = "|".join(
    w[0].upper() + w[1:] for w in _STREET_TYPES.split("|") if w not in ("st", "dr")
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
        r"\b(?:snap(?:chat)?|insta(?:gram)?|tiktok|twitter|discord|roblox|xbox|psn|playstation|steam|fortnite|"
        r"minecraft|youtube|twitch|ig|gamertag|username|user\s?name)"
        r"(?:\s+(?:name|id|tag|handle|account|username|gamertag|channel))?"
        r"\s*(?:is|:|-|,|me|i'?m|i\s+am)?\s*"
        r"@?(?=[A-Za-z0-9_.]*[A-Za-z])[A-Za-z0-9_.]*(?:[0-9_]|\.(?=[A-Za-z0-9]))[A-Za-z0-9_.]*",
        re.I,
    ),
    ("DOB", rf"\b{_DOB_CUE}(?!\w)[^.!?\n]{{0,20}}?\b{_DATE}", re.I),
    ("DOB", rf"\b(?:born|d\.?o\.?b)(?!\w)[^.!?\n]{{0,25}}?\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.I),
    ("DOB", rf"\b(?:birthday|b'day|bday)\s+(?:is\s+)?(?:on\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.I),
    ("DOB", rf"\b(?:birthday|b'day|bday)\s+(?:is\s+)?(?:on\s+)?(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I),
    ("DOB", rf"\bborn\s+(?:in|on)\s+(?:(?:{_MONTHS})\s+)?(?:19|20)\d{{2}}\b", re.I),
    ("DOB", rf"\b{_DATE}(?=[^.!?\n]{{0,20}}\b(?:born|birthday|d\.?o\.?b))", re.I),
    (
        "PHONE",
        r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0[\s-]?)(?:\d[\s)-]{0,2}){8,10}\d(?!\d)",
        0,
    ),
    ("PHONE", r"(?<!\d)0?7\d{3}[\s-]?\d{3}[\s-]?\d{3}(?!\d)", 0),
    ("POSTCODE", r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b", 0),
    (
        "ADDRESS",
        rf"\b(?:flat\s+\d+[/-]?\d*,?\s+)?\d{{1,4}}[a-z]?(?:/\d{{1,2}})?,?\s+(?:[A-Za-z][A-Za-z'’-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?",
        re.I,
    ),
    ("ADDRESS", rf"\b(?:[A-Z][a-z'’-]+\s+){{1,3}}(?:{_STREET_WORDS_TITLE})\b", 0),
    (
        "ADDRESS",
        r"\b(?:live|living|lives|stay|stays|staying)\s+(?:at|on)\s+(?:no\.?\s*)?\d{1,4}[a-z]?\b"
        r"(?:(?!\s+(?:and|but|with|so|because|near|next|where|which|who|for|beside|since|when|if)\b)[^.!?\n,]){0,40}",
        re.I,
    ),
    (
        "SCHOOL",
        rf"\b(?:St\.?\s+|Saint\s+)?(?:[A-Z][A-Za-z'’-]+\s+(?:of\s+(?:the\s+)?)?){{1,3}}"
        rf"(?:(?i:{_SCHOOL_WORDS})|High(?!\s+(?i:street|st|road|rd|five)\b)|School)\b",
        0,
    ),
    ("SCHOOL", r"\b(?:[A-Za-z][A-Za-z'’-]+\s+){1,2}(?:primary|high\s+school|academy)\b", 0),
    ("SCHOOL", rf"\b(?:St\.?|Saint)\s+[A-Z][A-Za-z'’-]+(?:'s|’s|s)?\b(?:\s+(?i:{_SCHOOL_WORDS}))?", 0),
]
_COMPILED = [(k, re.compile(p, f)) for k, p, f in _PATTERNS]
# What each pattern cannot match without (a cheap check that skips most patterns for most answers).
_NEEDS = (
    "@", "url", "tld", "@", "handle",
    "dob", "dob", "dob", "dob", "dob", "dob",
    "digit", "digit", "digit",
    "digit", "street", "digit",
    "school_name", "school", "saint",
)
_DIGIT = re.compile(r"\d")
# The URL patterns' own openings and endings, with their flags: neither can match where these are not found
# (the domain pattern tried at every word was the dearest check on an ordinary answer with a full stop).
_URL_START = re.compile(r"https?://|www\.", re.I)
_TLD = re.compile(r"\.(?:com|co\.uk|org\.uk|org|net|scot|gov\.uk|ac\.uk|uk|io|me|tv|ly|gg)\b", re.I)
# Cheap checks that a pattern could match (each pattern needs one of these in the text).
_DOB_CUES = re.compile(r"born|birth|bday|b'day|d\.?o\.?b")
_HANDLE_PLATFORMS = (
    "snap", "insta", "tiktok", "twitter", "discord", "roblox", "xbox", "psn", "playstation", "steam",
    "fortnite", "minecraft", "youtube", "twitch", "gamertag", "user",
)
_IG = re.compile(r"\big\b")
_STREET_TITLES = re.compile(_STREET_WORDS_TITLE)
_SCHOOL_CUES = re.compile(r"primary|high|academy|grammar|secondary|nursery|centre|elc|college|\s(?:ps|hs)\b")


def _handle_cue(low: str) -> bool:
    return any(p in low for p in _HANDLE_PLATFORMS) or ("ig" in low and _IG.search(low) is not None)
_SCHOOL_WORD = re.compile(r"primary|high|academy")
_PRIORITY = {k: i for i, k in enumerate(("EMAIL", "URL", "HANDLE", "DOB", "PHONE", "POSTCODE", "SCHOOL", "ADDRESS", "PLACE", "NAME"))}
_SCHOOL_SUFFIX = re.compile(rf"(?:(?i:{_SCHOOL_WORDS})|High|School)\s*$")
# Lowercase words that never sit inside a school or street name ("Maths at high school", "5 minutes walk").
_INSIDE_STOP = frozenset(
    """the a an at to in into on of for from by with up down and or is was are my our your his her their
    this that it its""".split()
)
_MEASURE = frozenset(
    """min mins minute minutes hour hours hr hrs sec secs second seconds mile miles km kms metre metres meter
    meters yard yards step steps times pound pounds quid year years yr yrs day days week weeks month months
    each every more""".split()
)
# Patterns whose matches get a second look (indices into _PATTERNS).
_NUMBERED_ADDRESS = [k for k, _, _ in _PATTERNS].index("ADDRESS")  # "12 Oak Road"
_TITLE_STREET = _NUMBERED_ADDRESS + 1  # "Byres Road" (no number)
_SAINT_SCHOOL = len(_PATTERNS) - 1  # "St Ninian's"
# A street named right after these is where someone lives ("I live on Byres Road").
_RESIDENCE_CUE = re.compile(
    r"(?:\b(?:live|lives|living|lived|stay|stays|staying|stayed|moved|move|address|house|flat|home|street|road)"
    r"(?:\s+is)?(?:\s+(?:on|in|at|to|is|off))?(?:\s+the)?[\s:,-]*)$",
    re.I,
)


def _numbered_address_ok(words: str) -> bool:
    """Reject "5 minutes walk", "9 in the park": the words between number and street type are a street name."""
    return not any(w in _INSIDE_STOP or w in _MEASURE for w in words.lower().split()[:-1])


def _title_street_start(text: str, s: int, e: int) -> int | None:
    """Return where a street name without a number starts, or None when it is not someone's street.

    Leading "The", "On", ... are not part of the name. A street whose name is ordinary words ("the High
    Street", "Skate Park", "Make Way", "Station Road") is kept unless the text says someone lives there.
    """
    words = list(re.finditer(r"\S+", text[s:e]))
    common = _lexicon.common_words()
    first = 0
    while first < len(words) - 1 and words[first].group(0).lower() in _lexicon.STOPWORDS:
        first += 1
    if first >= len(words) - 1:
        return None
    start = s + words[first].start()
    if _RESIDENCE_CUE.search(text, max(0, start - 40), start):
        return start
    name_words = [w.group(0).lower().rstrip("'’s") for w in words[first:-1]]
    if all(w in common or w in _lexicon.STOPWORDS for w in name_words):
        return None
    return start


def _trim_school(text: str, s: int, e: int) -> int | None:
    """Drop ordinary leading words ("my new primary"); return the new start, or None if no name is left."""
    m = _SCHOOL_SUFFIX.search(text, s, e)
    if m is None:
        return s
    common = _lexicon.common_words()
    pos = s
    words = list(re.finditer(r"\S+", text[s : m.start()]))
    for i, w in enumerate(words):
        word = w.group(0).strip(".,").lower()
        cap = w.group(0)[:1].isupper()
        if word == "our" and cap and i + 1 < len(words) and words[i + 1].group(0).startswith("Lady"):
            break  # Our Lady's High
        if word in _lexicon.STOPWORDS or (not cap and word in common):
            pos = s + w.end()
            continue
        break
    for w in words:
        if w.group(0) in _INSIDE_STOP and w.group(0) not in ("of", "the") and s + w.end() > pos:
            pos = s + w.end()  # "Maths at high school": a lowercase "at" is never inside a school's name
    while pos < e and text[pos].isspace():
        pos += 1
    if pos >= m.start():
        return None
    known = _lexicon.known_proper()
    if all(w.lower() in known or w.lower() in _SCHOOLISH for w in text[pos : m.start()].split()):
        return None  # "the Gaelic nursery", "a Catholic primary": a kind of school, not one school
    if m.group(0).startswith("School"):
        # A bare "School" names a school only after a word that is not ordinary ("Forest School", "Polish
        # Saturday School" are not; "Mary Erskine School" is).
        names = [w.strip("'’s").lower() for w in text[pos : m.start()].split()]
        if all(w in common or w in known or w in _lexicon.STOPWORDS or w in _SCHOOLISH for w in names):
            return None
    return pos


_SCHOOLISH = frozenset("high primary secondary grammar nursery gaelic medium".split())


def _list_pattern(names: Iterable[str], *, ignore_case: bool) -> re.Pattern[str] | None:
    items = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not items:
        return None
    alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in items)
    # Only try the long alternation where a name could start (same matches, far fewer attempts).
    first = "".join(sorted({re.escape(n[0]) for n in items}))
    return re.compile(rf"(?<![\w-])(?=[{first}])(?:{alts})(?:'s|’s)?(?![\w-])", re.I if ignore_case else 0)


@lru_cache(maxsize=64)
def _local_patterns(
    places: tuple[str, ...], schools: tuple[str, ...], keep: tuple[str, ...] = ()
) -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    listed = {n.strip().lower() for n in places + schools}
    kept = [k for k in keep if k.strip().lower() not in listed]
    # People shorten "Balnagask Islands" to "Balnagask" and "Glenbrae Town" to "Glenbrae".
    common, first = _lexicon.common_words(), _lexicon.first_names()
    for k in list(kept):
        words = k.split()
        head = words[0].lower() if len(words) > 1 else ""
        if head and head not in common and head not in first and head not in _lexicon.STOPWORDS and head not in listed:
            kept.append(words[0])
    kp = _list_pattern(kept, ignore_case=True)
    if kp is not None:
        _KEEP_WORDS[kp] = _words_of(kept)
        out.append((_KEEP, kp))
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


@lru_cache(maxsize=1)
def _not_personal() -> re.Pattern[str] | None:
    """Phrases that look like names, places, streets or schools but never are (analysis/data/not_personal.txt)."""
    lines = _lexicon._data_text("not_personal.txt").splitlines()
    return _list_pattern([ln for ln in lines if ln.strip() and not ln.startswith("#")], ignore_case=True)


_KEEP = "KEEP"  # kind of the local pattern of names to keep (never a placeholder)
_KEEP_WORDS: dict[re.Pattern[str], frozenset[str]] = {}


def _keep_words(rx: re.Pattern[str]) -> frozenset[str]:
    return _KEEP_WORDS.get(rx, frozenset())
_PROTECTABLE = frozenset({"NAME", "PLACE", "ADDRESS", "SCHOOL"})
_TITLE_BEFORE = re.compile(r"\b(?:mr|mrs|ms|miss|mx|dr|mister)\.?\s+$", re.I)
# A capitalised word after an article is a thing, not a person ("past the Tesco", "the Gala Day").


_ARTICLE_BEFORE = re.compile(r"(?:^|[^\w'’-])(?:the|a|an)\s+$", re.I)
# ... unless a family follows ("the McDonald family").
_FAMILY_AFTER = re.compile(r"\s+(?:family|family's|families|household|house|kids|children|boys|girls|twins)\b", re.I)


def _name_spans(text: str, doc: Doc) -> list[tuple[int, int, str]]:
    out = []
    for sp in doc.spans.get("guth_names", []):
        s, e = sp.start_char, sp.end_char
        if _ARTICLE_BEFORE.search(text, max(0, s - 6), s) and not _FAMILY_AFTER.match(text, e):
            continue
        out.append((s, e, "NAME"))
    return out


@lru_cache(maxsize=1)
def _not_personal_words() -> frozenset[str]:
    return _words_of(_lexicon._data_text("not_personal.txt").splitlines())


def _words_of(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(w for ph in phrases if not ph.startswith("#") for w in _WORDS.findall(ph.lower()))


_WORDS = re.compile(r"[^\W\d_]+")


def _drop_protected(text: str, spans: list[tuple[int, int, str]], local: list[tuple[str, re.Pattern[str]]]) -> list[tuple[int, int, str]]:
    """Drop name, place, street and school spans that lie inside a kept area name or a not-personal phrase."""
    words = {w for s, e, k in spans if k in _PROTECTABLE for w in _WORDS.findall(text[s:e].lower())}
    if not words:
        return spans
    keep, keep_words = (local[0][1], _keep_words(local[0][1])) if local and local[0][0] == _KEEP else (None, frozenset())
    ranges: list[tuple[int, int]] = []
    for rx, trigger in ((keep, keep_words), (_not_personal(), _not_personal_words())):
        if rx is not None and not words.isdisjoint(trigger):
            ranges.extend((m.start(), m.end()) for m in rx.finditer(text))
    if not ranges:
        return spans
    out = []
    for s, e, k in spans:
        if k in _PROTECTABLE and any(a <= s and e <= b for a, b in ranges):
            if not (k == "NAME" and _TITLE_BEFORE.search(text, max(0, s - 12), s)):
                continue
        out.append((s, e, k))
    return out


def _regex_spans(text: str, local: list[tuple[str, re.Pattern[str]]]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for kind, rx in local:
        if kind == _KEEP:
            continue
        if kind == "PLACE" and rx is _default_places() and text == text.lower():
            continue  # every default place name is capitalised and that list is case-sensitive
        spans.extend((m.start(), m.end(), kind) for m in rx.finditer(text))
    have = _cheap_checks(text)
    for n, ((kind, rx), need) in enumerate(zip(_COMPILED, _NEEDS, strict=True)):
        if not have[need]:
            continue
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if n == _NUMBERED_ADDRESS and not _numbered_address_ok(re.sub(r"^\D*\d+\S*\s+", "", m.group(0))):
                continue
            if n == _TITLE_STREET:
                start = _title_street_start(text, s, e)
                if start is None:
                    continue
                s = start
            if n == _SAINT_SCHOOL and text.startswith(" Day", e):
                continue  # St Andrew's Day
            if kind == "SCHOOL":
                trimmed = _trim_school(text, s, e)
                if trimmed is None:
                    continue
                s = trimmed
            if kind == "PHONE" and sum(c.isdigit() for c in m.group(0)) < 10:
                continue
            spans.append((s, e, kind))
    return spans


def _cheap_checks(text: str) -> dict[str, bool]:
    """Which of ``_NEEDS`` the text has: a pattern whose need is False cannot match it."""
    digit = _DIGIT.search(text) is not None
    low = text.lower()
    upper = text != low
    return {
        "@": "@" in text,
        "url": ("." in text or ":" in text) and _URL_START.search(text) is not None,
        "tld": "." in text and _TLD.search(text) is not None,
        "digit": digit,
        "handle": (digit or "_" in text or "." in text) and _handle_cue(low),
        "dob": digit and _DOB_CUES.search(low) is not None,
        "street": upper and _STREET_TITLES.search(text) is not None,
        "school_name": upper and ("School" in text or _SCHOOL_CUES.search(low) is not None),
        "school": _SCHOOL_WORD.search(text) is not None,
        "saint": "St" in text or "Saint" in text,
    }


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
    keep: Iterable[str] = (),
) -> list[Redaction]:
    """Redact personal data from many texts, batched through the spaCy pipeline.

    Args:
        texts: free-text answers.
        places: local place names to replace with [PLACE] (added to a default Scottish gazetteer).
        schools: local school names to replace with [SCHOOL].
        keep_originals: keep the replaced text in each span's ``original`` (only where policy allows).
        batch_size: texts per ``nlp.pipe`` batch.
        keep: names that are not personal data and must stay, such as the areas the consultation itself
            offers respondents ("Kilmorie"). A kept name inside something longer that is personal data
            ("7 Kilmorie Crescent", "Kilmorie Primary") is still redacted; a name also in ``places`` or
            ``schools`` is redacted.

    Returns:
        One Redaction per text, in order.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    local = local_patterns(places, schools, keep)
    return [redact_doc(text, doc, local, keep_originals) for text, doc in zip(texts, name_docs(texts, batch_size), strict=True)]


def name_docs(texts: list[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Tokenise and tag names (the lemmatizer is not needed for redaction and is skipped)."""
    return get_nlp().pipe(texts, batch_size=batch_size, disable=["lemmatizer"])


def local_patterns(
    places: Iterable[str] = (), schools: Iterable[str] = (), keep: Iterable[str] = ()
) -> list[tuple[str, re.Pattern[str]]]:
    """Return the compiled local place, school and keep lists (cached per list)."""
    return _local_patterns(tuple(places), tuple(schools), tuple(keep))


def redact_doc(text: str, doc: Doc, local: list[tuple[str, re.Pattern[str]]], keep_originals: bool = False) -> Redaction:
    """Redact one text given its Doc from ``name_docs`` (shared with other steps by ``analyse_many``)."""
    spans = _regex_spans(text, local)
    if doc.spans.get("guth_names"):
        spans.extend(_name_spans(text, doc))
    if spans:
        spans = _drop_protected(text, spans, local)
    return _build(text, _merge(spans), keep_originals)


def redact(
    text: str,
    *,
    places: Iterable[str] = (),
    schools: Iterable[str] = (),
    keep_originals: bool = False,
    keep: Iterable[str] = (),
) -> Redaction:
    """Redact personal data from one text.

    Args:
        text: a free-text answer.
        places: local place names to replace with [PLACE].
        schools: local school names to replace with [SCHOOL].
        keep_originals: keep the replaced text in each span's ``original``.
        keep: names that must stay, such as the consultation's own area names (see ``redact_many``).

    Returns:
        The Redaction: placeholder text plus the replaced spans (offsets into ``text``).
    """
    return redact_many([text], places=places, schools=schools, keep_originals=keep_originals, keep=keep)[0]
