"""The safeguarding lead names who is emailed at once, the deputies and the escalation time."""

from __future__ import annotations

import pytest

from consult.data import consultations
from consult.extensions import db
from tests.conftest import csrf_from

URL = "/planner/safeguarding/contacts"


def _post(client, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(URL).get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, **fields})


def test_the_lead_names_contacts_and_deputies(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("safeguarding")
    page = client.get(URL)
    assert page.status_code == 200 and "safeguarding@example.org" in page.get_data(as_text=True)  # the fallback
    done = _post(client, contacts="duty@council.example\n  lead@council.example ", deputies="dep@council.example",
                 escalate_minutes="30")
    assert done.status_code == 303
    db.session.expire_all()
    p = consultations.first_partnership()
    assert p.safeguarding_contacts == ["duty@council.example", "lead@council.example"]
    assert p.safeguarding_deputies == ["dep@council.example"] and p.safeguarding_escalate_minutes == 30
    shown = client.get(URL).get_data(as_text=True)
    assert "duty@council.example\nlead@council.example" in shown


@pytest.mark.parametrize(("fields", "message"), [
    ({"contacts": "not an email", "escalate_minutes": "60"}, "Write one email address on each line"),
    ({"contacts": "a@b.example", "escalate_minutes": "2"}, "from 5 to 1440"),
    ({"contacts": "a@b.example", "escalate_minutes": "soon"}, "Enter a number of minutes"),
    ({"contacts": "a@b.example", "escalate_minutes": ""}, "Enter a number of minutes"),
    ({"contacts": "x" * 6000, "escalate_minutes": "60"}, "There is a problem"),
])
def test_bad_input_is_explained_never_a_server_error(as_role, fields, message) -> None:  # type: ignore[no-untyped-def]
    client = as_role("safeguarding")
    page = _post(client, **fields)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and message in html and "<title>Error:" in html.replace("\n", "")
    db.session.expire_all()
    assert consultations.first_partnership().safeguarding_contacts == []


@pytest.mark.parametrize("roles", [(), ("planner",), ("admin",)])
def test_only_the_safeguarding_lead_sees_it(as_role, client, roles) -> None:  # type: ignore[no-untyped-def]
    if roles:
        as_role(*roles)
    assert client.get(URL).status_code == 404
