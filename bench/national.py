"""A national deployment: 32 partnerships × 5,000 responses on PostgreSQL; p95 of a planner's busiest pages.

Issue 17 asks that one Guth serve all 32 Scottish partnerships, isolated, with the planner dashboard,
results and themes pages under 500 ms at p95, and that a page's cost not grow with the number of
*other* partnerships. This bench builds one partnership (plan, consultation from the shipped template,
N responses with a free-text answer, a face-scale answer, a "groups" answer for 40 %, eight themes and
machine codings for 60 % of the free text and human codes for 4 %, population counts), times its three pages, then adds 31 more
partnerships just like it and times the first one's pages again. It prints p50/p95 for each page at
1 and at 32 partnerships, and the ratio.

Data is bench data, generated and bulk-inserted (INSERT ... RETURNING in batches), never the demo.

Which database:
  DATABASE_URL       an empty PostgreSQL database, used as it is (left holding the data);
  TEST_DATABASE_URL  a PostgreSQL server: a scratch database is created on it and dropped afterwards;
  neither            a throwaway SQLite file (a smoke run; the figures that matter are PostgreSQL's).

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/national.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/guth_nat python bench/national.py --time-only  # again, no build
    python bench/national.py --partnerships 4 --responses 500 --runs 5      # a quick look
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GUTH_ENV", "testing")

from bench.dashboard_render import database  # noqa: E402  (scratch database handling, shared)

GROUPS = ["care_experienced", "young_carer", "disabled", "gaelic_home", "other_language"]
THEMES = ["Places to play", "Mental health waits", "Buses and travel", "Bullying", "Money worries",
          "Youth clubs", "School support", "Feeling listened to"]
TEXTS = ["More places to play and shorter waits", "The bus is too dear to get to the youth club",
         "People at school are unkind to me", "We need help with money for food"]
PASSWORD = "bench-password-123"


def build_partnership(k: int, n: int, rng: random.Random) -> int:
    """Create partnership k with a consultation of n responses (bulk inserts); return the consultation id."""
    from sqlalchemy import insert

    from consult.data import consultations, dashboard, users
    from consult.extensions import db
    from consult.models import Answer, Coding, Response, Theme, ThemePriority
    from forms import load_template

    partnership = consultations.create_partnership(
        name=f"Bench partnership {k:02d}", local_authority=f"Council {k:02d}", health_board=f"NHS {k:02d}",
        areas=[(f"a{i}", f"Area {i}") for i in range(8)])
    plan = consultations.create_plan(partnership, title=f"Plan {k:02d}", period_start=date(2026, 4, 1),
                                     period_end=date(2029, 3, 31), vision="v",
                                     priorities=[{"key": f"p{i}", "title": f"Priority {i}"} for i in range(4)])
    c = consultations.create_consultation(plan, load_template("childrens-services-plan"), slug=f"bench-{k:02d}",
                                          opens_on=date(2026, 1, 1), closes_on=date(2026, 3, 31), status="open")
    users.create_user(email=f"planner{k:02d}@bench.example", name="P", password=PASSWORD, roles=["planner"],
                      partnership_id=partnership.id)
    themes = [Theme(consultation_id=c.id, key=f"t{i}", name=name) for i, name in enumerate(THEMES)]
    db.session.add_all(themes)
    db.session.flush()
    db.session.add_all([ThemePriority(theme_id=t.id, priority_id=plan.priorities[i % 4].id, score=0.6,
                                      evidence_count=0) for i, t in enumerate(themes)])
    db.session.commit()
    variants = {v.audience: v for v in c.variants}
    questions = {v.audience: {q.core_id: q.id for q in v.questions} for v in c.variants}
    areas = [a.id for a in partnership.areas]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for offset in range(0, n, 5000):
        rows = []
        for i in range(offset, min(n, offset + 5000)):
            aud = rng.choice(list(variants))
            rows.append({"consultation_id": c.id, "variant_id": variants[aud].id, "audience": aud,
                         "language": rng.choices(["en", "gd", "ar", "pl", "uk"], [86, 6, 3, 3, 2])[0],
                         "channel": rng.choice(["online_form", "online_chat", "paper", "event", "group"]),
                         "area_id": rng.choice(areas + [None]),
                         "status": "submitted" if rng.random() < .95 else "in_progress",
                         "receipt_hash": f"{k:04x}{i:060x}", "safeguarding": rng.random() < .005,
                         "may_quote": False, "easy_read": False, "kiosk": False, "created_at": start,
                         "updated_at": start,
                         "submitted_at": start + timedelta(seconds=rng.random() ** 1.6 * 89 * 86400)})
        ids = list(db.session.scalars(insert(Response).returning(Response.id), rows))
        texts, others = [], []
        for rid, row in zip(ids, rows, strict=True):
            q = questions[row["audience"]]
            base = {"response_id": rid, "skipped": False, "version": 1, "quote_status": "none", "updated_at": start}
            if "change_one_thing" in q:
                texts.append({**base, "question_id": q["change_one_thing"], "core_id": "change_one_thing",
                              "text": rng.choice(TEXTS)})
            if "feel_safe" in q:
                others.append({**base, "question_id": q["feel_safe"], "core_id": "feel_safe",
                               "value": rng.randint(1, 5)})
            if "groups" in q and rng.random() < .4:
                others.append({**base, "question_id": q["groups"], "core_id": "groups",
                               "value": rng.sample(GROUPS, k=rng.randint(1, 2))})
        answer_ids = list(db.session.scalars(insert(Answer).returning(Answer.id), texts))
        if others:
            db.session.execute(insert(Answer), others)
        codings = [{"answer_id": aid, "theme_id": rng.choice(themes).id, "source": "machine",
                    "confidence": 0.5 + rng.random() / 2, "present": True, "created_at": start}
                   for aid in answer_ids if rng.random() < .6]
        # a planner has reviewed 1 in 25 of the free-text answers (two human codes each: one kept, one added),
        # so the themes page computes its out-of-sample agreement as it does in use
        reviewed = [aid for aid in answer_ids if rng.random() < .04]
        codings += [{"answer_id": aid, "theme_id": rng.choice(themes).id, "source": "human", "present": True,
                     "confidence": 1.0, "created_at": start} for aid in reviewed]
        if codings:
            db.session.execute(insert(Coding), codings)
        db.session.commit()
    for aud in variants:
        dashboard.set_population(partnership.id, audience=aud, area_id=None, count=rng.randint(2000, 40000))
    db.session.commit()
    return c.id


def analyse_tables() -> None:
    """Refresh the planner's statistics, as autovacuum does after a bulk load."""
    from sqlalchemy import text

    from consult.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


