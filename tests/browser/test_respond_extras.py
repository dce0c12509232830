"""The JavaScript niceties on respondent pages: read aloud in the page language, character count,
nothing shown that needs JavaScript when it is off, and kiosk clearing after inactivity.
"""

from __future__ import annotations

import re

from .test_respond_flow import SLUG, start_answering


def test_read_aloud_speaks_in_the_page_language(live_server, new_page) -> None:
    page = new_page(width=1280)
    page.goto(f"{live_server}/")
    page.click("button[lang=gd]")
    page.goto(f"{live_server}/c/{SLUG}/")
    start_answering(page, "child_8_11", "form", r"/q/feel_safe")
    page.evaluate("""() => { window.__spoken = [];
      window.speechSynthesis.speak = (u) => window.__spoken.push([u.lang, u.text]); }""")
    button = page.locator("button.read-aloud")
    assert button.is_visible()
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0][0] == "gd"
    assert "A bheil thu sàbhailte far a bheil thu a' fuireach?" in spoken[0][1]
    assert "Sàbhailte" in spoken[0][1]
    # The character count on a free-text question.
    page.goto(f"{live_server}/c/{SLUG}/q/good_things")
    page.fill("#answer", "Abc")
    assert "797" in page.locator(".char-count").inner_text()


def test_read_aloud_button_is_hidden_without_javascript(live_server, new_page) -> None:
    page = new_page(width=320, javascript=False)
    page.goto(f"{live_server}/c/{SLUG}/")
    start_answering(page, "child_8_11", "form", r"/q/feel_safe")
    assert not page.locator("button.read-aloud").is_visible()


def test_kiosk_clears_after_inactivity_in_the_browser(live_server, live_app, new_page) -> None:
    page = new_page(width=1280)
    live_app.config["KIOSK_IDLE_SECONDS"] = 2
    try:
        page.goto(f"{live_server}/c/{SLUG}/kiosk")
        page.click("button[name=start]")
        page.wait_for_url(re.compile(rf"/c/{SLUG}/$"))
        start_answering(page, "child_8_11", "form", r"/q/feel_safe")
        page.check("input[name=answer][value='4']")
        page.click("button[name=continue_]")
        page.wait_for_url(re.compile(r"/q/wellbeing"))
        page.wait_for_url(re.compile(r"/kiosk/cleared$"), timeout=8000)  # nobody touched it
        page.goto(f"{live_server}/c/{SLUG}/q/wellbeing")
        assert page.url.endswith(f"/c/{SLUG}/")  # the answers in progress are gone from this device
    finally:
        live_app.config["KIOSK_IDLE_SECONDS"] = 120
