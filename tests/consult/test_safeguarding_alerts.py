"""The safeguarding lead hears at once: a real SMTP server on 127.0.0.1 receives the alert, the deputy the
escalation; the email has a link and none of the answer; a not-screened answer goes to a person too."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

import analysis
from consult.extensions import db
from consult.models import AuditEvent, OutboxEmail, Response, SafeguardingFlag
from consult.models._base import as_utc
from tests.conftest import csrf_from
from tests.consult.orgs.conftest import Inbox, smtp  # noqa: F401  (the real local SMTP server)
from tests.consult.respond.conftest import Respondent, make_consultation

ENGLISH = "my dad hits me when he's drunk and I'm scared to go home"
ROMANIAN = "Tatăl meu mă bate când este beat și mi-e frică să merg acasă"
FLAG_LINK = re.compile(r"https?://\S+/planner/safeguarding/(\d+)")
LEAD, OTHER_LEAD, DEPUTY = "lead@testshire.example", "duty@testshire.example", "deputy@testshire.example"


@pytest.fixture()
def csp(app, make_user):  # type: ignore[no-untyped-def]
    """The shipped consultation, open, in a partnership with two safeguarding contacts and a deputy."""
    from consult.data import consultations
    from consult.data import safeguarding as sg
    from forms import load_template

    consultation = make_consultation(load_template("childrens-services-plan"), slug="csp")
    partnership = consultations.first_partnership()
    sg.set_contacts(partnership, contacts=[LEAD, OTHER_LEAD, "not an email"], deputies=[DEPUTY],
                    escalate_minutes=15)
    db.session.commit()
    make_user("safeguarding", email=LEAD)
    return consultation


def _disclose(app, text: str, *, mode: str = "form", lang: str | None = None):  # type: ignore[no-untyped-def]
    """A young person answers the first free-text question with ``text``; return the page they see next."""
    person = Respondent(app.test_client(), "csp")
    if lang:
        person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    person.start("young_12_17", mode=mode)
    page = person.answer("good_things", {"answer": text, "continue_": "1"})
    assert page.status_code == 200
    return person.text()


def _flag() -> SafeguardingFlag:
    db.session.expire_all()
    return db.session.scalars(select(SafeguardingFlag)).one()


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 3]


def test_a_disclosure_emails_every_contact_within_a_minute_with_a_link_and_none_of_the_answer(
        app, csp, smtp, login, client) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    started = time.monotonic()
    page = _disclose(app, ENGLISH)
    assert "Childline" in page  # the help page, at once
    flag = _flag()
    deadline = started + 60
    while time.monotonic() < deadline and len(smtp.messages) < 2:
        time.sleep(0.1)
    assert time.monotonic() - started < 60
    assert sorted(m["To"] for m in smtp.messages) == sorted([LEAD, OTHER_LEAD])
    message = smtp.to(LEAD)[0]
    body, subject = Inbox.body(message), message["Subject"]
    assert "a possible disclosure" in subject.lower() + body.lower()
    link = FLAG_LINK.search(body)
    assert link and int(link.group(1)) == flag.id
    assert link.group(0).startswith(app.config["GUTH_BASE_URL"] + "/")  # the configured address, not the Host
    for word in _words(ENGLISH):  # not a word of what the young person wrote
        assert word not in body.lower() and word not in subject.lower(), word
    for category in analysis.CATEGORIES + tuple(analysis.CATEGORY_NAMES.values()):
        assert category.lower() not in body.lower()  # no category detail
    stored = db.session.scalars(select(OutboxEmail)).all()
    assert len(stored) == 2 and all(ENGLISH not in e.body and "drunk" not in e.body for e in stored)
    # What the flag recorded: the evidence, the language, who was told.
    assert flag.language == "en" and flag.needs_human is False and flag.categories
    assert flag.evidence and all({"sentence", "category", "score", "start", "end"} <= set(e) for e in flag.evidence)
    assert ENGLISH[flag.evidence[0]["start"]:flag.evidence[0]["end"]] == flag.evidence[0]["sentence"]
    assert sorted(flag.alerted_to) == sorted([LEAD, OTHER_LEAD]) and flag.alerted_at is not None
    assert flag.escalated_at is None
    # The lead follows the link: the flag, the sentence highlighted.
    login(LEAD)
    shown = client.get("/" + link.group(0).split("/", 3)[3])
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "<mark>" in html and "scared to go home" in html
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding.flag_viewed"))


def test_the_answer_is_screened_once_per_post(app, csp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str | None] = []
    real = analysis.screen

    def counting(text, language_hint=None):  # type: ignore[no-untyped-def]
        calls.append(language_hint)
        return real(text, language_hint=language_hint)

    monkeypatch.setattr(analysis, "screen", counting)
    person = Respondent(app.test_client(), "csp")
    person.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pl"  # the pages in Polish
    person.start("young_12_17")
    calls.clear()
    # The quick way screens it, finds a disclosure and steps aside; the full way reuses that result.
    person.answer("good_things", {"answer": "Tata mnie bije, kiedy jest pijany, i boję się wracać do domu",
                                  "continue_": "1"})
    assert calls == ["pl"]  # once, with the page language as the hint
    assert _flag().language == "pl"


def test_escalation_to_the_deputy_after_the_configured_time_once(app, csp, smtp) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from consult.services import safeguarding_alerts

    _disclose(app, ENGLISH)
    flag = _flag()
    made = as_utc(flag.created_at)
    assert len(smtp.messages) == 2 and not smtp.to(DEPUTY)
    # A clock the test controls: 14 minutes on, nothing; 15 minutes on, the deputy; again, nothing more.
    assert safeguarding_alerts.sweep(now=made + timedelta(minutes=14)) == {"alerted": 0, "escalated": 0}
    assert not smtp.to(DEPUTY)
    assert safeguarding_alerts.sweep(now=made + timedelta(minutes=15, seconds=1)) == {"alerted": 0, "escalated": 1}
    assert len(smtp.to(DEPUTY)) == 1
    body = Inbox.body(smtp.to(DEPUTY)[0])
    assert FLAG_LINK.search(body) and "15 minutes" in body
    assert not any(w in body.lower() for w in _words(ENGLISH))
    assert safeguarding_alerts.sweep(now=made + timedelta(hours=3)) == {"alerted": 0, "escalated": 0}
    assert len(smtp.to(DEPUTY)) == 1 and len(smtp.messages) == 3
    flag = _flag()
    assert flag.escalated_at is not None and flag.escalated_to == [DEPUTY]


def test_the_deputy_gets_the_partnerships_own_escalation_wording(app, csp, smtp) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from consult.data import consultations
    from consult.data import email_templates as templates
    from consult.services import safeguarding_alerts

    templates.save_templates(consultations.first_partnership().id, "safeguarding_escalation", {"en": (
        "Deputy, please look: flag {flag_id}", "Nobody has looked at {what} for {minutes} minutes.\n{link}\n")},
        user_id=None)
    db.session.commit()
    _disclose(app, ENGLISH)
    flag = _flag()
    assert safeguarding_alerts.sweep(now=as_utc(flag.created_at) + timedelta(minutes=16))["escalated"] == 1
    message = smtp.to(DEPUTY)[0]
    body = Inbox.body(message)
    assert message["Subject"] == f"Deputy, please look: flag {flag.id}"
    assert body.startswith("Nobody has looked at a possible disclosure for 15 minutes.") and FLAG_LINK.search(body)
    assert not any(w in body.lower() for w in _words(ENGLISH))
    lead = Inbox.body(smtp.to(LEAD)[0])  # the lead's alert keeps Guth's standard wording (none saved for it)
    assert "Nobody has looked" not in lead and FLAG_LINK.search(lead)


def test_a_reviewed_flag_does_not_escalate(app, csp, smtp, login, client) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from consult.services import safeguarding_alerts

    _disclose(app, ENGLISH)
    flag = _flag()
    login(LEAD)
    url = f"/planner/safeguarding/{flag.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "outcome": "Called the duty team."}).status_code == 303
    assert safeguarding_alerts.sweep(now=as_utc(flag.created_at) + timedelta(hours=2))["escalated"] == 0
    assert not smtp.to(DEPUTY)


def test_the_command_escalates_and_is_safe_to_run_twice(app, csp, smtp) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _disclose(app, ENGLISH)
    flag = _flag()
    flag.created_at = as_utc(flag.created_at) - timedelta(hours=1)  # made an hour ago
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["safeguarding-escalate"])
    assert first.exit_code == 0 and "1 flag(s) escalated" in first.output
    second = runner.invoke(args=["safeguarding-escalate"])
    assert second.exit_code == 0 and "0 flag(s) escalated" in second.output
    assert len(smtp.to(DEPUTY)) == 1


def test_an_alert_the_mail_server_refused_is_sent_by_the_next_sweep(app, csp, smtp) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from consult.services import safeguarding_alerts

    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    page = _disclose(app, ENGLISH)
    assert "Childline" in page  # the respondent never sees the mail server's trouble
    assert _flag().alerted_at is None and smtp.messages == []
    app.config["MAIL_PORT"] = port
    assert safeguarding_alerts.sweep()["alerted"] == 1
    assert sorted(m["To"] for m in smtp.messages) == sorted([LEAD, OTHER_LEAD])
    assert safeguarding_alerts.sweep()["alerted"] == 0


def _not_screened(text, language_hint=None):  # type: ignore[no-untyped-def]
    return analysis.Screening(flag=False, needs_human=True, reason="language", language="ro")


def test_an_answer_the_screen_cannot_read_goes_to_a_person_without_frightening_anyone(
        app, csp, smtp, monkeypatch, login, client) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    monkeypatch.setattr(analysis, "screen", _not_screened)
    page = _disclose(app, "Ceva în limba mea")
    assert "Childline" not in page  # no help page for an answer that merely was not read
    flag = _flag()
    assert flag.needs_human is True and flag.reason == "language" and flag.language == "ro"
    assert db.session.get(Response, flag.response_id).safeguarding is True  # kept from themes and quotes
    message = smtp.to(LEAD)[0]
    assert "could not be screened" in message["Subject"] and "limba" not in Inbox.body(message)
    login(LEAD)
    queue = client.get("/planner/safeguarding").get_data(as_text=True)
    assert "Not screened: Romanian" in queue


def test_a_romanian_disclosure_is_not_screened_but_reaches_the_lead(app, csp, smtp) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = _disclose(app, ROMANIAN)
    flag = _flag()
    assert flag.needs_human or flag.categories  # never silently passed as safe
    if flag.needs_human:
        assert "Childline" not in page and flag.language == "ro"
        assert "could not be screened" in smtp.to(LEAD)[0]["Subject"]
    assert not any(w in Inbox.body(smtp.to(LEAD)[0]).lower() for w in _words(ROMANIAN))


def test_a_screen_that_fails_sends_the_answer_to_a_person_and_logs_no_text(app, csp, smtp, monkeypatch,  # noqa: F811
                                                                          caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(text, language_hint=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("model missing")

    monkeypatch.setattr(analysis, "screen", broken)
    page = _disclose(app, "SECRETWORDS about my weekend")
    assert "Childline" not in page
    flag = _flag()
    assert flag.needs_human is True and flag.reason == "error"
    assert len(smtp.to(LEAD)) == 1
    assert "SECRETWORDS" not in caplog.text


def test_a_disclosure_in_chat_mode_shows_help_and_alerts_too(app, csp, smtp) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from tests.consult.respond.test_chat import turn

    person = Respondent(app.test_client(), "csp")
    person.start("child_8_11", "chat")
    turn(person.client, "csp", [("answer", "4")])
    turn(person.client, "csp", [("answer", "5")])
    page = turn(person.client, "csp", [("answer", ENGLISH), ("continue_", "1")])
    assert "Childline" in page.get_data(as_text=True)
    flag = _flag()
    assert flag.categories and flag.alerted_to
    assert sorted(m["To"] for m in smtp.messages) == sorted([LEAD, OTHER_LEAD])


def test_the_sweep_runs_on_a_timer_thread_in_a_web_process(app, csp, client) -> None:  # type: ignore[no-untyped-def]
    """With jobs in threads (the default), the first request starts the sweep; an alert no job sent goes out."""
    from consult.data import safeguarding as sg
    from consult.services import safeguarding_alerts
    from consult.services.screening import CheckedText

    Respondent(app.test_client(), "csp").start("young_12_17")
    response_id = db.session.scalar(select(Response.id))
    flag_id = sg.create_flag(response_id=response_id, answer_id=None,
                             checked=CheckedText("", True, ["neglect"], []))
    db.session.info.pop(sg.NEW_FLAGS, None)  # as if the request's hand-off never happened
    db.session.commit()
    app.config.update(JOBS_MODE="thread", SAFEGUARDING_SWEEP_SECONDS=0.2)
    timer = safeguarding_alerts.TIMER
    # An earlier test's live server may have started this process's sweep for its own app: end it, so this
    # app's first request starts one of its own, as a fresh web process would.
    timer.stop.set()
    timer.pid = None
    try:
        client.get("/healthz")
        deadline = time.monotonic() + 90  # generous on a loaded machine; it stops as soon as the alert is out
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(SafeguardingFlag, flag_id).alerted_at is not None:
                break
            time.sleep(0.1)
        flag = db.session.get(SafeguardingFlag, flag_id)
        assert flag.alerted_at is not None and sorted(flag.alerted_to) == sorted([LEAD, OTHER_LEAD])
        assert db.session.scalars(select(OutboxEmail)).all()  # no mail server here: recorded in the outbox
    finally:
        timer.stop.set()
        timer.pid = None
        app.config.update(JOBS_MODE="sync")
