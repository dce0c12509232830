"""The evidence pack PDF shows every language people answer in: Arabic (shaped, right to left), Ukrainian,
Gàidhlig, Polish and English, in TrueType fonts found on the system; and still renders without them."""

from __future__ import annotations

import io
import logging
import re
import unicodedata

import pytest
from pypdf import PdfReader

from consult.data import actions as action_data
from consult.extensions import db
from consult.models import Coding, Theme
from consult.planner import pack_pdf
from tests.consult.planner.downloads import download
from tests.consult.planner.world import _response

# What people said, as themes named in their words (theme, answer), per language.
SAID = {
    "ar": ("أماكن آمنة للعب", "نريد أماكن آمنة للعب قرب البيت"),
    "uk": ("Безпечні місця для ігор", "Хочемо більше безпечних майданчиків біля школи"),
    "gd": ("Àiteachan-cluiche sàbhailte", "Bu toil leinn barrachd àiteachan-cluiche sàbhailte"),
    "pl": ("Bezpieczne boiska", "Chcielibyśmy więcej bezpiecznych boisk przy szkole"),
    "en": ("Safer crossings", "A crossing near the school would help"),
}
# What changed, written in Arabic: long enough to wrap over several lines of its cell.
AR_ACTION = ("قمنا بإصلاح الأراجيح في كل الحدائق العامة في المنطقة الشمالية وسنضيف مقاعد جديدة "
             "وإضاءة أفضل قبل نهاية الصيف كما طلب الأطفال والعائلات")
UK_ACTION = "Відремонтували гойдалки в парку"
GD_ACTION = "Chàraich sinn na dùdagan sa phàirc"


def _norm(text: str) -> str:
    """Presentation forms back to letters (NFKC), and whitespace made single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in text)


def _runs(pdf: bytes) -> list[tuple[dict, str]]:
    """Return (font dictionary, text) for every run of text drawn in the PDF."""
    runs: list[tuple[dict, str]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, _cm, _tm, font, _size: runs.append((font, text))
                          if text.strip() else None)
    return runs


def _embedded(font: dict | None) -> bool:
    if font is None or font.get("/Subtype") != "/TrueType":
        return False
    return "/FontFile2" in font["/FontDescriptor"].get_object()


@pytest.fixture()
def fonts_found():  # type: ignore[no-untyped-def]
    """The system fonts this PDF needs (Makefile system-deps installs them)."""
    pack_pdf.forget_fonts()
    found = pack_pdf.fonts()
    assert found.text and found.arabic, "no Noto or DejaVu fonts found: install fonts-noto-core (make system-deps)"
    return found


def test_pack_pdf_shows_every_language(world, as_role, fonts_found) -> None:
    c = world.consultation
    themes = {}
    for lang, (name, text) in SAID.items():
        theme = Theme(consultation_id=c.id, key=f"said_{lang}", name=name)
        db.session.add(theme)
        db.session.flush()
        themes[lang] = theme
        for i in range(2):
            _r, a = _response(c, "parent_carer", text=f"{text} {i}", area_id=None, language=lang,
                              may_quote=True, day=i)
            a.quote_status = "approved"
            db.session.add(Coding(answer_id=a.id, theme_id=theme.id, source="machine", confidence=0.9))
    for lang, text, theme in (("ar", AR_ACTION, themes["ar"]), ("uk", UK_ACTION, themes["uk"]),
                              ("gd", GD_ACTION, themes["gd"])):
        action_data.create_action(c, status="done", theme=theme, priority=None, plan_action=None,
                                  texts={lang: {"adult": text}}, reason="", user_id=None)
    db.session.commit()

    pack = f"/planner/c/{c.id}/pack"
    r = download(as_role("planner"), pack, pack + ".pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = _norm("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages))
    # Cyrillic, Gàidhlig and Polish come out intact, letter for letter.
    for lang in ("uk", "gd", "pl", "en"):
        assert SAID[lang][0] in text, lang
    assert UK_ACTION in text and GD_ACTION in text
    # Every Arabic word is there (shaped into presentation forms, which NFKC maps back).
    for word in (SAID["ar"][0] + " " + AR_ACTION).split():
        assert word in text, word
    # All text, the Arabic included, is drawn in embedded TrueType fonts, never a built-in Type 1 font.
    runs = _runs(r.data)
    arabic = [(font, t) for font, t in runs if _has_arabic(t)]
    assert arabic and all(_embedded(font) for font, _t in arabic)
    assert {font["/BaseFont"].split("+")[-1] for font, _t in arabic} <= {"NotoSansArabic-Regular",
                                                                          "NotoSansArabic-Bold",
                                                                          "NotoNaskhArabic-Regular",
                                                                          "DejaVuSans"}
    assert all(_embedded(font) for font, _t in runs), [font and font.get("/BaseFont") for font, _t in runs]


def test_right_to_left_paragraphs_wrap_in_reading_order(app, fonts_found) -> None:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import getSampleStyleSheet

    style = getSampleStyleSheet()["BodyText"]
    style.fontName = fonts_found.regular
    para = pack_pdf.paragraph(AR_ACTION, style, fonts_found)
    para.wrap(150, 1000)
    lines = [re.sub(r"<[^>]+>", "", line) for line in para.para.text.split("<br/>")]
    assert len(lines) >= 3
    # Each line is drawn right to left (reversed, for a left-to-right PDF), and the lines run top to bottom in
    # reading order: read each one back from the right and the paragraph comes back whole, in order. (Reversing
    # the whole paragraph and wrapping it afterwards would put its last words on the first line.)
    assert " ".join(_norm(line[::-1]) for line in lines) == AR_ACTION
    assert _norm(lines[0].split()[-1][::-1]) == AR_ACTION.split()[0]
    assert para.style.alignment == TA_RIGHT


def test_pack_pdf_renders_without_fonts_and_says_so_once(app, monkeypatch, caplog) -> None:
    monkeypatch.setattr(pack_pdf, "TEXT_FONTS", (("NoSuchFont-Regular.ttf", "NoSuchFont-Bold.ttf"),))
    monkeypatch.setattr(pack_pdf, "ARABIC_FONTS", (("NoSuchArabic-Regular.ttf", "NoSuchArabic-Bold.ttf"),))
    monkeypatch.setattr(pack_pdf.log, "disabled", False)  # Alembic's fileConfig in the app fixture disables it
    pack_pdf.forget_fonts()
    rows = [["What they said", name, 2, text] for name, text in SAID.values()]
    try:
        with caplog.at_level(logging.INFO, logger="consult.planner.pack_pdf"):
            for _ in range(3):
                pdf = pack_pdf.render("Evidence pack: Test", rows)
                assert pdf.startswith(b"%PDF") and b"Helvetica" in pdf
    finally:
        pack_pdf.forget_fonts()
    said = [rec for rec in caplog.records if rec.name == "consult.planner.pack_pdf"]
    assert len(said) == 1 and said[0].levelno == logging.WARNING
    message = said[0].getMessage()
    assert "built-in Helvetica" in message and "fonts-noto-core" in message
    assert not any(w in message for name, text in SAID.values() for w in (name, text))
