"""Chat mode, "Change my last answer", in Chromium at 320 px with JavaScript on and off.

A child taps the wrong face, goes back, picks another; the half-typed answer on the next question is
still there; going back over a question with a follow-up keeps the extra text and does not ask again.
With JavaScript the log updates in place and adds only the new messages (what a screen reader reads
out); focus lands on the answer to give. axe finds nothing on the pages with the control.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from .test_respond_flow import TARGETS_JS, check_page, choose_audience, newest_id

RUNS = [("en", True), ("ar", True), ("ar", False), ("gd", False)]
WIDTH = 320

WATCH_LOG = """() => {
  window.__added = [];
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.dataset && n.dataset.msg) window.__added.push(n.dataset.msg);
  }).observe(document.getElementById('chat-log'), {childList: true});
}"""


def stored_answers(live_app, before: int):  # type: ignore[no-untyped-def]
    """Return (the new response's answers by core id, how many answer rows each question has)."""
    from consult.data import responses
    from consult.extensions import db
    from consult.models import Answer, Response

    with live_app.app_context():
        [response] = db.session.scalars(select(Response).where(Response.id > before)).all()
        counts = dict(db.session.execute(select(Answer.core_id, func.count()).where(Answer.response_id == response.id)
                                         .group_by(Answer.core_id)).all())
        return responses.answers_by_core_id(response), counts


@pytest.mark.parametrize(("lang", "javascript"), RUNS, ids=[f"{r[0]}-js{int(r[1])}-{WIDTH}" for r in RUNS])
def test_child_changes_the_last_answer_in_chat(live_server, live_app, new_page, check_axe, shot, lang,
                                               javascript) -> None:
    page = new_page(width=WIDTH, javascript=javascript)
    check = lambda p, child=True: check_page(p, check_axe, WIDTH, child=child, axe=javascript)  # noqa: E731
    before = newest_id(live_app)
    choose_audience(page, live_server, lang, "chat", check)
    page.wait_for_url(re.compile(r"/chat$"))
    back = page.locator("button[name=back]")
    assert back.count() == 0  # nothing to change on the first question
    if javascript:
        page.evaluate("window.__samePage = true")
        page.evaluate(WATCH_LOG)

    def press(target: str, now_asking: str) -> None:
        """Press a button; wait until the question asked is now_asking (its posted "q")."""
        if javascript:
            page.evaluate("window.__added = []")
            page.click(target)
        else:
            with page.expect_navigation():
                page.click(target)
        page.wait_for_selector(f'.msg-current[data-msg="{now_asking}-ask"]')

    press("button.quick-reply[value='4']", "wellbeing")
    press("button.quick-reply[value='5']", "good_things")
    # The control: a real button in the chat form, at least 44 × 44, axe-clean.
    assert back.count() == 1 and back.evaluate("b => b.tagName === 'BUTTON' && b.type === 'submit' && !!b.form")
    box = back.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    check(page)
    if lang == "ar":
        shot(page, f"chat-back-control-{lang}-js{int(javascript)}-{WIDTH}")

    # Half-way through typing the next answer, the child goes back to change the face.
    page.fill("#answer", "The park by the school")
    press("button[name=back]", "wellbeing:change")
    log = page.locator("#chat-log")
    assert log.locator('[data-msg="wellbeing-a"]').count() == 0
    chosen = page.locator(".quick-reply.quick-chosen")
    assert chosen.count() == 1 and chosen.get_attribute("value") == "5"
    assert page.locator("button[name=keep]").count() == 1 and back.count() == 0
    if javascript:
        assert page.evaluate("window.__added") == ["wellbeing:change-ask"]  # only the reopened question is read out
        assert page.evaluate("document.activeElement.classList.contains('quick-chosen')")
    check(page)
    if lang == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
        shot(page, f"chat-back-change-{lang}-js{int(javascript)}-{WIDTH}")

    press("button.quick-reply[value='2']", "good_things")
    assert page.input_value("#answer") == "The park by the school"  # nothing typed is lost
    assert log.locator('[data-msg="wellbeing-a"]').count() == 1
    if javascript:
        assert page.evaluate("window.__added") == ["wellbeing-q", "wellbeing-a", "good_things-ask"]
        assert page.evaluate("document.activeElement.id") == "answer"

    # A short answer gets the follow-up; going back over it keeps the extra text and does not ask again.
    page.fill("#answer", "Swings")
    press("button[name=continue_]", "good_things:more")
    page.fill("#more", "The big park has swings and a zip line")
    press("button[name=continue_]", "more_of")
    press("button[name=back]", "good_things:change")
    assert page.input_value("#answer") == "Swings"
    assert page.input_value("#more") == "The big park has swings and a zip line"
    if javascript:
        assert page.evaluate("document.activeElement.id") == "answer"
    check(page)
    if lang == "ar":
        shot(page, f"chat-back-follow-up-{lang}-js{int(javascript)}-{WIDTH}")
    page.fill("#answer", "Swings and slides")
    press("button[name=continue_]", "more_of")
    assert page.locator('.msg-current[data-msg="good_things:more-ask"]').count() == 0
    assert log.locator('[data-msg="good_things:more-a"]').inner_text().strip().endswith(
        "The big park has swings and a zip line")
    assert page.evaluate(TARGETS_JS) == []
    if javascript:
        assert page.evaluate("window.__samePage === true"), "the chat reloaded instead of updating in place"

    answers, rows = stored_answers(live_app, before)
    assert answers["feel_safe"].value == 4 and answers["wellbeing"].value == 2
    assert answers["good_things"].text == "Swings and slides"
    assert answers["good_things"].follow_up == "The big park has swings and a zip line"
    assert rows == {"feel_safe": 1, "wellbeing": 1, "good_things": 1}
