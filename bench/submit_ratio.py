"""Submit-path throughput as a ratio to bare Flask endpoints served the same way.

The fair ratio (target >= 0.60) is to a bare endpoint doing the one thing a database must do for an
answer: one INSERT of an answer row through SQLAlchemy on the same PostgreSQL, then a 303. The ratio to
the bare POST that stores nothing is printed beside it (no target).

Starts, on 127.0.0.1 only: a PostgreSQL server of its own (or a fresh database on TEST_DATABASE_URL's
server), Redis, Guth in its production configuration under gunicorn (deploy/gunicorn.conf.py), and
the bare Flask app of bench/submit_bare_app.py under the same gunicorn settings (worker recycling off
for both: see main()). Then, for a fixed time each, C client threads with keep-alive connections POST:

- bare: POST /submit (read the form, 303);
- bare INSERT: POST /insert (read the form, one INSERT ... ON CONFLICT of an answer row through a
  SQLAlchemy engine on the same database, committed, 303) — the fair baseline (``create_insert_app``);
- answer (choice): a respondent's answer to a face-scale question (CSRF check, validation, save, commit, 303);
- answer (free text): a free-text answer (the same plus redaction and the safeguarding screen);
- Guth GET /healthz: Guth's own floor (its middleware and one query).

Each Guth client has its own respondent session, started through the real pages. Both servers stay
up and the phases alternate for --rounds rounds, so load from elsewhere on the machine falls on both
alike. Prints requests/second, p50/p95, the ratio overall and per round, and the CPU each request
cost the client, each server's workers, PostgreSQL, Redis and the whole machine (from /proc). Bounded: --rounds x 3
phases x --seconds; everything stops at the end.

    python bench/submit_ratio.py [--workers 2] [--threads 4] [--clients 8] [--seconds 5] [--rounds 4]
"""

from __future__ import annotations

import argparse
import os
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


def create_insert_app():  # type: ignore[no-untyped-def]
    """Return the bare Flask app whose POST /insert stores one answer row, as the answer POST must.

    Served under gunicorn as ``submit_ratio:create_insert_app()``. It writes the same table, with the
    same unique key and the same upsert shape as Guth's answer path, to (response, question) pairs of the
    respondents the benchmark started (read once, on the first request); one statement, autocommit.
    """
    import json

    from flask import Flask, redirect, request
    from sqlalchemy import create_engine, text

    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    engine = create_engine(url, pool_size=int(os.environ.get("GUNICORN_THREADS", "4")) + 1,
                           isolation_level="AUTOCOMMIT", pool_pre_ping=False)
    insert = text("insert into answer (response_id, question_id, core_id, value, skipped, text, text_original,"
                  " version, quote_status, updated_at) values (:rid, :qid, :core, :value, false, null, null, 1,"
                  " 'none', now()) on conflict (response_id, question_id) do update set value = excluded.value,"
                  " version = answer.version + 1, updated_at = excluded.updated_at")
    pairs: list[tuple[int, int, str]] = []
    lock = threading.Lock()
    app = Flask(__name__)

    @app.post("/insert")
    def insert_answer():  # type: ignore[no-untyped-def]
        value = request.form.get("answer")
        if not pairs:
            with lock, engine.connect() as c:
                if not pairs:
                    pairs.extend(c.execute(text(
                        "select r.id, q.id, q.core_id from response r join question q on q.variant_id = r.variant_id"
                        " where r.status = 'in_progress' order by r.id, q.id limit 2000")).all())
        rid, qid, core = random.choice(pairs)
        with engine.connect() as c:
            c.execute(insert, {"rid": rid, "qid": qid, "core": core, "value": json.dumps(int(value or 3))})
        return redirect("/next", code=303)

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return {"status": "ok"}

    return app


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


def cpu_ticks(masters: dict[str, int]) -> dict[str, int]:
    """Return CPU ticks (user + system) so far per kind of process: each server's workers, PostgreSQL,
    Redis, this client, and the rest of the machine (from /proc; empty where there is none)."""
    import collections

    out: collections.Counter[str] = collections.Counter()
    kinds = {str(pid): name for name, pid in masters.items()}
    try:
        with open("/proc/stat") as f:
            user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in f.readline().split()[1:9])
            out["machine"] = user + nice + system + irq + softirq + steal  # busy, not idle
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            kind = ("client" if pid == str(os.getpid()) else kinds.get(fields[1])
                    or ("postgres" if comm.startswith("postgres") else "redis" if comm.startswith("redis") else None))
            if kind:
                out[kind] += int(fields[11]) + int(fields[12])
    except OSError:
        return {}
    return dict(out)


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


