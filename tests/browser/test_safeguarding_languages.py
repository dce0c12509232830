"""A child discloses harm in Arabic and in Gàidhlig, in chat mode and in form mode: they get the help page
at once, the safeguarding lead gets an email (a link, none of the words) from a real SMTP server on
127.0.0.1 within a minute, follows it and sees the flag with the sentence highlighted. axe on the queue
and the flag page."""

from __future__ import annotations

import re
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import login_as
from tests.browser.test_respond_flow import choose_audience

SLUG = "glenbrae-csp-2026"
LEAD = "safeguarding@glenbrae.example"
DISCLOSURES = {
    "ar": "أبي يضربني عندما يشرب وأنا خائف أن أذهب إلى البيت",
    "gd": "Bidh m' athair gam bhualadh nuair a bhios e air an daoraich agus tha an t-eagal orm a dhol dhachaigh",
}
FLAG_LINK = re.compile(r"https?://\S+/planner/safeguarding/(\d+)")


class Inbox:
    """What the local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    def for_flag(self, flag_id: int, to: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if to in m["To"] and any(
                int(x) == flag_id for x in FLAG_LINK.findall(m.get_body(("plain",)).get_content()))]


@pytest.fixture(scope="module")
def inbox(live_app):  # type: ignore[no-untyped-def]
    """A real SMTP server (aiosmtpd) on 127.0.0.1; the live app sends its mail there."""
    import socket

    from aiosmtpd.controller import Controller

    box = Inbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
            with box.lock:
                box.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="guth@glenbrae.example")
    try:
        yield box
    finally:
        controller.stop()
        live_app.config["MAIL_SERVER"] = None


def newest_flag_id(live_app) -> int:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import SafeguardingFlag

    with live_app.app_context():
        return db.session.scalar(select(func.max(SafeguardingFlag.id))) or 0


def flags_since(live_app, before: int) -> list[tuple[int, str, bool, list[str], str]]:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Response, SafeguardingFlag

    with live_app.app_context():
        rows = db.session.execute(select(SafeguardingFlag, Response.channel).join(
            Response, Response.id == SafeguardingFlag.response_id).where(SafeguardingFlag.id > before)).all()
        return [(f.id, f.language, f.needs_human, list(f.categories), channel) for f, channel in rows]


def answer_until_free_text(page, mode: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    """Answer the two face-scale questions, to reach 'What is good where you live?'."""
    for value in ("4", "5"):
        if mode == "form":
            page.check(f"input[name=answer][value='{value}']")
            with page.expect_navigation():
                page.click("button[name=continue_]")
        else:
            mine = page.locator(".msg-me").count()
            button = page.locator(f"button.quick-reply[value='{value}']")
            if javascript:
                button.click()
                page.wait_for_function(f"document.querySelectorAll('.msg-me').length > {mine}")
            else:
                with page.expect_navigation():
                    button.click()
    page.wait_for_selector("textarea#answer")


RUNS = [("ar", "form", True), ("gd", "form", False), ("gd", "chat", True), ("ar", "chat", False)]


@pytest.mark.parametrize(("lang", "mode", "javascript"), RUNS, ids=[f"{r[0]}-{r[1]}-js{int(r[2])}" for r in RUNS])
def test_a_child_discloses_gets_help_and_the_lead_is_told_and_sees_it(
        live_server, live_app, inbox, new_page, check_axe, shot, lang, mode, javascript) -> None:  # type: ignore[no-untyped-def]
    before = newest_flag_id(live_app)
    child = new_page(width=375, javascript=javascript)
    choose_audience(child, live_server, lang, mode, lambda p, child=True: None)
    child.wait_for_url(re.compile(r"/chat$" if mode == "chat" else r"/q/feel_safe$"))
    answer_until_free_text(child, mode, javascript)
    text = DISCLOSURES[lang]
    child.fill("#answer", text)
    told_at = time.monotonic()
    if javascript and mode == "chat":
        child.click("button[name=continue_]")
    else:
        with child.expect_navigation():
            child.click("button[name=continue_]")
    # The help, at once, in the child's language (the Childline number is the same in every one).
    child.wait_for_selector(".safeguarding-help a[href='tel:08001111']", timeout=15000)
    assert child.locator("html").get_attribute("lang") == lang
    shot(child, f"safeguarding-help-{lang}-{mode}")
    [(flag_id, language, needs_human, categories, channel)] = flags_since(live_app, before)
    assert channel == ("online_chat" if mode == "chat" else "online_form")
    assert language == lang and categories and not needs_human

    # The lead's email: within a minute, a link to this flag, none of the child's words.
    while time.monotonic() - told_at < 60 and not inbox.for_flag(flag_id, LEAD):
        time.sleep(0.2)
    [message] = inbox.for_flag(flag_id, LEAD)
    assert time.monotonic() - told_at < 60
    body = message.get_body(("plain",)).get_content()
    for word in text.split():
        if len(word) > 3:
            assert word not in body and word not in message["Subject"], word
    link = FLAG_LINK.search(body).group(0)

    lead = new_page(width=1280)
    login_as(lead, live_server, LEAD)
    lead.goto(f"{live_server}/planner/safeguarding")
    assert lead.locator(f"a[href$='/planner/safeguarding/{flag_id}']").count() == 1
    check_axe(lead)
    lead.goto(live_server + "/" + link.split("/", 3)[3])
    assert lead.locator("h1").inner_text() != ""
    marked = lead.locator(".flag-answer-flagged mark")
    assert marked.count() >= 1 and marked.first.inner_text() in text
    assert text in lead.locator(".flag-answer-flagged").inner_text()
    check_axe(lead)
    shot(lead, f"safeguarding-flag-{lang}-{mode}")
