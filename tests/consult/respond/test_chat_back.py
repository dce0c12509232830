"""Chat mode, "Change my last answer": without JavaScript, like a browser posting the chat form.

The answer is reopened filled in, the new one replaces it (one stored row), the other answers stay,
the follow-up ("Can you tell me a bit more?") is neither lost nor asked twice, typing on the page
left behind comes back, and a stale or repeated Back or send is harmless.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from tests.conftest import csrf_from

HIDDEN = re.compile(r'<input [^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(name|value)="([^"]*)"')
BACK = "Change my last answer"


def hidden_fields(page: str) -> list[tuple[str, str]]:
    """Return the chat form's hidden fields (CSRF token, question, carried drafts) as a browser sends them."""
    form = page.split('id="chat-form"')[1].split("</form>")[0]
    fields = []
    for tag in HIDDEN.findall(form):
        attrs = dict(ATTR.findall(tag))
        fields.append((attrs["name"], htmllib.unescape(attrs.get("value", ""))))
    return fields


class Chat:
    """One person in chat mode, holding the page in front of them like a browser does."""

    def __init__(self, client, respondent, audience: str = "child_8_11", lang: str | None = None) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        if lang:
            page = client.get("/").get_data(as_text=True)
            client.post("/lang", data={"lang": lang, "next": "/", "csrf_token": csrf_from(page)})
        self.response = respondent("csp").start(audience, "chat")
        assert self.response.request.path == "/c/csp/chat"

    @property
    def page(self) -> str:
        return self.response.get_data(as_text=True)

    def press(self, *data: tuple[str, str], hidden: list[tuple[str, str]] | None = None):  # type: ignore[no-untyped-def]
        """Post the chat form on the page shown, with these fields and button; show the page after."""
        fields = hidden_fields(self.page) if hidden is None else hidden
        self.response = self.client.post("/c/csp/chat", data=MultiDict([*fields, *data]), follow_redirects=True)
        return self.response

    def asked(self) -> str:
        """Return the current question's text (the log's last guide message)."""
        current = self.page.split('id="chat-question"')[1].split("</div>")[0]
        return " ".join(htmllib.unescape(p) for p in re.findall(r"<p[^>]*>([^<]*)</p>", current))

    def log(self) -> str:
        return self.page.split('id="chat-log"')[1].split('id="chat-question"')[0]

    def answer_area(self) -> str:
        return self.page.split('id="chat-answer"')[1]

    def posted_q(self) -> str:
        return dict(hidden_fields(self.page))["q"]


def stored() -> dict:
    from consult.data import responses
    from consult.extensions import db
    from consult.models import Response

    [response] = db.session.scalars(select(Response)).all()
    db.session.refresh(response)
    return responses.answers_by_core_id(response)


def rows(core_id: str) -> int:
    from consult.extensions import db
    from consult.models import Answer

    return db.session.scalar(select(func.count()).select_from(Answer).where(Answer.core_id == core_id))


