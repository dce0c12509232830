"""Submit-path throughput as a ratio to a bare Flask endpoint served the same way (target >= 0.40).

Starts, on 127.0.0.1 only: a PostgreSQL server of its own (or a fresh database on TEST_DATABASE_URL's
server), Redis, Guth in its production configuration under gunicorn (deploy/gunicorn.conf.py), and
the bare Flask app of bench/submit_bare_app.py under the same gunicorn settings. Then, for a fixed
time each, C client threads with keep-alive connections POST:

- bare: POST /submit (read the form, 303) — the baseline;
- answer (choice): a respondent's answer to a face-scale question (CSRF check, validation, save, commit, 303);
- answer (free text): a free-text answer (the same plus redaction and the safeguarding screen).

Each Guth client has its own respondent session, started through the real pages. Prints
requests/second, p50/p95 and the ratios. Bounded: --seconds per phase; everything stops at the end.

    python bench/submit_ratio.py [--workers 2] [--threads 4] [--clients 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load import server  # noqa: E402
from tests.load.formbot import HttpBrowser, fill, main_form, parse_forms  # noqa: E402


def hammer(make_request, clients: int, seconds: float) -> tuple[int, int, list[float]]:  # type: ignore[no-untyped-def]
    """Run clients threads calling make_request(i) until time is up; return (ok, errors, latencies)."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    ok, errors, latencies = [0], [0], []

    def run(i: int) -> None:
        mine = []
        good = bad = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status = make_request(i)
            except Exception:
                status = 599
            mine.append(time.perf_counter() - started)
            if status < 400:
                good += 1
            else:
                bad += 1
        with lock:
            ok[0] += good
            errors[0] += bad
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return ok[0], errors[0], latencies


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000 if values else 0.0


def respondent_sessions(base: str, slug: str, n: int) -> list[tuple[HttpBrowser, str, list[tuple[str, str]]]]:
    """Start n respondents in form mode; return (browser, question URL, posted data) for the first question."""
    sessions = []
    for i in range(n):
        b = HttpBrowser(base)
        page = b.get(f"{base}/c/{slug}/")
        form = main_form(parse_forms(page.html))
        data = [(k, "young_12_17" if k == "audience" else v) for k, v in fill(form, random.Random(i), lambda f: "")]
        page = b.post(page.url, data)
        form = main_form(parse_forms(page.html))
        data = [(k, "form" if k == "mode" else v) for k, v in fill(form, random.Random(i), lambda f: "")]
        data = [(k, v) for k, v in data if k != "easy_read"]
        page = b.post(page.url, data)
        sessions.append((b, page.url, page.html))
    return sessions


def guth_phases(guth, args, label: str) -> dict:  # type: ignore[no-untyped-def]
    """Measure the answer POSTs (a choice, then free text) on a running Guth."""
    results = {}
    sessions = respondent_sessions(guth.base, server.DEMO_SLUG, args.clients)
    posts = []
    for b, url, html in sessions:
        form = main_form(parse_forms(html))
        data = [(k, v) for k, v in fill(form, random.Random(1), lambda f: "") if k != "skip"]
        posts.append((b, urlsplit(url).path, urlencode(data)))

    def choice(i: int) -> int:
        b, path, body = posts[i]
        return b._request("POST", path, body)[0]

    hammer(choice, args.clients, 3)
    results[f"answer POST (choice){label}"] = hammer(choice, args.clients, args.seconds)

    text_posts = []
    for b, _url, _html in sessions:
        page = b.get(f"{guth.base}/c/{server.DEMO_SLUG}/q/good_things")
        form = main_form(parse_forms(page.html))
        data = [(k, v) for k, v in fill(form, random.Random(2), lambda f: "More clubs after school and a "
                "safe path to the park, and somewhere warm to go.") if k != "skip"]
        text_posts.append((b, urlsplit(page.url).path, urlencode(data)))

    def text(i: int) -> int:
        b, path, body = text_posts[i]
        return b._request("POST", path, body)[0]

    results[f"answer POST (free text){label}"] = hammer(text, args.clients, args.seconds)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()

    with server.redis() as redis_url, server.database() as db_url:
        env = server.production_env(db_url, redis_url, RATELIMIT_SUBMIT_SESSION="100000 per minute",
                                    RATELIMIT_SUBMIT_ADDRESS="1000000 per minute",
                                    RATELIMIT_ANONYMOUS_POST="1000000 per minute")
        print("preparing the database (migrations, demo consultation)...", flush=True)
        server.prepare_database(env)
        results = {}
        bare_env = dict(env, PYTHONPATH=str(ROOT / "bench"))
        with server.gunicorn(bare_env, workers=args.workers, threads=args.threads, app="submit_bare_app:app") as bare:
            conns = [HttpBrowser(bare.base) for _ in range(args.clients)]
            body = urlencode({"answer": "3", "csrf_token": "x" * 90})
            hammer(lambda i: conns[i]._request("POST", "/submit", body)[0], args.clients, 3)  # warm up
            results["bare POST"] = hammer(lambda i: conns[i]._request("POST", "/submit", body)[0], args.clients,
                                          args.seconds)
        for label, app_name, app_env in [("", "consult:create_app()", env),
                                         (" [definition cached]", "submit_cached_app:app", bare_env)]:
            with server.gunicorn(app_env, workers=args.workers, threads=args.threads, app=app_name) as guth:
                results.update(guth_phases(guth, args, label))

    bare_rate = results["bare POST"][0] / args.seconds
    print(f"\n{args.workers} gunicorn workers x {args.threads} threads, {args.clients} keep-alive clients, "
          f"{args.seconds:.0f} s per phase, PostgreSQL + Redis on 127.0.0.1")
    print(f"{'endpoint':<44}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'ratio':>8}")
    for name, (ok, errors, lat) in results.items():
        rate = ok / args.seconds
        print(f"{name:<44}{rate:8.1f}{pct(lat, 50):9.1f}{pct(lat, 95):9.1f}{errors:8d}{rate / bare_rate:8.2f}")
    ratio = results["answer POST (choice)"][0] / args.seconds / bare_rate
    cached = results["answer POST (choice) [definition cached]"][0] / args.seconds / bare_rate
    print(f"\nsubmit path (answer POST, choice) / bare Flask: {ratio:.2f}  (target >= 0.40: "
          f"{'met' if ratio >= 0.40 else 'NOT met'}); with the definition cached: {cached:.2f}")


if __name__ == "__main__":
    main()
