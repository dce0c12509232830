"""Themes, codings and theme–priority evidence."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import delete, select

from ..extensions import db
from ..models import Answer, Coding, Consultation, Response, Theme, ThemePriority


def themes_for(consultation: Consultation, *, statuses: tuple[str, ...] = ("active",)) -> list[Theme]:
    """Return the consultation's themes with the given statuses, by name."""
    return list(db.session.scalars(select(Theme).where(Theme.consultation_id == consultation.id,
                                                       Theme.status.in_(statuses)).order_by(Theme.name)))


def ensure_codebook(consultation: Consultation, codebook) -> list[Theme]:  # type: ignore[no-untyped-def]
    """Create the consultation's themes from a codebook if it has none yet; return the active themes."""
    existing = themes_for(consultation, statuses=("active", "proposed", "merged", "rejected"))
    if not existing:
        for t in codebook.themes:
            db.session.add(Theme(consultation_id=consultation.id, key=t.id, name=t.name,
                                 description=t.description, examples=list(t.examples), source="codebook"))
        db.session.flush()
    return themes_for(consultation)


def analysable_answers(consultation: Consultation) -> list[tuple[Answer, str]]:
    """Return (answer, audience) for submitted, unflagged answers with redacted free text, in id order.

    Flagged responses never reach themes, quotes or exports: they are filtered here, at the source.
    """
    rows = db.session.execute(
        select(Answer, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted",
               Response.safeguarding.is_(False), Answer.text.is_not(None), Answer.skipped.is_(False))
        .order_by(Answer.id)
    ).all()
    return [(a, aud) for a, aud in rows if a.text and a.text.strip()]


def human_labels(answer_ids: list[int], theme_by_id: dict[int, Theme]) -> dict[int, list[str]]:
    """Return {answer id: [theme keys]} for answers a person has coded (present codes only)."""
    labels: dict[int, set[str]] = defaultdict(set)
    coded: set[int] = set()
    for c in db.session.scalars(select(Coding).where(Coding.source == "human", Coding.answer_id.in_(answer_ids))):
        coded.add(c.answer_id)
        if c.present and c.theme_id in theme_by_id:
            labels[c.answer_id].add(theme_by_id[c.theme_id].key)
    return {aid: sorted(labels.get(aid, set())) for aid in coded}


def replace_machine_codings(answer_ids: list[int], codings: list[tuple[int, int, float]]) -> None:
    """Replace the machine codings of these answers with [(answer id, theme id, confidence)]."""
    for start in range(0, len(answer_ids), 500):
        chunk = answer_ids[start : start + 500]
        db.session.execute(delete(Coding).where(Coding.source == "machine", Coding.answer_id.in_(chunk)))
    db.session.bulk_insert_mappings(Coding, [  # type: ignore[arg-type]
        {"answer_id": a, "theme_id": t, "source": "machine", "confidence": c, "present": True}
        for a, t, c in codings])


def replace_theme_priorities(rows: list[ThemePriority], theme_ids: list[int]) -> None:
    """Replace the theme × priority evidence for these themes."""
    db.session.execute(delete(ThemePriority).where(ThemePriority.theme_id.in_(theme_ids)))
    db.session.add_all(rows)


def replace_proposed_emergent(consultation: Consultation, proposals: list[Theme]) -> None:
    """Replace earlier emergent proposals nobody has accepted with new ones."""
    db.session.execute(delete(Theme).where(Theme.consultation_id == consultation.id, Theme.source == "emergent",
                                           Theme.status == "proposed"))
    db.session.add_all(proposals)


def theme_counts(consultation: Consultation) -> Counter:
    """Return {theme id: number of answers coded with it} (human codes override the machine's)."""
    effective = effective_codings(consultation)
    return Counter(t for themes in effective.values() for t in themes)


def effective_codings(consultation: Consultation) -> dict[int, set[int]]:
    """Return {answer id: theme ids} where a person's code (present or removed) overrides the machine."""
    answer_ids = [a.id for a, _ in analysable_answers(consultation)]
    result: dict[int, set[int]] = {aid: set() for aid in answer_ids}
    human: dict[tuple[int, int], bool] = {}
    machine: list[tuple[int, int]] = []
    for start in range(0, len(answer_ids), 900):
        chunk = answer_ids[start : start + 900]
        for c in db.session.scalars(select(Coding).where(Coding.answer_id.in_(chunk))):
            if c.source == "human":
                human[(c.answer_id, c.theme_id)] = c.present
            else:
                machine.append((c.answer_id, c.theme_id))
    for a, t in machine:
        if human.get((a, t), True):
            result[a].add(t)
    for (a, t), present in human.items():
        if present:
            result.setdefault(a, set()).add(t)
    return result
