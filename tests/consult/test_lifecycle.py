"""A consultation's lifecycle on a clock the test controls: schedule, open, remind, close, publish, re-open."""

from __future__ import annotations

import html as html_lib
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from consult import clock
from consult.data import consultations
from consult.extensions import db
from consult.models import Action, Consultation, OutboxEmail
from consult.services import lifecycle
from tests.conftest import csrf_from


@pytest.fixture(autouse=True)
def _real_clock_after():  # type: ignore[no-untyped-def]
    yield
    clock.reset()


def _schedule_url(c: Consultation) -> str:
    return f"/planner/c/{c.id}/schedule"


def _post_schedule(client, c, **fields):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(_schedule_url(c)).get_data(as_text=True))
    data = {"csrf_token": token, "opens_on": "", "closes_on": "", "remind_on": "", "publish_at": "", **fields}
    return client.post(_schedule_url(c), data=data, follow_redirects=False)


def _reload(c: Consultation) -> Consultation:
    db.session.expire_all()
    row = db.session.get(Consultation, c.id)
    assert row is not None
    return row


def _invited_organisation(c: Consultation) -> None:
    from flask import current_app

    from consult.data import organisations
    from consult.services import invitations

    org = organisations.create_organisation(partnership_id=c.plan.partnership_id, name="Testbrae Youth Forum",
                                            org_type="represents")
    contact = organisations.add_contact(org, name="Robin Reid", email="robin@example.org")
    with current_app.test_request_context("/"):
        invitations.invite_contact(c, contact, invited_by_id=None)
    db.session.commit()


def test_a_scheduled_consultation_opens_reminds_closes_and_publishes_on_the_clock(world, as_role) -> None:
    c = world.consultation
    c.status, c.opens_on, c.closes_on = "draft", date(2027, 3, 1), date(2027, 4, 30)
    db.session.commit()
    _invited_organisation(c)
    client = as_role("planner")
    clock.set_now(date(2027, 2, 20))  # 9 days' notice: below the partnership's 14

    r = _post_schedule(client, c, opens_on="2027-03-01", closes_on="2027-04-30", remind_on="2027-04-20",
                       publish_at="2027-05-10T09:00", action="schedule")
    assert r.status_code == 303
    page = html_lib.unescape(client.get(_schedule_url(c)).get_data(as_text=True))
    assert "The consultation is now: Scheduled." in page
    assert "It opens 9 days from today. Your partnership's minimum notice is 14 days" in page
    assert "statutory guidance para 78" in page
    assert _reload(c).status == "scheduled" and not consultations.is_open(c)

    clock.set_now(date(2027, 3, 1))
    assert lifecycle.sweep()["opened"] == 1
    assert _reload(c).status == "open" and consultations.is_open(_reload(c))

    clock.set_now(date(2027, 4, 20))
    before = len(db.session.scalars(select(OutboxEmail)).all())
    assert lifecycle.sweep()["reminders_sent"] == 1
    assert lifecycle.sweep()["reminders_sent"] == 0  # once, however often the sweep runs
    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert len(emails) == before + 1 and emails[-1].subject.startswith("Reminder: respond for Testbrae Youth Forum")
    assert _reload(c).reminded_on == date(2027, 4, 20)

    clock.set_now(date(2027, 5, 1))
    assert lifecycle.sweep()["closed"] == 1
    assert _reload(c).status == "closed" and not consultations.is_open(_reload(c))
    assert "Closed on 30 April 2027" in client.get(_schedule_url(c)).get_data(as_text=True)

    db.session.add(Action(consultation_id=c.id, status="done", texts={"en": {"adult": "Fixed.", "child": "Fixed."}},
                          theme_id=world.places.id))
    db.session.commit()
    clock.set_now(datetime(2027, 5, 10, 8, 30, tzinfo=clock.LOCAL_ZONE))
    assert lifecycle.sweep()["published"] == 0  # 09:00 has not come
    clock.set_now(datetime(2027, 5, 10, 9, 1, tzinfo=clock.LOCAL_ZONE))
    assert lifecycle.sweep()["published"] == 1
    c = _reload(c)
    assert c.published_at is not None and c.status == "closed"
    assert client.get("/results/testbrae-2026").status_code == 200
    assert lifecycle.state_of(c) == "published"

    # Taking the pages down returns to where it was before publishing; the schedule does not publish again.
    html = client.get(f"/planner/c/{c.id}/we-did").get_data(as_text=True)
    client.post(f"/planner/c/{c.id}/publish", data={"csrf_token": csrf_from(html), "decision": "unpublish"})
    assert lifecycle.sweep()["published"] == 0
    c = _reload(c)
    assert c.published_at is None and c.status == "closed" and lifecycle.state_of(c) == "closed"
    assert client.get("/results/testbrae-2026").status_code == 404

    # A later closing date re-opens it, and the organisation's link (sent to work until the closing date)
    # works until the new one.
    from consult.data import invitations as inv_data
    from consult.models import Invitation

    def works_on(invitation, when: datetime) -> bool:  # type: ignore[no-untyped-def]
        try:
            inv_data.usable(invitation, now=when.astimezone(UTC))
        except inv_data.LinkProblem as problem:
            assert problem.reason == "expired"
            return False
        return True

    invitation = db.session.scalars(select(Invitation).where(Invitation.consultation_id == c.id)).one()
    assert not works_on(invitation, datetime(2027, 5, 20, 12, tzinfo=UTC))
    r = _post_schedule(client, c, opens_on="2027-03-01", closes_on="2027-05-31", action="save")
    assert r.status_code == 303
    assert _reload(c).status == "open" and consultations.is_open(_reload(c))
    invitation = db.session.get(Invitation, invitation.id)
    assert works_on(invitation, datetime(2027, 5, 20, 12, tzinfo=UTC))
    assert not works_on(invitation, datetime(2027, 6, 1, 1, tzinfo=UTC))


