"""A flagged response never reaches any theme, quote, page or export, whoever looks (but the safeguarding lead)."""

from __future__ import annotations

from consult.data import actions
from consult.extensions import db
from tests.consult.planner.downloads import download

MARKERS = ("LEAKMARKER", "ORIGINALMARKER")


def test_no_output_carries_a_flagged_response(world, as_role, app) -> None:
    actions.create_action(world.consultation, status="done", theme=world.places, priority=None, plan_action=None,
                          texts={"en": {"adult": "Fixed.", "child": "Fixed."}}, reason="", user_id=None)
    actions.publish(world.consultation)
    world.flag.answer.quote_status = "pending"
    db.session.commit()
    c = world.consultation.id
    priorities = [p.id for p in world.consultation.plan.priorities]
    staff_urls = [f"/planner/c/{c}/", f"/planner/c/{c}/themes", f"/planner/c/{c}/code-next",
                  f"/planner/c/{c}/trace", f"/planner/c/{c}/we-did", f"/planner/c/{c}/pack",
                  *[f"/planner/c/{c}/themes/{t.id}" for t in (world.places, world.worries, world.buses)],
                  *[f"/planner/c/{c}/priorities/{p}" for p in priorities]]
    client = as_role("admin", "planner", "moderator")
    for url in [*staff_urls, "/planner/moderation"]:
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.data
        assert not any(m.encode() in body for m in MARKERS), url
    for page, ext in ((f"/planner/c/{c}/trace", ".csv"), (f"/planner/c/{c}/pack", ".csv"),
                      (f"/planner/c/{c}/pack", ".pdf")):
        r = download(client, page, page + ext)
        assert r.status_code == 200, page + ext
        assert not any(m.encode() in r.data for m in MARKERS), page + ext
    xlsx = download(client, f"/planner/c/{c}/pack", f"/planner/c/{c}/pack.xlsx").data
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        assert not any(m.encode() in z.read(n) for n in z.namelist() for m in MARKERS)
    public = app.test_client()
    for url in ("/results/", "/results/testbrae-2026", "/results/testbrae-2026/children"):
        body = public.get(url).data
        assert not any(m.encode() in body for m in MARKERS), url
    # The one person allowed to see it does.
    lead = as_role("safeguarding")
    assert b"ORIGINALMARKER" in lead.get(f"/planner/safeguarding/{world.flag.id}").data
