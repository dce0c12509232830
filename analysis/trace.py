"""Trace answers and themes to the plan's priorities, and find gaps no priority covers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import semantic
from ._ngrams import rounded_rows
from ._vectors import CodebookIndex, _l2, content_words, word_vectorizer
from .codebook import Codebook, CodebookError, Theme, load_default_codebook
from .pipeline import lemma_strings

# One threshold, owned here: an answer (or a theme) supports a priority when its score reaches it. Chosen on the
# dev half of analysis/data/tracing (best pair F1), never on its frozen test half.
LINK_THRESHOLD = 0.45
# How the signals blend (tuned on the same dev half): lexical (shared lemmas and codebook themes), the
# answer's embedding against the priority's, and both seen through the codebook's themes in embedding space.
_W_LEXICAL = 0.3
_W_EMBED = 0.7
_W_CONCEPT = 0.5
_Z_CENTRE = 1.0
_Z_SLOPE = 1.5
# Below this many texts, a priority is calibrated against the codebook's own phrases instead of the texts.
MIN_CALIBRATION_TEXTS = 50


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


@dataclass(frozen=True)
class Calibration:
    """Per-priority mean and spread of the semantic similarities, over a consultation's answers."""

    cos_mean: np.ndarray
    cos_std: np.ndarray
    concept_mean: np.ndarray
    concept_std: np.ndarray


@lru_cache(maxsize=8)
def _semantic_for(key: tuple):
    from .themer import SemanticIndex

    return SemanticIndex(Codebook([Theme(i, n, d, list(e)) for i, n, d, e in key]))


@lru_cache(maxsize=32)
def _priority_side(targets: tuple[str, ...], key: tuple) -> tuple[np.ndarray, np.ndarray]:
    vec = semantic.embed(list(targets))
    return vec, _semantic_concept(key, list(targets), lemma_strings(list(targets)), None, vec)


