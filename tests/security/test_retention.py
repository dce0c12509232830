"""Retention (free text, evidence files and outbox emails erased after the period), erasure by receipt
code, signed export links."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from consult import clock
from forms import AnswerData, load_template


def _consultation(retention_days: int = 30):  # type: ignore[no-untyped-def]
    from consult.data import consultations

    p = consultations.create_partnership(name="Ret", local_authority="C", health_board="B", areas=[("a", "Area")],
                                         retention_days=retention_days)
    plan = consultations.create_plan(p, title="Plan", period_start=date(2026, 4, 1), period_end=date(2029, 3, 31),
                                     vision="v", priorities=[{"key": f"k{i}", "title": f"P{i}"} for i in range(3)])
    today = clock.today()  # Scotland's calendar day, as the app decides it, not the machine's
    c = consultations.create_consultation(plan, load_template("childrens-services-plan"), slug="ret",
                                          opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=5),
                                          status="open")
    return p, c


def _answered(c, text: str, *, submit: bool = True):  # type: ignore[no-untyped-def]
    from consult.data import consultations, responses
    from consult.services import answers as answers_service

    variant = consultations.variant_for(c, "young_12_17")
    response, code = responses.start_response(c, variant, language="en", channel="online_form")
    qs = responses.questions_for(variant)
    free = [q for q in qs if q.type == "long_text"][0]
    scale = [q for q in qs if q.type == "face_scale"][0]
    answers_service.save(response, free, AnswerData(value=None, text=text))
    answers_service.save(response, scale, AnswerData(value=4))
    if submit:
        answers_service.submit(response)
    return response, code


def _age(response, days: int) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db

    then = datetime.now(UTC) - timedelta(days=days)
    response.submitted_at = then if response.submitted_at else None
    response.updated_at = then
    db.session.flush()
    db.session.execute(
        __import__("sqlalchemy").update(type(response)).where(type(response).id == response.id)
        .values(updated_at=then, submitted_at=response.submitted_at))


def test_retention_erases_free_text_after_the_period_and_keeps_choices(app) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer, AuditEvent
    from consult.services.retention import apply_retention_everywhere

    p, c = _consultation(retention_days=30)
    old, _ = _answered(c, "We need a youth club near the park.")
    old_draft, _ = _answered(c, "An answer left unfinished long ago.", submit=False)
    new, _ = _answered(c, "Buses that run after school please.")
    _age(old, 31)
    _age(old_draft, 40)
    db.session.commit()

    dry = apply_retention_everywhere(dry_run=True)
    assert dry[0].answers_erased == 2
    assert db.session.scalar(select(Answer.text).where(Answer.response_id == old.id, Answer.text.is_not(None)))

    results = apply_retention_everywhere()
    assert results[0].answers_erased == 2
    db.session.expire_all()
    for response in (old, old_draft):
        answers = db.session.scalars(select(Answer).where(Answer.response_id == response.id)).all()
        assert all(a.text is None and a.text_original is None for a in answers)
        assert any(a.value == 4 for a in answers), "choices and scales stay"
    kept = db.session.scalars(select(Answer).where(Answer.response_id == new.id, Answer.text.is_not(None))).all()
    assert kept, "answers inside the period keep their (redacted) text"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention"))
    assert event is not None and event.detail["answers"] == 2
    assert apply_retention_everywhere()[0].answers_erased == 0, "running twice changes nothing more"


def test_retention_holds_unreviewed_safeguarding_answers(app) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer, SafeguardingFlag
    from consult.services.retention import apply_retention_everywhere

    _p, c = _consultation(retention_days=10)
    flagged, _ = _answered(c, "My dad hits me when he is drunk and I am scared to go home.")
    _age(flagged, 11)
    db.session.commit()
    flags = db.session.scalars(select(SafeguardingFlag).where(SafeguardingFlag.response_id == flagged.id)).all()
    assert flags, "the screen flags a disclosure"
    result = apply_retention_everywhere()[0]
    assert result.held_for_safeguarding == 1
    answer = db.session.get(Answer, flags[0].answer_id)
    assert answer.text_original, "held for the safeguarding lead until reviewed"
    for flag in flags:
        flag.reviewed_at = datetime.now(UTC)
    db.session.commit()
    assert apply_retention_everywhere()[0].answers_erased >= 1
    db.session.expire_all()
    assert db.session.get(Answer, flags[0].answer_id).text_original is None


def test_retention_job_and_cli(app) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.jobs import REGISTRY, enqueue

    _p, c = _consultation(retention_days=1)
    old, _ = _answered(c, "More buses on a Friday night.")
    _age(old, 2)
    db.session.commit()
    assert "retention" in REGISTRY
    row = enqueue("retention")
    assert row.state == "done" and row.result["partnerships"][0]["answers_erased"] == 1
    out = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert out.exit_code == 0 and "would erase text of 0 answer(s)" in out.output


# ---- evidence files and the outbox ---------------------------------------------------------------

PDF = b"%PDF-1.4\n% evidence\n"


def _organisation_response_with_file(c, name: str, *, submit: bool = True):  # type: ignore[no-untyped-def]
    """Return (response, EvidenceFile) for an organisation that attached a file to its response."""
    from consult.data import org_responses
    from consult.extensions import db
    from consult.models import Contact, Organisation
    from consult.services import answers as answers_service
    from consult.services import org_response

    org = Organisation(partnership_id=c.plan.partnership_id, name=name, name_key=name.lower(), org_type="provides")
    contact = Contact(name=f"Contact at {name}", email=f"{name.lower().replace(' ', '-')}@example.org")
    org.contacts.append(contact)
    db.session.add(org)
    db.session.flush()
    response = org_responses.get_or_start(c, org, "organisation")
    stored = org_response.store_file(PDF, "pdf")
    row = org_responses.add_evidence_file(response, filename=f"{name} annual report.pdf", stored_name=stored,
                                          content_type="application/pdf", size=len(PDF), contact=contact)
    if submit:
        answers_service.submit(response)
    db.session.flush()
    return response, row


@pytest.fixture()
def uploads(app, tmp_path):  # type: ignore[no-untyped-def]
    """Keep this test's evidence files in a folder of its own."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def test_retention_deletes_evidence_files_from_disk_after_the_period(app, uploads) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import AuditEvent, EvidenceFile
    from consult.services.retention import apply_retention_everywhere

    _p, c = _consultation(retention_days=30)
    old, old_file = _organisation_response_with_file(c, "Old Trust")
    new, new_file = _organisation_response_with_file(c, "New Trust")
    old_id, old_path, new_path = old_file.id, uploads / old_file.stored_name, uploads / new_file.stored_name
    _age(old, 31)
    db.session.commit()
    assert old_path.is_file() and new_path.is_file()

    dry = apply_retention_everywhere(dry_run=True)
    assert dry[0].evidence_files_deleted == 1
    assert old_path.is_file() and db.session.get(EvidenceFile, old_id) is not None, "a dry run changes nothing"

    result = apply_retention_everywhere()[0]
    assert result.evidence_files_deleted == 1 and result.evidence_files_held == 0
    db.session.expire_all()
    assert not old_path.exists(), "the file is gone from disk"
    assert db.session.get(EvidenceFile, old_id) is None, "and so is its row, with the name it was uploaded under"
    assert new_path.is_file() and db.session.get(EvidenceFile, new_file.id) is not None, "inside the period: kept"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention",
                                                       AuditEvent.object_type == "partnership"))
    assert event is not None and event.detail["evidence_files"] == 1
    assert apply_retention_everywhere()[0].evidence_files_deleted == 0, "running twice changes nothing more"
    assert sorted(p.name for p in uploads.iterdir()) == [new_path.name], "no file left behind"


