"""Issue 17's whole plan cycle in a browser, from an empty database with only the operator account.

The operator sets up a partnership and its first planner; the planner writes a plan with four priorities,
creates a consultation from the template, adds a question in the editor, previews it as an 8–11 in
Gàidhlig chat mode, words the invitation email and schedules the consultation; a child answers; it closes
on schedule (on a clock the test moves); the results are published without closing anything further; a
review consultation is started for year 2 and the year-on-year comparison shows both. axe on every new page.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.browser.conftest import login_as, shows


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An app on an empty migrated database holding only the operator's account (no demo)."""
    from flask_migrate import upgrade

    from consult import create_app
    from consult.data import users
    from consult.extensions import db

    db_path = tmp_path_factory.mktemp("cycle") / "guth.db"
    # The test runs the lifecycle sweep itself, at the moments it moves the clock to.
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "JOBS_MODE": "thread",
                      "WTF_CSRF_ENABLED": True, "LIFECYCLE_SWEEP_SECONDS": 0})
    with app.app_context():
        upgrade()
        users.create_user(email="operator@guth.example", name="Operator", password="guth-demo-2026",
                          roles=["operator"])
        db.session.commit()
    return app


def _sweep(live_app, day: date) -> dict:  # type: ignore[no-untyped-def]
    from consult import clock
    from consult.services import lifecycle

    clock.set_now(day)
    with live_app.app_context():
        return lifecycle.sweep()


def _consultation(live_app, cid: int):  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Consultation

    with live_app.app_context():
        c = db.session.get(Consultation, cid)
        return c.slug, c.status, c.published_at


def test_the_plan_cycle(live_app, live_server, new_page, check_axe, shot) -> None:
    from consult import clock

    base = live_server
    clock.set_now(date(2027, 1, 4))
    try:
        _journey(live_app, base, new_page, check_axe, shot)
    finally:
        clock.reset()


