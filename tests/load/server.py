"""Start Guth as in production — gunicorn workers, PostgreSQL, Redis — on 127.0.0.1, and stop it.

Used by the load and fault tests and by bench/. Everything listens on the loopback interface
only, every wait has a deadline, and the processes are stopped when the context ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import services

ROOT = Path(__file__).resolve().parents[2]
DEMO_SLUG = "glenbrae-csp-2026"


def production_env(database_url: str, redis_url: str | None, **extra: str) -> dict[str, str]:
    """Return the environment a production Guth process gets, pointed at these servers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUTH_", "TEST_", "PYTEST"))}
    env.update(GUTH_ENV="production", DATABASE_URL=database_url, SECRET_KEY="load-test-secret-0123456789abcdef",
               FLASK_APP="consult", LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run a flask command for the app; return its output."""
    out = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed: {out.stderr[-2000:]}")
    return out.stdout


def prepare_database(env: dict[str, str]) -> None:
    """Migrate the database and load the demo consultation (no made-up responses, no analysis)."""
    flask(env, "db", "upgrade")
    flask(env, "demo", "--responses", "0", "--no-analyse")


@contextmanager
def database(fresh_server: bool = False) -> Iterator[str]:
    """Yield a fresh database URL: on TEST_DATABASE_URL's server, else on a throwaway server."""
    server = None if fresh_server else os.environ.get("TEST_DATABASE_URL")
    with _maybe_throwaway(server) as server_url:
        url = services.create_database(server_url, prefix="guth_load")
        try:
            yield url
        finally:
            try:
                services.drop_database(url)
            except Exception:
                pass


@contextmanager
def _maybe_throwaway(server: str | None) -> Iterator[str]:
    if server:
        yield server
        return
    with services.throwaway_postgres() as url:
        yield url


@contextmanager
def redis() -> Iterator[str]:
    """Yield a Redis URL: TEST_REDIS_URL if it answers, else a throwaway redis-server."""
    url = os.environ.get("TEST_REDIS_URL")
    if url and services.redis_alive(url):
        yield url
        return
    with services.throwaway_redis() as url:
        yield url


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.2)
    raise TimeoutError(f"Guth did not come up at {base}")


class Gunicorn:
    """A running gunicorn master with its workers."""

    def __init__(self, proc: subprocess.Popen, base: str, log: Path) -> None:
        self.proc, self.base, self.log = proc, base, log

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def kill_a_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 4, app: str = "consult:create_app()",
             boot_timeout: float = 120, log_dir: Path | None = None) -> Iterator[Gunicorn]:
    """Serve app with gunicorn on a free loopback port using deploy/gunicorn.conf.py; stop it afterwards."""
    port = services.free_port()
    base = f"http://127.0.0.1:{port}"
    log = (log_dir or Path("/tmp")) / f"guth-gunicorn-{port}.log"
    run_env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers),
                   GUNICORN_THREADS=str(threads))
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"), app],
                                cwd=ROOT, env=run_env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        try:
            wait_until_up(base, time.monotonic() + boot_timeout)
        except TimeoutError:
            raise TimeoutError(f"gunicorn did not start: {log.read_text()[-3000:]}") from None
        yield Gunicorn(proc, base, log)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


class OwnPostgres:
    """A PostgreSQL server of our own (initdb in a temp dir, a free loopback port) we may stop and start.

    Never the shared server: the fault tests restart this one mid-run.
    """

    def __init__(self) -> None:
        import tempfile

        self.initdb, self.pg_ctl = services._pg_bin("initdb"), services._pg_bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise RuntimeError("PostgreSQL server binaries not found")
        self.tmp = tempfile.mkdtemp(prefix="guth-own-pg-")
        os.chmod(self.tmp, 0o777)
        self.data = os.path.join(self.tmp, "data")
        self.port = services.free_port()
        self.prefix = services._as_postgres_user()
        self.user = "postgres" if self.prefix else os.environ.get("USER", "postgres")
        subprocess.run([*self.prefix, self.initdb, "-D", self.data, "-U", self.user, "--auth=trust", "-E", "UTF8",
                        "--no-sync"], check=True, stdout=subprocess.DEVNULL, timeout=120)

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        subprocess.run([*self.prefix, self.pg_ctl, "-D", self.data, "-l", os.path.join(self.tmp, "log"), "-w",
                        "-t", "60", "-o", f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off",
                        "start"], check=True, stdout=subprocess.DEVNULL, timeout=90)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([*self.prefix, self.pg_ctl, "-D", self.data, "-m", mode, "-w", "-t", "60", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90)

    def cleanup(self) -> None:
        import shutil

        self.stop("immediate")
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """Yield a started OwnPostgres; stop and delete it afterwards."""
    pg = OwnPostgres()
    try:
        pg.start()
        yield pg
    finally:
        pg.cleanup()
