"""A member of the public reads the published 'You said, we did' pages, adult and child, English and Gàidhlig."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shows
from tests.browser.test_planner_journey import GD_ADULT, GD_CHILD


@pytest.fixture()
def published(live_server, live_app):  # type: ignore[no-untyped-def]
    """Make sure the demo consultation is published with an action in English and Gàidhlig."""
    from consult.data import actions, consultations, themes
    from consult.demo import SLUG
    from consult.extensions import db

    with live_app.app_context():
        c = consultations.get_by_slug(SLUG)
        if not any(a.texts.get("gd") for a in actions.actions_for(c)):
            theme = next(t for t, n, _p in themes.theme_table(c) if n)
            actions.create_action(c, status="done", theme=theme, priority=None, plan_action=None,
                                  texts={"en": {"adult": "We are refurbishing play parks in every ward.",
                                                "child": "We fixed the swings in the park."},
                                         "gd": {"adult": GD_ADULT, "child": GD_CHILD}}, reason="", user_id=None)
        actions.publish(c)
        db.session.commit()
        return c.slug


@pytest.mark.parametrize("width", [320, 1280])
def test_public_reads_adult_and_child_pages_in_english_and_gaelic(live_server, published, new_page, check_axe,
                                                                    shot, width) -> None:
    page = new_page(width=width)
    page.goto(f"{live_server}/results/")
    check_axe(page)
    page.locator(f"a[href='/results/{published}']").click()
    assert page.locator("h1").inner_text() == "You said, we did"
    assert shows(page, "responses")
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(f"main a[href='/results/{published}/children']").click()
    assert shows(page, "You said:")
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"public-child-en-{width}")
    page.click("button[lang=gd]")
    assert page.locator("html").get_attribute("lang") == "gd"
    assert shows(page, GD_CHILD)
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"public-child-gd-{width}")
    page.locator(f"main a[href='/results/{published}']").click()
    assert shows(page, GD_ADULT)
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"public-adult-gd-{width}")


def test_public_pages_work_without_javascript(live_server, published, new_page) -> None:
    page = new_page(width=320, javascript=False)
    page.goto(f"{live_server}/results/{published}/children")
    assert shows(page, "You said:")
    page.click("button[lang=gd]")
    assert shows(page, GD_CHILD)
