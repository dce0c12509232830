"""The chat as a conversation model, the follow-up reply in its own column, and bad chat input.

Bad input (a tampered session value, a conversation held under an earlier definition, a follow-up to
a question since skipped, a language switch half-way through a follow-up) gets a clear page in the
person's language with what they typed, never a 500.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.respond.conversation import GONE, STALE, TAMPERED, Conversation
from forms import AnswerData
from tests.conftest import csrf_from

from .test_chat import turn

CORE = ["a", "b", "c"]


def test_transitions_ask_each_follow_up_once() -> None:
    conv, problem = Conversation.load(None, rid=1, version=1, core_ids=CORE, answers={})
    assert problem is None and conv.front(CORE, {}) == ("a", False)
    answers = {"a": AnswerData(text="park")}
    conv = conv.answered("a", wants_follow_up=True)
    assert conv.front(CORE, answers) == ("a", True)
    assert Conversation.last_answered(conv.front(CORE, answers), CORE) == "a"
    conv = conv.followed_up()
    assert conv.front(CORE, answers) == ("b", False)
    assert conv.answered("a", wants_follow_up=True).follow is None  # never asked twice
    assert conv.changed("a", skipped=False, wants_follow_up=True).follow is None
    waiting = conv.answered("b", wants_follow_up=True)
    assert waiting.changed("b", skipped=True, wants_follow_up=False).follow is None  # a skip: no follow-up
    assert waiting.finished().follow is None
    again, problem = Conversation.load(waiting.dump(), rid=1, version=1, core_ids=CORE,
                                       answers={**answers, "b": AnswerData(text="x")})
    assert problem is None and again == waiting


def test_load_never_fails_and_says_why() -> None:
    answers = {"a": AnswerData(text="park"), "b": AnswerData(skipped=True)}
    good = {"rid": 1, "v": 1, "follow": None, "asked": ["a"]}
    for raw in ("nonsense", [1], {"rid": "1", "v": 1}, {**good, "asked": "a"}, {**good, "evil": 1},
                {**good, "follow": 3}, {**good, "asked": [1]}):
        conv, problem = Conversation.load(raw, rid=1, version=1, core_ids=CORE, answers=answers)
        assert problem == TAMPERED and conv.follow is None and conv == Conversation(rid=1, version=1), raw
    assert Conversation.load({**good, "v": 2}, rid=1, version=3, core_ids=CORE, answers=answers)[1] == STALE
    assert Conversation.load({**good, "rid": 9}, rid=1, version=1, core_ids=CORE, answers=answers)[1] is None
    for follow in ("b", "gone", "c"):  # skipped, no longer asked, not answered
        conv, problem = Conversation.load({**good, "follow": follow}, rid=1, version=1, core_ids=CORE,
                                          answers=answers)
        assert problem == GONE and conv.follow is None


def _to_follow_up(r, client):  # type: ignore[no-untyped-def]
    r.start("child_8_11", "chat")
    turn(client, "csp", [("answer", "4")])
    turn(client, "csp", [("answer", "5")])
    page = turn(client, "csp", [("answer", "the park"), ("continue_", "1")])
    assert "Can you tell me a bit more?" in page.get_data(as_text=True)


def _answer(core_id: str):  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer

    db.session.expire_all()
    return db.session.scalar(select(Answer).where(Answer.core_id == core_id))


def test_follow_up_reply_is_stored_apart_and_shown_apart(app, csp, respondent, client) -> None:
    from consult.services.answers import text_for_analysis

    r = respondent("csp")
    _to_follow_up(r, client)
    turn(client, "csp", [("more", "It has swings, email me at jo.bloggs@example.com"), ("continue_", "1")])
    answer = _answer("good_things")
    assert answer.text == "the park" and "swings" in answer.follow_up
    assert "jo.bloggs@example.com" not in answer.follow_up  # redacted like the answer itself
    assert text_for_analysis(answer).startswith("the park\n\nIt has swings")
    html = client.get("/c/csp/check").get_data(as_text=True)
    row = html.split("the park")[1].split("</dd>")[0]
    assert 'class="answers-follow-up-question"' in row and 'class="answers-follow-up"' in row


def test_follow_up_reply_loses_invisible_characters(app, csp, respondent, client) -> None:
    r = respondent("csp")
    _to_follow_up(r, client)
    turn(client, "csp", [("more", "It has\u202e swings\u200b"), ("continue_", "1")])
    assert _answer("good_things").follow_up == "It has swings"


def test_skipped_follow_up_is_recorded_as_skipped(app, csp, respondent, client) -> None:
    r = respondent("csp")
    _to_follow_up(r, client)
    page = turn(client, "csp", [("skip", "1")])
    assert "What would you like more of where you live?" in page.get_data(as_text=True)
    assert _answer("good_things").follow_up == ""


def test_tampered_chat_state_gives_a_clear_page(app, csp, respondent, client) -> None:
    r = respondent("csp")
    _to_follow_up(r, client)
    with client.session_transaction() as session:
        session["chat"] = {"rid": "'; drop table answer", "follow": ["x"]}
    page = client.get("/c/csp/chat")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Something went wrong with this conversation" in html
    assert "<p>the park</p>" in html  # the answers are all still there
    assert 'name="q" value="more_of"' in html


def test_stale_conversation_after_the_definition_changed(app, csp, respondent, client) -> None:
    from consult.extensions import db

    r = respondent("csp")
    _to_follow_up(r, client)
    csp.definition_version = (csp.definition_version or 1) + 1
    db.session.commit()
    page = client.get("/c/csp/chat")
    assert page.status_code == 200
    assert "Some questions changed since you started" in page.get_data(as_text=True)


def test_follow_up_to_a_question_since_skipped_keeps_the_typing(app, csp, respondent, client) -> None:
    r = respondent("csp")
    _to_follow_up(r, client)
    chat = client.get("/c/csp/chat").get_data(as_text=True)
    r.answer("good_things", {"skip": "1"})  # in another tab, in form mode
    out = client.post("/c/csp/chat", data={"csrf_token": csrf_from(chat), "q": "good_things:more",
                                           "more": "The swings by the river", "continue_": "1"})
    html = out.get_data(as_text=True)
    assert out.status_code == 200 and "The swings by the river" in html
    assert "You skipped that question" in html
    assert _answer("good_things").skipped and _answer("good_things").follow_up is None


def test_language_switch_mid_follow_up(app, csp, respondent, client) -> None:
    r = respondent("csp")
    _to_follow_up(r, client)
    chat = client.get("/c/csp/chat").get_data(as_text=True)
    client.post("/lang", data={"lang": "pl", "next": "/c/csp/chat", "csrf_token": csrf_from(chat)})
    page = client.get("/c/csp/chat")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="pl"' in html
    assert 'name="q" value="good_things:more"' in html  # still on the follow-up, now in Polish
    out = turn(client, "csp", [("more", "Huśtawki i zjeżdżalnia"), ("continue_", "1")])
    assert out.status_code == 200 and _answer("good_things").follow_up == "Huśtawki i zjeżdżalnia"
