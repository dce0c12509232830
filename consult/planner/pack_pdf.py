"""The evidence pack as a PDF (reportlab), legible in every language people answer in.

reportlab's built-in fonts (Helvetica and friends) cover Latin-1 only: Cyrillic, Arabic and some accented
letters come out as boxes. So the PDF uses TrueType fonts found on the system at run time (Debian's
fonts-noto-core and fonts-dejavu-core; none is shipped with Guth, nothing is downloaded), chosen per
character from a fallback order. reportlab neither shapes Arabic nor lays it out right to left (its own
bidi support needs rlbidi, which is not on PyPI), so Arabic is shaped into presentation forms with
arabic-reshaper, wrapped in reading order, and each line is then put in display order with python-bidi.
With no suitable font installed the PDF still renders, in Helvetica, and the log says so once.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

log = logging.getLogger(__name__)

# (regular, bold) font files, most preferred first, for each kind of script. Looked up by file name among the
# fonts fontconfig knows and in the usual folders. A font is used only if it really has the letters of SAMPLE.
TEXT_FONTS: tuple[tuple[str, str], ...] = (
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),            # fonts-noto-core
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),                # fonts-dejavu-core
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),  # fonts-liberation
)
ARABIC_FONTS: tuple[tuple[str, str], ...] = (
    ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),    # fonts-noto-core
    ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),  # fonts-noto-core
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),                    # fonts-dejavu-core
)
# English, Gàidhlig, Polish and Ukrainian letters; Arabic letters and the shaped forms arabic-reshaper makes.
TEXT_SAMPLE = "AaZzÀàÈèÌìÒòÙùÁáÉéÓóŁłŚśŻżŹźĄąĘęĆćŃńЖжЄєЇїІіҐґЩщ"
ARABIC_SAMPLE = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي\ufe8d\ufe91\ufe92\ufe90\ufefb\ufefc"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
INSTALL_HINT = "install Debian's fonts-noto-core and fonts-dejavu-core (make system-deps)"
BUILTIN, BUILTIN_BOLD = "Helvetica", "Helvetica-Bold"

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class Face:
    """One registered TrueType font: its reportlab names and the characters it has."""

    regular: str
    bold: str
    chars: frozenset[int] = field(repr=False)

    def has(self, text: str) -> bool:
        return all(ord(c) in self.chars for c in text)


@dataclass(frozen=True)
class Fonts:
    """The fonts a PDF uses: text faces (Latin, Cyrillic) and Arabic faces, each in fallback order."""

    text: tuple[Face, ...] = ()
    arabic: tuple[Face, ...] = ()

    @property
    def regular(self) -> str:
        return self.text[0].regular if self.text else BUILTIN

    @property
    def bold(self) -> str:
        return self.text[0].bold if self.text else BUILTIN_BOLD

    def face_for(self, ch: str) -> Face | None:
        """Return the first face in fallback order that has the character (None: the paragraph's own font)."""
        order = self.arabic + self.text if _ARABIC.match(ch) else self.text + self.arabic
        code = ord(ch)
        return next((f for f in order if code in f.chars), None)


def _font_files() -> dict[str, str]:
    """Map font file name to path, for every font fontconfig knows and every one in the usual folders."""
    paths: list[str] = []
    if shutil.which("fc-list"):
        try:
            paths += subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True,
                                    timeout=20, check=False).stdout.splitlines()
        except (OSError, subprocess.SubprocessError):
            pass
    for folder in FONT_DIRS:
        for root, _dirs, files in os.walk(os.path.expanduser(folder)):
            paths += [os.path.join(root, f) for f in files]
    found: dict[str, str] = {}
    for path in paths:
        if path.lower().endswith(".ttf") and os.path.isfile(path):
            found.setdefault(os.path.basename(path), path)
    return found


