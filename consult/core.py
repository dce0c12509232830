"""Pages every visitor shares: language choice, help, health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session
from flask_babel import format_datetime
from sqlalchemy import text

from .auth.decorators import public_route
from .extensions import db
from .i18n import LANGUAGE_NAMES, current_language, format_date, localised, text_direction
from .labels import job_state_label, status_label
from .urls import safe_next

bp = Blueprint("core", __name__)


@bp.app_context_processor
def layout_context() -> dict:
    """Give every template the language, its direction and the language names."""
    lang = current_language()
    return {
        "lang": lang,
        "text_dir": text_direction(lang),
        "language_names": LANGUAGE_NAMES,
        "languages": current_app.config["LANGUAGES"],
        "demo": current_app.config.get("DEMO", False),
        "localised": localised,
        "format_date": format_date,
        "format_datetime": format_datetime,
        "status_label": status_label,
        "job_state_label": job_state_label,
        "view_functions": current_app.view_functions,
    }


@bp.route("/lang", methods=["POST"])
@public_route
def set_language():  # type: ignore[no-untyped-def]
    """Switch language, keep everything in the session, and go back to the same page."""
    code = request.form.get("lang", "")
    if code not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or "/", code=303)


@bp.route("/help")
@public_route
def help_page():  # type: ignore[no-untyped-def]
    """Show where to get help now, for children and for adults."""
    return render_template("help.html")


@bp.route("/healthz")
@public_route
def healthz():  # type: ignore[no-untyped-def]
    """Report whether the app can reach its database."""
    with db.engine.connect() as connection:  # a pooled connection, not the request's ORM session
        connection.execute(text("SELECT 1"))
    return jsonify(status="ok")
