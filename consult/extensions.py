"""Flask extensions, created once and bound to the app in create_app()."""

from __future__ import annotations

import threading
import weakref

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def client_key() -> str:
    """Return the rate-limit key for the client's address, hashed so the store never holds raw IPs."""
    import hashlib

    from flask import current_app, request

    raw = f"{current_app.config['SECRET_KEY']}|{request.remote_addr or '-'}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _anonymous_post_limit() -> str:
    from flask import current_app

    return current_app.config["RATELIMIT_ANONYMOUS_POST"]


def _not_anonymous_post() -> bool:
    """Exempt from the site-wide limit everything but anonymous POSTs to routes without limits of their own.

    Routes with ``@submission_limit`` already count each POST per address (more tightly) and per
    session; counting them here too would only cost another round trip to Redis per answer.
    """
    from flask import current_app, request
    from flask_login import current_user

    if request.method != "POST":
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "guth_submission_limit", False):
        return True
    return bool(getattr(current_user, "is_authenticated", False))


class GuthLimiter(Limiter):
    """Flask-Limiter, which does no work at all for a request none of its limits applies to.

    Its own hook looked up the view's qualified name and its limits before asking the request filter
    (``_nothing_to_limit``) on every page view and every answer POST; the same filter is now asked first.
    """

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if self.enabled and _nothing_to_limit():
            return
        super()._check_request_limit(callable_name, in_middleware)


# Configured from RATELIMIT_* settings in init_app (consult.security.init_limiter). The application
# limit is a safety net over every anonymous POST, so a new public form is never unlimited.
limiter = GuthLimiter(key_func=client_key, application_limits=[_anonymous_post_limit],
                  application_limits_exempt_when=_not_anonymous_post)


@limiter.request_filter
def _nothing_to_limit() -> bool:
    """Skip Flask-Limiter's work for requests no limit of its applies to.

    Its limits are all on POSTs (the site-wide anonymous one, sign-in), and routes with
    ``@submission_limit`` count theirs themselves; resolving limits for every page view and every
    answer cost more CPU than the answer's own validation.
    """
    from flask import current_app, request

    if request.method != "POST":
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "guth_submission_limit", False))


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Make SQLite enforce foreign keys and wait for locks instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def init_sqlite_pragmas(engine) -> None:  # type: ignore[no-untyped-def]
    """Attach the SQLite pragmas to an engine (no-op for other databases)."""
    from sqlalchemy import event

    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if engine.url.database:  # WAL lets readers carry on while a response is being saved
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")


# A connection that has just been used is alive: only one idle longer than this is pinged on checkout.
PING_IDLE_SECONDS = 1.0


def init_ping_when_idle(engine) -> None:  # type: ignore[no-untyped-def]
    """Ping a pooled connection before use only if it sat idle (no-op for SQLite).

    SQLAlchemy's pool_pre_ping costs a round trip on every request; under load connections are
    reused within milliseconds, so the ping told us nothing. A connection idle for over a second
    (or any after the database restarted: a failed statement invalidates the whole pool) is still
    pinged, and a dead one is replaced before the request sees it.
    """
    import time

    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    if engine.dialect.name == "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["guth_used"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _used(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        if record is not None:
            record.info["guth_used"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        last = record.info.get("guth_used")
        if last is not None and time.monotonic() - last <= PING_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool drops this connection and tries another
            raise DisconnectionError() from exc


_AUTOCOMMIT_ENGINES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_AUTOCOMMIT_LOCK = threading.Lock()


def autocommit_engine():  # type: ignore[no-untyped-def]
    """Return this app's engine whose connections commit each statement on their own (PostgreSQL).

    For the answer POST's one self-committing statement. A connection of the main engine switched to
    autocommit for one statement and back on its return cost a tenth of that statement's CPU; this
    engine's pool (the same database, options and idle ping, at most as many connections as the
    main pool) is autocommit throughout. SQLite: the main engine, as its connections are not pooled.
    """
    from flask import current_app
    from sqlalchemy import create_engine

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    engine = _AUTOCOMMIT_ENGINES.get(app)
    if engine is not None:
        return engine
    main = db.engine
    if main.dialect.name == "sqlite":
        return main
    with _AUTOCOMMIT_LOCK:
        engine = _AUTOCOMMIT_ENGINES.get(app)
        if engine is None:
            options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
            options.setdefault("pool_size", main.pool.size())  # type: ignore[attr-defined]
            engine = create_engine(main.url, **{**options, "isolation_level": "AUTOCOMMIT"})
            init_ping_when_idle(engine)
            _AUTOCOMMIT_ENGINES[app] = engine
    return engine


def close_session_quietly(_exc: BaseException | None = None) -> None:
    """End the request's database session; if its connection died (database restarting), drop it.

    Runs before Flask-SQLAlchemy's own teardown. Closing rolls back, and a rollback on a connection
    the server has already terminated raises after the page was produced, turning a good answer
    into a 500. The pool discards the dead connection and the next request reconnects.
    """
    try:
        db.session.remove()
    except Exception:  # noqa: BLE001  (any driver error here means the connection is already gone)
        db.session.registry.clear()