def test_change_last_face_stores_the_new_answer_once_and_keeps_the_others(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    assert BACK not in chat.page  # nothing to go back to on the first question
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    assert chat.posted_q() == "good_things"
    assert f">{BACK}</button>" in chat.page and 'name="back"' in chat.page

    page = chat.press(("back", "1"))
    assert page.status_code == 200 and page.request.path == "/c/csp/chat"
    assert chat.posted_q() == "wellbeing:change"
    assert "You can change your answer." in chat.asked() and "How do you feel on most days?" in chat.asked()
    # The earlier answer is marked, and the reopened question's old turn is out of the log.
    chosen = re.findall(r'<button type="submit" name="answer" value="([^"]+)" class="quick-reply[^"]*quick-chosen', chat.page)
    assert chosen == ["5"] and "(your answer)" in chat.answer_area()
    assert "How do you feel on most days?" not in chat.log() and "How safe do you feel where you live?" in chat.log()
    assert "Keep my old answer" in chat.page and BACK not in chat.page

    page = chat.press(("answer", "2"))
    assert chat.posted_q() == "good_things"  # carried on from where the child was
    answers = stored()
    assert answers["wellbeing"].value == 2 and answers["feel_safe"].value == 4
    assert set(answers) == {"feel_safe", "wellbeing"} and rows("wellbeing") == 1
    assert "How do you feel on most days?" in chat.log()


def test_back_keep_and_repeats_are_harmless(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    front = chat.page
    chat.press(("back", "1"))
    change_page = chat.page
    # A double-submitted Back shows the same page again and changes nothing.
    chat.press(("back", "1"), hidden=hidden_fields(front))
    assert chat.posted_q() == "wellbeing:change" and stored()["wellbeing"].value == 5
    # Keep my old answer: back where the child was, nothing stored.
    chat.press(("keep", "1"))
    assert chat.posted_q() == "good_things" and stored()["wellbeing"].value == 5 and rows("wellbeing") == 1
    # The change page sent twice (a double click, or Back in the browser and send again): one row.
    chat.press(("answer", "1"), hidden=hidden_fields(change_page))
    chat.press(("answer", "1"), hidden=hidden_fields(change_page))
    assert chat.posted_q() == "good_things"
    assert stored()["wellbeing"].value == 1 and rows("wellbeing") == 1 and set(stored()) == {"feel_safe", "wellbeing"}
    # A change for a question not answered yet stores nothing.
    fields = [(n, "good_things:change" if n == "q" else v) for n, v in hidden_fields(chat.page)]
    chat.press(("answer", "sneaky"), ("continue_", "1"), hidden=fields)
    assert "good_things" not in stored() and chat.posted_q() == "good_things"
    assert 'id="chat-answer"' in chat.page


def test_change_without_a_valid_token_keeps_the_answer_and_stores_nothing(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "the park and the pool"), ("continue_", "1"))
    chat.press(("back", "1"))
    assert chat.posted_q() == "good_things:change"
    fields = [(n, "stale" if n == "csrf_token" else v) for n, v in hidden_fields(chat.page)]
    page = chat.press(("answer", "the big park and the pool"), ("continue_", "1"), hidden=fields)
    assert page.status_code == 400 and "<title>Error:" in chat.page
    assert "the big park and the pool" in chat.page and chat.posted_q() == "good_things:change"
    assert stored()["good_things"].text == "the park and the pool"


def test_going_back_over_a_follow_up_keeps_the_extra_text_and_does_not_ask_again(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "the park"), ("continue_", "1"))
    assert chat.posted_q() == "good_things:more" and "Can you tell me a bit more?" in chat.asked()
    chat.press(("more", "It has swings and a big slide"), ("continue_", "1"))
    assert chat.posted_q() == "more_of"

    chat.press(("back", "1"))
    assert chat.posted_q() == "good_things:change"
    area = chat.answer_area()
    assert re.search(r'<textarea[^>]*id="answer"[^>]*>\s*the park</textarea>', area)
    assert re.search(r'<label class="label" for="more">Can you tell me a bit more\?</label>', area)
    assert re.search(r'<textarea[^>]*id="more"[^>]*>\s*It has swings and a big slide</textarea>', area)
    assert "Can you tell me a bit more?" not in chat.log()

    chat.press(("answer", "the play park"), ("more", "It has swings and a big slide"), ("continue_", "1"))
    assert chat.posted_q() == "more_of"  # not asked the follow-up a second time
    assert (stored()["good_things"].text, stored()["good_things"].follow_up) == ("the play park", "It has swings and a big slide")
    assert rows("good_things") == 1
    log = chat.log()
    assert "<p>the play park</p>" in log and "<p>It has swings and a big slide</p>" in log
    assert log.count("Can you tell me a bit more?") == 1

    # Changing just the extra text, then emptying it: the follow-up turn shows as skipped, still once.
    chat.press(("back", "1"))
    chat.press(("answer", "the play park"), ("more", "Swings, a slide and a zip line"), ("continue_", "1"))
    assert (stored()["good_things"].text, stored()["good_things"].follow_up) == ("the play park", "Swings, a slide and a zip line")
    chat.press(("back", "1"))
    chat.press(("answer", "the play park"), ("more", ""), ("continue_", "1"))
    assert stored()["good_things"].text == "the play park" and chat.posted_q() == "more_of"
    assert chat.log().count("Can you tell me a bit more?") == 1 and "msg-skipped" in chat.log()

    # Skip while changing: the question is skipped and its follow-up turn goes with it.
    chat.press(("back", "1"))
    chat.press(("skip", "1"))
    assert stored()["good_things"].skipped and chat.posted_q() == "more_of"
    assert "Can you tell me a bit more?" not in chat.log()
    assert {k for k, v in stored().items() if not v.skipped} == {"feel_safe", "wellbeing"}


