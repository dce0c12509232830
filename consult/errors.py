"""Clear, translated error pages with the right status: never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    403: (_l("You cannot see this page"), _l("Your account does not have permission to see this page.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("That did not work"), _l("Please go back and try again.")),
    410: (_l("This page has gone"), _l("What it showed is no longer here. Go back and try again.")),
    413: (_l("That file is too big"), _l("Please go back and choose a smaller file.")),
    429: (
        _l("Too many tries"),
        _l("You have tried too many times in a short time. Please wait a minute and try again."),
    ),
    500: (_l("Sorry, something went wrong"), _l("We have not lost what you already saved. Please try again.")),
    503: (
        _l("Sorry, please try again"),
        _l("Guth is busy or restarting. What you already saved is safe. Please try again in a minute."),
    ),
}


def render_error(status: int, title=None, body=None):  # type: ignore[no-untyped-def]
    """Render the error page for a status code."""
    default_title, default_body = MESSAGES.get(status, MESSAGES[500])
    return (
        render_template("error.html", status=status, title=title or default_title, body=body or default_body),
        status,
    )


def _too_many():  # type: ignore[no-untyped-def]
    """The 429 page, telling the browser when to try again (the limiter's own headers are off)."""
    import time

    from .extensions import limiter

    body, status = render_error(429)
    retry = 60
    try:
        retry_at = g.get("guth_retry_at")  # the submission limits (consult.security) say when
        current = limiter.current_limit if retry_at is None else None
        if retry_at is not None:
            retry = max(1, int(retry_at - time.time()) + 1)
        elif current is not None:
            retry = max(1, int(current.reset_at - time.time()) + 1)
    except Exception:  # the limiter's store may be what is failing; a minute is a fair guess
        pass
    return body, status, {"Retry-After": str(retry)}


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
        return render_error(
            400,
            _l("Your session timed out"),
            _l("For your safety this page expired. Go back, reload the page and try again. Nothing you saved is lost."),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.code is None or exc.code < 400:
            return exc
        if exc.code == 429:
            return _too_many()
        return render_error(exc.code)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        try:
            db.session.rollback()
        except Exception:  # the database may be what failed
            pass
        if database_unreachable(exc):
            log.warning("database unavailable: %s", type(getattr(exc, "orig", None) or exc).__name__)
            return render_error(503)
        log.exception("unhandled error")
        return render_error(500)


def database_unreachable(exc: BaseException) -> bool:
    """Return True if the error means the database could not be reached (restarting, gone, pool empty).

    Such a request is answered "please try again" (503), never a server error: nothing the person
    had already been told was saved is lost, and the next try reconnects.
    """
    if isinstance(exc, OperationalError | InterfaceError | PendingRollbackError | DisconnectionError
                  | SQLAlchemyTimeoutError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    cause = exc.__cause__ or exc.__context__
    return cause is not None and cause is not exc and database_unreachable(cause)
