"""The evidence pack PDF: tagged for screen readers, a cover with the headline figures, every language people
answer in (Arabic shaped and right to left, Ukrainian, Gàidhlig, Polish), and no figure under the threshold."""

from __future__ import annotations

import io
import re
import time
import unicodedata

from pypdf import PdfReader

from consult.data import actions as action_data
from consult.extensions import db
from consult.models import Coding, Theme
from tests.consult.planner.downloads import download
from tests.consult.planner.world import _response

# What people said, as themes named in their words (theme, answer), per language.
SAID = {
    "ar": ("أماكن آمنة للعب", "نريد أماكن آمنة للعب قرب البيت"),
    "uk": ("Безпечні місця для ігор", "Хочемо більше безпечних майданчиків біля школи"),
    "gd": ("Àiteachan-cluiche sàbhailte", "Bu toil leinn barrachd àiteachan-cluiche sàbhailte"),
    "pl": ("Bezpieczne boiska", "Chcielibyśmy więcej bezpiecznych boisk przy szkole"),
}
AR_ACTION = "قمنا بإصلاح الأراجيح في كل الحدائق العامة في المنطقة الشمالية كما طلب الأطفال والعائلات"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_pack_pdf_is_tagged_has_a_cover_and_shows_every_language(world, as_role) -> None:
    c = world.consultation
    for lang, (name, text) in SAID.items():
        theme = Theme(consultation_id=c.id, key=f"said_{lang}", name=name)
        db.session.add(theme)
        db.session.flush()
        for i in range(5):
            _r, a = _response(c, "parent_carer", text=f"{text} {i}", area_id=None, language=lang, day=i)
            db.session.add(Coding(answer_id=a.id, theme_id=theme.id, source="machine", confidence=0.9))
        if lang == "ar":
            action_data.create_action(c, status="done", theme=theme, priority=None, plan_action=None,
                                      texts={"ar": {"adult": AR_ACTION}}, reason="", user_id=None)
    db.session.commit()

    pack = f"/planner/c/{c.id}/pack"
    started = time.perf_counter()
    r = download(as_role("planner"), pack, pack + ".pdf")
    took = time.perf_counter() - started
    assert r.status_code == 200 and r.mimetype == "application/pdf" and took < 30
    reader = PdfReader(io.BytesIO(r.data))
    root = reader.trailer["/Root"]
    # Tagged: a structure tree (headings, tables, paragraphs) marked as such, in the page's language.
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert str(root.get("/Lang")) == "en", root.get("/Lang")
    kinds = set()
    stack = [root["/StructTreeRoot"].get_object()]
    while stack and len(kinds) < 40:
        node = stack.pop()
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                kinds.add(kid["/S"])
                stack.append(kid)
    assert {"/H1", "/Table", "/TH", "/TD"} <= kinds, kinds
    # The cover (page 1) carries the headline figures, and the tables start on a page of their own.
    cover = _norm(reader.pages[0].extract_text())
    assert "Evidence pack" in cover and "47" in cover  # 27 in the world, 20 added here
    assert "Places to play" in cover and "Buses and transport" in cover and "Who we reached" not in cover
    text = _norm("\n".join(p.extract_text() for p in reader.pages))
    for lang in ("uk", "gd", "pl"):
        assert SAID[lang][0] in text, lang
    assert SAID["ar"][0] in text and AR_ACTION in text  # Arabic, shaped, comes back as the letters typed
    # Small numbers: parents (3 in the world's Gàidhlig answers) are hidden wherever they would show.
    assert "fewer than 5" in text and "LEAKMARKER" not in text
    assert not re.search(r"Worries and mental health [1-4]\b", text)


def test_a_server_without_pango_says_so_instead_of_a_server_error(world, as_role, monkeypatch) -> None:
    """A fresh server without Debian's Pango: WeasyPrint fails to import with OSError; the planner gets a page
    saying what to install (503), never a 500."""
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    pack = f"/planner/c/{world.consultation.id}/pack"
    r = download(as_role("planner"), pack, pack + ".pdf")
    assert r.status_code == 503
    page = r.get_data(as_text=True)
    assert "The PDF cannot be made on this server" in page and "make pdf-deps" in page


def test_a_filtered_pack_pdf_says_its_filter_and_hides_its_small_counts(world, as_role) -> None:
    """Only the three Gàidhlig responses (parents): the cover names the filter and no figure shows 3."""
    pack = f"/planner/c/{world.consultation.id}/pack"
    r = download(as_role("planner"), pack + "?language=gd", pack + ".pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(r.data))
    cover = _norm(reader.pages[0].extract_text())
    assert "Filters applied: Language: Gàidhlig" in cover
    assert "Responses fewer than 5" in cover and not re.search(r"Responses 3\b", cover)
    text = _norm("\n".join(p.extract_text() for p in reader.pages))
    assert "Buses and transport" not in text  # nobody answering in Gàidhlig raised it
    assert "Parents and carers fewer than 5" in text and "Worries and mental health" in text
    assert not re.search(r"(Gàidhlig|Parents and carers|Worries and mental health) [1-4]\b", text), text
