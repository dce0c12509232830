"""YAML import and export for power users: errors name the question and field in words, with the line."""

from __future__ import annotations

import io

from consult.extensions import db
from forms import TEMPLATES_DIR, DefinitionError, load_definition
from forms.locate import locate
from tests.conftest import csrf_from
from tests.consult.planner.builder_helpers import make_consultation, make_plan


def _setup(partnership, as_role):  # type: ignore[no-untyped-def]
    c = make_consultation(make_plan(partnership), audiences=["child_8_11", "parent_carer"], languages=["en", "gd"])
    return c, as_role("planner")


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    return [i for i, line in enumerate(text.splitlines(), start=1) if needle in line][nth]


def test_a_wrong_type_names_the_question_field_and_line(app, partnership, as_role) -> None:
    c, client = _setup(partnership, as_role)
    exported = client.get(f"/planner/c/{c.id}/definition.yaml")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    text = exported.get_data(as_text=True)
    # The third question of the 8-11 version is "What is good about where you live?", a long_text.
    line = _line_of(text, "type: long_text")
    broken = text.replace("type: long_text", "type: scale5", 1)
    page = client.post(f"/planner/c/{c.id}/definition", data={
        "csrf_token": csrf_from(client.get(f"/planner/c/{c.id}/definition").get_data(as_text=True)),
        "definition": broken})
    html = page.get_data(as_text=True).replace("&#39;", "'")
    assert page.status_code == 400
    assert (f"Question 3 (‘What is good about where you live?’) for Age 8–11, field ‘type’, line {line}: "
            "'scale5' is not a question type. Choose one of: single_choice, multiple_choice") in html
    assert "type: scale5" in html  # what was typed stays in the box


def test_uploaded_file_errors_name_language_fields_and_syntax_lines_and_a_good_file_imports(
        app, partnership, as_role) -> None:
    c, client = _setup(partnership, as_role)
    text = client.get(f"/planner/c/{c.id}/definition.yaml").get_data(as_text=True)
    parent_text = _line_of(text, "audience: parent_carer")
    lines = text.splitlines()
    text_line = next(i for i in range(parent_text, len(lines)) if lines[i].strip() == "text:")  # 0-based
    gd_line = next(i for i in range(text_line, text_line + 4) if lines[i].strip().startswith("gd:")) + 1
    lines[gd_line - 1] = lines[gd_line - 1].replace("gd:", "fr:", 1)

    def upload(body: str):  # type: ignore[no-untyped-def]
        token = csrf_from(client.get(f"/planner/c/{c.id}/definition").get_data(as_text=True))
        return client.post(f"/planner/c/{c.id}/definition", content_type="multipart/form-data", data={
            "csrf_token": token, "definition": "", "upload": (io.BytesIO(body.encode()), "mine.yaml")})

    page = upload("\n".join(lines))
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert f"for Parents, field ‘text › fr’, line {gd_line}: language not in this consultation" in html
    page = upload("id: csp\ntitle: {en: 'A'\n")
    assert page.status_code == 400 and "Line 3: invalid YAML" in page.get_data(as_text=True)
    edited = text.replace("How safe do you feel where you live?", "How safe is it where you live?", 1)
    assert upload(edited).status_code == 303
    db.session.expire_all()
    assert c.variants[0].questions[0].spec["text"]["en"] == "How safe is it where you live?"


def test_locate_puts_a_missing_field_on_its_questions_line() -> None:
    text = (TEMPLATES_DIR / "childrens-services-plan.yaml").read_text(encoding="utf-8")
    start = _line_of(text, "- core_id: wellbeing")
    lines = text.splitlines()
    i = next(n for n in range(start, len(lines)) if lines[n].strip() == "text:")
    del lines[i:i + 6]  # the 5-8 wellbeing question loses its text (and every translation)
    broken = "\n".join(lines)
    try:
        load_definition(broken)
    except DefinitionError as exc:
        found = locate(broken, exc.errors)
    else:
        raise AssertionError("the definition should not load")
    missing = next(p for p in found if p.field == ("text",))
    assert (missing.audience, missing.question_number, missing.line) == ("child_5_8", 2, start)
    assert missing.message == "is required"