def test_back_from_the_follow_up_keeps_what_was_typed_in_it(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "park"), ("continue_", "1"))
    assert chat.posted_q() == "good_things:more"
    chat.press(("more", "It has\nswings"), ("back", "1"))
    assert chat.posted_q() == "good_things:change"
    assert re.search(r'<textarea[^>]*id="answer"[^>]*>\s*park</textarea>', chat.answer_area())
    assert 'id="more"' not in chat.answer_area()  # the follow-up was not answered yet
    assert ("draft|good_things:more|more", "It has\nswings") in hidden_fields(chat.page)
    assert "good_things" in stored() and stored()["good_things"].text == "park"

    page = chat.press(("answer", "the park"), ("continue_", "1"))
    assert page.status_code == 200 and chat.posted_q() == "good_things:more"  # where the child was
    assert re.search(r'<textarea[^>]*id="more"[^>]*>\s*It has\r?\nswings</textarea>', chat.answer_area())
    assert stored()["good_things"].text == "the park"
    chat.press(("more", "It has swings"), ("continue_", "1"))
    assert chat.posted_q() == "more_of" and (stored()["good_things"].text, stored()["good_things"].follow_up) == ("the park", "It has swings")


def test_skipping_the_question_a_follow_up_was_waiting_for_moves_on(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "park"), ("continue_", "1"))
    chat.press(("back", "1"))
    chat.press(("skip", "1"))
    assert chat.posted_q() == "more_of" and stored()["good_things"].skipped
    assert "Can you tell me a bit more?" not in chat.page


def test_emptying_the_first_box_keeps_the_extra_text_as_the_answer(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "park"), ("continue_", "1"))
    chat.press(("more", "It has swings"), ("continue_", "1"))
    chat.press(("back", "1"))
    chat.press(("answer", ""), ("more", "It has swings"), ("continue_", "1"))
    assert chat.posted_q() == "more_of"
    answer = stored()["good_things"]
    assert answer.text == "It has swings" and not answer.skipped
    assert "<p>It has swings</p>" in chat.log() and "Can you tell me a bit more?" not in chat.log()


def test_typing_on_the_question_left_behind_comes_back(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "Half of what I wanted to say"), ("back", "1"))
    assert chat.posted_q() == "wellbeing:change" and "good_things" not in stored()
    chat.press(("answer", "3"))
    assert chat.posted_q() == "good_things" and stored()["wellbeing"].value == 3
    assert re.search(r'<textarea[^>]*id="answer"[^>]*>\s*Half of what I wanted to say</textarea>', chat.answer_area())
    assert "good_things" not in stored()
    # Keep my old answer gives the typing back as well.
    chat.press(("answer", "Half of what I wanted to say, and more"), ("back", "1"))
    chat.press(("keep", "1"))
    assert re.search(r">\s*Half of what I wanted to say, and more</textarea>", chat.answer_area())
    assert stored()["wellbeing"].value == 3


