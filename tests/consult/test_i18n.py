"""Language choice: session first, then the browser, with right-to-left for Arabic."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from


def test_browser_language_is_used_when_none_chosen(client) -> None:
    html = client.get("/", headers={"Accept-Language": "pl,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="pl" dir="ltr">' in html


def test_switching_language_keeps_place_and_session(client) -> None:
    page = client.get("/help").get_data(as_text=True)
    with client.session_transaction() as s:
        s["in_progress"] = "kept"
    response = client.post("/lang", data={"lang": "gd", "next": "/help?x=1", "csrf_token": csrf_from(page)})
    assert response.status_code == 303 and response.headers["Location"] == "/help?x=1"
    with client.session_transaction() as s:
        assert s["in_progress"] == "kept" and s["lang"] == "gd"
    assert '<html lang="gd" dir="ltr">' in client.get("/help").get_data(as_text=True)


def test_arabic_pages_are_right_to_left(client) -> None:
    page = client.get("/").get_data(as_text=True)
    client.post("/lang", data={"lang": "ar", "next": "/", "csrf_token": csrf_from(page)})
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_language_switch_never_redirects_off_site(client, target) -> None:
    page = client.get("/").get_data(as_text=True)
    response = client.post("/lang", data={"lang": "uk", "next": target, "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_refused(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert client.post("/lang", data={"lang": "xx", "csrf_token": csrf_from(page)}).status_code == 400


@pytest.mark.parametrize(("lang", "expected"), [
    ("gd", "cuideachadh"),
    ("ar", "مساعدة"),
])
def test_catalogues_translate_the_layout(client, lang, expected) -> None:
    html = client.get("/help", headers={"Accept-Language": lang}).get_data(as_text=True)
    heading = html.split("<h1>")[1].split("</h1>")[0]
    assert heading != "Get help now"
    assert expected in heading.lower()
    assert "Skip to main content" not in html
