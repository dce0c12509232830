"""Sentiment of an answer, and an organisation's stance on a priority, from small lexicons."""

from __future__ import annotations

import re

_POS = set(
    """good great brilliant amazing excellent love loved lovely like liked enjoy enjoyed fun happy helpful
    helped kind friendly fantastic awesome best better nice safe supportive welcome welcomed caring fab
    positive glad grateful thank thanks thankful improved improving wonderful superb easy fair proud
    listened respect respected support supported useful clean quick valued perfect cool""".split()
)
_NEG = set(
    """bad awful terrible horrible hate hated boring rubbish poor worse worst sad angry scared unsafe
    dangerous lonely difficult hard expensive dirty broken rude unfair slow late never problem problems
    worried worry anxious stressed struggle struggling struggled disappointed disappointing lack lacking
    nowhere waiting cut cuts closed unhelpful ignored bullied bullying dear crap useless
    frustrated frustrating upset long shortage miss missing fear afraid unhappy""".split()
)
_NEGATORS = {"not", "no", "never", "don't", "dont", "doesn't", "didn't", "isn't", "wasn't", "aren't", "can't", "cannot", "nobody", "hardly"}
_CONTRAST = re.compile(r"\b(?:but|however|although|though|except|apart from|on the other hand)\b")
_WORD = re.compile(r"[a-z']+")


def _polarity(text: str) -> tuple[int, int]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    pos = neg = 0
    for i, w in enumerate(words):
        if w not in _POS and w not in _NEG:
            continue
        negated = any(p in _NEGATORS for p in words[max(0, i - 3) : i])
        is_pos = (w in _POS) != negated
        if is_pos:
            pos += 1
        else:
            neg += 1
    return pos, neg


def sentiment(text: str) -> str:
    """Return "positive", "negative", "mixed" or "neutral" for an answer."""
    if not text or not text.strip():
        return "neutral"
    pos, neg = _polarity(text)
    if pos and neg:
        if _CONTRAST.search(text.lower()) or min(pos, neg) * 2 >= max(pos, neg):
            return "mixed"
        return "positive" if pos > neg else "negative"
    if pos:
        return "positive"
    if neg:
        return "negative"
    return "neutral"


_AGREE = re.compile(
    r"\b(?:agree|agrees|support|supports|supportive|welcome|welcomes|endorse|endorses|in favour|fully\s+back|"
    r"strongly\s+support|right\s+priority|the\s+right\s+focus|pleased\s+to\s+see|we\s+back|yes)\b"
)
_DISAGREE = re.compile(
    r"\b(?:disagree|disagrees|oppose|opposes|object|objects|(?:do|does|can)\s*not\s+(?:agree|support)|don't\s+(?:agree|support)|"
    r"cannot\s+support|not\s+(?:the\s+)?right|wrong\s+priority|should\s+not\s+be\s+a\s+priority|no\b(?=[,.!]|\s*$))"
)
_PARTLY = re.compile(
    r"\b(?:partly|partially|in\s+part|to\s+some\s+extent|broadly|in\s+principle|however|but|although|"
    r"concern|concerns|concerned|would\s+like\s+to\s+see\s+more|needs?\s+to\s+go\s+further|caveat|reservations?)\b"
)


def stance(text: str) -> str | None:
    """Return an organisation's stance on a priority: "agree", "partly", "disagree" or None if unclear."""
    if not text or not text.strip():
        return None
    t = text.lower().replace("’", "'")
    disagree = bool(_DISAGREE.search(t))
    agree = bool(_AGREE.search(_DISAGREE.sub(" ", t)))
    partly = bool(_PARTLY.search(t))
    if disagree and not agree:
        return "partly" if partly and re.search(r"\b(?:broadly|in principle|partly)\b", t) else "disagree"
    if agree and (disagree or partly):
        return "partly"
    if agree:
        return "agree"
    if partly and re.search(r"\b(?:partly|partially|broadly|in part|to some extent)\b", t):
        return "partly"
    return None
