"""Email wording per partnership: safe placeholders, every language, a preview, and the emails that use it."""

from __future__ import annotations

import html as html_lib

from flask import current_app
from sqlalchemy import select

from consult.extensions import db
from consult.models import EmailTemplate, OutboxEmail
from consult.services import email_templates
from tests.conftest import csrf_from

URL = "/planner/settings/emails/invitation"
GOOD_EN = ("Invitation for {organisation}", "Hello {name},\n\n{organisation}: please answer {consultation} by "
           "{closing_date}.\n\n{link}\n\nStop these emails: {opt_out_link}")
GOOD_GD = ("Cuireadh do {organisation}", "Halò {name},\n\n{link}\n\n{opt_out_link}")


def _post(client, **fields):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(URL).get_data(as_text=True))
    r = client.post(URL, data={"csrf_token": token, **fields})
    return r, html_lib.unescape(r.get_data(as_text=True))


def _bilingual(world) -> None:  # type: ignore[no-untyped-def]
    world.consultation.plan.partnership.languages = ["en", "gd"]
    db.session.commit()


def _texts(en=GOOD_EN, gd=GOOD_GD) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"subject-en": en[0], "body-en": en[1], "subject-gd": gd[0], "body-gd": gd[1]}


def test_the_form_starts_from_the_standard_wording_in_each_language(world, as_role) -> None:
    _bilingual(world)
    client = as_role("planner")
    page = html_lib.unescape(client.get(URL).get_data(as_text=True))
    assert "Invitation: respond for {organisation} to {consultation}" in page
    assert 'name="body-gd"' in page and "Gàidhlig" in page
    assert "uses Guth's standard wording" in page


def test_an_unknown_placeholder_is_refused_by_name_and_what_was_typed_stays(world, as_role) -> None:
    _bilingual(world)
    client = as_role("planner")
    body = GOOD_EN[1] + "\nYour colour: {colour} {0.__class__}"
    r, page = _post(client, action="save", **_texts(en=(GOOD_EN[0], body)))
    assert r.status_code == 400 and "<title>Error:" in page
    assert "{colour}, {0.__class__} is not a placeholder this email can use. Use only {name}, {organisation}" in page
    assert "Your colour: {colour} {0.__class__}</textarea>" in page
    assert db.session.scalars(select(EmailTemplate)).all() == []


def test_a_missing_translation_or_a_missing_link_is_refused_on_its_field(world, as_role) -> None:
    _bilingual(world)
    client = as_role("planner")
    r, page = _post(client, action="save", **_texts(gd=("", "")))
    assert r.status_code == 400
    assert "Write the subject in Gàidhlig too, or empty every language to use the standard wording" in page
    assert "Write the email in Gàidhlig too" in page
    assert 'value="Invitation for {organisation}"' in page  # the English is kept
    r, page = _post(client, action="save", **_texts(gd=(GOOD_GD[0], "Halò {name}")))
    assert r.status_code == 400 and "The email must include {link}, {opt_out_link}" in page
    r, page = _post(client, action="save", **_texts(en=("Two\nlines", GOOD_EN[1])))
    assert r.status_code == 400
    assert db.session.scalars(select(EmailTemplate)).all() == []


def test_preview_fills_in_made_up_values_at_the_external_address_and_saves_nothing(world, as_role) -> None:
    _bilingual(world)
    client = as_role("planner")
    r, page = _post(client, action="preview", **_texts())
    assert r.status_code == 200
    base = current_app.config["GUTH_BASE_URL"]
    assert "Invitation for Glenbrae Youth Forum" in page and "Hello Alex Morgan," in page
    assert f"{base}/org/EXAMPLE-LINK" in page and "Cuireadh do Glenbrae Youth Forum" in page
    assert db.session.scalars(select(EmailTemplate)).all() == []


def test_saved_wording_is_what_organisations_get_and_values_cannot_inject_placeholders(world, as_role) -> None:
    from consult.data import organisations
    from consult.services import invitations

    _bilingual(world)
    client = as_role("planner")
    r, _page = _post(client, action="save", **_texts())
    assert r.status_code == 303
    rows = {t.language: t for t in db.session.scalars(select(EmailTemplate))}
    assert set(rows) == {"en", "gd"} and rows["en"].kind == "invitation"

    org = organisations.create_organisation(partnership_id=world.consultation.plan.partnership_id,
                                            name="{link} Forum", org_type="represents")
    contact = organisations.add_contact(org, name="{opt_out_link}", email="robin@example.org")
    with current_app.test_request_context("/"):
        invitations.invite_contact(world.consultation, contact, invited_by_id=None)
    db.session.commit()
    email = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    base = current_app.config["GUTH_BASE_URL"]
    assert email.subject == "Invitation for {link} Forum"  # a value is never read again for placeholders
    assert email.body.startswith("Hello {opt_out_link},\n\n{link} Forum: please answer")
    assert f"\n\n{base}/org/" in email.body  # the personal link, at the configured address

    token = csrf_from(client.get(URL).get_data(as_text=True))
    assert client.post(URL, data={"csrf_token": token, "action": "reset"}).status_code == 303
    assert db.session.scalars(select(EmailTemplate)).all() == []


def test_fill_is_one_pass_and_format_fields_go_nowhere() -> None:
    kind = email_templates.KINDS["safeguarding_alert"]
    assert email_templates.unknown_placeholders("{link} {0} {link.__class__} {what}", kind) == ["0", "link.__class__"]
    assert email_templates.fill("{link}/{minutes}", {"link": "{minutes}", "minutes": "60"}) == "{minutes}/60"


def test_another_partnerships_staff_see_their_own_wording_only(world, as_role, client, login) -> None:
    from consult.data import consultations, users

    _bilingual(world)
    _post(as_role("planner"), action="save", **_texts())
    client.post("/staff/logout", data={"csrf_token": csrf_from(client.get("/planner/").get_data(as_text=True))})
    other = consultations.create_partnership(name="Lochmore", local_authority="Lochmore Council",
                                             health_board="NHS Lochmore", areas=[("x", "X")])
    db.session.flush()
    users.create_user(email="lochmore@example.org", name="L", password="correct horse battery", roles=["planner"],
                      partnership_id=other.id)
    db.session.commit()
    login("lochmore@example.org")
    page = html_lib.unescape(client.get(URL).get_data(as_text=True))
    assert "uses Guth's standard wording" in page and "Hello {name}" not in page
    assert client.get("/planner/settings/emails/nonsense").status_code == 404


def test_every_kind_of_email_has_a_page_listed_in_settings(world, as_role) -> None:
    client = as_role("planner")
    listing = html_lib.unescape(client.get("/planner/settings").get_data(as_text=True))
    for code, kind in email_templates.KINDS.items():
        with current_app.test_request_context("/"):
            label, subject = str(kind.label), email_templates.standard_wording(kind, "en")[0]
        assert f"/planner/settings/emails/{code}" in listing and label in listing
        page = client.get(f"/planner/settings/emails/{code}")
        assert page.status_code == 200 and subject in html_lib.unescape(page.get_data(as_text=True))
    assert "Safeguarding escalation to a deputy" in listing
