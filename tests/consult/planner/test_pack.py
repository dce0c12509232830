"""The evidence pack: page, PDF, XLSX, CSV; empty consultations; comparing consultations."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from consult.data import consultations
from consult.extensions import db
from forms import load_template
from tests.consult.planner.downloads import download, signed_link


def test_pack_page_and_downloads(world, as_role) -> None:
    client = as_role("planner")
    base = f"/planner/c/{world.consultation.id}/pack"
    html = client.get(base).get_data(as_text=True)
    assert "Who we reached" in html and "What they said" in html and "What changed" in html
    assert "Places to play" in html and "LEAKMARKER" not in html
    pdf = download(client, base, base + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert b"LEAKMARKER" not in pdf.data and b"Places to play" in pdf.data
    xlsx = download(client, base, base + ".xlsx")
    assert xlsx.status_code == 200
    cells = [str(c.value) for ws in load_workbook(io.BytesIO(xlsx.data)) for row in ws.iter_rows() for c in row]
    assert "Places to play" in cells and not any("LEAKMARKER" in c for c in cells)
    csv = download(client, base, base + ".csv")
    assert csv.mimetype == "text/csv" and "Places to play,12" in csv.get_data(as_text=True)
    assert "LEAKMARKER" not in csv.get_data(as_text=True)


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
    pack = f"/planner/c/{world.consultation.id}/pack"
    text = download(as_role("planner"), pack, pack + ".csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


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
    pack = f"/planner/c/{world.consultation.id}/pack"
    text = download(client, pack, pack + ".csv").get_data(as_text=True)
    assert "Young people aged 12 to 17 – Whole partnership,18,\"10.0 per 1,000 of 1800 people\"" in text
    assert "Reach against population" in client.get(f"/planner/c/{world.consultation.id}/pack").get_data(as_text=True)
