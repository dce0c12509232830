"""Coming back and checking: "Carry on now" goes to where the person stopped; choices are a list."""

from __future__ import annotations

import re

from .conftest import receipt_code


def test_several_choices_are_a_list_on_check_your_answers(app, csp, respondent) -> None:
    r = respondent("csp")
    r.start("child_8_11", "form")
    r.answer("more_of", [("answer", "places_to_play"), ("answer", "feelings_help")])
    html = r.get("/c/csp/check").get_data(as_text=True)
    row = html.split("What would you like more of where you live?")[1].split("</div>")[0]
    items = re.findall(r"<li>(.*?)</li>", row, re.S)
    assert len(items) == 2, row
    assert "<ul" in row


def test_carry_on_now_goes_back_to_the_question_where_they_stopped(app, csp, respondent, client) -> None:
    r = respondent("csp")
    r.start("child_8_11", "form")
    r.answer("feel_safe", {"answer": "4"})
    r.answer("wellbeing", {"answer": "5"})
    html = r.get("/c/csp/save").get_data(as_text=True)
    code = receipt_code(html)
    carry_on = re.search(r'<a class="button" href="([^"]+)"', html).group(1)
    assert carry_on == "/c/csp/q/good_things"

    # On another day, with the receipt code: the same question, not check-your-answers.
    with client.session_transaction() as session:
        session.clear()
    page = r.post("/receipt", {"code": code, "find": "1"}, follow=False)
    assert page.status_code == 303 and page.headers["Location"].endswith("/c/csp/q/good_things")


def test_carry_on_with_everything_answered_goes_to_check(app, csp, respondent) -> None:
    r = respondent("csp")
    r.start("child_8_11", "form")
    from consult.extensions import db
    from consult.models import Question

    for core_id in db.session.scalars(db.select(Question.core_id).distinct()):
        r.post(f"/c/csp/q/{core_id}", [("q", core_id), ("skip", "1")])
    html = r.get("/c/csp/save").get_data(as_text=True)
    assert re.search(r'<a class="button" href="([^"]+)"', html).group(1) == "/c/csp/check"
