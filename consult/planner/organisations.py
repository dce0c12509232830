"""The consultee register, invitations, reminders and the outbox (planners and the TSI)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, FileField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..auth import roles_required
from ..auth.scope import current_partnership_id
from ..data import consultations, invitations, organisations
from ..data.audit import record
from ..extensions import db
from ..jobs import enqueue
from ..models import ORG_TYPES, Consultation, Partnership
from ..services import invitations as invite_service
from ..services import mail
from ..services.signed_links import signed_link_required
from .views import bp

EMAIL = Regexp(organisations.EMAIL_RE.pattern, message=_l("Enter an email address like name@example.org"))


class OrganisationForm(FlaskForm):
    """An organisation's details in the register."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organisation's name")), Length(max=300)])
    org_type = SelectField(_l("Type of organisation"), choices=[])
    area = SelectField(_l("Area it mainly works in"), choices=[], validators=[Optional()])
    themes = StringField(_l("Themes of interest"), validators=[Length(max=1000)])
    tsi_member = BooleanField(_l("The Third Sector Interface coordinates this organisation"))


class ContactForm(FlaskForm):
    """A person at an organisation who can be invited."""

    contact_name = StringField(_l("Contact's name"), validators=[DataRequired(_l("Enter the contact's name")),
                                                                 Length(max=200)])
    email = StringField(_l("Email address"), validators=[DataRequired(_l("Enter the contact's email address")),
                                                         Length(max=320), EMAIL],
                        render_kw={"spellcheck": "false", "autocomplete": "off"})
    role = StringField(_l("Role"), validators=[Length(max=200)])


class ImportForm(FlaskForm):
    """A CSV file of organisations and contacts."""

    file = FileField(_l("CSV file"))


def _partnership() -> Partnership:
    pid = current_partnership_id()
    partnership = consultations.get_partnership(pid) if pid is not None else None
    if partnership is None:
        abort(404)
    return partnership


def _consultation(consultation_id: int) -> Consultation:
    consultation = consultations.get(consultation_id) if consultation_id < 2**31 else None
    if consultation is None or consultation.plan.partnership_id != _partnership().id:
        abort(404)
    return consultation


def _tsi_only() -> bool:
    """TSI coordinators (who are not planners) work with the organisations the TSI coordinates."""
    return not current_user.has_role("planner")


def _org_form(partnership: Partnership, **kwargs):  # type: ignore[no-untyped-def]
    form = OrganisationForm(**kwargs)
    form.org_type.choices = [(t, organisations.type_label(t)) for t in ORG_TYPES]
    form.area.choices = [("", _("Whole area or not sure"))] + [(a.name, a.name) for a in partnership.areas]
    if form.area.data and form.area.data not in dict(form.area.choices):
        form.area.choices.append((form.area.data, form.area.data))
    return form


