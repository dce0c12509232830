"""The evidence pack: printable page, tagged PDF, XLSX, a CSV per table, the answers export; comparing consultations.

Every figure in the pack and its downloads is suppressed by the one rule (consult.services.suppression),
through consult.services.pack_export, which builds the tables all of them show.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..auth import roles_required
from ..auth.scope import current_partnership_id
from ..data import pack as data
from ..data import scope as scope_data
from ..data.filters import ResultFilter
from ..data.filters import choices as filter_choices
from ..errors import render_error
from ..i18n import localised
from ..models import Consultation
from ..services import pack_export, suppression
from ..services.pack_export import csv_text
from ..services.signed_links import signed_link_required, signed_url
from ..urls import parse_id
from . import pack_pdf as pdf_layout
from .views import bp, consultation_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(rows: list[list], filename: str) -> Response:
    """Return rows as a downloadable CSV (formula-safe)."""
    return Response(csv_text(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _download(body: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _tables(consultation: Consultation) -> pack_export.PackTables | None:
    """Return the consultation's pack, filtered as the URL says, as publishable tables (None: nobody answered)."""
    chosen = ResultFilter.from_args(request.args, consultation)
    try:
        built = data.build(consultation, chosen)
    except data.EmptyConsultation:
        return None
    return pack_export.pack_tables(consultation, built, filters=pack_export.filter_labels(consultation, chosen),
                                   result_filter=chosen)


def _export(consultation_id: int, render: Callable[[Consultation, pack_export.PackTables], Response]
            ) -> ResponseReturnValue:
    """Build the consultation's pack and return render's download, or go back to the pack if it is empty."""
    consultation = consultation_or_404(consultation_id)
    tables = _tables(consultation)
    if tables is None:
        flash(_("There is nothing to export yet: no one has answered this consultation."))
        return redirect(url_for("planner.pack", consultation_id=consultation.id), code=303)
    return render(consultation, tables)


def _signed(endpoint: str, consultation: Consultation, **query: str) -> str:
    """Return a signed download link carrying the page's filter and extra query arguments (the signature
    covers the route; the filter only narrows what the signed-in planner may download anyway)."""
    url = signed_url(endpoint, consultation_id=consultation.id)
    query = {**ResultFilter.from_args(request.args, consultation).to_query(), **query}
    return url + ("&" + urlencode(query) if query else "")


@bp.route("/c/<int:consultation_id>/pack")
@roles_required("planner")
def pack(consultation_id: int):  # type: ignore[no-untyped-def]
    """Show the printable evidence pack: the cover and every table, as the PDF has them."""
    consultation = consultation_or_404(consultation_id)
    tables = _tables(consultation)
    chosen = ResultFilter.from_args(request.args, consultation)
    csv_links = [(t.title, _signed("planner.pack_csv", consultation, table=t.key))
                 for t in (tables.all_tables if tables else [])]
    downloads = {e: _signed(f"planner.{e}", consultation) for e in ("pack_pdf", "pack_xlsx", "answers_csv",
                                                                  "answers_xlsx")}
    return render_template("planner/pack.html", consultation=consultation, tables=tables, csv_links=csv_links,
                           downloads=downloads, filters=chosen, filter_choices=filter_choices(consultation),
                           filter_query=urlencode(chosen.to_query()),
                           others=data.other_consultations(consultation), section="pack")


def _xlsx(consultation: Consultation, tables: pack_export.PackTables) -> Response:
    return _download(pack_export.xlsx_bytes(tables), XLSX, f"{consultation.slug}-evidence.xlsx")


def _pdf(consultation: Consultation, tables: pack_export.PackTables) -> Response:
    html = render_template("pack/document.html", tables=tables)
    try:
        pdf = pdf_layout.render(html)
    except pdf_layout.PdfUnavailable:
        return render_error(503, _("The PDF cannot be made on this server"),
                            _("The server lacks the libraries that lay out the PDF (Pango). Your administrator can "
                              "install them with `make pdf-deps`. The printable page and the Excel and CSV "
                              "downloads hold the same tables."))
    return _download(pdf, "application/pdf", f"{consultation.slug}-evidence.pdf")


@bp.route("/c/<int:consultation_id>/pack.csv")
@roles_required("planner")
@signed_link_required
def pack_csv(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download one table of the evidence pack as CSV (?table=, the themes by default)."""
    key = request.args.get("table", "themes")

    def render(consultation: Consultation, tables: pack_export.PackTables) -> Response:
        table = tables.table(key)
        if table is None:
            abort(404)
        return _download(csv_text(table.as_rows()), "text/csv", f"{consultation.slug}-{table.key}.csv")

    return _export(consultation_id, render)


@bp.route("/c/<int:consultation_id>/pack.xlsx")
@roles_required("planner")
@signed_link_required
def pack_xlsx(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as an Excel workbook: a README sheet, then one sheet per table."""
    return _export(consultation_id, _xlsx)


@bp.route("/c/<int:consultation_id>/pack.pdf")
@roles_required("planner")
@signed_link_required
def pack_pdf(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download the evidence pack as a tagged PDF, in fonts that show every language people answer in."""
    return _export(consultation_id, _pdf)


def _answers(consultation: Consultation) -> tuple[pack_export.Table, list[list[object]]] | None:
    """Return the answers export and its README rows, or None when a filter lets fewer answers through than
    the threshold: the filter itself would describe every one of them, so none is exported."""
    threshold = suppression.threshold_for(consultation.plan.partnership)
    chosen = ResultFilter.from_args(request.args, consultation)
    rows = data.answers_for_export(consultation, chosen)
    if chosen.active and len(rows) < threshold:
        return None
    table, withheld = pack_export.answers_table(rows, threshold)
    readme = [[_("Answers export"), localised(consultation.title)[0]],
              [_("What it is"), table.description],
              [_("Filters applied"), "; ".join(pack_export.filter_labels(consultation, chosen)) or _("None")],
              [_("Answers"), len(table.rows)],
              [_("Answers with a describing column withheld"), withheld],
              [_("Not for publication"), _("Redacted answers for the partnership's own analysis. Publish only "
                                          "figures from the evidence pack.")]]
    return table, readme


def _too_few_answers(consultation: Consultation) -> Response:
    """Go back to the filtered pack, saying why the answers were not exported."""
    threshold = suppression.threshold_for(consultation.plan.partnership)
    flash(_("Fewer than %(n)s answers match these filters, so they are not exported: the filters would describe "
            "everyone in so small a group. Choose wider filters.", n=threshold))
    query = ResultFilter.from_args(request.args, consultation).to_query()
    return redirect(url_for("planner.pack", consultation_id=consultation.id, **query), code=303)


@bp.route("/c/<int:consultation_id>/answers-export.csv")
@roles_required("planner")
@signed_link_required
def answers_csv(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download every analysable answer, redacted, as CSV (small groups' describing columns withheld)."""
    consultation = consultation_or_404(consultation_id)
    made = _answers(consultation)
    if made is None:
        return _too_few_answers(consultation)
    return _download(csv_text(made[0].as_rows()), "text/csv", f"{consultation.slug}-answers.csv")


@bp.route("/c/<int:consultation_id>/answers-export.xlsx")
@roles_required("planner")
@signed_link_required
def answers_xlsx(consultation_id: int):  # type: ignore[no-untyped-def]
    """Download every analysable answer, redacted, as an Excel workbook with a README sheet."""
    consultation = consultation_or_404(consultation_id)
    made = _answers(consultation)
    if made is None:
        return _too_few_answers(consultation)
    return _download(pack_export.answers_xlsx(*made), XLSX, f"{consultation.slug}-answers.xlsx")


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
