"""The one suppression rule: small counts hidden, and no hidden count can be worked out from the totals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from consult.services.suppression import (
    PRIMARY,
    SECONDARY,
    WITHHELD,
    Cell,
    Table,
    public_count,
    suppress_counts,
    suppress_table,
    threshold_for,
)


def test_small_counts_are_hidden_and_zero_and_large_ones_shown() -> None:
    cells = suppress_counts({"yes": 0, "no": 12, "not_sure": 30, "maybe": 7}, 5)
    assert [cells[k].display for k in ("yes", "no", "not_sure", "maybe", "")] == ["0", "12", "30", "7", "49"]
    cells = suppress_counts({"yes": 3, "no": 12, "not_sure": 30}, 5)
    assert cells["yes"] == Cell(None, True, 5, PRIMARY)
    assert cells["yes"].display == "fewer than 5"
    # 45 - 30 would give 3 away: the next smallest count goes too.
    assert cells["no"].suppressed and cells["no"].reason == SECONDARY and cells["no"].display == "not shown"
    assert cells["not_sure"].value == 30 and cells[""].value == 45


def test_a_total_that_would_pin_the_hidden_cells_is_hidden() -> None:
    # Only two counts: hiding the 5 as well would not do ("not shown" is at least 5, so a total of 6 gives
    # both away); the total goes instead.
    cells = suppress_counts({"a": 1, "b": 5}, 5)
    assert cells["a"].suppressed and cells[""].suppressed and cells["b"].value == 5
    # Two "fewer than 5" cells with 2 left over from the total must both be 1.
    cells = suppress_counts({"a": 1, "b": 1, "c": 40}, 5)
    assert cells["c"].suppressed or cells[""].suppressed


def test_a_total_of_people_who_could_tick_several_is_not_used_to_work_cells_out() -> None:
    cells = suppress_counts({"bus": 3, "park": 20}, 5, total=21)
    assert cells["bus"].suppressed and not cells["park"].suppressed and cells[""].value == 21


def test_the_threshold_is_the_partnerships_then_the_apps(app) -> None:  # type: ignore[no-untyped-def]
    class P:
        suppression_threshold = 10

    assert threshold_for(P()) == 10
    assert threshold_for(None) == app.config["SUPPRESSION_THRESHOLD"] == 5
    app.config["SUPPRESSION_THRESHOLD"] = 7
    assert threshold_for(None) == 7
    with app.test_request_context():
        assert suppress_counts({"a": 9, "b": 50, "c": 60}, threshold_for(P()))["a"].display == "fewer than 10"
    assert public_count(4, 5) == "fewer than 5" and public_count(5, 5) == "5" and public_count(None, 5) == "fewer than 5"


def test_counts_must_be_whole_and_not_negative() -> None:
    with pytest.raises(ValueError):
        suppress_counts({"a": -1}, 5)
    with pytest.raises(ValueError):
        suppress_table({"r": {"a": 1.5}}, 5)  # type: ignore[dict-item]


def _range(table: Table, raw: dict[str, dict[str, int]], threshold: int) -> dict[object, tuple[float, float]]:
    """Return the least and greatest whole value a reader could give each hidden number, from what is shown."""
    rows, cols = table.rows, table.columns
    keys: list[object] = ([("c", r, c) for r in rows for c in cols] + [("r", r) for r in rows]
                          + [("k", c) for c in cols] + [("g",)])
    shown = {("c", r, c): table.cells[(r, c)] for r in rows for c in cols}
    shown.update({("r", r): table.row_totals[r] for r in rows})
    shown.update({("k", c): table.column_totals[c] for c in cols})
    shown[("g",)] = table.total
    index = {k: i for i, k in enumerate(keys)}
    lo = np.zeros(len(keys))
    hi = np.full(len(keys), 1e6)  # "at least 5": no upper limit a reader could use
    for k, cell in shown.items():
        if not cell.suppressed:
            lo[index[k]] = hi[index[k]] = cell.value
        elif cell.reason == PRIMARY:
            lo[index[k]], hi[index[k]] = 1, threshold - 1
        else:
            lo[index[k]] = threshold
    lines = [[("c", r, c) for c in cols] + [("r", r)] for r in rows]
    lines += [[("c", r, c) for r in rows] + [("k", c)] for c in cols]
    lines += [[("r", r) for r in rows] + [("g",)], [("k", c) for c in cols] + [("g",)]]
    a = np.zeros((len(lines), len(keys)))
    for i, line in enumerate(lines):
        for k in line[:-1]:
            a[i, index[k]] = 1
        a[i, index[line[-1]]] = -1
    out = {}
    for k, cell in shown.items():
        if not cell.suppressed:
            continue
        ends = []
        for sign in (1, -1):
            c = np.zeros(len(keys))
            c[index[k]] = sign
            res = milp(c, constraints=LinearConstraint(a, 0, 0), bounds=Bounds(lo, hi),
                       integrality=np.ones(len(keys)))
            assert res.success, "the true table must fit what is shown"
            ends.append(sign * res.fun)
        out[k] = (ends[0], ends[1])
    return out


counts = st.one_of(st.just(0), st.integers(1, 6), st.integers(5, 40))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 3), st.integers(2, 4), st.data(), st.sampled_from([3, 5, 10]))
def test_no_hidden_number_can_be_worked_out_from_the_shown_totals(nrows, ncols, data, threshold) -> None:  # type: ignore[no-untyped-def]
    raw = {f"r{i}": {f"c{j}": data.draw(counts) for j in range(ncols)} for i in range(nrows)}
    table = suppress_table(raw, threshold)
    for (r, c), cell in table.cells.items():
        n = raw[r][c]
        if 0 < n < threshold:
            assert cell.suppressed and cell.value is None
            assert cell.display == (f"fewer than {threshold}" if cell.reason == PRIMARY else "not shown")
        if not cell.suppressed:
            assert cell.value == n
    if table.total.reason == WITHHELD:  # nothing at all is shown
        assert table.hidden() == len(table.cells) + len(table.rows) + len(table.columns) + 1
        return
    for key, (least, most) in _range(table, raw, threshold).items():
        assert least < most, f"{key} is pinned to {least} in {raw}"


def test_a_two_way_table_keeps_what_it_can() -> None:
    table = suppress_table({"child_8_11": {"yes": 2, "no": 20, "not_sure": 9},
                            "parent_carer": {"yes": 30, "no": 40, "not_sure": 11}}, 5)
    assert table.cell("child_8_11", "yes").display == "fewer than 5"
    assert table.hidden() >= 4  # a hidden cell needs a partner in its row and in its column
    assert table.cell("parent_carer", "no").value == 40
    assert table.total.value == 112
