"""The receipt code is never readable in the session cookie (issue 15, finding 8).

Flask's cookie is signed, not encrypted: base64 (sometimes zlib) of JSON that anyone holding the
cookie can read. The receipt code opens a person's answers, so it is sealed in there.
"""

from __future__ import annotations

import base64
import zlib

from tests.consult.respond.conftest import Respondent, make_consultation, receipt_code


def _cookie_payload(client) -> str:  # type: ignore[no-untyped-def]
    cookie = client.get_cookie("session")
    assert cookie is not None
    value = cookie.value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode("utf-8", "replace")


def test_the_receipt_code_is_sealed_in_the_cookie_and_still_shown(app, client) -> None:  # type: ignore[no-untyped-def]
    make_consultation(__import__("forms").load_template("childrens-services-plan"), slug="csp")
    r = Respondent(client, "csp")
    r.start()
    r.answer("feel_safe", {"answer": "2", "continue_": "1"})
    code = receipt_code(r.get("/c/csp/save").get_data(as_text=True))
    payload = _cookie_payload(client)
    assert '"respond"' in payload, "the cookie holds the respondent state"
    for form in (code, code.replace("-", "")):
        assert form not in payload
    assert receipt_code(r.get("/c/csp/save").get_data(as_text=True)) == code


def test_seal_and_unseal(app) -> None:  # type: ignore[no-untyped-def]
    from consult.security import seal, unseal

    with app.test_request_context():
        sealed = seal("ABCD-EFGH-JKMN")
        assert "ABCD" not in sealed and unseal(sealed) == "ABCD-EFGH-JKMN"
        assert seal("ABCD-EFGH-JKMN") != sealed, "a fresh nonce each time"
        assert unseal("s1.!!!") is None and unseal(None) is None
