"""Hostile ids in staff forms are never a 500 (issue 15, finding 7).

The review found 500s from non-ASCII digits such as '²' (a digit to str.isdigit(), not to int()) and
5,000-digit numbers in the ids that forms post back: moderation, code_answer, split, we-did and invite,
besides compare?with= (tests/fuzz/test_fuzz_ids_next.py). The question editor's option_rows and
version, and a plan's priority ids, read numbers the same way. Each of these, posted by a signed-in
member of staff who may use the form, answers with a page or a redirect, never a server error.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import act_as, csrf_token_for

HOSTILE = ["²", "١٢", "9" * 5000, str(2**63), "-1", "0", "x", ""]


def _posts(side) -> list[tuple[str, str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """(role, path, form fields) of every staff form that reads an id from what it is sent; '{v}' marks it."""
    p = side.params
    c = side.consultation
    return [
        ("moderator", "/planner/moderation", {"decision": "approve", "answer": "{v}"}),
        ("planner", f"/planner/c/{c}/answers/{p['answer_id']}", {"theme": "{v}", "back": "{v}"}),
        ("planner", f"/planner/c/{c}/themes/{p['theme_id']}/split", {"answer": "{v}", "new_name": "Split off"}),
        ("planner", f"/planner/c/{c}/themes/{p['theme_id']}/merge", {"target": "{v}"}),
        ("planner", f"/planner/c/{c}/coding/bulk", {"answer": "{v}", "theme": "{v}", "from_theme": "{v}"}),
        ("planner", f"/planner/c/{c}/we-did", {"target": "t{v}", "status": "done", "plan_action": "{v}"}),
        ("planner", f"/planner/consultations/{c}/invite", {"org": "{v}"}),
        ("planner", f"/planner/c/{c}/questions/{p['audience']}/{p['core']}",
         {"option_rows": "{v}", "version": "{v}"}),
        ("planner", f"/planner/plans/{p['plan_id']}/edit",
         {"title": "Plan", "period_start": "2026-04-01", "period_end": "2029-03-31",
          "priorities-0-id": "{v}", "priorities-0-title": "Priority 0",
          "priorities-0-indicators-0-id": "{v}"}),
    ]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: v if len(v) < 12 else f"{len(v)} digits")
def test_hostile_ids_posted_to_staff_forms_are_never_a_500(world_app, world, value: str) -> None:  # type: ignore[no-untyped-def]
    failures = []
    for role, path, fields in _posts(world.a):
        client = act_as(world_app, world.a, role)
        data = {k: v.replace("{v}", value) for k, v in fields.items()}
        data["csrf_token"] = csrf_token_for(client)
        response = client.post(path, data=data)
        if response.status_code >= 500:
            failures.append(f"{role}: POST {path} {sorted(fields)} → {response.status_code}")
    assert not failures


@pytest.mark.parametrize("value", ["²", "9" * 5000, str(2**63)], ids=["superscript", "5000 digits", "2**63"])
def test_hostile_ids_in_staff_query_strings_are_never_a_500(world_app, world, value: str) -> None:  # type: ignore[no-untyped-def]
    c = world.a.consultation
    client = act_as(world_app, world.a, "planner")
    for path in (f"/planner/c/{c}/compare?with={value}", f"/planner/c/{c}/coding/needs-a-person?page={value}",
                 f"/planner/c/{c}/answers/{world.a.params['answer_id']}?back={value}"):
        assert client.get(path).status_code < 500, path
