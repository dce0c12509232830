"""One unit of work per request (issue 15): writes commit once after a successful view, never after a failed one."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import select

from consult.extensions import db
from consult.models import Partnership


def _names() -> list[str]:
    db.session.remove()
    return list(db.session.scalars(select(Partnership.name).order_by(Partnership.name)))


@pytest.fixture()
def routes(app):  # type: ignore[no-untyped-def]
    """Add views that write a partnership and then succeed, fail validation, abort or raise."""

    def add(name: str) -> None:
        db.session.add(Partnership(name=name, local_authority="LA", health_board="HB"))
        db.session.flush()

    @app.route("/_uow/ok", methods=["POST"])
    def uow_ok():  # type: ignore[no-untyped-def]
        add("Committed")
        return "stored", 303, {"Location": "/"}

    @app.route("/_uow/invalid", methods=["POST"])
    def uow_invalid():  # type: ignore[no-untyped-def]
        add("Invalid")
        return "check the form", 422

    @app.route("/_uow/abort", methods=["POST"])
    def uow_abort():  # type: ignore[no-untyped-def]
        add("Aborted")
        abort(404)

    @app.route("/_uow/raise", methods=["POST"])
    def uow_raise():  # type: ignore[no-untyped-def]
        add("Raised")
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def test_a_successful_request_commits_its_writes(routes) -> None:  # type: ignore[no-untyped-def]
    assert routes.post("/_uow/ok").status_code == 303
    assert _names() == ["Committed"]


@pytest.mark.parametrize("path, status", [("/_uow/invalid", 422), ("/_uow/abort", 404), ("/_uow/raise", 500)])
def test_a_failed_request_stores_nothing(routes, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert routes.post(path).status_code == status
    assert _names() == []
