"""The analysis job: theme and trace a consultation's answers with the analysis library.

Safe to run again: machine codings, theme–priority evidence and unaccepted emergent proposals are
replaced, never added to; people's codes are kept and teach the model.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import analysis

from ..data import consultations, themes
from ..data import trace as trace_data
from ..extensions import db
from ..jobs import Progress, job
from ..models import Theme, ThemePriority
from . import answers as answers_service

# The link threshold is the analysis library's (analysis.LINK_THRESHOLD); the app keeps none of its own.
PRIORITY_LINK_THRESHOLD = analysis.LINK_THRESHOLD


def codebook_from(rows: list[Theme]) -> analysis.Codebook:
    """Return the analysis codebook for a consultation's active themes."""
    return analysis.Codebook([analysis.Theme(id=t.key, name=t.name, description=t.description or "",
                                             examples=list(t.examples or [])) for t in rows])


@job("analyse_consultation")
def analyse_consultation(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Theme every answer, record sentiment, trace answers and themes to priorities, propose emergent themes."""
    consultation = consultations.get(int(params["consultation_id"]))
    if consultation is None:
        raise LookupError("consultation not found")
    progress(0.02, "preparing")
    active = themes.ensure_codebook(consultation, analysis.load_default_codebook())
    db.session.commit()  # a job commits its own steps: the codebook is stored before the slow part
    codebook = codebook_from(active)
    by_key = {t.key: t for t in active}

    rows = themes.analysable_answers(consultation)
    answers = [a for a, _ in rows]
    # The answer and its chat follow-up reply, both redacted: analysis reads both parts.
    texts = [answers_service.text_for_analysis(a) for a in answers]
    progress(0.08, "learning from people's codes")
    # People's reviews teach the model: what they added, minus what they removed, plus what they let stand.
    labels = themes.reviewed_labels(consultation)
    index = {a.id: i for i, a in enumerate(answers)}
    reviewed = {index[aid]: codes for aid, codes in labels.items() if aid in index}
    priorities = consultation.plan.priorities
    prios = [analysis.Priority(id=str(p.id), title=p.title, description=p.description) for p in priorities]

    def step(fraction: float, what: str) -> None:
        progress(0.1 + 0.75 * fraction, what)

    # One pass in the library: redact, screen, theme, stance, trace and emergent (the app loads, calls, stores).
    # Planners' confirmed and rejected theme ↔ priority links win over the scores, run after run.
    decisions = trace_data.link_decisions(consultation)
    result = analysis.analyse_consultation(texts, codebook, prios, reviewed, progress=step, link_decisions=decisions,
                                           emergent_min_size=8, emergent_max=6)
    codings = [(a.id, by_key[key].id, float(r.analysis.themes.scores.get(key, 1.0)))
               for a, r in zip(answers, result.answers, strict=True) for key in r.themes if key in by_key]
    themes.replace_machine_codings([a.id for a in answers], codings)
    for a, r in zip(answers, result.answers, strict=True):
        a.sentiment = r.sentiment
    db.session.commit()  # a job: each stage is stored as it finishes, so a rerun starts from stored codings

    progress(0.86, "tracing answers to the plan's priorities")
    effective = themes.effective_codings(consultation)
    audience_of = {a.id: aud for a, aud in rows}
    own = {a.id: r.analysis.priorities or {} for a, r in zip(answers, result.answers, strict=True)}
    evidence = []
    for t in active:
        members = [aid for aid, tids in effective.items() if t.id in tids]
        for p in priorities:
            pid = str(p.id)
            score = float(result.theme_priority.get(t.key, {}).get(pid, 0.0))
            linked = result.links.get(t.key, {}).get(pid, False)
            # Only answers whose own words support the priority count: a theme linked to two priorities does
            # not lend both all its answers.
            counts = Counter(audience_of.get(aid, "") for aid in members
                             if own.get(aid, {}).get(pid, 0.0) >= result.threshold) if linked else Counter()
            evidence.append(ThemePriority(theme_id=t.id, priority_id=p.id, score=score,
                                          evidence_count=sum(counts.values()), audiences=dict(counts)))
    themes.replace_theme_priorities(evidence, [t.id for t in active])
    db.session.commit()  # a job: the evidence is stored before emergent themes are looked for

    progress(0.9, "looking for new themes")
    kept = {t.key for t in themes.themes_for(consultation, statuses=("active", "merged", "rejected"))}
    proposals = []
    for e in result.emergent:
        key = "emergent-" + "-".join(e.label.lower().split())[:60]
        if key in kept:  # already accepted or rejected by a planner
            continue
        kept.add(key)
        proposals.append(Theme(consultation_id=consultation.id, key=key, name=e.label,
                               description=", ".join(e.key_phrases), source="emergent", status="proposed",
                               examples=[result.answers[j].analysis.redaction.text for j in e.representatives[:3]],
                               member_ids=sorted(answers[j].id for j in e.members)))
    themes.replace_proposed_emergent(consultation, proposals)
    db.session.commit()  # a job: the proposals are stored

    ag = result.agreement
    need_ids = [answers[i].id for i in result.needs_human]
    return {"answers": len(answers), "codings": len(codings), "trained_on": result.trained_on,
            "emergent": len(proposals), "suggest": [answers[i].id for i in result.suggest_next],
            # Answers nobody could theme with confidence: the themes page says how many, and by language.
            "needs_human": len(need_ids), "needs_human_ids": need_ids[:1000],
            "needs_human_by_language": result.needs_human_by_language,
            # Each one's detected language, so the "needs a person" list can show those the codebook cannot read.
            "needs_human_languages": {str(answers[i].id): result.answers[i].analysis.themes.language
                                      for i in result.needs_human[:1000] if result.answers[i].analysis.themes},
            # Out-of-sample agreement (cross-validated over the reviewed answers), never the training fit.
            "agreement": {"n": ag.n, "verdict": ag.verdict, "sample_f1": ag.sample_f1,
                          "sample_f1_ci": list(ag.sample_f1_ci) if ag.sample_f1_ci else None,
                          "kappa": ag.kappa, "too_early": ag.too_early}}
