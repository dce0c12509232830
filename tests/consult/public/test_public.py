"""Published 'You said, we did' pages: adult and child, every language, small counts suppressed."""

from __future__ import annotations

import re

import pytest

from consult.data import actions
from consult.extensions import db
from consult.public.figures import public_count
from tests.conftest import csrf_from


def _publish(world, *, threshold: int = 5) -> None:  # type: ignore[no-untyped-def]
    world.consultation.plan.partnership.suppression_threshold = threshold
    actions.create_action(world.consultation, status="done", theme=world.places, priority=None, plan_action=None,
                          texts={"en": {"adult": "We refurbished the play parks.", "child": "We fixed the swings."},
                                 "gd": {"adult": "Chàraich sinn na pàircean-cluiche.",
                                        "child": "Chàraich sinn na dreallagan."}},
                          reason="", user_id=None)
    actions.create_action(world.consultation, status="will_do", theme=world.worries, priority=None,
                          plan_action=None, texts={"en": {"adult": "Shorter waits for help.",
                                                          "child": "You will get help sooner."}},
                          reason="", user_id=None)
    actions.create_action(world.consultation, status="cannot_do", theme=None,
                          priority=world.consultation.plan.priorities[2], plan_action=None,
                          texts={"en": {"adult": "We cannot fund free buses.", "child": "We can not pay for buses."}},
                          reason="The council has no money for it.", user_id=None)
    actions.publish(world.consultation)
    db.session.commit()


@pytest.mark.parametrize(("n", "threshold", "shown"), [
    (0, 5, "0"), (4, 5, "fewer than 5"), (5, 5, "5"), (27, 5, "27"), (19, 20, "fewer than 20"),
    (None, 5, "fewer than 5"), (3, 0, "fewer than 5"), (3, None, "fewer than 5")])
def test_public_count_suppresses_small_numbers(app, n, threshold, shown) -> None:
    with app.test_request_context("/"):
        assert public_count(n, threshold) == shown


def test_unpublished_pages_do_not_exist(world, client) -> None:
    assert client.get("/results/testbrae-2026").status_code == 404
    assert client.get("/results/testbrae-2026/children").status_code == 404
    assert "testbrae" not in client.get("/results/").get_data(as_text=True)


def test_adult_page_suppresses_small_counts_and_shows_only_moderated_quotes(world, client) -> None:
    _publish(world)
    assert 'href="/results/testbrae-2026"' in client.get("/results/").get_data(as_text=True)
    r = client.get("/results/testbrae-2026")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "27 responses" in html
    assert "Raised in 12 responses." in html  # places: 12 unflagged
    assert "Raised in fewer than 5 responses." in html  # worries: 3
    assert '<td>Parents and carers</td><td class="numeric">fewer than 5</td>' in html
    assert '<td>Young people aged 12 to 17</td><td class="numeric">18</td>' in html
    assert "number 0" in html  # the one approved quote from someone who said yes
    assert "NOCONSENT" not in html and "LEAKMARKER" not in html and "ORIGINALMARKER" not in html
    assert "We cannot do this:" in html and "The council has no money for it." in html
    assert 'href="/results/testbrae-2026/children"' in html


def test_threshold_is_the_partnerships(world, client) -> None:
    _publish(world, threshold=20)
    html = client.get("/results/testbrae-2026").get_data(as_text=True)
    assert "Raised in fewer than 20 responses." in html and "Raised in 12 responses." not in html
    assert "27 responses" in html
    child = client.get("/results/testbrae-2026/children").get_data(as_text=True)
    assert "27 people told us." in child


def test_every_public_figure_under_threshold_is_suppressed(world, client) -> None:
    _publish(world, threshold=1000)
    for url in ("/results/testbrae-2026", "/results/testbrae-2026/children"):
        html = client.get(url).get_data(as_text=True)
        main = html[html.index("<main"):html.index("</main>")]
        main = re.sub(r"<blockquote.*?</blockquote>", "", main, flags=re.S)
        main = re.sub(r"<[^>]+>|&#\d+;|age[ds] \d+ to \d+", " ", main)  # tags, entities, age bands
        assert set(re.findall(r"\d+", main)) == {"1000"}, (url, re.findall(r".{30}\d+.{10}", main))


def test_child_page_has_short_words_and_pictures(world, client) -> None:
    _publish(world)
    r = client.get("/results/testbrae-2026/children")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "You said:" in html and "We did it." in html and "We will do it." in html and "We can not do it." in html
    assert "We fixed the swings." in html
    assert 'src="/results/pictures/places-to-play.svg" alt="A slide in a park"' in html
    assert client.get("/results/pictures/places-to-play.svg").mimetype == "image/svg+xml"
    assert client.get("/results/pictures/..%2Fsecret.svg").status_code == 404
    assert "LEAKMARKER" not in html and "number 0" not in html  # no quotes on the child page


def test_gaelic_pages_use_gaelic_text_and_mark_english_fallbacks(world, client) -> None:
    _publish(world)
    page = client.get("/results/testbrae-2026")
    client.post("/lang", data={"lang": "gd", "next": "/results/testbrae-2026",
                               "csrf_token": csrf_from(page.get_data(as_text=True))})
    html = client.get("/results/testbrae-2026").get_data(as_text=True)
    assert 'lang="gd"' in html and "Chàraich sinn na pàircean-cluiche." in html
    assert '<span lang="en" dir="ltr">Shorter waits for help.</span>' in html  # no Gaelic text: marked English
    child = client.get("/results/testbrae-2026/children").get_data(as_text=True)
    assert "Chàraich sinn na dreallagan." in child
    assert '<p lang="en" dir="ltr">You will get help sooner.</p>' in child
