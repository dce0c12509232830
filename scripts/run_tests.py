"""Run every test: the whole suite on SQLite, then the database-backed suite (tests/consult and the
isolation sweep) on PostgreSQL.

PostgreSQL: TEST_DATABASE_URL if set (a fresh database is created on that server for this run),
else a throwaway server started from initdb. Redis (for the Celery tests): TEST_REDIS_URL if set,
else a throwaway redis-server. Fails if any leg fails or collects no tests, and ends by naming every
test that failed (or errored) in each leg, so a red run says what failed in its last lines. The PostgreSQL leg
runs with the machine's time zone at UTC+14, so a date taken from the machine instead of Scotland's calendar fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import services  # noqa: E402


def pytest(args: list[str], env: dict[str, str], label: str, report: Path) -> int:
    print(f"\n===== {label}: pytest {' '.join(args)}", flush=True)
    code = subprocess.call([sys.executable, "-m", "pytest", *args, f"--junitxml={report}"], cwd=ROOT, env=env)
    if code == 5:
        print(f"{label}: no tests ran — treating as a failure", flush=True)
        return 1
    return code


def failed_tests(report: Path) -> list[str]:
    """Return the node ids of the tests a JUnit XML report records as failed or errored."""
    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError):
        return []
    failed = []
    for case in root.iter("testcase"):
        if case.find("failure") is None and case.find("error") is None:
            continue
        classname, name = case.get("classname", ""), case.get("name", "")
        parts = classname.split(".")
        # "tests.consult.test_x.TestY" → tests/consult/test_x.py::TestY::name (classes start with a capital)
        module = [p for p in parts if not p[:1].isupper()]
        classes = [p for p in parts if p[:1].isupper()]
        path = "/".join(module) + ".py" if module else classname
        failed.append("::".join([path, *classes, name]))
    return failed


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
        reports_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="guth-test-reports-")))
        reports = {"SQLite": reports_dir / "sqlite.xml", "PostgreSQL": reports_dir / "postgresql.xml"}
        sqlite_env = dict(env)
        sqlite_env.pop("TEST_DATABASE_URL", None)
        results["SQLite"] = pytest(["tests", *extra], sqlite_env, "SQLite leg", reports["SQLite"])

        server = os.environ.get("TEST_DATABASE_URL")
        if not server:
            server = stack.enter_context(services.throwaway_postgres())
            print(f"Started a throwaway PostgreSQL at {server}")
        db_url = services.create_database(server)
        stack.callback(services.drop_database, db_url)
        # The machine's clock half a world from Scotland (UTC+14): a day that comes from the machine's date rather
        # than consult.clock is then another day for 14 hours of every 24, and the tests that check dates fail.
        pg_env = dict(env, TEST_DATABASE_URL=db_url, TZ="Pacific/Kiritimati")
        # The two-partnership isolation sweep too (issue 15): partnership scoping is SQL, so prove it on both.
        results["PostgreSQL"] = pytest(["tests/consult", "tests/security/test_isolation_sweep.py", "-m", "not browser",
                                        *extra], pg_env, "PostgreSQL leg", reports["PostgreSQL"])

        print("\n===== Summary")
        for leg, code in results.items():
            print(f"{leg}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
        for leg, code in results.items():
            if code == 0:
                continue
            names = failed_tests(reports[leg])
            if names:
                print(f"{leg} leg, {len(names)} failed:")
                for name in names:
                    print(f"  FAILED {name}")
            else:
                print(f"{leg} leg: no test is recorded as failed (the run stopped early or crashed: see above)")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
