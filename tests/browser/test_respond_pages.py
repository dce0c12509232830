"""axe-core on every respondent page, error states included, in en, gd and ar at 320 and 1280 px;
children's pages have 44 × 44 px targets. (The question pages of a whole run are checked in
test_respond_flow.py; the JavaScript niceties in test_respond_extras.py.)
"""

from __future__ import annotations

import re

import pytest

from .test_respond_flow import SLUG, TARGETS_JS, error_prefix, start_answering

COMBOS = [(lang, width) for lang in ("en", "gd", "ar") for width in (320, 1280)]


@pytest.mark.parametrize(("lang", "width"), COMBOS, ids=[f"{lang}-{w}" for lang, w in COMBOS])
def test_every_respondent_page_passes_axe(live_server, live_app, new_page, check_axe, shot, lang, width) -> None:
    page = new_page(width=width)
    error = error_prefix(live_app, lang)
    base = f"{live_server}/c/{SLUG}"
    seen: list[str] = []

    def go(selector: str) -> None:
        with page.expect_navigation():
            page.click(selector)

    def check(name: str, *, child: bool = True) -> None:
        check_axe(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"sideways scrolling: {name}"
        if child:
            assert page.evaluate(TARGETS_JS) == [], f"small targets: {name}"
        seen.append(name)

    page.goto(f"{live_server}/")
    if lang != "en":
        page.click(f"button[lang={lang}]")
    page.goto(f"{base}/")
    go("button[name=continue_]")  # nothing chosen
    assert page.title().startswith(error)
    check("audience error", child=False)
    page.check("input[value=child_5_8]")
    go("button[name=continue_]")
    page.wait_for_url(re.compile(r"/how\?"))
    assert page.locator(".adult-help").count() == 1
    check("how (under 8)")
    if width == 320:
        shot(page, f"respond-how-under8-{lang}-320")
    page.goto(f"{live_server}/privacy/child_5_8")
    check("privacy 5-8")
    page.goto(f"{live_server}/privacy/parent_carer")
    check("privacy adults", child=False)
    # A young person (agree_priority questions), form mode.
    page.goto(f"{base}/")
    start_answering(page, "young_12_17", "form", r"/q/")
    page.goto(f"{base}/q/priority_mental_health")
    page.check("input[name=answer][value=partly]")
    page.fill("#why", "w" * 1001)
    go("button[name=continue_]")
    assert page.title().startswith(error)
    check("agree priority error")
    # A child 8-11: rank error, check answers, save for later, delete page.
    page.goto(f"{base}/")
    start_answering(page, "child_8_11", "form", r"/q/feel_safe")
    go("button[name=continue_]")
    page.goto(f"{base}/q/top_three")
    page.select_option("#rank_1", "clubs")
    page.select_option("#rank_2", "clubs")
    go("button[name=continue_]")
    assert page.title().startswith(error)
    check("rank error")
    page.goto(f"{base}/q/area")
    check("area question")
    page.goto(f"{base}/q/groups")
    check("multiple choice")
    page.goto(f"{base}/check")
    check("check answers")
    if (lang, width) == ("ar", 1280):
        shot(page, "respond-check-ar-1280")
    page.goto(f"{base}/save")
    check("save for later")
    page.goto(f"{base}/delete")
    check("delete")
    # Chat mode, with an error state.
    page.goto(f"{base}/")
    start_answering(page, "child_8_11", "chat", r"/chat$")
    check("chat start")
    page.click("button.quick-reply[value='3']")
    page.wait_for_selector(".msg-me")
    page.click("button.quick-reply[value='3']")
    page.wait_for_selector("textarea#answer")
    page.fill("#answer", "c" * 801)
    page.click("button[name=continue_]")
    page.wait_for_selector("#chat-notices .error-summary")
    check("chat error")
    page.goto(f"{live_server}/receipt")
    page.fill("#code", "NOPE-NOPE-NOPE")
    go("button[name=find]")
    assert page.title().startswith(error)
    check("receipt error", child=False)
    page.goto(f"{base}/kiosk")
    check("kiosk", child=False)
    page.goto(f"{base}/kiosk/cleared")
    check("kiosk cleared", child=False)
    if (lang, width) == ("gd", 1280):
        shot(page, "respond-kiosk-gd-1280")
    assert len(seen) == 16
