"""The TSI dashboard and sector response; the evidence of consultation report and its exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from consult import clock
from consult.extensions import db
from consult.models import Invitation, OutboxEmail, Reminder, SectorResponse
from tests.conftest import csrf_from
from tests.consult.planner.downloads import download


def _link(address: str) -> str:
    body = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == address, OutboxEmail.body.like("%/org/i/%"))
                              .order_by(OutboxEmail.id.desc())).first().body
    return re.search(r"https?://\S+/org/i/\S+", body).group(0)


def _respond(open_link, address, answers):  # type: ignore[no-untyped-def]
    client, draft = open_link(_link(address))
    for core_id, fields in answers.items():
        page = client.get(f"{draft}/part/{core_id}").get_data(as_text=True)
        version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
        assert client.post(f"{draft}/part/{core_id}", data={"csrf_token": csrf_from(page), "version": version,
                                                             "continue_": "y", **fields}).status_code == 302
    page = client.get(f"{draft}/submit").get_data(as_text=True)
    assert client.post(f"{draft}/submit", data={"csrf_token": csrf_from(page)}).status_code == 302


def test_tsi_sees_members_progress_nudges_and_submits_a_sector_response(world, invite, open_link, staff) -> None:
    consultation, orgs = world["consultation"], world["orgs"]
    invite(consultation, orgs["Youth Voice"], orgs["Family Hub"])
    _respond(open_link, "ann@yv.example", {
        "priority_mental_health": {"answer": "disagree", "why": "Waits are far too long."},
        "priority_poverty": {"answer": "agree", "why": "Money advice in schools works."}})
    tsi = staff("tsi@t.example")
    page = tsi.get(f"/tsi/c/{consultation.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Youth Voice" in html and "Hill Housing" not in html
    assert re.search(r'org-status-submitted">Submitted', html) and re.search(r'org-status-invited">Invited', html)
    # Nudge the quiet one: a reminder with a fresh link goes to both its contacts.
    hub = orgs["Family Hub"]
    nudged = tsi.post(f"/tsi/c/{consultation.id}/nudge/{hub.id}", data={"csrf_token": csrf_from(html)})
    assert nudged.status_code == 302
    assert len(db.session.scalars(select(Reminder)).all()) == 2
    assert "Sent a reminder to 2 people at Family Hub." in tsi.get(nudged.headers["Location"]).get_data(as_text=True)
    # The nudge cannot be aimed at an organisation the TSI does not coordinate.
    assert tsi.post(f"/tsi/c/{consultation.id}/nudge/{orgs['Hill Housing'].id}",
                    data={"csrf_token": csrf_from(html)}).status_code == 404
    # Assemble: points drawn from the members' submitted responses, by priority (no analysis run yet).
    sector_url = f"/tsi/c/{consultation.id}/sector"
    page = tsi.get(sector_url).get_data(as_text=True)
    tsi.post(f"{sector_url}/assemble", data={"csrf_token": csrf_from(page)})
    page = tsi.get(sector_url).get_data(as_text=True)
    assert "Mental health and wellbeing (disagree: 1)" in page and "Waits are far too long." in page
    assert "Supported by: Youth Voice" in page
    sector = db.session.scalars(select(SectorResponse)).one()
    first, second = sector.points[0], sector.points[1]
    # An empty point is refused with a message; nothing is lost.
    bad = tsi.post(sector_url, data={"csrf_token": csrf_from(page), "summary": "Our summary",
                                     f"point-{first.id}": "", f"point-{second.id}": "Kept"})
    assert bad.status_code == 400 and "Point 1 is empty" in bad.get_data(as_text=True)
    done = tsi.post(sector_url, data={"csrf_token": csrf_from(page), "summary": "The sector backs the plan.",
                                      f"point-{first.id}": "Mental health waits must come down.",
                                      f"point-{second.id}": "x", "remove": str(second.id), "and_submit": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    sector = db.session.scalars(select(SectorResponse)).one()
    assert sector.submitted_at is not None and sector.summary == "The sector backs the plan."
    assert [p.text for p in sector.points] == ["Mental health waits must come down."]
    assert sector.points[0].supporting_org_ids == [orgs["Youth Voice"].id]
    # Submitted: it can no longer be changed.
    assert tsi.post(sector_url, data={"csrf_token": csrf_from(page), "summary": "changed"}).status_code == 404


def test_sector_points_follow_the_analysis_themes_when_there_are_some(world, invite, open_link) -> None:
    from consult.data import org_responses, sector
    from consult.models import Answer, Coding, Theme

    consultation, orgs = world["consultation"], world["orgs"]
    invite(consultation, orgs["Youth Voice"], orgs["Family Hub"])
    _respond(open_link, "ann@yv.example", {"org_gaps": {"answer": "Buses to the clinic."}})
    _respond(open_link, "ann@fh.example", {"org_gaps": {"answer": "No late buses home from clubs."}})
    theme = Theme(consultation_id=consultation.id, key="transport", name="Transport and getting about")
    db.session.add(theme)
    db.session.flush()
    for answer in db.session.scalars(select(Answer).where(Answer.core_id == "org_gaps")):
        db.session.add(Coding(answer_id=answer.id, theme_id=theme.id, source="machine", confidence=0.9))
    db.session.flush()
    members = [orgs["Youth Voice"].id, orgs["Family Hub"].id]
    drafts = sector.draft_points(consultation, org_responses.submitted_responses(consultation.id, members),
                                 {"agree": "agree", "partly": "partly", "disagree": "disagree"})
    assert drafts[0].text.startswith("Transport and getting about") and sorted(drafts[0].org_ids) == sorted(members)
    assert "Buses to the clinic." in drafts[0].text


def test_the_evidence_report_counts_invitations_notice_reminders_and_responses(world, invite, open_link,
                                                                               staff) -> None:
    consultation, orgs = world["consultation"], world["orgs"]
    # Youth Voice was invited three weeks before opening (enough notice); the others today (late) or never.
    invite(consultation, orgs["Youth Voice"], orgs["Hill Housing"])
    early = datetime.combine(consultation.opens_on - timedelta(days=21), datetime.min.time(), tzinfo=UTC)
    for inv in db.session.scalars(select(Invitation).where(Invitation.organisation_id == orgs["Youth Voice"].id)):
        inv.sent_at, inv.notice_days = early, 21
    db.session.commit()
    _respond(open_link, "ann@hh.example", {"landlord_housing": {"answer": "Damp homes."}})
    planner = staff("planner@t.example")
    page = planner.get(f"/planner/consultations/{consultation.id}/evidence")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'id="fact-register">4<', html) and re.search(r'id="fact-invited">2<', html)
    assert re.search(r'id="fact-responded">1<', html)
    assert "3 (invited late: 1, never invited: 2)" in html
    # Social landlords and other service providers have their own rows.
    table_html = html[html.index('id="by-type"'):html.index('id="by-area"')]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table_html, re.S)
    by_type = {name: [int(n) for n in re.findall(r'class="numeric">(\d+)<', cells)] for name, cells in rows}
    assert by_type["Social landlord"] == [1, 1, 1, 0, 0, 1]
    assert by_type["Other service provider (s.7(1))"] == [1, 0, 0, 1, 0, 0]
    assert by_type["Represents people who use services"] == [1, 1, 0, 0, 0, 0]
    evidence_page = f"/planner/consultations/{consultation.id}/evidence"
    csv_page = download(planner, evidence_page, evidence_page + ".csv")
    table = list(csv.DictReader(io.StringIO(csv_page.get_data(as_text=True))))
    voice = next(r for r in table if r["organisation"] == "Youth Voice")
    assert voice["notice_days"] == "21" and voice["effective_opportunity"] == "yes"
    assert voice["first_invited"] == (consultation.opens_on - timedelta(days=21)).isoformat()
    housing = next(r for r in table if r["organisation"] == "Hill Housing")
    assert housing["effective_opportunity"] == "late" and housing["status"] == "submitted"
    assert housing["submitted"] == clock.today().isoformat() and housing["submitted_by"] == "Ann hh"
    assert housing["notice_days"] == "0" and housing["days_to_respond"] == "40"
    assert next(r for r in table if r["organisation"] == "Fire Service")["effective_opportunity"] == "never"
    xlsx = download(planner, evidence_page, evidence_page + ".xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.data))
    assert wb.sheetnames == ["Organisations", "By type", "By area"]
    assert wb["Organisations"].max_row == 5
    assert [c.value for c in wb["By type"][4]][:2] == ["Social landlord", 1]
