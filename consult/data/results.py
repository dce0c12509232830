"""Results by question: every structured question counted by audience, every free-text question's themes.

``summaries(consultation, filter)`` is the one place the answers are summarised; the results page, the
evidence pack and the exports all read it. Counts are exact (staff figures): anything that leaves the
staff area goes through ``QuestionSummary.published(threshold)`` (consult.services.suppression).

Counts are of submitted responses not held back for safeguarding (as themes are): a response the
safeguarding lead is still looking at is counted on the dashboard's reach, but its answers are not
summarised until it is cleared.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, func, select

from forms import PREFER_NOT_TO_SAY, QUESTION_TYPES
from forms.types import BuildContext

from ..extensions import db
from ..models import AUDIENCES, Answer, Coding, Consultation, Response, Theme
from ..services.suppression import Table, suppress_table
from . import consultations
from . import themes as theme_data
from .answer_scope import answer_in
from .filters import ALL, ResultFilter

#: How a question is summarised, from its answer kind.
SCALE, CHOICE, CHOICES, RANK, TEXT = "scale", "choice", "choices", "rank", "text"
RANK_POINTS = (3, 2, 1)
TOP_THEMES = 8


@dataclass
class Row:
    """One audience's answers to one question (or every audience's, for the total row)."""

    audience: str  # "" for all audiences together
    answered: int = 0  # people who gave an answer (skips not counted); "rather not say" is an answer
    counts: dict[str, int] = field(default_factory=dict)  # option → people choosing it (rank: in their top three)
    firsts: dict[str, int] = field(default_factory=dict)  # rank only: option → people ranking it first
    reasons: int = 0  # answers with words (a free-text question, or "why" beside an agree scale)
    scale_sum: int = 0  # scale only: the sum of the 1–5 answers, for the mean
    scale_n: int = 0  # scale only: answers on the scale ("rather not say" left out)

    def count(self, value: str) -> int:
        """Return how many people chose ``value``."""
        return self.counts.get(value, 0)

    def share(self, value: str) -> float:
        """Return the share (0–100) of those who answered who chose ``value``."""
        return 100.0 * self.count(value) / self.answered if self.answered else 0.0

    @property
    def mean(self) -> float | None:
        """Return the mean of a scale's answers (1 worst to 5 best), or None."""
        return self.scale_sum / self.scale_n if self.scale_n else None


@dataclass
class QuestionSummary:
    """One question (one core id) across every audience asked it."""

    core_id: str
    type: str
    kind: str
    text: str  # the wording the first audience asked it with, in the language asked for
    wordings: dict[str, str]  # audience → wording (they differ: a child's face scale, a parent's)
    options: list[tuple[str, str]]  # (value, label), in the order offered, "rather not say" last
    rows: list[Row]  # one per audience asked, in the usual audience order
    total: Row
    themes: list[tuple[Theme, int]] = field(default_factory=list)  # free text: themes raised, most first

    @property
    def shown(self) -> list[Row]:
        """Return the rows of audiences who answered (every row if nobody has)."""
        return [r for r in self.rows if r.answered] or self.rows

    @property
    def not_answered(self) -> list[str]:
        """Return the audiences asked who have not answered (in the filter)."""
        return [r.audience for r in self.rows if not r.answered] if any(r.answered for r in self.rows) else []

    @property
    def comparable(self) -> bool:
        """Return True if more than one audience answered it (so they are compared side by side)."""
        return len(self.shown) > 1

    @property
    def multiple(self) -> bool:
        """Return True if one person could choose several options (shares do not add up to 100)."""
        return self.kind in (CHOICES, RANK)

    @property
    def structured(self) -> bool:
        """Return True unless the question is free text only."""
        return self.kind != TEXT

    def label(self, value: str) -> str:
        """Return an option's label."""
        return next((str(lbl) for v, lbl in self.options if v == value), value)

    def published(self, threshold: int) -> Table:
        """Return the audience × option table as it may leave the staff area (suppressed as one table)."""
        rows = {r.audience: {v: r.count(v) for v, _l in self.options} for r in self.shown}
        totals = {r.audience: r.answered for r in self.shown}
        return suppress_table(rows, threshold, columns=[v for v, _l in self.options], row_totals=totals)


def _kind(qtype: Any, spec: dict) -> str:
    kind = qtype.kind_for(spec)
    if kind == "scale5":
        return SCALE
    if kind == "ranking":
        return RANK
    if kind == "choices":
        return CHOICES
    if not hasattr(qtype, "choice_list"):
        return TEXT
    return CHOICE


def _values(raw: str | None) -> list[str]:
    """Return the option values in a stored answer's JSON text ("3", '"yes"', '["a", "b"]')."""
    if raw is None:
        return []
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        value = raw
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if v is not None and not isinstance(v, dict | list)]


def _analysed(consultation: Consultation) -> tuple:
    return (Response.consultation_id == consultation.id, answer_in(consultation.id), Response.status == "submitted",
            Response.safeguarding.is_(False), Answer.skipped.is_(False))