def _journey(live_app, base, new_page, check_axe, shot) -> None:  # type: ignore[no-untyped-def]
    # The operator: a partnership that consults in English and Gàidhlig, and its first planner.
    page = new_page(width=1280)
    login_as(page, base, "operator@guth.example")
    page.get_by_role("link", name="Set up a partnership").click()
    page.fill("#name", "Strathmore Partnership")
    page.fill("#local_authority", "Strathmore Council")
    page.fill("#health_board", "NHS Strathmore")
    page.fill("#areas", "North\nSouth")
    page.get_by_label("Gàidhlig").check()
    page.get_by_role("button", name="Save partnership").click()
    assert shows(page, "Now add its first planner")
    page.fill("#name", "Ailsa Planner")
    page.fill("#email", "ailsa@strathmore.example")
    page.fill("#password", "strathmore-2026")
    page.get_by_role("button", name="Add planner").click()
    assert shows(page, "can now sign in as a planner")

    # The planner: a plan with four priorities.
    page = new_page(width=1280)
    login_as(page, base, "ailsa@strathmore.example", "strathmore-2026")
    page.goto(f"{base}/planner/plans/new")
    check_axe(page)
    page.fill("#title", "Strathmore Children's Services Plan 2027 to 2030")
    page.fill("#period_start", "2027-04-01")
    page.fill("#period_end", "2030-03-31")
    page.fill("#vision", "Every child in Strathmore is safe, loved and heard.")
    for i, title in enumerate(["Mental health", "Safe places to play", "Child poverty", "Young carers"]):
        page.fill(f"#priorities-{i}-title", title)
        page.fill(f"#priorities-{i}-description", f"What we will do about {title.lower()}.")
    page.get_by_role("button", name="Save plan").click()
    assert shows(page, "Plan saved")
    plan_url = page.url.split("?")[0]
    assert re.search(r"/planner/plans/\d+$", plan_url), plan_url

    # A consultation from the template, in English and Gàidhlig.
    page.goto(f"{base}/planner/consultations/new")
    check_axe(page)
    page.fill("#title", "Strathmore Children's Services Plan consultation")
    page.locator("input[name=start_from]").first.check()
    page.get_by_label("Gàidhlig").check()
    page.fill("#opens_on", "2027-02-01")
    page.fill("#closes_on", "2027-03-15")
    page.get_by_role("button", name="Create the consultation").click()
    page.wait_for_url(re.compile(r"/planner/c/\d+/"))
    cid = int(re.search(r"/planner/c/(\d+)/", page.url).group(1))

    # A question added in the editor, for 8 to 11s, then the Gàidhlig chat preview.
    page.goto(f"{base}/planner/c/{cid}/questions")
    check_axe(page)
    page.check("#add-audience-child_8_11")
    page.select_option("#qtype", "short_text")
    page.fill("#wording", "What would make your school day better?")
    page.get_by_role("button", name="Add the question").click()
    assert shows(page, "What would make your school day better?")
    page.goto(f"{base}/planner/c/{cid}/preview?audience=child_8_11&lang=gd&mode=chat")
    assert shows(page, "chat mode")
    assert page.locator(".preview-frame").get_attribute("lang") == "gd"
    check_axe(page)
    shot(page, "cycle-preview-gd-chat")

    # The invitation email in the partnership's own words: an unknown placeholder is refused, then a preview.
    page.goto(f"{base}/planner/settings/emails/invitation")
    check_axe(page)
    page.fill("#body-en", page.input_value("#body-en") + "\nWith thanks, {sender}")
    page.get_by_role("button", name="Preview").click()
    assert shows(page, "{sender} is not a placeholder this email can use")
    check_axe(page)
    page.fill("#body-en", page.input_value("#body-en").replace("\nWith thanks, {sender}", "\nWith thanks."))
    page.get_by_role("button", name="Preview").click()
    assert shows(page, "Dear Alex Morgan")
    # Links are built from the configured external address, never the address the browser used.
    assert f"{live_app.config['GUTH_BASE_URL']}/org/EXAMPLE-LINK" in page.locator("#preview-en").locator("xpath=..").inner_text()
    check_axe(page)
    shot(page, "cycle-email-preview")

    # Schedule it: four weeks' notice, six weeks to answer.
    page.goto(f"{base}/planner/c/{cid}/schedule")
    check_axe(page)
    page.fill("#remind_on", "2027-03-01")
    page.get_by_role("button", name="Save and schedule it").click()
    assert shows(page, "The consultation is now: Scheduled.")
    check_axe(page)
    assert _sweep(live_app, date(2027, 2, 1))["opened"] == 1
    page.reload()
    assert shows(page, "Open: people can answer until the end of 15 March 2027")
    shot(page, "cycle-schedule-open")
    slug = _consultation(live_app, cid)[0]

    # A child of 8 to 11 answers, in form mode.
    child = new_page(width=375)
    child.goto(f"{base}/c/{slug}/")
    child.check("input[value=child_8_11]")
    child.click("button[name=continue_]")
    child.check("input[name=mode][value=form]")
    child.click("button[name=start]")
    child.wait_for_url(re.compile(r"/q/"))
    child.check("input[name=answer][value='4']")
    with child.expect_navigation():
        child.click("button[name=continue_]")
    for _ in range(40):
        if re.search(r"/check(#[\w-]*)?$", child.url):
            break
        if child.locator("#answer").count() and child.locator("textarea#answer").count():
            child.fill("#answer", "More clubs after school")
            button = "button[name=continue_]"
        else:
            button = "button[name=skip]" if child.locator("button[name=skip]").count() else "button[name=continue_]"
        with child.expect_navigation():
            child.click(button)
    with child.expect_navigation():
        child.click("button[name=send]")
    child.wait_for_url(re.compile(r"/done(#[\w-]*)?$"))

    # It closes on schedule.
    assert _sweep(live_app, date(2027, 3, 16))["closed"] == 1
    page.reload()
    assert shows(page, "Closed on 15 March 2027")
    assert _consultation(live_app, cid)[1] == "closed"

    # Results published: nothing else changes.
    _record_action(live_app, cid)
    page.goto(f"{base}/planner/c/{cid}/we-did")
    page.get_by_role("button", name="Publish").click()
    assert shows(page, "Published")
    _slug, status, published_at = _consultation(live_app, cid)
    assert status == "closed" and published_at is not None
    page.goto(f"{base}/planner/c/{cid}/schedule")
    assert shows(page, "Results published")
    check_axe(page)
    shot(page, "cycle-schedule-published")

    # Year 2: a review consultation copied from this one, and the year-on-year comparison.
    page.goto(plan_url)
    page.select_option("#year", "2028")
    page.fill("#opens_on", "2029-01-10")
    page.fill("#closes_on", "2029-02-21")
    page.get_by_role("button", name="Start the annual review").click()
    assert shows(page, "review is ready as a draft")
    review = int(re.search(r"/planner/c/(\d+)/", page.url).group(1))
    assert review != cid
    page.goto(f"{base}/planner/c/{review}/year-on-year")
    assert shows(page, "Who answered")
    text = page.locator("main").inner_text()
    assert "against “Strathmore Children's Services Plan consultation”" in text
    row = page.locator("tr", has_text="Children aged 8 to 11").first.inner_text()
    assert re.search(r"0 \(0%\)\s+1 \(100%\)", row), row  # this year's review: none yet; last year: the child
    check_axe(page)
    shot(page, "cycle-year-on-year")


def _record_action(live_app, cid: int) -> None:  # type: ignore[no-untyped-def]
    """Record one thing done (the 'You said, we did' editor has its own browser test)."""
    from consult.extensions import db
    from consult.models import Action, Consultation

    with live_app.app_context():
        c = db.session.get(Consultation, cid)
        priority = c.plan.priorities[0]
        texts = {"en": {"adult": "We opened two more youth clubs.", "child": "We opened two new clubs."}}
        db.session.add(Action(consultation_id=cid, status="done", priority_id=priority.id, texts=texts))
        db.session.commit()
