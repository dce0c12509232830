"""Whatever is sent to the organisation pages, the answer is a clear page, never a server error."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult.extensions import db
from consult.models import OutboxEmail
from tests.conftest import csrf_from


def test_odd_links_and_posts_never_give_a_server_error(world, invite, open_link, app) -> None:
    invite(world["consultation"], world["orgs"]["Family Hub"])
    body = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == "ann@fh.example")).one().body
    client, draft = open_link(re.search(r"https?://\S+/org/i/\S+", body).group(0))
    page = client.get(f"{draft}/part/priority_poverty").get_data(as_text=True)
    token = csrf_from(page)
    stranger = app.test_client()
    for url in ["/org/i/" + "A" * 500, "/org/i/%00", "/org/i/..%2F..%2Fetc", "/org/i/\u00e9\u00e9",
                "/org/opt-out/garbage", "/org/opt-out/" + "x" * 300, "/org/r/0", "/org/r/99999999999999999999",
                f"{draft}/evidence/123", f"{draft}/part/%ff"]:
        assert client.get(url).status_code < 500, url
        assert stranger.get(url).status_code < 500, url
    posts = [
        (f"{draft}/part/priority_poverty", {"csrf_token": token, "version": "abc", "answer": "agree"}),
        (f"{draft}/part/priority_poverty", {"csrf_token": token, "version": "1", "answer": ["agree", "disagree"]}),
        (f"{draft}/part/priority_poverty", {"csrf_token": token, "version": "0", "why": "\x00\x07 bell"}),
        (f"{draft}/part/priority_poverty", {"version": "0", "answer": "agree"}),  # no CSRF token
        (f"{draft}/part/more_of", {"csrf_token": token, "version": "0", "answer": ["nonsense"]}),
        (f"{draft}/part/top_three", {"csrf_token": token, "version": "0", "rank_1": "x", "rank_2": "x"}),
        (f"{draft}/part/area", {"csrf_token": token, "version": "0", "answer": "mars"}),
        (f"{draft}/evidence", {"csrf_token": token}),
        (f"{draft}/evidence/5/remove", {"csrf_token": token}),
        (f"{draft}/submit", {}),
        ("/org/opt-out/garbage", {"csrf_token": token}),
    ]
    for url, data in posts:
        status = client.post(url, data=data).status_code
        assert status < 500, (url, data, status)
    # A version that does not match is treated as a conflict, and what was typed is kept.
    page = client.post(f"{draft}/part/org_gaps", data={"csrf_token": token, "version": "7", "continue_": "y",
                                                       "answer": "My words"}).get_data(as_text=True)
    assert "Someone else changed this answer" in page and "My words" in page