def test_retention_finishes_a_run_that_stopped_half_way(app, uploads) -> None:  # type: ignore[no-untyped-def]
    """Files go from disk before rows are deleted: a row whose file is already gone is deleted next time."""
    from consult.extensions import db
    from consult.models import EvidenceFile
    from consult.services.retention import apply_retention_everywhere

    _p, c = _consultation(retention_days=30)
    old, old_file = _organisation_response_with_file(c, "Half Way")
    _age(old, 31)
    db.session.commit()
    (uploads / old_file.stored_name).unlink()  # the run that stopped removed the file, not yet the row
    assert apply_retention_everywhere(dry_run=True)[0].evidence_files_deleted == 1
    assert apply_retention_everywhere()[0].evidence_files_deleted == 1
    db.session.expire_all()
    assert db.session.scalar(select(EvidenceFile.id)) is None


def test_retention_holds_evidence_of_a_response_awaiting_safeguarding_review(app, uploads) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import EvidenceFile, SafeguardingFlag
    from consult.services.retention import apply_retention_everywhere

    _p, c = _consultation(retention_days=10)
    old, old_file = _organisation_response_with_file(c, "Flagged Trust")
    flag = SafeguardingFlag(response_id=old.id, answer_id=None, categories=["test"])
    db.session.add(flag)
    _age(old, 11)
    db.session.commit()
    path, file_id = uploads / old_file.stored_name, old_file.id

    dry = apply_retention_everywhere(dry_run=True)[0]
    assert (dry.evidence_files_deleted, dry.evidence_files_held) == (0, 1)
    result = apply_retention_everywhere()[0]
    assert (result.evidence_files_deleted, result.evidence_files_held) == (0, 1)
    assert path.is_file(), "held for the safeguarding lead until reviewed"
    flag.reviewed_at = datetime.now(UTC)
    db.session.commit()
    assert apply_retention_everywhere()[0].evidence_files_deleted == 1
    db.session.expire_all()
    assert not path.exists() and db.session.get(EvidenceFile, file_id) is None


