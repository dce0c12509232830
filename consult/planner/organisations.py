"""The consultee register, invitations, reminders and the outbox (planners and the TSI)."""

from __future__ import annotations

import unicodedata

import click
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, FileField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation

from ..auth import roles_required
from ..auth.scope import consultation_or_404, current_partnership_id, organisation_or_404, partnership_or_404
from ..data import consultations, invitations, organisations
from ..data import scope as scope_data
from ..data.audit import record
from ..extensions import db
from ..jobs import enqueue
from ..models import ORG_TYPES, Consultation, Contact, Organisation, Partnership
from ..services import invitations as invite_service
from ..services import mail
from ..services.signed_links import signed_link_required
from ..urls import parse_ids
from .views import bp

EMAIL = Regexp(organisations.EMAIL_RE.pattern, message=_l("Enter an email address like name@example.org"))


class NoControlCharacters:
    """Refuse text holding hidden control characters (tabs, line breaks, NUL …) pasted from elsewhere."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if any(unicodedata.category(ch) == "Cc" for ch in field.data or ""):
            raise StopValidation(self.message or _("Remove the hidden characters, such as tabs or line breaks"))


class OrganisationForm(FlaskForm):
    """An organisation's details in the register."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organisation's name")), Length(max=300)])
    org_type = SelectField(_l("Type of organisation"), choices=[])
    area = SelectField(_l("Area it mainly works in"), choices=[], validators=[Optional()])
    themes = StringField(_l("Themes of interest"), validators=[Length(max=1000)])
    tsi_member = BooleanField(_l("The Third Sector Interface coordinates this organisation"))


class ContactForm(FlaskForm):
    """A person at an organisation who can be invited."""

    contact_name = StringField(_l("Contact's name"), validators=[
        DataRequired(_l("Enter the contact's name")),
        Length(max=200, message=_l("The name must be 200 characters or fewer")), NoControlCharacters()])
    email = StringField(_l("Email address"), validators=[
        DataRequired(_l("Enter the contact's email address")),
        Length(max=320, message=_l("The email address must be 320 characters or fewer")), NoControlCharacters(),
        EMAIL], render_kw={"spellcheck": "false", "autocomplete": "off"})
    role = StringField(_l("Role"), validators=[
        Length(max=200, message=_l("The role must be 200 characters or fewer")), NoControlCharacters()])


class ImportForm(FlaskForm):
    """A CSV file of organisations and contacts."""

    file = FileField(_l("CSV file"))


def _tsi_only() -> bool:
    """TSI coordinators (who are not planners) work with the organisations the TSI coordinates."""
    return not current_user.has_role("planner")


def _organisation(org_id: int) -> Organisation:
    """Return the partnership's organisation, or 404 (TSI coordinators reach only the TSI's members)."""
    return organisation_or_404(org_id, tsi_members_only=_tsi_only())


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
    partnership = partnership_or_404()
    orgs = organisations.list_organisations(partnership.id, tsi_only=_tsi_only())
    return render_template("planner/organisations.html", orgs=orgs, type_label=organisations.type_label,
                           contacts_of=organisations.contacts_of, rows=scope_data.summaries_for(partnership.id))


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def organisation_new():  # type: ignore[no-untyped-def]
    """Add an organisation to the register."""
    partnership = partnership_or_404()
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
            flash(_("Added %(name)s. Now add the people to invite.", name=org.name))
            return redirect(url_for("planner.organisation_edit", org_id=org.id))
    return render_template("planner/organisation_form.html", form=form, org=None, contact_form=None)


def _org_data(org: Organisation) -> dict[str, object]:
    return {"name": org.name, "org_type": org.org_type, "area": org.area,
            "themes": ", ".join(org.themes_of_interest or []), "tsi_member": org.tsi_member}


def _org_page(org: Organisation, form: OrganisationForm, contact_form: ContactForm,
              status: int = 200):  # type: ignore[no-untyped-def]
    errors = bool(form.errors or contact_form.errors)
    return render_template("planner/organisation_form.html", form=form, org=org, contact_form=contact_form,
                           contacts=organisations.contacts_of(org), type_label=organisations.type_label,
                           error_title=errors), status


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def organisation_edit(org_id: int):  # type: ignore[no-untyped-def]
    """Change an organisation's details; see and add its contacts."""
    partnership = partnership_or_404()
    org = _organisation(org_id)
    form = _org_form(partnership, obj=None, data=_org_data(org))
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
            flash(_("Saved %(name)s.", name=org.name))
            return redirect(url_for("planner.organisation_edit", org_id=org.id))
    return _org_page(org, form, ContactForm(formdata=None))


