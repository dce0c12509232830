"""Staff administration and navigation (issue 15, finding 8).

Admin landed on a 403 after signing in; planners had no link to organisations, invitations or the
outbox; signed-in staff still saw "Staff sign in"; an admin could create a safeguarding account with
no record or notice, and could not deactivate a user.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, OutboxEmail, StaffSession, User
from tests.conftest import csrf_from


def test_an_admin_lands_on_a_page_it_may_see(client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user("admin")
    r = login("admin@example.org")
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/users")
    page = client.get(r.headers["Location"])
    assert page.status_code == 200
    assert 'href="/planner/"' not in page.get_data(as_text=True), "no link to a page admin alone may not see"


def test_planners_navigation_and_no_staff_sign_in_once_signed_in(client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    assert "Staff sign in" in client.get("/").get_data(as_text=True)
    make_user("planner")
    login("planner@example.org")
    html = client.get("/planner/").get_data(as_text=True)
    assert 'href="/planner/organisations"' in html and 'href="/planner/outbox"' in html
    assert "Staff sign in" not in html


def test_adding_a_safeguarding_account_is_audited_and_the_leads_are_told(client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user("admin")
    make_user("safeguarding", email="lead@example.org")
    login("admin@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    r = client.post("/admin/users", data={"csrf_token": csrf_from(page), "name": "New Lead", "email": "new@example.org",
                                          "password": "correct horse battery", "roles": ["safeguarding"]})
    assert r.status_code == 302
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.create")).one()
    assert event.detail["safeguarding"] is True and event.detail["roles"] == ["safeguarding"]
    told = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == "lead@example.org")).all()
    assert len(told) == 1 and "New Lead" in told[0].subject
    assert told[0].partnership_id is not None


def test_an_admin_deactivates_a_user_and_ends_their_sessions(app, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user("admin")
    planner = make_user("planner")
    other = app.test_client()
    token = csrf_from(other.get("/staff/login").get_data(as_text=True))
    other.post("/staff/login", data={"email": "planner@example.org", "password": "correct horse battery",
                                     "csrf_token": token})
    assert other.get("/planner/").status_code == 200
    login("admin@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Deactivate" in page
    r = client.post(f"/admin/users/{planner.id}/deactivate", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, planner.id).active is False
    assert not db.session.scalars(select(StaffSession).where(StaffSession.user_id == planner.id,
                                                             StaffSession.revoked.is_(False))).all()
    assert other.get("/planner/").status_code in (302, 401, 403)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.deactivate")).one()
