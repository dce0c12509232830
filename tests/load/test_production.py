"""Guth as in production: 2 gunicorn workers sharing only PostgreSQL and Redis; a class of 30 at once;
a worker killed mid-run; a double-clicked submit. Loopback only, bounded, stops by itself."""

from __future__ import annotations

import random
import threading
import time

import pytest

from tests.load.conftest import db_rows
from tests.load.formbot import HttpBrowser, answer_consultation, fill, main_form, parse_forms
from tests.load.loadgen import receipt_hash, run_class
from tests.load.server import DEMO_SLUG

pytestmark = pytest.mark.postgres


def _assert_each_acknowledged_once(database_url: str, codes: list[str]) -> None:
    assert codes, "some submissions were acknowledged"
    hashes = [receipt_hash(c) for c in codes]
    rows = db_rows(database_url, "select receipt_hash, status, (select count(*) from answer a where a.response_id = r.id) "
                   "from response r where receipt_hash = any(%s)", hashes)
    found = {h: (status, answers) for h, status, answers in rows}
    missing = [c for c, h in zip(codes, hashes, strict=True) if h not in found]
    assert not missing, f"acknowledged but not stored: {missing}"
    assert len(rows) == len(set(hashes)), "each receipt code is stored exactly once"
    assert all(status == "submitted" and answers > 0 for status, answers in found.values())


def test_production_server_serves_pages_with_headers_and_secure_cookies(guth) -> None:  # type: ignore[no-untyped-def]
    browser = HttpBrowser(guth.base)
    status, headers, html = browser._request("GET", "/")
    assert status == 200 and "Have your say" in html
    assert "object-src 'none'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert not any(ch.isdigit() for ch in headers.get("server", ""))
    status, headers, html = browser._request("GET", "/staff/login")
    assert "__Host-guth=" in headers.get("set-cookie", "") and "Secure" in headers["set-cookie"]
    assert "HttpOnly" in headers["set-cookie"] and "SameSite=Lax" in headers["set-cookie"]
    # Staff sign in through the real form, across both workers (the session lives in PostgreSQL).
    form = main_form(parse_forms(html))
    data = [(k, v) for k, v in fill(form, random.Random(0), lambda f: "")]
    data = [(k, "planner@glenbrae.example" if k == "email" else "guth-demo-2026" if k == "password" else v)
            for k, v in data]
    signed_in = browser.post(f"{guth.base}/staff/login", data)
    assert signed_in.status == 200 and "/planner" in signed_in.url
    for _ in range(6):  # keep-alive off and on: whichever worker answers, the session holds
        browser.close()
        assert browser.get(f"{guth.base}/planner/").status == 200
    browser.close()


def test_class_of_30_completes_the_demo_consultation(guth) -> None:  # type: ignore[no-untyped-def]
    result = run_class(guth.base, DEMO_SLUG, pupils=30, deadline_s=240)
    print("\n" + result.summary("class of 30 (2 gunicorn workers, PostgreSQL, Redis)"))
    assert result.completed == 30, [j.errors for j in result.journeys if not j.completed] + result.exceptions
    assert result.errors == 0
    _assert_each_acknowledged_once(guth.database_url, result.acknowledged)


def test_killing_a_worker_loses_no_acknowledged_submission(guth) -> None:  # type: ignore[no-untyped-def]
    killed: list[int] = []

    def kill_when_busy(done: int) -> None:
        if done == 2 and not killed:
            killed.append(guth.kill_a_worker())

    def killer() -> None:  # also kill one mid-run on a timer, whatever has finished by then
        time.sleep(2.0)
        if not killed:
            killed.append(guth.kill_a_worker())

    threading.Thread(target=killer, daemon=True).start()
    result = run_class(guth.base, DEMO_SLUG, pupils=12, retries=10, deadline_s=240, on_progress=kill_when_busy)
    print("\n" + result.summary(f"class of 12 with worker {killed} killed by SIGKILL"))
    assert killed, "a worker was killed during the run"
    _assert_each_acknowledged_once(guth.database_url, result.acknowledged)
    assert result.completed >= 11, "pupils reload and carry on after a worker dies"
    # gunicorn replaced the worker: the server answers again with two workers.
    deadline = time.monotonic() + 60
    while len(guth.worker_pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(guth.worker_pids()) == 2
    assert HttpBrowser(guth.base).get(f"{guth.base}/healthz").status == 200


def test_double_clicked_submit_stores_one_response(guth) -> None:  # type: ignore[no-untyped-def]
    """Answer everything, then press Send twice at once (two connections, same session)."""
    first = HttpBrowser(guth.base)
    check_page = []

    def stop_at_check(page) -> None:  # type: ignore[no-untyped-def]
        if page.url.rstrip("/").endswith("/check"):
            check_page.append(page)
            raise _AtCheck

    try:
        answer_consultation(first, f"{guth.base}/c/{DEMO_SLUG}/", rng=random.Random(3), on_page=stop_at_check)
    except _AtCheck:
        pass
    assert check_page, "reached the check-answers page"
    form = main_form(parse_forms(check_page[0].html))
    data = fill(form, random.Random(0), lambda f: "")
    second = HttpBrowser(guth.base)
    second.cookies = dict(first.cookies)
    before = db_rows(guth.database_url, "select count(*) from response where status = 'submitted'")[0][0]
    pages: list = []
    barrier = threading.Barrier(2)

    def press(b: HttpBrowser) -> None:
        barrier.wait()
        pages.append(b.post(check_page[0].url, data))

    threads = [threading.Thread(target=press, args=(b,)) for b in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    after = db_rows(guth.database_url, "select count(*) from response where status = 'submitted'")[0][0]
    assert all(p.status == 200 for p in pages), [p.status for p in pages]
    assert after - before == 1, "two presses, one response"
    assert any(p.url.rstrip("/").endswith("/done") for p in pages)


class _AtCheck(Exception):
    pass


def test_celery_worker_runs_the_daily_retention_entry(guth, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What Celery beat sends once a day, a worker runs: the retention job is recorded and done."""
    import subprocess
    import sys

    from celery import Celery

    from consult.services.retention import BEAT_ENTRY
    from tests.load.server import ROOT

    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "consult.worker:celery", "worker", "--pool=solo",
                               "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
                               "--loglevel=WARNING"], cwd=ROOT, env=guth.env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        sender = Celery(broker=guth.env["CELERY_BROKER_URL"])
        from consult.celery_app import celery as guth_celery

        assert guth_celery.conf.beat_schedule[BEAT_ENTRY]["task"] == "guth.retention"
        sender.send_task("guth.retention")
        deadline = time.monotonic() + 90
        rows = []
        while time.monotonic() < deadline:
            rows = db_rows(guth.database_url, "select state from job where kind = 'retention'")
            if rows and rows[-1][0] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert rows and rows[-1][0] == "done", (rows, (tmp_path / "worker.log").read_text()[-2000:])
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
