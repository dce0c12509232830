"""Guth served as in production (gunicorn, PostgreSQL, Redis) on 127.0.0.1, shared by a module's tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.load import server


def _need(binary: str) -> None:
    from tests.support.services import _pg_bin

    if binary in ("initdb", "pg_ctl") and _pg_bin(binary) is None:
        pytest.skip(f"{binary} not installed")
    if binary == "redis-server" and shutil.which(binary) is None:
        pytest.skip("redis-server not installed")


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    _need("redis-server")
    with server.redis() as url:
        yield url


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    import os

    if not os.environ.get("TEST_DATABASE_URL"):
        _need("initdb")
    with server.database() as url:
        yield url


@pytest.fixture(scope="module")
def guth(pg_database: str, redis_url: str, tmp_path_factory) -> Iterator[server.Gunicorn]:  # type: ignore[no-untyped-def]
    """Guth in its production configuration: 2 gunicorn workers, PostgreSQL, Redis for rate limits and jobs."""
    env = server.production_env(pg_database, redis_url, CELERY_BROKER_URL=redis_url)
    server.prepare_database(env)
    with server.gunicorn(env, workers=2, log_dir=tmp_path_factory.mktemp("gunicorn")) as g:
        g.env = env  # type: ignore[attr-defined]
        g.database_url = pg_database  # type: ignore[attr-defined]
        yield g


def db_rows(url: str, sql: str, *params) -> list[tuple]:  # type: ignore[no-untyped-def]
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return list(conn.execute(sql, params).fetchall())