def _semantic_concept(key: tuple, texts: list[str], lem: list[str], raw: np.ndarray | None,
                      vec: np.ndarray) -> np.ndarray:
    """Texts as their (embedding + lexical) similarity to each codebook theme, unit length."""
    from .themer import blend_prior

    lexical = _bridge_for(key).raw(texts, lem) if raw is None else raw
    r = np.clip(blend_prior(lexical, _semantic_for(key).raw(vec)) - 0.1, 0.0, None)
    n = np.linalg.norm(r, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return r / n


@lru_cache(maxsize=8)
def _background(key: tuple) -> tuple[str, ...]:
    return tuple(sorted({x for _, name, desc, ex in key for x in (name, f"{name}. {desc}", *ex)}))


def _raw_semantic(texts, targets, key, lem, raw, vectors) -> tuple[np.ndarray, np.ndarray]:
    vec = semantic.embed(texts) if vectors is None else vectors
    pvec, pconcept = _priority_side(tuple(targets), key)
    cos = vec @ pvec.T
    concept = _semantic_concept(key, texts, lem, raw, vec) @ pconcept.T
    return cos, concept


def _stats(cos: np.ndarray, concept: np.ndarray) -> Calibration:
    def sd(x):
        s = x.std(axis=0)
        return np.where(s < 1e-6, 1.0, s)

    return Calibration(cos.mean(axis=0), sd(cos), concept.mean(axis=0), sd(concept))


@lru_cache(maxsize=32)
def _background_calibration(targets: tuple[str, ...], key: tuple) -> Calibration:
    bg = list(_background(key))
    return _stats(*_raw_semantic(bg, list(targets), key, lemma_strings(bg), None, None))


def calibrate(
    texts: list[str],
    priorities: Sequence[Priority],
    *,
    codebook: Codebook | None = None,
    lemmas: list[str] | None = None,
    vectors: np.ndarray | None = None,
    raw: np.ndarray | None = None,
) -> Calibration:
    """Per-priority calibration over a consultation's answers (the codebook's phrases when there are few).

    ``raw`` is the texts' lexical similarity to that codebook (``CodebookIndex.raw``), when already computed.
    """
    key = codebook_key(codebook)
    targets = tuple(p.document() for p in priorities)
    texts = [t if isinstance(t, str) else "" for t in texts]
    if len(texts) < MIN_CALIBRATION_TEXTS:
        return _background_calibration(targets, key)
    lem = lemmas if lemmas is not None else lemma_strings(texts)
    vec = semantic.embed(texts) if vectors is None else vectors
    # In chunks: the codebook side of the similarity is (texts x codebook phrases), large for many answers.
    parts = [_raw_semantic(texts[s : s + _CHUNK], list(targets), key, lem[s : s + _CHUNK],
                           None if raw is None else raw[s : s + _CHUNK], vec[s : s + _CHUNK])
             for s in range(0, len(texts), _CHUNK)]
    return _stats(np.vstack([c for c, _ in parts]), np.vstack([k for _, k in parts]))


_CHUNK = 4096


def _sig(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _z(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    z = (x - mean) / std
    if z.shape[1] >= 3:  # which priority does this text bear on most, not how "plan-like" it is overall
        z = z - z.mean(axis=1, keepdims=True)
    return z


def score_matrix(
    texts: list[str],
    priorities: Sequence[Priority],
    *,
    codebook: Codebook | None = None,
    lemmas: list[str] | None = None,
    raw: np.ndarray | None = None,
    vectors: np.ndarray | None = None,
    calibration: Calibration | None = None,
    by_sentence: bool = True,
) -> np.ndarray:
    """Return the (n_texts, n_priorities) scores in 0..1 that ``trace`` reports (``LINK_THRESHOLD`` is the cut).

    An answer of two or more sentences scores the mean of its whole-text score and its best sentence's
    (``by_sentence``), so one sentence about a priority counts however much else the answer says.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts or not priorities:
        return np.zeros((len(texts), len(priorities)))
    key = codebook_key(codebook)
    targets = [p.document() for p in priorities]
    lem = lemmas if lemmas is not None else lemma_strings(texts)
    if raw is None:  # once, for both the lexical and the semantic view of the codebook
        raw = _bridge_for(key).raw(texts, lem)
    lexical = _score(texts, targets, codebook, lemmas=lem, raw=raw)
    vec = semantic.embed(texts) if vectors is None else vectors
    cos, concept = _raw_semantic(texts, targets, key, lem, raw, vec)
    if calibration is None:
        calibration = (_stats(cos, concept) if len(texts) >= MIN_CALIBRATION_TEXTS
                       else _background_calibration(tuple(targets), key))
    zc = _z(cos, calibration.cos_mean, calibration.cos_std)
    zk = _z(concept, calibration.concept_mean, calibration.concept_std)
    s = (_W_LEXICAL * lexical + _W_EMBED * _sig(_Z_SLOPE * (zc - _Z_CENTRE))
         + _W_CONCEPT * _sig(_Z_SLOPE * (zk - _Z_CENTRE))) / (_W_LEXICAL + _W_EMBED + _W_CONCEPT)
    if by_sentence:
        owner, parts = _sentences(texts)
        if parts:
            # A priority raised in one sentence of a longer answer is not diluted by the others: half the score is
            # the whole answer's, half its best sentence's (scored with the same calibration).
            sent = score_matrix(parts, priorities, codebook=codebook, calibration=calibration, by_sentence=False)
            best = np.zeros_like(s)
            np.maximum.at(best, owner, sent)
            multi = np.unique(owner)
            s[multi] = 0.5 * (s[multi] + best[multi])
    empty = np.array([not t.strip() for t in texts])
    s[empty] = 0.0
    return np.clip(s, 0.0, 1.0)


# A sentence ends at . ! ? or ; followed by a space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s*[\r\n]+\s*")
# Sentences shorter than this many words ("Thanks.") are not scored on their own.
_MIN_SENTENCE_WORDS = 3
_MAX_SENTENCES = 20


def _sentences(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """The sentences of texts with two or more of at least ``_MIN_SENTENCE_WORDS`` words, and whose they are."""
    owner: list[int] = []
    parts: list[str] = []
    for i, t in enumerate(texts):
        if len(t) < 30 or not _MAYBE_MULTI.search(t):
            continue
        found = [p for p in _SENTENCE_END.split(t) if len(p.split()) >= _MIN_SENTENCE_WORDS][:_MAX_SENTENCES]
        if len(found) >= 2:
            owner.extend([i] * len(found))
            parts.extend(found)
    return np.array(owner, dtype=np.int64), parts


_MAYBE_MULTI = re.compile(r"[.!?;]\s+\S|[\r\n]")


def trace(
    texts: list[str],
    priorities: list[Priority],
    *,
    codebook: Codebook | None = None,
    lemmas: list[str] | None = None,
    raw: np.ndarray | None = None,
    vectors: np.ndarray | None = None,
    calibration: Calibration | None = None,
) -> list[dict[str, float]]:
    """Score how strongly each text bears on each priority.

    Each answer is compared with each priority in embedding space (directly, and through the codebook's
    themes), calibrated per priority as a z-score over the answers given (over the codebook's own phrases
    when fewer than ``MIN_CALIBRATION_TEXTS``), and blended with lexical similarity.

    Args:
        texts: answers (ideally redacted).
        priorities: the plan's priorities.
        codebook: themes used as a bridge between everyday words and plan language
            (default: the shipped children's-services codebook).
        lemmas: the texts' lemma strings, if already computed (``pipeline.lemma_strings``).
        raw: the texts' raw similarity to that codebook's themes, if already computed
            (``CodebookIndex.raw``), e.g. by a Themer with the same codebook.
        vectors: the texts' sentence vectors, if already computed (``semantic.embed``).
        calibration: from ``calibrate`` over the whole consultation, when scoring it in chunks.

    Returns:
        For each text, ``{priority id: score in 0..1}`` for every priority; ``LINK_THRESHOLD`` is the cut.
    """
    s = score_matrix(texts, priorities, codebook=codebook, lemmas=lemmas, raw=raw, vectors=vectors,
                     calibration=calibration)
    ids = [p.id for p in priorities]
    return [dict(zip(ids, row, strict=True)) for row in rounded_rows(s)]


@dataclass(frozen=True)
class PriorityEvidence:
    """How many answers' own words support each priority, overall and within each theme."""

    answers: dict[str, int]
    by_theme: dict[str, dict[str, int]]
    supporting: dict[str, list[int]]


def priority_evidence(
    rows: Sequence[Mapping[str, float]],
    themes: Sequence[Sequence[str]] | None = None,
    *,
    threshold: float = LINK_THRESHOLD,
) -> PriorityEvidence:
    """Count, per priority, the answers whose own text supports it (each answer once per priority).

    A theme linked to two priorities does not lend them its answers: only answers whose own score for a
    priority reaches the threshold count, so nothing is counted twice.

    Args:
        rows: ``trace`` output, one per answer.
        themes: each answer's theme ids (for the per-theme counts), in the same order.
        threshold: the cut (default ``LINK_THRESHOLD``).
    """
    answers: dict[str, int] = {}
    supporting: dict[str, list[int]] = {}
    by_theme: dict[str, dict[str, int]] = {}
    for i, row in enumerate(rows):
        for pid, score in row.items():
            answers.setdefault(pid, 0)
            supporting.setdefault(pid, [])
            if score >= threshold:
                answers[pid] += 1
                supporting[pid].append(i)
                for tid in (themes[i] if themes is not None else ()):
                    d = by_theme.setdefault(tid, {})
                    d[pid] = d.get(pid, 0) + 1
    return PriorityEvidence(answers, by_theme, supporting)


def theme_links(
    theme_priority: Mapping[str, Mapping[str, float]],
    decisions: Mapping[tuple[str, str], bool] | None = None,
    *,
    threshold: float = LINK_THRESHOLD,
) -> dict[str, dict[str, bool]]:
    """Which themes link to which priorities: the score's say, unless a planner confirmed or rejected the link.

    ``decisions`` maps ``(theme id, priority id)`` to True (confirmed) or False (rejected); a decision always
    wins, so a planner's choice sticks across runs.
    """
    decisions = decisions or {}
    return {
        tid: {pid: bool(decisions.get((tid, pid), score >= threshold)) for pid, score in row.items()}
        for tid, row in theme_priority.items()
    }


def _theme_text(t: Theme) -> str:
    return " ".join([t.name, t.description, *t.examples])


def trace_themes(codebook: Codebook, priorities: list[Priority]) -> dict[str, dict[str, float]]:
    """Score each codebook theme against each priority.

    Returns:
        ``{theme id: {priority id: score in 0..1}}``.
    """
    s = score_matrix([_theme_text(t) for t in codebook.themes], priorities, codebook=codebook)
    return {
        t.id: {p.id: round(float(s[i, j]), 4) for j, p in enumerate(priorities)}
        for i, t in enumerate(codebook.themes)
    }


def find_gaps(
    theme_counts: dict[str, int],
    theme_priority: dict[str, dict[str, float]],
    *,
    min_count: int = 10,
    threshold: float = LINK_THRESHOLD,
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
