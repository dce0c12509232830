"""The one suppression rule: every count that leaves the staff area goes through this module.

Primary suppression hides any count from 1 to threshold - 1 (shown as "fewer than 5"). Zero is shown:
it names nobody. Secondary suppression stops a hidden count being worked out from a total that is shown:
in every line (a row or column with its total shown) the hidden cells are checked the way a reader
could check them, knowing that a "fewer than 5" cell holds 1 to 4 and a "not shown" cell at least 5. While
any hidden cell's value is pinned down by the line's total, the next smallest shown non-zero cell of that
line is hidden as well ("not shown"); if none is left, the line's total is hidden instead.

Pure: no database, no request. The threshold comes from ``threshold_for(partnership)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import gettext as _

DEFAULT_THRESHOLD = 5

#: Why a cell is hidden: its own count is small, or it would let a small count be worked out.
PRIMARY = "primary"
SECONDARY = "secondary"
#: Too few numbers to hide any of them safely: the whole table is hidden.
WITHHELD = "withheld"


def threshold_for(partnership: object | None = None) -> int:
    """Return the suppression threshold: the partnership's own if set, else the app's, else 5."""
    own = getattr(partnership, "suppression_threshold", None) if partnership is not None else None
    if isinstance(own, int) and own > 0:
        return own
    if has_app_context():
        configured = current_app.config.get("SUPPRESSION_THRESHOLD")
        if isinstance(configured, int) and configured > 0:
            return configured
    return DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Cell:
    """One count as it may be published: the number, or None with the reason it is hidden."""

    value: int | None
    suppressed: bool = False
    threshold: int = DEFAULT_THRESHOLD
    reason: str = ""  # PRIMARY, SECONDARY or WITHHELD when suppressed

    @property
    def display(self) -> str:
        """Return the count as text for a page or an export ("fewer than 5", "not shown" or the number)."""
        if not self.suppressed:
            return str(self.value)
        if self.reason in (SECONDARY, WITHHELD):
            return _("not shown")
        return _("fewer than %(n)s", n=self.threshold)

    def __str__(self) -> str:
        return self.display

    @property
    def number(self) -> int | None:
        """Return the value for a numeric export cell (None, an empty cell, when hidden)."""
        return None if self.suppressed else self.value


def _check(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"a count must be a whole number, 0 or more (got {n!r})")
    return n


def _small(n: int, threshold: int) -> bool:
    return 0 < n < threshold


@dataclass
class _Line:
    """Cell keys that must add up to a total key (both keys into the shared values)."""

    cells: list[object]
    total: object


INF = float("inf")
BIG = 10**9  # "at least 5" has no upper limit a reader could use


class _Withhold(Exception):
    """Nothing more can be hidden line by line: the whole table is withheld."""


@dataclass
class _State:
    values: dict[object, int]
    lines: Sequence[_Line]
    threshold: int
    hidden: dict[object, str] = field(default_factory=dict)
    exact: bool = False  # check a two-way table with a linear programme once propagation finds nothing

    def _label_bounds(self, key: object) -> tuple[float, float]:
        """Return what a reader knows of a number from its label alone."""
        if key not in self.hidden:
            return self.values[key], self.values[key]
        if self.hidden[key] == PRIMARY:
            return 1, self.threshold - 1
        return self.threshold, INF  # secondary numbers are never 0 or small

    def pinned(self) -> list[object]:
        """Return the hidden keys a reader could work out from the shown numbers and labels."""
        quick = self.propagated()
        if quick or not self.exact or not self.hidden:
            return quick
        return self.solved()

    def solved(self) -> list[object]:
        """Return a hidden key whose least and greatest possible values are equal (exact), if any.

        The lines of a two-way table with its totals are the flow-conservation equations of a network
        (rows → columns, totals as the flows in and out), so the matrix is totally unimodular: the
        linear programme's least and greatest values are whole numbers, and exact for whole counts.
        """
        import numpy as np
        from scipy.optimize import linprog

        keys = list(self.values)
        index = {k: i for i, k in enumerate(keys)}
        bounds = [(self._label_bounds(k)[0], min(self._label_bounds(k)[1], BIG)) for k in keys]
        a = np.zeros((len(self.lines), len(keys)))
        for i, line in enumerate(self.lines):
            for k in line.cells:
                a[i, index[k]] = 1
            a[i, index[line.total]] = -1
        zeros = np.zeros(len(self.lines))
        for k in self.hidden:
            ends = []
            for sign in (1.0, -1.0):
                c = np.zeros(len(keys))
                c[index[k]] = sign
                res = linprog(c, A_eq=a, b_eq=zeros, bounds=bounds, method="highs")
                ends.append(round(sign * res.fun) if res.status == 0 else None)
            if ends[0] is not None and ends[0] == ends[1]:
                return [k]  # one is enough to act on; the loop asks again after widening
        return []

    def propagated(self) -> list[object]:
        """Return the hidden keys that line-by-line bounds pin down.

        Propagates each line's sum over the readers' bounds until nothing tightens (cheap, and the
        tests check it against an exact integer program).
        """
        if not self.hidden:
            return []
        bounds = {k: self._label_bounds(k) for k in self.values}
        for _pass in range(100):
            tightened = False
            for line in self.lines:
                keys = [*line.cells, line.total]
                if not any(k in self.hidden for k in keys):
                    continue
                for k in keys:
                    if k not in self.hidden:
                        continue
                    lo, hi = bounds[k]
                    others = [j for j in line.cells if j != k]
                    others_lo = sum(bounds[j][0] for j in others)
                    others_hi = sum(bounds[j][1] for j in others)
                    if k == line.total:
                        new = (max(lo, others_lo), min(hi, others_hi))
                    else:
                        total_lo, total_hi = bounds[line.total]
                        new = (max(lo, total_lo - others_hi), min(hi, total_hi - others_lo))
                    if new != (lo, hi):
                        bounds[k] = new
                        tightened = True
            if not tightened:
                break
        return [k for k in self.hidden if bounds[k][0] >= bounds[k][1]]

    def widen(self, pinned: list[object]) -> None:
        """Hide the one more number that frees the most pinned numbers.

        Candidates: the smallest shown non-zero cell of each line holding a pinned number, then those
        lines' totals (a cell is preferred to a total when they free as many).
        """
        candidates: dict[object, int] = {}
        for line in self.lines:
            if not any(k == line.total or k in line.cells for k in pinned):
                continue
            shown = [k for k in line.cells if k not in self.hidden and self.values[k] > 0]
            if shown:
                candidates.setdefault(min(shown, key=lambda k: self.values[k]), 0)
            if line.total not in self.hidden and self.values[line.total] > 0:
                candidates.setdefault(line.total, 1)
        if not candidates:
            raise _Withhold
        best: tuple[int, int, int] | None = None
        choice = None
        for candidate, is_total in candidates.items():
            self.hidden[candidate] = SECONDARY
            score = (len(self.propagated()), is_total, self.values[candidate])
            del self.hidden[candidate]
            if best is None or score < best:
                best, choice = score, candidate
        self.hidden[choice] = SECONDARY


def _solve(values: dict[object, int], lines: Sequence[_Line], threshold: int, *,
           exact: bool = False) -> dict[object, str]:
    state = _State(values, lines, threshold, exact=exact)
    for key, n in values.items():
        if _small(n, threshold):
            state.hidden[key] = PRIMARY
    try:
        while pinned := state.pinned():  # each turn hides one more number, so this ends
            state.widen(pinned)
    except _Withhold:
        return {k: WITHHELD for k in values}
    return state.hidden


def _cell(values: dict[object, int], hidden: dict[object, str], key: object, threshold: int) -> Cell:
    if key in hidden:
        return Cell(None, True, threshold, hidden[key])
    return Cell(values[key], False, threshold)


def suppress_counts(counts: Mapping[str, int], threshold: int, total: int | None = None) -> dict[str, Cell]:
    """Return each count as a publishable Cell; the total (their sum unless given) under the key ``""``.

    A total that is not the sum of the counts (people who ticked any of several boxes) is suppressed
    when small but cannot give a cell away, so it adds no secondary suppression.
    """
    threshold = max(int(threshold), 1)
    values: dict[object, int] = {("c", k): _check(n) for k, n in counts.items()}
    added = sum(counts.values())
    grand = added if total is None else _check(total)
    values[("t",)] = grand
    lines = [_Line([("c", k) for k in counts], ("t",))] if grand == added else []
    hidden = _solve(values, lines, threshold)
    out = {k: _cell(values, hidden, ("c", k), threshold) for k in counts}
    out[""] = _cell(values, hidden, ("t",), threshold)
    return out


@dataclass(frozen=True)
class Table:
    """A two-way table of publishable cells, with row, column and grand totals."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell]
    row_totals: dict[str, Cell]
    column_totals: dict[str, Cell]
    total: Cell

    def cell(self, row: str, column: str) -> Cell:
        """Return one cell."""
        return self.cells[(row, column)]

    def hidden(self) -> int:
        """Return how many cells and totals are hidden."""
        everything = [*self.cells.values(), *self.row_totals.values(), *self.column_totals.values(), self.total]
        return sum(1 for c in everything if c.suppressed)


