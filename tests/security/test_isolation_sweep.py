"""The two-partnership isolation sweep (issue 15): staff of partnership A reach nothing of partnership B.

Signed in as each role of A (admin included), every route in the URL map that names one of B's
objects (GET, and POST with a valid CSRF token) answers 404, as if it did not exist; so do B's
exports through signed links made for A's own staff, B's jobs and B's outbox rows; and no page A's
staff can open lists any of B's rows (answers, organisations, contacts, staff, emails).
"""

from __future__ import annotations

import pytest

from consult.auth.decorators import access_of
from tests.security.conftest import CANARY_ANSWER, SHARED_PARAMS, STAFF_ROLES, act_as
from tests.security.test_access_matrix import (
    CROSS_PARTNERSHIP_CASES,
    ROUTES,
    _request,
    _url,
    expected_allowed,
)

SCOPED_BLUEPRINTS = ("planner", "tsi", "admin")


def _roles_let_in(app, endpoint: str) -> list[str]:  # type: ignore[no-untyped-def]
    kind, roles = access_of(app.view_functions[endpoint])
    return [r for r in STAFF_ROLES if expected_allowed(kind, roles, r)]


def _markers(side) -> list[str]:  # type: ignore[no-untyped-def]
    k = side.key
    return [f"{CANARY_ANSWER} {k}", f"contact-{k}@example.org", f"Org {k}<", f"Org {k}\"", f"planner-{k}@example.org",
            f"target-{k}@example.org", f"Partnership {k}<", f"Theme {k}<", f"We did {k}<", f"/c/{side.params['slug']}",
            f"/consultations/{side.consultation}/"]


@pytest.mark.parametrize(("endpoint", "rule", "method"), CROSS_PARTNERSHIP_CASES,
                         ids=[f"{e}:{m}" for e, _r, m in CROSS_PARTNERSHIP_CASES])
def test_every_role_of_a_gets_404_for_bs_ids(world_app, world, endpoint: str, rule: str, method: str) -> None:  # type: ignore[no-untyped-def]
    url_b, known = _url(world_app, rule, world.b.params)
    assert known, rule
    failures = []
    for role in _roles_let_in(world_app, endpoint):
        response = _request(act_as(world_app, world.a, role), method, url_b)
        if response.status_code != 404:
            failures.append(f"{role} of A: {method} {url_b} → {response.status_code}")
    assert not failures


def _list_pages(app, side) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Return (endpoint, url) of every staff GET page built from one side's own values."""
    out = []
    for endpoint, rule, method in ROUTES:
        if method != "GET" or endpoint.split(".")[0] not in SCOPED_BLUEPRINTS:
            continue
        url, known = _url(app, rule, side.params)
        if known:
            out.append((endpoint, url))
    return out


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_page_of_as_staff_shows_bs_rows(world_app, world, role: str) -> None:  # type: ignore[no-untyped-def]
    client = act_as(world_app, world.a, role)
    seen = []
    opened = 0
    for endpoint, url in _list_pages(world_app, world.a):
        if role not in _roles_let_in(world_app, endpoint):
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        opened += response.status_code == 200
        body = response.get_data().decode("utf-8", "replace")
        seen += [f"{url}: {m}" for m in _markers(world.b) if m in body]
    assert opened, f"{role} opened no page: the sweep is not looking"
    assert not seen


def test_bs_exports_through_links_signed_for_as_staff_are_404(world_app, world) -> None:  # type: ignore[no-untyped-def]
    """A signed link proves who asked, not what they may see: B's export is still 404 for A's planner."""
    from consult.services.signed_links import PARAM, sign

    exports = [(e, r) for e, r, m in ROUTES if m == "GET" and (r.endswith(".csv") or r.endswith(".xlsx")
                                                            or r.endswith(".pdf"))]
    assert exports, "no export routes found"
    failures = []
    for endpoint, rule in exports:
        url_b, known = _url(world_app, rule, world.b.params)
        if not known or endpoint.split(".")[0] not in SCOPED_BLUEPRINTS:
            continue
        values = {a: world.b.params[a] for a in next(x for x in world_app.url_map.iter_rules()
                                                    if x.rule == rule).arguments}
        if not set(values) - SHARED_PARAMS:
            continue  # names no object: the signed-in user's own partnership's export (its rows: the list sweep)
        for role in _roles_let_in(world_app, endpoint):
            user_id = world.a.users[role]
            with world_app.test_request_context():
                token = sign(endpoint, user_id, **values)
            response = act_as(world_app, world.a, role).get(f"{url_b}?{PARAM}={token}")
            if response.status_code != 404:
                failures.append(f"{role} of A: {url_b} (signed) → {response.status_code}")
    assert not failures


def test_bs_job_and_outbox_are_out_of_as_reach(world_app, world) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.services import mail

    with world_app.test_request_context("/"):
        mail.send(to="someone-b@example.org", subject="Only B's", body="b's email", partnership_id=world.b.partnership)
        db.session.commit()
        db.session.remove()
    for role in ("admin", "planner", "tsi"):
        client = act_as(world_app, world.a, role)
        if role in _roles_let_in(world_app, "planner.job_status"):
            assert client.get(f"/planner/jobs/{world.b.params['job_id']}").status_code == 404, role
        assert "someone-b@example.org" not in client.get("/planner/outbox").get_data(as_text=True), role
