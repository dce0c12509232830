"""Planners edit a consultation's definition in the app: readability checks and applying changes safely."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select

from forms import AudienceDef, ConsultationDefinition, ReadabilityCheck, check_readability

from ..extensions import db
from ..models import Answer, AudienceVariant, Consultation, Question, Response


@dataclass(frozen=True)
class ReadabilityRow:
    """One piece of English wording and how it scores against its audience's target."""

    audience: str
    where: str
    text: str
    check: ReadabilityCheck


@dataclass(frozen=True)
class RefusedChange:
    """A change to the definition refused because people have answered what it would change.

    ``code`` is ``audience_removed`` (``audience``), ``question_removed`` (audience number ``i``,
    ``core_id``) or ``type_changed`` (``i``, question number ``j``, ``old`` and ``new`` types), numbered
    from 0 as the definition's paths are. The planner's pages word it (``consult/planner/definitions.py``,
    ``refused_change_message``) with the path first, as the definition's own problems are named.
    """

    code: str
    audience: str = ""
    i: int = 0
    j: int = 0
    core_id: str = ""
    old: str = ""
    new: str = ""


def wording(audience: AudienceDef) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (where, {lang: text}) for every piece of prose the audience reads."""
    if audience.intro:
        yield "intro", audience.intro
    for q in audience.questions:
        for key in ("text", "easy_read", "help", "follow_up"):
            value = getattr(q, key)
            if value:
                yield f"{q.core_id}.{key}", value
        if q.spec.get("why"):
            yield f"{q.core_id}.why", q.spec["why"]


def readability_rows(definition: ConsultationDefinition) -> dict[str, list[ReadabilityRow]]:
    """Return, per audience, every piece of English wording with its readability against the target."""
    out: dict[str, list[ReadabilityRow]] = {}
    for audience in definition.audiences:
        rows = []
        for where, mapping in wording(audience):
            text = mapping.get("en") or ""
            if text.strip():
                rows.append(ReadabilityRow(audience.audience, where, text, check_readability(text, audience.audience)))
        out[audience.audience] = rows
    return out


def _answered_question_ids(consultation: Consultation) -> set[int]:
    rows = db.session.execute(select(Answer.question_id).join(Response).where(
        Response.consultation_id == consultation.id).group_by(Answer.question_id)).all()
    return {r[0] for r in rows}


def _responses_by_variant(consultation: Consultation) -> dict[int, int]:
    rows = db.session.execute(select(Response.variant_id, func.count()).where(
        Response.consultation_id == consultation.id).group_by(Response.variant_id)).all()
    return {vid: n for vid, n in rows}


def apply_definition(consultation: Consultation, definition: ConsultationDefinition) -> list[RefusedChange]:
    """Update the consultation from an edited definition; return the changes refused (nothing changes if any).

    Wording, options and settings may change at any time. Once people have answered, a question
    cannot be removed or change type, and an audience cannot be removed, so stored answers keep
    their meaning.
    """
    answered = _answered_question_ids(consultation)
    by_variant = _responses_by_variant(consultation)
    problems: list[RefusedChange] = []
    new_codes = definition.audience_codes
    for variant in consultation.variants:
        if variant.audience not in new_codes and by_variant.get(variant.id):
            problems.append(RefusedChange("audience_removed", audience=variant.audience))
            continue
        if variant.audience not in new_codes:
            continue
        new = definition.audience(variant.audience)
        i = new_codes.index(variant.audience)
        for q in variant.questions:
            if q.id not in answered:
                continue
            try:
                nq = new.question(q.core_id)
            except KeyError:
                problems.append(RefusedChange("question_removed", audience=variant.audience, i=i, core_id=q.core_id))
                continue
            if nq.type != q.type:
                j = new.core_ids.index(q.core_id)
                problems.append(RefusedChange("type_changed", audience=variant.audience, i=i, j=j, core_id=q.core_id,
                                              old=q.type, new=nq.type))
    if problems:
        return problems

    consultation.title = dict(definition.title)
    consultation.purpose = dict(definition.purpose or {})
    consultation.languages = list(definition.languages)
    existing = {v.audience: v for v in consultation.variants}
    for position, aud in enumerate(definition.audiences):
        variant = existing.pop(aud.audience, None)
        if variant is None:
            variant = AudienceVariant(audience=aud.audience)
            consultation.variants.append(variant)
        variant.position, variant.title, variant.intro = position, dict(aud.title), dict(aud.intro or {})
        old_questions = {q.core_id: q for q in variant.questions}
        kept = []
        for j, qd in enumerate(aud.questions):
            q = old_questions.pop(qd.core_id, None) or Question(core_id=qd.core_id, version=1)
            if q.id is not None and (q.spec != dict(qd.spec) or q.type != qd.type):
                q.version = (q.version or 1) + 1  # the editor's optimistic lock: this question changed
            q.position, q.type, q.text, q.spec = j, qd.type, dict(qd.text), dict(qd.spec)
            kept.append(q)
        variant.questions = kept  # questions left in old_questions had no answers: delete-orphan removes them
    for variant in existing.values():  # audiences removed that nobody answered
        consultation.variants.remove(variant)
    consultation.definition_version = (consultation.definition_version or 1) + 1  # cached copies go stale
    db.session.flush()
    return []