def test_publishing_results_never_closes_answering(world, as_role) -> None:
    c = world.consultation
    c.status, c.opens_on, c.closes_on = "open", date(2027, 3, 1), date(2027, 4, 30)
    db.session.add(Action(consultation_id=c.id, status="done", texts={"en": {"adult": "Fixed.", "child": "Fixed."}},
                          theme_id=world.places.id))
    db.session.commit()
    clock.set_now(date(2027, 4, 1))
    client = as_role("planner")
    html = client.get(f"/planner/c/{c.id}/we-did").get_data(as_text=True)
    assert "Publishing closes it" not in html
    client.post(f"/planner/c/{c.id}/publish", data={"csrf_token": csrf_from(html), "decision": "publish"})
    c = _reload(c)
    assert c.published_at is not None and c.status == "open" and consultations.is_open(c)
    html = client.get(f"/planner/c/{c.id}/we-did").get_data(as_text=True)
    client.post(f"/planner/c/{c.id}/publish", data={"csrf_token": csrf_from(html), "decision": "unpublish"})
    c = _reload(c)
    assert c.published_at is None and c.status == "open" and consultations.is_open(c)


def test_bad_dates_get_messages_on_their_fields_and_change_nothing(world, as_role) -> None:
    c = world.consultation
    client = as_role("planner")
    clock.set_now(date(2027, 1, 10))
    r = _post_schedule(client, c, opens_on="2027-03-01", closes_on="2027-02-01", action="save")
    html = html_lib.unescape(r.get_data(as_text=True))
    assert r.status_code == 400 and "<title>Error:" in html
    assert "The closing date must be on or after the opening date (1 March 2027)" in html
    assert 'value="2027-02-01"' in html  # what was typed stays

    r = _post_schedule(client, c, opens_on="2027-03-01", closes_on="2027-04-30", remind_on="2027-05-05",
                       publish_at="tomorrow", action="save")
    html = html_lib.unescape(r.get_data(as_text=True))
    assert r.status_code == 400
    assert "Choose a reminder date while the consultation is open (1 March 2027 to 30 April 2027)" in html
    assert "Enter a real date and time, like 2027-06-01 09:00" in html

    r = _post_schedule(client, c, opens_on="2027-02-30", closes_on="", action="save")
    html = html_lib.unescape(r.get_data(as_text=True))
    assert r.status_code == 400 and "Enter a real date, like 2027-03-01" in html and "Enter the closing date" in html

    review = consultations.create_consultation(c.plan, consultations.definition_of(c), slug="testbrae-review",
                                               opens_on=date(2027, 3, 1), closes_on=date(2027, 3, 31))
    db.session.commit()
    r = _post_schedule(client, review, opens_on="2026-06-15", closes_on="2026-07-15", action="save")
    assert r.status_code == 400
    html = html_lib.unescape(r.get_data(as_text=True))
    assert "These dates overlap “" in html and "(1 May 2026 to 30 June 2026)" in html
    assert (_reload(c).opens_on, _reload(c).closes_on) == (date(2026, 5, 1), date(2026, 6, 30))

    r = _post_schedule(client, review, opens_on="2027-03-01", closes_on="2027-03-10", action="save")
    assert r.status_code == 303
    page = html_lib.unescape(client.get(_schedule_url(review)).get_data(as_text=True))
    assert "People have 10 days to respond. Your partnership's minimum is 28 days" in page


