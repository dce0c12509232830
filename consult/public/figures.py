"""The one way a number reaches a public page: through consult.services.suppression.

Stand-alone counts (a theme's responses) go through ``public_count``; the "who took part" table and its
total are suppressed together (``page_figures``), so a hidden group cannot be worked out by subtraction,
and the adult page, every child page and every preview show the same total.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..services import suppression
from ..services.suppression import Cell

DEFAULT_THRESHOLD = suppression.DEFAULT_THRESHOLD


def public_count(n: int | None, threshold: int | None = DEFAULT_THRESHOLD) -> str:
    """Return one stand-alone count for a public page ("fewer than 5" below the threshold, else the number)."""
    limit = threshold if threshold and threshold > 0 else DEFAULT_THRESHOLD
    return suppression.public_count(n, limit)


@dataclass(frozen=True)
class PageFigures:
    """The "who took part" figures of a public page, suppressed as one table."""

    total: Cell
    audiences: dict[str, Cell]


def page_figures(audiences: dict[str, int], threshold: int) -> PageFigures:
    """Return the total and per-audience counts with primary and secondary suppression applied."""
    cells = suppression.suppress_counts(audiences, threshold)
    return PageFigures(total=cells[""], audiences={a: cells[a] for a in audiences})