def _register(regular: str, bold: str, files: dict[str, str], sample: str) -> Face | None:
    """Register one (regular, bold) pair with reportlab if its regular file exists and has the sample's letters."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if regular not in files:
        return None
    names = []
    for file in (regular, bold if bold in files else regular):
        name = "Guth-" + file.rsplit(".", 1)[0]
        try:
            font = pdfmetrics.getFont(name)
        except KeyError:
            try:
                # asciiReadable keeps plain ASCII text legible in the PDF's content stream, as with the
                # built-in fonts (the leak tests search it for markers).
                font = TTFont(name, files[file], asciiReadable=True)
            except Exception:  # a damaged or unsupported font file: try the next one
                log.warning("Evidence pack PDF: could not read the font %s; trying the next", files[file])
                return None
            pdfmetrics.registerFont(font)
        names.append((name, font))
    face = Face(names[0][0], names[1][0], frozenset(names[0][1].face.charToGlyph))
    if not face.has(sample):
        return None
    pdfmetrics.registerFontFamily(names[0][0], normal=names[0][0], bold=names[1][0], italic=names[0][0],
                                  boldItalic=names[1][0])
    return face


def _faces(choices: Iterable[tuple[str, str]], files: dict[str, str], sample: str) -> tuple[Face, ...]:
    return tuple(f for f in (_register(r, b, files, sample) for r, b in choices) if f is not None)


_lock = threading.Lock()
_chosen: list[Fonts] = []


def fonts() -> Fonts:
    """Return the PDF fonts, registering them the first time; log once if a script has no font."""
    with _lock:
        if not _chosen:
            files = _font_files()
            found = Fonts(_faces(TEXT_FONTS, files, TEXT_SAMPLE), _faces(ARABIC_FONTS, files, ARABIC_SAMPLE))
            arabic = next((f for f in found.arabic + found.text if f.has(ARABIC_SAMPLE)), None)
            missing = [what for what, ok in (("Latin and Cyrillic", found.text), ("Arabic", arabic)) if not ok]
            if missing:  # once per process, and only font names: nothing anyone wrote
                log.warning("Evidence pack PDF: no TrueType font found for %s letters (looked for %s); %s. "
                            "PDFs still render, but those letters will not show; %s.",
                            " or ".join(missing), ", ".join(r for r, _b in TEXT_FONTS + ARABIC_FONTS),
                            f"text uses {found.text[0].regular}" if found.text
                            else "using reportlab's built-in Helvetica", INSTALL_HINT)
            else:
                log.info("Evidence pack PDF fonts: %s; Arabic: %s", found.regular, arabic.regular if arabic else "")
            _chosen.append(found)
        return _chosen[0]


def forget_fonts() -> None:
    """Look for fonts again on the next PDF (for tests, and after fonts are installed)."""
    with _lock:
        _chosen.clear()


# ---- text: runs of one font, Arabic shaping, right-to-left lines ------------------------------------------

def _runs(text: str, fonts: Fonts, bold: bool) -> list[tuple[str | None, str]]:
    """Split text into (font name or None for the paragraph's own, text) runs by each character's face."""
    runs: list[tuple[str | None, str]] = []
    for ch in text:
        if ch.isspace() and runs:  # a space stays with the run before it
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            continue
        face = fonts.face_for(ch)
        name = None if face is None else (face.bold if bold else face.regular)
        if name == (fonts.bold if bold else fonts.regular):
            name = None
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


def markup(text: str, fonts: Fonts, bold: bool = False) -> str:
    """Return text as Paragraph markup, escaped, each run in the font that has its letters."""
    return "".join(escape(t) if name is None else f'<font name="{name}">{escape(t)}</font>'
                   for name, t in _runs(text, fonts, bold))


def _width(text: str, fonts: Fonts, bold: bool, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    own = fonts.bold if bold else fonts.regular
    return sum(stringWidth(t, name or own, size) for name, t in _runs(text, fonts, bold))


def _reshaper():  # type: ignore[no-untyped-def]
    import arabic_reshaper

    # Keep the vowel marks people typed, unshifted: in python-bidi's display order they then sit on their own
    # letter (shift_harakat_position put them on the neighbouring one; checked on a rendered page).
    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "shift_harakat_position": False})


def wrap_lines(text: str, width: float, fonts: Fonts, bold: bool, size: float) -> list[str]:
    """Break (logical-order) text into lines no wider than width, at spaces, or inside a too-long word."""
    lines: list[str] = []
    for hard in text.split("\n"):
        line = ""
        for word in hard.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _width(candidate, fonts, bold, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
            while len(line) > 1 and _width(line, fonts, bold, size) > width:  # one word wider than the line
                cut = len(line) - 1
                while cut > 1 and _width(line[:cut], fonts, bold, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


@functools.cache
def _bidi_paragraph_class():  # type: ignore[no-untyped-def]
    from bidi import get_base_level, get_display
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph

    reshaper = _reshaper()

    class BidiParagraph(Flowable):
        """A paragraph with right-to-left text: shaped, wrapped in reading order, then each line in display order.

        Reversing a whole paragraph and letting reportlab wrap it would put its last line first.
        """

        def __init__(self, text: str, style: ParagraphStyle, fonts: Fonts) -> None:
            super().__init__()
            self.text = reshaper.reshape(text)
            self.rtl = get_base_level(text) == 1
            self.fonts = fonts
            self.bold = style.fontName in (fonts.bold, BUILTIN_BOLD)
            # Right-to-left text starts at the right: left-aligned (or justified) styles become right-aligned.
            align = TA_RIGHT if self.rtl and style.alignment in (TA_LEFT, TA_JUSTIFY) else style.alignment
            self.style = ParagraphStyle(f"{style.name}-bidi", parent=style, alignment=align)
            self.para: Paragraph | None = None

        def _layout(self, width: float) -> Paragraph:
            lines = wrap_lines(self.text, width - 0.5, self.fonts, self.bold, self.style.fontSize)
            shown = [get_display(line, base_dir="R" if self.rtl else "L") for line in lines]
            self.para = Paragraph("<br/>".join(markup(s, self.fonts, self.bold) for s in shown), self.style)
            return self.para

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
            self.width, self.height = self._layout(availWidth).wrap(availWidth, availHeight)
            return self.width, self.height

        def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803
            return self._layout(availWidth).split(availWidth, availHeight)

        def draw(self) -> None:
            assert self.para is not None
            self.para.drawOn(self.canv, 0, 0)

    return BidiParagraph


def paragraph(text: str, style, fonts: Fonts):  # type: ignore[no-untyped-def]
    """Return a flowable showing text in style: a plain Paragraph, or a BidiParagraph for right-to-left text."""
    from reportlab.platypus import Paragraph

    if _RTL.search(text):
        return _bidi_paragraph_class()(text, style, fonts)
    return Paragraph(markup(text, fonts, bold=style.fontName in (fonts.bold, BUILTIN_BOLD)), style)


# ---- the document -----------------------------------------------------------------------------------------

def render(title: str, rows: list[list], *, author: str = "Guth") -> bytes:
    """Return the evidence pack PDF: the title, then one table (item, figure, detail) per section of rows."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    chosen = fonts()
    sample = getSampleStyleSheet()
    styles = {key: ParagraphStyle(f"guth-{key}", parent=sample[key],
                                  fontName=chosen.regular if key == "BodyText" else chosen.bold,
                                  keepWithNext=int(key == "Heading2"))  # no heading alone at a page's foot
              for key in ("Title", "Heading2", "BodyText")}
    story: list = [paragraph(title, styles["Title"], chosen)]
    table: list[list] = []

    def flush() -> None:
        if table:
            t = Table([[paragraph(str(v), styles["BodyText"], chosen) for v in r[1:]] for r in table],
                      colWidths=[200, 60, 220], repeatRows=0)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.extend([t, Spacer(1, 12)])
            table.clear()

    section = None
    for r in rows:
        if r[0] != section:
            flush()
            section = r[0]
            story.append(paragraph(str(section), styles["Heading2"], chosen))
        table.append(r)
    flush()
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, pageCompression=0, title=title, author=author).build(story)
    return out.getvalue()
