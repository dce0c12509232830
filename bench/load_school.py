"""A school of 600 pupils answering the demo consultation in one period, against Guth as in production.

Starts on 127.0.0.1 only: PostgreSQL (its own throwaway server, or a fresh database on
TEST_DATABASE_URL's server), Redis, and Guth under gunicorn with deploy/gunicorn.conf.py. Each
simulated pupil reads the pages and answers them like a person (tests/load/formbot.py), pausing
--think seconds (±50 %) per page; pupils arrive over --ramp seconds. Prints p50/p95 latency (target
p95 < 150 ms), requests per second, errors, and checks every acknowledged submission is stored once.
Bounded by --deadline; everything stops at the end.

    python bench/load_school.py [--pupils 600] [--think 20] [--ramp 120] [--workers 5] [--deadline 1500]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load import server  # noqa: E402
from tests.load.conftest import db_rows  # noqa: E402
from tests.load.loadgen import receipt_hash, run_class  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pupils", type=int, default=600)
    ap.add_argument("--think", type=float, default=20.0, help="seconds per page, on average")
    ap.add_argument("--ramp", type=float, default=120.0, help="seconds over which pupils arrive")
    ap.add_argument("--workers", type=int, default=5, help="gunicorn workers (2 x cores + 1 by default)")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--deadline", type=float, default=1500.0, help="stop after this many seconds, whatever happens")
    args = ap.parse_args()

    with server.redis() as redis_url, server.database() as db_url:
        env = server.production_env(db_url, redis_url)
        print("preparing the database (migrations, demo consultation)...", flush=True)
        server.prepare_database(env)
        with server.gunicorn(env, workers=args.workers, threads=args.threads) as guth:
            done = [0]
            started = time.monotonic()

            def report() -> None:
                while done[0] < args.pupils and time.monotonic() - started < args.deadline:
                    time.sleep(30)
                    print(f"  {time.monotonic() - started:5.0f} s: {done[0]} pupils finished", flush=True)

            threading.Thread(target=report, daemon=True).start()
            result = run_class(guth.base, server.DEMO_SLUG, args.pupils, think_s=args.think, ramp_s=args.ramp,
                               deadline_s=args.deadline, retries=3,
                               on_progress=lambda n: done.__setitem__(0, n))
            codes = result.acknowledged
            rows = db_rows(db_url, "select count(*) from response where receipt_hash = any(%s) and status = 'submitted'",
                           [receipt_hash(c) for c in codes])
    print()
    print(result.summary(f"school of {args.pupils} ({args.workers} gunicorn workers x {args.threads} threads, "
                         f"think {args.think:.0f} s/page, ramp {args.ramp:.0f} s)"))
    print(f"p50 GET {result.percentile(50, 'GET') * 1000:.0f} ms, p95 GET {result.percentile(95, 'GET') * 1000:.0f} ms; "
          f"p50 POST {result.percentile(50, 'POST') * 1000:.0f} ms, p95 POST {result.percentile(95, 'POST') * 1000:.0f} ms")
    print(f"acknowledged {len(codes)}, stored {rows[0][0]}; "
          f"p95 target < 150 ms: {'met' if result.percentile(95) < 0.150 else 'NOT met'}")


if __name__ == "__main__":
    main()