def test_another_partnerships_schedule_is_not_found(world, as_role) -> None:
    other = consultations.create_partnership(name="Lochmore", local_authority="Lochmore Council",
                                             health_board="NHS Lochmore", areas=[("x", "X")])
    db.session.flush()
    plan = consultations.create_plan(other, title="Lochmore plan", period_start=date(2026, 4, 1),
                                     period_end=date(2029, 3, 31), vision="v",
                                     priorities=[{"key": f"p{i}", "title": f"P{i}"} for i in range(3)])
    theirs = consultations.create_consultation(plan, consultations.definition_of(world.consultation),
                                               slug="lochmore-2026", opens_on=date(2027, 3, 1),
                                               closes_on=date(2027, 4, 30))
    db.session.commit()
    client = as_role("planner")
    assert client.get(_schedule_url(theirs)).status_code == 404


def test_the_sweep_runs_on_a_timer_thread_and_on_celery_beat(app, world, client) -> None:
    from consult.celery_app import celery

    assert celery.conf.beat_schedule[lifecycle.BEAT_ENTRY]["task"] == "guth.lifecycle_sweep"
    assert "guth.lifecycle_sweep" in celery.tasks
    c = world.consultation
    c.status, c.opens_on, c.closes_on = "scheduled", date(2027, 3, 1), date(2027, 4, 30)
    db.session.commit()
    clock.set_now(date(2027, 3, 2))
    app.config.update(JOBS_MODE="thread", LIFECYCLE_SWEEP_SECONDS=0.2)
    timer = lifecycle.TIMER
    timer.stop.set()
    timer.pid = None
    try:
        client.get("/healthz")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _reload(c).status != "open":
            time.sleep(0.1)
        assert _reload(c).status == "open"
    finally:
        timer.stop.set()
        timer.pid = None
        app.config.update(JOBS_MODE="sync")


def test_retention_page_says_what_will_be_deleted_and_when_and_only_an_admin_changes_it(world, as_role) -> None:
    from consult.data import retention as retention_data

    held = retention_data.text_still_held(world.consultation.plan.partnership_id)
    assert [r.consultation.id for r in held] == [world.consultation.id]
    first = held[0].first_change.date().replace(year=held[0].first_change.year + 2)  # 730 days, give or take a leap day
    client = as_role("planner")
    page = html_lib.unescape(client.get("/planner/settings/retention").get_data(as_text=True))
    assert "What will be deleted and when" in page and "for 730 days after their response last changed" in page
    assert "Children's Services Plan" in page and str(first.year) in page
    assert "An administrator can change it." in page
    token = csrf_from(page)
    assert client.post("/planner/settings/retention", data={"csrf_token": token, "retention_days": "30"}).status_code == 403

    admin = as_role("admin")
    token = csrf_from(admin.get("/planner/settings/retention").get_data(as_text=True))
    r = admin.post("/planner/settings/retention", data={"csrf_token": token, "retention_days": "ten"})
    assert r.status_code == 400 and "Enter a number of days, for example 730" in html_lib.unescape(r.get_data(as_text=True))
    r = admin.post("/planner/settings/retention", data={"csrf_token": token, "retention_days": "10"})
    assert r.status_code == 400 and "from 30 to 3650" in r.get_data(as_text=True)
    r = admin.post("/planner/settings/retention", data={"csrf_token": token, "retention_days": "365"})
    assert r.status_code == 303
    db.session.expire_all()
    assert world.consultation.plan.partnership.retention_days == 365
