"""The consultation dashboard's figures, aggregated in SQL so it stays quick at 100,000 responses.

Every figure counts submitted responses only. Flagged responses are counted in reach (they are people
who took part) but their words never appear here: the dashboard shows numbers, not text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, String, case, cast, func, literal, select

from ..extensions import db
from ..models import AUDIENCES, Answer, Area, Consultation, Plan, PopulationCount, Response
from .answer_scope import answer_in

if TYPE_CHECKING:
    from .filters import ResultFilter

TRACKED_GROUPS = ["care_experienced", "young_carer", "disabled", "gaelic_home", "other_language"]
# A group is under-represented when its reach is below this share of the consultation's overall reach.
UNDER_REPRESENTED_RATIO = 0.5


@dataclass
class ReachRow:
    """Responses against population for one audience (and optionally one area)."""

    audience: str
    area_id: int | None
    area_name: str
    responses: int
    population: int

    @property
    def rate(self) -> float:
        """Return responses per 1,000 people."""
        return 1000.0 * self.responses / self.population if self.population else 0.0


@dataclass
class Dashboard:
    """Every figure on one consultation's dashboard."""

    total: int
    in_progress: int
    flagged: int
    by_day: list[tuple[str, int]]
    by_audience: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    groups: list[tuple[str, int]]
    groups_answered: int
    reach: list[ReachRow] = field(default_factory=list)
    overall_rate: float = 0.0

    def under_represented(self, row: ReachRow) -> bool:
        """Return True if a row's reach is well below the consultation's overall reach."""
        return bool(row.population) and row.rate < UNDER_REPRESENTED_RATIO * self.overall_rate


def _submitted(consultation: Consultation):  # type: ignore[no-untyped-def]
    return (Response.consultation_id == consultation.id, Response.status == "submitted")


def _partnership_id(consultation: Consultation):  # type: ignore[no-untyped-def]
    """Return the consultation's partnership id as a subquery (no plan or partnership objects loaded)."""
    return select(Plan.partnership_id).where(Plan.id == consultation.plan_id).scalar_subquery()


def _breakdown(consultation: Consultation, conditions: tuple = ()) -> list[tuple]:
    """Return (status, flagged, audience, language, channel, area id, count) rows: one scan for most figures.

    The GROUP BY follows ix_response_breakdown's column order, so PostgreSQL streams the groups off the
    index-only scan (GroupAggregate) instead of hashing 100,000 rows; SQLite streams them either way.
    """
    cols = (Response.status, Response.audience, Response.language, Response.channel, Response.area_id,
            Response.safeguarding)
    return [(status, flagged, audience, language, channel, area_id, n)
            for status, audience, language, channel, area_id, flagged, n in db.session.execute(
                select(*cols, func.count()).where(Response.consultation_id == consultation.id, *conditions)
                .group_by(*cols))]


# Above this many days between the first and last submission, count by grouping on date() instead.
MAX_DAY_RANGES = 732


def _short_span(first: str, last: str) -> bool:
    """Return True if first to last (ISO dates) is a span of at most MAX_DAY_RANGES days."""
    try:
        return 0 <= (date.fromisoformat(last) - date.fromisoformat(first)).days < MAX_DAY_RANGES
    except ValueError:  # a date() outside what Python's dates hold
        return False


def _by_day(consultation: Consultation, conditions: tuple = ()) -> list[tuple[str, int]]:
    """Return (day, submitted responses) for each day with any, oldest first.

    Grouping 100,000 rows on date(submitted_at) evaluates date() per row and sorts or hashes them all.
    Instead: find the first and last day (two index seeks), then count each day's range of the
    (consultation, status, submitted_at) index, which reads the same entries but does no per-row work.
    A day is [its midnight, the next midnight), as date() has it: text on SQLite (stored as
    'YYYY-MM-DD HH:MM:SS...', so it sorts by time) and midnight in the session's time zone on PostgreSQL.
    The days come from a recursive CTE, so the statement is the same whatever the span (and compiled once).
    """
    which = (*_submitted(consultation), *conditions)
    first, last = db.session.execute(select(
        func.date(select(func.min(Response.submitted_at)).where(*which).scalar_subquery()),
        func.date(select(func.max(Response.submitted_at)).where(*which).scalar_subquery()))).one()
    if first is None or last is None:
        return []
    if not _short_span(str(first), str(last)):
        day = func.date(Response.submitted_at)
        return [(str(d), int(n)) for d, n in db.session.execute(
            select(day, func.count()).where(*which).group_by(day).order_by(day)).all() if d]
    if db.engine.dialect.name == "sqlite":
        start = select(literal(str(first), String).label("day")).cte("days", recursive=True)
        days = start.union_all(select(func.date(start.c.day, "+1 day")).where(start.c.day < str(last)))
        lo, hi = days.c.day, func.date(days.c.day, "+1 day")
    else:
        start = select(cast(literal(str(first)), Date).label("day")).cte("days", recursive=True)
        days = start.union_all(select(start.c.day + 1).where(start.c.day < cast(literal(str(last)), Date)))
        lo, hi = cast(days.c.day, Response.submitted_at.type), cast(days.c.day + 1, Response.submitted_at.type)
    count = (select(func.count()).where(*which, Response.submitted_at >= lo, Response.submitted_at < hi)
             .scalar_subquery())
    return sorted((str(d), int(n)) for d, n in db.session.execute(select(days.c.day, count)).all() if n)


