"""Organisations, social landlords and the TSI, played through in the browser, with axe on every page.

A planner adds three organisations (one a social landlord) and invites them; two colleagues at one
organisation co-draft its response and resolve an edit conflict; one of them submits; the TSI nudges
a quiet member and assembles and submits the sector response; the evidence of consultation report
shows each step with the right dates and counts.
"""

from __future__ import annotations

import re

from babel.dates import format_date

from consult import clock
from tests.browser.conftest import login_as, shows

PLANNER, TSI = "planner@glenbrae.example", "tsi@glenbrae.example"
ORGS = [("Journey Youth Forum", "represents", True, [("Ann Forum", "ann@journey-forum.example"),
                                                      ("Bob Forum", "bob@journey-forum.example")]),
        ("Journey Family Project", "provides", True, [("Cat Project", "cat@journey-project.example")]),
        ("Journey Homes", "social_landlord", False, [("Dan Homes", "dan@journey-homes.example")])]


def _today() -> str:
    """Today as the English pages write it ("7 Dec 2026", en_GB), by Guth's clock (Scotland's calendar day, as the
    live server in this process decides it), read when the checks run: never the machine's own date, which is a
    different day between 23:00 and midnight UTC in summer."""
    return format_date(clock.today(), locale="en_GB")


def _fact(page, name: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"#fact-{name}").inner_text().strip()


def _evidence_row(page, org: str) -> list[str]:  # type: ignore[no-untyped-def]
    row = page.locator("#evidence-orgs tbody tr", has=page.locator(f"th:text-is('{org}')"))
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


