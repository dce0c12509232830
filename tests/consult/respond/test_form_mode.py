"""Form mode end to end: who is answering, one question per page, check answers, receipt code."""

from __future__ import annotations

from sqlalchemy import func, select

from .conftest import receipt_code

CSP_8_11 = {
    "feel_safe": {"answer": "4"},
    "wellbeing": {"answer": "5"},
    "good_things": {"answer": "The park near the river and my football club"},
    "more_of": [("answer", "places_to_play"), ("answer", "clubs")],
    "top_three": {"rank_1": "clubs", "rank_2": "places_to_play"},
    "listened_to": {"answer": "not_sure"},
    "change_one_thing": {"answer": "More buses so we can get to the pool"},
    "area": {"answer": "north"},
    "groups": {"skip": "1"},
    "anything_else": {"answer": ""},
}


def _responses(app):  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response

    return list(db.session.scalars(select(Response)))


def complete(r, answers=CSP_8_11):  # type: ignore[no-untyped-def]
    """Answer every question in order; return the check-answers page."""
    for core_id, data in answers.items():
        items = list(data.items()) if isinstance(data, dict) else list(data)
        if not any(k == "skip" for k, _ in items):
            items.append(("continue_", "1"))
        page = r.answer(core_id, items)
        assert page.status_code == 200, (core_id, page.get_data(as_text=True)[:2000])
        assert "There is a problem" not in r.text(), (core_id, r.text())
    return page


def test_start_page_links_to_who_is_answering(csp, client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'href="/c/csp/"' in html
    page = client.get("/c/csp/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Who is answering?" in text
    for label in ("I am 5, 6 or 7 years old", "I am 8 to 11 years old", "I am a parent or carer"):
        assert label in text


def test_under_eights_are_told_an_adult_may_help_and_their_role(csp, respondent) -> None:
    r = respondent("csp")
    page = r.post("/c/csp/", {"audience": "child_5_8"})
    text = page.get_data(as_text=True)
    assert "A grown-up can help you" in text
    assert "Do not answer for them" in text
    assert r.post("/c/csp/", {"audience": "child_8_11"}).get_data(as_text=True).count("A grown-up can help you") == 0


def test_no_audience_chosen_is_a_clear_error(csp, respondent) -> None:
    r = respondent("csp")
    page = r.post("/c/csp/", {"continue_": "1"})
    text = page.get_data(as_text=True)
    assert "<title>Error:" in text and 'href="#audience"' in text and "Choose who is answering" in text


def test_complete_as_child_in_form_mode_stores_one_response(app, csp, respondent) -> None:
    r = respondent("csp")
    first = r.start("child_8_11", "form")
    assert first.request.path == "/c/csp/q/feel_safe"
    assert "Question 1 of 10" in r.text()
    check = complete(r)
    assert check.request.path == "/c/csp/check"
    text = r.text()
    assert "Check your answers" in text
    for shown in ("Safe", "Very happy", "The park near the river", "<li>Places to play</li><li>Clubs and things to do</li>",
                  "1. Clubs and things to do; 2. Places to play", "Not sure", "North Ward", "Skipped"):
        assert shown in text, shown
    assert 'name="may_quote"' in text and "checked" not in text.split('name="may_quote"')[0][-200:]
    done = r.post("/c/csp/check", {"send": "1"})
    assert done.request.path == "/c/csp/done"
    code = receipt_code(r.text())
    [response] = _responses(app)
    assert response.status == "submitted" and response.audience == "child_8_11"
    assert response.channel == "online_form" and response.language == "en"
    assert response.may_quote is False
    assert response.area is not None and response.area.code == "north"
    from consult.data import responses

    assert responses.find_by_receipt(code.lower()).id == response.id
    answers = responses.answers_by_core_id(response)
    assert answers["feel_safe"].value == 4 and answers["groups"].skipped
    assert answers["top_three"].value == ["clubs", "places_to_play"]


def test_double_submit_stores_one_response(app, csp, respondent, client) -> None:
    from tests.conftest import csrf_from

    r = respondent("csp")
    r.start()
    complete(r)
    page = client.get("/c/csp/check")
    token = csrf_from(page.get_data(as_text=True))
    first = client.post("/c/csp/check", data={"send": "1", "csrf_token": token})
    second = client.post("/c/csp/check", data={"send": "1", "csrf_token": token})
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"].endswith("/c/csp/done")
    [response] = _responses(app)
    assert response.status == "submitted"
    from consult.extensions import db
    from consult.models import Answer

    assert db.session.scalar(select(func.count()).select_from(Answer)) == len(CSP_8_11)


def test_back_and_change_keep_answers(csp, respondent) -> None:
    r = respondent("csp")
    r.start()
    r.answer("feel_safe", {"answer": "2", "continue_": "1"})
    r.answer("wellbeing", {"answer": "3", "continue_": "1"})
    back = r.get("/c/csp/q/feel_safe").get_data(as_text=True)
    assert 'value="2" checked' in back or 'checked type="radio" value="2"' in back or _checked(back, "2")
    complete(r)
    change = r.get("/c/csp/q/good_things?change=1").get_data(as_text=True)
    assert "The park near the river and my football club" in change
    assert 'href="/c/csp/check"' in change  # Back goes to check answers
    page = r.answer("good_things", {"answer": "The beach", "continue_": "1"}, change=True)
    assert page.request.path == "/c/csp/check"
    assert "The beach" in r.text()


def _checked(html: str, value: str) -> bool:
    import re

    return any('checked' in tag and f'value="{value}"' in tag for tag in re.findall(r"<input[^>]+>", html))


def test_may_quote_is_recorded_only_when_ticked(app, csp, respondent) -> None:
    r = respondent("csp")
    r.start()
    complete(r)
    r.post("/c/csp/check", {"send": "1", "may_quote": "y"})
    [response] = _responses(app)
    assert response.may_quote is True


def test_easy_read_uses_short_wording_and_pictures(csp, respondent) -> None:
    r = respondent("csp")
    r.start("child_8_11", "form", easy_read=True)
    text = r.text()
    assert "Do you feel safe?" in text and "/pictures/safe.svg" in text


def test_pictures_are_served_and_unknown_ones_are_404(client) -> None:
    page = client.get("/pictures/face-1.svg")
    assert page.status_code == 200 and page.mimetype == "image/svg+xml"
    assert client.get("/pictures/nope.svg").status_code == 404
    assert client.get("/pictures/..%2Fschema.py").status_code == 404


def test_question_pages_without_a_response_go_to_the_start(csp, client) -> None:
    page = client.get("/c/csp/q/feel_safe")
    assert page.status_code == 303 and page.headers["Location"].endswith("/c/csp/")
    assert client.get("/c/nope/").status_code == 404


def test_privacy_notice_for_each_age_band(client) -> None:
    young = client.get("/privacy/child_5_8").get_data(as_text=True)
    teen = client.get("/privacy/young_12_17").get_data(as_text=True)
    adult = client.get("/privacy/parent_carer").get_data(as_text=True)
    assert "We do not ask your name." in young
    assert "date of birth" in teen
    assert "safeguarding lead" in adult
    assert client.get("/privacy/nobody").status_code == 404
