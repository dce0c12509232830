"""Issue 17 parts 1, 2 and 5 in a browser: an operator sets up a partnership and its first planner; a planner
gives the plan's outcome indicators baselines and targets, records a year's values, reads the progress chart,
and starts the annual review; axe on every new page."""

from __future__ import annotations

import re

from tests.browser.conftest import login_as, shows


def test_operator_and_plan_journey(live_app, live_server, new_page, check_axe, shot) -> None:
    base = live_server
    # the demo's operator (operator@guth.example, of no partnership) signs in
    page = new_page(width=1280)
    login_as(page, base, "operator@guth.example")
    assert page.url.endswith("/operator/")
    check_axe(page)
    page.get_by_role("link", name="Set up a partnership").click()
    page.fill("#name", "glenbrae children's services partnership (fictional)")  # the demo's own: a duplicate
    page.fill("#local_authority", "Strathmore Council")
    page.fill("#health_board", "NHS Strathmore")
    page.fill("#areas", "North\nSouth")
    page.get_by_label("Gàidhlig").check()
    page.get_by_role("button", name="Save partnership").click()
    assert shows(page, "There is a problem")
    check_axe(page)
    assert page.input_value("#local_authority") == "Strathmore Council"
    page.fill("#name", "Strathmore Partnership")
    page.get_by_role("button", name="Save partnership").click()
    assert shows(page, "Now add its first planner")
    check_axe(page)
    page.fill("#name", "Ailsa Planner")
    page.fill("#email", "ailsa@strathmore.example")
    page.fill("#password", "strathmore-2026")
    page.get_by_role("button", name="Add planner").click()
    assert shows(page, "can now sign in as a planner")
    assert "ailsa@strathmore.example" in page.content()
    check_axe(page)
    shot(page, "operator-partnership")

    page = new_page(width=1280)
    login_as(page, base, "planner@glenbrae.example")
    page.get_by_role("link", name="Plans", exact=True).click()
    check_axe(page)
    page.locator("table a[href*='/planner/plans/']").first.click()
    plan_url = page.url
    check_axe(page)
    page.get_by_role("link", name="Change the plan").click()
    check_axe(page)
    page.fill("#priorities-0-indicators-0-baseline", "31")
    page.fill("#priorities-0-indicators-0-target", "18")
    page.fill("#priorities-0-indicators-0-unit", "weeks")
    page.select_option("#priorities-0-indicators-0-direction", "down")
    page.get_by_role("button", name="Save plan").click()
    assert shows(page, "Plan saved")
    page.get_by_role("link", name="Record values for 2026/27").click()
    check_axe(page)
    page.locator("main input.input").first.fill("24")
    page.get_by_role("button", name="Save values").click()
    assert shows(page, "Progress on the outcome indicators")
    chart = page.locator("svg[role=img]").first
    assert "Baseline 31 weeks. 2026/27: 24 weeks. Target 18 weeks." in chart.locator("desc").text_content()
    check_axe(page)
    shot(page, "plan-progress")

    page.goto(plan_url)
    page.get_by_role("button", name="Start the annual review").click()
    assert shows(page, "review is ready as a draft")
    c = int(re.search(r"/planner/c/(\d+)/", page.url).group(1))
    page.goto(f"{base}/planner/c/{c}/year-on-year")
    assert shows(page, "Who answered")
    check_axe(page)
    shot(page, "year-on-year")
