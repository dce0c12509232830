"""The layout every page shares, in English, Gàidhlig and Arabic, at phone and desktop widths."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["en", "gd", "ar"])
def test_start_page_passes_axe_in_each_language(live_server, new_page, check_axe, shot, lang, width) -> None:
    page = new_page(width=width, lang=lang)
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no horizontal scrolling"
    shot(page, f"start-{lang}-{width}")


def test_language_switcher_works_without_javascript(live_server, new_page) -> None:
    page = new_page(javascript=False)
    page.goto(live_server + "/help")
    page.click("button[lang=gd]")
    assert page.url.endswith("/help")
    assert page.locator("html").get_attribute("lang") == "gd"


def test_skip_link_is_first_and_moves_focus_to_main(live_server, new_page) -> None:
    page = new_page()
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_help_link_on_every_respondent_page(live_server, new_page) -> None:
    page = new_page()
    for path in ("/", "/help", "/results/"):
        page.goto(live_server + path)
        assert page.get_by_role("link", name="Worried about something? Get help now").count() == 1
