"""The analysis job: theme and trace a consultation's answers with the analysis library.

Safe to run again: machine codings, theme–priority evidence and unaccepted emergent proposals are
replaced, never added to; people's codes are kept and teach the model.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import analysis

from ..data import consultations, themes
from ..extensions import db
from ..jobs import Progress, job
from ..models import Theme, ThemePriority

PRIORITY_LINK_THRESHOLD = 0.35


def codebook_from(rows: list[Theme]) -> analysis.Codebook:
    """Return the analysis codebook for a consultation's active themes."""
    return analysis.Codebook([analysis.Theme(id=t.key, name=t.name, description=t.description or "",
                                             examples=list(t.examples or [])) for t in rows])


@job("analyse_consultation")
def analyse_consultation(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Theme every answer, record sentiment, trace themes to priorities, propose emergent themes."""
    consultation = consultations.get(int(params["consultation_id"]))
    if consultation is None:
        raise LookupError("consultation not found")
    progress(0.02, "preparing")
    active = themes.ensure_codebook(consultation, analysis.load_default_codebook())
    db.session.commit()
    codebook = codebook_from(active)
    by_key = {t.key: t for t in active}

    rows = themes.analysable_answers(consultation)
    answers = [a for a, _ in rows]
    texts = [a.text or "" for a in answers]
    progress(0.08, "learning from people's codes")
    # People's reviews teach the model: what they added, minus what they removed, plus what they let stand.
    labels = themes.reviewed_labels(consultation)
    themer = analysis.Themer(codebook, seed=0)
    trained_on = 0
    if labels:
        index = {a.id: i for i, a in enumerate(answers)}
        train_ids = [aid for aid in labels if aid in index]
        themer.fit([texts[index[aid]] for aid in train_ids], [labels[aid] for aid in train_ids])
        trained_on = len(train_ids)

    def predict_progress(fraction: float) -> None:
        progress(0.1 + 0.6 * fraction, "theming answers")

    assignments = themer.predict(texts, progress=predict_progress) if texts else []
    codings = [(a.id, by_key[key].id, float(result.scores.get(key, 1.0)))
               for a, result in zip(answers, assignments, strict=True) for key in result.themes if key in by_key]
    themes.replace_machine_codings([a.id for a in answers], codings)
    progress(0.72, "reading how people feel")
    for a, text in zip(answers, texts, strict=True):
        a.sentiment = analysis.sentiment(text)
    db.session.commit()

    progress(0.8, "tracing themes to the plan's priorities")
    priorities = consultation.plan.priorities
    links = analysis.trace_themes(codebook, [analysis.Priority(id=str(p.id), title=p.title,
                                                               description=p.description) for p in priorities])
    effective = themes.effective_codings(consultation)
    audience_of = {a.id: aud for a, aud in rows}
    per_theme: dict[int, Counter] = defaultdict(Counter)
    for answer_id, theme_ids in effective.items():
        for tid in theme_ids:
            per_theme[tid][audience_of.get(answer_id, "")] += 1
    evidence = []
    for t in active:
        for p in priorities:
            score = float(links.get(t.key, {}).get(str(p.id), 0.0))
            counts = per_theme.get(t.id, Counter())
            linked = score >= PRIORITY_LINK_THRESHOLD
            evidence.append(ThemePriority(theme_id=t.id, priority_id=p.id, score=score,
                                          evidence_count=sum(counts.values()) if linked else 0,
                                          audiences=dict(counts) if linked else {}))
    themes.replace_theme_priorities(evidence, [t.id for t in active])
    db.session.commit()

    progress(0.9, "looking for new themes")
    emergent = analysis.propose_emergent(texts, assignments, min_size=8, max_themes=6) if texts else []
    kept = {t.key for t in themes.themes_for(consultation, statuses=("active", "merged", "rejected"))}
    proposals = []
    for e in emergent:
        key = "emergent-" + "-".join(e.label.lower().split())[:60]
        if key in kept:  # already accepted or rejected by a planner
            continue
        kept.add(key)
        proposals.append(Theme(consultation_id=consultation.id, key=key, name=e.label,
                               description=", ".join(e.key_phrases), source="emergent", status="proposed",
                               examples=[texts[j] for j in e.representatives[:3]]))
    themes.replace_proposed_emergent(consultation, proposals)
    db.session.commit()

    progress(0.95, "choosing answers to code next")
    unreviewed = [i for i, a in enumerate(answers) if a.id not in labels]
    picks = themer.suggest_next([texts[i] for i in unreviewed], k=10) if unreviewed else []
    return {"answers": len(answers), "codings": len(codings), "trained_on": trained_on,
            "emergent": len(proposals), "suggest": [answers[unreviewed[j]].id for j in picks]}
