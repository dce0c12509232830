"""Every route in the URL map × every role, checked against what the route declares.

Each view says who may see it (consult/auth/decorators.py). This test reads that declaration and
asserts the outcome for anonymous visitors, a respondent (with their own response in progress),
an organisation contact (holding their invitation link) and staff of each role — and checks the
security headers and cookie flags on every response it gets. A route that declares nothing fails.
"""

from __future__ import annotations

import re

import pytest

from consult.auth.decorators import ACCESS_KINDS, access_of
from tests.security.conftest import (
    CANARY_ANSWER,
    ROLES,
    SHARED_PARAMS,
    SIGNED_IN_ROLES,
    STAFF_ROLES,
    act_as,
    csrf_token_for,
)

HEADERS_EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": None,
    "Strict-Transport-Security": "max-age=",
    "Permissions-Policy": "geolocation=()",
}
CSP_PARTS = ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]


def _app_for_collection():  # type: ignore[no-untyped-def]
    from consult import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _routes(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Return (endpoint, rule, method) for every route but Flask's own static files."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, rule.rule, method))
    return sorted(out)


PARTNERSHIP_SCOPED = ("roles", "safeguarding")


def no_cross_partnership_case(app, endpoint: str, rule: str) -> str | None:  # type: ignore[no-untyped-def]
    """Return why a route has no 'another partnership's ids' case, or None when it must have one.

    Staff views behind a role or safeguarding check are scoped to the user's partnership: if their URL
    holds an id of a partnership's object, staff of another partnership must get 404. Public,
    respondent, invitation and any-staff views are not scoped that way (respondents and invitation
    links have tests of their own below), and a URL with no partnership-specific parameter has no id
    to swap (its lists are scoped in test_partnership_scope.py).
    """
    kind, _roles = access_of(app.view_functions[endpoint])
    if kind not in PARTNERSHIP_SCOPED:
        return f"{kind} view"
    arguments = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule).arguments
    if not arguments - SHARED_PARAMS:
        return "no partnership-specific id in the URL"
    return None


def _cross_partnership_cases(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(e, r, m) for e, r, m in _routes(app) if no_cross_partnership_case(app, e, r) is None]


_COLLECTION_APP = _app_for_collection()
ROUTES = _routes(_COLLECTION_APP)
CROSS_PARTNERSHIP_CASES = _cross_partnership_cases(_COLLECTION_APP)


def test_every_route_declares_who_may_see_it() -> None:
    app = _COLLECTION_APP
    missing = []
    for endpoint, view in sorted(app.view_functions.items()):
        if endpoint == "static":
            continue
        kind, _roles = access_of(view)
        if kind not in ACCESS_KINDS:
            missing.append(f"{endpoint} ({view.__module__})")
    assert not missing, (
        "These views do not declare who may see them. Add one of @roles_required, @safeguarding_required, "
        "@staff_route, @public_route, @respondent_route or @invitation_route (consult.auth.decorators): "
        + ", ".join(missing)
    )


def _url(app, rule: str, params: dict[str, object]) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    """Build the URL for a rule from a side's values; say whether every parameter was known."""
    r = next(r for r in app.url_map.iter_rules() if r.rule == rule)
    values, known = {}, True
    for arg in r.arguments:
        if arg in params:
            values[arg] = params[arg]
        else:
            known = False
            conv = r._converters.get(arg)
            values[arg] = 987654 if conv is not None and type(conv).__name__ in ("IntegerConverter", "IdConverter") else "zz-unknown"
    with app.test_request_context():
        from flask import url_for

        return url_for(r.endpoint, _external=False, **values), known


