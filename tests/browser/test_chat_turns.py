"""Chat mode turn by turn, in Chromium at 320 px: what a child on a phone notices after each answer.

With JavaScript: no script error on any turn, the log updates in place, a double tap sends once, and
the new question is in view. Without JavaScript: each turn's page opens at the current question
(a fragment anchor) with focus on it. Either way each hint is shown once.
"""

from __future__ import annotations

import re

from .test_respond_flow import SLUG, check_page, choose_audience

WIDTH = 320


def in_view(page) -> bool:  # type: ignore[no-untyped-def]
    """Return True when the current question's top is inside the window."""
    return page.evaluate("""() => { const r = document.getElementById('chat-question').getBoundingClientRect();
        return r.top >= -1 && r.top < window.innerHeight; }""")


def hints_once(page) -> None:  # type: ignore[no-untyped-def]
    texts = [t.strip() for t in page.locator("#chat .hint:not(.char-count)").all_inner_texts() if t.strip()]
    assert len(texts) == len(set(texts)), f"a hint shown twice: {texts}"


def test_chat_with_javascript_has_no_script_errors_and_sends_once(live_server, new_page, check_axe, shot) -> None:
    page = new_page(width=WIDTH, javascript=True)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/chat") else None)
    check = lambda p, child=True: check_page(p, check_axe, WIDTH, child=child)  # noqa: E731
    choose_audience(page, live_server, "en", "chat", check)
    page.wait_for_url(re.compile(r"/chat"))
    page.evaluate("window.__samePage = true")
    # Help is a few Tabs away, before the questions: the first link after the header on a child's page.
    assert page.evaluate("""() => { const help = [...document.querySelectorAll('a')].find(
        a => a.textContent.trim() === 'Worried about something? Get help now');
        return !!help && !!(help.compareDocumentPosition(document.getElementById('main'))
                            & Node.DOCUMENT_POSITION_FOLLOWING); }""")

    # A double tap on a face: one POST, one turn.
    page.locator("button.quick-reply[value='4']").dblclick()
    page.wait_for_selector('.msg-current[data-msg="wellbeing-ask"]')
    page.wait_for_timeout(300)
    assert len(posts) == 1, posts
    assert in_view(page)
    hints_once(page)

    page.click("button.quick-reply[value='5']")
    page.wait_for_selector('.msg-current[data-msg="good_things-ask"]')
    assert in_view(page)
    hints_once(page)
    page.fill("#answer", "The park by the school where we play football after tea")
    page.click("button[name=continue_]")
    page.wait_for_selector('.msg-current[data-msg="more_of-ask"]')
    assert in_view(page)
    hints_once(page)
    check(page)
    shot(page, f"chat-turns-js1-{WIDTH}")
    assert page.evaluate("window.__samePage === true"), "the chat reloaded instead of updating in place"
    assert len(posts) == 3, posts
    assert errors == [], errors


def test_chat_without_javascript_opens_at_the_current_question(live_server, new_page, check_axe, shot) -> None:
    page = new_page(width=WIDTH, javascript=False)
    check = lambda p, child=True: check_page(p, check_axe, WIDTH, child=child, axe=False)  # noqa: E731
    choose_audience(page, live_server, "ar", "chat", check)
    page.wait_for_url(re.compile(r"/chat"))
    for value, now_asking in (("4", "wellbeing"), ("5", "good_things")):
        with page.expect_navigation():
            page.click(f"button.quick-reply[value='{value}']")
        page.wait_for_selector(f'.msg-current[data-msg="{now_asking}-ask"]')
        assert page.url.endswith(f"/c/{SLUG}/chat#chat-question"), page.url
        assert page.evaluate("document.activeElement.id") == "chat-question"
        assert in_view(page)
        hints_once(page)
    check(page)
    shot(page, f"chat-turns-ar-js0-{WIDTH}")
