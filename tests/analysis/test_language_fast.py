"""Language detection's fast paths give exactly what the plain way gives.

The analysis detects each answer's language twice when redaction changed it (the screen reads the answer as
typed, the themer the redacted text). The detector takes an ASCII shortcut and counts cue words with one
look-up per word, and the themer's second detection asks CLD2 only when its vote can change the code. These
tests hold all of that to the detector as it was written first (copied below), on the screen's corpus in five
languages, generated answers, their redacted forms and awkward text, with and without a page-language hint.
"""

import random
import unicodedata

import pytest

from analysis import Themer, analyse_many, load_default_codebook, redact_many
from analysis import language as L
from analysis.language import LanguageGuess, detect_language, language_code
from analysis.screen_model import load_corpus


def plain_detect(text: str, hint: str | None = None) -> LanguageGuess:
    """The detector before the fast paths, line for line."""
    clean = L._INVISIBLE.sub("", unicodedata.normalize("NFC", text or ""))
    words = [L._fold(w) for w in L._WORD.findall(clean)]
    if not words:
        return LanguageGuess("und", 0.0, False)
    arabic = len(L._ARABIC.findall(clean))
    cyrillic = len(L._CYRILLIC.findall(clean))
    latin = len(L._LATIN.findall(clean))
    letters = arabic + cyrillic + latin
    cues = L._cues()
    hits = {lang: sum(1 for w in words if w in ws) for lang, ws in cues.items()}
    others = tuple(sorted(lang for lang, n in hits.items() if n and lang in L.SUPPORTED))
    if letters == 0:
        code, pct, reliable = L._cld(clean)
        return LanguageGuess(code, pct / 100 if code != "und" else 0.0, code != "und" and reliable, others)
    if arabic >= max(cyrillic, latin):
        code, pct, reliable = L._cld(clean)
        if code in ("fa", "ur", "ps", "ku", "sd", "ug") and reliable and pct >= 80:
            return LanguageGuess(code, pct / 100, True, others)
        return LanguageGuess("ar", max(0.9, arabic / letters), True, others)
    if cyrillic >= latin:
        code, pct, reliable = L._cld(clean)
        if L._UK_LETTERS.search(clean) or code == "uk":
            return LanguageGuess("uk", 0.95 if L._UK_LETTERS.search(clean) else max(0.7, pct / 100), True, others)
        if L._RU_LETTERS.search(clean) or code == "ru":
            return LanguageGuess("ru", max(0.7, pct / 100), True, others)
        if code not in ("und",) and reliable:
            return LanguageGuess(code, pct / 100, True, others)
        return LanguageGuess("uk", 0.5, False, others)
    score = {lang: float(hits.get(lang, 0)) for lang in ("en", "gd", "pl")}
    code, pct, reliable = L._cld(clean)
    if code in L.ENGLISH_VARIETIES:
        code = "en"
    if L._PL_LETTERS.search(clean):
        score["pl"] += 2.0
    if L._GD_LETTERS.search(clean):
        score["gd"] += 1.5
    if code in score and (reliable or len(words) >= 4):
        score[code] += 1.5 + 2.0 * pct / 100
    best = max(score, key=lambda k: (score[k], k == (hint or "en"), k == "en"))
    total = sum(score.values())
    if code not in score and code != "und" and reliable and len(words) >= 4 and pct >= 70:
        if hits.get(best, 0) < 0.4 * len(words) and not (L._PL_LETTERS.search(clean) or L._GD_LETTERS.search(clean)):
            return LanguageGuess(code, pct / 100, True, others)
    if total == 0 or score[best] < 1.0:
        fallback = hint if hint in ("en", "gd", "pl") else "en"
        return LanguageGuess(fallback, 0.4, False, others)
    confidence = score[best] / total
    return LanguageGuess(best, round(confidence, 3), confidence >= 0.6 and score[best] >= 1.5, others)


AWKWARD = [
    "", " ", "ok", "no", "😀", "123 456", "I'm fine", "I’m fine thanks", "Tha mi sgìth", "Nie wiem", "ok ok ok",
    "İstanbul ǅ Straße", "naïve café", "Je suis fatigué et je veux rentrer à la maison", "Ceaușescu a fost",
    "Mo  phàiste", "the the the the the agus", "I i i w w na na nie", "ABC DEF", "a\u200bb\u202ec", "Jack\x07",
    "Ich bin müde und will nach Hause gehen", "mam to w domu i nie wiem", "[NAME] said ok", "Привет как дела",
    "أنا بخير شكرا", "Я не знаю що робити", "我很好", "nothing to do in [PLACE] at [SCHOOL]", "Dia dhuit agus",
]


def _generated(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    words = ("I think we need more parks the and is my mum dad school home agus tha mi nie jest w na i "
             "Jack Glasgow Oakwood Primary call me on 07700 900123 Zofia Łódź pàirc ’s don't can't ok lol").split()
    return [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(n)]


@pytest.fixture(scope="module")
def texts():
    corpus = [r.text for r in load_corpus()]
    base = corpus + AWKWARD + _generated(3000)
    return base + [r.text for r in redact_many(base)]


@pytest.mark.parametrize("hint", [None, "en", "gd", "pl", "uk"])
def test_detection_is_the_plain_detectors(texts, hint):
    assert [detect_language(t, hint) for t in texts] == [plain_detect(t, hint) for t in texts]


@pytest.mark.parametrize("hint", [None, "en", "gd", "pl"])
def test_the_code_without_cld2_is_the_full_detections(texts, hint, monkeypatch):
    want = [plain_detect(t, hint).code for t in texts]
    asked = []
    cld = L._cld
    monkeypatch.setattr(L, "_cld", lambda clean: asked.append(clean) or cld(clean))
    assert [language_code(t, hint) for t in texts] == want
    assert len(asked) < 0.9 * len(texts)  # the shortcut is taken
    asked.clear()
    assert language_code("I think we need more places to go at the weekend and my mum agrees", hint) == "en"
    assert asked == []  # a plainly English answer is decided by its words


def test_redacted_answers_get_the_language_of_their_own_text():
    # Batch and one at a time: the themer's language for an answer redaction changed is the redacted text's.
    answers = ["Jack said the buses are too dear in Glasgow and we need more parks", "Zofia mówi, że nie ma parku",
               "Tha Ealasaid ag ràdh gu bheil i sgìth", "Call me on 07700 900123", "My mum is Kasia"]
    themer = Themer(load_default_codebook())
    got = analyse_many(answers, themer=themer)
    red = [r.text for r in redact_many(answers)]
    assert any(r != a for r, a in zip(red, answers, strict=True))
    assert [a.themes for a in got] == themer.predict(red)
    assert [a.themes.language for a in got] == [plain_detect(r).code if r.strip() else "und" for r in red]
