"""Trace answers and themes to the plan's priorities, and find gaps no priority covers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ._vectors import CodebookIndex, _l2, content_words, word_vectorizer
from .codebook import Codebook, CodebookError, Theme, load_default_codebook
from .pipeline import lemma_strings


@dataclass(frozen=True)
class Priority:
    """One plan priority: a stable id, a title and optionally a description."""

    id: str
    title: str
    description: str = ""

    def document(self) -> str:
        """Return the title and description as one text."""
        return f"{self.title}. {self.description}".strip()


def load_priorities(path: str | Path) -> list[Priority]:
    """Load ``priorities:`` from a YAML file (CodebookError if unreadable or malformed)."""
    try:
        data: Any = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CodebookError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("priorities"), list) or not data["priorities"]:
        raise CodebookError("a priorities file needs a non-empty 'priorities:' list")
    out = []
    for n, item in enumerate(data["priorities"], 1):
        if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
            raise CodebookError(f"priority {n} needs an 'id' and a 'title'")
        out.append(Priority(str(item["id"]), str(item["title"]), str(item.get("description") or "")))
    ids = [p.id for p in out]
    if len(set(ids)) != len(ids):
        raise CodebookError("duplicate priority ids")
    return out


def _key(codebook: Codebook) -> tuple:
    # Translated phrases count as examples, as in the Themer's index, so the two can share one similarity.
    return tuple((t.id, t.name, t.description, tuple(t.all_examples())) for t in codebook.themes)


@lru_cache(maxsize=8)
def _bridge_for(key: tuple) -> CodebookIndex:
    return CodebookIndex(Codebook([Theme(i, n, d, list(e)) for i, n, d, e in key]))


def _bridge(codebook: Codebook | None) -> CodebookIndex:
    return _bridge_for(_key(codebook if codebook is not None else load_default_codebook()))


def _concept(index: CodebookIndex, texts: list[str], lem: list[str], raw: np.ndarray | None = None) -> np.ndarray:
    """Represent texts by their similarity to each codebook theme, keeping only real matches."""
    raw = index.raw(texts, lem) if raw is None else raw
    raw = np.where(raw >= 0.15, raw, 0.0)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return raw / norms


@lru_cache(maxsize=32)
def _targets(targets: tuple[str, ...], key: tuple) -> tuple[list[str], np.ndarray]:
    """Content-word lemmas and codebook concepts of the priorities (the same for every batch of answers)."""
    lem_p = lemma_strings(list(targets))
    return content_words(lem_p), _concept(_bridge_for(key), list(targets), lem_p)


def _score(
    texts: list[str],
    targets: list[str],
    codebook: Codebook | None,
    *,
    lemmas: list[str] | None = None,
    raw: np.ndarray | None = None,
) -> np.ndarray:
    if not texts or not targets:
        return np.zeros((len(texts), len(targets)))
    key = codebook_key(codebook)
    lem_t = lemmas if lemmas is not None else lemma_strings(texts)
    words_p, concept_p = _targets(tuple(targets), key)
    words_t = content_words(lem_t)
    vec = word_vectorizer(ngram_range=(1, 1), min_df=1)
    x = vec.fit_transform(words_p + words_t)
    xp = _l2(x[: len(words_p)])
    xt = _l2(x[len(words_p) :])
    lexical = np.asarray((xt @ xp.T).todense())
    concept = _concept(_bridge_for(key), texts, lem_t, raw) @ concept_p.T
    # Either shared words or a shared theme in the codebook can link an answer to a priority.
    lex = np.clip(lexical * 2.5, 0.0, 1.0)
    score = 1.0 - (1.0 - lex) * (1.0 - 0.9 * np.clip(concept, 0.0, 1.0))
    return np.clip(score, 0.0, 1.0)


@lru_cache(maxsize=1)
def _default_key() -> tuple:
    return _key(load_default_codebook())


def codebook_key(codebook: Codebook | None) -> tuple:
    """Return a hashable key for a codebook (None means the default one)."""
    return _default_key() if codebook is None else _key(codebook)


def trace(
    texts: list[str],
    priorities: list[Priority],
    *,
    codebook: Codebook | None = None,
    lemmas: list[str] | None = None,
    raw: np.ndarray | None = None,
) -> list[dict[str, float]]:
    """Score how strongly each text bears on each priority.

    Args:
        texts: answers (ideally redacted).
        priorities: the plan's priorities.
        codebook: themes used as a bridge between everyday words and plan language
            (default: the shipped children's-services codebook).
        lemmas: the texts' lemma strings, if already computed (``pipeline.lemma_strings``).
        raw: the texts' raw similarity to that codebook's themes, if already computed
            (``CodebookIndex.raw``), e.g. by a Themer with the same codebook.

    Returns:
        For each text, ``{priority id: score in 0..1}`` for every priority.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    s = _score(texts, [p.document() for p in priorities], codebook, lemmas=lemmas, raw=raw)
    ids = [p.id for p in priorities]
    return [dict(zip(ids, [round(v, 4) for v in row], strict=True)) for row in s.tolist()]


def _theme_text(t: Theme) -> str:
    return " ".join([t.name, t.description, *t.examples])


def trace_themes(codebook: Codebook, priorities: list[Priority]) -> dict[str, dict[str, float]]:
    """Score each codebook theme against each priority.

    Returns:
        ``{theme id: {priority id: score in 0..1}}``.
    """
    s = _score([_theme_text(t) for t in codebook.themes], [p.document() for p in priorities], codebook)
    return {
        t.id: {p.id: round(float(s[i, j]), 4) for j, p in enumerate(priorities)}
        for i, t in enumerate(codebook.themes)
    }


def find_gaps(
    theme_counts: dict[str, int],
    theme_priority: dict[str, dict[str, float]],
    *,
    min_count: int = 10,
    threshold: float = 0.35,
) -> list[str]:
    """Return themes many people raised that no priority covers, most-raised first.

    Args:
        theme_counts: how many answers were assigned each theme.
        theme_priority: output of ``trace_themes`` (theme id -> priority id -> score).
        min_count: a theme must be raised at least this often to count as a gap.
        threshold: a priority covers a theme when their score reaches this.
    """
    gaps = []
    for tid, n in theme_counts.items():
        if n < min_count:
            continue
        best = max(theme_priority.get(tid, {}).values(), default=0.0)
        if best < threshold:
            gaps.append(tid)
    return sorted(gaps, key=lambda t: (-theme_counts[t], t))
