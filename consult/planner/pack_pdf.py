"""The evidence pack as a tagged PDF: the printable page's HTML laid out by WeasyPrint.

WeasyPrint shapes text with Pango and HarfBuzz, so Arabic is joined and set right to left, and fontconfig
picks a font for each script (Debian's fonts-noto-core: Noto Sans for Latin, Gàidhlig accents and Cyrillic,
Noto Sans Arabic; `make system-deps` installs them). ``pdf/ua-1`` makes a tagged PDF (a structure tree of
headings, tables and paragraphs, /MarkInfo, the document's language and title) that screen readers follow.

The document never fetches anything: every URL it could name is refused, so the PDF holds only what the
template wrote.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError("the evidence pack PDF loads nothing from outside")


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango, HarfBuzz) are not installed on this server."""


def render(html: str) -> bytes:
    """Return the PDF of an HTML document (a tagged PDF/UA-1), loading nothing it links to.

    Raises PdfUnavailable when Pango is missing (WeasyPrint then fails to import with OSError), so the page
    can say what to install instead of answering 500.
    """
    try:
        from weasyprint import HTML
    except OSError as exc:
        log.error("Evidence pack PDF unavailable: WeasyPrint cannot load its libraries (%s)", type(exc).__name__)
        raise PdfUnavailable from exc

    started = time.perf_counter()
    pdf = HTML(string=html, url_fetcher=_no_fetching).write_pdf(pdf_variant=PDF_VARIANT)
    log.info("Evidence pack PDF: %d bytes in %.2f s", len(pdf), time.perf_counter() - started)
    return pdf
