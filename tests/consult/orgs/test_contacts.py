"""Changing and removing an organisation's contacts: links, confirmation, errors, the audit log, who may."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select

from consult.data import audit, invitations
from consult.data.evidence import build_report
from consult.extensions import db
from consult.models import AuditEvent, Contact, Invitation
from tests.conftest import csrf_from

from .conftest import path_of


def _contact(org, email: str) -> Contact:  # type: ignore[no-untyped-def]
    return db.session.scalars(select(Contact).where(Contact.organisation_id == org.id, Contact.email == email)).one()


def _edit_url(org, contact) -> str:  # type: ignore[no-untyped-def]
    return f"/planner/organisations/{org.id}/contacts/{contact.id}"


def _submit(client, url: str, **fields):  # type: ignore[no-untyped-def]
    """Load a page, then post its form with these fields (and the page's CSRF token)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **fields})


def _edit(client, org, contact, *, name: str, email: str, role: str = ""):  # type: ignore[no-untyped-def]
    return _submit(client, _edit_url(org, contact), contact_name=name, email=email, role=role)


def _remove(client, org, contact):  # type: ignore[no-untyped-def]
    return _submit(client, _edit_url(org, contact) + "/remove")


def _flashes(client, response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _audit_text() -> str:
    return json.dumps([[e.action, e.detail] for e in db.session.scalars(select(AuditEvent))])


# ---- changing a contact -------------------------------------------------------------------------

def test_planner_changes_a_contacts_name_and_role(world, staff) -> None:
    planner, hub = staff("planner@t.example"), world["orgs"]["Family Hub"]
    bob = _contact(hub, "bob@fh.example")
    form = planner.get(_edit_url(hub, bob)).get_data(as_text=True)
    assert "Change contact details" in form and 'value="Bob fh"' in form and 'value="bob@fh.example"' in form
    page = _flashes(planner, _edit(planner, hub, bob, name="  Robert Fh ", email="bob@fh.example", role="Chair"))
    assert "Saved the changes to Robert Fh." in page and "no longer works" not in page
    db.session.expire_all()
    assert (bob.name, bob.email, bob.role) == ("Robert Fh", "bob@fh.example", "Chair")
    event = audit.events(action="contact.update")[0]
    assert event.object_id == bob.id and event.detail["changed"] == ["name", "role"]
    assert event.user_id is not None and event.detail["organisation_id"] == hub.id
    # Saving again without a change says so and records nothing; the address's case does not matter.
    again = _flashes(planner, _edit(planner, hub, bob, name="Robert Fh", email="BOB@fh.example", role="Chair"))
    assert "Nothing changed for Robert Fh." in again
    assert len(audit.events(action="contact.update")) == 1


def test_a_new_email_address_stops_the_old_link_and_gets_a_new_one(world, smtp, invite, open_link, staff,
                                                                 app) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    old_link = smtp.link_for("ann@fh.example")
    # Someone at the old address has the draft open in their browser.
    browser, draft = open_link(old_link)
    assert browser.get(draft).status_code == 200
    planner = staff("planner@t.example")
    ann = _contact(hub, "ann@fh.example")
    hint = planner.get(_edit_url(hub, ann)).get_data(as_text=True)
    assert "that link stops working and Guth emails a new one to the new address" in hint
    page = _flashes(planner, _edit(planner, hub, ann, name="Ann fh", email="Ann.New@FH.example"))
    assert "The personal link sent to the old email address no longer works." in page
    assert "Sent Ann fh 1 new personal link at ann.new@fh.example." in page
    # The old address can no longer use the link, nor the draft it opened.
    assert app.test_client().get(path_of(old_link)).status_code == 410
    assert browser.get(draft).status_code == 410
    # The new address got the invitation email, and its link opens the same draft.
    new_mail = smtp.to("ann.new@fh.example")
    assert len(new_mail) == 1 and new_mail[0]["Subject"].strip().startswith("Invitation")
    _client, new_draft = open_link(smtp.link_for("ann.new@fh.example"))
    assert new_draft == draft
    # Bob's link was not touched; the evidence still counts two contacts invited once, on the first date.
    assert app.test_client().get(path_of(smtp.link_for("bob@fh.example"))).status_code == 200
    row = next(r for r in build_report(consultation).rows if r.name == "Family Hub")
    assert row.contacts_invited == 2 and row.first_invited is not None
    # The audit log says what changed and what happened to the links, never the addresses.
    event = audit.events(action="contact.update")[0]
    assert event.detail["changed"] == ["email"] and event.detail["links_stopped"] == 1
    assert event.detail["links_sent"] == 1
    assert "@" not in _audit_text()


def test_a_new_address_after_the_organisation_submitted_only_stops_the_old_link(world, smtp, invite, open_link,
                                                                               staff, app) -> None:
    consultation, voice = world["consultation"], world["orgs"]["Youth Voice"]
    invite(consultation, voice)
    link = smtp.link_for("bob@yv.example")
    client, draft = open_link(link)
    page = client.get(f"{draft}/submit")
    client.post(f"{draft}/submit", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    planner = staff("planner@t.example")
    bob = _contact(voice, "bob@yv.example")
    done = _flashes(planner, _edit(planner, voice, bob, name="Bob yv", email="bob@elsewhere.example"))
    assert "no longer works" in done and "new personal link" not in done
    assert smtp.to("bob@elsewhere.example") == []
    assert app.test_client().get(path_of(link)).status_code == 410


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "", "email": "bob@fh.example"}, "Enter the contact's name"),
    ({"name": "   ", "email": "bob@fh.example"}, "Enter the contact's name"),
    ({"name": "Bob Typed", "email": "bob at fh"}, "Enter an email address like name@example.org"),
    ({"name": "Bob Typed", "email": ""}, "Enter the contact's email address"),
    ({"name": "Bob Typed", "email": "ANN@fh.example"}, "ANN@fh.example is already a contact here"),
    ({"name": "Bob\x00Typed", "email": "bob@fh.example"}, "Remove the hidden characters"),
    ({"name": "Bob Typed", "email": "b\x07ob@fh.example"}, "Remove the hidden characters"),
    ({"name": "B" * 201, "email": "bob@fh.example"}, "The name must be 200 characters or fewer"),
])
def test_bad_input_is_shown_on_the_page_with_what_was_typed(world, staff, fields, message) -> None:
    planner, hub = staff("planner@t.example"), world["orgs"]["Family Hub"]
    bob = _contact(hub, "bob@fh.example")
    bad = _edit(planner, hub, bob, role="Typed role", **fields)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert '<a href="#' in html.split("There is a problem")[1].split("</ul>")[0]  # the summary links to the field
    html = html.replace("&#39;", "'")
    assert "<title>Error:" in html and "There is a problem" in html and message in html
    assert 'value="Typed role"' in html  # what was typed stays
    if fields["email"] and "\x07" not in fields["email"]:
        assert f'value="{fields["email"]}"' in html
    assert 'aria-describedby="' in html and "-error" in html
    db.session.expire_all()
    assert (bob.name, bob.email, bob.role) == ("Bob fh", "bob@fh.example", "")
    assert not audit.events(action="contact.update")


