"""The evidence pack: printable page, PDF, XLSX and CSV; and comparing themes across consultations."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import roles_required
from ..auth.scope import current_partnership_id
from ..data import pack as data
from ..data import scope as scope_data
from ..i18n import localised
from ..services.signed_links import signed_link_required
from .views import (
    action_status_label,
    area_label,
    audience_label,
    bp,
    channel_label,
    consultation_or_404,
    group_label,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Return a spreadsheet cell value that cannot run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(rows: list[list], filename: str) -> Response:
    """Return rows as a downloadable CSV (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def pack_rows(pack: data.Pack) -> list[list]:
    """Return the pack as one table: section, item, figure, detail."""
    c = pack.consultation
    rows: list[list] = [[_("Section"), _("Item"), _("Figure"), _("Detail")],
                        [_("Reach"), _("Responses submitted"), pack.board.total, ""]]
    rows += [[_("Reach"), audience_label(a), n, _("audience")] for a, n in pack.board.by_audience]
    rows += [[_("Reach"), area_label(a), n, _("area")] for a, n in pack.board.by_area]
    rows += [[_("Reach"), x, n, _("language")] for x, n in pack.board.by_language]
    rows += [[_("Reach"), channel_label(x), n, _("channel")] for x, n in pack.board.by_channel]
    rows += [[_("Reach"), group_label(g), n, _("group")] for g, n in pack.board.groups]
    rows += [[_("Reach"), f"{audience_label(r.audience)} – {r.area_name or _('Whole partnership')}", r.responses,
              _("%(rate)s per 1,000 of %(population)s people", rate=round(r.rate, 1), population=r.population)
              + (" – " + _("under-represented") if pack.board.under_represented(r) else "")]
             for r in pack.board.reach]
    rows += [[_("What they said"), t.name, n, "; ".join(f"{audience_label(a)} {k}" for a, k in sorted(per.items()))]
             for t, n, per in pack.themes]
    rows += [[_("Gaps"), t.name, n, _("no priority covers it")] for t, n in pack.gaps]
    for a in pack.actions:
        text = localised({k: v.get("adult", "") for k, v in (a.texts or {}).items()}, "en")[0]
        target = a.theme.name if a.theme else (a.priority.title if a.priority else "")
        rows.append([_("What changed"), target, action_status_label(a.status), text + (f" ({a.reason})" if a.reason
                                                                                       else "")])
    del c
    return rows


def _pack_or_redirect(consultation):  # type: ignore[no-untyped-def]
    try:
        return data.build(consultation), None
    except data.EmptyConsultation:
        flash(_("There is nothing to export yet: no one has answered this consultation."))
        return None, redirect(url_for("planner.pack", consultation_id=consultation.id), code=303)


@bp.route("/c/<int:consultation_id>/pack")
@roles_required("planner")
def pack(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show the printable evidence pack."""
    consultation = consultation_or_404(consultation_id)
    try:
        built = data.build(consultation)
    except data.EmptyConsultation:
        built = None
    return render_template("planner/pack.html", consultation=consultation, pack=built,
                           others=data.other_consultations(consultation), section="pack")


@bp.route("/c/<int:consultation_id>/pack.csv")
@roles_required("planner")
@signed_link_required
def pack_csv(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as CSV."""
    consultation = consultation_or_404(consultation_id)
    built, stop = _pack_or_redirect(consultation)
    if stop:
        return stop
    return csv_response(pack_rows(built), f"{consultation.slug}-evidence.csv")


@bp.route("/c/<int:consultation_id>/pack.xlsx")
@roles_required("planner")
@signed_link_required
def pack_xlsx(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as an Excel workbook."""
    from openpyxl import Workbook

    consultation = consultation_or_404(consultation_id)
    built, stop = _pack_or_redirect(consultation)
    if stop:
        return stop
    book = Workbook()
    sheet = book.active
    sheet.title = _("Evidence")[:31]
    for row in pack_rows(built):
        sheet.append([safe_cell(v) for v in row])
    days = book.create_sheet(_("Responses by day")[:31])
    days.append([_("Day"), _("Responses")])
    for day, n in built.board.by_day:
        days.append([day, n])
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{consultation.slug}-evidence.xlsx"'})


@bp.route("/c/<int:consultation_id>/pack.pdf")
@roles_required("planner")
@signed_link_required
def pack_pdf(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as a PDF (reportlab)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    consultation = consultation_or_404(consultation_id)
    built, stop = _pack_or_redirect(consultation)
    if stop:
        return stop
    styles = getSampleStyleSheet()
    title = localised(consultation.title, "en")[0]
    story = [Paragraph(escape(_("Evidence pack: %(title)s", title=title)), styles["Title"])]
    rows = pack_rows(built)
    section = None
    table: list[list] = []

    def flush() -> None:
        if table:
            t = Table([[Paragraph(escape(str(v)), styles["BodyText"]) for v in r[1:]] for r in table],
                      colWidths=[200, 60, 220], repeatRows=0)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.extend([t, Spacer(1, 12)])
            table.clear()

    for r in rows[1:]:
        if r[0] != section:
            flush()
            section = r[0]
            story.append(Paragraph(escape(str(section)), styles["Heading2"]))
        table.append(r)
    flush()
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, pageCompression=0, title=_("Evidence pack: %(title)s", title=title), author="Guth").build(story)
    return Response(out.getvalue(), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{consultation.slug}-evidence.pdf"'})


@bp.route("/c/<int:consultation_id>/compare")
@roles_required("planner")
def compare(consultation_id: int):  # type: ignore[no-untyped-def]
    """Compare this consultation's themes with another's (e.g. this year's review against the plan's)."""
    consultation = consultation_or_404(consultation_id)
    other_id = request.args.get("with", "")
    other = scope_data.consultation_for(current_partnership_id(), int(other_id)) if other_id.isdigit() else None
    if other is None or other.id == consultation.id:
        abort(404)
    return render_template("planner/compare.html", consultation=consultation, other=other,
                           rows=data.compare(consultation, other), section="pack")
