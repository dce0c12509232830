"""The honeypot on the respondent forms: people never see it; a robot that fills it stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select


def _responses() -> list:  # type: ignore[type-arg]
    from consult.extensions import db
    from consult.models import Response

    db.session.expire_all()
    return list(db.session.scalars(select(Response)))


@pytest.mark.parametrize("path", ["/c/csp/", "/c/csp/how?audience=young_12_17"])
def test_start_forms_have_a_honeypot_people_never_see(csp, client, path) -> None:  # type: ignore[no-untyped-def]
    html = client.get(path).get_data(as_text=True)
    assert '<div class="visually-hidden"><label for="website">Leave this empty</label>' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html


def test_filled_honeypot_on_start_starts_nothing(csp, respondent) -> None:  # type: ignore[no-untyped-def]
    robot = respondent("csp")
    page = robot.post("/c/csp/how?audience=young_12_17", {"mode": "form", "start": "1", "website": "spam.example"},
                      follow=False)
    assert page.status_code == 303 and "/c/csp/q/" in page.headers["Location"]  # as if it had started
    assert _responses() == []
    assert robot.get(page.headers["Location"]).status_code == 303  # ...but there is nothing to answer


def test_filled_honeypot_on_check_sends_nothing_but_says_thank_you(csp, respondent) -> None:  # type: ignore[no-untyped-def]
    robot = respondent("csp")
    robot.start("young_12_17")
    page = robot.post("/c/csp/check", {"send": "1", "may_quote": "y", "website": "http://spam.example"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Thank you" in html and "receipt-code" not in html
    [stored] = _responses()
    assert stored.status == "in_progress" and stored.submitted_at is None and not stored.may_quote


def test_empty_honeypot_sends_as_normal(csp, respondent) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response

    person = respondent("csp")
    person.start("young_12_17")
    assert 'name="website"' in person.get("/c/csp/check").get_data(as_text=True)
    page = person.post("/c/csp/check", {"send": "1", "website": ""})
    assert "receipt-code" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.status == "submitted")) == 1