def test_every_problem_is_shown_at_once(world, staff) -> None:
    planner, hub = staff("planner@t.example"), world["orgs"]["Family Hub"]
    bad = _edit(planner, hub, _contact(hub, "bob@fh.example"), name="", email="ann@fh.example")
    html = bad.get_data(as_text=True).replace("&#39;", "'")
    assert bad.status_code == 400
    assert "Enter the contact's name" in html and "ann@fh.example is already a contact here" in html


def test_the_change_form_needs_its_csrf_token(world, staff) -> None:
    planner, hub = staff("planner@t.example"), world["orgs"]["Family Hub"]
    bob = _contact(hub, "bob@fh.example")
    for url in (_edit_url(hub, bob), _edit_url(hub, bob) + "/remove"):
        response = planner.post(url, data={"contact_name": "Mallory", "email": "m@evil.example"})
        assert response.status_code == 400, url
    db.session.expire_all()
    assert bob.name == "Bob fh" and db.session.get(Contact, bob.id) is not None


class _Marked:
    """Translations that wrap every message in brackets, to find text that skipped gettext."""

    def ugettext(self, s: str) -> str:
        return f"⟦{s}⟧"

    def ungettext(self, s: str, p: str, n: int) -> str:
        return f"⟦{s if n == 1 else p}⟧"

    def upgettext(self, c: str, s: str) -> str:
        return f"⟦{s}⟧"

    def unpgettext(self, c: str, s: str, p: str, n: int) -> str:
        return f"⟦{s if n == 1 else p}⟧"