@bp.route("/organisations/<int:org_id>/contacts", methods=["POST"])
@roles_required("planner", "tsi")
def contact_add(org_id: int):  # type: ignore[no-untyped-def]
    """Add a contact to an organisation."""
    partnership = partnership_or_404()
    org = _organisation(org_id)
    contact_form = ContactForm()
    if _valid_contact(contact_form, org):
        contact = organisations.add_contact(org, name=contact_form.contact_name.data,
                                            email=contact_form.email.data, role=contact_form.role.data or "")
        record("contact.add", user_id=current_user.id, object_type="contact", object_id=contact.id,
               organisation_id=org.id)
        flash(_("Added %(name)s.", name=contact.name))
        return redirect(url_for("planner.organisation_edit", org_id=org.id) + "#contacts")
    form = _org_form(partnership, formdata=None, data=_org_data(org))
    return _org_page(org, form, contact_form, 400)


def _valid_contact(form: ContactForm, org: Organisation, contact: Contact | None = None) -> bool:
    """Validate a posted contact form, saying at once if the address is another contact's here too."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    if not form.email.errors and organisations.email_taken(org, form.email.data, other_than=contact):
        form.email.errors.append(_("%(email)s is already a contact here", email=form.email.data))
        valid = False
    return valid


def _contact(org: Organisation, contact_id: int) -> Contact:
    contact = organisations.get_contact(org, contact_id)
    if contact is None:
        abort(404)
    return contact


def _can_invite(consultation: Consultation) -> bool:
    """Invitations go out only while a consultation is being prepared or is open (as on the invite page)."""
    return consultation.status in ("draft", "open")


def _send_new_links(contact: Contact) -> tuple[int, int, int]:
    """After an email change: stop every link sent to the old address, email new ones to the new address.

    New links go only for consultations still open that the organisation has not answered. Returns
    (links stopped, links sent, emails that failed).
    """
    wanted = [c for c in organisations.outstanding_consultations(contact) if _can_invite(c)]
    stopped = organisations.revoke_links(contact)  # also ends any browser session opened with an old link
    sent = failed = 0
    for consultation in wanted:
        email = invite_service.invite_contact(consultation, contact, invited_by_id=current_user.id)
        sent += 1
        failed += bool(email.error)
    return stopped, sent, failed


@bp.route("/organisations/<int:org_id>/contacts/<int:contact_id>", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def contact_edit(org_id: int, contact_id: int):  # type: ignore[no-untyped-def]
    """Change a contact's name, email address or role."""
    org = _organisation(org_id)
    contact = _contact(org, contact_id)
    form = ContactForm(data={"contact_name": contact.name, "email": contact.email, "role": contact.role})
    if _valid_contact(form, org, contact):
        return _save_contact(org, contact, form)
    outstanding = organisations.outstanding_consultations(contact)
    return render_template("planner/contact_form.html", form=form, org=org, contact=contact,
                           live=organisations.live_invitations(contact),
                           resend=[c for c in outstanding if _can_invite(c)],
                           error_title=bool(form.errors)), (400 if form.errors else 200)


def _save_contact(org: Organisation, contact: Contact, form: ContactForm):  # type: ignore[no-untyped-def]
    """Save an edited contact; a new email address gets new links and the old address's stop working."""
    changed = organisations.update_contact(contact, name=form.contact_name.data, email=form.email.data,
                                           role=form.role.data or "")
    back = redirect(url_for("planner.organisation_edit", org_id=org.id) + "#contacts")
    if not changed:
        flash(_("Nothing changed for %(name)s.", name=contact.name))
        return back
    stopped, sent, failed = _send_new_links(contact) if "email" in changed else (0, 0, 0)
    # Which fields changed, never their values: the audit log holds no email addresses.
    record("contact.update", user_id=current_user.id, object_type="contact", object_id=contact.id,
           organisation_id=org.id, changed=changed, links_stopped=stopped, links_sent=sent)
    flash(_("Saved the changes to %(name)s.", name=contact.name))
    if stopped:
        flash(_("The personal link sent to the old email address no longer works."))
    if sent:
        flash(ngettext("Sent %(name)s %(num)s new personal link at %(email)s.",
                       "Sent %(name)s %(num)s new personal links at %(email)s.", sent,
                       name=contact.name, email=contact.email))
    if failed:
        flash(ngettext("%(num)s email could not be sent. It is in the outbox with the reason.",
                       "%(num)s emails could not be sent. They are in the outbox with the reason.", failed))
    return back


