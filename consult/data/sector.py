"""The TSI's combined sector response: points drawn from member organisations' responses."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Coding, Consultation, Priority, Response, SectorPoint, SectorResponse, Theme
from ..models._base import utcnow

EXCERPT = 280


def get_sector_response(consultation_id: int) -> SectorResponse | None:
    """Return the consultation's sector response, or None."""
    return db.session.scalar(select(SectorResponse).where(SectorResponse.consultation_id == consultation_id))


def get_or_create(consultation: Consultation) -> SectorResponse:
    """Return the sector response, starting an empty one."""
    sector = get_sector_response(consultation.id)
    if sector is None:
        sector = SectorResponse(consultation_id=consultation.id, summary="")
        db.session.add(sector)
        db.session.flush()
    return sector


@dataclass
class Draft:
    """A point being assembled."""

    text: str
    theme_id: int | None = None
    org_ids: list[int] = field(default_factory=list)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


def draft_points(consultation: Consultation, responses: list[Response], labels: dict[str, str]) -> list[Draft]:
    """Return points from members' submitted responses: one per analysis theme found, then one per priority.

    ``labels`` gives translated words: agree, partly, disagree, themes_intro.
    """
    if not responses:
        return []
    by_id = {r.id: r for r in responses}
    answers = list(db.session.scalars(select(Answer).where(Answer.response_id.in_(list(by_id)))
                                      .order_by(Answer.response_id, Answer.id)))
    drafts: list[Draft] = []
    # Themes from the analysis (machine or human codings that stand), when there are any.
    coded = db.session.execute(
        select(Coding.answer_id, Theme.id, Theme.name, Coding.source, Coding.present)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(Coding.answer_id.in_([a.id for a in answers]), Theme.status == "active")).all()
    rejected = {(aid, tid) for aid, tid, _n, src, present in coded if src == "human" and not present}
    themes: OrderedDict[int, Draft] = OrderedDict()
    answer_by_id = {a.id: a for a in answers}
    for aid, tid, name, _src, present in sorted(coded, key=lambda c: (c[2], c[0])):
        if not present or (aid, tid) in rejected:
            continue
        answer = answer_by_id[aid]
        org_id = by_id[answer.response_id].organisation_id
        draft = themes.setdefault(tid, Draft(text=name, theme_id=tid))
        if org_id not in draft.org_ids:
            draft.org_ids.append(org_id)
            if answer.text:
                draft.text += f"\n– {_excerpt(answer.text)}"
    drafts.extend(themes.values())
    # The structured part: agreement with each plan priority, with the reasons given.
    priorities = {p.key: p for p in db.session.scalars(select(Priority).where(
        Priority.plan_id == consultation.plan_id).order_by(Priority.position))}
    per_priority: OrderedDict[str, dict] = OrderedDict((k, {"counts": {}, "orgs": [], "why": []}) for k in priorities)
    for answer in answers:
        spec = answer.question.spec if answer.question is not None else {}
        key = spec.get("priority") if answer.question is not None and answer.question.type == "agree_priority" \
            else None
        if key not in per_priority or answer.skipped or answer.value not in ("agree", "partly", "disagree"):
            continue
        slot = per_priority[key]
        slot["counts"][answer.value] = slot["counts"].get(answer.value, 0) + 1
        org_id = by_id[answer.response_id].organisation_id
        if org_id not in slot["orgs"]:
            slot["orgs"].append(org_id)
        if answer.text:
            slot["why"].append(_excerpt(answer.text))
    for key, slot in per_priority.items():
        if not slot["orgs"]:
            continue
        counts = ", ".join(f"{labels[v]}: {slot['counts'][v]}" for v in ("agree", "partly", "disagree")
                           if slot["counts"].get(v))
        text = f"{priorities[key].title} ({counts})"
        for why in slot["why"][:5]:
            text += f"\n– {why}"
        drafts.append(Draft(text=text, org_ids=slot["orgs"]))
    return drafts


def replace_points(sector: SectorResponse, drafts: list[Draft]) -> None:
    """Start the sector response again from freshly drawn points (only before it is submitted)."""
    if sector.submitted_at is not None:
        raise ValueError("already submitted")
    sector.points.clear()
    db.session.flush()
    for i, d in enumerate(drafts):
        sector.points.append(SectorPoint(position=i, text=d.text, theme_id=d.theme_id,
                                         supporting_org_ids=sorted(i for i in d.org_ids if i is not None)))
    db.session.flush()


def update(sector: SectorResponse, *, summary: str, texts: dict[int, str], remove: set[int]) -> None:
    """Save the TSI's edits: the summary, each point's wording, points removed."""
    if sector.submitted_at is not None:
        raise ValueError("already submitted")
    sector.summary = summary
    for point in list(sector.points):
        if point.id in remove:
            sector.points.remove(point)
        elif point.id in texts:
            point.text = texts[point.id]
    for i, point in enumerate(sector.points):
        point.position = i
    db.session.flush()


def submit(sector: SectorResponse, *, user_id: int) -> bool:
    """Submit the sector response; False if it already was."""
    if sector.submitted_at is not None:
        return False
    sector.submitted_at = utcnow()
    sector.submitted_by_id = user_id
    db.session.flush()
    return True
