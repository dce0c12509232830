"""A small open consultation (the shipped template, or every question type) for the respondent tests."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from consult import clock
from tests.conftest import csrf_from
from tests.forms.helpers import SAMPLE

AREAS = [("north", "North Ward"), ("south", "South Ward")]


def make_consultation(definition, *, slug: str, status: str = "open", closes_in: int = 30):  # type: ignore[no-untyped-def]
    """Create a partnership, plan and consultation from a definition; return the consultation."""
    from consult.data import consultations
    from consult.extensions import db

    partnership = consultations.first_partnership() or consultations.create_partnership(
        name="Testshire", local_authority="Testshire Council", health_board="NHS Testshire", areas=AREAS)
    plan = consultations.create_plan(partnership, title="Plan", period_start=date(2026, 4, 1),
                                     period_end=date(2029, 3, 31), vision="Vision", priorities=[
                                         {"key": k, "title": k, "description": k}
                                         for k in ("mental_health", "poverty", "safe_places")])
    today = clock.today()  # Scotland's calendar day, as the app decides it, not the machine's
    consultation = consultations.create_consultation(plan, definition, slug=slug, opens_on=today - timedelta(days=5),
                                                     closes_on=today + timedelta(days=closes_in), status=status)
    db.session.commit()
    return consultation


@pytest.fixture()
def csp(app):  # type: ignore[no-untyped-def]
    """The shipped Children's Services Plan template, open now."""
    from forms import load_template

    return make_consultation(load_template("childrens-services-plan"), slug="csp")


@pytest.fixture()
def sample(app):  # type: ignore[no-untyped-def]
    """A consultation with every question type (child 8–11 audience), open now."""
    from forms import load_definition

    return make_consultation(load_definition(SAMPLE), slug="sample")


class Respondent:
    """Walks the respondent pages like a person with a browser (no JavaScript)."""

    def __init__(self, client, slug: str) -> None:  # type: ignore[no-untyped-def]
        self.client, self.slug = client, slug
        self.last = None

    def get(self, path: str):  # type: ignore[no-untyped-def]
        self.last = self.client.get(path)
        return self.last

    def post(self, path: str, data: dict | list, *, follow: bool = True, token: bool = True):  # type: ignore[no-untyped-def]
        page = self.client.get(path)
        items = list(data.items()) if isinstance(data, dict) else list(data)
        if token:
            items.append(("csrf_token", csrf_from(page.get_data(as_text=True))))
        from werkzeug.datastructures import MultiDict

        self.last = self.client.post(path, data=MultiDict(items), follow_redirects=follow)
        return self.last

    def start(self, audience: str = "child_8_11", mode: str = "form", easy_read: bool = False):  # type: ignore[no-untyped-def]
        r = self.post(f"/c/{self.slug}/", {"audience": audience}, follow=False)
        assert r.status_code == 303, r.get_data(as_text=True)
        data = {"mode": mode, "start": "1"}
        if easy_read:
            data["easy_read"] = "y"
        return self.post(r.headers["Location"], data)

    def answer(self, core_id: str, data: dict | list, *, change: bool = False):  # type: ignore[no-untyped-def]
        items = list(data.items()) if isinstance(data, dict) else list(data)
        path = f"/c/{self.slug}/q/{core_id}" + ("?change=1" if change else "")
        return self.post(path, [("q", core_id), *items])

    def text(self) -> str:
        return self.last.get_data(as_text=True)


def receipt_code(html: str) -> str:
    """Return the receipt code shown on a page."""
    match = re.search(r'class="receipt-code"[^>]*>([A-Z0-9-]+)<', html)
    assert match, "no receipt code on the page"
    return match.group(1)


@pytest.fixture()
def respondent(client):  # type: ignore[no-untyped-def]
    """Return a factory of Respondent walkers for a consultation slug."""
    return lambda slug: Respondent(client, slug)