def guth_requests(base: str, clients: int):  # type: ignore[no-untyped-def]
    """Start a respondent per client; return make_request functions for a choice and a free-text answer POST."""
    sessions = respondent_sessions(base, server.DEMO_SLUG, clients)
    choice_posts, text_posts = [], []
    for b, url, html in sessions:
        form = main_form(parse_forms(html))
        data = [(k, v) for k, v in fill(form, random.Random(1), lambda f: "") if k != "skip"]
        choice_posts.append((b, urlsplit(url).path, urlencode(data)))
        page = b.get(f"{base}/c/{server.DEMO_SLUG}/q/good_things")
        form = main_form(parse_forms(page.html))
        data = [(k, v) for k, v in fill(form, random.Random(2), lambda f: "More clubs after school and a "
                "safe path to the park, and somewhere warm to go.") if k != "skip"]
        text_posts.append((b, urlsplit(page.url).path, urlencode(data)))

    def poster(posts):  # type: ignore[no-untyped-def]
        return lambda i: posts[i][0]._request("POST", posts[i][1], posts[i][2])[0]

    return poster(choice_posts), poster(text_posts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0, help="seconds per phase in each round")
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()

    with server.redis() as redis_url, server.database() as db_url:
        # Worker recycling off for both servers: production recycles a worker after 5,000 requests (a few
        # minutes at a school's pace), but at a benchmark's thousands per second that restarts each worker
        # every few seconds and measures restarts (cold caches, reconnects), not requests. It cost the bare
        # app 30-40 % of its rate and Guth as much, and made rounds differ by a factor of two.
        env = server.production_env(db_url, redis_url, RATELIMIT_SUBMIT_SESSION="100000 per minute",
                                    RATELIMIT_SUBMIT_ADDRESS="1000000 per minute",
                                    RATELIMIT_ANONYMOUS_POST="1000000 per minute", GUNICORN_MAX_REQUESTS="0")
        print("preparing the database (migrations, demo consultation)...", flush=True)
        server.prepare_database(env)
        bare_env = dict(env, PYTHONPATH=str(ROOT / "bench"))
        with server.gunicorn(bare_env, workers=args.workers, threads=args.threads,
                             app="submit_bare_app:app", boot_timeout=300) as bare, \
                server.gunicorn(dict(env, PYTHONPATH=str(ROOT / "bench"), GUNICORN_THREADS=str(args.threads)),
                                workers=args.workers, threads=args.threads,
                                app="submit_ratio:create_insert_app()", boot_timeout=300) as inserter, \
                server.gunicorn(env, workers=args.workers, threads=args.threads, boot_timeout=300) as guth:
            conns = [HttpBrowser(bare.base) for _ in range(args.clients)]
            body = urlencode({"answer": "3", "csrf_token": "x" * 90})
            phases = {"bare POST": lambda i: conns[i]._request("POST", "/submit", body)[0]}
            choice, text = guth_requests(guth.base, args.clients)
            inserts = [HttpBrowser(inserter.base) for _ in range(args.clients)]
            phases["bare INSERT"] = lambda i: inserts[i]._request("POST", "/insert", body)[0]
            phases["answer POST (choice)"] = choice
            phases["answer POST (free text)"] = text
            # The floor: Guth's middleware (session, limits' bookkeeping, headers, logging) and one query.
            probes = [HttpBrowser(guth.base) for _ in range(args.clients)]
            phases["Guth GET /healthz"] = lambda i: probes[i]._request("GET", "/healthz", None)[0]
            for run in phases.values():  # warm up every worker and connection
                hammer(run, args.clients, 2)
            # Both servers stay up and the phases alternate, round after round, so that whatever else
            # the machine is doing falls on both alike; each round gives its own ratio.
            results: dict[str, list] = {name: [0, 0, []] for name in phases}
            rounds: dict[str, list[float]] = {name: [] for name in phases}
            masters = {"bare workers": bare.proc.pid, "INSERT workers": inserter.proc.pid,
                       "Guth workers": guth.proc.pid}
            cpu: dict[str, dict[str, int]] = {name: {} for name in phases}
            for _ in range(args.rounds):
                for name, run in phases.items():
                    before = cpu_ticks(masters)
                    ok, errors, lat = hammer(run, args.clients, args.seconds)
                    after = cpu_ticks(masters)
                    for kind in after:
                        cpu[name][kind] = cpu[name].get(kind, 0) + after[kind] - before.get(kind, 0)
                    results[name][0] += ok
                    results[name][1] += errors
                    results[name][2].extend(lat)
                    rounds[name].append(ok / args.seconds)

    total = args.seconds * args.rounds
    bare_rate = results["bare POST"][0] / total
    insert_rate = results["bare INSERT"][0] / total
    print(f"\n{args.workers} gunicorn workers x {args.threads} threads, {args.clients} keep-alive clients, "
          f"{args.rounds} rounds of {args.seconds:.0f} s per phase, PostgreSQL + Redis on 127.0.0.1, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':<28}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'/INSERT':>9}{'/bare':>7}"
          f"{'/INSERT per round':>26}")
    for name, (ok, errors, lat) in results.items():
        rate = ok / total
        per_round = " ".join(f"{r / b:.2f}" for r, b in zip(rounds[name], rounds["bare INSERT"], strict=True))
        print(f"{name:<28}{rate:8.1f}{pct(lat, 50):9.1f}{pct(lat, 95):9.1f}{errors:8d}{rate / insert_rate:9.2f}"
              f"{rate / bare_rate:7.2f}{per_round:>26}")
    if any(cpu.values()):
        # Where the machine's CPU went, per request: the ratio is roughly bare's total over Guth's.
        tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
        kinds = ["machine", "client", "bare workers", "INSERT workers", "Guth workers", "postgres", "redis"]
        print(f"\n{'CPU ms per request':<24}{''.join(f'{k:>16}' for k in kinds)}")
        for name, (ok, _errors, _lat) in results.items():
            print(f"{name:<24}" + "".join(f"{cpu[name].get(k, 0) * tick_ms / max(ok, 1):16.2f}" for k in kinds))
    for baseline, target in (("bare INSERT", 0.60), ("bare POST", None)):
        ratios = sorted(r / b for r, b in zip(rounds["answer POST (choice)"], rounds[baseline], strict=True))
        mid = len(ratios) // 2
        median = ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2
        overall = results["answer POST (choice)"][0] / max(results[baseline][0], 1)
        verdict = f" (target >= {target:.2f}: {'met' if overall >= target else 'NOT met'})" if target else " (no target)"
        print(f"{chr(10) if target else ''}submit path (answer POST, choice) / {baseline}: {overall:.2f} overall, "
              f"{median:.2f} median of {args.rounds} rounds{verdict}")


if __name__ == "__main__":
    main()
