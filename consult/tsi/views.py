"""TSI views: member organisations' progress, nudges, the combined sector response."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..auth import roles_required
from ..auth.scope import (
    consultation_or_404,
    current_partnership_id,
    organisation_or_404,
    partnership_or_404,
    scope_blueprint,
)
from ..data import invitations, org_responses, organisations, sector
from ..data import scope as scope_data
from ..data.audit import record
from ..labels import org_status_label
from ..models import Consultation, Partnership
from ..services import invitations as invite_service
from ..urls import parse_ids

bp = Blueprint("tsi", __name__, url_prefix="/tsi")
scope_blueprint(bp)  # every id in a TSI URL must belong to the signed-in user's partnership
POINT_LIMIT = 4000
SUMMARY_LIMIT = 6000


def _partnership() -> Partnership:
    return partnership_or_404()


def _consultation(consultation_id: int) -> Consultation:
    return consultation_or_404(consultation_id)


@bp.route("/")
@roles_required("tsi")
def home():  # type: ignore[no-untyped-def]
    """The TSI coordinator's home: consultations to coordinate."""
    return render_template("tsi/home.html", rows=scope_data.summaries_for(current_partnership_id()))


@bp.route("/c/<int:consultation_id>")
@roles_required("tsi")
def dashboard(consultation_id: int):  # type: ignore[no-untyped-def]
    """Member organisations for a consultation: invited, opened, drafting, submitted, opted out."""
    consultation = _consultation(consultation_id)
    members = organisations.list_organisations(_partnership().id, tsi_only=True)
    statuses = invitations.org_statuses(consultation, members)
    counts = {k: sum(1 for s in statuses if s.status == k) for k in invitations.STATUSES}
    return render_template("tsi/dashboard.html", consultation=consultation, statuses=statuses, counts=counts,
                           status_label=org_status_label,
                           form=FlaskForm(), type_label=organisations.type_label,
                           sector=sector.get_sector_response(consultation.id))


@bp.route("/c/<int:consultation_id>/nudge/<int:org_id>", methods=["POST"])
@roles_required("tsi")
def nudge(consultation_id: int, org_id: int):  # type: ignore[no-untyped-def]
    """Send a friendly reminder now to a quiet member organisation."""
    consultation = _consultation(consultation_id)
    org = organisation_or_404(org_id, tsi_members_only=True)
    if not FlaskForm().validate_on_submit():
        abort(404)
    sent = invite_service.nudge_organisation(consultation, org)
    record("organisation.nudge", user_id=current_user.id, object_type="organisation", object_id=org.id,
           consultation_id=consultation.id, sent=sent)
    if sent:
        flash(_("Sent a reminder to %(n)s people at %(org)s.", n=sent, org=org.name))
    else:
        flash(_("%(org)s has no live invitation to remind. Invite them first.", org=org.name))
    return redirect(url_for("tsi.dashboard", consultation_id=consultation.id) + f"#org-{org.id}")


def _labels() -> dict[str, str]:
    return {"agree": _("agree"), "partly": _("partly agree"), "disagree": _("disagree")}


@bp.route("/c/<int:consultation_id>/sector", methods=["GET", "POST"])
@roles_required("tsi")
def sector_response(consultation_id: int):  # type: ignore[no-untyped-def]
    """Edit the combined sector response: summary, and each point drawn from members' responses."""
    consultation = _consultation(consultation_id)
    members = organisations.list_organisations(_partnership().id, tsi_only=True)
    names = {o.id: o.name for o in members}
    current = sector.get_sector_response(consultation.id)
    form = FlaskForm()
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.validate_on_submit():
        if current is None or current.submitted_at is not None:
            abort(404)
        summary = (request.form.get("summary") or "").strip()
        texts: dict[int, str] = {}
        remove = set(parse_ids(request.form.getlist("remove")))
        for point in current.points:
            text = (request.form.get(f"point-{point.id}") or "").strip()
            if point.id in remove:
                continue
            if not text:
                errors.append((f"point-{point.id}", _("Point %(n)s is empty. Write it, or tick Remove.",
                                                      n=point.position + 1)))
            elif len(text) > POINT_LIMIT:
                errors.append((f"point-{point.id}", _("Point %(n)s must be %(max)s characters or fewer.",
                                                      n=point.position + 1, max=POINT_LIMIT)))
            texts[point.id] = text
        if len(summary) > SUMMARY_LIMIT:
            errors.append(("summary", _("The summary must be %(max)s characters or fewer.", max=SUMMARY_LIMIT)))
        if not errors:
            sector.update(current, summary=summary, texts=texts, remove=remove)
            if "and_submit" in request.form and current.points and sector.submit(current, user_id=current_user.id):
                record("sector_response.submit", user_id=current_user.id, object_type="sector_response",
                       object_id=current.id)
                flash(_("The sector response was submitted."))
            else:
                flash(_("Saved the sector response."))
            return redirect(url_for("tsi.sector_response", consultation_id=consultation.id))
    submitted = org_responses.submitted_responses(consultation.id, list(names))

    def supporters(point) -> str:  # type: ignore[no-untyped-def]
        return ", ".join(names[i] for i in point.supporting_org_ids or [] if i in names)

    return render_template("tsi/sector.html", consultation=consultation, sector=current, form=form,
                           supporters=supporters,
                           errors=errors, error_title=bool(errors), submitted=submitted,
                           posted=request.form if errors else None), (400 if errors else 200)


@bp.route("/c/<int:consultation_id>/sector/assemble", methods=["POST"])
@roles_required("tsi")
def sector_assemble(consultation_id: int):  # type: ignore[no-untyped-def]
    """Draw the points afresh from members' submitted responses (replaces unsaved wording)."""
    consultation = _consultation(consultation_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    members = organisations.list_organisations(_partnership().id, tsi_only=True)
    current = sector.get_or_create(consultation)
    if current.submitted_at is not None:
        flash(_("The sector response was already submitted."))
        return redirect(url_for("tsi.sector_response", consultation_id=consultation.id))
    drafts = sector.draft_points(consultation,
                                 org_responses.submitted_responses(consultation.id, [o.id for o in members]),
                                 _labels())
    sector.replace_points(current, drafts)
    if drafts:
        flash(_("Drew %(n)s points from members' responses. Edit them, then submit.", n=len(drafts)))
    else:
        flash(_("No member organisation has submitted a response yet, so there are no points to draw."))
    return redirect(url_for("tsi.sector_response", consultation_id=consultation.id))


@bp.route("/c/<int:consultation_id>/sector/submit", methods=["POST"])
@roles_required("tsi")
def sector_submit(consultation_id: int):  # type: ignore[no-untyped-def]
    """Submit the sector response alongside the individual ones."""
    consultation = _consultation(consultation_id)
    current = sector.get_sector_response(consultation.id)
    if current is None or not FlaskForm().validate_on_submit():
        abort(404)
    if not current.points:
        flash(_("Add at least one point before submitting."))
        return redirect(url_for("tsi.sector_response", consultation_id=consultation.id))
    if sector.submit(current, user_id=current_user.id):
        record("sector_response.submit", user_id=current_user.id, object_type="sector_response",
               object_id=current.id)
    flash(_("The sector response was submitted."))
    return redirect(url_for("tsi.sector_response", consultation_id=consultation.id))
