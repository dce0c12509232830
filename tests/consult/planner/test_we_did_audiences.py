"""You said, we did per audience: a text per age band, previews in every language, the readability gate,
theme names per language, and figures that say what they count."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.extensions import db
from consult.models import Action, Answer, Coding, Consultation, Response
from tests.conftest import csrf_from

TEXTS = {"text-en-adult": "We refurbished the play parks in every ward.",
         "text-en-child_5_8": "We fixed the swings.",
         "text-en-child_8_11": "We fixed the swings in the park. You can play on them now.",
         "text-en-young_12_17": "Every play park near you has been fixed.",
         "text-gd-adult": "Chàraich sinn na pàircean-cluiche.",
         "text-gd-child_8_11": "Chàraich sinn na dreallagan."}
HARD = "Comprehensive recreational infrastructure refurbishment was commissioned collaboratively."


def _we_did(client, world) -> str:  # type: ignore[no-untyped-def]
    return f"/planner/c/{world.consultation.id}/we-did"


def _record(client, world, **texts):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(_we_did(client, world)).get_data(as_text=True))
    return client.post(_we_did(client, world), data={"csrf_token": token, "target": f"t{world.places.id}",
                                                     "status": "done", **TEXTS, **texts})


def _publish(client, world):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(_we_did(client, world)).get_data(as_text=True))
    return client.post(f"/planner/c/{world.consultation.id}/publish",
                       data={"csrf_token": token, "decision": "publish"})


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_each_age_band_reads_its_own_text(world, as_role) -> None:
    client = as_role("planner")
    assert _record(client, world).status_code == 303
    assert _publish(client, world).status_code == 303
    pages = {url: _main(client.get(url).get_data(as_text=True)) for url in (
        "/results/testbrae-2026", "/results/testbrae-2026/children",
        "/results/testbrae-2026/children/5-8", "/results/testbrae-2026/children/12-17")}
    own = {"/results/testbrae-2026": TEXTS["text-en-adult"], "/results/testbrae-2026/children":
           TEXTS["text-en-child_8_11"], "/results/testbrae-2026/children/5-8": TEXTS["text-en-child_5_8"],
           "/results/testbrae-2026/children/12-17": TEXTS["text-en-young_12_17"]}
    for url, html in pages.items():
        assert own[url] in html, url
        assert [t for t in own.values() if t != own[url] and f">{t}<" in html] == [], url
    assert "For ages 5 to 8" in pages["/results/testbrae-2026/children/5-8"]
    adult = pages["/results/testbrae-2026"]
    assert 'href="/results/testbrae-2026/children/5-8"' in adult and 'href="/results/testbrae-2026/children"' in adult
    # The picture's alt text comes from the shipped picture set, in the page's language.
    assert 'src="/results/pictures/places-to-play.svg" alt="A slide in a park"' in pages[
        "/results/testbrae-2026/children"]
    assert client.get("/results/testbrae-2026/children/8-11").status_code == 301
    assert client.get("/results/testbrae-2026/children/3-4").status_code == 404


def test_preview_shows_every_page_in_every_language_before_publishing(world, as_role, client) -> None:
    assert client.get(f"/planner/c/{world.consultation.id}/we-did/preview/child_8_11/gd").status_code == 302  # sign in
    planner = as_role("planner")
    assert _record(planner, world).status_code == 303
    listing = planner.get(_we_did(planner, world)).get_data(as_text=True)
    for lang in world.consultation.languages:
        for audience in ("adults", "child_5_8", "child_8_11", "young_12_17"):
            assert f'href="/planner/c/{world.consultation.id}/we-did/preview/{audience}/{lang}"' in listing
    gd = planner.get(f"/planner/c/{world.consultation.id}/we-did/preview/child_8_11/gd")
    html = gd.get_data(as_text=True)
    assert gd.status_code == 200 and '<html lang="gd"' in html
    assert "Preview: not published yet" in html  # the banner is in the planner's language
    assert TEXTS["text-gd-child_8_11"] in _main(html)
    ar = planner.get(f"/planner/c/{world.consultation.id}/we-did/preview/child_5_8/ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in ar
    assert f'<p lang="en" dir="ltr">{TEXTS["text-en-child_5_8"]}</p>' in ar  # no Arabic text: English, marked
    adult = planner.get(f"/planner/c/{world.consultation.id}/we-did/preview/parent_carer/pl").get_data(as_text=True)
    assert TEXTS["text-en-adult"] in adult and "number 0" in adult  # the adult page's moderated quote
    assert planner.get(f"/planner/c/{world.consultation.id}/we-did/preview/child_8_11/fr").status_code == 404
    # Nothing is public yet.
    assert db.session.get(Consultation, world.consultation.id).published_at is None
    assert planner.get("/results/testbrae-2026/children").status_code == 404


def test_publishing_is_refused_while_the_8_to_11_text_is_too_hard(world, as_role) -> None:
    client = as_role("planner")
    assert _record(client, world, **{"text-en-child_8_11": HARD}).status_code == 303
    action = db.session.scalars(select(Action)).one()
    listing = client.get(_we_did(client, world)).get_data(as_text=True)
    assert "Too hard for ages 8 to 11" in listing and "Easy to read for ages 5 to 8" in listing
    refused = _publish(client, world)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "<title>Error:" in html
    assert "Nothing was published" in html
    assert "“Places to play”: the text for ages 8 to 11, in English, is too hard to read" in html
    assert f'href="/planner/c/{world.consultation.id}/we-did/{action.id}#text-en-child_8_11"' in html
    db.session.expire_all()
    assert db.session.get(Consultation, world.consultation.id).published_at is None
    assert db.session.get(Action, action.id).texts["en"]["child_8_11"] == HARD  # nothing typed is lost
    # The edit page shows the stored words; an easier text lets the pages go out.
    edit_url = f"/planner/c/{world.consultation.id}/we-did/{action.id}"
    edit = client.get(edit_url).get_data(as_text=True)
    assert f">{HARD}</textarea>" in edit and "Too hard for ages 8 to 11" in edit
    saved = client.post(edit_url, data={"csrf_token": csrf_from(edit), "target": f"t{world.places.id}",
                                        "status": "done", **TEXTS})
    assert saved.status_code == 303
    assert _publish(client, world).status_code == 303
    db.session.expire_all()
    assert db.session.get(Consultation, world.consultation.id).published_at is not None


def test_theme_names_in_gaelic_reach_the_gaelic_pages(world, as_role) -> None:
    client = as_role("planner")
    theme_url = f"/planner/c/{world.consultation.id}/themes/{world.places.id}"
    page = client.get(theme_url).get_data(as_text=True)
    assert 'id="name-gd"' in page and 'id="child_name-gd"' in page
    names_url = f"{theme_url}/names"
    too_long = client.post(names_url, data={"csrf_token": csrf_from(page), "name-gd": "Àite " * 50,
                                            "child_name-en": "Swings and slides"})
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 400 and "Keep the name to 200 characters or fewer" in html
    assert 'value="Swings and slides"' in html  # what was typed stays
    saved = client.post(names_url, data={"csrf_token": csrf_from(page), "child_name-en": "Swings and slides",
                                         "name-gd": "Àiteachan-cluiche", "child_name-gd": "Dreallagan is sleamhnagan"})
    assert saved.status_code == 303
    assert _record(client, world).status_code == 303
    assert _publish(client, world).status_code == 303
    client.post("/lang", data={"lang": "gd", "next": "/results/testbrae-2026", "csrf_token": csrf_from(page)})
    adult = _main(client.get("/results/testbrae-2026").get_data(as_text=True))
    assert re.search(r"<h3 id=\"entry-1\">Àiteachan-cluiche</h3>", adult)
    child = _main(client.get("/results/testbrae-2026/children").get_data(as_text=True))
    assert "Dreallagan is sleamhnagan" in child and "Swings and slides" not in child
    client.post("/lang", data={"lang": "pl", "next": "/results/testbrae-2026", "csrf_token": csrf_from(page)})
    polish = _main(client.get("/results/testbrae-2026/children").get_data(as_text=True))
    assert '<span lang="en" dir="ltr">Swings and slides</span>' in polish  # no Polish name: English, marked


def test_figures_count_responses_and_hide_what_could_be_worked_out(world, as_role) -> None:
    # One young person answered two questions about play parks: 13 answers, 12 responses.
    response = db.session.scalars(select(Response).join(Answer).where(Answer.text.like("%number 2"))).one()
    variant = next(v for v in world.consultation.variants if v.audience == response.audience)
    other = next(q for q in variant.questions if q.core_id == "anything_else")
    extra = Answer(response_id=response.id, question_id=other.id, core_id="anything_else", text="More swings please")
    db.session.add(extra)
    db.session.flush()
    db.session.add(Coding(answer_id=extra.id, theme_id=world.places.id, source="machine", confidence=0.9))
    db.session.commit()
    client = as_role("planner")
    assert _record(client, world).status_code == 303
    assert _publish(client, world).status_code == 303
    html = _main(client.get("/results/testbrae-2026").get_data(as_text=True))
    assert "27 responses" in html and "Raised in 12 responses." in html
    assert "Raised in 13" not in html and " answers" not in html
    # Parents (3) are hidden; 8–11 (6) is hidden too, or 27 − 18 would give the parents' count away.
    assert '<td>Parents and carers</td><td class="numeric">fewer than 5</td>' in html
    assert '<td>Children aged 8 to 11</td><td class="numeric">not shown</td>' in html
    assert '<td>Young people aged 12 to 17</td><td class="numeric">18</td>' in html
    child = _main(client.get("/results/testbrae-2026/children").get_data(as_text=True))
    assert "27 people told us." in child
