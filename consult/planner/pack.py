"""The evidence pack: printable page, PDF, XLSX and CSV; and comparing themes across consultations."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..auth import roles_required
from ..auth.scope import current_partnership_id
from ..data import pack as data
from ..data import scope as scope_data
from ..i18n import localised
from ..models import Consultation
from ..services.signed_links import signed_link_required
from ..urls import parse_id
from . import pack_pdf as pdf_layout
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


def csv_text(rows: list[list]) -> str:
    """Return rows as CSV text (formula-safe)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def csv_response(rows: list[list], filename: str) -> Response:
    """Return rows as a downloadable CSV (formula-safe)."""
    return Response(csv_text(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def pack_rows(pack: data.Pack) -> list[list]:
    """Return the pack as one table: section, item, figure, detail (the header row first).

    The one row builder behind every download: CSV and XLSX write these rows, the PDF sets them out by section.
    """
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
        rows.append([_("What changed"), target, action_status_label(a.status),
                     text + (f" ({a.reason})" if a.reason else "")])
    return rows


def _export(consultation_id: int, ext: str, mimetype: str,
            render: Callable[[Consultation, data.Pack], bytes | str]) -> ResponseReturnValue:
    """Build the consultation's pack and return render's output as a download, or go back if it is empty."""
    consultation = consultation_or_404(consultation_id)
    try:
        built = data.build(consultation)
    except data.EmptyConsultation:
        flash(_("There is nothing to export yet: no one has answered this consultation."))
        return redirect(url_for("planner.pack", consultation_id=consultation.id), code=303)
    return Response(render(consultation, built), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{consultation.slug}-evidence.{ext}"'})


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


def _csv(_consultation: Consultation, built: data.Pack) -> str:
    return csv_text(pack_rows(built))


def _xlsx(_consultation: Consultation, built: data.Pack) -> bytes:
    from openpyxl import Workbook

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
    return out.getvalue()


def _pdf(consultation: Consultation, built: data.Pack) -> bytes:
    title = _("Evidence pack: %(title)s", title=localised(consultation.title, "en")[0])
    return pdf_layout.render(title, pack_rows(built)[1:])


@bp.route("/c/<int:consultation_id>/pack.csv")
@roles_required("planner")
@signed_link_required
def pack_csv(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as CSV."""
    return _export(consultation_id, "csv", "text/csv", _csv)


@bp.route("/c/<int:consultation_id>/pack.xlsx")
@roles_required("planner")
@signed_link_required
def pack_xlsx(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as an Excel workbook."""
    return _export(consultation_id, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   _xlsx)


@bp.route("/c/<int:consultation_id>/pack.pdf")
@roles_required("planner")
@signed_link_required
def pack_pdf(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as a PDF, in fonts that show every language people answer in."""
    return _export(consultation_id, "pdf", "application/pdf", _pdf)


@bp.route("/c/<int:consultation_id>/compare")
@roles_required("planner")
def compare(consultation_id: int):  # type: ignore[no-untyped-def]
    """Compare this consultation's themes with another's (e.g. this year's review against the plan's)."""
    consultation = consultation_or_404(consultation_id)
    other_id = request.args.get("with", "")
    other_pk = parse_id(other_id)
    other = scope_data.consultation_for(current_partnership_id(), other_pk) if other_pk is not None else None
    if other is None or other.id == consultation.id:
        abort(404)
    return render_template("planner/compare.html", consultation=consultation, other=other,
                           rows=data.compare(consultation, other), section="pack")