def test_organisations_journey(live_server, new_page, check_axe, shot) -> None:  # noqa: PLR0915
    base = live_server
    planner = new_page()
    login_as(planner, base, PLANNER)
    planner.goto(f"{base}/planner/organisations")
    planner.wait_for_load_state()
    check_axe(planner)
    href = planner.locator("a", has_text="Evidence of consultation").first.get_attribute("href")
    consultation_id = int(re.search(r"/consultations/(\d+)/", href).group(1))
    planner.goto(f"{base}{href}")
    before = {k: int(re.match(r"\d+", _fact(planner, k)).group(0)) for k in ("invited", "responded", "reminders")}

    # 1. The planner adds three organisations with their contacts.
    for name, kind, tsi, contacts in ORGS:
        planner.goto(f"{base}/planner/organisations/new")
        planner.fill("#name", name)
        planner.select_option("#org_type", kind)
        planner.select_option("#area", "Kilmorie")
        if tsi:
            planner.check("#tsi_member")
        planner.get_by_role("button", name="Add organisation").click()
        assert shows(planner, f"Added {name}")
        for person, email in contacts:
            planner.fill("#contact_name", person)
            planner.fill("#email", email)
            planner.get_by_role("button", name="Add contact").click()
            assert shows(planner, f"Added {person}")
    planner.wait_for_load_state()
    check_axe(planner)

    # 2. ...and invites them; the consultation is already open, so Guth warns about the notice.
    planner.goto(f"{base}/planner/consultations/{consultation_id}/invite")
    assert shows(planner, "minimum notice is 14 days")
    planner.wait_for_load_state()
    check_axe(planner)
    for name, *_ in ORGS:
        planner.get_by_label(name, exact=True).check()
    planner.get_by_role("button", name="Send invitations").click()
    assert shows(planner, "Sent 4 invitations.")
    planner.goto(f"{base}/planner/outbox")
    planner.wait_for_load_state()
    check_axe(planner)
    links = {}
    for article in planner.locator(".outbox-email").all():
        text = article.inner_text()
        found = re.search(r"/org/i/[A-Za-z0-9_\-]+", text)
        to = re.search(r"To (\S+),", text)
        if found and to and to.group(1) not in links:
            links[to.group(1)] = found.group(0)
    assert {"ann@journey-forum.example", "bob@journey-forum.example", "dan@journey-homes.example"} <= set(links)

    # 3. Ann and Bob (Journey Youth Forum) co-draft.
    ann, bob = new_page(), new_page(width=320)
    ann.goto(base + links["ann@journey-forum.example"])
    assert shows(ann, "You are responding as Ann Forum for Journey Youth Forum")
    ann.wait_for_load_state()
    check_axe(ann)
    ann.get_by_role("button", name="Continue to the draft").click()
    draft_url = ann.url
    ann.wait_for_load_state()
    check_axe(ann)
    ann.get_by_role("link", name=re.compile("^Answer Children and young people get support for their mental")).click()
    ann.wait_for_load_state()
    check_axe(ann)
    ann.get_by_label("I partly agree").check()
    ann.fill("#why", "Waits are long; youth workers should sit alongside school counsellors.")
    ann.get_by_role("button", name="Save this answer").click()
    assert shows(ann, "Last changed by Ann Forum")
    shot(ann, "orgs-draft")

    bob.goto(base + links["bob@journey-forum.example"])
    bob.get_by_role("button", name="Continue to the draft").click()
    assert bob.url == draft_url
    # Both open the same part...
    gaps = f"{draft_url}/part/org_gaps"
    ann.goto(gaps)
    bob.goto(gaps)
    ann.fill("#answer", "Buses to services from the villages.")
    bob.fill("#answer", "Help for young carers at school.")
    ann.get_by_role("button", name="Save this answer").click()
    bob.get_by_role("button", name="Save this answer").click()
    # ...so Bob sees a conflict with both texts, and nothing was overwritten.
    assert shows(bob, "Someone else changed this answer while you were writing")
    assert bob.locator("#conflict-theirs").inner_text() == "Buses to services from the villages."
    assert bob.locator("#conflict-yours").inner_text() == "Help for young carers at school."
    assert bob.title().startswith("Error:")
    bob.wait_for_load_state()
    check_axe(bob)
    assert bob.evaluate("document.documentElement.scrollWidth") <= 320, "no horizontal scrolling at 320 px"
    shot(bob, "orgs-conflict-320")
    bob.fill("#answer", "Buses to services from the villages, and help for young carers at school.")
    bob.get_by_role("button", name="Save this answer").click()
    assert shows(bob, "Saved.") and shows(bob, "and help for young carers at school.")
    bob.wait_for_load_state()
    check_axe(bob)
    bob.goto(f"{draft_url}/evidence")
    bob.wait_for_load_state()
    check_axe(bob)
    bob.goto(draft_url)
    bob.get_by_role("link", name="Check and submit").click()
    bob.wait_for_load_state()
    check_axe(bob)
    bob.get_by_role("button", name="Submit the response").click()
    assert shows(bob, "Response submitted") and shows(bob, "Submitted by Bob Forum")
    bob.wait_for_load_state()
    check_axe(bob)

    # The social landlord sees its own questions.
    dan = new_page(javascript=False)  # every page works without JavaScript
    dan.goto(base + links["dan@journey-homes.example"])
    dan.get_by_role("button", name="Continue to the draft").click()
    assert shows(dan, "What housing issues affect children and families in your homes?")

    # Pages a contact may meet besides the draft: a bad link, opting out (only asked here), the help page.
    dan.goto(f"{base}/org/i/not-a-real-token")
    assert shows(dan, "We do not recognise this link")
    axe_page = new_page()
    for path in ("/org/i/not-a-real-token", "/org/"):
        axe_page.goto(base + path)
        axe_page.wait_for_load_state()
        check_axe(axe_page)
    planner.goto(f"{base}/planner/outbox")
    opt_out = re.search(r"/org/opt-out/\S+", planner.locator(".outbox-email", has_text="dan@journey-homes.example")
                        .first.inner_text()).group(0)
    axe_page.goto(base + opt_out)
    assert shows(axe_page, "Stop emails about consultations")
    axe_page.wait_for_load_state()
    check_axe(axe_page)

    # 4. The TSI follows its members, nudges the quiet one, assembles and submits the sector response.
    tsi = new_page()
    login_as(tsi, base, TSI)
    tsi.goto(f"{base}/tsi/")
    tsi.wait_for_load_state()
    check_axe(tsi)
    tsi.goto(f"{base}/tsi/c/{consultation_id}")
    tsi.wait_for_load_state()
    check_axe(tsi)
    forum = tsi.locator("tr", has=tsi.locator("th:text-is('Journey Youth Forum')"))
    assert "Submitted" in forum.inner_text()
    project = tsi.locator("tr", has=tsi.locator("th:text-is('Journey Family Project')"))
    assert "Invited" in project.inner_text()
    project.get_by_role("button", name=re.compile("^Nudge")).click()
    assert shows(tsi, "Sent a reminder to 1 people at Journey Family Project.")
    tsi.get_by_role("link", name="Sector response").click()
    tsi.wait_for_load_state()
    check_axe(tsi)
    tsi.get_by_role("button", name=re.compile("^Draw")).click()
    assert shows(tsi, "points from members")
    tsi.wait_for_load_state()
    check_axe(tsi)
    first = tsi.locator(".sector-point").first
    assert shows(tsi, "Journey Youth Forum")
    first.locator("textarea").fill("Members want faster mental health support, with youth work in schools.")
    tsi.fill("#summary", "The third sector backs the four priorities, with changes.")
    tsi.get_by_role("button", name="Save and submit").click()
    assert shows(tsi, "The sector response was submitted.")
    assert shows(tsi, "Members want faster mental health support")
    tsi.wait_for_load_state()
    check_axe(tsi)
    shot(tsi, "tsi-sector-submitted")
    tsi.goto(f"{base}/tsi/c/{consultation_id}")
    shot(tsi, "tsi-dashboard")

    # 5. The evidence report shows each step with dates and counts.
    TODAY = _today()  # noqa: N806 (reads as the constant it is within this check)
    planner.goto(f"{base}/planner/consultations/{consultation_id}/evidence")
    planner.wait_for_load_state()
    check_axe(planner)
    assert int(_fact(planner, "invited")) == before["invited"] + 3
    assert int(_fact(planner, "responded")) == before["responded"] + 1
    assert int(_fact(planner, "reminders")) == before["reminders"] + 1
    assert _fact(planner, "sector").startswith(f"Submitted {TODAY} by the TSI")
    forum_row = _evidence_row(planner, "Journey Youth Forum")
    # organisation, type, area, invited, notice, days to respond, reminders, opened, response, opportunity
    assert forum_row[0].startswith("Journey Youth Forum") and forum_row[2] == "Kilmorie"
    assert forum_row[3] == TODAY and forum_row[4] == "0" and forum_row[7] == TODAY
    assert forum_row[8].replace("\n", " ") == f"Submitted {TODAY}, Bob Forum"
    assert forum_row[9] == "Invited late"  # invited after the consultation opened: no advance notice
    project_row = _evidence_row(planner, "Journey Family Project")
    assert project_row[6].startswith("1") and f"last {TODAY}" in project_row[6]
    homes_row = _evidence_row(planner, "Journey Homes")
    assert homes_row[1] == "Social landlord" and homes_row[7] == TODAY and homes_row[8] == "Opened"
    by_type = planner.locator("#by-type tbody tr", has=planner.locator("th:text-is('Social landlord')"))
    assert by_type.count() == 1
    planner.emulate_media(media="print")
    shot(planner, "orgs-evidence-report-print")
    planner.emulate_media(media="screen")
    shot(planner, "orgs-evidence-report")


