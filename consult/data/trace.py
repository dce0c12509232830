"""Traceability: themes × the plan's priorities, the evidence behind each cell, and the gaps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import analysis

from ..extensions import db
from ..models import AUDIENCES, Consultation, Priority, Theme, ThemePriority
from ..services.suppression import suppress_counts, threshold_for
from . import themes as theme_data

GAP_MIN_COUNT = 10
LINK_THRESHOLD = 0.35


@dataclass
class Cell:
    """One theme × priority cell."""

    score: float
    evidence: int
    audiences: dict[str, int]

    @property
    def linked(self) -> bool:
        """Return True if the priority covers the theme."""
        return self.score >= LINK_THRESHOLD


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
    rows = []
    for theme, count, per in table:
        # The link (score) comes from the last analysis; the evidence is counted now, so re-coding shows at once.
        audiences = {a: per[a] for a in AUDIENCES if per.get(a)}
        cells = []
        for p in priorities:
            tp = links.get((theme.id, p.id))
            score = tp.score if tp else 0.0
            linked = score >= LINK_THRESHOLD
            cells.append(Cell(score, count if linked else 0, dict(audiences) if linked else {}))
        rows.append((theme, count, cells))
    return Matrix(priorities, rows)


def gaps(consultation: Consultation, *, min_count: int = GAP_MIN_COUNT,
         conditions: tuple = ()) -> list[tuple[Theme, int]]:
    """Return themes many people raised that no priority covers, most raised first (analysis.find_gaps)."""
    m = matrix(consultation, conditions)
    counts = {t.key: n for t, n, _c in m.rows}
    scores = {t.key: {str(p.id): c.score for p, c in zip(m.priorities, cells, strict=True)}
              for t, _n, cells in m.rows}
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
