"""The evidence pack: page, XLSX (a sheet per table, README, quotes), a CSV per table, the answers export;
no figure under the suppression threshold in any of them; empty consultations; comparing consultations."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from openpyxl import load_workbook

from consult.data import consultations
from consult.extensions import db
from forms import load_template
from tests.consult.planner.downloads import download, link_on, signed_link

SMALL = {1, 2, 3, 4}  # counts a published figure must never show (threshold 5)


def _csv(client, base: str, table: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    link = link_on(client, base, base + ".csv")
    r = client.get(re.sub(r"table=[^&]+", f"table={table}", link))
    assert r.status_code == 200 and r.mimetype == "text/csv", table
    return list(csv.reader(io.StringIO(r.get_data(as_text=True))))


def _numbers(cells) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(c) for c in cells if isinstance(c, int) or (isinstance(c, str) and c.isdecimal())]


def test_xlsx_has_a_readme_a_sheet_per_table_numeric_cells_and_no_small_count(world, as_role) -> None:
    client = as_role("planner")
    base = f"/planner/c/{world.consultation.id}/pack"
    book = load_workbook(io.BytesIO(download(client, base, base + ".xlsx").data))
    assert book.sheetnames[0] == "README"
    assert {"Responses by audience", "Responses by language", "Themes, most raised first", "In their words"} \
        <= set(book.sheetnames)
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True) if row and row[0]}
    assert "fewer than 5" in readme["Small numbers"] and readme["Filters applied"].startswith("None")
    themes = list(book["Themes, most raised first"].iter_rows(values_only=True))
    assert themes[0][:2] == ("Theme", "Answers") and "Young people aged 12 to 17" in themes[0]
    places = next(r for r in themes if r[0] == "Places to play")
    assert places[1] == 12 and isinstance(places[1], int)  # a number, not text
    languages = list(book["Responses by language"].iter_rows(values_only=True))
    assert [r[0] for r in languages[1:]] == ["English", "Gàidhlig"]  # names, not codes
    # Parents (3) and Gàidhlig (3) are small: hidden, and so is a second cell of each table so the
    # total cannot give them away.
    assert dict(languages[1:]) == {"English": "not shown", "Gàidhlig": "fewer than 5"}
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            counts = [v for v in row if isinstance(v, int) and v != row[0]]
            assert not SMALL & set(counts), (sheet.title, row)
    quotes = [r for r in book["In their words"].iter_rows(values_only=True)]
    assert quotes[0] == ("Theme", "Audience", "Quote") and any("swings" in str(r[2]) for r in quotes[1:])
    assert not any("NOCONSENT" in str(c) or "LEAKMARKER" in str(c) for r in quotes for c in r)


def test_csv_per_table_has_human_headers_and_no_small_count(world, as_role) -> None:
    client = as_role("planner")
    base = f"/planner/c/{world.consultation.id}/pack"
    audiences = _csv(client, base, "audiences")
    assert audiences[0] == ["Audience", "Responses"]
    assert dict(audiences[1:]) == {"Children aged 8 to 11": "not shown", "Young people aged 12 to 17": "18",
                                   "Parents and carers": "fewer than 5"}
    themes = _csv(client, base, "themes")
    assert ["Places to play", "12", "6", "6"] in [r[:4] for r in themes]
    worries = next(r for r in themes if r[0] == "Worries and mental health")
    assert "3" not in worries
    for key in ("audiences", "areas", "languages", "channels", "groups", "days", "themes", "gaps"):
        rows = _csv(client, base, key)
        assert not SMALL & set(_numbers(c for r in rows[1:] for c in r[1:])), key
    assert client.get(link_on(client, base, base + ".csv").split("&table=")[0] + "&table=nope").status_code == 404


def test_pack_page_shows_the_cover_and_suppressed_figures(world, as_role) -> None:
    html = as_role("planner").get(f"/planner/c/{world.consultation.id}/pack").get_data(as_text=True)
    assert "Who we reached" in html and "What they said" in html and "What changed" in html
    assert "Places to play" in html and "LEAKMARKER" not in html
    assert "What people raised most" in html and "fewer than 5" in html
    assert not re.search(r'class="numeric">\s*[1-4]\s*<', html)


def test_answers_export_is_redacted_and_withholds_small_groups_descriptions(world, as_role) -> None:
    client = as_role("planner")
    base = f"/planner/c/{world.consultation.id}/pack"
    rows = list(csv.reader(io.StringIO(download(client, base, f"/planner/c/{world.consultation.id}/answers-export.csv")
                                       .get_data(as_text=True))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Answer number", "Question", "Audience"] and header[-1] == "Answer (redacted)"
    assert len(body) == 26 and not any("LEAKMARKER" in c for r in body for c in r)  # the flagged one is left out
    worries = [r for r in body if "Waiting lists" in r[-1]]
    # Three parents answering in Gàidhlig from the South: every describing column that would single them out
    # is withheld; the text and its theme stay.
    assert worries and all(r[3].startswith("Withheld") and r[4].startswith("Withheld") for r in worries)
    assert all(r[6] == "Worries and mental health" for r in worries)
    described = {}
    for r in body:
        described[tuple(r[2:6])] = described.get(tuple(r[2:6]), 0) + 1
    assert all(n >= 5 for d, n in described.items() if not all(c.startswith("Withheld") for c in d)), described
    xlsx = download(client, base, f"/planner/c/{world.consultation.id}/answers-export.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["README", "Answers"] and book["Answers"].max_row == 27


def test_a_filtered_answers_export_holds_only_the_filtered_answers_and_never_a_small_group(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    base = f"/planner/c/{c}/pack"
    # The 8-11s: at least 5 answers, each of them from an 8-11, each description shared by 5 or withheld.
    rows = list(csv.reader(io.StringIO(download(client, base + "?age=8-11", f"/planner/c/{c}/answers-export.csv")
                                       .get_data(as_text=True))))[1:]
    assert len(rows) >= 5 and all(r[2] in ("Children aged 8 to 11", "Withheld: fewer than 5") for r in rows)
    described: dict[tuple, int] = {}
    for r in rows:
        described[tuple(r[2:6])] = described.get(tuple(r[2:6]), 0) + 1
    assert all(n >= 5 for d, n in described.items() if not all(x.startswith("Withheld") for x in d)), described
    book = load_workbook(io.BytesIO(download(client, base + "?age=8-11", f"/planner/c/{c}/answers-export.xlsx").data))
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True) if row and row[0]}
    assert readme["Filters applied"] == "Age: 8 to 11" and readme["Answers"] == len(rows)
    # Gàidhlig: only the three parents' answers. The filter would describe all three, so nothing is exported.
    for ext in ("csv", "xlsx"):
        r = download(client, base + "?language=gd", f"/planner/c/{c}/answers-export.{ext}", follow_redirects=True)
        page = r.get_data(as_text=True)
        assert r.mimetype == "text/html" and "Fewer than 5 answers match these filters" in page, ext
        assert "Waiting lists" not in page and "Language: Gàidhlig" in page  # back on the filtered pack


def _another_consultation(world, slug: str):  # type: ignore[no-untyped-def]
    """Add a consultation nobody has answered yet to the world's plan."""
    made = consultations.create_consultation(world.consultation.plan, load_template("childrens-services-plan"),
                                             slug=slug, opens_on=date(2027, 1, 1), closes_on=date(2027, 2, 1))
    db.session.commit()
    return made


