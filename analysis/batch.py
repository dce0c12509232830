"""Analyse many answers end to end with one spaCy pass: redact, screen, theme and trace.

``analyse_many`` gives the same results as calling ``redact_many``, ``screen_many``,
``Themer.predict`` and ``trace`` one after another (theming and tracing on the redacted text), but
tokenises each answer once: the Doc that finds names also gives the lemmas, and an answer is only
tokenised again when redaction changed its text. Codebook similarity is computed once and shared by
theming and tracing when they use the same codebook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from . import semantic
from .codebook import Codebook
from .pipeline import BATCH_SIZE, doc_lemma_string, lemma_strings
from .redact import Redaction, local_patterns, name_docs, redact_doc
from .screen import Screening, screen_many
from .themer import ThemeAssignment, Themer
from .trace import Priority, codebook_key, trace


@dataclass(frozen=True)
class Analysis:
    """Everything known about one answer: its redaction, screening, themes and priority scores."""

    redaction: Redaction
    screening: Screening
    themes: ThemeAssignment | None = None
    priorities: dict[str, float] | None = None


def analyse_many(
    texts: Iterable[str],
    *,
    themer: Themer | None = None,
    priorities: Sequence[Priority] | None = None,
    trace_codebook: Codebook | None = None,
    places: Iterable[str] = (),
    schools: Iterable[str] = (),
    keep_originals: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[float], None] | None = None,
) -> list[Analysis]:
    """Redact, screen, theme and trace many answers (one embedding per answer serves theming and tracing).

    Args:
        texts: free-text answers.
        themer: assigns themes to the redacted text (skipped when None).
        priorities: plan priorities to trace the redacted text to (skipped when None or empty).
        trace_codebook: codebook bridging answers and priorities (default: the shipped one, as ``trace``).
        places, schools: local names for redaction.
        keep_originals: keep redacted originals in the spans (only where policy allows).
        batch_size: texts per ``nlp.pipe`` batch.
        progress: called with the fraction done after each step.

    Returns:
        One Analysis per text, in order. The safeguarding screen reads the original text.
    """
    return _analyse(texts, themer=themer, priorities=priorities, trace_codebook=trace_codebook, places=places,
                    schools=schools, keep_originals=keep_originals, batch_size=batch_size, progress=progress)[0]


def _analyse(
    texts: Iterable[str],
    *,
    themer: Themer | None,
    priorities: Sequence[Priority] | None,
    trace_codebook: Codebook | None = None,
    places: Iterable[str] = (),
    schools: Iterable[str] = (),
    keep_originals: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[float], None] | None = None,
    calibration=None,  # noqa: ANN001 - trace.Calibration
) -> tuple[list[Analysis], list[str], list[str], np.ndarray]:
    """``analyse_many``, also returning the redacted texts, their lemmas and their sentence vectors."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    local = local_patterns(places, schools)
    prios = list(priorities or [])
    share_raw = themer is not None and prios and codebook_key(themer.codebook) == codebook_key(trace_codebook)
    redactions: list[Redaction] = []
    lemmas: list[str | None] = []
    for text, doc in zip(texts, name_docs(texts, batch_size), strict=True):
        r = redact_doc(text, doc, local, keep_originals)
        redactions.append(r)
        lemmas.append(doc_lemma_string(doc) if r.text == text else None)
    red = [r.text for r in redactions]
    again = [i for i, lem in enumerate(lemmas) if lem is None]
    for i, lem in zip(again, lemma_strings([red[i] for i in again], batch_size), strict=True):
        lemmas[i] = lem
    lem_all: list[str] = [lem or "" for lem in lemmas]
    _report(progress, 0.4)
    screenings = screen_many(texts)
    _report(progress, 0.5)
    vectors = semantic.embed(red) if (themer is not None or prios) and texts else np.zeros((len(texts), semantic.DIM))
    themes: list[ThemeAssignment | None] = [None] * len(texts)
    raw = None
    if themer is not None and texts:
        raw = themer.index.raw(red, lem_all)
        themes = list(themer.predict(red, lemmas=lem_all, raw=raw, vectors=vectors))
    _report(progress, 0.8)
    traced: list[dict[str, float] | None] = [None] * len(texts)
    if prios and texts:
        traced = list(trace(red, prios, codebook=trace_codebook, lemmas=lem_all, raw=raw if share_raw else None,
                            vectors=vectors, calibration=calibration))
    _report(progress, 1.0)
    analyses = [Analysis(*row) for row in zip(redactions, screenings, themes, traced, strict=True)]
    return analyses, red, lem_all, vectors


def _report(progress: Callable[[float], None] | None, fraction: float) -> None:
    if progress is not None:
        progress(fraction)