def _age_email(row, days: int) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from consult.extensions import db

    then = datetime.now(UTC) - timedelta(days=days)
    db.session.execute(update(type(row)).where(type(row).id == row.id).values(created_at=then, sent_at=then))


def test_retention_deletes_outbox_emails_after_the_shortest_period(app) -> None:  # type: ignore[no-untyped-def]
    """Invitations kept in the outbox (no mail server: with the live personal link) go after the period."""
    from consult.data import consultations
    from consult.extensions import db
    from consult.models import AuditEvent, Contact, Organisation, OutboxEmail
    from consult.services import invitations, mail
    from consult.services.retention import apply_retention_everywhere

    _p, c = _consultation(retention_days=30)
    consultations.create_partnership(name="Longer", local_authority="L", health_board="L", areas=[("l", "L")],
                                     retention_days=400)
    org = Organisation(partnership_id=c.plan.partnership_id, name="Mail Trust", name_key="mail trust",
                       org_type="provides")
    org.contacts.append(Contact(name="Morag Example", email="morag@example.org"))
    db.session.add(org)
    db.session.flush()
    with app.test_request_context("/"):  # as when a planner invites from the page
        invitations.invite_organisation(c, org, invited_by_id=None, base_url="http://localhost/")
    old = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == "morag@example.org"))
    assert old is not None and "Morag Example" in old.body and "http://localhost/" in old.body
    new = mail.send(to="recent@example.org", subject="Recent", body="Dear Recent Person")
    _age_email(old, 31)
    _age_email(new, 5)
    db.session.commit()
    old_id, new_id = old.id, new.id

    dry = apply_retention_everywhere(dry_run=True)
    assert dry.outbox.retention_days == 30, "the shortest period of any partnership on the server"
    assert dry.outbox.emails_deleted == 1
    assert db.session.get(OutboxEmail, old_id) is not None, "a dry run changes nothing"

    results = apply_retention_everywhere()
    assert results.outbox.emails_deleted == 1
    db.session.expire_all()
    assert db.session.get(OutboxEmail, old_id) is None
    assert not db.session.scalars(select(OutboxEmail).where(OutboxEmail.body.contains("Morag"))).all()
    assert db.session.get(OutboxEmail, new_id) is not None, "inside the period: kept"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention",
                                                       AuditEvent.object_type == "outbox"))
    assert event is not None and event.detail["emails"] == 1 and "morag" not in str(event.detail).lower()
    assert apply_retention_everywhere().outbox.emails_deleted == 0, "running twice changes nothing more"