def _untranslated(page: str, *data: str) -> str:
    """Return the letters in <main> that are neither a message through gettext nor the person's own data."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    text = html.unescape(re.sub(r"<[^>]+>", " ", main.split(">", 1)[1]))
    text = re.sub(r"⟦[^⟧]*⟧", " ", text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return " ".join(w for w in text.split() if re.search(r"[^\W\d_]", w))


def test_every_word_on_the_pages_goes_through_gettext(world, smtp, invite, staff, monkeypatch) -> None:
    import flask_babel

    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    planner = staff("planner@t.example")
    bob = _contact(hub, "bob@fh.example")
    _flashes(planner, _remove(planner, hub, _contact(hub, "ann@fh.example")))
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: _Marked())
    data = ("North", "South", "Family Hub", "Bob fh", "bob@fh.example", "bob at fh", "Typed role", consultation.title["en"])
    pages = {
        "change": planner.get(_edit_url(hub, bob)),
        "remove (last contact)": planner.get(_edit_url(hub, bob) + "/remove"),
        "change, with errors": _edit(planner, hub, bob, name="", email="bob at fh", role="Typed role"),
        "organisation": planner.get(f"/planner/organisations/{hub.id}"),
    }
    for what, page in pages.items():
        assert page.status_code in (200, 400), what
        assert _untranslated(page.get_data(as_text=True), *data) == "", what


# ---- removing a contact -------------------------------------------------------------------------

def test_removing_asks_first_and_a_contact_never_invited_is_deleted(world, staff) -> None:
    planner, hub = staff("planner@t.example"), world["orgs"]["Family Hub"]
    bob = _contact(hub, "bob@fh.example")
    bob_id, url = bob.id, _edit_url(hub, bob)
    ask = planner.get(url + "/remove")
    html = ask.get_data(as_text=True)
    assert ask.status_code == 200 and "Remove Bob fh?" in html and "Yes, remove Bob fh" in html
    assert 'method="post"' in html and "warn-last-contact" not in html  # Ann still gets email
    assert db.session.get(Contact, bob_id) is not None  # asking changes nothing
    page = _flashes(planner, _remove(planner, hub, bob))
    assert "Removed Bob fh from Family Hub." in page and "bob@fh.example" not in page
    db.session.expire_all()
    assert db.session.get(Contact, bob_id) is None
    event = audit.events(action="contact.remove")[0]
    assert event.object_id == bob_id and event.detail["kept_on_record"] is False
    # Gone from the register; its pages are now "not found".
    assert planner.get(url).status_code == 404
    assert planner.get(url + "/remove").status_code == 404


def test_removing_an_invited_contact_stops_their_link_and_keeps_the_evidence(world, smtp, invite, staff,
                                                                             app) -> None:
    from consult.data.organisations import export_csv

    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    invite(consultation, hub)
    planner, bob = staff("planner@t.example"), _contact(hub, "bob@fh.example")
    ask = planner.get(_edit_url(hub, bob) + "/remove").get_data(as_text=True)
    assert "Their personal link stops working straight away" in ask and "Their name stays" in ask
    page = _flashes(planner, _remove(planner, hub, bob))
    assert "Their personal link no longer works." in page and "is still invited, but nobody" not in page
    assert app.test_client().get(path_of(smtp.link_for("bob@fh.example"))).status_code == 410
    db.session.expire_all()
    kept = db.session.get(Contact, bob.id)
    assert kept.name == "Bob fh" and kept.email == "" and kept.removed_at is not None
    assert not kept.opted_out  # removed is not opted out
    assert "bob@fh.example" not in page and "Bob fh" not in page.split('id="contacts"')[1]
    assert "bob@fh.example" not in export_csv(world["partnership"].id)
    row = next(r for r in build_report(consultation).rows if r.name == "Family Hub")
    assert row.contacts_invited == 2 and row.status == "invited"
    assert "@" not in _audit_text()
    # The address is free again: the same person can be added back.
    page = planner.get(f"/planner/organisations/{hub.id}").get_data(as_text=True)
    added = planner.post(f"/planner/organisations/{hub.id}/contacts", data={
        "csrf_token": csrf_from(page), "contact_name": "Bob fh", "email": "bob@fh.example"})
    assert added.status_code == 302


def test_removing_the_last_contact_with_a_link_warns_and_says_what_happens(world, smtp, invite, staff) -> None:
    consultation, hub = world["consultation"], world["orgs"]["Family Hub"]
    planner = staff("planner@t.example")
    _flashes(planner, _remove(planner, hub, _contact(hub, "bob@fh.example")))  # never invited: deleted
    invite(consultation, hub)
    # Cat joins after the invitations went out, so she holds no link yet.
    page = planner.get(f"/planner/organisations/{hub.id}").get_data(as_text=True)
    planner.post(f"/planner/organisations/{hub.id}/contacts", data={
        "csrf_token": csrf_from(page), "contact_name": "Cat fh", "email": "cat@fh.example"})
    ann = _contact(hub, "ann@fh.example")
    ask = html.unescape(planner.get(_edit_url(hub, ann) + "/remove").get_data(as_text=True))
    assert 'id="warn-last-contact"' in ask
    assert "Ann fh is the only person at Family Hub with a working link to respond to:" in ask
    assert consultation.title["en"] in ask
    assert "Family Hub stays invited and its draft is kept, but nobody there can open the response" in ask
    assert "Add the person taking over from Ann fh first" in ask
    page = _flashes(planner, _remove(planner, hub, ann))
    assert ("Family Hub is still invited, but nobody there can open its response or get reminders until you "
            "invite Family Hub again.") in page
    # The invitation stays with the organisation, but nobody can use it or be reminded.
    invs = db.session.scalars(select(Invitation).where(Invitation.organisation_id == hub.id)).all()
    assert len(invs) == 1 and invs[0].revoked
    assert invitations.quiet_invitations(consultation, hub) == []
    assert invitations.due_for_reminder(consultation, gap_days=0) == []
    row = next(r for r in build_report(consultation).rows if r.name == "Family Hub")
    assert row.first_invited is not None and row.contacts_invited == 1
    # Inviting again reaches Cat alone.
    before = len(smtp.messages)
    assert invite(consultation, hub).status_code == 302
    assert [m["To"] for m in smtp.messages[before:]] == ["cat@fh.example"]


def test_removing_everyone_says_to_add_a_contact(world, invite, staff) -> None:
    consultation, housing = world["consultation"], world["orgs"]["Hill Housing"]
    invite(consultation, housing)
    planner = staff("planner@t.example")
    ask = planner.get(_edit_url(housing, _contact(housing, "bob@hh.example")) + "/remove").get_data(as_text=True)
    assert "warn-last-contact" not in ask  # Ann still holds a link
    _flashes(planner, _remove(planner, housing, _contact(housing, "bob@hh.example")))
    page = _flashes(planner, _remove(planner, housing, _contact(housing, "ann@hh.example")))
    assert "until you add a contact and invite Hill Housing again." in page and "No contacts yet" in page
    listing = planner.get("/planner/organisations").get_data(as_text=True)
    row = listing.split(">Hill Housing</a>")[1].split("</tr>")[0]
    assert '<td class="numeric">0</td>' in row


# ---- who may ------------------------------------------------------------------------------------

def test_tsi_changes_member_organisations_contacts_only(world, staff) -> None:
    tsi = staff("tsi@t.example")
    voice, housing = world["orgs"]["Youth Voice"], world["orgs"]["Hill Housing"]
    bob = _contact(voice, "bob@yv.example")
    assert _edit(tsi, voice, bob, name="Bob Voice", email="bob@yv.example").status_code == 302
    assert _remove(tsi, voice, bob).status_code == 302
    # Hill Housing is not one the TSI coordinates: as if it did not exist, for reading and writing.
    ann = _contact(housing, "ann@hh.example")
    token = csrf_from(tsi.get("/planner/organisations").get_data(as_text=True))
    for url in (_edit_url(housing, ann), _edit_url(housing, ann) + "/remove"):
        assert tsi.get(url).status_code == 404
        assert tsi.post(url, data={"csrf_token": token, "contact_name": "X", "email": "x@x.example"}).status_code == 404
    db.session.expire_all()
    assert ann.name == "Ann hh" and db.session.get(Contact, ann.id) is not None


def test_other_roles_partnerships_and_mismatched_ids_are_refused(world, staff, app) -> None:
    from consult.data import consultations, users
    from consult.data.organisations import add_contact, create_organisation

    hub, voice = world["orgs"]["Family Hub"], world["orgs"]["Youth Voice"]
    ann = _contact(hub, "ann@fh.example")
    other = consultations.create_partnership(name="Elsewhere", local_authority="Elsewhere Council",
                                             health_board="NHS Elsewhere", areas=[("x", "X")])
    users.create_user(email="planner@else.example", name="Else", password="correct horse battery",
                      roles=["planner"], partnership_id=other.id)
    theirs = create_organisation(partnership_id=other.id, name="Their Org", org_type="provides")
    their_contact = add_contact(theirs, name="Zed", email="zed@their.example")
    db.session.commit()
    url = _edit_url(hub, ann)
    # Anonymous visitors sign in first; staff without the role are refused.
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.headers["Location"]
    assert staff("mod@t.example").get(url).status_code == 403
    # Another partnership's planner: 404 for our ids, both ways round.
    elsewhere = staff("planner@else.example")
    assert elsewhere.get(url).status_code == 404 and elsewhere.get(url + "/remove").status_code == 404
    assert elsewhere.get(_edit_url(theirs, their_contact)).status_code == 200
    planner = staff("planner@t.example")
    assert planner.get(_edit_url(theirs, their_contact)).status_code == 404
    # A contact under the wrong organisation, or ids that cannot exist, are not found either.
    for bad in (_edit_url(voice, ann), f"/planner/organisations/{hub.id}/contacts/0",
                f"/planner/organisations/{hub.id}/contacts/99999999999999999999",
                f"/planner/organisations/{hub.id}/contacts/{2**31}/remove"):
        assert planner.get(bad).status_code == 404, bad
    token = csrf_from(planner.get(url).get_data(as_text=True))
    assert planner.post(_edit_url(voice, ann) + "/remove", data={"csrf_token": token}).status_code == 404
    assert db.session.scalar(select(func.count(Contact.id)).where(Contact.id == ann.id)) == 1


def test_the_register_links_to_change_and_remove_each_contact(world, staff) -> None:
    planner, hub = staff("planner@t.example"), world["orgs"]["Family Hub"]
    html = planner.get(f"/planner/organisations/{hub.id}").get_data(as_text=True)
    for contact in hub.contacts:
        assert f'href="{_edit_url(hub, contact)}"' in html
        assert f'href="{_edit_url(hub, contact)}/remove"' in html
    assert re.search(r'Change<span class="visually-hidden"> Ann fh</span>', html)
