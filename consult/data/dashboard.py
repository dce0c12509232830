"""The consultation dashboard's figures, aggregated in SQL so it stays quick at 100,000 responses.

Every figure counts submitted responses only. Flagged responses are counted in reach (they are people
who took part) but their words never appear here: the dashboard shows numbers, not text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import String, case, cast, func, select

from ..extensions import db
from ..models import AUDIENCES, Answer, Area, Consultation, PopulationCount, Response

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


def _grouped(column, consultation: Consultation) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    rows = db.session.execute(select(column, func.count()).where(*_submitted(consultation))
                              .group_by(column).order_by(func.count().desc())).all()
    return [(str(k) if k is not None else "", int(n)) for k, n in rows]


def dashboard(consultation: Consultation) -> Dashboard:
    """Return the consultation's dashboard figures in a handful of grouped queries."""
    status_rows = db.session.execute(
        select(Response.status, func.count(), func.sum(case((Response.safeguarding.is_(True), 1), else_=0)))
        .where(Response.consultation_id == consultation.id).group_by(Response.status)).all()
    by_status = {s: (int(n), int(f or 0)) for s, n, f in status_rows}
    total, flagged = by_status.get("submitted", (0, 0))

    day = func.date(Response.submitted_at)
    by_day = [(str(d), int(n)) for d, n in db.session.execute(
        select(day, func.count()).where(*_submitted(consultation)).group_by(day).order_by(day)).all() if d]

    by_audience = _grouped(Response.audience, consultation)
    order = {a: i for i, a in enumerate(AUDIENCES)}
    by_audience.sort(key=lambda r: order.get(r[0], 99))
    by_language = _grouped(Response.language, consultation)
    by_channel = _grouped(Response.channel, consultation)

    area_rows = db.session.execute(
        select(Area.name, Area.position, func.count(Response.id)).select_from(Response)
        .outerjoin(Area, Response.area_id == Area.id).where(*_submitted(consultation))
        .group_by(Area.name, Area.position).order_by(Area.position)).all()
    by_area = [(name or "", int(n)) for name, _pos, n in area_rows]

    value_text = cast(Answer.value, String)
    sums = [func.sum(case((value_text.like(f'%"{g}"%'), 1), else_=0)) for g in TRACKED_GROUPS]
    group_row = db.session.execute(
        select(func.count(), *sums).select_from(Answer).join(Response, Answer.response_id == Response.id)
        .where(*_submitted(consultation), Answer.core_id == "groups", Answer.skipped.is_(False))).one()
    groups_answered = int(group_row[0] or 0)
    groups = [(g, int(n or 0)) for g, n in zip(TRACKED_GROUPS, group_row[1:], strict=True)]

    board = Dashboard(total=total, in_progress=by_status.get("in_progress", (0, 0))[0], flagged=flagged,
                      by_day=by_day, by_audience=by_audience, by_language=by_language, by_channel=by_channel,
                      by_area=by_area, groups=groups, groups_answered=groups_answered)
    board.reach, board.overall_rate = reach(consultation)
    return board


def reach(consultation: Consultation) -> tuple[list[ReachRow], float]:
    """Return reach rows for every population count entered, and the overall rate per 1,000."""
    partnership_id = consultation.plan.partnership_id
    pops = list(db.session.execute(
        select(PopulationCount, Area.name).outerjoin(Area, PopulationCount.area_id == Area.id)
        .where(PopulationCount.partnership_id == partnership_id)
        .order_by(PopulationCount.audience, Area.position)).all())
    if not pops:
        return [], 0.0
    counts = {(aud, area): int(n) for aud, area, n in db.session.execute(
        select(Response.audience, Response.area_id, func.count()).where(*_submitted(consultation))
        .group_by(Response.audience, Response.area_id)).all()}
    by_audience: dict[str, int] = {}
    for (aud, _area), n in counts.items():
        by_audience[aud] = by_audience.get(aud, 0) + n
    rows = []
    for pop, area_name in pops:
        got = counts.get((pop.audience, pop.area_id), 0) if pop.area_id else by_audience.get(pop.audience, 0)
        rows.append(ReachRow(pop.audience, pop.area_id, area_name or "", got, pop.count))
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


class PopulationImportError(ValueError):
    """A CSV of population counts had a bad line; nothing was imported."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


def parse_population_csv(text: str, areas: list[Area]) -> list[tuple[str, int | None, int]]:
    """Parse "audience,area code,count" lines (area code blank for the whole partnership).

    Raises PopulationImportError naming the first bad line, so nothing is half-imported.
    """
    by_code = {a.code: a.id for a in areas}
    rows: list[tuple[str, int | None, int]] = []
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
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
        if not count.isdigit():
            raise PopulationImportError(number, "count")
        rows.append((audience, by_code[code] if code else None, int(count)))
    if not rows:
        raise PopulationImportError(0, "empty")
    return rows