def _groups(consultation: Consultation, conditions: tuple = ()) -> tuple[int, list[tuple[str, int]]]:
    """Return how many people answered the "groups" question, and how many chose each tracked group.

    A group counts an answer when the answer's JSON text contains the group's quoted key (LIKE). The
    answers are grouped by their text first (a few dozen distinct choices), so each LIKE runs once per
    distinct text rather than once per answer.
    """
    # On SQLite, "+ 0" and coalesce keep the planner from driving this join from the response indexes:
    # reading the (few) "groups" answers first and looking each response up by key is several times
    # faster there. On PostgreSQL the consultation's answers are found through its responses' ids
    # (answer_scope), or it reads every partnership's "groups" answers and the page grows with the deployment.
    if db.engine.dialect.name == "sqlite":
        which = ((Response.consultation_id + 0) == consultation.id, func.coalesce(Response.status, "") == "submitted")
    else:
        which = (*_submitted(consultation), answer_in(consultation.id))
    which = (*which, *conditions)
    value = cast(Answer.value, String)
    answers = (select(value.label("v"), func.count().label("n")).select_from(Answer)
               .join(Response, Answer.response_id == Response.id)
               .where(*which, Answer.core_id == "groups", Answer.skipped.is_(False)).group_by(value).subquery())
    sums = [func.sum(case((answers.c.v.like(f'%"{g}"%'), answers.c.n), else_=0)) for g in TRACKED_GROUPS]
    row = db.session.execute(select(func.sum(answers.c.n), *sums)).one()
    return int(row[0] or 0), [(g, int(n or 0)) for g, n in zip(TRACKED_GROUPS, row[1:], strict=True)]


