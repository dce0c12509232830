"""A young person (12 to 17) in Arabic and a parent in Polish walk the shipped consultation in form mode,
with JavaScript off and on: no English wording of their variant appears on any question page or on
check-your-answers, and axe-core finds nothing on those pages.
"""

from __future__ import annotations

import re

import pytest

from .test_chat_turns import in_view

SLUG = "glenbrae-csp-2026"  # the demo consultation: the shipped template as it is
RUNS = [
    ("young_12_17", "ar", False, 320),
    ("young_12_17", "ar", True, 1280),
    ("parent_carer", "pl", False, 1280),
    ("parent_carer", "pl", True, 320),
]
SHOTS = {("young_12_17", "ar", True): "more_of", ("parent_carer", "pl", False): "top_three"}


def english_wording(audience: str) -> list[str]:
    """Every English string of the audience's variant of the shipped template."""
    from forms import load_template
    from forms.i18n import definition_texts

    template = load_template("childrens-services-plan")
    return sorted({texts["en"] for code, _q, _f, texts in definition_texts(template) if code == audience})


def shown_of(page, wording: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Return those of the strings the page shows: in its text, its title or an image's alt text."""
    shown = "\n".join([page.title(), page.locator("body").inner_text(),
                       *page.eval_on_selector_all("img[alt]", "els => els.map(e => e.alt)")])
    return [w for w in wording if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", shown)]


def answer_something(page) -> None:  # type: ignore[no-untyped-def]
    """Answer a choice question with its first answer, rank one topic; leave free text empty (Skip)."""
    if page.locator("#rank_1").count():
        page.select_option("#rank_1", index=1)
        button = "button[name=continue_]"
    elif page.locator("input[name=answer]").count():
        page.locator("input[name=answer]").first.check()
        button = "button[name=continue_]"
    else:
        button = "button[name=skip]"
    with page.expect_navigation():
        page.click(button)


def choose(page, base: str, lang: str, audience: str) -> None:  # type: ignore[no-untyped-def]
    """Pick the language on the home page and the audience on the consultation's start page."""
    page.goto(f"{base}/")
    with page.expect_navigation():
        page.click(f"button[lang={lang}]")
    page.goto(f"{base}/c/{SLUG}/")
    page.check(f"input[value={audience}]")
    with page.expect_navigation():
        page.click("button[name=continue_]")


def begin(page, mode: str) -> None:  # type: ignore[no-untyped-def]
    """On the how-to-answer page, choose form or chat and start."""
    page.check(f"input[name=mode][value={mode}]")
    with page.expect_navigation():
        page.click("button[name=start]")


def axe_of(page, new_page, check_axe, width: int, javascript: bool, lang: str):  # type: ignore[no-untyped-def]
    """A check that axe finds nothing on the page the person sees. axe runs in the page, so with JavaScript off
    a twin page (same cookies, JavaScript on) checks it by its address; a GET changes nothing."""
    twin = new_page(width=width, javascript=True) if not javascript else None

    def axe(url: str) -> None:
        if twin is None:
            check_axe(page)
            return
        twin.context.clear_cookies()
        twin.context.add_cookies(page.context.cookies())
        twin.goto(url)
        assert twin.locator("html").get_attribute("lang") == lang
        check_axe(twin)

    return axe


@pytest.mark.parametrize(("audience", "lang", "javascript", "width"), RUNS,
                         ids=[f"{a}-{lang}-js{int(js)}-{w}" for a, lang, js, w in RUNS])
def test_question_pages_show_no_english(live_server, new_page, check_axe, shot, audience, lang, javascript,
                                        width) -> None:
    from forms import load_template

    wording = english_wording(audience)
    variant = load_template("childrens-services-plan").audience(audience)
    core_ids = variant.core_ids
    page = new_page(width=width, javascript=javascript)
    axe = axe_of(page, new_page, check_axe, width, javascript, lang)
    choose(page, live_server, lang, audience)
    assert shown_of(page, wording) == [], "English on the how-to-answer page"
    begin(page, "form")

    seen = []
    for core_id in core_ids:
        page.wait_for_url(re.compile(rf"/q/{core_id}$"))
        assert page.locator("html").get_attribute("lang") == lang
        assert shown_of(page, wording) == [], f"English on {core_id}"
        question = variant.question(core_id)
        assert shown_of(page, [question.text[lang]]), f"{core_id} not shown in {lang}"  # the check can see text
        assert page.locator("[lang=en][dir=ltr]").count() == 0  # nothing fell back
        assert page.locator(".fallback-note").count() == 0
        axe(page.url)
        if SHOTS.get((audience, lang, javascript)) == core_id:
            shot(page, f"respond-{audience}-{lang}-{core_id}-js{int(javascript)}-{width}")
        seen.append(core_id)
        answer_something(page)
    assert seen == core_ids
    page.wait_for_url(re.compile(r"/check$"))
    assert shown_of(page, wording) == [], "English on check your answers"
    axe(page.url)


@pytest.mark.parametrize(("audience", "lang", "javascript", "width"), RUNS,
                         ids=[f"{a}-{lang}-js{int(js)}-{w}" for a, lang, js, w in RUNS])
def test_chat_shows_no_english_and_opens_at_each_question(live_server, new_page, check_axe, shot, audience, lang,
                                                          javascript, width) -> None:
    """The same people in chat mode: every turn in their language, no script error, and after each answer the
    page is at the question now asked (with JavaScript off, the redirect's #chat-question and focus on it)."""
    wording = english_wording(audience)
    page = new_page(width=width, javascript=javascript)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    axe = axe_of(page, new_page, check_axe, width, javascript, lang)
    choose(page, live_server, lang, audience)
    begin(page, "chat")
    page.wait_for_url(re.compile(r"/chat(#chat-question)?$"))
    asked = []
    for turn in range(40):
        assert page.locator("html").get_attribute("lang") == lang
        assert shown_of(page, wording) == [], f"English in the chat at turn {turn}"
        assert page.locator("[lang=en][dir=ltr]").count() == 0
        current = page.locator(".msg-current").get_attribute("data-msg")
        asked.append(current)
        if turn:
            assert in_view(page), f"turn {turn} ({current}) does not open at the question"
            if not javascript:
                assert page.url.endswith("/chat#chat-question"), page.url
                assert page.evaluate("document.activeElement.id") == "chat-question"
        if turn < 3:
            axe(page.url)
        if turn == 2:
            shot(page, f"chat-{audience}-{lang}-js{int(javascript)}-{width}")
        reply = page.locator("button.quick-reply[name=answer]")
        button = reply.first if reply.count() else page.locator("button[name=skip]").first
        if javascript:
            button.click()
            page.wait_for_function(
                """(before) => location.pathname.endsWith('/check') ||
                   (document.querySelector('.msg-current') || {}).dataset?.msg !== before""", arg=current)
        else:
            with page.expect_navigation():
                button.click()
        if re.search(r"/check$", page.url.split("#")[0]):
            break
    else:
        raise AssertionError(f"the chat never finished: {asked}")
    # Without JavaScript the last redirect keeps the chat's #chat-question (a redirect with no fragment of its own
    # inherits it): no element of the check page has that id, so it opens at the top.
    page.wait_for_url(re.compile(r"/check(#chat-question)?$"))
    assert page.locator("#chat-question").count() == 0
    assert shown_of(page, wording) == [], "English on check your answers"
    assert len(asked) >= 10 and len(set(asked)) == len(asked), asked  # every turn moved on
    assert errors == [], errors