def test_exporting_an_empty_consultation_says_so(world, as_role) -> None:
    empty = _another_consultation(world, "empty-one")
    client = as_role("planner")
    for ext in ("pdf", "xlsx", "csv"):
        link = signed_link(client.application, "planner@example.org", f"planner.pack_{ext}",
                           consultation_id=empty.id)  # the page shows no links while it is empty
        r = client.get(link, follow_redirects=True)
        assert r.mimetype == "text/html"
        assert "There is nothing to export yet: no one has answered this consultation." in r.get_data(as_text=True)


def test_theme_names_cannot_become_spreadsheet_formulas(world, as_role) -> None:
    world.places.name = "=HYPERLINK(\"http://evil\")"
    db.session.commit()
    client = as_role("planner")
    rows = _csv(client, f"/planner/c/{world.consultation.id}/pack", "themes")
    assert any(r[0].startswith("'=HYPERLINK") for r in rows)


def test_compare_themes_across_consultations(world, as_role) -> None:
    other = _another_consultation(world, "review-2027")
    client = as_role("planner")
    r = client.get(f"/planner/c/{world.consultation.id}/compare?with={other.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Compare themes" in html and "Places to play" in html
    assert client.get(f"/planner/c/{world.consultation.id}/compare?with={world.consultation.id}").status_code == 404


def test_pack_includes_reach_against_population(world, as_role) -> None:
    from consult.data import dashboard

    dashboard.set_population(world.consultation.plan.partnership_id, audience="young_12_17", area_id=None, count=1800)
    db.session.commit()
    client = as_role("planner")
    rows = _csv(client, f"/planner/c/{world.consultation.id}/pack", "reach")
    assert rows[0] == ["Audience", "Area", "Responses", "Population", "Per 1,000 people", "Under-represented"]
    assert ["Young people aged 12 to 17", "Whole partnership", "18", "1800", "10.0", "No"] in rows


def test_filters_apply_to_the_pack_and_its_exports_and_small_filtered_counts_stay_hidden(world, as_role) -> None:
    client = as_role("planner")
    base = f"/planner/c/{world.consultation.id}/pack"
    page = base + "?language=gd"
    html = client.get(page).get_data(as_text=True)
    assert "Language: Gàidhlig" in html and "Buses and transport" not in html  # only the three Gàidhlig answers
    link = link_on(client, page, base + ".csv")
    assert "language=gd" in link
    for key in ("audiences", "languages", "themes", "days"):
        r = client.get(re.sub(r"table=[^&]+", f"table={key}", link))
        rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
        assert not SMALL & set(_numbers(c for row in rows[1:] for c in row[1:])), key
        assert "fewer than 5" in r.get_data(as_text=True), key
    book = load_workbook(io.BytesIO(download(client, page, base + ".xlsx").data))
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True) if row and row[0]}
    assert readme["Filters applied"] == "Language: Gàidhlig"
    assert not any(isinstance(v, int) and v in SMALL for ws in book.worksheets[1:]
                   for row in ws.iter_rows(min_row=2, values_only=True) for v in row[1:])


def test_results_by_question_reach_the_exports_suppressed(world, as_role) -> None:
    from tests.consult.planner.test_results import _feel_safe

    _feel_safe(world, "child_8_11", [5, 5, 4, 4, 4, 3, 1, 2, 2])
    _feel_safe(world, "parent_carer", [3, 3, 3, 2, 4, 5])
    client = as_role("planner")
    base = f"/planner/c/{world.consultation.id}/pack"
    assert "Results by question" in client.get(base).get_data(as_text=True)
    book = load_workbook(io.BytesIO(download(client, base, base + ".xlsx").data))
    sheets = [ws for ws in book.worksheets[1:] if ws.cell(1, 2).value == "Answered"]
    assert sheets, book.sheetnames
    answered = [{r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)} for ws in sheets]
    safe = max(answered, key=lambda d: d.get("Children aged 8 to 11") or 0)
    assert safe["Children aged 8 to 11"] == 9 and safe["Parents and carers"] == 6
    for ws in sheets:
        for r in ws.iter_rows(min_row=2, values_only=True):
            assert not SMALL & {v for v in r[1:] if isinstance(v, int)}, (ws.title, r)
