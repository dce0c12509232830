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
from .language import language_code
from .pipeline import BATCH_SIZE, doc_lemma_string, lemma_strings
from .redact import Redaction, local_patterns, name_docs, redact_doc
from .screen import Screening, screen_many
from .themer import ThemeAssignment, Themer
from .trace import Priority, calibrate, codebook_key, trace


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


# Answers are analysed in chunks of this many: every matrix stays small whatever the consultation's size.
CHUNK = 4096


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
    chunk: int = CHUNK,
) -> tuple[list[Analysis], list[str], list[str], np.ndarray]:
    """``analyse_many``, also returning the redacted texts, their lemmas and their sentence vectors.

    Two passes over chunks: first redaction, lemmas, the screen and the sentence vectors; then, with the
    priorities calibrated over every answer (as one call over all of them would), theming and tracing.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    n = len(texts)
    local = local_patterns(places, schools)
    prios = list(priorities or [])
    share_raw = themer is not None and prios and codebook_key(themer.codebook) == codebook_key(trace_codebook)
    redactions: list[Redaction] = []
    lem_all: list[str] = []
    screenings: list[Screening] = []
    want_vectors = (themer is not None or bool(prios)) and n > 0
    vectors = np.zeros((n, semantic.DIM), dtype=np.float32)
    # The lexical similarity to the codebook: computed once, for the calibration and for theming and tracing.
    raw_all = np.zeros((n, len(themer.codebook.themes)), dtype=np.float32) if themer is not None else None
    for start in range(0, n, chunk):
        part = texts[start : start + chunk]
        lemmas: list[str | None] = []
        for text, doc in zip(part, name_docs(part, batch_size), strict=True):
            r = redact_doc(text, doc, local, keep_originals)
            redactions.append(r)
            lemmas.append(doc_lemma_string(doc) if r.text == text else None)
        red_part = [r.text for r in redactions[start:]]
        again = [i for i, lem in enumerate(lemmas) if lem is None]
        for i, lem in zip(again, lemma_strings([red_part[i] for i in again], batch_size), strict=True):
            lemmas[i] = lem
        lem_all.extend(lem or "" for lem in lemmas)
        if want_vectors:
            vectors[start : start + len(part)] = semantic.embed(red_part)
            # Where redaction left an answer as it was, the screen reads the same sentence vector.
            same = [vectors[start + i] if r == t else None for i, (r, t) in enumerate(zip(red_part, part, strict=True))]
            screenings.extend(screen_many(part, vectors=same))
        else:
            screenings.extend(screen_many(part))
        if raw_all is not None:
            raw_all[start : start + len(part)] = themer.index.raw(red_part, lem_all[start:])
        _report(progress, 0.5 * min(1.0, (start + len(part)) / n))
    red = [r.text for r in redactions]
    if prios and n and calibration is None:
        calibration = calibrate(red, prios, codebook=trace_codebook, lemmas=lem_all, vectors=vectors,
                                raw=raw_all if share_raw else None)
    themes: list[ThemeAssignment | None] = [None] * n
    traced: list[dict[str, float] | None] = [None] * n
    for start in range(0, n, chunk):
        sl = slice(start, start + chunk)
        part_red, part_lem, part_vec = red[sl], lem_all[sl], vectors[sl]
        raw = None
        if themer is not None and raw_all is not None:
            raw = raw_all[sl]
            # The screen has detected each answer's language; where redaction left the text as it was, the
            # themer would detect the same (detection ignores invisible characters and normal forms). Where
            # it changed, only the code is needed, and CLD2 is asked only if its vote could change it.
            langs = [s.language if r == t and s.reason != "error" else language_code(r)
                     for s, r, t in zip(screenings[sl], part_red, texts[sl], strict=True)]
            themes[sl] = themer.predict(part_red, lemmas=part_lem, raw=raw, vectors=part_vec, languages=langs)
        if prios:
            traced[sl] = trace(part_red, prios, codebook=trace_codebook, lemmas=part_lem,
                               raw=raw if share_raw else None, vectors=part_vec, calibration=calibration)
        _report(progress, 0.5 + 0.5 * min(1.0, (start + chunk) / n))
    _report(progress, 1.0)
    analyses = [Analysis(*row) for row in zip(redactions, screenings, themes, traced, strict=True)]
    return analyses, red, lem_all, vectors


def _report(progress: Callable[[float], None] | None, fraction: float) -> None:
    if progress is not None:
        progress(fraction)
