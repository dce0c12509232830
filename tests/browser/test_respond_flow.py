"""A child of 8 to 11 completes the Glenbrae demo in chat mode and in form mode, with JavaScript on
and off, in English, Gàidhlig and Arabic; axe-core and tap-target checks on every page on the way.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

SLUG = "glenbrae-csp-2026"
TARGETS_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || r.left < -1000) continue;
    if (el.closest('[hidden]')) continue;
    if (r.width < 44 || r.height < 44) bad.push([el.tagName, el.id || el.name || el.textContent.trim().slice(0, 30),
                                               Math.round(r.width), Math.round(r.height)]);
  }
  return bad;
}"""


def error_prefix(live_app, lang: str) -> str:  # type: ignore[no-untyped-def]
    """Return "Error:" in the page language (the start of every error page's title)."""
    from flask_babel import force_locale, gettext

    with live_app.test_request_context(), force_locale(lang):
        return gettext("Error:")


def check_page(page, check_axe, width: int, *, child: bool = True, axe: bool = True) -> None:  # type: ignore[no-untyped-def]
    """axe finds nothing, nothing scrolls sideways, and (on children's pages) every target is 44 × 44.

    With JavaScript off axe cannot run in the page; the axe tour below covers those pages.
    """
    if axe:
        check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"sideways scrolling on {page.url}"
    if child:
        assert page.evaluate(TARGETS_JS) == [], f"small targets on {page.url}"


def newest_id(live_app) -> int:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response

    with live_app.app_context():
        return db.session.scalar(select(func.max(Response.id))) or 0


def stored_since(live_app, before: int):  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response

    with live_app.app_context():
        rows = db.session.scalars(select(Response).where(Response.id > before)).all()
        return [(r.audience, r.language, r.channel, r.status, len(r.answers)) for r in rows]


def choose_audience(page, base: str, lang: str, mode: str, check) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/")
    if lang != "en":
        page.click(f"button[lang={lang}]")
    page.goto(f"{base}/c/{SLUG}/")
    check(page, child=False)
    page.check("input[value=child_8_11]")
    page.click("button[name=continue_]")
    page.wait_for_url(re.compile(r"/how\?"))
    check(page)
    page.check(f"input[name=mode][value={mode}]")
    page.click("button[name=start]")


def start_answering(page, audience: str, mode: str, lands_on: str) -> None:  # type: ignore[no-untyped-def]
    """On a consultation's start page, choose an audience and a way to answer; wait to land on lands_on."""
    page.check(f"input[value={audience}]")
    page.click("button[name=continue_]")
    page.check(f"input[name=mode][value={mode}]")
    page.click("button[name=start]")
    page.wait_for_url(re.compile(lands_on))