def _sorted(counter: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def dashboard(consultation: Consultation, result_filter: ResultFilter | None = None) -> Dashboard:
    """Return the consultation's dashboard figures: one grouped scan, day ranges, the groups answers.

    result_filter (consult.data.filters) restricts every figure to the responses it lets through.
    """
    conditions = tuple(result_filter.clauses()) if result_filter is not None else ()
    rows = _breakdown(consultation, conditions)
    total = flagged = in_progress = 0
    by_audience: dict[str, int] = {}
    by_language: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    by_area_id: dict[int | None, int] = {}
    reach_counts: dict[tuple[str, int | None], int] = {}
    for status, is_flagged, audience, language, channel, area_id, n in rows:
        if status == "in_progress":
            in_progress += n
        if status != "submitted":
            continue
        total += n
        flagged += n if is_flagged else 0
        by_audience[audience] = by_audience.get(audience, 0) + n
        by_language[language] = by_language.get(language, 0) + n
        by_channel[channel] = by_channel.get(channel, 0) + n
        by_area_id[area_id] = by_area_id.get(area_id, 0) + n
        reach_counts[(audience, area_id)] = reach_counts.get((audience, area_id), 0) + n

    by_day = _by_day(consultation, conditions)

    order = {a: i for i, a in enumerate(AUDIENCES)}
    areas = db.session.execute(select(Area.id, Area.name).where(Area.partnership_id == _partnership_id(consultation))
                               .order_by(Area.position)).all()
    by_area = [(name, by_area_id[area_id]) for area_id, name in areas if by_area_id.get(area_id)]
    if by_area_id.get(None):
        by_area.append(("", by_area_id[None]))

    groups_answered, groups = _groups(consultation, conditions)

    board = Dashboard(total=total, in_progress=in_progress, flagged=flagged, by_day=by_day,
                      by_audience=sorted(by_audience.items(), key=lambda kv: order.get(kv[0], 99)),
                      by_language=_sorted(by_language), by_channel=_sorted(by_channel), by_area=by_area,
                      groups=groups, groups_answered=groups_answered)
    board.reach, board.overall_rate = reach(consultation, reach_counts)
    return board


def reach(consultation: Consultation, counts: dict[tuple[str, int | None], int] | None = None
          ) -> tuple[list[ReachRow], float]:
    """Return reach rows for every population count entered, and the overall rate per 1,000."""
    pops = db.session.execute(
        select(PopulationCount.audience, PopulationCount.area_id, PopulationCount.count, Area.name)
        .outerjoin(Area, PopulationCount.area_id == Area.id)
        .where(PopulationCount.partnership_id == _partnership_id(consultation))
        .order_by(PopulationCount.audience, Area.position)).all()
    if not pops:
        return [], 0.0
    if counts is None:
        counts = {(aud, area): int(n) for aud, area, n in db.session.execute(
            select(Response.audience, Response.area_id, func.count()).where(*_submitted(consultation))
            .group_by(Response.audience, Response.area_id)).all()}
    by_audience: dict[str, int] = {}
    for (aud, _area), n in counts.items():
        by_audience[aud] = by_audience.get(aud, 0) + n
    rows = []
    for audience, area_id, population, area_name in pops:
        got = counts.get((audience, area_id), 0) if area_id else by_audience.get(audience, 0)
        rows.append(ReachRow(audience, area_id, area_name or "", got, population))
    # Overall: the whole-area rows if planners gave them, else the per-area rows.
    basis = [r for r in rows if r.area_id is None] or rows
    people = sum(r.population for r in basis)
    overall = 1000.0 * sum(r.responses for r in basis) / people if people else 0.0
    return rows, overall


# ---- population counts -----------------------------------------------------------------------

def population_counts(partnership_id: int) -> list[PopulationCount]:
    """Return the partnership's population counts."""
    return list(db.session.scalars(select(PopulationCount).where(PopulationCount.partnership_id == partnership_id)
                                   .order_by(PopulationCount.audience, PopulationCount.area_id)))


def set_population(partnership_id: int, *, audience: str, area_id: int | None, count: int) -> PopulationCount:
    """Create or replace the population count for one audience and area (None: the whole partnership)."""
    if audience not in AUDIENCES:
        raise ValueError("unknown audience")
    if count < 0:
        raise ValueError("negative count")
    q = select(PopulationCount).where(PopulationCount.partnership_id == partnership_id,
                                      PopulationCount.audience == audience)
    q = q.where(PopulationCount.area_id.is_(None) if area_id is None else PopulationCount.area_id == area_id)
    row = db.session.scalar(q)
    if row is None:
        row = PopulationCount(partnership_id=partnership_id, audience=audience, area_id=area_id, count=count)
        db.session.add(row)
    else:
        row.count = count
    db.session.flush()
    return row


#: The largest population count Guth takes (as the planner's one-count form does).
MAX_POPULATION = 10_000_000
MAX_POPULATION_ROWS = 5000  # audiences × areas is a few hundred at most


class PopulationImportError(ValueError):
    """A CSV of population counts had a bad line; nothing was imported."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


def parse_population_csv(text: str, areas: list[Area]) -> list[tuple[str, int | None, int]]:
    """Parse "audience,area code,count" lines (area code blank for the whole partnership).

    Raises PopulationImportError naming the first bad line, so nothing is half-imported.
    """
    from ..services.imports import TableReadError, iter_rows

    by_code = {a.code: a.id for a in areas}
    rows: list[tuple[str, int | None, int]] = []
    lines = iter_rows("population.csv", text.encode("utf-8"), max_rows=MAX_POPULATION_ROWS)
    while True:
        try:
            number, cells = next(lines)
        except StopIteration:
            break
        except TableReadError as exc:  # a stray CR, NUL or unclosed quote, or too many lines: never a 500
            raise PopulationImportError(exc.line, "rows" if exc.kind in ("too_many_rows", "too_large")
                                        else "malformed") from exc
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() == "audience":
            continue
        if len(cells) != 3:
            raise PopulationImportError(number, "columns")
        audience, code, count = cells
        if audience not in AUDIENCES:
            raise PopulationImportError(number, "audience")
        if code and code not in by_code:
            raise PopulationImportError(number, "area")
        # Decimal digits in any script (int() reads '١٢'; '²' is a digit to isdigit() but not to int()), and no
        # more than the one-count form takes: int() refuses over 4,300 digits, the database past 2**31.
        if not count.isdecimal() or len(count) > 12 or int(count) > MAX_POPULATION:
            raise PopulationImportError(number, "count")
        rows.append((audience, by_code[code] if code else None, int(count)))
    if not rows:
        raise PopulationImportError(0, "empty")
    return rows
