"""Every import format — consultation definitions, organisation CSV, population CSV, paper responses
as CSV and XLSX — answers hostile files with clear errors, never an unhandled exception."""

from __future__ import annotations

import csv
import io
import random

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import forms
from forms import DefinitionError, load_definition
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.strategies import texts
from tests.fuzz.test_fuzz_questions import template_data

# ---- consultation definitions ---------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), texts),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(texts, children, max_size=4)),
    max_leaves=12,
)


def _mutate(data, rng: random.Random, value):  # type: ignore[no-untyped-def]
    """Replace, delete or add one thing somewhere deep in the definition."""
    node, path = data, []
    while isinstance(node, (dict, list)) and node and rng.random() < 0.8:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append((node, key))
        node = node[key]
    if not path:
        return value
    parent, key = path[-1]
    action = rng.random()
    if action < 0.5:
        parent[key] = value
    elif action < 0.75:
        del parent[key]
    elif isinstance(parent, dict):
        parent[f"extra_{rng.randrange(99)}"] = value
    else:
        parent.append(value)
    return data


@fuzz_settings()
@given(seed=st.integers(0, 2**32), value=json_values, steps=st.integers(1, 4))
def test_definition_mutations_load_or_explain(seed: int, value, steps: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    data = template_data()
    for _ in range(steps):
        data = _mutate(data, rng, value)
    try:
        result = load_definition(data)
    except DefinitionError as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert isinstance(result, forms.ConsultationDefinition)


@fuzz_settings()
@given(text=st.one_of(texts, json_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
                      json_values.map(lambda v: __import__("json").dumps(v))))
def test_definition_text_loads_or_explains(text: str) -> None:
    if "\n" not in text and text.endswith((".yaml", ".yml", ".json")):
        text += "\n"  # never a file path
    try:
        load_definition(text)
    except DefinitionError as exc:
        assert exc.errors


# ---- CSV and XLSX ---------------------------------------------------------------------------------

ORG_COLUMNS = ["name", "type", "area", "themes", "tsi_member", "contact_name", "contact_email", "contact_role"]
PAPER_COLUMNS = ["audience", "channel", "language", "feel_safe", "good_things", "more_of", "top_three",
                 "priority_poverty", "priority_poverty.why", "area", "groups", "anything_else"]
cells = st.one_of(st.sampled_from(["", "child_8_11", "young_12_17", "paper", "event", "en", "gd", "3", "yes",
                                   "provides", "represents", "north", "a@example.org", "clubs;play"]), texts)


def tables(columns: list[str]):  # type: ignore[no-untyped-def]
    header = st.one_of(st.just(columns), st.lists(st.one_of(st.sampled_from(columns), texts), max_size=10))
    return st.tuples(header, st.lists(st.lists(cells, max_size=12), max_size=8))


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8", "surrogatepass")


def to_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    ws = wb.active
    for row in [header, *rows]:
        try:
            ws.append([c[:32000] for c in row])
        except IllegalCharacterError:
            ws.append(["".join(ch for ch in c if ch.isprintable())[:32000] for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


raw_bytes = st.one_of(st.binary(max_size=2000), st.just(b""), st.just(b"\xef\xbb\xbf"), st.just(b"PK\x03\x04junk"))


@pytest.fixture(scope="module")
def fuzz_app(_migrated):  # type: ignore[no-untyped-def]
    """One app and consultation for the module; each example's writes are rolled back."""
    from datetime import date, timedelta

    from consult import create_app
    from consult.data import consultations
    from consult.extensions import db
    from tests.conftest import _empty_tables, _normal

    app = create_app({"SQLALCHEMY_DATABASE_URI": _normal(_migrated)})
    with app.app_context():
        _empty_tables(db)
        p = consultations.create_partnership(name="Fuzz", local_authority="C", health_board="B",
                                             areas=[("north", "North"), ("south", "South")])
        plan = consultations.create_plan(p, title="P", period_start=date(2026, 4, 1), period_end=date(2029, 3, 31),
                                         vision="v", priorities=[{"key": f"k{i}", "title": f"P{i}"} for i in range(3)])
        today = date.today()
        c = consultations.create_consultation(plan, forms.load_template("childrens-services-plan"), slug="fuzz",
                                              opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=9),
                                              status="open")
        db.session.commit()
        app.fuzz_ids = (p.id, c.id)  # type: ignore[attr-defined]
        yield app
        db.session.remove()
        _empty_tables(db)


def test_organisation_csv_import_never_raises(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    from consult.data.organisations import import_csv
    from consult.extensions import db

    partnership_id, _ = fuzz_app.fuzz_ids

    @fuzz_settings()
    @given(data=st.one_of(tables(ORG_COLUMNS).map(lambda t: to_csv(*t)), raw_bytes))
    def check(data: bytes) -> None:
        with fuzz_app.test_request_context("/"):
            try:
                result = import_csv(partnership_id, data)
                assert result.ok or all(isinstance(e, str) and e for e in result.errors)
            finally:
                db.session.rollback()

    check()


def test_population_csv_never_raises(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    from consult.data.consultations import get_partnership
    from consult.data.dashboard import PopulationImportError, parse_population_csv

    partnership_id, _ = fuzz_app.fuzz_ids

    @fuzz_settings(shrink=False)
    @given(data=st.one_of(tables(["audience", "area", "count"]).map(lambda t: to_csv(*t).decode("utf-8", "replace")),
                          texts))
    def check(data: str) -> None:
        with fuzz_app.test_request_context("/"):
            areas = get_partnership(partnership_id).areas
            try:
                rows = parse_population_csv(data, areas)
            except PopulationImportError as exc:
                assert exc.problem
            else:
                assert all(isinstance(n, int) and n >= 0 for _a, _area, n in rows)

    check()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_paper_response_import_never_raises(fuzz_app, fmt: str) -> None:  # type: ignore[no-untyped-def]
    from consult.data import consultations
    from consult.data.paper import TableError, import_rows, read_table
    from consult.extensions import db

    _, consultation_id = fuzz_app.fuzz_ids
    encode = to_csv if fmt == "csv" else to_xlsx

    @fuzz_settings()
    @given(data=st.one_of(tables(PAPER_COLUMNS).map(lambda t: encode(*t)), raw_bytes))
    def check(data: bytes) -> None:
        with fuzz_app.test_request_context("/"):
            try:
                rows = read_table(f"upload.{fmt}", data)
            except TableError as exc:
                assert str(exc)
                return
            try:
                result = import_rows(consultations.get(consultation_id), rows, user_id=None)
                assert result.ok or all(isinstance(e, str) and e for e in result.errors)
            finally:
                db.session.rollback()

    check()


def test_population_csv_stray_cr_is_a_numbered_line_error(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    """The case the fuzzer found: a bare CR inside an unquoted value."""
    from consult.data.consultations import get_partnership
    from consult.data.dashboard import PopulationImportError, parse_population_csv

    partnership_id, _ = fuzz_app.fuzz_ids
    with fuzz_app.test_request_context("/"):
        with pytest.raises(PopulationImportError) as info:
            parse_population_csv("audience,area,count\nchild_8_11,nor\rth,5\n", get_partnership(partnership_id).areas)
    assert info.value.problem == "malformed" and info.value.line == 2
