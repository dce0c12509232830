"""The consultee register: add and edit, contacts, CSV import (all or nothing) and export, who may see it."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Contact, Organisation
from tests.conftest import csrf_from
from tests.consult.planner.downloads import download


def _import(client, data: bytes):  # type: ignore[no-untyped-def]
    page = client.get("/planner/organisations/import")
    return client.post("/planner/organisations/import",
                       data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                             "file": (io.BytesIO(data), "orgs.csv")}, content_type="multipart/form-data")


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Organisation.id))), db.session.scalar(select(func.count(Contact.id))))


def test_planner_adds_an_organisation_and_a_contact(world, staff) -> None:
    planner = staff("planner@t.example")
    page = planner.get("/planner/organisations/new")
    done = planner.post("/planner/organisations/new", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "name": "Glen Parents Council",
        "org_type": "represents", "area": "North", "themes": "poverty, school costs", "tsi_member": "y"})
    assert done.status_code == 302
    org = db.session.scalars(select(Organisation).where(Organisation.name == "Glen Parents Council")).one()
    assert org.themes_of_interest == ["poverty", "school costs"] and org.tsi_member and org.area == "North"
    page = planner.get(done.headers["Location"])
    added = planner.post(f"/planner/organisations/{org.id}/contacts", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "contact_name": "Isla Reid",
        "email": "Isla@Glen.example", "role": "Chair"})
    assert added.status_code == 302
    assert db.session.scalars(select(Contact).where(Contact.organisation_id == org.id)).one().email == "isla@glen.example"


def test_a_duplicate_name_or_bad_email_is_refused_with_a_message(world, staff) -> None:
    planner = staff("planner@t.example")
    page = planner.get("/planner/organisations/new")
    dup = planner.post("/planner/organisations/new", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "name": "  family   HUB ", "org_type": "provides"})
    assert dup.status_code == 200 and "already in the register" in dup.get_data(as_text=True)
    hub = world["orgs"]["Family Hub"]
    page = planner.get(f"/planner/organisations/{hub.id}")
    bad = planner.post(f"/planner/organisations/{hub.id}/contacts", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "contact_name": "X", "email": "not-an-email"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Enter an email address like" in html and "<title>Error:" in html


GOOD = (b"name,type,area,themes,tsi_member,contact_name,contact_email,contact_role\n"
        b"Glen Parents Council,represents,North,poverty; school costs,yes,Isla Reid,isla@glen.example,Chair\n"
        b"Glen Parents Council,represents,North,,yes,Tom Reid,tom@glen.example,\n"
        b"Family Hub,provides,South,,no,Cara New,cara@fh.example,\n"
        b"Coast Homes,Social landlord,South,,no,,,\n")


def test_csv_import_adds_rows_and_de_duplicates_on_the_name(world, staff) -> None:
    planner = staff("planner@t.example")
    before_orgs, before_contacts = _counts()
    done = _import(planner, b"\xef\xbb\xbf" + GOOD)  # Excel's "CSV UTF-8" starts with a BOM
    assert done.status_code == 302
    assert _counts() == (before_orgs + 2, before_contacts + 3)
    coast = db.session.scalars(select(Organisation).where(Organisation.name == "Coast Homes")).one()
    assert coast.org_type == "social_landlord"
    page = planner.get("/planner/organisations").get_data(as_text=True)
    assert "Imported: 2 new organisations, 2 already in the register, 3 new contacts." in page
    # Importing the same file again adds nothing.
    assert _import(planner, GOOD).status_code == 302
    assert _counts() == (before_orgs + 2, before_contacts + 3)


def test_export_then_import_changes_nothing(world, staff) -> None:
    planner = staff("planner@t.example")
    exported = download(planner, "/planner/organisations", "/planner/organisations/export.csv")
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    text = exported.get_data(as_text=True)
    assert text.splitlines()[0] == "name,type,area,themes,tsi_member,contact_name,contact_email,contact_role"
    assert "Hill Housing,social_landlord,North,,no,Ann hh,ann@hh.example," in text
    before = _counts()
    assert _import(planner, exported.data).status_code == 302
    assert _counts() == before


def test_export_neutralises_spreadsheet_formulas(world, staff) -> None:
    from consult.data import organisations

    organisations.create_organisation(partnership_id=world["partnership"].id, name="=HYPERLINK(1)",
                                      org_type="provides")
    db.session.commit()
    text = download(staff("planner@t.example"), "/planner/organisations",
                    "/planner/organisations/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize(("data", "message"), [
    (b"organisation,kind\nA,provides\n", "missing the column(s): name, type"),
    ("name,type\nCaf\u00e9 Bairn,provides\n".encode("latin-1"), "not UTF-8 text (first problem on line 2)"),
    (b"name,type\nNew One,provides\nNew One,provides\n", "Row 3: repeats row 2"),
    (b"name,type,tsi_member\nNew One,charity,perhaps\n", "Row 2: the type &#39;charity&#39; is not one of"),
    (b"name,type,contact_email\nNew One,provides,nope\n", "Row 2: the contact email &#39;nope&#39; is not an email"),
    (b"name,type\n,provides\n", "Row 2: the organisation name is empty"),
    (b"", "Choose a CSV file to import."),
    (b"name,type\n", "no rows of organisations"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not UTF-8 text"),
    (b"name,type\nA\x00,provides\n", "The file is not a CSV text file. Upload a .csv file saved from a spreadsheet."),
    (b"name,type,tsi_member\nNew One,provides,perhaps\n", "Row 2: tsi_member must be yes or no, not &#39;perhaps&#39;"),
    (b"name,type\n" + b"x" * 301 + b",provides\n", "Row 2: the organisation name is longer than 300 characters"),
    (b"name,type,area\nNew One,provides," + b"a" * 201 + b"\n", "Row 2: area: Keep it to 200 characters or fewer"),
    (b"name,type,area\nNew One,provides,North\x07\n", "Row 2: the area column holds hidden control characters"),
    (b"name,type\nNew One,provides" + b",x" * 300 + b"\n", "Row 2: the CSV is malformed (too many columns)."),
    (b"name,type\n" + b"".join(b"Org %d,provides\n" % i for i in range(5001)),
     "The file has more than 5000 rows. Split it into smaller files."),
])
def test_a_bad_csv_names_the_problem_and_imports_nothing(world, staff, data, message) -> None:
    planner = staff("planner@t.example")
    good_rows = b"Brand New Group,represents\n"
    before = _counts()
    page = _import(planner, data if not data.startswith(b"name,type\n") or data == b"name,type\n"
                   else data + good_rows)
    html = page.get_data(as_text=True)
    assert page.status_code == 400, html[:300]
    assert message in html, html[html.find("There is a problem"):][:600]
    assert "Nothing was imported" in html or "Choose a CSV file" in html
    assert _counts() == before


def test_a_bad_csv_is_explained_in_the_planners_language(world, staff) -> None:
    planner = staff("planner@t.example")
    planner.environ_base["HTTP_ACCEPT_LANGUAGE"] = "gd"
    before = _counts()
    html = _import(planner, b"name,type,area\n,provides,North\x07\n").get_data(as_text=True)
    assert "Sreath 2: tha ainm na buidhne falamh" in html
    assert "Sreath 2: tha caractaran-smachd falaichte sa cholbh area" in html
    assert "Tha am faidhle falamh." in _import(planner, b"\n\n").get_data(as_text=True)
    assert _counts() == before


def test_who_may_use_the_register(world, staff, app) -> None:
    assert app.test_client().get("/planner/organisations").status_code in (302, 401)
    moderator = staff("mod@t.example")
    for url in ["/planner/organisations", "/planner/organisations/import", "/planner/outbox",
                f"/planner/consultations/{world['consultation'].id}/evidence", "/tsi/"]:
        assert moderator.get(url).status_code == 403, url
    tsi = staff("tsi@t.example")
    page = tsi.get("/planner/organisations").get_data(as_text=True)
    assert "Family Hub" in page and "Hill Housing" not in page  # only the organisations the TSI coordinates
    assert tsi.get(f"/planner/organisations/{world['orgs']['Hill Housing'].id}").status_code == 404
    assert tsi.get("/planner/organisations/import").status_code == 403
    assert tsi.get("/planner/organisations/999999").status_code == 404


def test_the_tsi_invites_only_the_organisations_it_coordinates(world, staff) -> None:
    from consult.models import Invitation

    consultation, orgs = world["consultation"], world["orgs"]
    tsi = staff("tsi@t.example")
    page = tsi.get(f"/planner/consultations/{consultation.id}/invite")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Youth Voice" in html and "Hill Housing" not in html
    # A tampered form naming a non-member invites nobody outside the TSI's members.
    tsi.post(f"/planner/consultations/{consultation.id}/invite",
             data={"csrf_token": csrf_from(html), "org": [str(orgs["Hill Housing"].id), str(orgs["Youth Voice"].id)]})
    invited = {i.organisation_id for i in db.session.scalars(select(Invitation))}
    assert invited == {orgs["Youth Voice"].id}
    # Choosing nobody is a clear error.
    empty = tsi.post(f"/planner/consultations/{consultation.id}/invite", data={"csrf_token": csrf_from(html)})
    assert empty.status_code == 400 and "Choose at least one organisation to invite" in empty.get_data(as_text=True)


def test_themes_typed_with_arabic_or_full_width_commas_are_split() -> None:
    from consult.data.organisations import split_themes

    assert split_themes("سكن، صحة؛ مدرسة") == ["سكن", "صحة", "مدرسة"]
    assert split_themes("housing, health; play，youth") == ["housing", "health", "play", "youth"]
    assert split_themes(" , ;") == []
