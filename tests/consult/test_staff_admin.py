"""Staff administration and navigation (issue 15, finding 8).

Admin landed on a 403 after signing in; planners had no link to organisations, invitations or the
outbox; signed-in staff still saw "Staff sign in"; an admin could create a safeguarding account with
no record or notice, and could not deactivate a user.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

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
    # invitations: one step on, from the organisations register, for each consultation
    from tests.consult.respond.conftest import make_consultation

    consultation = make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    register = client.get("/planner/organisations").get_data(as_text=True)
    invite = f'href="/planner/consultations/{consultation.id}/invite"'
    assert invite in register
    assert client.get(f"/planner/consultations/{consultation.id}/invite").status_code == 200


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


def _roles_of(user_id: int) -> set[str]:
    db.session.expire_all()
    return set(db.session.get(User, user_id).roles)


def test_granting_safeguarding_is_audited_and_the_leads_are_told(client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("admin")
    make_user("safeguarding", email="lead@example.org")
    planner = make_user("planner")
    login("admin@example.org")
    assert f'href="/admin/users/{planner.id}"' in client.get("/admin/users").get_data(as_text=True)
    page = client.get(f"/admin/users/{planner.id}").get_data(as_text=True)
    r = client.post(f"/admin/users/{planner.id}", data={"csrf_token": csrf_from(page),
                                                       "roles": ["planner", "safeguarding"]})
    assert r.status_code == 303
    assert _roles_of(planner.id) == {"planner", "safeguarding"}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.roles_change")).one()
    assert event.user_id == admin.id and event.object_id == planner.id
    assert event.detail["added"] == ["safeguarding"] and event.detail["before"] == ["planner"]
    told = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == "lead@example.org")).all()
    assert len(told) == 1 and "safeguarding role" in told[0].subject

    # Taking a role away is audited too, but tells nobody.
    page = client.get(f"/admin/users/{planner.id}").get_data(as_text=True)
    assert client.post(f"/admin/users/{planner.id}", data={"csrf_token": csrf_from(page),
                                                          "roles": ["planner"]}).status_code == 303
    assert _roles_of(planner.id) == {"planner"}
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "user.roles_change")) == 2
    assert db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.to == "lead@example.org")) == 1


def test_a_refused_role_change_says_why_on_the_field_and_stores_nothing(client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("admin")
    login("admin@example.org")
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    r = client.post(f"/admin/users/{admin.id}", data={"csrf_token": csrf_from(page), "roles": ["planner"]})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "You cannot take away your own admin role" in html and 'id="roles-error"' in html
    assert re.search(r'<input checked[^>]*value="planner"', html)  # what was ticked is kept
    assert not re.search(r'<input checked[^>]*value="admin"', html)
    assert _roles_of(admin.id) == {"admin"}
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "user.roles_change")) == 0
    r = client.post(f"/admin/users/{admin.id}", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 400 and "Choose at least one role" in r.get_data(as_text=True)


def test_an_admin_sees_a_users_sessions_and_ends_one(app, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user("admin")
    planner = make_user("planner")
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        token = csrf_from(device.get("/staff/login").get_data(as_text=True))
        device.post("/staff/login", data={"email": "planner@example.org", "password": "correct horse battery",
                                          "csrf_token": token})
        assert device.get("/planner/").status_code == 200
    login("admin@example.org")
    page = client.get(f"/admin/users/{planner.id}").get_data(as_text=True)
    assert page.count("End this session") == 2
    live = db.session.scalars(select(StaffSession).where(StaffSession.user_id == planner.id)
                              .order_by(StaffSession.id)).all()
    r = client.post(f"/admin/users/{planner.id}/sessions/end", data={"csrf_token": csrf_from(page),
                                                                    "session": str(live[0].id)})
    assert r.status_code == 303
    assert client.get(r.headers["Location"]).get_data(as_text=True).count("End this session") == 1
    assert phone.get("/planner/").status_code in (302, 401, 403)  # the first device is signed out
    assert laptop.get("/planner/").status_code == 200  # the other one is not
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "revoke_session")).one()
    assert event.object_id == planner.id
    # Another user's session id, or one already ended, is not found.
    again = client.post(f"/admin/users/{planner.id}/sessions/end", data={"csrf_token": csrf_from(page),
                                                                        "session": str(live[0].id)})
    assert again.status_code == 404
