"""How long the planner dashboard takes to render at 100,000 responses (target: under 500 ms).

Builds a throwaway database with one consultation and N responses (95 % submitted) spread over audiences,
languages, channels, areas and days, a "groups" answer for 40 % of them, a free-text answer for every one,
and population counts; then signs in as a planner and times GET /planner/c/<id>/ through the Flask test
client (queries + template), reporting the median, and the load average before and after (the machine
may be shared: a figure means little without it).

Which database:
  DATABASE_URL       an empty PostgreSQL database, used as it is (left holding the data);
  TEST_DATABASE_URL  a PostgreSQL server: a scratch database is created on it and dropped afterwards;
  neither            a throwaway SQLite file.

    python bench/dashboard_render.py [--responses 100000] [--runs 7]
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/dashboard_render.py
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GUTH_ENV", "testing")

AUDIENCES = ["child_5_8", "child_8_11", "young_12_17", "parent_carer", "organisation", "social_landlord",
             "other_provider"]
GROUPS = ["care_experienced", "young_carer", "disabled", "gaelic_home", "other_language"]


def build(n: int) -> tuple[int, float]:
    """Create the data; return (consultation id, seconds taken)."""
    from sqlalchemy import insert

    from consult.data import consultations, dashboard, users
    from consult.extensions import db
    from consult.models import Answer, Response
    from forms import load_template

    started = time.perf_counter()
    rng = random.Random(1)
    partnership = consultations.create_partnership(
        name="Bench", local_authority="Bench Council", health_board="NHS Bench",
        areas=[(f"a{i}", f"Area {i}") for i in range(8)])
    plan = consultations.create_plan(partnership, title="Bench plan", period_start=date(2026, 4, 1),
                                     period_end=date(2029, 3, 31), vision="v",
                                     priorities=[{"key": f"p{i}", "title": f"Priority {i}"} for i in range(4)])
    c = consultations.create_consultation(plan, load_template("childrens-services-plan"), slug="bench",
                                          opens_on=date(2026, 1, 1), closes_on=date(2026, 3, 31), status="open")
    users.create_user(email="planner@bench.example", name="P", password="bench-password-123", roles=["planner"])
    db.session.commit()
    variants = {v.audience: v for v in c.variants}
    questions = {v.audience: {q.core_id: q.id for q in v.questions} for v in c.variants}
    areas = [a.id for a in partnership.areas]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch = 10_000
    for offset in range(0, n, batch):
        rows = []
        for i in range(offset, min(n, offset + batch)):
            aud = rng.choice(list(variants))
            rows.append({"consultation_id": c.id, "variant_id": variants[aud].id, "audience": aud,
                         "language": rng.choices(["en", "gd", "ar", "pl", "uk"], [86, 6, 3, 3, 2])[0],
                         "channel": rng.choice(["online_form", "online_chat", "paper", "event", "group"]),
                         "area_id": rng.choice(areas + [None]), "status": "submitted" if rng.random() < .95
                         else "in_progress", "receipt_hash": f"{i:064x}", "safeguarding": rng.random() < .005,
                         "may_quote": False, "easy_read": False, "kiosk": False,
                         "created_at": start, "updated_at": start,
                         "submitted_at": start + timedelta(seconds=rng.random() ** 1.6 * 89 * 86400)})
        ids = list(db.session.scalars(insert(Response).returning(Response.id), rows))
        answers = []
        for rid, row in zip(ids, rows, strict=True):
            q = questions[row["audience"]]
            text_q = q.get("change_one_thing") or next(iter(q.values()))
            answers.append({"response_id": rid, "question_id": text_q, "core_id": "change_one_thing",
                            "text": "More places to play and shorter waits", "skipped": False, "version": 1,
                            "quote_status": "none", "updated_at": start})
            if "groups" in q and rng.random() < .4:
                answers.append({"response_id": rid, "question_id": q["groups"], "core_id": "groups",
                                "value": rng.sample(GROUPS, k=rng.randint(1, 2)), "skipped": False, "version": 1,
                                "quote_status": "none", "updated_at": start})
        db.session.execute(insert(Answer), answers)
        db.session.commit()
    for aud in AUDIENCES:
        dashboard.set_population(partnership.id, audience=aud, area_id=None, count=rng.randint(2000, 40000))
        for a in areas:
            dashboard.set_population(partnership.id, audience=aud, area_id=a, count=rng.randint(200, 5000))
    db.session.commit()
    # Statistics, as a live database has them (autovacuum / ANALYZE after a bulk load).
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return c.id, time.perf_counter() - started


@contextlib.contextmanager
def database(tmp: str) -> Iterator[str]:
    """Yield the database URL to build in (see the module docstring), dropping a scratch database after."""
    from consult.config import normalise_database_url

    if os.environ.get("DATABASE_URL"):
        yield normalise_database_url(os.environ["DATABASE_URL"])
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"guth_bench_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from consult import create_app
    from consult.extensions import db

    with tempfile.TemporaryDirectory() as tmp, database(tmp) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            upgrade()
            cid, seconds = build(args.responses)
            print(f"built {args.responses} responses in {seconds:.1f} s on {db.engine.dialect.name}")
            db.session.remove()
        client = app.test_client()
        client.post("/staff/login", data={"email": "planner@bench.example", "password": "bench-password-123"})
        load_before = _load()
        times, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            r = client.get(f"/planner/c/{cid}/")
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert r.status_code == 200, r.status_code
        median = statistics.median(times)
        print(f"dashboard render at {args.responses} responses: median {median:.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f}, {args.runs} runs; this process's CPU median "
              f"{statistics.median(cpu):.0f} ms); load average {load_before} before, {_load()} after; "
              f"target < 500 ms: {'met' if median < 500 else 'MISSED'}")
        with app.app_context():
            db.engine.dispose()
        return 0 if median < 500 else 1


if __name__ == "__main__":
    raise SystemExit(main())