def test_retention_job_reports_evidence_and_outbox(app, uploads) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.jobs import enqueue
    from consult.services import mail

    _p, c = _consultation(retention_days=1)
    old, _file = _organisation_response_with_file(c, "Job Trust")
    _age(old, 2)
    _age_email(mail.send(to="old@example.org", subject="Old", body="Dear Old Person"), 2)
    db.session.commit()
    dry = enqueue("retention", dry_run=True)
    assert dry.state == "done"
    assert dry.result["partnerships"][0]["evidence_files_deleted"] == 1
    assert dry.result["outbox"] == {"retention_days": 1, "cutoff": dry.result["outbox"]["cutoff"], "emails_deleted": 1}
    row = enqueue("retention")
    assert row.state == "done"
    assert row.result["partnerships"][0]["evidence_files_deleted"] == 1
    assert row.result["outbox"]["emails_deleted"] == 1
    assert list(uploads.iterdir()) == []


def test_celery_beat_runs_retention_daily() -> None:
    from consult.celery_app import celery
    from consult.services import retention

    entry = celery.conf.beat_schedule[retention.BEAT_ENTRY]
    assert entry["task"] == "guth.retention"
    assert "guth.retention" in celery.tasks


def test_erasure_by_receipt_code(app) -> None:  # type: ignore[no-untyped-def]
    from consult.data import responses
    from consult.extensions import db
    from consult.models import Answer
    from consult.services import answers as answers_service

    _p, c = _consultation()
    response, code = _answered(c, "Please keep the library open on Saturdays.")
    db.session.commit()
    found = responses.find_by_receipt(code.lower().replace("-", " "))
    assert found is not None and found.id == response.id
    answers_service.delete(found)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalars(select(Answer).where(Answer.response_id == response.id)).all() == []
    again = responses.find_by_receipt(code)
    assert again.status == "withdrawn" and again.area_id is None and not again.may_quote
    assert responses.find_by_receipt("AAAA-BBBB-CCCC") is None


def test_erasure_by_receipt_code_through_the_pages(app, client) -> None:  # type: ignore[no-untyped-def]
    """The respondent's own "delete my answers" page, reached with the receipt code, erases them."""
    import random

    from consult.extensions import db
    from consult.models import Answer, Response
    from tests.load.formbot import TestClientBrowser, answer_consultation, fill, main_form, parse_forms

    _p, c = _consultation()
    db.session.commit()
    journey = answer_consultation(TestClientBrowser(client), "/c/ret/", rng=random.Random(0))
    assert journey.completed and journey.receipt_code
    rid = db.session.scalar(select(Response.id).where(Response.status == "submitted"))
    other = client.application.test_client()
    page = other.get("/receipt")
    assert page.status_code == 200
    form = main_form(parse_forms(page.get_data(as_text=True)))
    data = [(k, journey.receipt_code if k not in ("csrf_token",) and v != "" or k == "code" else v)
            for k, v in fill(form, random.Random(0), lambda f: journey.receipt_code)]
    after = other.post("/receipt", data=dict(data), follow_redirects=True)
    assert after.status_code == 200
    delete_page = other.get("/c/ret/delete")
    assert delete_page.status_code == 200
    form = main_form(parse_forms(delete_page.get_data(as_text=True)))
    done = other.post("/c/ret/delete", data=dict(fill(form, random.Random(0), lambda f: "")), follow_redirects=True)
    assert done.status_code == 200
    db.session.expire_all()
    assert db.session.get(Response, rid).status == "withdrawn"
    assert db.session.scalars(select(Answer).where(Answer.response_id == rid)).all() == []