def check_headers(response, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Return what is wrong with a response's security headers and cookies."""
    problems = []
    h = response.headers
    for name, want in HEADERS_EXPECTED.items():
        if name not in h or (want and want not in h[name]):
            problems.append(f"{name}={h.get(name)!r}")
    csp = h.get("Content-Security-Policy", "")
    problems += [f"CSP lacks {part}" for part in CSP_PARTS if part not in csp]
    if "'unsafe-inline'" in csp:
        problems.append("CSP allows unsafe-inline")
    if not path.startswith("/static/") and "no-store" not in h.get("Cache-Control", ""):
        problems.append(f"Cache-Control={h.get('Cache-Control')!r}")
    if "X-Powered-By" in h or re.search(r"\d", h.get("Server", "")):
        problems.append(f"Server/X-Powered-By reveal software: {h.get('Server')!r}")
    for cookie in h.getlist("Set-Cookie"):
        low = cookie.lower()
        if _is_deletion(low):
            continue
        if "httponly" not in low or "samesite=" not in low:
            problems.append(f"cookie lacks HttpOnly/SameSite: {cookie.split(';')[0].split('=')[0]}")
    return problems


def _is_deletion(cookie: str) -> bool:
    """Return True for a Set-Cookie that only deletes a cookie (no value, already expired)."""
    value = cookie.split(";", 1)[0].split("=", 1)[-1].strip().strip('"')
    return not value and ("expires=thu, 01 jan 1970" in cookie or "max-age=0" in cookie)


def _redirect_path(response) -> str | None:  # type: ignore[no-untyped-def]
    """Return the path a redirect sends the person to, or None if the response is not a redirect."""
    from urllib.parse import urlsplit

    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return urlsplit(response.headers.get("Location", "")).path


def _to_sign_in(response) -> bool:  # type: ignore[no-untyped-def]
    """Return True if the response sends the person to sign in first (Flask-Login's ?next= redirect)."""
    where = response.headers.get("Location", "")
    return response.status_code in (301, 302, 303, 307, 308) and "/staff/login" in where and "next=" in where


def expected_allowed(kind: str, roles: tuple[str, ...], role: str) -> bool:
    """Return True if the declaration lets this role in."""
    if kind == "public":
        return True
    if kind == "safeguarding":
        return role == "safeguarding"
    if kind == "staff":
        return role in SIGNED_IN_ROLES
    if kind == "operator":
        return role == "operator"
    if kind == "roles":
        return role in roles or (role == "admin" and "safeguarding" not in roles)
    if kind == "respondent":
        return role == "respondent"
    if kind == "invitation":
        return True  # the token in the URL is the key; a bad token is checked separately
    raise AssertionError(kind)


def _request(client, method: str, url: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    token = csrf_token_for(client)
    return client.open(url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token})


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{e}:{m}" for e, _r, m in ROUTES])
def test_route_for_every_role(world_app, world, endpoint: str, rule: str, method: str) -> None:  # type: ignore[no-untyped-def]
    app = world_app
    kind, roles = access_of(app.view_functions[endpoint])
    if kind not in ACCESS_KINDS:
        pytest.fail(f"{endpoint} declares no access (see test_every_route_declares_who_may_see_it)")
    url, known = _url(app, rule, world.a.params)
    with app.test_request_context():
        from flask import url_for

        start_page = url_for("respond.audience", slug=world.a.params["slug"])
    failures = []
    for role in ROLES:
        client = act_as(app, world.a, role)
        response = _request(client, method, url)
        status = response.status_code
        body = response.get_data().decode("utf-8", "replace")
        where = f"{role} {method} {url} → {status}"
        failures += [f"{where}: {p}" for p in check_headers(response, url)]
        if status >= 500:
            failures.append(f"{where}: server error")
            continue
        if expected_allowed(kind, roles, role):
            if status in (401, 403) or _to_sign_in(response):
                failures.append(f"{where}: should be let in ({kind} {roles})")
            elif known and status == 404 and kind == "safeguarding":
                failures.append(f"{where}: 404 for the safeguarding lead with this partnership's own ids")
            continue
        if status == 200 and CANARY_ANSWER in body and role != "safeguarding":
            failures.append(f"{where}: shows a respondent's answer")
        if kind in ("roles", "staff", "operator"):
            if role not in SIGNED_IN_ROLES and not _to_sign_in(response):
                failures.append(f"{where}: should be sent to sign in")
            if role in SIGNED_IN_ROLES and status != 403:
                failures.append(f"{where}: should be 403")
        elif kind == "safeguarding":
            if status != 404:
                failures.append(f"{where}: should be 404 (safeguarding only)")
        elif kind == "respondent":
            if status != 404 and _redirect_path(response) != start_page:
                failures.append(f"{where}: should be 404 or sent to the start page {start_page}")
        else:
            raise AssertionError(f"{kind} lets every role in, yet {role} was refused by expected_allowed")
    assert not failures, "\n".join(failures)


def test_the_matrix_covers_every_route_in_the_url_map(world_app, world) -> None:  # type: ignore[no-untyped-def]
    """Every route of the app under test is in the matrix, and each route's cross-partnership verdict holds.

    The matrix is collected from an app made at import time; this compares it with the app the tests
    run against, so a route that only exists there (or has gone) fails here. A route judged to have no
    partnership-specific id must give the same URL for both partnerships' data; a route with a case
    must give different URLs, built from real values only.
    """
    app = world_app
    live = _routes(app)
    assert sorted(set(live) - set(ROUTES)) == [], "routes the matrix never tests (see _routes)"
    assert sorted(set(ROUTES) - set(live)) == [], "routes in the matrix the app no longer has"
    wrong = []
    for endpoint, rule, method in live:
        kind, _roles = access_of(app.view_functions[endpoint])
        url_a, known_a = _url(app, rule, world.a.params)
        url_b, known_b = _url(app, rule, world.b.params)
        reason = no_cross_partnership_case(app, endpoint, rule)
        if reason is None and not (known_a and known_b and url_a != url_b):
            wrong.append(f"{endpoint}:{method} has a case but {url_a} / {url_b} (known: {known_a})")
        if reason is not None and kind in PARTNERSHIP_SCOPED and url_a != url_b:
            wrong.append(f"{endpoint}:{method} judged '{reason}' yet {url_a} != {url_b}")
    assert not wrong, "\n".join(wrong)


def test_only_the_shared_parameters_are_alike_in_both_partnerships(world) -> None:  # type: ignore[no-untyped-def]
    a, b = world.a.params, world.b.params
    assert a.keys() == b.keys()
    assert {k for k in a if a[k] == b[k]} == SHARED_PARAMS


@pytest.mark.parametrize(("endpoint", "rule", "method"), CROSS_PARTNERSHIP_CASES,
                         ids=[f"{e}:{m}" for e, _r, m in CROSS_PARTNERSHIP_CASES])
def test_other_partnerships_ids_give_404(world_app, world, endpoint: str, rule: str, method: str) -> None:  # type: ignore[no-untyped-def]
    """Staff of partnership A asking for partnership B's objects get 404, as if they did not exist."""
    app = world_app
    kind, roles = access_of(app.view_functions[endpoint])
    url_b, known = _url(app, rule, world.b.params)
    url_a, _ = _url(app, rule, world.a.params)
    assert known, f"{rule} has a parameter build_side (tests/security/conftest.py) gives no value"
    assert url_a != url_b, f"{rule} gives the same URL for both partnerships; add its parameters to SHARED_PARAMS"
    role = next((r for r in STAFF_ROLES if expected_allowed(kind, roles, r) and r != "admin"), "admin")
    client = act_as(app, world.a, role)
    response = _request(client, method, url_b)
    assert response.status_code == 404, f"{role} of A: {method} {url_b} → {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_bad_invitation_token_gives_404(world_app, world, role: str) -> None:  # type: ignore[no-untyped-def]
    app = world_app
    routes = [(e, r) for e, r, m in ROUTES if m == "GET" and access_of(app.view_functions[e])[0] == "invitation"]
    assert routes, "no invitation routes found: the declarations or this filter are wrong"
    for _endpoint, rule in routes:
        url, _ = _url(app, rule, {**world.a.params, "token": "not-a-real-token-000000000000"})
        response = act_as(app, world.a, role).get(url)
        assert response.status_code == 404, f"{role} GET {url} → {response.status_code}"


def test_respondent_cannot_reach_another_consultations_answers(world_app, world) -> None:  # type: ignore[no-untyped-def]
    """A respondent of consultation A asking for B's pages never sees B's stored answers."""
    app = world_app
    client = act_as(app, world.a, "respondent")
    seen, visited = [], []
    for endpoint, rule, method in ROUTES:
        if method != "GET" or access_of(app.view_functions[endpoint])[0] != "respondent":
            continue
        url, _ = _url(app, rule, world.b.params)
        visited.append(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if f"{CANARY_ANSWER} b" in response.get_data().decode("utf-8", "replace"):
            seen.append(url)
    assert visited, "no respondent routes found: the declarations or this filter are wrong"
    assert not seen
