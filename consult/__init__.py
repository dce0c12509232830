"""Guth: consultation for Children's Services Plans."""

from __future__ import annotations

import functools
import os
from typing import Any

from flask import Flask

from .config import config_for

__version__ = "0.1.0"


def create_app(config: dict[str, Any] | type | None = None) -> Flask:
    """Create and configure an instance of the application."""
    # GUTH_INSTANCE_PATH (absolute) puts instance/ (the demo database, its secret key, uploads) elsewhere.
    app = Flask(__name__, instance_path=os.environ.get("GUTH_INSTANCE_PATH") or None, instance_relative_config=True)
    from .urls import register_id_converter

    # Flask asks of every hook and view, on every request, whether it is a coroutine function: ask once.
    app.ensure_sync = functools.lru_cache(maxsize=1024)(app.ensure_sync)  # type: ignore[method-assign]
    register_id_converter(app)  # every <int:...> in every route: ASCII digits within range, else 404
    app.config.from_object(config_for(os.environ.get("GUTH_ENV")))
    if isinstance(config, dict):
        app.config.from_mapping(config)
    elif config is not None:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY") and app.config.get("ENV_NAME") != "production":
        from .config import instance_secret_key

        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)

    from . import sessions

    sessions.init_app(app)  # each distinct session cookie is verified once per process
    from .logging_setup import configure_logging

    configure_logging(app)
    from .urls import configure_base_url

    configure_base_url(app)

    from . import models  # noqa: F401  (register the tables)
    from .extensions import babel, csrf, db, login_manager, migrate
    from .i18n import select_locale

    db.init_app(app)
    from .text import init_app as init_text_hygiene

    init_text_hygiene()  # no bidi overrides or zero-width characters in stored free text
    from .extensions import close_session_quietly

    app.teardown_appcontext(close_session_quietly)  # runs before Flask-SQLAlchemy's own teardown
    from .uow import init_app as init_unit_of_work

    init_unit_of_work(app)  # one commit per request, after the view succeeded; rollback otherwise
    with app.app_context():
        from .extensions import init_ping_when_idle, init_sqlite_pragmas

        init_sqlite_pragmas(db.engine)
        init_ping_when_idle(db.engine)
    from .data.search import include_object  # the search index is made by a migration, not a model

    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
                     include_object=include_object)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    from .auth import init_login

    init_login(app, login_manager)

    from . import admin, auth, core, operator, orgs, planner, public, respond, tsi
    from .public import shared as public_shared

    for module in (core, auth, admin, operator, respond, orgs, tsi, planner, public, public_shared):
        app.register_blueprint(module.bp)

    from . import errors, security

    errors.init_app(app)
    security.init_app(app)

    from . import cli

    cli.init_app(app)

    if app.config["JOBS_MODE"] == "celery":
        from .celery_app import init_celery

        init_celery(app)

    from . import tasks  # noqa: F401  (register background jobs)

    return app
