"""The organisation's response: parts, co-drafting conflicts, evidence files, one named submitter."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Answer, DraftEdit, EvidenceFile, OutboxEmail, Response
from tests.conftest import csrf_from


def _outbox_link(address: str) -> str:
    body = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == address, OutboxEmail.body.like("%/org/i/%"))
                              .order_by(OutboxEmail.id.desc())).first().body
    return re.search(r"https?://\S+/org/i/\S+", body).group(0)


def _post_part(client, url, **fields):  # type: ignore[no-untyped-def]
    page = client.get(url)
    html = page.get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"|id="version" name="version" type="hidden" '
                        r'value="(\d+)"', html)
    data = {"csrf_token": csrf_from(html), "continue_": "y",
            "version": fields.pop("version", None) or (version.group(1) or version.group(2))}
    data.update(fields)
    return client.post(url, data=data)


def _two_colleagues(world, invite, open_link, org_name="Family Hub", slug="fh"):  # type: ignore[no-untyped-def]
    invite(world["consultation"], world["orgs"][org_name])
    ann, draft = open_link(_outbox_link(f"ann@{slug}.example"))
    bob, draft_bob = open_link(_outbox_link(f"bob@{slug}.example"))
    assert draft == draft_bob  # one shared draft for the organisation
    return ann, bob, draft


def test_a_priority_answer_saves_and_records_who_and_when(world, invite, open_link) -> None:
    ann, _bob, draft = _two_colleagues(world, invite, open_link)
    page = _post_part(ann, f"{draft}/part/priority_poverty", answer="partly", why="Needs more money advice.")
    assert page.status_code == 302
    html = ann.get(draft).get_data(as_text=True)
    assert "I partly agree: Needs more money advice." in html and "Last changed by Ann fh" in html
    edit = db.session.scalars(select(DraftEdit)).one()
    answer = db.session.scalars(select(Answer)).one()
    assert edit.contact_id == world["orgs"]["Family Hub"].contacts[0].id and edit.version == answer.version


def test_two_people_editing_the_same_part_get_a_conflict_not_an_overwrite(world, invite, open_link) -> None:
    ann, bob, draft = _two_colleagues(world, invite, open_link)
    url = f"{draft}/part/org_gaps"
    ann_page, bob_page = ann.get(url).get_data(as_text=True), bob.get(url).get_data(as_text=True)

    def post(client, html, text):  # type: ignore[no-untyped-def]
        version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
        return client.post(url, data={"csrf_token": csrf_from(html), "version": version, "continue_": "y",
                                      "answer": text})

    assert post(ann, ann_page, "Transport to services in the villages.").status_code == 302
    clash = post(bob, bob_page, "Support for young carers at school.")
    html = clash.get_data(as_text=True)
    assert clash.status_code == 200
    assert "Someone else changed this answer while you were writing" in html
    assert "Ann fh saved a different answer" in html
    assert "Transport to services in the villages." in html and "Support for young carers at school." in html
    assert html.startswith("<!doctype html>") and "<title>Error:" in html
    stored = db.session.scalars(select(Answer).where(Answer.core_id == "org_gaps")).one()
    assert stored.text == "Transport to services in the villages."  # nothing overwritten
    ann_version = stored.version
    # Bob combines both and saves again: now based on Ann's version, it saves.
    again = post(bob, html, "Transport to services in the villages. Support for young carers at school.")
    assert again.status_code == 302
    db.session.expire_all()
    stored = db.session.scalars(select(Answer).where(Answer.core_id == "org_gaps")).one()
    assert stored.text.endswith("young carers at school.") and stored.version == ann_version + 1
    editors = [e.contact_id for e in db.session.scalars(select(DraftEdit).order_by(DraftEdit.id))]
    hub = world["orgs"]["Family Hub"]
    assert editors == [hub.contacts[0].id, hub.contacts[1].id]


def test_validation_errors_keep_what_was_typed(world, invite, open_link) -> None:
    ann, _bob, draft = _two_colleagues(world, invite, open_link)
    page = _post_part(ann, f"{draft}/part/priority_poverty", answer="maybe", why="Typed reason")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in html and "Typed reason" in html


def test_another_organisations_draft_is_not_found(world, invite, open_link) -> None:
    ann, _bob, draft = _two_colleagues(world, invite, open_link)
    invite(world["consultation"], world["orgs"]["Youth Voice"])
    other, other_draft = open_link(_outbox_link("ann@yv.example"))
    assert other.get(draft).status_code == 404
    assert other.get(f"{draft}/part/org_gaps").status_code == 404
    assert other.get(f"{draft}/submit").status_code == 404
    assert ann.get(other_draft).status_code == 404
    assert ann.get(f"{draft}/part/no_such_question").status_code == 404
    # Nobody signed in through a link: not found either.
    from flask import current_app

    assert current_app.test_client().get(draft).status_code == 404


def test_one_named_person_submits_and_everyone_gets_a_copy(world, invite, open_link) -> None:
    ann, bob, draft = _two_colleagues(world, invite, open_link)
    _post_part(ann, f"{draft}/part/priority_mental_health", answer="agree", why="Waits are too long.")
    check = bob.get(f"{draft}/submit")
    assert "You, Bob fh, will be named" in check.get_data(as_text=True)
    done = bob.post(f"{draft}/submit", data={"csrf_token": csrf_from(check.get_data(as_text=True))})
    assert done.status_code == 302
    page = bob.get(done.headers["Location"]).get_data(as_text=True)
    assert "Response submitted" in page and "Submitted by Bob fh" in page
    response = db.session.scalars(select(Response)).one()
    assert response.status == "submitted"
    assert response.submitted_by_contact_id == world["orgs"]["Family Hub"].contacts[1].id
    copies = db.session.scalars(select(OutboxEmail).where(OutboxEmail.subject.like("Copy of%"))).all()
    assert sorted(c.to for c in copies) == ["ann@fh.example", "bob@fh.example"]
    assert "Waits are too long." in copies[0].body
    # Submitting twice changes nothing; the draft can no longer be changed.
    assert bob.post(f"{draft}/submit", data={"csrf_token": csrf_from(check.get_data(as_text=True))}).status_code == 302
    assert db.session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.subject.like("Copy of%"))) == 2
    assert ann.get(f"{draft}/part/org_gaps").status_code == 302
    # The link used again later says it was submitted, and by whom.
    landing = ann.get("/" + _outbox_link("ann@fh.example").split("/", 3)[3])
    assert "already submitted its response" in landing.get_data(as_text=True)
    assert "Bob fh" in landing.get_data(as_text=True)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, draft, name, data):  # type: ignore[no-untyped-def]
    page = client.get(f"{draft}/evidence")
    return client.post(f"{draft}/evidence", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                  "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_an_evidence_file_is_checked_by_content_and_stored_outside_the_web_root(world, invite, open_link,
                                                                                 app, tmp_path) -> None:
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    ann, bob, draft = _two_colleagues(world, invite, open_link)
    ok = _upload(ann, draft, "report.pdf", PDF)
    assert ok.status_code == 302
    row = db.session.scalars(select(EvidenceFile)).one()
    assert row.filename == "report.pdf" and row.content_type == "application/pdf"
    assert (tmp_path / "uploads" / row.stored_name).read_bytes() == PDF
    assert "static" not in str(tmp_path / "uploads")
    got = bob.get(f"{draft}/evidence/{row.id}")
    assert got.status_code == 200 and got.data == PDF and "attachment" in got.headers["Content-Disposition"]
    # Not what it says it is, a kind we do not take, too big: clear messages, nothing stored.
    fake = _upload(ann, draft, "report.pdf", PNG)
    assert fake.status_code == 400 and "contents are not a PDF file" in fake.get_data(as_text=True)
    exe = _upload(ann, draft, "tool.exe", b"MZ\x90\x00")
    assert exe.status_code == 400 and "must be a PDF" in exe.get_data(as_text=True)
    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    big = _upload(ann, draft, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert big.status_code == 400 and "The file is too big" in big.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 2048
    huge = _upload(ann, draft, "huge.pdf", PDF + b"0" * 4096)
    assert huge.status_code == 413 and "The file is too big" in huge.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EvidenceFile.id))) == 1
    # Another organisation cannot fetch it.
    invite(world["consultation"], world["orgs"]["Youth Voice"])
    other, _ = open_link(_outbox_link("ann@yv.example"))
    assert other.get(f"{draft}/evidence/{row.id}").status_code == 404
