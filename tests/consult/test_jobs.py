"""The one job interface: at once, in a thread, and on a real Celery worker with Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from consult import create_app, jobs
from consult.extensions import db
from consult.models import Job


def _finished(job_id: str, seconds: float) -> Job:
    """Poll the job's row until it is done or failed or the time is up; return the row as it then stands."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        row = db.session.get(Job, job_id)
        if row.state in ("done", "failed") or time.monotonic() > deadline:
            return row
        time.sleep(0.05)


def test_sync_job_records_progress_and_result(app) -> None:
    row = jobs.enqueue("noop", steps=4)
    db.session.refresh(row)
    assert (row.state, row.progress, row.result) == ("done", 1.0, {"steps": 4})
    assert row.finished_at is not None


def test_failed_job_is_recorded(app) -> None:
    @jobs.job("explode")
    def explode(params, progress):  # type: ignore[no-untyped-def]
        progress(0.5, "half way")
        raise RuntimeError("boom")

    app.config["JOBS_MODE"] = "thread"
    row = jobs.enqueue("explode")
    assert _finished(row.id, 5).state == "failed"


def test_thread_job_runs_in_background_and_page_shows_progress(app, client, make_user, login,
                                                               partnership) -> None:
    app.config["JOBS_MODE"] = "thread"
    row = jobs.enqueue("noop", steps=2, partnership_id=partnership.id)
    assert _finished(row.id, 5).state == "done"
    make_user("planner", email="p@example.org")
    login("p@example.org")
    assert client.get(f"/planner/jobs/{row.id}", headers={"Accept": "application/json"}).get_json() == {
        "state": "done", "progress": 1.0, "message": "step 2 of 2"}
    html = client.get(f"/planner/jobs/{row.id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="100" value="100">' in html
    assert client.get("/planner/jobs/not-a-job").status_code == 404


def test_rerunning_a_done_job_changes_nothing(app) -> None:
    row = jobs.enqueue("noop", steps=2)
    finished = row.finished_at
    jobs.run_job(row.id)
    db.session.refresh(row)
    assert row.finished_at == finished


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="needs TEST_REDIS_URL (set by make test)")
def test_celery_worker_runs_the_job(_migrated, tmp_path) -> None:
    redis_url = os.environ["TEST_REDIS_URL"]
    from tests.conftest import _normal

    config = {"SQLALCHEMY_DATABASE_URI": _normal(_migrated), "JOBS_MODE": "celery",
              "CELERY_BROKER_URL": redis_url}
    env = dict(os.environ, GUTH_ENV="testing", CELERY_BROKER_URL=redis_url,
               TEST_DATABASE_URL=_migrated if "://" in _migrated else _migrated)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "consult.worker:celery", "worker", "--pool=solo", "--concurrency=1",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        app = create_app(config)
        with app.app_context():
            row = jobs.enqueue("noop", steps=3)
            done = _finished(row.id, 60)
            if done.state != "done":
                worker.terminate()
                output = worker.communicate(timeout=20)[0]
                raise AssertionError(f"job state {done.state}; worker said:\n{output[-3000:]}")
            assert done.result == {"steps": 3}
            db.session.delete(done)
            db.session.commit()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
