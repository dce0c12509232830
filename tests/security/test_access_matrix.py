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
from tests.security.conftest import CANARY_ANSWER, ROLES, STAFF_ROLES, act_as, csrf_token_for

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


def _routes() -> list[tuple[str, str, str]]:
    """Return (endpoint, rule, method) for every route but Flask's own static files."""
    app = _app_for_collection()
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, rule.rule, method))
    return sorted(out)


ROUTES = _routes()


def test_every_route_declares_who_may_see_it() -> None:
    app = _app_for_collection()
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
            values[arg] = 987654 if conv is not None and type(conv).__name__ in ("IntegerConverter",) else "zz-unknown"
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
        return role in STAFF_ROLES
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
        allowed = expected_allowed(kind, roles, role)
        if allowed:
            if status in (401, 403) or _to_sign_in(response):
                failures.append(f"{where}: should be let in ({kind} {roles})")
            elif known and status == 404 and kind == "safeguarding":
                failures.append(f"{where}: 404 for the safeguarding lead with this partnership's own ids")
        else:
            if kind in ("roles", "staff"):
                want_sign_in = role not in STAFF_ROLES
                if want_sign_in and not _to_sign_in(response):
                    failures.append(f"{where}: should be sent to sign in")
                if not want_sign_in and status != 403:
                    failures.append(f"{where}: should be 403")
            elif kind == "safeguarding":
                if status != 404:
                    failures.append(f"{where}: should be 404 (safeguarding only)")
            elif kind == "respondent":
                if status < 300 and method == "GET" and "/c/" in url and CANARY_ANSWER in body:
                    failures.append(f"{where}: shows someone's answers")
                if status in (200,) and method == "POST":
                    pass  # an empty form shown again is fine
            if status == 200 and CANARY_ANSWER in body and role != "safeguarding":
                failures.append(f"{where}: shows a respondent's answer")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{e}:{m}" for e, _r, m in ROUTES])
def test_other_partnerships_ids_give_404(world_app, world, endpoint: str, rule: str, method: str) -> None:  # type: ignore[no-untyped-def]
    """Staff of partnership A asking for partnership B's objects get 404, as if they did not exist."""
    app = world_app
    kind, roles = access_of(app.view_functions[endpoint])
    url_b, known = _url(app, rule, world.b.params)
    url_a, _ = _url(app, rule, world.a.params)
    if kind not in ("roles", "safeguarding") or not known or url_a == url_b:
        pytest.skip("no partnership-specific ids in this route")
    role = next((r for r in STAFF_ROLES if expected_allowed(kind, roles, r) and r != "admin"), "admin")
    client = act_as(app, world.a, role)
    response = _request(client, method, url_b)
    assert response.status_code == 404, f"{role} of A: {method} {url_b} → {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_bad_invitation_token_gives_404(world_app, world, role: str) -> None:  # type: ignore[no-untyped-def]
    app = world_app
    routes = [(e, r) for e, r, m in ROUTES if m == "GET" and access_of(app.view_functions[e])[0] == "invitation"]
    if not routes:
        pytest.skip("no invitation routes yet")
    for _endpoint, rule in routes:
        url, _ = _url(app, rule, {**world.a.params, "token": "not-a-real-token-000000000000"})
        response = act_as(app, world.a, role).get(url)
        assert response.status_code == 404, f"{role} GET {url} → {response.status_code}"


def test_respondent_cannot_reach_another_consultations_answers(world_app, world) -> None:  # type: ignore[no-untyped-def]
    """A respondent of consultation A asking for B's pages never sees B's stored answers."""
    app = world_app
    client = act_as(app, world.a, "respondent")
    seen = []
    for endpoint, rule, method in ROUTES:
        if method != "GET" or access_of(app.view_functions[endpoint])[0] != "respondent":
            continue
        url, _ = _url(app, rule, world.b.params)
        response = client.get(url)
        assert response.status_code < 500, url
        if f"{CANARY_ANSWER} b" in response.get_data().decode("utf-8", "replace"):
            seen.append(url)
    assert not seen
