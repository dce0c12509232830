"""Hostile posts and uploads through the whole app: never a 500."""

from __future__ import annotations

import io
import random

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import csrf_from
from tests.fuzz.conftest import APP_EXAMPLES, fuzz_settings
from tests.fuzz.strategies import texts
from tests.fuzz.test_fuzz_imports import (
    ORG_COLUMNS,
    PAPER_COLUMNS,
    fuzz_app,
    raw_bytes,
    tables,
    to_csv,
    to_xlsx,
)

__all__ = ["fuzz_app"]  # the module-scoped app fixture, shared with the import fuzzers
FIELDS = ["answer", "why", "rank_1", "rank_2", "rank_3", "skip", "continue_", "question", "message", "website", "x"]


def _respondent(app, consultation_id: int):  # type: ignore[no-untyped-def]
    from consult.data import consultations, responses
    from consult.extensions import db

    c = consultations.get(consultation_id)
    variant = consultations.variant_for(c, "young_12_17")
    response, code = responses.start_response(c, variant, language="en", channel="online_form")
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["respond"] = {"slug": c.slug, "rid": response.id, "code": code, "mode": "form"}
    return client, [q.core_id for q in responses.questions_for(variant)]


def test_hostile_answers_through_the_respond_pages_never_500(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import IsolatedClient

    fuzz_app.test_client_class = IsolatedClient
    with fuzz_app.app_context():
        _, consultation_id = fuzz_app.fuzz_ids
        client, core_ids = _respondent(fuzz_app, consultation_id)
        token = csrf_from(client.get(f"/c/fuzz/q/{core_ids[0]}").get_data(as_text=True))

    @fuzz_settings(APP_EXAMPLES)
    @given(core_id=st.sampled_from(core_ids), posted=st.lists(st.tuples(st.sampled_from(FIELDS), texts), max_size=8),
           page=st.sampled_from(["q", "chat", "check"]), with_token=st.booleans())
    def check(core_id, posted, page, with_token) -> None:  # type: ignore[no-untyped-def]
        data = [*posted, ("question", core_id)] + ([("csrf_token", token)] if with_token else [])
        url = f"/c/fuzz/q/{core_id}" if page == "q" else f"/c/fuzz/{page}"
        from werkzeug.datastructures import MultiDict

        response = client.post(url, data=MultiDict(data))
        assert response.status_code < 500, (url, response.status_code)

    with fuzz_app.app_context():
        check()


def test_hostile_uploads_never_500(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    from consult.data import users
    from consult.extensions import db
    from tests.conftest import IsolatedClient
    from tests.security.conftest import sign_in

    fuzz_app.test_client_class = IsolatedClient
    with fuzz_app.app_context():
        _, consultation_id = fuzz_app.fuzz_ids
        user = users.get_user(1) if False else users.create_user(
            email=f"fuzz-{random.randrange(10**9)}@example.org", name="F", password="correct horse battery",
            roles=["planner"])
        db.session.commit()
        client = fuzz_app.test_client()
        sign_in(client, user.id)
        token = csrf_from(client.get("/staff/login").get_data(as_text=True))

    files = st.one_of(
        tables(ORG_COLUMNS).map(lambda t: ("orgs.csv", to_csv(*t))),
        tables(PAPER_COLUMNS).map(lambda t: ("paper.csv", to_csv(*t))),
        tables(PAPER_COLUMNS).map(lambda t: ("paper.xlsx", to_xlsx(*t))),
        st.tuples(st.sampled_from(["x.csv", "x.xlsx", "x.pdf", "", "../../x.csv"]), raw_bytes),
    )

    @fuzz_settings(APP_EXAMPLES)
    @given(upload=files, target=st.sampled_from(["/planner/organisations/import",
                                                 f"/planner/c/{consultation_id}/paper/import"]))
    def check(upload, target) -> None:  # type: ignore[no-untyped-def]
        name, data = upload
        response = client.post(target, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code < 500, (target, name, response.status_code)

    with fuzz_app.app_context():
        check()