@bp.route("/organisations")
@roles_required("planner", "tsi")
def organisation_list():  # type: ignore[no-untyped-def]
    """The consultee register."""
    partnership = _partnership()
    orgs = organisations.list_organisations(partnership.id, tsi_only=_tsi_only())
    return render_template("planner/organisations.html", orgs=orgs, type_label=organisations.type_label,
                           rows=consultations.consultation_summaries())


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def organisation_new():  # type: ignore[no-untyped-def]
    """Add an organisation to the register."""
    partnership = _partnership()
    form = _org_form(partnership)
    if form.validate_on_submit():
        if organisations.find_by_name(partnership.id, form.name.data):
            form.name.errors.append(_("%(name)s is already in the register", name=form.name.data))
        elif _tsi_only() and not form.tsi_member.data:
            form.tsi_member.errors.append(_("Organisations you add must be ones the TSI coordinates"))
        else:
            org = organisations.create_organisation(
                partnership_id=partnership.id, name=form.name.data, org_type=form.org_type.data,
                area=form.area.data or "", themes=organisations.split_themes(form.themes.data),
                tsi_member=form.tsi_member.data)
            record("organisation.create", user_id=current_user.id, object_type="organisation", object_id=org.id)
            db.session.commit()
            flash(_("Added %(name)s. Now add the people to invite.", name=org.name))
            return redirect(url_for("planner.organisation_edit", org_id=org.id))
    return render_template("planner/organisation_form.html", form=form, org=None, contact_form=None)


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def organisation_edit(org_id: int):  # type: ignore[no-untyped-def]
    """Change an organisation's details; see and add its contacts."""
    partnership = _partnership()
    org = organisations.get_organisation(partnership.id, org_id)
    if org is None or (_tsi_only() and not org.tsi_member):
        abort(404)
    form = _org_form(partnership, obj=None, data={"name": org.name, "org_type": org.org_type, "area": org.area,
                                                  "themes": ", ".join(org.themes_of_interest or []),
                                                  "tsi_member": org.tsi_member})
    if form.validate_on_submit():
        other = organisations.find_by_name(partnership.id, form.name.data)
        if other is not None and other.id != org.id:
            form.name.errors.append(_("%(name)s is already in the register", name=form.name.data))
        else:
            organisations.update_organisation(org, name=form.name.data, org_type=form.org_type.data,
                                              area=form.area.data or "",
                                              themes=organisations.split_themes(form.themes.data),
                                              tsi_member=form.tsi_member.data or (_tsi_only() and org.tsi_member))
            record("organisation.update", user_id=current_user.id, object_type="organisation", object_id=org.id)
            db.session.commit()
            flash(_("Saved %(name)s.", name=org.name))
            return redirect(url_for("planner.organisation_edit", org_id=org.id))
    return render_template("planner/organisation_form.html", form=form, org=org,
                           contact_form=ContactForm(formdata=None), type_label=organisations.type_label)


@bp.route("/organisations/<int:org_id>/contacts", methods=["POST"])
@roles_required("planner", "tsi")
def contact_add(org_id: int):  # type: ignore[no-untyped-def]
    """Add a contact to an organisation."""
    partnership = _partnership()
    org = organisations.get_organisation(partnership.id, org_id)
    if org is None or (_tsi_only() and not org.tsi_member):
        abort(404)
    contact_form = ContactForm()
    if contact_form.validate_on_submit():
        if organisations.email_taken(org, contact_form.email.data):
            contact_form.email.errors.append(_("%(email)s is already a contact here", email=contact_form.email.data))
        else:
            organisations.add_contact(org, name=contact_form.contact_name.data, email=contact_form.email.data,
                                      role=contact_form.role.data or "")
            db.session.commit()
            flash(_("Added %(name)s.", name=contact_form.contact_name.data))
            return redirect(url_for("planner.organisation_edit", org_id=org.id) + "#contacts")
    form = _org_form(partnership, formdata=None, data={"name": org.name, "org_type": org.org_type, "area": org.area,
                                                       "themes": ", ".join(org.themes_of_interest or []),
                                                       "tsi_member": org.tsi_member})
    return render_template("planner/organisation_form.html", form=form, org=org, contact_form=contact_form,
                           type_label=organisations.type_label, error_title=True), 400


@bp.route("/organisations/import", methods=["GET", "POST"])
@roles_required("planner")
def organisation_import():  # type: ignore[no-untyped-def]
    """Import organisations and contacts from CSV: every row or none."""
    partnership = _partnership()
    form = ImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        if not data:
            errors = [_("Choose a CSV file to import.")]
        else:
            result = organisations.import_csv(partnership.id, data)
            if result.ok:
                record("organisation.import", user_id=current_user.id, created=result.created,
                       matched=result.matched, contacts=result.contacts_added)
                db.session.commit()
                flash(_("Imported: %(created)s new organisations, %(matched)s already in the register, "
                        "%(contacts)s new contacts.", created=result.created, matched=result.matched,
                        contacts=result.contacts_added))
                return redirect(url_for("planner.organisation_list"))
            db.session.rollback()
            errors = result.errors
    return render_template("planner/organisations_import.html", form=form, errors=errors,
                           columns=organisations.CSV_COLUMNS, error_title=bool(errors),
                           types=ORG_TYPES), (400 if errors else 200)


