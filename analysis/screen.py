"""Screen free text for possible disclosures of harm, in every language Guth offers.

Three readers, and the answer is flagged when any of them finds harm:
- the rules (``screen_rules``, English trigger patterns with negation and hypothetical handling) are a floor;
- the model (``screen_model``: the shared sentence vector plus word and character n-grams, trained on Guth's
  own corpus) scores the whole text, each sentence and short windows, against a threshold kept as data;
- the per-language lexicons (``screen_lexicon``: gd, ar, pl, uk, drafts for fluent review).

The language of each answer is detected (``language.detect_language``), not taken from the page. An answer in
a language the screen cannot read with confidence, or one the model is unsure of in a language it reads less
well, is not passed as safe: ``needs_human`` is set and it goes to a person. When the screen itself fails,
the answer goes to a person too and the failure is logged without the text.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import screen_lexicon
from .categories import CATEGORIES, CATEGORY_NAMES
from .language import _INVISIBLE, NAMES, SUPPORTED, LanguageGuess, detect_language
from .screen_rules import rule_screen

log = logging.getLogger("analysis.screen")

# The model's category scores name a category when they reach this share of the top one.
_CATEGORY_SHARE = 0.6
_SENTENCE = re.compile(r"[^.!?\n؟]+[.!?\n؟]*")
# A rule trigger (or its sentence) about the writer or someone close to them.
_ANCHOR = re.compile(
    r"\b(?:me|my|myself|maself|mysel|i|i'm|im|i've|us|ma|mum|mam|mom|dad|da|he|she|they|him|her|them|"
    r"brother|sister|friend|pal|son|daughter|boyfriend|girlfriend|uncle|step\w*|parents?|carers?|at\s+home)\b"
)
# The share of the flag threshold a bare-topic rule trigger needs from the model (overridable per language).
WEAK_RULE_SHARE = 0.5
# Sentences where a rule trigger is as often sport, a story, a lesson, a joke or a past event that is over
# ("he kicked me in the grading", "a book about a boy whose dad beats him", "I used to self-harm but I got
# help"). There a trigger is not a floor: it counts when the model also leans towards harm (as a bare topic
# word does), unless the sentence says it is still going on. Chosen by cross-validation on the train split.
_CONTEXT = re.compile(
    r"\b(?:boxing|rugby|football|footie|hockey|judo|karate|taekwondo|kickboxing|mma|wrestl\w*|sparring|spar|"
    r"match|training|practice|pitch|dodgeball|trampoline|pillow|fifa|xbox|playstation|game|games|gaming|level|"
    r"tag|tagger|hide\s+and\s+seek|ball|bike|fell|fall|falling|monkey\s+bars|accident\w*|cricket|netball|shinty|"
    r"coach|physio|referee|"
    r"film|films|movie|book|books|novel|story|stories|show|series|documentary|play|character|song|band|news|"
    r"article|episode|comic|read|reading|watched|watching|"
    r"learn\w*|lesson\w*|pshe|assembly|talk\s+from|a\s+talk|workshop|course|project|research\w*|studying|"
    r"study|campaign|charity|prevention|ambassador|fundrais\w*|awareness|poster\w*|statistics|essay|"
    r"used\s+to|years?\s+ago|when\s+i\s+was\s+(?:little|younger|small|\d+)|last\s+year|in\s+p\d|in\s+s\d|"
    r"in\s+primary|sorted|dealt\s+with|got\s+help|moved\s+(?:out|away|school)|"
    r"now\s+(?:i'?m|we'?re|it'?s|she'?s|he'?s)|(?:i'?m|we'?re)\s+(?:safe|fine|ok|okay|happy|doing\s+(?:well|great))\s+now|"
    r"never\s+happened\s+again|it\s+stopped|been\s+(?:well|fine)\s+since|haven'?t\s+done\s+it|said\s+sorry|"
    r"apologis\w*|convicted|in\s+prison|went\s+to\s+court|"
    r"lol|haha\w*|jk|lmao|of\s+boredom|kidding|joking)\b|\U0001F602|\U0001F923"
)
_STILL = re.compile(
    r"\b(?:again|still|any\s*more|keeps?|every\s+(?:day|night|time|week)|always|right\s+now|at\s+the\s+moment)\b"
)


def _near_anchor(sentence: str, trigger: str, k: int = 3) -> bool:
    """Whether the writer or someone close to them stands within k words of the trigger."""
    i = sentence.find(trigger)
    if i < 0:
        return bool(_ANCHOR.search(sentence))
    around = sentence[:i].split()[-k:] + [trigger] + sentence[i + len(trigger):].split()[:k]
    return bool(_ANCHOR.search(" ".join(around)))


@dataclass(frozen=True)
class Evidence:
    """Why a text was flagged: the sentence (a span of the text as given), the category and the score."""

    sentence: str
    category: str
    score: float
    start: int
    end: int
    source: str  # "rule", "model" or "lexicon:<lang>"


@dataclass(frozen=True)
class Screening:
    """Whether text may disclose harm, the categories, the words that triggered each, and its evidence.

    ``needs_human`` means a person must read it because the screen could not (``reason``: ``language`` for a
    language it does not read, ``uncertain`` where the model leans towards harm in a language it reads less
    well, ``error`` when the screen failed). ``language`` is the detected ISO code ("und": no words).
    """

    flag: bool
    categories: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    needs_human: bool = False
    language: str = "en"
    reason: str = ""
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def category_names(self) -> list[str]:
        """The categories in words a safeguarding lead uses."""
        return [CATEGORY_NAMES[c] for c in self.categories]

    @property
    def language_name(self) -> str:
        return NAMES.get(self.language, self.language)

    @property
    def alert(self) -> bool:
        """True when a safeguarding lead must see this answer: flagged, or not screened."""
        return self.flag or self.needs_human


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    for m in _SENTENCE.finditer(text):
        if m.start() <= start < max(m.end(), start + 1):
            return m.start(), max(m.end(), end)
    return 0, len(text)


def _find_trigger(text: str, trigger: str) -> tuple[int, int] | None:
    low = text.lower().replace("’", "'")
    words = trigger.split()
    if not words:
        return None
    rx = re.compile(r"\s+".join(re.escape(w) for w in words))
    m = rx.search(low)
    return (m.start(), m.end()) if m else None


def _clean(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def screen(text: str, *, language_hint: str | None = None) -> Screening:
    """Screen one text for possible disclosure of harm.

    Args:
        text: a free-text answer (raw or redacted).
        language_hint: the page's language; the text's own language is detected and wins.

    Returns:
        Screening: ``flag``, ``categories`` (CATEGORIES order), ``triggers``, ``set_aside``,
        ``needs_human`` with its ``reason``, the detected ``language``, the ``score`` and the ``evidence``.
    """
    if not isinstance(text, str) or not text.strip():
        return Screening(False, language="und")
    try:
        return _screen(_clean(text), language_hint, None, None)
    except Exception as exc:  # noqa: BLE001 - a failed screen must never pass an answer as safe
        log.error("safeguarding screen failed (%s); the answer goes to a person", type(exc).__name__)
        return Screening(False, needs_human=True, reason="error", language="und")


def screen_with(text: str, model, limits: dict, *, language_hint: str | None = None) -> Screening:
    """Screen with a given model and thresholds (for tuning and evaluation; ``screen`` uses the shipped ones)."""
    if not isinstance(text, str) or not text.strip():
        return Screening(False, language="und")
    return _screen(_clean(text), language_hint, model, limits)


def _screen(text: str, hint: str | None, model, limits: dict | None, *, guess: LanguageGuess | None = None,
            scored: tuple[float, tuple[int, int], dict[str, float]] | None = None) -> Screening:
    """Screen cleaned text; ``guess`` and ``scored`` (the model's score) may come from a batch."""
    from .screen_model import get_model, thresholds

    guess = guess if guess is not None else detect_language(text, hint)
    if guess.code == "und" and not guess.reliable and not re.search(r"[^\W\d_]", text):
        return Screening(False, language="und")  # only emoji, digits or punctuation: nothing to read
    lang = guess.code
    cats: dict[str, float] = {}
    triggers: list[str] = []
    aside: list[str] = []
    evidence: list[Evidence] = []

    def add(category: str, score: float, span: tuple[int, int], source: str, trigger: str = "") -> None:
        cats[category] = max(cats.get(category, 0.0), score)
        if trigger and trigger not in triggers:
            triggers.append(trigger)
        s, e = span
        if not any(ev.category == category and ev.start == s for ev in evidence):
            evidence.append(Evidence(text[s:e].strip(), category, round(score, 3), s, e, source))

    # Rules: English, run on every text (children mix languages). A trigger that is a bare topic word with
    # nobody in it ("suicide", "self-harm", "bruises": lessons and sport use them too) counts only when the
    # model also leans towards harm; one about the speaker or someone close ("hits me") is a floor.
    rules = rule_screen(text)
    aside.extend(rules.set_aside)
    weak: list[tuple[str, tuple[int, int], str]] = []
    contextual: list[tuple[str, tuple[int, int], str]] = []
    for hit in rules.hits:
        found = _find_trigger(text, hit.trigger)
        span = _sentence_span(text, *found) if found else (0, len(text))
        if _ANCHOR.search(hit.trigger) or _ANCHOR.search(hit.sentence):
            sentence = text[span[0]:span[1]].lower().replace("’", "'")
            tight = bool(_ANCHOR.search(hit.trigger)) or _near_anchor(hit.sentence, hit.trigger)
            if tight and not (_CONTEXT.search(sentence) and not _STILL.search(sentence)):
                add(hit.category, 1.0, span, "rule", hit.trigger)
            else:
                contextual.append((hit.category, span, hit.trigger))
        else:
            weak.append((hit.category, span, hit.trigger))

    # Lexicons: every language's, on every text (cheap, and a Polish word in an English answer still counts).
    lex_hits, lex_aside = screen_lexicon.find(text)
    aside.extend(lex_aside)
    topic_hit = False
    for h in lex_hits:
        if h.strong:
            add(h.category, 1.0, _sentence_span(text, h.start, h.end), f"lexicon:{h.lang}", h.words)
        else:
            topic_hit = True

    # The model. If it cannot run, the rules and lexicons still flag what they find, and nothing else
    # passes as safe: the answer goes to a person. In a language it was not trained on, its score means
    # nothing: such answers go to a person instead.
    model_failed = False
    score, cat_scores, span = 0.0, {}, (0, len(text))
    limits = limits if limits is not None else thresholds()
    t = limits.get(lang) or limits.get("en", {"flag": 0.5, "human": 1.01})
    foreign = not guess.supported and guess.reliable
    try:
        score, span, cat_scores = scored if scored is not None else (model or get_model()).score(text, lang)
    except Exception as exc:  # noqa: BLE001
        log.error("safeguarding model unavailable (%s); the answer goes to a person", type(exc).__name__)
        model_failed = True
    if foreign:
        score = 0.0
    if not model_failed:
        for category, wspan, trigger in weak:
            if score >= t["flag"] * t.get("weak", WEAK_RULE_SHARE):
                add(category, max(score, 0.5), wspan, "rule", trigger)
            else:
                aside.append(f"{trigger} (topic word, no sign it is about the writer)")
        for category, wspan, trigger in contextual:
            if score >= t["flag"] * t.get("weak", WEAK_RULE_SHARE):
                add(category, max(score, 0.5), wspan, "rule", trigger)
            else:
                aside.append(f"{trigger} (context: sport, a story, a lesson, a joke or a past event)")
    # Where the rules saw a trigger and set it aside (negated, hypothetical, community safety, a place to go,
    # a pet…) and kept none, the model's word-bag must be surer than usual to overrule them.
    overruled = bool(rules.set_aside) and not cats
    bar = max(t["flag"], t.get("set_aside", t["flag"])) if overruled else t["flag"]
    if not model_failed and score >= bar:
        top = max(cat_scores.values()) if cat_scores else 0.0
        named = [c for c, v in cat_scores.items() if v >= top * _CATEGORY_SHARE and v >= 0.3] if top else []
        if not named and not cats:
            named = [max(cat_scores, key=cat_scores.get)] if cat_scores else ["emotional_abuse"]
        for c in named:
            if c not in cats:
                add(c, score, span, "model")

    flag = bool(cats)
    needs_human, reason = False, ""
    if not flag:
        if model_failed:
            needs_human, reason = True, "error"
        elif foreign:
            needs_human, reason = True, "language"
        elif lang != "en" and lang in SUPPORTED and (score >= t.get("human", 1.01) or topic_hit):
            needs_human, reason = True, "uncertain"
    categories = [c for c in CATEGORIES if c in cats]
    evidence.sort(key=lambda ev: (CATEGORIES.index(ev.category), -ev.score))
    return Screening(flag, categories, triggers, aside, needs_human, lang, reason, round(float(score), 4),
                     evidence)


def screen_many(texts: Iterable[str], *, language_hint: str | None = None,
                vectors: Sequence | None = None) -> list[Screening]:
    """Screen many texts; one Screening per text, in order, the same as ``screen`` on each.

    The model scores every text's pieces in one batch (one embedding and one sparse product), which is most
    of the screen's cost when texts are screened one at a time. ``vectors[i]`` (or None), when given, is
    ``semantic.embed`` of ``texts[i]`` as given, already computed (it is not computed again).
    """
    from .screen_model import get_model

    texts = [t if isinstance(t, str) else "" for t in texts]
    out: list[Screening | None] = [None] * len(texts)
    todo: list[tuple[int, str, LanguageGuess]] = []
    for i, t in enumerate(texts):
        if not t.strip():
            out[i] = Screening(False, language="und")
            continue
        try:
            clean = _clean(t)
            todo.append((i, clean, detect_language(clean, language_hint)))
        except Exception:  # noqa: BLE001 - screened on its own below, which handles the failure
            out[i] = screen(t, language_hint=language_hint)
    try:
        known = None if vectors is None else [vectors[i] if clean == texts[i] else None for i, clean, _ in todo]
        scored: list | None = get_model().score_many([c for _, c, _ in todo], [g.code for _, _, g in todo],
                                                     known)
    except Exception:  # noqa: BLE001 - each answer is then scored on its own, which handles the failure
        scored = None
    for k, (i, clean, guess) in enumerate(todo):
        try:
            out[i] = _screen(clean, language_hint, None, None, guess=guess,
                             scored=None if scored is None else scored[k])
        except Exception as exc:  # noqa: BLE001 - a failed screen must never pass an answer as safe
            log.error("safeguarding screen failed (%s); the answer goes to a person", type(exc).__name__)
            out[i] = Screening(False, needs_human=True, reason="error", language="und")
    return out  # type: ignore[return-value]
