"""A planner writes 'You said, we did' per age band, is stopped from publishing a text too hard for 8–11,
fixes it, names a theme in Gàidhlig, previews the 8–11 page in Gàidhlig, publishes; the public reads it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.conftest import login_as, shows

SHOTS = Path("/tmp/shots-E")
HARD = "Comprehensive recreational infrastructure refurbishment was commissioned collaboratively."
EASY = "We fixed the swings in the park. You can play on them now."
GD_NAME, GD_CHILD_NAME = "Àiteachan-cluiche", "Àiteachan airson cluich"
GD_CHILD = "Chàraich sinn na dreallagan. Faodaidh tu cluich orra."


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_planner_previews_and_publishes_we_did_per_age_band(live_server, new_page, check_axe) -> None:
    base = live_server
    page = new_page(width=1280)
    login_as(page, base, "planner@glenbrae.example")
    page.goto(f"{base}/planner/")
    href = page.locator("table a[href*='/planner/c/']").first.get_attribute("href")
    c = int(re.search(r"/planner/c/(\d+)/", href).group(1))

    # An entry whose 8–11 text is too hard: saved, but publishing is refused and says where.
    page.goto(f"{base}/planner/c/{c}/we-did")
    places = page.locator("#target option[value^=t]", has_text="Places to play")
    option = places.first if places.count() else page.locator("#target option[value^=t]").first
    theme_id = option.get_attribute("value")[1:]
    page.select_option("#target", option.get_attribute("value"))
    page.check("#status-0")
    page.fill("#text-en-adult", "We are refurbishing play parks in every ward, starting with Kilmorie.")
    page.fill("#text-en-child_5_8", "We fixed the swings.")
    page.fill("#text-en-child_8_11", HARD)
    page.fill("#text-en-young_12_17", "Every play park near you has been fixed.")
    page.fill("#text-gd-child_8_11", GD_CHILD)
    page.get_by_role("button", name="Save").click()
    assert shows(page, "Too hard for ages 8 to 11")
    page.get_by_role("button", name="Publish").click()
    assert page.title().startswith("Error:") and shows(page, "is too hard to read")
    check_axe(page)
    _shot(page, "we-did-publish-refused")
    page.locator(".error-summary a", has_text="ages 8 to 11").first.click()
    assert page.locator("#text-en-child_8_11").input_value() == HARD  # nothing typed was lost
    assert re.search(rf"/planner/c/{c}/we-did/\d+", page.url), "on the entry's own page, to change it"
    check_axe(page)
    page.fill("#text-en-child_8_11", EASY)
    page.get_by_role("button", name="Save changes").click()
    assert shows(page, "Saved. Every child text is easy enough")

    # The theme's names in Gàidhlig, on the theme page.
    page.goto(f"{base}/planner/c/{c}/themes/{theme_id}")
    page.fill("#name-gd", GD_NAME)
    page.fill("#child_name-gd", GD_CHILD_NAME)
    page.get_by_role("button", name="Save names").click()
    assert shows(page, "Names for the public pages saved.")
    check_axe(page)

    # Preview the 8–11 page in English and in Gàidhlig before anyone else can see it.
    page.goto(f"{base}/planner/c/{c}/we-did")
    page.get_by_role("link", name=re.compile(r"^Preview\W+Children aged 8 to 11, English$")).click()
    assert shows(page, "Preview: not published yet") and shows(page, EASY)
    check_axe(page)
    _shot(page, "preview-8-11-en")
    page.locator(".preview-banner a[lang=gd]").click()
    assert page.locator("html").get_attribute("lang") == "gd"
    assert shows(page, GD_CHILD) and shows(page, GD_CHILD_NAME)
    check_axe(page)
    _shot(page, "preview-8-11-gd")

    page.goto(f"{base}/planner/c/{c}/we-did")
    page.get_by_role("button", name="Publish").click()
    assert shows(page, "Published.")

    # The public, in Gàidhlig, on a phone.
    public = new_page(width=320)
    public.goto(f"{base}/results/")
    public.locator("main a[href^='/results/']").first.click()
    public.click("button[lang=gd]")
    assert public.locator("html").get_attribute("lang") == "gd" and shows(public, GD_NAME)
    check_axe(public)
    _shot(public, "public-adult-gd-320")
    public.locator("main a[href$='/children']").click()
    assert shows(public, GD_CHILD_NAME) and shows(public, GD_CHILD)
    check_axe(public)
    assert public.evaluate("document.documentElement.scrollWidth") <= 320
    _shot(public, "public-child-8-11-gd-320")
    for band in ("5-8", "12-17"):  # the other age bands' own pages (in Gàidhlig, so found by address)
        public.locator(f"main a[href$='/children/{band}']").first.click()
        assert public.url.endswith(f"/children/{band}") and public.locator("html").get_attribute("lang") == "gd"
        assert public.evaluate("document.documentElement.scrollWidth") <= 320
        check_axe(public)
        _shot(public, f"public-child-{band}-gd-320")