@bp.route("/organisations/export.csv")
@roles_required("planner")
@signed_link_required
def organisation_export():  # type: ignore[no-untyped-def]
    """Download the register as CSV (re-importing it changes nothing)."""
    body = organisations.export_csv(_partnership().id)
    return body, 200, {"Content-Type": "text/csv; charset=utf-8",
                       "Content-Disposition": 'attachment; filename="organisations.csv"'}


# ---- invitations ------------------------------------------------------------------------------

@bp.route("/consultations/<int:consultation_id>/invite", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def invite(consultation_id: int):  # type: ignore[no-untyped-def]
    """Choose organisations to invite; warn when the notice or window is shorter than the minimum."""
    consultation = _consultation(consultation_id)
    partnership = _partnership()
    orgs = organisations.list_organisations(partnership.id, tsi_only=_tsi_only())
    statuses = invitations.org_statuses(consultation, orgs)
    check = invitations.check_notice(consultation)
    form = FlaskForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        wanted = {int(v) for v in request.form.getlist("org") if v.isdigit()}
        chosen = [o for o in orgs if o.id in wanted]
        if not chosen:
            error = _("Choose at least one organisation to invite")
        elif not consultations.is_open(consultation) and consultation.status not in ("draft", "open"):
            error = _("This consultation is closed, so nobody can be invited to it")
        else:
            invited = failed = 0
            no_contacts = []
            for org in chosen:
                outcome = invite_service.invite_organisation(consultation, org, invited_by_id=current_user.id)
                invited += len(outcome.invited)
                failed += outcome.failed
                if not outcome.invited:
                    no_contacts.append(org.name)
            record("organisation.invite", user_id=current_user.id, object_type="consultation",
                   object_id=consultation.id, organisations=len(chosen), contacts=invited)
            db.session.commit()
            flash(_("Sent %(n)s invitations.", n=invited))
            if check.short_notice or check.short_window:
                flash(_("These invitations give %(notice)s days' notice and %(days)s days to respond, less than the "
                        "partnership's minimums (%(min_notice)s and %(min_window)s days). The evidence report "
                        "shows them as invited late.", notice=check.notice_days, days=check.respond_days,
                        min_notice=check.min_notice_days, min_window=check.min_window_days))
            if no_contacts:
                flash(_("Not invited (no contact who gets email): %(names)s", names=", ".join(no_contacts)))
            if failed:
                flash(_("%(n)s emails could not be sent. They are in the outbox with the reason.", n=failed))
            return redirect(url_for("planner.invite", consultation_id=consultation.id))
    return render_template("planner/organisations_invite.html", consultation=consultation, statuses=statuses,
                           check=check, form=form, error=error, error_title=bool(error),
                           type_label=organisations.type_label), (400 if error else 200)


@bp.route("/consultations/<int:consultation_id>/reminders", methods=["POST"])
@roles_required("planner")
def send_reminders(consultation_id: int):  # type: ignore[no-untyped-def]
    """Start the reminder job for organisations that have not responded."""
    consultation = _consultation(consultation_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    row = enqueue("send_org_reminders", consultation_id=consultation.id, base_url=request.host_url)
    return redirect(url_for("planner.job_status", job_id=row.id))


@bp.route("/outbox")
@roles_required("planner", "tsi")
def outbox():  # type: ignore[no-untyped-def]
    """Emails Guth sent or, with no mail server set (the demo), would have sent."""
    return render_template("planner/outbox.html", emails=mail.recent(100), smtp=mail.smtp_configured())


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind organisations that have not responded to open consultations (run daily from cron)."""
    for consultation in consultations.open_consultations():
        row = enqueue("send_org_reminders", consultation_id=consultation.id)
        print(f"{consultation.slug}: reminder job {row.id} {row.state}")
