"""Run every test: the whole suite on SQLite, then the database-backed suite on PostgreSQL.

PostgreSQL: TEST_DATABASE_URL if set (a fresh database is created on that server for this run),
else a throwaway server started from initdb. Redis (for the Celery tests): TEST_REDIS_URL if set,
else a throwaway redis-server. Fails if any leg fails or collects no tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import services  # noqa: E402


def pytest(args: list[str], env: dict[str, str], label: str) -> int:
    print(f"\n===== {label}: pytest {' '.join(args)}", flush=True)
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    if code == 5:
        print(f"{label}: no tests ran — treating as a failure", flush=True)
        return 1
    return code


def main(argv: list[str]) -> int:
    extra = argv[1:]
    with ExitStack() as stack:
        env = dict(os.environ, GUTH_ENV="testing")
        env.pop("DATABASE_URL", None)
        redis_url = os.environ.get("TEST_REDIS_URL")
        if not redis_url or not services.redis_alive(redis_url):
            redis_url = stack.enter_context(services.throwaway_redis())
            print(f"Started a throwaway Redis at {redis_url}")
        env["TEST_REDIS_URL"] = redis_url

        results = {}
        sqlite_env = dict(env)
        sqlite_env.pop("TEST_DATABASE_URL", None)
        results["SQLite"] = pytest(["tests", *extra], sqlite_env, "SQLite leg")

        server = os.environ.get("TEST_DATABASE_URL")
        if not server:
            server = stack.enter_context(services.throwaway_postgres())
            print(f"Started a throwaway PostgreSQL at {server}")
        db_url = services.create_database(server)
        stack.callback(services.drop_database, db_url)
        pg_env = dict(env, TEST_DATABASE_URL=db_url)
        results["PostgreSQL"] = pytest(["tests/consult", "-m", "not browser", *extra], pg_env, "PostgreSQL leg")

    print("\n===== Summary")
    for leg, code in results.items():
        print(f"{leg}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
