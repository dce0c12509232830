"""Evidence of consultation: the report a partnership shows reviewers and inspectors (HTML, CSV, XLSX)."""

from __future__ import annotations

import csv
import io

from flask import render_template
from flask_babel import gettext as _

from .. import clock
from ..auth import roles_required
from ..data import consultations
from ..data import evidence as evidence_data
from ..data.organisations import type_label
from ..labels import ORG_STATUS_LABELS, org_status_label
from ..models import Consultation
from ..services.signed_links import signed_link_required
from .views import bp, consultation_or_404


def _consultation(consultation_id: int) -> Consultation:
    return consultation_or_404(consultation_id)


def _opportunity_labels() -> dict[str, str]:
    return {"yes": _("Yes"), "late": _("Invited late"), "never": _("Never invited"), "opted_out": _("Opted out")}


def _status_labels() -> dict[str, str]:
    return {key: org_status_label(key) for key in ORG_STATUS_LABELS}


@bp.route("/consultations/<int:consultation_id>/evidence")
@roles_required("planner")
def evidence(consultation_id: int):  # type: ignore[no-untyped-def]
    """The evidence of consultation report (printable)."""
    consultation = _consultation(consultation_id)
    report = evidence_data.build_report(consultation)
    return render_template("planner/evidence.html", report=report, consultation=consultation,
                           type_label=type_label, area_label=str, opportunity=_opportunity_labels(),
                           status=_status_labels(), now_date=clock.today(),
                           partnership=consultations.get_partnership(consultation.plan.partnership_id))


def _safe(value: object) -> object:
    """Stop a spreadsheet reading text as a formula (CSV/XLSX injection)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def _filename(consultation: Consultation, ext: str) -> str:
    return f"evidence-of-consultation-{consultation.slug}.{ext}"


@bp.route("/consultations/<int:consultation_id>/evidence.csv")
@roles_required("planner")
@signed_link_required
def evidence_csv(consultation_id: int):  # type: ignore[no-untyped-def]
    """The per-organisation table as CSV."""
    consultation = _consultation(consultation_id)
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in evidence_data.table(evidence_data.build_report(consultation)):
        writer.writerow([_safe(v) for v in row])
    return buf.getvalue(), 200, {"Content-Type": "text/csv; charset=utf-8",
                                 "Content-Disposition": f'attachment; filename="{_filename(consultation, "csv")}"'}


@bp.route("/consultations/<int:consultation_id>/evidence.xlsx")
@roles_required("planner")
@signed_link_required
def evidence_xlsx(consultation_id: int):  # type: ignore[no-untyped-def]
    """The report as a workbook: organisations, by type, by area."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    consultation = _consultation(consultation_id)
    report = evidence_data.build_report(consultation)
    wb = Workbook()
    ws = wb.active
    ws.title = "Organisations"
    for row in evidence_data.table(report):
        ws.append([_safe(v) for v in row])
    for name, groups, label in (("By type", report.by_type, type_label), ("By area", report.by_area, str)):
        sheet = wb.create_sheet(name)
        sheet.append(["group", "in_register", "invited", "invited_late", "never_invited", "reminded", "responded"])
        for t in groups:
            sheet.append([_safe(label(t.label)) or "-", t.in_register, t.invited, t.late, t.never, t.reminded, t.responded])
        sheet.append(["all", report.total.in_register, report.total.invited, report.total.late, report.total.never,
                      report.total.reminded, report.total.responded])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="{_filename(consultation, "xlsx")}"'}