def suppress_table(rows: Mapping[str, Mapping[str, int]], threshold: int, *,
                   columns: Iterable[str] | None = None,
                   row_totals: Mapping[str, int] | None = None) -> Table:
    """Return a two-way table (rows of {column: count}) with totals, suppressed as one.

    Missing cells count 0. Row totals default to each row's sum; a row total given that differs from
    its row's sum (respondents, where each could tick several columns) is suppressed when small but is
    not used to work cells out. Column and grand totals are always the sums of what they add up.
    """
    threshold = max(int(threshold), 1)
    row_keys = list(rows)
    col_keys = list(columns) if columns is not None else list(dict.fromkeys(c for r in rows.values() for c in r))
    values: dict[object, int] = {}
    for r in row_keys:
        for c in col_keys:
            values[("c", r, c)] = _check(rows[r].get(c, 0))
    lines: list[_Line] = []
    additive_rows = []
    for r in row_keys:
        added = sum(values[("c", r, c)] for c in col_keys)
        given = (row_totals or {}).get(r)
        values[("r", r)] = added if given is None else _check(given)
        if values[("r", r)] == added:
            lines.append(_Line([("c", r, c) for c in col_keys], ("r", r)))
            additive_rows.append(r)
    for c in col_keys:
        values[("k", c)] = sum(values[("c", r, c)] for r in row_keys)
        lines.append(_Line([("c", r, c) for r in row_keys], ("k", c)))
    values[("g",)] = sum(values[("k", c)] for c in col_keys)
    lines.append(_Line([("k", c) for c in col_keys], ("g",)))
    if len(additive_rows) == len(row_keys):
        lines.append(_Line([("r", r) for r in row_keys], ("g",)))
    hidden = _solve(values, lines, threshold, exact=True)
    return Table(
        rows=row_keys, columns=col_keys,
        cells={(r, c): _cell(values, hidden, ("c", r, c), threshold) for r in row_keys for c in col_keys},
        row_totals={r: _cell(values, hidden, ("r", r), threshold) for r in row_keys},
        column_totals={c: _cell(values, hidden, ("k", c), threshold) for c in col_keys},
        total=_cell(values, hidden, ("g",), threshold))


def public_count(n: int | None, threshold: int) -> str:
    """Return one stand-alone count for a public page ("fewer than 5" when small; None is hidden too)."""
    if n is None:
        return Cell(None, True, max(int(threshold), 1), PRIMARY).display
    return suppress_counts({}, threshold, total=n)[""].display