PAGES = {"dashboard": "/planner/c/{cid}/", "results": "/planner/c/{cid}/results", "themes": "/planner/c/{cid}/themes"}


def time_pages(app, cid: int, runs: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Sign in as partnership 0's planner and time each page `runs` times (after one warm-up request)."""
    client = app.test_client()
    r = client.post("/staff/login", data={"email": "planner00@bench.example", "password": PASSWORD})
    assert r.status_code == 302, r.status_code
    out: dict[str, list[float]] = {}
    for name, url in PAGES.items():
        path = url.format(cid=cid)
        first = client.get(path)
        assert first.status_code == 200, (path, first.status_code)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            resp = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200
        out[name] = times
    return out


def p95(times: list[float]) -> float:
    """Return the 95th percentile (nearest rank)."""
    ordered = sorted(times)
    return ordered[max(0, min(len(ordered) - 1, round(0.95 * len(ordered)) - 1))]


def time_only(runs: int) -> int:
    """Time the pages of a database an earlier run built (DATABASE_URL), as many partnerships as it holds."""
    from consult import create_app
    from consult.extensions import db
    from consult.models import Consultation, Partnership

    url = os.environ.get("DATABASE_URL")
    if not url:
        print("--time-only needs DATABASE_URL: a database an earlier run of this bench built")
        return 2
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()  # a migration may have come since the data was built
        cid = db.session.scalar(select_id(Consultation, Consultation.slug == "bench-00"))
        n = db.session.query(Partnership).count()
        db.session.remove()
    if cid is None:
        print("no bench data in DATABASE_URL: run the bench once with it first")
        return 2
    times = time_pages(app, cid, runs)
    print(f"{'page':<10} {'p50 @' + str(n):>9} {'p95 @' + str(n):>9}  target p95 < 500 ms")
    ok = True
    for name, t in times.items():
        ok &= p95(t) < 500
        print(f"{name:<10} {statistics.median(t):>7.0f}ms {p95(t):>7.0f}ms  {'met' if p95(t) < 500 else 'MISSED'}")
    print(f"({runs} runs each after a warm-up; load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 0 if ok else 1


def select_id(model, condition):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return select(model.id).where(condition)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=32)
    parser.add_argument("--responses", type=int, default=5000, help="responses per partnership")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--time-only", action="store_true",
                        help="time partnership 1's pages on DATABASE_URL as a previous run left it (no build)")
    args = parser.parse_args()
    if args.time_only:
        return time_only(args.runs)

    from flask_migrate import upgrade

    from consult import create_app
    from consult.extensions import db

    rng = random.Random(17)
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp, database(tmp) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            upgrade()
            t = time.perf_counter()
            cid = build_partnership(0, args.responses, rng)
            analyse_tables()
            print(f"built partnership 1 ({args.responses} responses) in {time.perf_counter() - t:.1f} s "
                  f"on {db.engine.dialect.name}; load average {load}")
            db.session.remove()
        alone = time_pages(app, cid, args.runs)
        with app.app_context():
            t = time.perf_counter()
            for k in range(1, args.partnerships):
                build_partnership(k, args.responses, rng)
            analyse_tables()
            print(f"built {args.partnerships - 1} more partnerships ({(args.partnerships - 1) * args.responses} "
                  f"responses) in {time.perf_counter() - t:.1f} s")
            db.session.remove()
        crowded = time_pages(app, cid, args.runs)
        ok = True
        print(f"\n{'page':<10} {'p50 @1':>8} {'p95 @1':>8} {'p50 @' + str(args.partnerships):>9} "
              f"{'p95 @' + str(args.partnerships):>9} {'p95 ratio':>9}  target p95 < 500 ms")
        for name in PAGES:
            a, b = alone[name], crowded[name]
            ratio = p95(b) / p95(a) if p95(a) else float("nan")
            met = p95(b) < 500
            ok &= met
            print(f"{name:<10} {statistics.median(a):>6.0f}ms {p95(a):>6.0f}ms {statistics.median(b):>7.0f}ms "
                  f"{p95(b):>7.0f}ms {ratio:>9.2f}  {'met' if met else 'MISSED'}")
        print(f"(ms per request through the Flask test client, {args.runs} runs each after a warm-up; "
              f"load average now {'/'.join(f'{x:.1f}' for x in os.getloadavg())})")
        with app.app_context():
            db.engine.dispose()
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
