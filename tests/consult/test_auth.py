"""Staff sign-in, roles, server-side sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.data import users
from consult.extensions import db
from consult.models import AuditEvent, StaffSession
from tests.conftest import csrf_from


def test_password_is_hashed_with_argon2(app, make_user) -> None:
    user = make_user("planner")
    assert user.password_hash.startswith("$argon2")
    assert "correct horse" not in user.password_hash


def test_sign_in_with_right_password_reaches_planner_pages(client, make_user, login) -> None:
    make_user("planner", email="p@example.org")
    response = login("P@Example.org")
    assert response.status_code == 302
    assert client.get("/planner/").status_code == 200


def test_wrong_password_shows_error_and_keeps_email(client, make_user, login) -> None:
    make_user("planner", email="p@example.org")
    response = login("p@example.org", "wrong password!!")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "Email address or password is not right" in html
    assert 'value="p@example.org"' in html
    assert html.count("<title>Error:") == 1


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get("/planner/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


@pytest.mark.parametrize(("role", "path", "status"), [
    ("planner", "/admin/users", 403),
    ("admin", "/admin/users", 200),
    ("moderator", "/tsi/", 403),
    ("tsi", "/tsi/", 200),
])
def test_roles_gate_pages(client, make_user, login, role, path, status) -> None:
    make_user(role, email=f"{role}@example.org")
    login(f"{role}@example.org")
    assert client.get(path).status_code == status


def test_login_rotates_session_and_logout_revokes_it(client, make_user, login) -> None:
    make_user("planner", email="p@example.org")
    login("p@example.org")
    with client.session_transaction() as s:
        first = s["staff_token"]
    page = client.get("/planner/").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": csrf_from(page)})
    assert db.session.scalar(select(StaffSession.revoked).where(
        StaffSession.token_hash == users.hash_token(first))) is True
    login("p@example.org")
    with client.session_transaction() as s:
        assert s["staff_token"] != first
    assert client.get("/planner/").status_code == 200


def test_idle_session_expires(client, make_user, login) -> None:
    make_user("planner", email="p@example.org")
    login("p@example.org")
    row = db.session.scalar(select(StaffSession))
    row.last_seen_at = row.last_seen_at - timedelta(minutes=31)
    db.session.commit()
    assert client.get("/planner/").status_code == 302


def test_admin_can_end_another_users_sessions(app, make_user, login) -> None:
    make_user("planner", email="p@example.org")
    planner_client, admin_client = app.test_client(), app.test_client()
    for c, email in ((planner_client, "p@example.org"), (admin_client, "a@example.org")):
        if email == "a@example.org":
            make_user("admin", email=email)
        page = c.get("/staff/login").get_data(as_text=True)
        c.post("/staff/login", data={"email": email, "password": "correct horse battery",
                                     "csrf_token": csrf_from(page)})
    assert planner_client.get("/planner/").status_code == 200
    page = admin_client.get("/admin/users").get_data(as_text=True)
    planner = users.authenticate("p@example.org", "correct horse battery")
    admin_client.post(f"/admin/users/{planner.id}/end-sessions", data={"csrf_token": csrf_from(page)})
    assert planner_client.get("/planner/").status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "revoke_sessions")) is not None


def test_admin_adds_user_and_bad_input_is_kept(client, make_user, login) -> None:
    make_user("admin", email="a@example.org")
    login("a@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    bad = client.post("/admin/users", data={"name": "Morag", "email": "not-an-email", "password": "short",
                                            "roles": ["planner"], "csrf_token": csrf_from(page)})
    html = bad.get_data(as_text=True)
    assert "There is a problem" in html and 'value="Morag"' in html
    good = client.post("/admin/users", data={"name": "Morag", "email": "morag@example.org",
                                             "password": "a long enough password", "roles": ["planner", "moderator"],
                                             "csrf_token": csrf_from(page)})
    assert good.status_code == 302
    assert users.authenticate("morag@example.org", "a long enough password").roles == {"planner", "moderator"}


def test_create_user_command(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "lead@example.org", "--name", "Lead",
                                 "--role", "safeguarding", "--password", "a very long password"])
    assert result.exit_code == 0, result.output
    assert users.authenticate("lead@example.org", "a very long password").roles == {"safeguarding"}
    again = runner.invoke(args=["create-user", "--email", "lead@example.org", "--name", "Lead",
                                "--role", "planner", "--password", "a very long password"])
    assert again.exit_code != 0 and "already exists" in again.output
