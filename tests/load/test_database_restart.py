"""The database restarts mid-run: a clear "please try again" page, nothing acknowledged lost, and
Guth recovers by itself. Uses a PostgreSQL server of its own (initdb in a temp dir, a free port)."""

from __future__ import annotations

import threading
import time

import pytest

from tests.load import server
from tests.load.conftest import _need, db_rows
from tests.load.formbot import HttpBrowser
from tests.load.loadgen import receipt_hash, run_class
from tests.load.server import DEMO_SLUG

pytestmark = pytest.mark.postgres


def test_database_restart_mid_run(redis_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _need("initdb")
    with server.own_postgres() as pg:
        from tests.support import services

        url = services.create_database(pg.url, prefix="guth_restart")
        env = server.production_env(url, redis_url)
        server.prepare_database(env)
        with server.gunicorn(env, workers=2, log_dir=tmp_path) as guth:
            results = []
            runner = threading.Thread(target=lambda: results.append(
                run_class(guth.base, DEMO_SLUG, pupils=8, retries=60, deadline_s=180)), daemon=True)
            runner.start()
            time.sleep(3.0)  # let pupils get going

            pg.stop("fast")
            probe = HttpBrowser(guth.base)
            down = probe.get(f"{guth.base}/c/{DEMO_SLUG}/")
            assert down.status == 503
            assert "please try again" in down.html.lower()
            assert "Traceback" not in down.html
            assert down.html.count("<h1") == 1
            time.sleep(2.0)
            pg.start()

            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if probe.get(f"{guth.base}/healthz").status == 200:
                    break
                time.sleep(0.5)
            assert probe.get(f"{guth.base}/c/{DEMO_SLUG}/").status == 200, "recovers by itself"
            runner.join(200)
            assert results, "the run finished in time"
            result = results[0]
            print("\n" + result.summary("class of 8 with the database restarted mid-run"))
            codes = result.acknowledged
            assert codes
            rows = db_rows(url, "select receipt_hash, status from response where receipt_hash = any(%s)",
                           [receipt_hash(c) for c in codes])
            assert len(rows) == len(set(codes)), "every acknowledged submission is stored, exactly once"
            assert {s for _h, s in rows} == {"submitted"}
            assert result.completed == 8, [j.errors for j in result.journeys if not j.completed]