def summaries(consultation: Consultation, result_filter: ResultFilter = ALL, *,
              lang: str = "en") -> list[QuestionSummary]:
    """Return every question's summary, in the order the questions are asked, for the filtered responses."""
    definition = consultations.definition_of(consultation)
    areas = [(a.code, a.name) for a in consultation.plan.partnership.areas]
    order = {a: i for i, a in enumerate(AUDIENCES)}
    asked: dict[str, list[tuple[str, Any]]] = {}  # core id → [(audience, QuestionDef)]
    for audience in sorted(definition.audiences, key=lambda a: order.get(a.audience, 99)):
        if not result_filter.allows_audience(audience.audience):
            continue
        for q in audience.questions:
            asked.setdefault(q.core_id, []).append((audience.audience, q))
    first_seen = {core: i for i, core in enumerate(
        dict.fromkeys(q.core_id for a in definition.audiences for q in a.questions))}

    value_text = cast(Answer.value, String)
    grouped = db.session.execute(result_filter.apply(
        select(Answer.core_id, Response.audience, value_text, func.count())
        .join(Response, Answer.response_id == Response.id)
        .where(*_analysed(consultation), Answer.value.is_not(None))
        .group_by(Answer.core_id, Response.audience, value_text))).all()
    # the free-text answers with their codes, in one pass (an uncoded answer comes once, with no theme)
    texts = db.session.execute(result_filter.apply(
        select(Answer.id, Answer.core_id, Response.audience, Coding.theme_id, Coding.source, Coding.present)
        .join(Response, Answer.response_id == Response.id)
        .outerjoin(Coding, Coding.answer_id == Answer.id)
        .where(*_analysed(consultation), Answer.text.is_not(None), func.trim(Answer.text) != ""))).all()

    per: dict[tuple[str, str], Row] = {}
    for core_id, audience, raw, n in grouped:
        row = per.setdefault((core_id, audience), Row(audience))
        values = _values(raw)
        if not values:
            continue
        row.answered += int(n)
        for v in dict.fromkeys(values):
            row.counts[v] = row.counts.get(v, 0) + int(n)
        row.firsts[values[0]] = row.firsts.get(values[0], 0) + int(n)
        if values[0].isdigit():
            row.scale_sum += int(values[0]) * int(n)
            row.scale_n += int(n)
    text_ids: dict[str, list[int]] = defaultdict(list)
    seen: set[int] = set()
    for answer_id, core_id, audience, *_code in texts:
        if answer_id in seen:
            continue
        seen.add(answer_id)
        row = per.setdefault((core_id, audience), Row(audience))
        row.reasons += 1
        text_ids[core_id].append(int(answer_id))

    theme_names = {t.id: t for t in theme_data.themes_for(consultation)}
    effective = theme_data.resolve_codings((aid, t, source, present) for aid, _c, _a, t, source, present in texts)

    out: list[QuestionSummary] = []
    for core_id in sorted(asked, key=lambda c: first_seen.get(c, 999)):
        audiences = asked[core_id]
        first = audiences[0][1]
        qtype = QUESTION_TYPES[first.type]
        kind = _kind(qtype, first.spec)
        ctx = BuildContext(lang=lang, area_options=areas if first.type == "area" else None)
        options: list[tuple[str, str]] = []
        if kind != TEXT:
            options = [(str(v), str(lbl)) for v, lbl, _pic in qtype.choice_list(first, ctx)]
        rows = [per.get((core_id, aud), Row(aud)) for aud, _q in audiences]
        known = {v for v, _l in options}
        for extra in sorted({v for r in rows for v in r.counts} - known):  # an option since removed
            options.insert(len(options) - (1 if options and options[-1][0] == PREFER_NOT_TO_SAY else 0),
                           (extra, extra))
        total = Row("")
        for r in rows:
            total.answered += r.answered
            total.reasons += r.reasons
            total.scale_sum += r.scale_sum
            total.scale_n += r.scale_n
            for v, n in r.counts.items():
                total.counts[v] = total.counts.get(v, 0) + n
            for v, n in r.firsts.items():
                total.firsts[v] = total.firsts.get(v, 0) + n
        raised: Counter = Counter()
        for answer_id in text_ids.get(core_id, []):
            raised.update(effective.get(answer_id, set()))
        themes = [(theme_names[t], n) for t, n in raised.most_common() if t in theme_names][:TOP_THEMES]
        wordings = {aud: BuildContext(lang=lang).text(q.text) for aud, q in audiences}
        out.append(QuestionSummary(core_id=core_id, type=first.type, kind=kind, text=wordings[audiences[0][0]],
                                   wordings=wordings, options=options, rows=rows, total=total, themes=themes))
    return out


def summary(consultation: Consultation, core_id: str, result_filter: ResultFilter = ALL, *,
            lang: str = "en") -> QuestionSummary | None:
    """Return one question's summary, or None if no audience (in the filter) was asked it."""
    return next((s for s in summaries(consultation, result_filter, lang=lang) if s.core_id == core_id), None)
