"""Organisation views: the personal link, the shared draft, evidence files, submission, opt-out."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import uow
from ..auth.decorators import invitation_route, public_route
from ..data import consultations, invitations, org_responses
from ..data.organisations import audience_for
from ..data.responses import ResponseClosed, get_response
from ..extensions import db
from ..i18n import current_language
from ..models import Invitation, Response
from ..security import honeypot_tripped, submission_limit
from ..services import answers as answers_service
from ..services import invitations as invite_service
from ..services import org_response
from ..urls import parse_id

bp = Blueprint("orgs", __name__, url_prefix="/org")
SESSION_KEY = "org_invitation_id"
LINK_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "opted_out": 410}


@bp.after_request
def no_store(response):  # type: ignore[no-untyped-def]
    """Drafts are private to the organisation: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):  # type: ignore[no-untyped-def]
    """A file far over the limit: say so plainly instead of a bare error page."""
    max_mb = int(current_app.config.get("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)) // (1024 * 1024)
    return render_template("orgs/problem.html", title=_("The file is too big"),
                           body=_("Attach a file of %(max)s MB or less, or add a link instead. Nothing you saved "
                                  "is lost.", max=max_mb), back=request.referrer and request.path), 413


@bp.app_template_filter("org_when")
def org_when(moment) -> str:  # type: ignore[no-untyped-def]
    """Format a stored moment as a date and time (UTC), e.g. 22 Nov 2026, 09:14."""
    from flask_babel import format_datetime

    return format_datetime(moment, "d MMM yyyy, HH:mm") if moment else ""


@bp.route("/")
@public_route
def index():  # type: ignore[no-untyped-def]
    """Explain how organisations respond: through the personal link in their invitation."""
    return render_template("orgs/index.html")


# ---- the personal link ----------------------------------------------------------------------

def _link_problem(reason: str, invitation: Invitation | None):  # type: ignore[no-untyped-def]
    return render_template("orgs/link_problem.html", reason=reason, invitation=invitation), LINK_STATUS[reason]


@bp.route("/i/<token>", methods=["GET", "POST"])
@invitation_route
@submission_limit
def follow(token: str):  # type: ignore[no-untyped-def]
    """Land from the invitation email; pressing Continue (POST) opens the organisation's draft.

    GET changes nothing, so mail scanners that fetch links do not mark the invitation opened.
    """
    try:
        invitation = invitations.usable(invitations.find_by_token(token))
    except invitations.LinkProblem as problem:
        return _link_problem(problem.reason, problem.invitation)
    consultation = consultations.get(invitation.consultation_id)
    assert consultation is not None
    existing = invitations.org_response(consultation.id, invitation.organisation_id)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        invitations.mark_opened(invitation)
        response = existing or org_responses.get_or_start(consultation, invitation.organisation,
                                                          audience_for(invitation.organisation),
                                                          language=current_language())
        session[SESSION_KEY] = invitation.id
        if response.status == "submitted":
            return redirect(url_for("orgs.done", response_id=response.id))
        return redirect(url_for("orgs.draft", response_id=response.id))
    submitted_by = org_responses.get_contact(existing.submitted_by_contact_id) if existing else None
    return render_template("orgs/welcome.html", invitation=invitation, consultation=consultation, form=form,
                           existing=existing, submitted_by=submitted_by)


def _current() -> tuple[Invitation, Response]:
    """Return the signed-in contact's invitation and the response in the URL, or 404."""
    invitation_id = session.get(SESSION_KEY)
    invitation = invitations.get_invitation(invitation_id) if isinstance(invitation_id, int) else None
    response_id = (request.view_args or {}).get("response_id", 0)
    response = get_response(response_id) if parse_id(response_id) else None
    if invitation is None or response is None or response.organisation_id != invitation.organisation_id \
            or response.consultation_id != invitation.consultation_id or response.status == "withdrawn":
        abort(404)
    try:
        invitations.usable(invitation)
    except invitations.LinkProblem as problem:
        session.pop(SESSION_KEY, None)
        abort(410 if problem.reason != "unknown" else 404)
    return invitation, response


def _editable(response: Response):  # type: ignore[no-untyped-def]
    if response.status == "submitted":
        return redirect(url_for("orgs.done", response_id=response.id))
    return None


# ---- the shared draft -----------------------------------------------------------------------

@bp.route("/r/<int:response_id>")
@invitation_route
def draft(response_id: int):  # type: ignore[no-untyped-def]
    """The draft: every part with its answer and who last changed it, evidence files, submit."""
    invitation, response = _current()
    if (gone := _editable(response)) is not None:
        return gone
    lang = current_language()
    priorities, others = org_response.overview(response, lang)
    return render_template("orgs/draft.html", invitation=invitation, response=response, priorities=priorities,
                           others=others, files=org_responses.evidence_files(response),
                           history=org_responses.history(response, limit=10), form=FlaskForm(),
                           consultation=response.variant.consultation)


@bp.route("/r/<int:response_id>/part/<core_id>", methods=["GET", "POST"])
@invitation_route
@submission_limit
def part(response_id: int, core_id: str):  # type: ignore[no-untyped-def]
    """Edit one part; if a colleague saved it meanwhile, show both texts instead of overwriting."""
    invitation, response = _current()
    if (gone := _editable(response)) is not None:
        return gone
    question = org_response.find_question(response, core_id)
    if question is None:
        abort(404)
    lang = current_language()
    answer = org_responses.answer_for(response, question)
    conflict = None
    if request.method == "POST":
        form = org_response.part_form(response, question, lang, formdata=request.form)
        if form.validate():
            try:
                expected = int(form.version.data or 0)
            except ValueError:
                expected = -1
            try:
                answers_service.save_org_part(response, question, form.answer_data(), contact=invitation.contact,
                                        expected_version=expected)
                flash(_("Saved. Your colleagues see this answer now."))
                return redirect(url_for("orgs.draft", response_id=response.id) + f"#part-{core_id}")
            except org_responses.EditConflict as exc:
                db.session.rollback()
                conflict = _conflict_view(response, question, lang, exc.current, form)
            except IntegrityError:
                db.session.rollback()
                current = org_responses.answer_for(response, question)
                conflict = _conflict_view(response, question, lang, current, form)
            except ResponseClosed:
                db.session.rollback()
                abort(404)
    else:
        form = org_response.part_form(response, question, lang, answer=answer)
    return render_template("orgs/part.html", invitation=invitation, response=response, question=question,
                           form=form, conflict=conflict, error_title=bool(form.errors) or bool(conflict),
                           consultation=response.variant.consultation)


def _conflict_view(response: Response, question, lang: str, current, form):  # type: ignore[no-untyped-def]
    """Explain the conflict: their saved text and yours; the form keeps yours, now based on theirs."""
    from forms import QUESTION_TYPES

    from ..data.responses import answer_data

    qdef = org_response.question_def(response, question)
    areas = org_response.area_options(response)
    theirs = QUESTION_TYPES[qdef.type].display(qdef, answer_data(current), lang, area_options=areas) \
        if current is not None else ""
    yours = QUESTION_TYPES[qdef.type].display(qdef, form.answer_data(), lang, area_options=areas)
    form.version.data = str(current.version if current is not None else 0)
    form.version.raw_data = [form.version.data]
    return {"theirs": theirs, "yours": yours,
            "by": org_responses.last_editor_name(current) if current is not None else "",
            "at": current.updated_at if current is not None else None}


# ---- evidence files -------------------------------------------------------------------------

@bp.route("/r/<int:response_id>/evidence", methods=["GET", "POST"])
@invitation_route
@submission_limit
def evidence(response_id: int):  # type: ignore[no-untyped-def]
    """Attach a small file as supporting evidence (checked by size and by its contents)."""
    invitation, response = _current()
    if (gone := _editable(response)) is not None:
        return gone
    form = FlaskForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(int(current_app.config.get("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)) + 1) if upload else b""
        filename = org_response.clean_filename(upload.filename or "") if upload else ""
        error, content_type = org_response.check_file(filename, data, len(data))
        if error is None:
            stored = org_response.store_file(data, filename.rsplit(".", 1)[-1].lower())
            org_responses.add_evidence_file(response, filename=filename, stored_name=stored,
                                            content_type=content_type, size=len(data), contact=invitation.contact)
            flash(_("Attached %(name)s.", name=filename))
            return redirect(url_for("orgs.draft", response_id=response.id) + "#evidence")
    return render_template("orgs/evidence.html", response=response, form=form, error=error,
                           error_title=bool(error), files=org_responses.evidence_files(response),
                           consultation=response.variant.consultation), (400 if error else 200)


@bp.route("/r/<int:response_id>/evidence/<int:file_id>")
@invitation_route
def evidence_file(response_id: int, file_id: int):  # type: ignore[no-untyped-def]
    """Download an attached file (only people from the same organisation)."""
    _invitation, response = _current()
    row = org_responses.get_evidence_file(response, file_id) if parse_id(file_id) else None
    if row is None:
        abort(404)
    path = org_response.upload_dir() / row.stored_name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=row.content_type, as_attachment=True, download_name=row.filename)


@bp.route("/r/<int:response_id>/evidence/<int:file_id>/remove", methods=["POST"])
@invitation_route
def remove_evidence(response_id: int, file_id: int):  # type: ignore[no-untyped-def]
    """Remove an attached file from the draft."""
    _invitation, response = _current()
    if (gone := _editable(response)) is not None:
        return gone
    row = org_responses.get_evidence_file(response, file_id) if parse_id(file_id) else None
    if row is None or not FlaskForm().validate_on_submit():
        abort(404)
    stored, name = row.stored_name, row.filename
    org_responses.delete_evidence_file(row)
    uow.commit_now()  # the row goes before the file: a failed commit must not leave a row whose file is gone
    (org_response.upload_dir() / stored).unlink(missing_ok=True)
    flash(_("Removed %(name)s.", name=name))
    return redirect(url_for("orgs.draft", response_id=response.id) + "#evidence")


# ---- submit -----------------------------------------------------------------------------------

@bp.route("/r/<int:response_id>/submit", methods=["GET", "POST"])
@invitation_route
@submission_limit
def submit(response_id: int):  # type: ignore[no-untyped-def]
    """Check the whole response, then one named person submits it for the organisation."""
    invitation, response = _current()
    if (gone := _editable(response)) is not None:
        return gone
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        if honeypot_tripped():  # a robot: submit nothing, and confirm as if we had
            return render_template("orgs/done.html", invitation=invitation, response=response, submitted_by=None,
                                   consultation=response.variant.consultation)
        if answers_service.submit_org(response, invitation.contact):
            uow.commit_now()  # the submission is stored before the copies are emailed
            invite_service.send_copy(response, invitation.contact)
        return redirect(url_for("orgs.done", response_id=response.id))
    lang = current_language()
    priorities, others = org_response.overview(response, lang)
    return render_template("orgs/submit.html", invitation=invitation, response=response, priorities=priorities,
                           others=others, files=org_responses.evidence_files(response), form=form,
                           consultation=response.variant.consultation)


@bp.route("/r/<int:response_id>/done")
@invitation_route
def done(response_id: int):  # type: ignore[no-untyped-def]
    """Confirmation: who submitted, when; the link can no longer change the response."""
    invitation, response = _current()
    if response.status != "submitted":
        return redirect(url_for("orgs.draft", response_id=response.id))
    return render_template("orgs/done.html", invitation=invitation, response=response,
                           submitted_by=org_responses.get_contact(response.submitted_by_contact_id),
                           consultation=response.variant.consultation)


# ---- opting out -------------------------------------------------------------------------------

@bp.route("/opt-out/<value>", methods=["GET", "POST"])
@invitation_route
def opt_out(value: str):  # type: ignore[no-untyped-def]
    """Stop emails to a contact (a signed link in every email; GET only asks)."""
    contact = invite_service.contact_from_opt_out(value)
    if contact is None:
        return render_template("orgs/link_problem.html", reason="unknown", invitation=None), 404
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        invitations.opt_out(contact)
        return render_template("orgs/opted_out.html", contact=contact)
    return render_template("orgs/opt_out.html", contact=contact, form=form)
