"""CPU milliseconds and SQL queries per answer POST (and answer page), from N test-client requests.

Runs in this process on a throwaway SQLite database made by the migrations, with the shipped
Children's Services Plan template open; one respondent in form mode answers a face-scale question
N times (and a free-text one N times). Prints CPU ms per POST (process time), queries per POST,
and with --profile the top functions (by CPU time, not waits). "server alone" lines time the app
itself (the same WSGI environ handed to it each time, no test client), the least of five batches:
the closest figure to a gunicorn worker's CPU per request. PROFILE_DUMP=prefix saves the profiles.

    python bench/submit_profile.py [-n 200] [--profile] [--limits]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GUTH_ENV", "testing")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--sort", default="cumulative", help="pstats sort key with --profile (cumulative, tottime)")
    ap.add_argument("--limits", action="store_true", help="rate limits on, as in production (in-memory storage, "
                    "or Redis with --redis)")
    ap.add_argument("--database", help="an empty database to use instead of a throwaway SQLite file, "
                    "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench (its tables are created)")
    ap.add_argument("--redis", help="Redis URL for the rate limits' storage, e.g. redis://127.0.0.1:6379/14")
    args = ap.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import event

    from consult import create_app
    from consult.data import consultations
    from consult.extensions import db
    from forms import load_template

    tmp = tempfile.mkdtemp()
    config = {"SQLALCHEMY_DATABASE_URI": args.database or f"sqlite:///{tmp}/bench.db", "SERVER_NAME": "localhost"}
    if args.limits:
        config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=args.redis or "memory://",
                      RATELIMIT_SUBMIT_SESSION="100000 per minute", RATELIMIT_SUBMIT_ADDRESS="100000 per minute",
                      RATELIMIT_ANONYMOUS_POST="100000 per minute")
    app = create_app(config)
    with app.app_context():
        upgrade()
        p = consultations.create_partnership(name="Bench", local_authority="Bench Council", health_board="NHS Bench",
                                             areas=[("north", "North"), ("south", "South")])
        plan = consultations.create_plan(p, title="Plan", period_start=date(2026, 4, 1),
                                         period_end=date(2029, 3, 31), vision="v",
                                         priorities=[{"key": f"k{i}", "title": f"P{i}"} for i in range(3)])
        today = date.today()
        consultations.create_consultation(plan, load_template("childrens-services-plan"), slug="csp",
                                          opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=30),
                                          status="open")
        db.session.commit()
        engine = db.engine

    client = app.test_client()

    def token(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]

    page = client.get("/c/csp/")
    r = client.post("/c/csp/", data={"audience": "young_12_17", "csrf_token": token(page.get_data(as_text=True))})
    how = r.headers["Location"]
    page = client.get(how)
    r = client.post(how, data={"mode": "form", "start": "1", "csrf_token": token(page.get_data(as_text=True))})
    first = r.headers["Location"]
    html = client.get(first).get_data(as_text=True)
    core_id = first.rsplit("/", 1)[1]
    radio = re.search(r'type="radio"[^>]*name="([^"]+)"[^>]*value="([^"]+)"', html)
    if radio is None:
        radio = re.search(r'name="([^"]+)"[^>]*type="radio"[^>]*value="([^"]+)"', html)
    choice = {"q": core_id, radio.group(1): radio.group(2), "csrf_token": token(html)}  # type: ignore[union-attr]
    html = client.get("/c/csp/q/good_things").get_data(as_text=True)
    area = re.search(r'<textarea[^>]*name="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    text = {"q": "good_things", area: "More clubs after school and a safe path to the park, and somewhere warm.",
            "csrf_token": token(html)}

    queries = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_a):  # type: ignore[no-untyped-def]
        queries[0] += 1

    for label, path in [("GET /healthz", "/healthz"), ("GET question (face scale)", f"/c/csp/q/{core_id}"),
                        ("GET question (free text)", "/c/csp/q/good_things"), ("GET check answers", "/c/csp/check")]:
        for _ in range(10):  # warm up
            assert client.get(path).status_code == 200
        queries[0] = 0
        started = time.process_time()
        for _ in range(args.n):
            assert client.get(path).status_code == 200
        cpu = (time.process_time() - started) / args.n * 1000
        print(f"{label}: {cpu:.1f} CPU ms per page, {queries[0] / args.n:.1f} queries per page")
    # The server alone, without the test client's own work (building the request, the cookie jar): the
    # same WSGI environ each time, as gunicorn hands it over, so these come closest to the workers' CPU.
    from io import BytesIO
    from urllib.parse import urlencode

    from werkzeug.test import EnvironBuilder

    def wsgi_run(method: str, path: str, data: dict | None, n: int) -> float:
        body = urlencode(data).encode() if data else b""
        builder = EnvironBuilder(path=path, method=method, base_url="http://localhost", data=body or None,
                                 content_type="application/x-www-form-urlencoded" if body else None)
        environ = builder.get_environ()
        client._add_cookies_to_wsgi(environ)
        statuses = []

        def start_response(status, _headers, _exc_info=None):  # type: ignore[no-untyped-def]
            statuses.append(status)

        def once() -> None:
            env = dict(environ, **{"wsgi.input": BytesIO(body)})
            result = app(env, start_response)
            b"".join(result)  # a WSGI server reads the whole body, so the profile does too
            if hasattr(result, "close"):
                result.close()

        for _ in range(10):
            once()
        batches = []  # the least of five batches: other work on the machine only ever adds to a batch
        for _ in range(5):
            started = time.thread_time()
            for _ in range(max(1, n // 5)):
                once()
            batches.append((time.thread_time() - started) / max(1, n // 5) * 1000)
        cpu = min(batches)
        if args.profile:
            prof = cProfile.Profile(time.thread_time)
            prof.runcall(lambda: [once() for _ in range(n)])
            pstats.Stats(prof).sort_stats(args.sort).print_stats(int(os.environ.get("PROFILE_LINES", "35")))
            if os.environ.get("PROFILE_DUMP"):
                prof.dump_stats(f"{os.environ['PROFILE_DUMP']}-wsgi-{path.replace('/', '_')}.prof")
        assert statuses[-1][:3] in ("200", "303"), statuses[-1]
        return cpu

    for label, method, path, data in [("GET /healthz", "GET", "/healthz", None),
                                      ("answer POST (choice)", "POST", f"/c/csp/q/{core_id}", choice),
                                      ("answer POST (free text)", "POST", "/c/csp/q/good_things", text)]:
        print(f"server alone, {label}: {wsgi_run(method, path, data, args.n):.3f} CPU ms per request")

    for label, path, data in [("choice", f"/c/csp/q/{core_id}", choice), ("free text", "/c/csp/q/good_things", text)]:
        for _ in range(10):  # warm up
            assert client.post(path, data=data).status_code == 303
        queries[0] = 0
        prof = cProfile.Profile(time.thread_time) if args.profile else None  # CPU, not waits
        started = time.process_time()
        if prof:
            prof.enable()
        for _ in range(args.n):
            assert client.post(path, data=data).status_code == 303
        if prof:
            prof.disable()
        cpu = (time.process_time() - started) / args.n * 1000
        print(f"answer POST ({label}): {cpu:.1f} CPU ms per POST, {queries[0] / args.n:.1f} queries per POST")
        if prof:
            pstats.Stats(prof).sort_stats(args.sort).print_stats(int(os.environ.get("PROFILE_LINES", "35")))
            if os.environ.get("PROFILE_DUMP"):
                prof.dump_stats(f"{os.environ['PROFILE_DUMP']}-{label.replace(' ', '_')}.prof")


if __name__ == "__main__":
    main()
