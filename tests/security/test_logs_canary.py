"""A full journey with canary strings in every field: none of them may reach any log output."""

from __future__ import annotations

import io
import itertools
import json
import logging
import random

import pytest

from consult.logging_setup import guth_handler
from tests.conftest import csrf_from
from tests.load.formbot import TestClientBrowser, answer_consultation, fill, main_form, parse_forms
from tests.security.conftest import STAFF_ROLES, act_as

CANARY = "zqcanary"
FAKE_ADDRESS = "203.0.113.77"


@pytest.fixture()
def captured(caplog):  # type: ignore[no-untyped-def]
    """Capture every log record (caplog) and what Guth's own handler writes."""
    caplog.set_level(logging.DEBUG)
    # Alembic's fileConfig (run by the migration fixture) disables loggers that existed before it.
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False
    handler = guth_handler()
    assert handler is not None, "create_app() installs the JSON handler"
    stream = io.StringIO()
    old = handler.setStream(stream)  # type: ignore[attr-defined]
    old_level = handler.level
    handler.setLevel(logging.DEBUG)
    try:
        yield caplog, stream
    finally:
        handler.setStream(old)  # type: ignore[attr-defined]
        handler.setLevel(old_level)


def _all_output(caplog, stream) -> str:  # type: ignore[no-untyped-def]
    records = []
    for r in caplog.records:
        records.append(r.getMessage())
        records.append(repr({k: v for k, v in r.__dict__.items() if k not in ("msg", "args")}))
    return stream.getvalue() + "\n".join(records) + caplog.text


def test_journey_with_canaries_leaves_no_trace_in_logs(world_app, world, captured) -> None:  # type: ignore[no-untyped-def]
    caplog, stream = captured
    app = world_app
    counter = itertools.count()
    planted: list[str] = []

    def canary(_field=None) -> str:  # type: ignore[no-untyped-def]
        value = f"{CANARY}{next(counter)} Jo Bloggs 07700 900123 jo@example.org"
        planted.append(value)
        return value

    secrets_seen: list[str] = []

    # 1. Staff sign in with a wrong password, then a right one (email and password are canaries too).
    from consult.data import users
    from consult.extensions import db

    email = f"{CANARY}-staff@example.org"
    users.create_user(email=email, name=f"{CANARY} name", password=f"{CANARY}-password-1", roles=["admin"])
    db.session.commit()
    staff = app.test_client()
    staff.environ_base["REMOTE_ADDR"] = FAKE_ADDRESS
    token = csrf_from(staff.get(f"/staff/login?next=/{CANARY}q").get_data(as_text=True))
    staff.post("/staff/login", data={"email": email, "password": f"{CANARY}-wrong", "csrf_token": token})
    signed_in = staff.post(f"/staff/login?next=/planner/&{CANARY}=1",
                           data={"email": email, "password": f"{CANARY}-password-1", "csrf_token": token})
    assert signed_in.status_code == 302
    secrets_seen += [c.split(";")[0].split("=", 1)[1] for c in signed_in.headers.getlist("Set-Cookie") if "=" in c]

    # 2. Respondents answer the whole consultation, form mode and chat mode, every text a canary.
    completed = 0
    for seed in range(4):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = FAKE_ADDRESS
        journey = answer_consultation(TestClientBrowser(client), f"/c/{world.a.params['slug']}/",
                                      rng=random.Random(seed), text=canary)
        completed += journey.completed
        if journey.receipt_code:
            secrets_seen.append(journey.receipt_code)
    assert completed >= 1, "at least one respondent reached the confirmation page"

    # 3. Every route that takes a POST, as anonymous, respondent, organisation contact and each staff
    #    role: fill every field of the page's form with canaries (or post canaries blind).
    from tests.security.test_access_matrix import ROUTES, _url

    for _endpoint, rule, method in ROUTES:
        if method != "POST":
            continue
        params = {**world.a.params, "token": world.a.invitation_token}
        url, _known = _url(app, rule, params)
        for role in ["anonymous", "respondent", "org_contact", *STAFF_ROLES]:
            client = act_as(app, world.a, role)
            client.environ_base["REMOTE_ADDR"] = FAKE_ADDRESS
            page = client.get(url) if "GET" in _methods(app, rule) else None
            form = main_form(parse_forms(page.get_data(as_text=True))) if page is not None and page.status_code == 200 else None
            if form is not None:
                data = fill(form, random.Random(1), canary)
            else:
                tok = csrf_from(client.get("/staff/login").get_data(as_text=True))
                data = [("csrf_token", tok), ("text", canary()), ("email", canary()), ("name", canary()),
                        ("lang", canary()), ("next", canary())]
            response = client.post(f"{url}?q={CANARY}-query", data=_multi(data))
            assert response.status_code < 500, f"{role} POST {url} → {response.status_code}"

    # 4. Every GET route with a canary query string and a canary in a header.
    for _endpoint, rule, method in ROUTES:
        if method != "GET":
            continue
        url, _known = _url(app, rule, world.a.params)
        client = act_as(app, world.a, "admin")
        client.get(f"{url}?search={CANARY}-get&token={CANARY}-tok", headers={"User-Agent": f"{CANARY}-agent"})

    output = _all_output(caplog, stream)
    assert "consult.request" in output, "the request log was captured"
    assert CANARY not in output, _context(output, CANARY)
    assert FAKE_ADDRESS not in output, _context(output, FAKE_ADDRESS)
    for secret in secrets_seen:
        if len(secret) >= 8:
            assert secret not in output, "a receipt code or session cookie reached the logs"
    assert "jo@example.org" not in output and "07700 900123" not in output
    for line in stream.getvalue().splitlines():  # every line Guth's handler wrote is one JSON object
        json.loads(line)


def _methods(app, rule: str) -> set[str]:  # type: ignore[no-untyped-def]
    return next(r.methods or set() for r in app.url_map.iter_rules() if r.rule == rule)


def _multi(pairs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


def _context(output: str, needle: str) -> str:
    i = output.find(needle)
    return output[max(0, i - 300): i + 100]


def test_request_log_line_has_only_method_endpoint_status_duration(client, captured) -> None:  # type: ignore[no-untyped-def]
    _caplog, stream = captured
    client.get(f"/help?x={CANARY}")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_lines = [line for line in lines if line.get("logger") == "consult.request"]
    assert request_lines, lines
    line = request_lines[-1]
    assert set(line) == {"ts", "level", "logger", "msg", "method", "endpoint", "status", "duration_ms"}
    assert (line["method"], line["endpoint"], line["status"]) == ("GET", "core.help_page", 200)


def test_exceptions_are_logged_without_their_message(app, client, captured) -> None:  # type: ignore[no-untyped-def]
    _caplog, stream = captured

    @app.route("/__explode")
    def explode():  # type: ignore[no-untyped-def]
        raise ValueError(f"{CANARY} the answer that broke it")

    assert client.get("/__explode").status_code == 500
    written = stream.getvalue()
    assert "ValueError" in written and "exc_frames" in written
    assert CANARY not in written


def test_importing_the_logging_module_changes_nothing() -> None:
    import importlib
    import subprocess
    import sys

    code = ("import logging; before = list(logging.getLogger().handlers); import consult.logging_setup; "
            "assert logging.getLogger().handlers == before; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
    assert importlib.import_module("consult.logging_setup")
