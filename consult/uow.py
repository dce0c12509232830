"""One unit of work per request: the request's writes commit once, after the view succeeded.

Views and `data/` functions add, change and delete through `db.session` and never call `commit()`.
After the view has produced its response, and before that response is sent, this module:

- commits, when the response is a success or a redirect (status < 400) and the request wrote something;
- rolls back, for any 4xx/5xx response or an exception in the view.

Because the commit runs before the response leaves the server, "commit before you confirm" holds: a
person never sees a confirmation for words that are not stored. If the commit itself fails, the error
handler shows the error page and nothing is half-stored.

A view that must commit part-way (to send an email only after its row is stored, say) calls
`commit_now()`; the rest of the request is then a fresh unit of work.

"Wrote something" is tracked with two session events, so a read-only request never issues a COMMIT and
never expires the objects a streamed export is still reading.
"""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db

_WROTE = "guth_unit_of_work_wrote"


def _mark_wrote(session: Session, *_args: object) -> None:
    session.info[_WROTE] = True


def _mark_statement(orm_execute_state) -> None:  # type: ignore[no-untyped-def]
    if orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete:
        orm_execute_state.session.info[_WROTE] = True


def has_pending_work(session: Session | None = None) -> bool:
    """True when the session holds changes not yet committed (flushed or not)."""
    session = session or db.session()
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def _clear(session: Session) -> None:
    session.info.pop(_WROTE, None)


def commit_now() -> None:
    """Commit the work so far (for the rare view that must store before it does something outside the database)."""
    session = db.session()
    session.commit()
    _clear(session)


def _finish(response: Response) -> Response:
    if not db.session.registry.has():  # the request never opened a session (the quick answer POST): nothing to end
        return response
    session = db.session()
    if response.status_code < 400:
        if has_pending_work(session):
            session.commit()
    elif session.in_transaction():
        session.rollback()
    _clear(session)
    return response


def finish_request(response: Response) -> Response:
    """End the request's unit of work now: for an after-request hook that must see the rows committed.

    (After-request hooks run in reverse order of registration, so a hook registered after this
    module's would otherwise run before the commit.) The unit of work's own hook then finds nothing to do.
    """
    return _finish(response)


def _after_commit_or_rollback(session: Session) -> None:
    _clear(session)


_listening = False


def _listen_once() -> None:
    global _listening
    if _listening:
        return
    _listening = True
    event.listen(Session, "after_flush", _mark_wrote)
    event.listen(Session, "do_orm_execute", _mark_statement)
    event.listen(Session, "after_commit", _after_commit_or_rollback)
    event.listen(Session, "after_soft_rollback", lambda session, _tx: _clear(session))


def init_app(app: Flask) -> None:
    """Commit once after each successful request; roll back otherwise (teardown closes the session)."""
    _listen_once()
    app.after_request(_finish)
