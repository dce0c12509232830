"""Planners edit a consultation's definition in the app: path-named errors, readability, safe changes."""

from __future__ import annotations

import yaml

from tests.conftest import csrf_from


def _planner(make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user("planner", email="planner@example.org")
    login("planner@example.org")


def _post(client, sample, text: str):  # type: ignore[no-untyped-def]
    html = client.get(f"/planner/c/{sample.id}/definition").get_data(as_text=True)
    return client.post(f"/planner/c/{sample.id}/definition", data={"csrf_token": csrf_from(html), "definition": text})


def _current(client, sample) -> dict:  # type: ignore[no-untyped-def]
    from consult.data import consultations
    from consult.extensions import db
    from forms import dump_definition

    db.session.expire_all()
    return yaml.safe_load(dump_definition(consultations.definition_of(sample)))


def test_definition_page_shows_yaml_and_readability(sample, client, make_user, login) -> None:
    _planner(make_user, login)
    page = client.get(f"/planner/c/{sample.id}/definition")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "core_id: choose_one" in html
    assert "Readability of the English wording" in html and "reading ease 80 or more" in html


def test_invalid_definition_names_the_path_and_keeps_the_text(sample, client, make_user, login) -> None:
    _planner(make_user, login)
    data = _current(client, sample)
    data["audiences"][0]["questions"][1]["type"] = "slider"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    page = _post(client, sample, text)
    html = page.get_data(as_text=True).replace("&#39;", "'")
    assert page.status_code == 400 and "<title>Error:" in html
    assert "Question 2 (‘Pick many’) for Age 8–11, field ‘type’, line " in html
    assert ": 'slider' is not a question type. Choose one of: single_choice" in html
    assert "slider" in html.split('id="definition"')[1][:20000]
    page = _post(client, sample, "id: [unclosed")
    assert "invalid YAML" in page.get_data(as_text=True)


def test_valid_edit_changes_wording_and_shows_readability(app, sample, client, make_user, login) -> None:
    _planner(make_user, login)
    data = _current(client, sample)
    data["audiences"][0]["questions"][0]["text"]["en"] = "Notwithstanding considerable institutional complexity, which option?"
    page = _post(client, sample, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert page.status_code == 303
    from consult.data import consultations
    from consult.extensions import db

    db.session.expire_all()
    defn = consultations.definition_of(sample)
    assert defn.audience("child_8_11").questions[0].text["en"].startswith("Notwithstanding")
    html = client.get(f"/planner/c/{sample.id}/definition").get_data(as_text=True)
    assert "choose_one.text" in html and "miss the target" in html


def test_answered_questions_cannot_be_removed_or_retyped(app, sample, respondent, client, make_user, login) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    r.answer("choose_one", {"answer": "play", "continue_": "1"})
    _planner(make_user, login)
    data = _current(client, sample)
    questions = data["audiences"][0]["questions"]
    data["audiences"][0]["questions"] = [q for q in questions if q["core_id"] != "choose_one"]
    page = _post(client, sample, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "choose_one cannot be removed because people have answered it" in html
    # An unanswered question can go.
    data["audiences"][0]["questions"] = [q for q in questions if q["core_id"] != "choose_many"]
    assert _post(client, sample, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)).status_code == 303
    from consult.data import consultations
    from consult.extensions import db

    db.session.expire_all()
    assert "choose_many" not in consultations.definition_of(sample).audience("child_8_11").core_ids


def test_definition_editor_needs_a_planner(sample, client, make_user, login) -> None:
    make_user("moderator", email="m@example.org")
    login("m@example.org")
    assert client.get(f"/planner/c/{sample.id}/definition").status_code == 403


def test_an_answered_question_cannot_change_type_in_english_or_gaelic(sample, respondent, client, make_user,
                                                                       login) -> None:
    r = respondent("sample")
    r.start("child_8_11", "form")
    r.answer("choose_one", {"answer": "play", "continue_": "1"})
    _planner(make_user, login)
    data = _current(client, sample)
    data["audiences"][0]["questions"][0]["type"] = "multiple_choice"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    page = _post(client, sample, text)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "cannot change from single_choice to multiple_choice because people have answered it" in html
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "gd"
    html = _post(client, sample, text).get_data(as_text=True)
    assert "chan urrainnear atharrachadh o single_choice gu multiple_choice oir tha daoine air a freagairt" in html
    assert _current(client, sample)["audiences"][0]["questions"][0]["type"] == "single_choice"


def test_an_answered_audience_cannot_be_removed(csp, respondent, client, make_user, login) -> None:
    respondent("csp").start("child_8_11", "form")
    _planner(make_user, login)
    data = _current(client, csp)
    data["audiences"] = [a for a in data["audiences"] if a["audience"] != "child_8_11"]
    page = _post(client, csp, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "child_8_11 cannot be removed because people have answered it" in html
    assert "child_8_11" in [a["audience"] for a in _current(client, csp)["audiences"]]
