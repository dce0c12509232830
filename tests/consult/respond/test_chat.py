"""Chat mode: the same questions and the same stored answers as form mode, one turn per post."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_from


def turn(client, slug: str, data: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """Post one chat turn the way the page's form does (no JavaScript); return the page after."""
    page = client.get(f"/c/{slug}/chat").get_data(as_text=True)
    import re

    q = re.search(r'name="q" value="([^"]+)"', page).group(1)
    from werkzeug.datastructures import MultiDict

    return client.post(f"/c/{slug}/chat", data=MultiDict([("csrf_token", csrf_from(page)), ("q", q), *data]),
                       follow_redirects=True)


def test_chat_conversation_stores_answers_like_form_mode(app, csp, respondent, client) -> None:
    r = respondent("csp")
    first = r.start("child_8_11", "chat")
    assert first.request.path == "/c/csp/chat"
    html = first.get_data(as_text=True)
    assert 'role="log"' in html and 'aria-live="polite"' in html
    assert "How safe do you feel where you live?" in html
    assert 'class="quick-reply' in html and 'name="answer" value="4"' in html
    page = turn(client, "csp", [("answer", "4")])
    html = page.get_data(as_text=True)
    assert "How do you feel on most days?" in html
    assert "msg-me" in html and ">Safe<" in html  # my answer is in the log
    turn(client, "csp", [("answer", "5")])
    # A very short free-text answer gets one gentle follow-up.
    page = turn(client, "csp", [("answer", "the park"), ("continue_", "1")])
    assert "Can you tell me a bit more?" in page.get_data(as_text=True)
    page = turn(client, "csp", [("more", "It has swings and a big slide"), ("continue_", "1")])
    html = page.get_data(as_text=True)
    assert "What would you like more of where you live?" in html
    assert "Can you tell me a bit more?" not in html.split("chat-answer")[1]
    log = html.split('id="chat-log"')[1].split('id="chat-answer"')[0]
    assert "<p>the park</p>" in log and "Can you tell me a bit more?" in log
    assert "<p>It has swings and a big slide</p>" in log
    turn(client, "csp", [("answer", "clubs"), ("continue_", "1")])
    turn(client, "csp", [("rank_1", "clubs"), ("continue_", "1")])
    turn(client, "csp", [("answer", "yes")])
    page = turn(client, "csp", [("answer", "More buses so we can get to the pool"), ("continue_", "1")])
    assert "Can you tell me a bit more?" not in page.get_data(as_text=True).split("chat-answer")[1]
    turn(client, "csp", [("answer", "dont_know")])
    turn(client, "csp", [("skip", "1")])
    page = turn(client, "csp", [("skip", "1")])
    assert page.request.path == "/c/csp/check"
    page = r.post("/c/csp/check", {"send": "1"})
    assert page.request.path == "/c/csp/done"

    from consult.data import responses
    from consult.extensions import db
    from consult.models import Response

    [response] = db.session.scalars(select(Response)).all()
    assert response.channel == "online_chat" and response.status == "submitted"
    answers = responses.answers_by_core_id(response)
    assert answers["feel_safe"].value == 4
    assert answers["good_things"].text == "the park"  # the follow-up reply in its own column
    assert answers["good_things"].follow_up == "It has swings and a big slide"
    assert answers["more_of"].value == ["clubs"]
    assert answers["area"].value == "dont_know" and response.area_id is None
    assert answers["anything_else"].skipped


def test_chat_errors_keep_typed_text_and_link_to_the_field(csp, respondent, client) -> None:
    r = respondent("csp")
    r.start("child_8_11", "chat")
    turn(client, "csp", [("answer", "4")])
    turn(client, "csp", [("answer", "5")])
    long = "word " * 200
    page = turn(client, "csp", [("answer", long), ("continue_", "1")])
    html = page.get_data(as_text=True)
    assert "<title>Error:" in html and 'href="#answer"' in html
    assert "800 characters or fewer" in html
    assert long.strip()[:50] in html


def test_chat_tampered_question_field_is_refused(csp, respondent, client) -> None:
    r = respondent("csp")
    r.start("child_8_11", "chat")
    page = client.get("/c/csp/chat").get_data(as_text=True)
    out = client.post("/c/csp/chat", data={"csrf_token": csrf_from(page), "q": "wellbeing", "answer": "3"})
    assert out.status_code == 200
    assert "This page was out of date" in out.get_data(as_text=True)


def test_chat_quick_reply_not_offered_is_an_error(csp, respondent, client) -> None:
    r = respondent("csp")
    r.start("child_8_11", "chat")
    page = turn(client, "csp", [("answer", "9")])
    html = page.get_data(as_text=True)
    assert "Choose one of the answers shown" in html and "<title>Error:" in html
