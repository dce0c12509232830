"""Public pages: published 'You said, we did' pages, for adults and for each child age band."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, send_file, url_for

from forms import picture_path

from ..auth.decorators import public_route
from ..data import consultations
from ..data import public as data
from ..labels import AGE_BAND_LABELS, AUDIENCE_LABELS, action_status_label
from ..models import Consultation
from ..services.we_did import ADULTS, BAND_SLUGS, SLUG_BANDS, child_bands, default_band, text_for
from .figures import page_figures, public_count

bp = Blueprint("public", __name__, url_prefix="/results")



def public_helpers() -> dict[str, Any]:
    """Return the helpers every 'You said, we did' page uses (public pages and staff previews alike)."""
    return {"public_count": public_count, "audience_label": lambda a: str(AUDIENCE_LABELS.get(a, a)),
            "age_band_label": lambda b: str(AGE_BAND_LABELS.get(b, b)),
            "action_status_label": action_status_label, "text_for": text_for}


def render_page(consultation: Consultation, audience: str, *, link: Callable[[str], str],
                preview: dict | None = None) -> str:
    """Render the adult page (audience ``adults``) or one band's child page, exactly as the public sees it.

    ``link(audience)`` gives the address of another audience's page: the public page, or in a preview
    the matching preview, so a planner can walk the pages before anyone else can.
    """
    page = data.page(consultation, quotes=audience == ADULTS)
    context = {"page": page, "figures": page_figures(page.audiences, page.threshold), "link": link,
               "bands": child_bands(consultation), "preview": preview, **public_helpers()}
    if audience == ADULTS:
        return render_template("public/consultation.html", **context)
    return render_template("public/consultation_child.html", band=audience, **context)


def _public_link(consultation: Consultation) -> Callable[[str], str]:
    default = default_band(consultation)

    def link(audience: str) -> str:
        if audience == ADULTS:
            return url_for("public.consultation", slug=consultation.slug)
        if audience == default:
            return url_for("public.consultation_child", slug=consultation.slug)
        return url_for("public.consultation_band", slug=consultation.slug, ages=BAND_SLUGS[audience])

    return link


def _published_or_404(slug: str) -> Consultation:
    consultation = data.published(slug)
    if consultation is None:
        abort(404)
    return consultation


@bp.route("/")
@public_route
def index():  # type: ignore[no-untyped-def]
    """List published "You said, we did" pages."""
    return render_template("public/index.html", consultations=consultations.published_consultations())


@bp.route("/<slug>")
@public_route
def consultation(slug: str):  # type: ignore[no-untyped-def]
    """The adult 'You said, we did' page."""
    row = _published_or_404(slug)
    return render_page(row, ADULTS, link=_public_link(row))


@bp.route("/<slug>/children")
@public_route
def consultation_child(slug: str):  # type: ignore[no-untyped-def]
    """The child-friendly page for the middle age band (8–11 where the consultation ran for it)."""
    row = _published_or_404(slug)
    return render_page(row, default_band(row), link=_public_link(row))


@bp.route("/<slug>/children/<ages>")
@public_route
def consultation_band(slug: str, ages: str):  # type: ignore[no-untyped-def]
    """The child-friendly page for one age band: /children/5-8, /children/8-11, /children/12-17."""
    row = _published_or_404(slug)
    band = SLUG_BANDS.get(ages)
    if band is None or band not in child_bands(row):
        abort(404)
    if band == default_band(row):
        return redirect(url_for("public.consultation_child", slug=slug), code=301)
    return render_page(row, band, link=_public_link(row))


@bp.route("/pictures/<name>")
@public_route
def picture(name: str):  # type: ignore[no-untyped-def]
    """Serve one of the shipped pictures."""
    path = picture_path(name)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/svg+xml", max_age=86400)