def test_changing_to_a_short_answer_asks_the_follow_up_once_then_carries_on(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "The park and the swimming pool and the library"), ("continue_", "1"))
    assert chat.posted_q() == "more_of"
    chat.press(("back", "1"))
    assert 'id="more"' not in chat.answer_area()
    chat.press(("answer", "park"), ("continue_", "1"))
    assert chat.posted_q() == "good_things:more"  # a short answer now: the follow-up, once
    chat.press(("more", "It has swings"), ("continue_", "1"))
    assert chat.posted_q() == "more_of" and (stored()["good_things"].text, stored()["good_things"].follow_up) == ("park", "It has swings")
    chat.press(("back", "1"))
    chat.press(("answer", "pk"), ("more", "It has swings"), ("continue_", "1"))
    assert chat.posted_q() == "more_of"
    assert (stored()["good_things"].text, stored()["good_things"].follow_up) == ("pk", "It has swings") and rows("good_things") == 1


def test_changing_a_choice_question_with_boxes_keeps_the_ticks(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    chat.press(("answer", "The park and the swimming pool and the library"), ("continue_", "1"))
    chat.press(("answer", "clubs"), ("answer", "places_to_play"), ("continue_", "1"))
    assert chat.posted_q() == "top_three"
    chat.press(("rank_1", "clubs"), ("back", "1"))
    assert chat.posted_q() == "more_of:change"
    checked = re.findall(r'<input checked[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*checked', chat.answer_area())
    assert {a or b for a, b in checked} == {"clubs", "places_to_play"}
    chat.press(("answer", "clubs"), ("continue_", "1"))
    assert chat.posted_q() == "top_three" and stored()["more_of"].value == ["clubs"]
    assert re.search(r'<option selected value="clubs">|<option value="clubs" selected>', chat.answer_area())


@pytest.mark.parametrize("lang", ["gd", "ar"])
def test_change_last_answer_in_gaelic_and_arabic(app, csp, respondent, client, lang) -> None:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(lang):
        back, keep, note = gettext(BACK), gettext("Keep my old answer"), gettext("You can change your answer.")
    chat = Chat(client, respondent, lang=lang)
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in chat.page
    chat.press(("answer", "4"))
    chat.press(("answer", "5"))
    assert f">{back}</button>" in chat.page
    chat.press(("back", "1"))
    assert chat.posted_q() == "wellbeing:change" and note in chat.asked() and f">{keep}</button>" in chat.page
    chat.press(("answer", "1"))
    assert chat.posted_q() == "good_things" and stored()["wellbeing"].value == 1 and rows("wellbeing") == 1


def test_odd_posts_to_back_and_change_are_refused_calmly(csp, respondent, client) -> None:
    chat = Chat(client, respondent)
    chat.press(("answer", "4"))
    token = csrf_from(chat.page)
    odd = [
        [("q", ":change"), ("answer", "1")],
        [("q", "nonsense:change"), ("keep", "1")],
        [("q", "feel_safe:change"), ("answer", "99")],
        [("q", "feel_safe:change"), ("draft|wellbeing|answer", "\x00\u202e<b>"), ("draft|../x|y", "z"), ("keep", "1")],
        [("q", "wellbeing"), ("back", "1"), ("draft|no_such|answer", "x"), ("draft|feel_safe:more|more", "old")],
        [("q", "feel_safe:more"), ("back", "1"), ("more", "x" * 30_000)],
    ]
    for fields in odd:
        page = client.post("/c/csp/chat", data=MultiDict([("csrf_token", token), *fields]), follow_redirects=True)
        assert page.status_code in (200, 400), (fields, page.status_code)
        assert "<b>" not in page.get_data(as_text=True)
    assert stored()["feel_safe"].value == 4 and set(stored()) == {"feel_safe"}