def continue_(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.click("button[name=continue_]")


def finish(page, check, shot=None, name: str = "") -> str:  # type: ignore[no-untyped-def]
    # After a chat turn the browser keeps the turn's #chat-question fragment across the redirect.
    page.wait_for_url(re.compile(r"/check(#[\w-]*)?$"))
    assert page.locator("h1").inner_text() != ""
    check(page)
    with page.expect_navigation():
        page.click("button[name=send]")
    page.wait_for_url(re.compile(r"/done(#[\w-]*)?$"))
    check(page)
    if shot:
        shot(page, name)
    return page.locator(".receipt-code").inner_text().strip()


FORM_RUNS = [("en", True, 1280), ("gd", False, 320), ("ar", True, 320)]


@pytest.mark.parametrize(("lang", "javascript", "width"), FORM_RUNS, ids=[f"{r[0]}-js{int(r[1])}-{r[2]}" for r in FORM_RUNS])
def test_child_completes_demo_in_form_mode(live_server, live_app, new_page, check_axe, shot, lang, javascript,
                                           width) -> None:
    page = new_page(width=width, javascript=javascript)
    check = lambda p, child=True: check_page(p, check_axe, width, child=child, axe=javascript)  # noqa: E731
    before = newest_id(live_app)
    choose_audience(page, live_server, lang, "form", check)
    page.wait_for_url(re.compile(r"/q/feel_safe$"))
    assert page.locator("html").get_attribute("lang") == lang
    check(page)
    # An error state first: Continue with nothing chosen on a required-looking page is fine (Skip), so
    # post a text that is too long instead, later. Face scale:
    page.check("input[name=answer][value='4']")
    continue_(page)
    page.check("input[name=answer][value='5']")
    continue_(page)
    # Free text: too long first, to see the error state.
    page.fill("#answer", "a" * 801)
    continue_(page)
    assert page.title().startswith(error_prefix(live_app, lang))
    assert page.locator(".error-summary").count() == 1
    if javascript:
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check(page)
    assert page.input_value("#answer") == "a" * 801
    if lang == "ar":
        shot(page, f"respond-form-error-{lang}-{width}")
    page.fill("#answer", "The park and the swimming pool")
    continue_(page)
    page.check("input[name=answer][value=places_to_play]")
    page.check("input[name=answer][value=clubs]")
    check(page)
    if lang == "ar":
        shot(page, f"respond-form-{lang}-{width}")
    continue_(page)
    page.select_option("#rank_1", "clubs")
    page.select_option("#rank_2", "feelings_help")
    check(page)
    continue_(page)
    page.check("input[name=answer][value=yes]")
    continue_(page)
    page.fill("#answer", "More buses to the pool")
    continue_(page)
    page.check("input[name=answer][value=kilmorie]")
    check(page)
    continue_(page)
    with page.expect_navigation():
        page.click("button[name=skip]")
    page.fill("#answer", "No thank you")
    continue_(page)
    code = finish(page, check, shot, f"respond-form-done-{lang}-{width}")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert stored_since(live_app, before) == [("child_8_11", lang, "online_form", "submitted", 10)]


CHAT_RUNS = [("gd", True, 320), ("ar", False, 1280), ("en", True, 1280)]


@pytest.mark.parametrize(("lang", "javascript", "width"), CHAT_RUNS, ids=[f"{r[0]}-js{int(r[1])}-{r[2]}" for r in CHAT_RUNS])
def test_child_completes_demo_in_chat_mode(live_server, live_app, new_page, check_axe, shot, lang, javascript,
                                           width) -> None:
    page = new_page(width=width, javascript=javascript)
    check = lambda p, child=True: check_page(p, check_axe, width, child=child, axe=javascript)  # noqa: E731
    before = newest_id(live_app)
    choose_audience(page, live_server, lang, "chat", check)
    page.wait_for_url(re.compile(r"/chat$"))
    check(page)
    if javascript:
        page.evaluate("window.__samePage = true")

    def say(click: str | None = None, fill: tuple[str, str] | None = None, button: str = "button[name=continue_]"):
        mine = page.locator(".msg-me").count()
        if fill:
            page.fill(*fill)
        target = click or button
        if javascript:
            page.click(target)
            page.wait_for_function(f"document.querySelectorAll('.msg-me').length > {mine} || "
                                   "!!document.querySelector('#chat-notices .error-summary, .msg-current [data-msg$=more-ask]') || "
                                   "document.querySelector('[data-msg$=\":more-ask\"]') !== null || location.pathname.endsWith('/check')")
        else:
            with page.expect_navigation():
                page.click(target)

    say(click="button.quick-reply[value='4']")
    assert page.locator(".msg-me").count() == 1
    say(click="button.quick-reply[value='5']")
    # A too-short answer gets one gentle follow-up.
    say(fill=("#answer", "Swings"))
    page.wait_for_selector("#more")
    check(page)
    say(fill=("#more", "The big park has swings and a zip line"))
    page.wait_for_selector("input[name=answer][value=clubs]")
    assert "The big park has swings and a zip line" in page.locator("#chat-log").inner_text()
    page.check("input[name=answer][value=clubs]")
    check(page)
    say()
    page.wait_for_selector("#rank_1")
    page.select_option("#rank_1", "places_to_play")
    say()
    say(click="button.quick-reply[value=yes]")
    # An error in chat: too long.
    page.fill("#answer", "b" * 801)
    if javascript:
        page.click("button[name=continue_]")
        page.wait_for_selector("#chat-notices .error-summary")
    else:
        with page.expect_navigation():
            page.click("button[name=continue_]")
    assert page.title().startswith(error_prefix(live_app, lang)) and page.locator(".error-summary").count() == 1
    assert page.input_value("#answer") == "b" * 801
    check(page)
    say(fill=("#answer", "A youth club that is open on Saturdays"))
    say(click="button.quick-reply[value=dont_know]")
    page.wait_for_selector("input[name=answer][value=young_carer]")
    say(button="button[name=skip]")
    page.wait_for_selector("textarea#answer")
    check(page)
    if lang == "gd":
        shot(page, f"respond-chat-{lang}-{width}")
    if javascript:
        assert page.evaluate("window.__samePage === true"), "the chat reloaded instead of updating in place"
        log = page.locator("#chat-log")
        assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
        page.fill("#answer", "Thank you")
        with page.expect_navigation():
            page.click("button[name=continue_]")
    else:
        say(fill=("#answer", "Thank you"))
    finish(page, check)
    assert stored_since(live_app, before) == [("child_8_11", lang, "online_chat", "submitted", 10)]
