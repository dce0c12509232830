"""Paper and event responses: staff entry and CSV/XLSX import (all or nothing, row-numbered errors)."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.conftest import csrf_from

DISCLOSURE = "My dad hits me when he is angry and I have to wear long sleeves so nobody sees."


def _responses():  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response

    return db.session.scalars(select(Response).order_by(Response.id)).all()


def _planner(make_user, login) -> None:  # type: ignore[no-untyped-def]
    make_user("planner", email="planner@example.org")
    login("planner@example.org")


def test_paper_pages_need_a_planner(csp, client, make_user, login) -> None:
    assert client.get(f"/planner/c/{csp.id}/paper").status_code in (302, 303)
    make_user("tsi", email="tsi@example.org")
    login("tsi@example.org")
    assert client.get(f"/planner/c/{csp.id}/paper").status_code == 403


def test_enter_one_paper_response(app, csp, client, make_user, login) -> None:
    _planner(make_user, login)
    page = client.get(f"/planner/c/{csp.id}/paper")
    assert page.status_code == 200 and "Import a file of responses" in page.get_data(as_text=True)
    url = f"/planner/c/{csp.id}/paper/enter?audience=child_8_11&channel=event&language=en"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "How safe do you feel where you live?" in html
    out = client.post(url, data={"csrf_token": csrf_from(html), "feel_safe-answer": "4",
                                 "good_things-answer": "The park", "area-answer": "south",
                                 "top_three-rank_1": "clubs"})
    assert out.status_code == 303
    [response] = _responses()
    assert (response.channel, response.status, response.audience) == ("event", "submitted", "child_8_11")
    assert response.entered_by_user_id is not None and response.area.code == "south"
    from consult.data import responses

    answers = responses.answers_by_core_id(response)
    assert answers["feel_safe"].value == 4 and answers["wellbeing"].skipped
    assert answers["top_three"].value == ["clubs"]


def test_paper_entry_errors_keep_what_was_typed(app, csp, client, make_user, login) -> None:
    _planner(make_user, login)
    url = f"/planner/c/{csp.id}/paper/enter?audience=child_8_11&channel=paper&language=en"
    html = client.get(url).get_data(as_text=True)
    out = client.post(url, data={"csrf_token": csrf_from(html), "feel_safe-answer": "9",
                                 "good_things-answer": "Typed from the paper form"})
    text = out.get_data(as_text=True)
    assert out.status_code == 400 and "<title>Error:" in text
    assert 'href="#feel_safe-answer"' in text and "Choose one of the answers shown" in text
    assert "Typed from the paper form" in text
    assert _responses() == []


CSV = """audience,channel,language,feel_safe,wellbeing,good_things,more_of,top_three,listened_to,change_one_thing,area,groups,anything_else
child_8_11,paper,en,4,5,The swings,clubs;places_to_play,clubs;feelings_help,yes,More buses,north,,
child_8_11,event,gd,2,,,,,,,dont_know,young_carer,
"""


def _import(client, csp, data: bytes, filename: str = "paper.csv"):  # type: ignore[no-untyped-def]
    html = client.get(f"/planner/c/{csp.id}/paper").get_data(as_text=True)
    return client.post(f"/planner/c/{csp.id}/paper/import",
                       data={"csrf_token": csrf_from(html), "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_import_csv_of_paper_responses(app, csp, client, make_user, login) -> None:
    _planner(make_user, login)
    out = _import(client, csp, CSV.encode())
    assert out.status_code == 303, out.get_data(as_text=True)
    first, second = _responses()
    assert (first.channel, first.language, second.channel, second.language) == ("paper", "en", "event", "gd")
    from consult.data import responses

    answers = responses.answers_by_core_id(first)
    assert answers["more_of"].value == ["clubs", "places_to_play"]
    assert answers["top_three"].value == ["clubs", "feelings_help"]
    assert first.area.code == "north" and second.area_id is None


def test_import_is_all_or_nothing_with_row_numbers(app, csp, client, make_user, login) -> None:
    _planner(make_user, login)
    bad = CSV + "child_8_11,post,en,7,,,,,,,,,\nteacher,paper,en,,,,,,,,,,\n"
    out = _import(client, csp, bad.encode())
    text = out.get_data(as_text=True).replace("&#39;", "'")
    assert out.status_code == 400 and "<title>Error:" in text and "Nothing was imported" in text
    assert "Row 4, channel: 'post' is not one of paper, event, group" in text
    assert "Row 4, feel_safe: Choose one of the answers shown" in text
    assert "Row 5, audience: 'teacher'" in text
    assert _responses() == []


def test_import_xlsx_and_unreadable_files(app, csp, client, make_user, login) -> None:
    from openpyxl import Workbook

    _planner(make_user, login)
    wb = Workbook()
    for row in CSV.strip().splitlines():
        wb.active.append(row.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    assert _import(client, csp, buf.getvalue(), "paper.xlsx").status_code == 303
    assert len(_responses()) == 2
    out = _import(client, csp, b"not a workbook", "paper.xlsx")
    assert out.status_code == 400 and "not a readable XLSX" in out.get_data(as_text=True)
    out = _import(client, csp, "caf\xe9".encode("latin-1"), "paper.csv")
    assert out.status_code == 400 and "not UTF-8" in out.get_data(as_text=True)


def test_imported_disclosure_goes_to_safeguarding(app, csp, client, make_user, login) -> None:
    _planner(make_user, login)
    data = "audience,channel,language,good_things\nchild_8_11,group,en," + f'"{DISCLOSURE}"' + "\n"
    out = _import(client, csp, data.encode())
    assert out.status_code == 303
    [response] = _responses()
    assert response.safeguarding is True