# ---- signed export links -------------------------------------------------------------------------

@pytest.fixture()
def export_app(app):  # type: ignore[no-untyped-def]
    from flask import Blueprint

    from consult.auth import roles_required
    from consult.services.signed_links import signed_link_required, signed_url

    bp = Blueprint("exp_test", __name__)

    @bp.route("/__export/<int:cid>.csv")
    @roles_required("planner")
    @signed_link_required
    def export(cid: int):  # type: ignore[no-untyped-def]
        return f"id,{cid}\n"

    @bp.route("/__link/<int:cid>")
    @roles_required("planner")
    def link(cid: int):  # type: ignore[no-untyped-def]
        return signed_url("exp_test.export", cid=cid)

    app.register_blueprint(bp)
    return app


def _signed_in(app, email: str):  # type: ignore[no-untyped-def]
    from consult.data import users
    from consult.extensions import db
    from tests.security.conftest import sign_in

    user = users.create_user(email=email, name="x", password="correct horse battery", roles=["planner"])
    db.session.commit()
    client = app.test_client()
    sign_in(client, user.id)
    return client


def test_signed_export_links(export_app) -> None:  # type: ignore[no-untyped-def]
    alice = _signed_in(export_app, "alice@example.org")
    bob = _signed_in(export_app, "bob@example.org")
    url = alice.get("/__link/7").get_data(as_text=True)
    assert "sig=" in url
    assert alice.get(url).status_code == 200
    assert alice.get(url).get_data(as_text=True) == "id,7\n"
    assert bob.get(url).status_code == 404, "a link is only for the person it was made for"
    assert export_app.test_client().get(url).status_code in (302, 404), "never for someone signed out"
    assert alice.get("/__export/7.csv").status_code == 404, "no signature, no file"
    assert alice.get(url.replace("/7.csv", "/8.csv")).status_code == 404, "not for another object"
    assert alice.get(url[:-3] + "abc").status_code == 404, "tampered"


def test_signed_export_links_expire(export_app) -> None:  # type: ignore[no-untyped-def]
    alice = _signed_in(export_app, "alice@example.org")
    export_app.config["EXPORT_LINK_MAX_AGE"] = 1
    url = alice.get("/__link/3").get_data(as_text=True)
    time.sleep(2.1)
    expired = alice.get(url)
    assert expired.status_code == 410
    assert "This download link has expired" in expired.get_data(as_text=True)


EXPORT_SUFFIXES = (".csv", ".xlsx", ".pdf", ".zip", ".json")


def test_every_export_route_needs_a_signed_link(app) -> None:  # type: ignore[no-untyped-def]
    exports = [r for r in app.url_map.iter_rules() if r.rule.endswith(EXPORT_SUFFIXES) and r.endpoint != "static"]
    unsigned = [r.endpoint for r in exports if not getattr(app.view_functions[r.endpoint], "guth_signed", False)]
    assert not unsigned, f"export routes without @signed_link_required: {unsigned}"


def test_retention_erases_a_chat_follow_up_reply_too(app) -> None:  # type: ignore[no-untyped-def]
    from consult.extensions import db
    from consult.models import Answer
    from consult.services.retention import apply_retention_everywhere

    _p, c = _consultation(retention_days=5)
    old, _ = _answered(c, "We need a youth club near the park.")
    free = db.session.scalars(select(Answer).where(Answer.response_id == old.id, Answer.text.is_not(None))).one()
    free.follow_up = "It closed last year and there is nowhere warm to meet."
    _age(old, 6)
    db.session.commit()
    assert apply_retention_everywhere()[0].answers_erased == 1
    db.session.expire_all()
    assert db.session.get(Answer, free.id).follow_up is None
