"""One front door: a whole consultation's answers analysed in one pass.

``analyse_consultation(answers, codebook, priorities, reviewed_codes)`` redacts, screens, themes (learning
from the reviewed codes), reads sentiment and stance, traces answers and themes to the priorities and
proposes emergent themes, tokenising and embedding each answer once. The app, the CLI and the benches call
this; none of them re-implements a step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .batch import Analysis, _analyse
from .codebook import Codebook
from .emergent import EmergentTheme, propose_emergent
from .sentiment import sentiment, stance
from .themer import Agreement, Themer
from .trace import (
    LINK_THRESHOLD,
    Priority,
    PriorityEvidence,
    find_gaps,
    priority_evidence,
    theme_links,
    trace_themes,
)


@dataclass(frozen=True)
class AnswerAnalysis:
    """One answer: everything ``analyse_many`` gives, plus sentiment and stance."""

    analysis: Analysis
    sentiment: str
    stance: str | None

    @property
    def themes(self) -> list[str]:
        return self.analysis.themes.themes if self.analysis.themes else []

    @property
    def needs_human(self) -> bool:
        return bool(self.analysis.themes and self.analysis.themes.needs_human)


@dataclass(frozen=True)
class ConsultationAnalysis:
    """A consultation's analysis: per answer, per theme, per priority, and what a person must still do."""

    answers: list[AnswerAnalysis]
    theme_counts: dict[str, int]
    needs_human: list[int]
    needs_human_by_language: dict[str, int]
    theme_priority: dict[str, dict[str, float]]
    links: dict[str, dict[str, bool]]
    evidence: PriorityEvidence
    gaps: list[str]
    emergent: list[EmergentTheme]
    agreement: Agreement
    suggest_next: list[int]
    trained_on: int
    threshold: float = LINK_THRESHOLD
    flagged: list[int] = field(default_factory=list)


def analyse_consultation(
    answers: Sequence[str],
    codebook: Codebook,
    priorities: Sequence[Priority],
    reviewed_codes: Mapping[int, Sequence[str]] | None = None,
    *,
    link_decisions: Mapping[tuple[str, str], bool] | None = None,
    places: Iterable[str] = (),
    schools: Iterable[str] = (),
    seed: int = 0,
    emergent_min_size: int = 8,
    emergent_max: int = 6,
    suggest: int = 10,
    progress: Callable[[float, str], None] | None = None,
) -> ConsultationAnalysis:
    """Analyse a consultation's free-text answers in one pass.

    Args:
        answers: the answers as typed (the screen reads them as typed; everything else the redacted text).
        codebook: the themes to code against.
        priorities: the plan's priorities.
        reviewed_codes: ``{answer index: theme ids a person confirmed}`` for the answers people reviewed
            (an empty list means "none of these themes"); the themer learns from them, guarded by the prior.
        link_decisions: planners' confirmed (True) or rejected (False) ``(theme id, priority id)`` links.
        places, schools: local names for redaction.
        seed: fixes every random choice (same data and codes, same result).
        emergent_min_size, emergent_max: smallest and most emergent proposals.
        suggest: how many unreviewed answers to suggest coding next.
        progress: called with (fraction done, what is happening).

    Returns:
        A ConsultationAnalysis; ``answers`` is in the order given.
    """
    def report(f: float, what: str) -> None:
        if progress is not None:
            progress(f, what)

    texts = [a if isinstance(a, str) else "" for a in answers]
    reviewed = {int(i): list(v) for i, v in (reviewed_codes or {}).items() if 0 <= int(i) < len(texts)}
    themer = Themer(codebook, seed=seed)
    report(0.05, "learning from people's codes")
    prios = list(priorities)
    # Redact the reviewed answers the same way before learning from them.
    order = sorted(reviewed)
    if order:
        from .redact import redact_many

        train_red = [r.text for r in redact_many([texts[i] for i in order], places=places, schools=schools)]
        themer.fit(train_red, [reviewed[i] for i in order])
    report(0.2, "theming and tracing answers")
    analyses, red, lem, vectors = _analyse(
        texts, themer=themer, priorities=prios, trace_codebook=codebook, places=places, schools=schools,
        progress=None if progress is None else (lambda f: report(0.2 + 0.6 * f, "theming and tracing answers")),
    )
    report(0.8, "reading how people feel")
    per_answer = [AnswerAnalysis(a, sentiment(t), stance(t)) for a, t in zip(analyses, red, strict=True)]
    themes_of = [a.themes for a in per_answer]
    counts = Counter(t for row in themes_of for t in row)
    need = [i for i, a in enumerate(per_answer) if a.needs_human]
    by_lang = Counter(per_answer[i].analysis.themes.language for i in need)
    report(0.85, "tracing themes to the plan's priorities")
    tp = trace_themes(codebook, prios) if prios else {}
    rows = [a.analysis.priorities or {} for a in per_answer]
    evidence = priority_evidence(rows, themes_of)
    links = theme_links(tp, link_decisions)
    gaps = find_gaps(dict(counts), tp) if prios else []
    report(0.9, "looking for new themes")
    emergent = propose_emergent(red, [a.analysis.themes for a in per_answer], min_size=emergent_min_size,
                                max_themes=emergent_max, seed=seed, vectors=vectors) if texts else []
    unreviewed = [i for i in range(len(texts)) if i not in reviewed and red[i].strip()]
    picks: list[int] = []
    if unreviewed and suggest:
        ids = codebook.ids
        zeros = [0.0] * len(ids)
        scores = np.array([list(map(per_answer[i].analysis.themes.scores.get, ids, zeros)) for i in unreviewed],
                          dtype=np.float64).reshape(len(unreviewed), len(ids))
        picks = themer.suggest_next([red[i] for i in unreviewed], k=suggest, scores=scores,
                                    lemmas=[lem[i] for i in unreviewed])
    report(1.0, "done")
    return ConsultationAnalysis(
        answers=per_answer,
        theme_counts=dict(sorted(counts.items())),
        needs_human=need,
        needs_human_by_language=dict(sorted(by_lang.items())),
        theme_priority=tp,
        links=links,
        evidence=evidence,
        gaps=gaps,
        emergent=emergent,
        agreement=themer.agreement,
        suggest_next=[unreviewed[j] for j in picks],
        trained_on=themer.n_trained,
        flagged=[i for i, a in enumerate(per_answer) if a.analysis.screening.flag],
    )
