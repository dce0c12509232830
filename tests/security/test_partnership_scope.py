"""Partnership scoping beyond the URL map walk: admins, lists, ids in query strings and forms."""

from __future__ import annotations

import re

from consult import create_app
from consult.data.scope import SCOPED_PARAMS, UNSCOPED_WORDS
from tests.security.conftest import act_as, csrf_token_for


def test_every_id_in_a_staff_url_has_a_partnership_resolver() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    missing = [f"{r.endpoint}: {arg}" for r in app.url_map.iter_rules()
               if r.endpoint.split(".")[0] in ("planner", "tsi", "admin")
               for arg in r.arguments if arg not in SCOPED_PARAMS | UNSCOPED_WORDS]
    assert not missing


def test_admin_of_a_gets_404_for_bs_consultation(world_app, world) -> None:  # type: ignore[no-untyped-def]
    client = act_as(world_app, world.a, "admin")
    assert client.get(f"/planner/c/{world.b.consultation}/").status_code == 404
    assert client.get(f"/planner/c/{world.a.consultation}/").status_code == 200


def test_consultation_lists_show_only_the_users_partnership(world_app, world) -> None:  # type: ignore[no-untyped-def]
    for role, path in (("planner", "/planner/"), ("tsi", "/tsi/")):
        body = act_as(world_app, world.a, role).get(path).get_data(as_text=True)
        assert f"/c/{world.a.consultation}" in body
        assert f"/c/{world.b.consultation}/" not in body and f'/c/{world.b.consultation}"' not in body


def test_admin_user_list_shows_only_their_partnership(world_app, world) -> None:  # type: ignore[no-untyped-def]
    body = act_as(world_app, world.a, "admin").get("/admin/users").get_data(as_text=True)
    assert "planner-a@example.org" in body
    assert "planner-b@example.org" not in body


def test_compare_with_another_partnerships_consultation_is_404(world_app, world) -> None:  # type: ignore[no-untyped-def]
    client = act_as(world_app, world.a, "planner")
    url = f"/planner/c/{world.a.consultation}/compare?with={world.b.consultation}"
    assert client.get(url).status_code == 404


def test_moderating_another_partnerships_quote_is_404(world_app, world) -> None:  # type: ignore[no-untyped-def]
    client = act_as(world_app, world.a, "moderator")
    token = csrf_token_for(client)
    response = client.post("/planner/moderation", data={"csrf_token": token, "decision": "approve",
                                                        "answer": str(world.b.params["answer_id"])})
    assert response.status_code == 404


def test_safeguarding_queue_lists_only_the_users_partnership(world_app, world) -> None:  # type: ignore[no-untyped-def]
    body = act_as(world_app, world.a, "safeguarding").get("/planner/safeguarding").get_data(as_text=True)
    assert f"/planner/safeguarding/{world.a.params['flag_id']}" in body
    assert f"/planner/safeguarding/{world.b.params['flag_id']}" not in body


def test_a_job_started_by_staff_is_followed_only_by_their_partnership(world_app, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.jobs import enqueue, get_job
    from tests.security.conftest import sign_in

    monkeypatch.setitem(world_app.config, "JOBS_MODE", "sync")
    with world_app.test_request_context():
        from flask_login import login_user

        from consult.data import users

        login_user(users.get_user(world.a.users["planner"]))
        job_id = enqueue("noop").id
        assert get_job(job_id).params["partnership_id"] == world.a.partnership
        db.session.remove()
    for side, want in ((world.a, 200), (world.b, 404)):
        client = world_app.test_client()
        sign_in(client, side.users["planner"])
        assert client.get(f"/planner/jobs/{job_id}").status_code == want


def test_the_outbox_lists_only_the_users_partnerships_emails(world_app, world) -> None:  # type: ignore[no-untyped-def]
    """Issue 15, finding 2: the outbox listed every partnership's emails, live invitation links too."""
    from consult.data import consultations
    from consult.extensions import db
    from consult.models import Contact
    from consult.services import invitations

    links = {}
    with world_app.test_request_context("/"):
        for side in (world.a, world.b):
            contact = db.session.get(Contact, side.params["contact_id"])
            sent = invitations.invite_contact(consultations.get(side.consultation), contact, invited_by_id=None)
            links[side.key] = set(re.findall(r"https?://\S+", sent.body))
        db.session.commit()
        db.session.remove()
    assert links["a"] and links["b"] and not links["a"] & links["b"], "each invitation has its own live links"
    for role in ("planner", "tsi", "admin"):
        for mine, theirs in ((world.a, world.b), (world.b, world.a)):
            body = act_as(world_app, mine, role).get("/planner/outbox").get_data(as_text=True)
            assert f"contact-{mine.key}@example.org" in body, role
            assert f"contact-{theirs.key}@example.org" not in body, role
            assert f"Org {theirs.key}" not in body, role
            # the live invitation link that opened the other partnership's organisation draft
            assert all(u in body for u in links[mine.key]), role
            assert not [u for u in links[theirs.key] if u in body], role
