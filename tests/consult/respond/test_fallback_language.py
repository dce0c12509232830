"""A planner's own consultation that lacks a translation: the English is marked, and the page says so once."""

from __future__ import annotations

import copy
import re

import pytest

from tests.conftest import csrf_from

from .conftest import make_consultation

MARK = 'lang="en" dir="ltr"'
def _in_polish(message: str) -> str:
    """The message as the Polish page shows it (the msgid itself where the catalogues are not compiled)."""
    from pathlib import Path

    from babel.support import Translations

    root = Path(__file__).resolve().parents[3] / "translations"
    return Translations.load(str(root), ["pl"]).gettext(message)


NOTICE = _in_polish("Some questions are only in English for now.")
# The parent/carer question whose Polish is taken out (its text, hint and every option).
GAP = "more_of"


def _without_polish(core_id: str):  # type: ignore[no-untyped-def]
    """The shipped template, with the Polish of one parent/carer question removed (that question only)."""
    from forms import load_definition, load_template

    data = copy.deepcopy(load_template("childrens-services-plan").raw)
    parent = next(a for a in data["audiences"] if a["audience"] == "parent_carer")
    i = next(i for i, q in enumerate(parent["questions"]) if q["core_id"] == core_id)
    question = copy.deepcopy(parent["questions"][i])  # its own copy: YAML anchors share mappings across variants
    parent["questions"][i] = question
    for key in ("text", "help", "easy_read"):
        question.get(key, {}).pop("pl", None)
    for option in question.get("options", []):
        option["label"].pop("pl", None)
    return load_definition(data)


@pytest.fixture()
def gap(app):  # type: ignore[no-untyped-def]
    return make_consultation(_without_polish(GAP), slug="gap")


def _polish(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").get_data(as_text=True)
    client.post("/lang", data={"lang": "pl", "next": "/", "csrf_token": csrf_from(page)})


def _english_strings(core_id: str) -> dict[str, list[str]]:
    from forms import load_template

    q = load_template("childrens-services-plan").audience("parent_carer").question(core_id)
    return {"text": [q.text["en"]], "help": [q.help["en"]], "options": [o.label["en"] for o in q.options]}


def _marked(html: str) -> list[str]:
    """Return the text of every element marked as English fallback, in page order."""
    return [m.group(1) for m in re.finditer(r'<span lang="en" dir="ltr">([^<]*)</span>', html)] + [
        m.group(1) for m in re.finditer(r'<option [^>]*lang="en" dir="ltr"[^>]*>([^<]*)</option>', html)
    ]


def test_polish_page_marks_exactly_the_untranslated_question_and_says_so_once(gap, respondent, client) -> None:
    import html as htmllib

    _polish(client)
    r = respondent("gap")
    r.start("parent_carer", "form")
    html = r.get(f"/c/gap/q/{GAP}").get_data(as_text=True)
    english = _english_strings(GAP)
    marked = [htmllib.unescape(t) for t in _marked(html)]
    assert marked == english["text"] + english["help"] + english["options"]
    assert html.count(MARK) == len(marked)  # nothing else on the page is marked
    assert html.count(NOTICE) == 1
    assert '<html lang="pl" dir="ltr">' in html


def test_a_fully_translated_polish_page_shows_no_notice_and_no_marks(gap, respondent, client) -> None:
    _polish(client)
    r = respondent("gap")
    r.start("parent_carer", "form")
    for core_id in ("feel_safe", "wellbeing", "top_three", "groups", "priority_poverty"):
        html = r.get(f"/c/gap/q/{core_id}").get_data(as_text=True)
        assert NOTICE not in html and MARK not in html, core_id


def test_the_shipped_template_needs_no_notice_in_polish(app, csp, respondent, client) -> None:
    _polish(client)
    r = respondent("csp")
    r.start("parent_carer", "form")
    html = r.get(f"/c/csp/q/{GAP}").get_data(as_text=True)
    assert NOTICE not in html and MARK not in html
    assert "Czego powinno być więcej dla dzieci i rodzin?" in html


def test_rank_options_in_english_are_marked_on_the_option(app, respondent, client) -> None:
    make_consultation(_without_polish("top_three"), slug="gap")
    _polish(client)
    r = respondent("gap")
    r.start("parent_carer", "form")
    html = r.get("/c/gap/q/top_three").get_data(as_text=True)
    options = re.findall(r'<option [^>]*lang="en" dir="ltr"[^>]*>([^<]*)</option>', html)
    assert len(options) == 3 * 7  # three selects, each with the seven topics
    assert html.count(NOTICE) == 1


def test_check_answers_marks_the_english_question_and_answer(gap, respondent, client) -> None:
    _polish(client)
    r = respondent("gap")
    r.start("parent_carer", "form")
    r.answer(GAP, [("answer", "clubs"), ("continue_", "1")])
    html = r.get("/c/gap/check").get_data(as_text=True)
    english = _english_strings(GAP)
    assert f'<dt class="answers-key"><span {MARK}>{english["text"][0]}</span></dt>' in html
    assert f'<dd class="answers-value"><span {MARK}>Clubs, sport and activities</span></dd>' in html
    assert html.count(NOTICE) == 1


def test_chat_marks_the_english_question_hint_and_replies(gap, respondent, client) -> None:
    import html as htmllib

    _polish(client)
    r = respondent("gap")
    page = r.start("parent_carer", "chat")
    html = page.get_data(as_text=True)
    assert NOTICE not in html and MARK not in html  # the first question is translated
    from forms import load_template

    parent = load_template("childrens-services-plan").audience("parent_carer")
    from werkzeug.datastructures import MultiDict

    for core_id in parent.core_ids[: parent.core_ids.index(GAP)]:
        current = client.get("/c/gap/chat").get_data(as_text=True)
        q = re.search(r'name="q" value="([^"]+)"', current).group(1)
        assert q == core_id
        client.post("/c/gap/chat", data=MultiDict([("csrf_token", csrf_from(current)), ("q", q), ("skip", "1")]))
    html = client.get("/c/gap/chat").get_data(as_text=True)
    english = _english_strings(GAP)
    marked = [htmllib.unescape(t) for t in _marked(html)]
    assert english["text"][0] in marked and english["help"][0] in marked
    assert set(english["options"]) <= set(marked)
    assert html.count(NOTICE) == 1