@bp.route("/organisations/<int:org_id>/contacts/<int:contact_id>/remove", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def contact_remove(org_id: int, contact_id: int):  # type: ignore[no-untyped-def]
    """Ask before removing a contact (GET changes nothing); remove them on POST."""
    org = _organisation(org_id)
    contact = _contact(org, contact_id)
    form = FlaskForm()
    stranded = organisations.stranded_consultations(contact)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        name = contact.name
        stopped = len(organisations.live_invitations(contact))
        kept = organisations.remove_contact(contact)
        record("contact.remove", user_id=current_user.id, object_type="contact", object_id=contact_id,
               organisation_id=org.id, kept_on_record=kept, links_stopped=stopped)
        flash(_("Removed %(name)s from %(org)s.", name=name, org=org.name))
        if stopped:
            flash(_("Their personal link no longer works."))
        if stranded and organisations.contacts_of(org):
            flash(_("%(org)s is still invited, but nobody there can open its response or get reminders until you "
                    "invite %(org)s again.", org=org.name))
        elif stranded:
            flash(_("%(org)s is still invited, but nobody there can open its response or get reminders until you "
                    "add a contact and invite %(org)s again.", org=org.name))
        return redirect(url_for("planner.organisation_edit", org_id=org.id) + "#contacts")
    return render_template("planner/contact_remove.html", form=form, org=org, contact=contact,
                           live=organisations.live_invitations(contact), stranded=stranded,
                           on_record=organisations.on_record(contact))


def import_problem_message(problem: organisations.ImportProblem) -> str:
    """Word one reason a CSV import did nothing, as the import page lists it (import_csv gives only codes)."""
    p = problem
    if p.code == "not_utf8":
        return _("The file is not UTF-8 text (first problem on line %(line)s). In your "
                 "spreadsheet choose Save as, then 'CSV UTF-8', and upload it again.", line=p.row)
    if p.code == "binary":
        return _("The file is not a CSV text file. Upload a .csv file saved from a spreadsheet.")
    if p.code == "too_many_rows":
        return _("The file has more than %(n)s rows. Split it into smaller files.", n=p.n)
    if p.code == "malformed":
        return _("Row %(row)s: the CSV is malformed (%(why)s).", row=p.row, why=p.value)
    if p.code == "empty":
        return _("The file is empty.")
    if p.code == "missing_columns":
        return _("The file is missing the column(s): %(cols)s. The first row must name the "
                 "columns, for example: %(example)s.", cols=", ".join(p.columns),
                 example=",".join(organisations.CSV_COLUMNS))
    if p.code == "no_rows":
        return _("The file has column names but no rows of organisations.")
    return _("Row %(row)s: %(problem)s", row=p.row, problem=_row_problem(p))


def _row_problem(p: organisations.ImportProblem) -> str:
    """Word what is wrong with one row of an imported CSV (the page says which row)."""
    if p.code == "name_empty":
        return _("the organisation name is empty")
    if p.code == "name_too_long":
        return _("the organisation name is longer than 300 characters")
    if p.code == "bad_type":
        return _("the type %(value)s is not one of: %(allowed)s", value=repr(p.value), allowed=", ".join(ORG_TYPES))
    if p.code == "bad_tsi_member":
        return _("tsi_member must be yes or no, not %(value)s", value=repr(p.value))
    if p.code == "bad_email":
        return _("the contact email %(value)s is not an email address", value=repr(p.value))
    if p.code == "too_long":
        return f"{p.column}: " + _("Keep it to %(n)s characters or fewer", n=p.n)
    if p.code == "control_characters":
        return _("the %(col)s column holds hidden control characters", col=p.column)
    if p.code == "repeats":
        return _("repeats row %(row)s (same organisation and contact)", row=p.n)
    raise ValueError(f"no wording for the import problem {p.code!r}")


@bp.route("/organisations/import", methods=["GET", "POST"])
@roles_required("planner")
def organisation_import():  # type: ignore[no-untyped-def]
    """Import organisations and contacts from CSV: every row or none."""
    partnership = partnership_or_404()
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
                flash(_("Imported: %(created)s new organisations, %(matched)s already in the register, "
                        "%(contacts)s new contacts.", created=result.created, matched=result.matched,
                        contacts=result.contacts_added))
                return redirect(url_for("planner.organisation_list"))
            db.session.rollback()
            errors = [import_problem_message(p) for p in result.errors]
    return render_template("planner/organisations_import.html", form=form, errors=errors,
                           columns=organisations.CSV_COLUMNS, error_title=bool(errors),
                           types=ORG_TYPES), (400 if errors else 200)


@bp.route("/organisations/export.csv")
@roles_required("planner")
@signed_link_required
def organisation_export():  # type: ignore[no-untyped-def]
    """Download the register as CSV (re-importing it changes nothing)."""
    body = organisations.export_csv(partnership_or_404().id)
    return body, 200, {"Content-Type": "text/csv; charset=utf-8",
                       "Content-Disposition": 'attachment; filename="organisations.csv"'}


# ---- invitations ------------------------------------------------------------------------------

@bp.route("/consultations/<int:consultation_id>/invite", methods=["GET", "POST"])
@roles_required("planner", "tsi")
def invite(consultation_id: int):  # type: ignore[no-untyped-def]
    """Choose organisations to invite; warn when the notice or window is shorter than the minimum."""
    consultation = consultation_or_404(consultation_id)
    partnership = partnership_or_404()
    orgs = organisations.list_organisations(partnership.id, tsi_only=_tsi_only())
    statuses = invitations.org_statuses(consultation, orgs)
    check = invitations.check_notice(consultation)
    form = FlaskForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        wanted = set(parse_ids(request.form.getlist("org")))
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
            flash(_("Sent %(n)s invitations.", n=invited))
            if check.short_notice or check.short_window:
                flash(_("These invitations give %(notice)s days' notice and %(days)s days to respond, less than the "
                        "partnership's minimums (%(min_notice)s and %(min_window)s days). The evidence report "
                        "shows them as invited late.", notice=check.notice_days, days=check.respond_days,
                        min_notice=check.min_notice_days, min_window=check.min_window_days))
            if no_contacts:
                flash(_("Not invited (no contact who gets email): %(names)s", names=", ".join(no_contacts)))
            if failed:
                flash(ngettext("%(num)s email could not be sent. It is in the outbox with the reason.",
                               "%(num)s emails could not be sent. They are in the outbox with the reason.", failed))
            return redirect(url_for("planner.invite", consultation_id=consultation.id))
    return render_template("planner/organisations_invite.html", consultation=consultation, statuses=statuses,
                           check=check, form=form, error=error, error_title=bool(error),
                           type_label=organisations.type_label, contacts_of=organisations.contacts_of), \
        (400 if error else 200)


@bp.route("/consultations/<int:consultation_id>/reminders", methods=["POST"])
@roles_required("planner")
def send_reminders(consultation_id: int):  # type: ignore[no-untyped-def]
    """Start the reminder job for organisations that have not responded."""
    consultation = consultation_or_404(consultation_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    row = enqueue("send_org_reminders", consultation_id=consultation.id)  # links at GUTH_BASE_URL, not Host
    return redirect(url_for("planner.job_status", job_id=row.id))


@bp.route("/outbox")
@roles_required("planner", "tsi")
def outbox():  # type: ignore[no-untyped-def]
    """Emails Guth sent or, with no mail server set (the demo), would have sent."""
    return render_template("planner/outbox.html", emails=mail.recent(current_partnership_id(), 100),
                           smtp=mail.smtp_configured())


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind organisations that have not responded to open consultations (run daily from cron)."""
    for consultation in consultations.open_consultations():
        row = enqueue("send_org_reminders", consultation_id=consultation.id)
        print(f"{consultation.slug}: reminder job {row.id} {row.state}")


@bp.cli.command("erase-answers")
@click.argument("receipt_code")
def erase_answers_command(receipt_code: str) -> None:
    """Delete one person's answers and what was made from them, by their receipt code (after closing too).

    The receipt code's own "Delete my answers" works until the consultation closes; a request that
    comes later (by email, by letter) is met with this. Flagged answers stay for the safeguarding lead.
    """
    from ..data import responses
    from ..data.audit import record as audit
    from ..services import answers as answers_service

    response = responses.find_by_receipt(receipt_code)
    if response is None or response.status == "withdrawn":
        raise click.ClickException("No answers have that receipt code (or they were deleted already).")
    answers_service.delete(response)
    audit("response.erase", user_id=None, object_type="response", object_id=response.id, by="cli")
    db.session.commit()  # a CLI command has no request, so no unit of work: it commits itself
    click.echo(f"Deleted the answers of response {response.id}.")
