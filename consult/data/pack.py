"""The evidence pack: who was reached, what they said, what changed; and comparing consultations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import String, cast, func, select

from ..extensions import db
from ..models import AUDIENCES, Action, Answer, Area, Consultation, Plan, Question, Response, Theme
from . import actions as action_data
from . import dashboard as dashboard_data
from . import themes as theme_data
from . import trace as trace_data
from .filters import ALL, ResultFilter


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
    answer_ids: set[int] | None = None  # the analysable answers the filter lets through (None: no filter)


def build(consultation: Consultation, result_filter: ResultFilter = ALL) -> Pack:
    """Return the consultation's evidence pack, for the filtered responses; raise EmptyConsultation if none."""
    if not result_filter.active:
        board = dashboard_data.dashboard(consultation)
        if board.total == 0:
            raise EmptyConsultation("empty")
        table = [(t, n, dict(per)) for t, n, per in theme_data.theme_table(consultation) if n]
        return Pack(consultation, board, table, trace_data.gaps(consultation),
                    action_data.actions_for(consultation))
    board = _filtered_board(consultation, result_filter)
    if board.total == 0:
        raise EmptyConsultation("empty")
    kept = dict(db.session.execute(result_filter.apply(
        select(Answer.id, Response.audience).join(Response, Answer.response_id == Response.id)
        .where(*theme_data._analysable_filter(consultation)))).all())
    per: dict[int, Counter] = {}
    for aid, tids in theme_data.effective_codings(consultation).items():
        if aid in kept:
            for tid in tids:
                per.setdefault(tid, Counter())[kept[aid]] += 1
    table = [(t, sum(per[t.id].values()), dict(per[t.id])) for t in theme_data.themes_for(consultation)
             if per.get(t.id)]
    table.sort(key=lambda r: (-r[1], r[0].name))
    counts = {t.id: n for t, n, _per in table}
    gaps = [(t, counts[t.id]) for t, _n in trace_data.gaps(consultation) if counts.get(t.id)]
    return Pack(consultation, board, table, gaps, action_data.actions_for(consultation), set(kept))


def _filtered_board(consultation: Consultation, f: ResultFilter) -> dashboard_data.Dashboard:
    """Return the dashboard's figures for the filtered submitted responses (one grouped scan, days, groups)."""
    which = (Response.consultation_id == consultation.id, Response.status == "submitted")
    cols = (Response.audience, Response.language, Response.channel, Response.area_id)
    by: dict[str, Counter] = {k: Counter() for k in ("audience", "language", "channel", "area")}
    reach_counts: Counter = Counter()
    total = 0
    for audience, language, channel, area_id, n in db.session.execute(
            f.apply(select(*cols, func.count()).where(*which).group_by(*cols))):
        total += n
        by["audience"][audience] += n
        by["language"][language] += n
        by["channel"][channel] += n
        by["area"][area_id] += n
        reach_counts[(audience, area_id)] += n
    day = func.date(Response.submitted_at)
    by_day = [(str(d), int(n)) for d, n in db.session.execute(
        f.apply(select(day, func.count()).where(*which).group_by(day).order_by(day))) if d]
    ids = f.apply(select(Response.id).where(*which))
    value = cast(Answer.value, String)
    groups_rows = db.session.execute(select(value, func.count()).where(
        Answer.response_id.in_(ids), Answer.core_id == "groups", Answer.skipped.is_(False)).group_by(value)).all()
    groups = [(g, sum(int(n) for v, n in groups_rows if f'"{g}"' in str(v or ""))) for g in dashboard_data.TRACKED_GROUPS]
    order = {a: i for i, a in enumerate(AUDIENCES)}
    areas = db.session.execute(select(Area.id, Area.name).where(
        Area.partnership_id == select(Plan.partnership_id).where(Plan.id == consultation.plan_id).scalar_subquery())
        .order_by(Area.position)).all()
    by_area = [(name, by["area"][i]) for i, name in areas if by["area"].get(i)]
    if by["area"].get(None):
        by_area.append(("", by["area"][None]))
    board = dashboard_data.Dashboard(
        total=total, in_progress=0, flagged=0, by_day=by_day,
        by_audience=sorted(by["audience"].items(), key=lambda kv: order.get(kv[0], 99)),
        by_language=dashboard_data._sorted(by["language"]), by_channel=dashboard_data._sorted(by["channel"]),
        by_area=by_area, groups=groups, groups_answered=sum(int(n) for _v, n in groups_rows))
    board.reach, board.overall_rate = dashboard_data.reach(consultation, dict(reach_counts))
    return board


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


def answers_for_export(consultation: Consultation, result_filter: ResultFilter = ALL) -> list[AnswerRow]:
    """Return the consultation's analysable answers (submitted, unflagged, redacted text) the filter lets
    through, in id order."""
    rows = db.session.execute(result_filter.apply(
        select(Answer.id, Answer.text, Question.text, Question.core_id, Response.audience, Response.language,
               Response.channel, Area.name)
        .join(Response, Answer.response_id == Response.id).join(Question, Answer.question_id == Question.id)
        .outerjoin(Area, Response.area_id == Area.id)
        .where(*theme_data._analysable_filter(consultation)).order_by(Answer.id).limit(MAX_EXPORT_ANSWERS))).all()
    names = {t.id: t.name for t in theme_data.themes_for(consultation)}
    codes = theme_data.effective_codings(consultation)
    return [AnswerRow(int(aid), qtext or {}, core, aud, lang, channel, area or "", (text or "").strip(),
                      sorted(names[t] for t in codes.get(aid, ()) if t in names))
            for aid, text, qtext, core, aud, lang, channel, area in rows]
