"""The respondent pages keep a validated copy of each definition; an edit must still show at once."""

from __future__ import annotations

import yaml

from tests.conftest import csrf_from


def test_respondent_sees_an_edited_question_straight_away(app, sample, respondent, make_user, login) -> None:  # type: ignore[no-untyped-def]
    from consult.data import consultations
    from consult.extensions import db
    from forms import dump_definition

    person = respondent("sample")
    person.start("child_8_11")
    first = consultations.definition_of(sample).audience("child_8_11").questions[0].core_id
    assert person.get(f"/c/sample/q/{first}").status_code == 200  # the definition is now cached

    staff = app.test_client()
    make_user("planner", email="planner@example.org")
    token = csrf_from(staff.get("/staff/login").get_data(as_text=True))
    staff.post("/staff/login", data={"email": "planner@example.org", "password": "correct horse battery",
                                     "csrf_token": token})
    db.session.expire_all()
    data = yaml.safe_load(dump_definition(consultations.definition_of(sample)))
    data["audiences"][0]["questions"][0]["text"]["en"] = "Which one do you like best of all, today?"
    html = staff.get(f"/planner/c/{sample.id}/definition").get_data(as_text=True)
    page = staff.post(f"/planner/c/{sample.id}/definition", data={
        "csrf_token": csrf_from(html), "definition": yaml.safe_dump(data, allow_unicode=True, sort_keys=False)})
    assert page.status_code == 303

    html = person.get(f"/c/sample/q/{first}").get_data(as_text=True)
    assert "Which one do you like best of all, today?" in html
