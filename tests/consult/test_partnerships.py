"""Deployment operators set up partnerships and their first planner; they see no one's answers (issue 17)."""

from __future__ import annotations

import pytest

from consult.models import AuditEvent, Partnership, User
from tests.conftest import csrf_from

PASSWORD = "correct horse battery"


@pytest.fixture()
def operator(app, client, login):  # type: ignore[no-untyped-def]
    """Sign in an operator (no partnership) and return the client."""
    from consult.data import users
    from consult.extensions import db

    users.create_user(email="operator@example.org", name="Operator", password=PASSWORD, roles=["operator"])
    db.session.commit()
    login("operator@example.org")
    return client


def _form(**over: object) -> dict:
    data = {"name": "Lochside Partnership", "local_authority": "Lochside Council", "health_board": "NHS Lochside",
            "areas": "North\nSouth\nIslands", "languages": ["en", "gd"],
            "safeguarding_contacts": "lead@lochside.example", "safeguarding_deputies": "deputy@lochside.example",
            "safeguarding_escalate_minutes": "45", "retention_days": "365", "min_notice_days": "21",
            "min_window_days": "35", "suppression_threshold": "7"}
    data.update(over)
    return data


def _post(client, url: str, data: dict):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_operator_sets_up_a_partnership_and_its_first_planner(app, operator, login) -> None:
    r = _post(operator, "/operator/partnerships/new", _form())
    assert r.status_code == 303
    p = Partnership.query.filter_by(name="Lochside Partnership").one()
    assert [a.name for a in p.areas] == ["North", "South", "Islands"]
    assert (p.languages, p.retention_days, p.min_notice_days, p.min_window_days, p.suppression_threshold) == \
        (["en", "gd"], 365, 21, 35, 7)
    assert (p.safeguarding_contacts, p.safeguarding_deputies, p.safeguarding_escalate_minutes) == \
        (["lead@lochside.example"], ["deputy@lochside.example"], 45)
    assert r.location.endswith(f"/operator/partnerships/{p.id}/planner")

    r = _post(operator, r.location, {"name": "Morag Planner", "email": "morag@lochside.example", "password": PASSWORD,
                                     "admin": "y"})
    assert r.status_code == 303
    planner = User.query.filter_by(email="morag@lochside.example").one()
    assert planner.partnership_id == p.id and planner.roles == {"planner", "admin"}
    actions = {e.action for e in AuditEvent.query.all()}
    assert {"partnership.create", "user.create"} <= actions

    # Editing keeps area rows (answers point at them) and shows the staff.
    north = p.areas[0].id
    r = _post(operator, f"/operator/partnerships/{p.id}", _form(areas="North\nIslands\nEast", suppression_threshold="10"))
    assert r.status_code == 303
    page = operator.get(f"/operator/partnerships/{p.id}").get_data(as_text=True)
    assert "morag@lochside.example" in page
    from consult.extensions import db

    db.session.expire_all()
    p = db.session.get(Partnership, p.id)
    assert [a.name for a in p.areas] == ["North", "Islands", "East"] and p.areas[0].id == north
    assert p.suppression_threshold == 10

    operator.post("/staff/logout", data={"csrf_token": csrf_from(operator.get("/operator/").get_data(as_text=True))})
    r = login("morag@lochside.example")
    assert r.status_code == 302 and "/planner/" in r.location


def test_bad_input_gets_a_message_on_its_field_and_keeps_what_was_typed(app, operator) -> None:
    assert _post(operator, "/operator/partnerships/new", _form()).status_code == 303
    r = _post(operator, "/operator/partnerships/new", _form(name="lochside  partnership", local_authority="Typed LA",
                                                            suppression_threshold="0", areas=""))
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Enter at least one area" in page and "Enter a number from 1 to 100" in page
    assert 'value="Typed LA"' in page
    r = _post(operator, "/operator/partnerships/new", _form(name="lochside  partnership", local_authority="Typed LA"))
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "Another partnership already has this name" in page
    assert 'id="name-error"' in page and 'value="Typed LA"' in page
    assert Partnership.query.count() == 1
    p = Partnership.query.one()
    r = _post(operator, f"/operator/partnerships/{p.id}/planner",
              {"name": "X", "email": "operator@example.org", "password": PASSWORD})
    assert r.status_code == 400 and "already signs in with this email address" in r.get_data(as_text=True)


