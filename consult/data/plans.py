"""Children's Services Plans: create, clone and edit a plan, record outcome indicator values, plan-year reviews."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import (
    SHANARRI,
    Consultation,
    IndicatorValue,
    LinkDecision,
    OutcomeIndicator,
    Plan,
    PlanReview,
    Priority,
    Response,
    Theme,
    ThemePriority,
)
from . import audit

MIN_PRIORITIES, MAX_PRIORITIES = 3, 5


class PlanError(ValueError):
    """A plan could not be saved as asked; ``code`` says why and ``field`` where (views word the message).

    Codes: ``priority_count`` (``count``), ``ends_before_start``, ``overlaps`` (``other`` is the plan's title).
    """

    def __init__(self, code: str, field: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.field, self.details = code, field, details


@dataclass
class IndicatorInput:
    """An outcome indicator as a planner typed it (id of the row it edits, if any)."""

    name: str
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    higher_is_better: bool = True
    id: int | None = None


@dataclass
class PriorityInput:
    """A priority as a planner typed it (id of the row it edits, if any)."""

    title: str
    description: str = ""
    shanarri: list[str] = field(default_factory=list)
    indicators: list[IndicatorInput] = field(default_factory=list)
    id: int | None = None


def get_plan(plan_id: int) -> Plan | None:
    """Return a plan by id (callers are already scoped to the partnership by the URL's plan_id)."""
    return db.session.get(Plan, plan_id)


def plans_of(partnership_id: int | None) -> list[Plan]:
    """Return a partnership's plans, newest period first."""
    return list(db.session.scalars(select(Plan).where(Plan.partnership_id == partnership_id)
                                   .order_by(Plan.period_start.desc(), Plan.id.desc())))


def _key_for(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", title).encode("ascii", "ignore")
                  .decode().lower()).strip("-")[:50] or "priority"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def check_plan(partnership_id: int, *, period_start: date, period_end: date, priorities: list[PriorityInput],
               plan_id: int | None = None) -> None:
    """Raise PlanError if the plan breaks a rule: 3 to 5 priorities, an end after the start, no overlap."""
    if not MIN_PRIORITIES <= len(priorities) <= MAX_PRIORITIES:
        raise PlanError("priority_count", "priorities", count=len(priorities))
    if period_end <= period_start:
        raise PlanError("ends_before_start", "period_end")
    other = db.session.scalar(select(Plan).where(
        Plan.partnership_id == partnership_id, Plan.id != (plan_id or 0),
        Plan.period_start <= period_end, Plan.period_end >= period_start).limit(1))
    if other is not None:
        raise PlanError("overlaps", "period_start", other=other.title, start=other.period_start, end=other.period_end)


def save_plan(partnership_id: int, *, title: str, period_start: date, period_end: date, vision: str,
              priorities: list[PriorityInput], plan: Plan | None = None, by_user_id: int | None = None) -> Plan:
    """Create a plan, or change one, with its priorities and outcome indicators (not committed).

    Priorities and indicators keep their rows (and so their theme links, actions and recorded values)
    when the input carries their id; ones left out are removed. Raises PlanError.
    """
    check_plan(partnership_id, period_start=period_start, period_end=period_end, priorities=priorities,
               plan_id=plan.id if plan else None)
    if plan is None:
        plan = Plan(partnership_id=partnership_id, title=title, period_start=period_start, period_end=period_end,
                    vision=vision)
        db.session.add(plan)
    else:
        plan.title, plan.period_start, plan.period_end, plan.vision = title, period_start, period_end, vision
    existing = {p.id: p for p in plan.priorities}
    kept: list[Priority] = []
    taken = {p.key for p in plan.priorities if any(p.id == x.id for x in priorities)}
    for i, spec in enumerate(priorities):
        row = existing.get(spec.id) if spec.id else None
        if row is None:
            row = Priority(key=_key_for(spec.title, taken), title=spec.title)
        row.position, row.title, row.description = i, spec.title, spec.description
        row.shanarri = [s for s in SHANARRI if s in spec.shanarri]
        row.outcome_indicators = [ind.name for ind in spec.indicators]
        old = {ind.id: ind for ind in row.indicators}
        row.indicators = []
        for j, ind in enumerate(spec.indicators):
            irow = old.get(ind.id) if ind.id else None
            irow = irow or OutcomeIndicator(name=ind.name)
            irow.position, irow.name, irow.unit = j, ind.name, ind.unit
            irow.baseline, irow.target, irow.higher_is_better = ind.baseline, ind.target, ind.higher_is_better
            row.indicators.append(irow)
        kept.append(row)
    plan.priorities = kept
    db.session.flush()
    audit.record("plan.save", user_id=by_user_id, object_type="plan", object_id=plan.id,
                 priorities=len(kept))
    return plan


def clone_input(plan: Plan) -> dict:
    """Return what a new plan cloned from this one starts with: the next period, the same words (no ids)."""
    length = plan.period_end.year - plan.period_start.year or 3

    def shift(d: date) -> date:
        try:
            return d.replace(year=d.year + length)
        except ValueError:  # 29 February
            return d.replace(year=d.year + length, day=28)

    return {
        "title": plan.title, "vision": plan.vision,
        "period_start": shift(plan.period_start), "period_end": shift(plan.period_end),
        "priorities": [PriorityInput(title=p.title, description=p.description, shanarri=list(p.shanarri or []),
                                     indicators=[IndicatorInput(name=i.name, unit=i.unit, target=i.target,
                                                                baseline=_latest(i) if _latest(i) is not None
                                                                else i.baseline,
                                                                higher_is_better=i.higher_is_better)
                                                 for i in p.indicators]
                                     or [IndicatorInput(name=n) for n in (p.outcome_indicators or [])])
                       for p in plan.priorities],
    }


def _latest(indicator: OutcomeIndicator) -> float | None:
    return indicator.values[-1].value if indicator.values else None


def as_input(plan: Plan) -> list[PriorityInput]:
    """Return a plan's priorities as editable input (with their ids)."""
    return [PriorityInput(id=p.id, title=p.title, description=p.description, shanarri=list(p.shanarri or []),
                          indicators=[IndicatorInput(id=i.id, name=i.name, unit=i.unit, baseline=i.baseline,
                                                     target=i.target, higher_is_better=i.higher_is_better)
                                      for i in p.indicators]
                          # a plan made before indicators had rows: its names, to give baselines and targets
                          or [IndicatorInput(name=n) for n in (p.outcome_indicators or [])])
            for p in plan.priorities]


# ---- plan years and indicator values -------------------------------------------------------------

def plan_years(plan: Plan) -> list[int]:
    """Return the years the plan runs (each the year its April-to-March year starts)."""
    first = plan.period_start.year if plan.period_start.month >= 4 else plan.period_start.year - 1
    last = plan.period_end.year - 1 if plan.period_end.month < 4 else plan.period_end.year
    return list(range(first, max(first, last) + 1))


def year_label(year: int) -> str:
    """Return a plan year as people write it: 2026/27."""
    return f"{year}/{(year + 1) % 100:02d}"


def indicators_of(plan: Plan) -> list[OutcomeIndicator]:
    """Return the plan's outcome indicators in the order of its priorities."""
    return [i for p in plan.priorities for i in p.indicators]


def record_values(plan: Plan, year: int, values: dict[int, float | None], *, by_user_id: int | None) -> int:
    """Set the plan's indicator values for a year (None clears one); return how many changed. Not committed."""
    if year not in plan_years(plan):
        raise PlanError("not_a_plan_year", "year")
    changed = 0
    for indicator in indicators_of(plan):
        if indicator.id not in values:
            continue
        wanted = values[indicator.id]
        row = next((v for v in indicator.values if v.year == year), None)
        if wanted is None:
            if row is not None:
                indicator.values.remove(row)
                changed += 1
        elif row is None:
            indicator.values.append(IndicatorValue(year=year, value=wanted))
            changed += 1
        elif row.value != wanted:
            row.value = wanted
            changed += 1
    db.session.flush()
    audit.record("plan.values", user_id=by_user_id, object_type="plan", object_id=plan.id, year=year,
                 changed=changed)
    return changed


@dataclass(frozen=True)
class Progress:
    """One indicator's journey: baseline, each plan year's value (None if not recorded), target."""

    indicator: OutcomeIndicator
    priority: Priority
    years: list[int]
    values: list[float | None]

    @property
    def latest(self) -> float | None:
        return next((v for v in reversed(self.values) if v is not None), None)

    @property
    def share_of_way(self) -> float | None:
        """Return how far from baseline to target the latest value has come (1.0 = there), or None."""
        i = self.indicator
        if i.baseline is None or i.target is None or self.latest is None or i.target == i.baseline:
            return None
        return (self.latest - i.baseline) / (i.target - i.baseline)

    @property
    def verdict(self) -> str:
        """Return "met", "better", "worse", "same" or "unknown" (latest value against baseline and target)."""
        i, latest = self.indicator, self.latest
        if latest is None or i.baseline is None:
            return "unknown"
        sign = 1 if i.higher_is_better else -1
        if i.target is not None and sign * (latest - i.target) >= 0:
            return "met"
        if latest == i.baseline:
            return "same"
        return "better" if sign * (latest - i.baseline) > 0 else "worse"


def progress(plan: Plan) -> list[Progress]:
    """Return every indicator's values over the plan's years."""
    years = plan_years(plan)
    out = []
    for p in plan.priorities:
        for i in p.indicators:
            by_year = {v.year: v.value for v in i.values}
            out.append(Progress(i, p, years, [by_year.get(y) for y in years]))
    return out


# ---- priorities and the themes that evidence them --------------------------------------------------

def evidencing_themes(plan: Plan, threshold: float) -> dict[int, list[tuple[Theme, Consultation, int]]]:
    """Return, per priority id, the themes the tracing linked to it (theme, its consultation, answers), most first."""
    rows = db.session.execute(
        select(ThemePriority.priority_id, Theme, Consultation, ThemePriority.evidence_count)
        .join(Theme, Theme.id == ThemePriority.theme_id).join(Consultation, Consultation.id == Theme.consultation_id)
        .join(Priority, Priority.id == ThemePriority.priority_id)
        .outerjoin(LinkDecision, (LinkDecision.theme_id == ThemePriority.theme_id)
                   & (LinkDecision.priority_id == ThemePriority.priority_id))
        # A planner's confirmed or rejected link wins over the score.
        .where(Priority.plan_id == plan.id, or_(LinkDecision.linked.is_(True),
                                                LinkDecision.id.is_(None) & (ThemePriority.score >= threshold)))
        .order_by(ThemePriority.evidence_count.desc(), Theme.name)).all()
    out: dict[int, list] = {p.id: [] for p in plan.priorities}
    for pid, theme, consultation, n in rows:
        out.setdefault(pid, []).append((theme, consultation, n or 0))
    return out


# ---- the annual review ----------------------------------------------------------------------------

class ReviewError(ValueError):
    """A review could not be started: ``code`` is ``exists``, ``not_a_plan_year`` or ``nothing_to_clone``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


_YEAR_SUFFIX = re.compile(r"\s+[–-]\s+\d{4}/\d{2}$")


def reviews_of(plan: Plan) -> dict[int, PlanReview]:
    """Return the plan's review consultations by year."""
    return {r.year: r for r in db.session.scalars(select(PlanReview).where(PlanReview.plan_id == plan.id))}


def review_of_consultation(consultation: Consultation) -> PlanReview | None:
    """Return the review a consultation is, if it is one."""
    return db.session.scalar(select(PlanReview).where(PlanReview.consultation_id == consultation.id))


def last_consultation_before(plan: Plan, year: int) -> Consultation | None:
    """Return what a review for ``year`` is cloned from: the latest earlier review, else the plan's newest consultation."""
    reviews = reviews_of(plan)
    earlier = [reviews[y] for y in sorted(reviews) if y < year]
    if earlier:
        return earlier[-1].consultation
    review_ids = {r.consultation_id for r in reviews.values()}
    for c in db.session.scalars(select(Consultation).where(Consultation.plan_id == plan.id)
                                .order_by(Consultation.opens_on.desc(), Consultation.id.desc())):
        if c.id not in review_ids:
            return c
    return None


def start_review(plan: Plan, year: int, *, opens_on: date, closes_on: date, by_user_id: int | None) -> PlanReview:
    """Create the plan year's review consultation, a draft clone of last year's with its core questions."""
    from .consultations import clone_consultation

    if year not in plan_years(plan):
        raise ReviewError("not_a_plan_year")
    if year in reviews_of(plan):
        raise ReviewError("exists")
    source = last_consultation_before(plan, year)
    if source is None:
        raise ReviewError("nothing_to_clone")
    # "Glenbrae CSP consultation – review 2027/28": the year replaces any year the source's title ended with.
    title = {k: f"{_YEAR_SUFFIX.sub('', v)} – {year_label(year)}" for k, v in (source.title or {}).items() if v}
    consultation = clone_consultation(source, title, opens_on=opens_on, closes_on=closes_on, plan=plan)
    review = PlanReview(plan_id=plan.id, year=year, consultation_id=consultation.id, previous_id=source.id)
    db.session.add(review)
    db.session.flush()
    audit.record("plan.review", user_id=by_user_id, object_type="consultation", object_id=consultation.id,
                 plan=plan.id, year=year, cloned_from=source.id)
    return review


def submitted_count(consultation: Consultation) -> int:
    """Return how many responses to a consultation were submitted."""
    return db.session.scalar(select(func.count(Response.id)).where(
        Response.consultation_id == consultation.id, Response.status == "submitted")) or 0


# ---- year on year: themes, structured answers and reach of two consultations --------------------------

FREE_TYPES = {"short_text", "long_text", "area"}


@dataclass(frozen=True)
class Share:
    """A count and what share of its consultation's answers it is."""

    count: int
    share: float


@dataclass
class YearOnYear:
    """Two consultations side by side (this year's review first, the one it was cloned from second)."""

    reach: list[tuple[str, Share, Share]]  # audience ('' = everyone), this, previous
    structured: list[tuple[str, str, list[tuple[str, Share, Share]]]]  # core id, question text, option rows
    themes: list[tuple[str, int, float, int, float]]


def _reach(consultation: Consultation) -> dict[str, int]:
    rows = db.session.execute(select(Response.audience, func.count(Response.id)).where(
        Response.consultation_id == consultation.id, Response.status == "submitted")
        .group_by(Response.audience)).all()
    return {a: n for a, n in rows}


def year_on_year(this: Consultation, previous: Consultation, lang: str | None = None) -> YearOnYear:
    """Return the two consultations' reach, structured answers (matched by core id) and themes, side by side."""
    from ..i18n import current_language
    from . import pack as pack_data
    from . import results as results_data

    def share(n: int, total: int) -> Share:
        return Share(n, n / total if total else 0.0)

    ra, rb = _reach(this), _reach(previous)
    ta, tb = sum(ra.values()), sum(rb.values())
    reach = [("", share(ta, ta), share(tb, tb))]
    reach += [(a, share(ra.get(a, 0), ta), share(rb.get(a, 0), tb))
              for a in sorted(set(ra) | set(rb), key=lambda a: -(ra.get(a, 0) + rb.get(a, 0)))]
    # Structured answers, as the results page counts and labels them (a face scale reads "Very happy", not
    # 5), matched by core id; the options in this year's order, then any only last year had.
    lang = lang or current_language()
    now = {q.core_id: q for q in results_data.summaries(this, lang=lang) if q.structured and q.type not in FREE_TYPES}
    then = {q.core_id: q for q in results_data.summaries(previous, lang=lang)
            if q.structured and q.type not in FREE_TYPES}
    structured = []
    for core_id in [c for c in now if c in then]:
        a, b = now[core_id], then[core_id]
        labels = {**dict(b.options), **dict(a.options)}
        values = list(dict.fromkeys([v for v, _l in a.options] + [v for v, _l in b.options]))
        rows = [(labels[v], share(a.total.count(v), a.total.answered), share(b.total.count(v), b.total.answered))
                for v in values if a.total.count(v) or b.total.count(v)]
        if rows:
            structured.append((core_id, a.text, rows))
    return YearOnYear(reach, structured, pack_data.compare(this, previous))
