"""Browser tests: the real app served on 127.0.0.1, driven in Debian's Chromium through Playwright.

Fixtures:
- live_server: base URL of the app on a free loopback port, with a migrated SQLite database holding a
  small Glenbrae demo (analysis done). One per test file, so a file that publishes (which closes the
  consultation) or changes data cannot break another file's journey.
- browser: a Chromium browser (Debian's /usr/bin/chromium, never a downloaded one).
- new_page(width=1280, javascript=True, lang=None): a page in a fresh context (cookies isolated).
- check_axe(page): assert axe-core finds no WCAG 2.2 A/AA violations on the page.
- shot(page, name): save a full-page screenshot under screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test."""
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def demo_app(tmp_path_factory: pytest.TempPathFactory, responses: int):  # type: ignore[no-untyped-def]
    """Return an app on a migrated SQLite file with a demo of this many responses loaded (analysis done)."""
    from flask_migrate import upgrade

    from consult import create_app
    from consult.demo import load_demo

    db_path = tmp_path_factory.mktemp("live") / "guth.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "JOBS_MODE": "thread",
                      "DEMO": True, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        upgrade()
        app.config["JOBS_MODE"] = "sync"
        load_demo(responses=responses, seed=7)
        app.config["JOBS_MODE"] = "thread"
    return app


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Return the app the live server serves, on a migrated SQLite file with a small demo loaded."""
    return demo_app(tmp_path_factory, int(os.environ.get("GUTH_BROWSER_DEMO_RESPONSES", "150")))


@pytest.fixture(scope="module")
def live_server(live_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Serve the app on a free 127.0.0.1 port in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Launch Debian's Chromium once per session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def new_page(browser) -> Iterator[Callable]:  # type: ignore[no-untyped-def]
    """Return a factory of pages, each in its own context; all closed after the test."""
    contexts = []

    def make(width: int = 1280, javascript: bool = True, lang: str | None = None):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript,
                                      bypass_csp=True, locale=lang or "en-GB",
                                      extra_http_headers={"Accept-Language": lang} if lang else None)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for c in contexts:
        c.close()


@pytest.fixture()
def check_axe() -> Callable:
    """Return a function asserting axe-core finds no WCAG 2.2 A/AA violations on a page."""

    def run(page) -> None:  # type: ignore[no-untyped-def]
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})", AXE_TAGS)
        problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
        assert problems == [], f"axe violations on {page.url}: {problems}"

    return run


@pytest.fixture()
def shot() -> Callable:
    """Return a function saving a full-page screenshot to screenshots/NAME.png."""

    def take(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login_as(page, base: str, email: str, password: str = "guth-demo-2026") -> None:  # type: ignore[no-untyped-def]
    """Sign a demo member of staff in through the login page."""
    page.goto(f"{base}/staff/login")
    page.fill("#email", email)
    page.fill("#password", password)
    # The form's own button, not the language buttons in the header above it.
    page.locator("main").locator("button[type=submit], input[type=submit]").click()
    page.wait_for_load_state()
    assert "/staff/login" not in page.url, "sign-in failed"


def shows(page, text: str, timeout_s: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    """Return True once the page shows text: a click's navigation may still be under way when we look."""
    import time

    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if text in page.content():
                return True
        except PlaywrightError:  # the page is between two documents: look again in a moment
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)