def test_operators_reach_only_their_pages_and_others_not_theirs(app, world, client, login, make_user) -> None:
    from consult.data import users
    from consult.extensions import db

    users.create_user(email="op@example.org", name="Op", password=PASSWORD, roles=["operator"])
    db.session.commit()
    login("op@example.org")
    c = world.consultation.id
    for url in (f"/planner/c/{c}/", f"/planner/c/{c}/themes", f"/planner/c/{c}/answers/{world.quote.id}",
                "/admin/users", "/planner/"):
        r = client.get(url)
        assert r.status_code in (403, 404), url
    page = client.get("/operator/").get_data(as_text=True)
    assert world.quote.text not in page
    client.post("/staff/logout", data={"csrf_token": csrf_from(page)})
    make_user("admin", "planner", email="boss@example.org")
    login("boss@example.org")
    assert client.get("/operator/").status_code == 403  # an admin is not an operator
    assert client.get(f"/operator/partnerships/{world.consultation.plan.partnership_id}").status_code == 403


def test_an_operator_belongs_to_no_partnership_and_holds_no_other_role(app, partnership) -> None:
    from consult.data import scope, users

    with pytest.raises(users.UserError, match="operator_alone"):
        users.create_user(email="a@example.org", name="A", password=PASSWORD, roles=["operator", "planner"])
    with pytest.raises(users.UserError, match="operator_alone"):
        users.create_user(email="b@example.org", name="B", password=PASSWORD, roles=["operator"],
                          partnership_id=partnership.id)
    op = users.create_user(email="c@example.org", name="C", password=PASSWORD, roles=["operator"])
    assert scope.partnership_of_user(op) is None  # not the server's only partnership, as other staff of none are
    assert op not in users.list_users(partnership_id=partnership.id)


def test_flask_partnership_create_and_32_partnerships_stay_apart(app) -> None:
    from consult.data import consultations, plans
    from consult.extensions import db

    runner = app.test_cli_runner()
    result = runner.invoke(args=["partnership", "create", "--name", "Glen A", "--local-authority", "Council A",
                                 "--health-board", "NHS A", "--area", "North", "--area", "South", "--language", "gd",
                                 "--suppression-threshold", "6", "--planner-email", "pa@example.org",
                                 "--planner-password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Created partnership" in result.output
    made = Partnership.query.filter_by(name="Glen A").one()
    assert made.languages == ["en", "gd"] and made.suppression_threshold == 6
    assert User.query.filter_by(email="pa@example.org").one().partnership_id == made.id
    again = runner.invoke(args=["partnership", "create", "--name", "glen a", "--local-authority", "x",
                                "--health-board", "y", "--area", "z"])
    assert again.exit_code != 0 and "already exists" in again.output

    from datetime import date

    ids = [made.id]
    for i in range(31):
        p = consultations.create_partnership(name=f"P{i:02d}", local_authority="LA", health_board="HB",
                                             areas=[("a", "A")])
        consultations.create_plan(p, title=f"Plan {i}", period_start=date(2026, 4, 1), period_end=date(2029, 3, 31),
                                  vision="", priorities=[{"key": f"k{j}", "title": f"T{j}"} for j in range(3)])
        ids.append(p.id)
    db.session.commit()
    listed = runner.invoke(args=["partnership", "list"])
    assert len(listed.output.strip().splitlines()) == 32
    assert all(len(plans.plans_of(pid)) == (0 if pid == made.id else 1) for pid in ids)
    assert {pl.title for pl in plans.plans_of(ids[5])} == {"Plan 4"}
