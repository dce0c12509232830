"""The planner's results workbench, issue 16's review from end to end, on the demo data.

Filter the results to 8–11 in Gàidhlig and read the face-scale chart and its table; search "bus" and
move 5 answers to Transport in one go; undo it from the coding history; export the pack; share a link.
axe on every page met on the way (search, history, the needs-a-person list and the share page).
"""

from __future__ import annotations

import os
import re
import time

import pytest

from tests.browser.conftest import demo_app, login_as, shows

SHOTS = "/tmp/shots-C"
# The smaller demo the other journeys use holds 4 answers about the bus; 250 responses hold 7.
RESPONSES = max(250, int(os.environ.get("GUTH_BROWSER_DEMO_RESPONSES", "150")))


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The conftest's live app, with a demo big enough to move 5 answers about the bus."""
    return demo_app(tmp_path_factory, RESPONSES)


def _look(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    Path(SHOTS).mkdir(exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _tags(page, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    items = page.locator("#answers-list > li")
    return [" ".join(items.nth(i).locator(".tag").all_inner_texts()) for i in range(n)]


def test_review_filter_search_bulk_move_undo_export_share(live_server, new_page, check_axe, shot) -> None:
    base = live_server
    page = new_page(width=1280)
    login_as(page, base, "planner@glenbrae.example")
    page.goto(f"{base}/planner/")
    page.locator("table a[href*='/planner/c/']").first.click()
    c = int(re.search(r"/planner/c/(\d+)/", page.url).group(1))

    # 1. Results by question, 8–11 in Gàidhlig: the face scale as a chart and as a table.
    page.get_by_role("link", name="Results by question").click()
    page.locator("summary", has_text="Filter these results").click()
    page.select_option("#filter-age", "8-11")
    page.select_option("#filter-language", "gd")
    page.get_by_role("button", name="Apply filters").click()
    assert shows(page, "Showing only:") and "age=8-11" in page.url and "language=gd" in page.url
    safe = page.locator("#q-feel_safe")
    _look(page, "results-8-11-gd")
    assert safe.locator("svg[role=img]").count() == 1
    assert safe.locator("table thead th").all_inner_texts()[1:] == ["Age 8–11"]

    # 2. Search "bus", tick 5 answers and move them to Transport.
    page.get_by_role("link", name="Search answers").click()
    page.get_by_label("Words to look for").fill("bus")
    page.get_by_role("button", name="Search", exact=True).click()
    assert shows(page, "answers found")
    found = int(re.search(r"(\d+) answers? found", page.content()).group(1))
    assert found >= 5, f"the demo has {found} answers about the bus"
    check_axe(page)
    before = _tags(page, 5)
    boxes = page.locator("#answers-list input[type=checkbox]")
    for i in range(5):
        boxes.nth(i).check()
    page.select_option("#theme", label="Transport")
    started = time.perf_counter()
    page.get_by_role("button", name="Move to this theme").click()
    assert shows(page, "Moved 5 answers to “Transport”.")
    print(f"bulk move of 5 answers: {time.perf_counter() - started:.2f} s")
    assert "q=bus" in page.url, "back on the same search"
    assert _tags(page, 5) == ["Transport"] * 5
    _look(page, "search-bus-moved")
    shot(page, "workbench-search-moved")

    # 3. The history says who moved what; undo puts the codes back.
    page.get_by_role("link", name="Coding history and undo").click()
    row = page.locator("tbody tr").first
    assert "Moved answers" in row.inner_text() and "Transport" in row.inner_text()
    check_axe(page)
    row.get_by_role("button", name=re.compile("^Undo")).click()
    assert shows(page, "Undone:")
    assert "Undid change" in page.locator("tbody tr").first.inner_text()
    check_axe(page)
    _look(page, "coding-history-undone")
    page.goto(f"{base}/planner/c/{c}/search?q=bus")
    assert _tags(page, 5) == before, "the answers have their themes from before the move"

    page.goto(f"{base}/planner/c/{c}/coding/needs-a-person")
    assert shows(page, "Answers that need a person")
    check_axe(page)
    _look(page, "needs-a-person")

    # 4. Export the pack (its CSV of headline figures) and 5. share a read-only view.
    page.get_by_role("link", name="Evidence pack").click()
    with page.expect_download() as got:
        page.get_by_role("link", name=re.compile(r"\(CSV\)$")).first.click()
    assert got.value.suggested_filename.endswith(".csv")
    page.get_by_role("link", name=re.compile("^Share a read-only view of the pack")).click()
    page.get_by_label("Who it is for (optional)").fill("Children's services board")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Make a link").click()
    assert shows(page, "Your link is ready")
    check_axe(page)
    visitor = new_page(width=375)
    link = page.locator("#made-url").input_value()
    visitor.goto(base + "/shared/" + link.split("/shared/", 1)[1])  # the link names GUTH_BASE_URL's port
    assert shows(visitor, "A read-only view shared by")
