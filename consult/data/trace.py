"""Traceability: themes × the plan's priorities, the evidence behind each cell, and the gaps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import analysis

from ..extensions import db
from ..models import AUDIENCES, Consultation, LinkDecision, Priority, Theme, ThemePriority
from ..services.suppression import suppress_counts, threshold_for
from . import themes as theme_data

GAP_MIN_COUNT = 10
LINK_THRESHOLD = 0.35


@dataclass
class Cell:
    """One theme × priority cell; ``decision`` is a planner's confirmed (True) or rejected (False) link."""

    score: float
    evidence: int
    audiences: dict[str, int]
    decision: bool | None = None

    @property
    def linked(self) -> bool:
        """Return True if the priority covers the theme (a planner's decision wins over the score)."""
        return self.decision if self.decision is not None else self.score >= LINK_THRESHOLD


@dataclass
class Matrix:
    """The traceability matrix for one consultation."""

    priorities: list[Priority]
    rows: list[tuple[Theme, int, list[Cell]]]  # theme, answers coded, one cell per priority

    @property
    def empty(self) -> bool:
        """Return True if the consultation has no themes with evidence yet."""
        return not any(n for _t, n, _c in self.rows)


def matrix(consultation: Consultation, conditions: tuple = ()) -> Matrix:
    """Return themes (most raised first) against the plan's priorities.

    conditions: SQL conditions on Answer and Response (the results filters) limiting which answers count.
    """
    priorities = list(consultation.plan.priorities)
    table = theme_data.theme_table(consultation, conditions)
    ids = [t.id for t, _n, _a in table]
    links = {(tp.theme_id, tp.priority_id): tp for tp in db.session.scalars(
        select(ThemePriority).where(ThemePriority.theme_id.in_(ids)))} if ids else {}
    decided = _decisions_by_id(ids)
    rows = []
    for theme, count, per in table:
        # The link (score) comes from the last analysis; the evidence is counted now, so re-coding shows at once.
        audiences = {a: per[a] for a in AUDIENCES if per.get(a)}
        cells = []
        for p in priorities:
            tp = links.get((theme.id, p.id))
            cell = Cell(tp.score if tp else 0.0, 0, {}, decided.get((theme.id, p.id)))
            if cell.linked:
                cell.evidence, cell.audiences = count, dict(audiences)
            cells.append(cell)
        rows.append((theme, count, cells))
    return Matrix(priorities, rows)


def _decisions_by_id(theme_ids: list[int]) -> dict[tuple[int, int], bool]:
    if not theme_ids:
        return {}
    return {(d.theme_id, d.priority_id): d.linked for d in db.session.scalars(
        select(LinkDecision).where(LinkDecision.theme_id.in_(theme_ids)))}


def link_decisions(consultation: Consultation) -> dict[tuple[str, str], bool]:
    """Return planners' link decisions as ``{(theme key, priority id): linked}``, as the analysis takes them."""
    rows = db.session.execute(
        select(Theme.key, LinkDecision.priority_id, LinkDecision.linked)
        .join(Theme, LinkDecision.theme_id == Theme.id).where(Theme.consultation_id == consultation.id)).all()
    return {(key, str(pid)): bool(linked) for key, pid, linked in rows}


def decide_link(consultation: Consultation, theme: Theme, priority: Priority, linked: bool | None, *,
                user_id: int | None) -> None:
    """Record a planner's decision on a theme ↔ priority link: True confirms, False rejects, None clears it.

    The decision belongs to the theme and priority, not to an analysis run, so every later run keeps it.

    Raises:
        ValueError: the theme or priority is not this consultation's.
    """
    if theme.consultation_id != consultation.id or priority.plan_id != consultation.plan_id:
        raise ValueError("not this consultation's theme or priority")
    row = db.session.scalars(select(LinkDecision).where(LinkDecision.theme_id == theme.id,
                                                         LinkDecision.priority_id == priority.id)).first()
    if linked is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(LinkDecision(theme_id=theme.id, priority_id=priority.id, linked=linked,
                                    decided_by_id=user_id))
    else:
        row.linked, row.decided_by_id = linked, user_id
    db.session.flush()


def gaps(consultation: Consultation, *, min_count: int = GAP_MIN_COUNT,
         conditions: tuple = ()) -> list[tuple[Theme, int]]:
    """Return themes many people raised that no priority covers, most raised first (analysis.find_gaps)."""
    m = matrix(consultation, conditions)
    counts = {t.key: n for t, n, _c in m.rows}
    # A planner's decision stands in for the score: a confirmed link covers the theme, a rejected one does not.
    scores = {t.key: {str(p.id): c.score if c.decision is None else float(c.decision)
                      for p, c in zip(m.priorities, cells, strict=True)} for t, _n, cells in m.rows}
    by_key = {t.key: (t, n) for t, n, _c in m.rows}
    return [by_key[k] for k in analysis.find_gaps(counts, scores, min_count=min_count, threshold=LINK_THRESHOLD)]


def get_priority(consultation: Consultation, priority_id: int) -> Priority | None:
    """Return one of the consultation's plan priorities, or None."""
    p = db.session.get(Priority, priority_id)
    return p if p is not None and p.plan_id == consultation.plan_id else None


def supporting(consultation: Consultation, priority: Priority,
               conditions: tuple = ()) -> list[tuple[Theme, Cell, list]]:
    """Return (theme, cell, quotes) for the themes that support a priority, strongest evidence first."""
    m = matrix(consultation, conditions)
    j = m.priorities.index(priority)
    out = [(t, cells[j], theme_data.quotes_for_theme(consultation, t, limit=2))
           for t, _n, cells in m.rows if cells[j].linked]
    out.sort(key=lambda r: (-r[1].evidence, r[0].name))
    return out


def not_linked(consultation: Consultation, priority: Priority, *, limit: int = 8) -> list[tuple[Theme, Cell]]:
    """Return the themes not linked to a priority: rejected ones first, then the closest by score."""
    m = matrix(consultation)
    j = m.priorities.index(priority)
    out = [(t, cells[j]) for t, _n, cells in m.rows if not cells[j].linked]
    out.sort(key=lambda r: (r[1].decision is None, -r[1].score, r[0].name))
    rejected = [r for r in out if r[1].decision is False]
    return rejected + [r for r in out if r[1].decision is None][:limit]


def get_theme(consultation: Consultation, theme_id: int) -> Theme | None:
    """Return one of the consultation's active themes, or None."""
    t = db.session.get(Theme, theme_id)
    return t if t is not None and t.consultation_id == consultation.id and t.status == "active" else None


def csv_rows(consultation: Consultation, conditions: tuple = (), *, threshold: int | None = None) -> list[list[str]]:
    """Return the matrix as CSV rows (header first): one row per theme × priority cell.

    A download leaves the staff area, so its counts go through the one suppression rule: each theme's
    audience counts are suppressed together with the theme's total (threshold_for the partnership unless given).
    """
    k = threshold or threshold_for(consultation.plan.partnership)
    m = matrix(consultation, conditions)
    out = [["theme", "answers", "priority", "linked", "score", "evidence", "audiences"]]
    for t, n, cells in m.rows:
        per = next((c.audiences for c in cells if c.linked), None)
        shown = suppress_counts(per if per else {}, k, total=n)
        for p, c in zip(m.priorities, cells, strict=True):
            out.append([t.name, shown[""].display, p.title, "yes" if c.linked else "no", f"{c.score:.2f}",
                        shown[""].display if c.linked else "0",
                        "; ".join(f"{a}={shown[a].display}" for a in sorted(c.audiences))])
    return out