def test_changing_and_removing_a_contact(live_server, new_page, check_axe, shot) -> None:
    """The change and remove pages pass axe at 1280 and 320 px, with errors and with the last-contact warning."""
    base = live_server
    planner = new_page()
    login_as(planner, base, PLANNER)
    planner.goto(f"{base}/planner/organisations")
    href = planner.locator("a", has_text="Invite organisations").first.get_attribute("href")
    planner.goto(f"{base}/planner/organisations/new")
    planner.fill("#name", "Contacts Test Group")
    planner.select_option("#org_type", "represents")
    planner.get_by_role("button", name="Add organisation").click()
    for person, email in [("Eve Group", "eve@contacts-group.example"), ("Fin Group", "fin@contacts-group.example")]:
        planner.fill("#contact_name", person)
        planner.fill("#email", email)
        planner.get_by_role("button", name="Add contact").click()
    org_url = planner.url.split("#")[0]
    planner.goto(f"{base}{href}")
    planner.get_by_label("Contacts Test Group", exact=True).check()
    planner.get_by_role("button", name="Send invitations").click()

    # Change Eve's details: the page, then its error state, at 1280 px.
    planner.goto(org_url)
    planner.get_by_role("link", name="Change Eve Group").click()
    assert planner.locator("h1").inner_text() == "Change contact details"
    edit_url = planner.url
    planner.wait_for_load_state()
    check_axe(planner)
    planner.fill("#contact_name", "")
    planner.fill("#email", "fin@contacts-group.example")
    planner.get_by_role("button", name="Save changes").click()
    assert planner.title().startswith("Error:")
    assert shows(planner, "fin@contacts-group.example is already a contact here")
    assert planner.input_value("#email") == "fin@contacts-group.example"
    check_axe(planner)
    planner.fill("#contact_name", "Eve Group-Smith")
    planner.fill("#email", "eve.smith@contacts-group.example")
    planner.get_by_role("button", name="Save changes").click()
    assert shows(planner, "Sent Eve Group-Smith 1 new personal link at eve.smith@contacts-group.example.")

    # Remove Fin (Eve still gets email), then ask to remove Eve: the last-contact warning.
    planner.get_by_role("link", name="Remove Fin Group").click()
    planner.wait_for_load_state()
    check_axe(planner)
    planner.get_by_role("button", name="Yes, remove Fin Group").click()
    assert shows(planner, "Removed Fin Group from Contacts Test Group.")
    planner.get_by_role("link", name="Remove Eve Group-Smith").click()
    assert planner.locator("#warn-last-contact").is_visible()
    remove_url = planner.url
    planner.wait_for_load_state()
    check_axe(planner)

    # The same pages at 320 px: no sideways scrolling, and a look at each.
    narrow = new_page(width=320)
    login_as(narrow, base, PLANNER)
    for name, url in [("contact-change-320", edit_url), ("contact-remove-320", remove_url)]:
        narrow.goto(url)
        narrow.wait_for_load_state()
        check_axe(narrow)
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 320, f"{name}: no horizontal scrolling"
        shot(narrow, name)
    narrow.goto(edit_url)
    narrow.fill("#email", "not an email")
    narrow.get_by_role("button", name="Save changes").click()
    assert narrow.title().startswith("Error:") and narrow.input_value("#email") == "not an email"
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    shot(narrow, "contact-change-error-320")


def test_a_contact_error_at_320_px_passes_axe(live_server, new_page, check_axe) -> None:
    narrow = new_page(width=320)
    login_as(narrow, live_server, PLANNER)
    narrow.goto(f"{live_server}/planner/organisations")
    narrow.locator("table a").first.click()
    narrow.locator("a", has_text="Change").first.click()
    narrow.fill("#email", "not an email")
    narrow.get_by_role("button", name="Save changes").click()
    assert narrow.title().startswith("Error:")
    check_axe(narrow)
