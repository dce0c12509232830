"""The evidence pack: who was reached, what they said, what changed; and comparing consultations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Action, Answer, Area, Consultation, Plan, Question, Response, Theme
from . import actions as action_data
from . import dashboard as dashboard_data
from . import themes as theme_data
from . import trace as trace_data


class EmptyConsultation(ValueError):
    """There is nothing to put in a pack: no one has answered yet."""


@dataclass
class Pack:
    """Everything an evidence pack shows."""

    consultation: Consultation
    board: dashboard_data.Dashboard
    themes: list[tuple[Theme, int, dict[str, int]]]
    gaps: list[tuple[Theme, int]]
    actions: list[Action]


def build(consultation: Consultation) -> Pack:
    """Return the consultation's evidence pack; raise EmptyConsultation if no one has answered."""
    board = dashboard_data.dashboard(consultation)
    if board.total == 0:
        raise EmptyConsultation("empty")
    table = [(t, n, dict(per)) for t, n, per in theme_data.theme_table(consultation) if n]
    return Pack(consultation, board, table, trace_data.gaps(consultation), action_data.actions_for(consultation))


def other_consultations(consultation: Consultation) -> list[Consultation]:
    """Return the same partnership's other consultations one can compare with, newest first."""
    mine = select(Plan.id).where(Plan.partnership_id == select(Plan.partnership_id)
                                 .where(Plan.id == consultation.plan_id).scalar_subquery())
    return list(db.session.scalars(select(Consultation).where(Consultation.id != consultation.id,
                                                              Consultation.plan_id.in_(mine))
                                   .order_by(Consultation.opens_on.desc())))


def compare(a: Consultation, b: Consultation) -> list[tuple[str, int, float, int, float]]:
    """Return (theme name, count in a, share of a's answers, count in b, share in b), matched by theme key."""
    rows: dict[str, list] = {}
    for which, c in ((0, a), (1, b)):
        table = theme_data.theme_table(c)
        answers = len(theme_data.analysable_ids(c)) or 1
        for t, n, _per in table:
            row = rows.setdefault(t.key, [t.name, 0, 0.0, 0, 0.0])
            row[1 + 2 * which], row[2 + 2 * which] = n, n / answers
    out = [tuple(r) for r in rows.values() if r[1] or r[3]]
    out.sort(key=lambda r: (-(r[1] + r[3]), r[0]))
    return out  # type: ignore[return-value]


@dataclass
class AnswerRow:
    """One free-text answer for the answers export: redacted text, what it answered, who (broadly) gave it."""

    answer_id: int
    question: dict[str, str]
    core_id: str
    audience: str
    language: str
    channel: str
    area: str
    text: str
    themes: list[str]


MAX_EXPORT_ANSWERS = 200_000


def answers_for_export(consultation: Consultation) -> list[AnswerRow]:
    """Return the consultation's analysable answers (submitted, unflagged, redacted text), in id order."""
    rows = db.session.execute(
        select(Answer.id, Answer.text, Question.text, Question.core_id, Response.audience, Response.language,
               Response.channel, Area.name)
        .join(Response, Answer.response_id == Response.id).join(Question, Answer.question_id == Question.id)
        .outerjoin(Area, Response.area_id == Area.id)
        .where(*theme_data._analysable_filter(consultation)).order_by(Answer.id).limit(MAX_EXPORT_ANSWERS)).all()
    names = {t.id: t.name for t in theme_data.themes_for(consultation)}
    codes = theme_data.effective_codings(consultation)
    return [AnswerRow(int(aid), qtext or {}, core, aud, lang, channel, area or "", (text or "").strip(),
                      sorted(names[t] for t in codes.get(aid, ()) if t in names))
            for aid, text, qtext, core, aud, lang, channel, area in rows]
