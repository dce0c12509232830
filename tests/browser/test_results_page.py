"""A planner reads the results by question, filters them to 8–11 in Gàidhlig, and sees them as published."""

from __future__ import annotations

import re

from tests.browser.conftest import login_as, shows


def _gaelic_8_11(app, values) -> None:  # type: ignore[no-untyped-def]
    """Add submitted 8–11 responses in Gàidhlig answering the face scale "feel_safe" (the small demo has few)."""
    import hashlib
    from datetime import UTC, datetime

    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Answer, Consultation, Response

    with app.app_context():
        c = db.session.scalar(select(Consultation))
        variant = next(v for v in c.variants if v.audience == "child_8_11")
        question = next(q for q in variant.questions if q.core_id == "feel_safe")
        for i, value in enumerate(values):
            r = Response(consultation_id=c.id, variant_id=variant.id, audience="child_8_11", language="gd",
                         channel="online_form", status="submitted", submitted_at=datetime.now(UTC),
                         receipt_hash=hashlib.sha256(f"results-gd-{i}".encode()).hexdigest())
            db.session.add(r)
            db.session.flush()
            db.session.add(Answer(response_id=r.id, question_id=question.id, core_id="feel_safe", value=value))
        db.session.commit()


def test_results_filtered_to_8_11_in_gaidhlig(live_app, live_server, new_page, check_axe, shot) -> None:
    base = live_server
    _gaelic_8_11(live_app, [5, 5, 4, 4, 4, 4, 3, 2])
    page = new_page(width=1280)
    login_as(page, base, "planner@glenbrae.example")
    page.goto(f"{base}/planner/")
    page.locator("table a[href*='/planner/c/']").first.click()
    page.get_by_role("link", name="Results by question").click()
    assert shows(page, "Exact counts: not for publication.")
    check_axe(page)

    page.locator("summary", has_text="Filter these results").click()
    page.select_option("#filter-age", "8-11")
    page.select_option("#filter-language", "gd")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert re.search(r"age=8-11", page.url) and "language=gd" in page.url  # a bookmarkable view
    assert shows(page, "Showing only:")
    safe = page.locator("#q-feel_safe")
    chart = safe.locator("svg[role=img]")
    assert chart.count() == 1 and "Age 8–11" in (chart.locator("desc").text_content() or "")
    table = safe.locator("table")
    assert table.locator("thead th").all_inner_texts()[1:] == ["Age 8–11"]  # only the 8–11s, nobody else
    answered = int(table.locator("tfoot td").first.inner_text())
    assert answered >= 8
    check_axe(page)
    shot(page, "results-8-11-gaidhlig")

    page.get_by_role("link", name="Show the figures as they would be published").click()
    assert shows(page, "As published.")
    assert "age=8-11" in page.url and "view=published" in page.url
    cells = page.locator("#q-feel_safe tbody td").all_inner_texts()
    assert cells and all(c == "0" or c in ("fewer than 5", "not shown") or int(c) >= 5 for c in cells)
    check_axe(page)
    shot(page, "results-8-11-gaidhlig-published")

    phone = new_page(width=375)
    login_as(phone, base, "planner@glenbrae.example")
    phone.goto(page.url.replace("&view=published", "").replace("view=published&", ""))
    check_axe(phone)
    shot(phone, "results-8-11-gaidhlig-phone")

    # A free-text question links to its answers: the search page lists them, ready to code.
    page.goto(page.url.split("?", 1)[0])
    page.get_by_role("link", name=re.compile(r"^Read the \d+ answers? in people's own words")).first.click()
    assert shows(page, "Answers to the question:") and "question=" in page.url
    assert page.locator("#answers-list > li").count() >= 1
    check_axe(page)
    shot(page, "results-question-answers")
