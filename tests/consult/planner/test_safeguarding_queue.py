"""The queue a safeguarding lead works from: most urgent first, then the longest waiting; the date and time;
the category in words; "Not screened: <language>"; the triggering sentence highlighted (and escaped)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from consult.data import safeguarding as sg
from consult.extensions import db
from consult.models import SafeguardingFlag
from consult.services.screening import CheckedText

T0 = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def _flag(world, minutes: int, categories: list[str], *, needs_human: bool = False, language: str = "en",
          reason: str = "", evidence: list[dict] | None = None, text: str | None = None) -> int:
    answer = world.flag.answer  # the flagged response's answer, as typed
    if text is not None:
        answer.text, answer.text_original = "redacted", text
        db.session.flush()
    checked = CheckedText("", bool(categories), categories, [], needs_human=needs_human, reason=reason,
                          language=language, evidence=evidence or [])
    return sg.create_flag(response_id=world.flagged.id, answer_id=answer.id if text is not None else None,
                          checked=checked, now=T0 + timedelta(minutes=minutes))


def _order(html: str) -> list[int]:
    return [int(i) for i in re.findall(r"/planner/safeguarding/(\d+)\"", html)]


def test_the_queue_is_most_urgent_first_then_longest_waiting_and_says_why_in_words(world, as_role) -> None:
    world.flag.reviewed_at, world.flag.outcome = T0, "Done."  # the world's own flag: reviewed, so last
    emotional_old = _flag(world, 0, ["emotional_abuse"])
    neglect = _flag(world, 5, ["neglect", "parental_substance"])
    suicidal_new = _flag(world, 50, ["suicidal"])
    physical = _flag(world, 20, ["physical_abuse"])
    romanian = _flag(world, 40, [], needs_human=True, language="ro", reason="language")
    emotional_new = _flag(world, 30, ["emotional_abuse"])
    db.session.commit()
    client = as_role("safeguarding")
    html = client.get("/planner/safeguarding").get_data(as_text=True)
    assert _order(html) == [suicidal_new, romanian, physical, neglect, emotional_old, emotional_new, world.flag.id]
    assert "Not screened: Romanian" in html and "a language the screen does not read" in html
    assert "Suicidal thoughts or plans" in html and "Neglect; Harmful parental alcohol or drug use" in html
    # The date and the time, not the date only, in Scotland's time: 10:20 and 09:50 UTC are 11:20 and 10:50 BST.
    assert "4 May 2026, 11:20" in html and "4 May 2026, 10:50" in html
    assert 'datetime="2026-05-04T09:50:00' in html


def test_the_queue_in_another_language_names_the_language_in_it(world, as_role) -> None:
    _flag(world, 0, [], needs_human=True, language="ro", reason="language")
    db.session.commit()
    client = as_role("safeguarding")
    html = client.get("/planner/safeguarding", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert "rumuński" in html  # Babel's own names for languages: no catalogue needed


def test_the_flag_page_marks_the_sentence_by_its_offsets_and_escapes_everything(world, as_role) -> None:
    text = "The bus is late <b>every</b> day. My step-dad <script>hits</script> me. I like the park."
    start = text.index("My step-dad")
    end = text.index(" I like")
    evidence = [{"sentence": text[start:end], "category": "physical_abuse", "score": 0.91, "start": start,
                 "end": end}]
    flag_id = _flag(world, 0, ["physical_abuse"], evidence=evidence, text=text)
    db.session.commit()
    client = as_role("safeguarding")
    page = client.get(f"/planner/safeguarding/{flag_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<mark>My step-dad &lt;script&gt;hits&lt;/script&gt; me.</mark> I like the park." in html
    assert "The bus is late &lt;b&gt;every&lt;/b&gt; day. <mark>" in html
    assert "<script>hits" not in html and "<b>every" not in html
    assert "Physical abuse" in html and "0.91" in html


def test_offsets_that_no_longer_match_mark_nothing_and_never_fail(world, as_role) -> None:
    text = "Changed since."
    bad = [{"sentence": "something else", "category": "neglect", "score": 1, "start": 0, "end": 5},
           {"sentence": "", "category": "neglect", "score": 1, "start": 50, "end": 90},
           {"category": "neglect", "score": 1, "start": "x", "end": None}]
    flag_id = _flag(world, 0, ["neglect"], evidence=bad, text=text)
    db.session.commit()
    client = as_role("safeguarding")
    page = client.get(f"/planner/safeguarding/{flag_id}")
    assert page.status_code == 200 and "<mark>" not in page.get_data(as_text=True).split("What they wrote")[1] \
        .split("Evidence")[0]


def test_highlighted_pieces_cover_the_text_exactly() -> None:
    text = "one. two. three."
    pieces = sg.highlighted(text, [{"sentence": "two.", "start": 5, "end": 9},
                                   {"sentence": "wo. three.", "start": 6, "end": 16}])
    assert "".join(p.text for p in pieces) == text
    assert [p.text for p in pieces if p.marked] == ["two.", " three."]


def test_a_flag_made_before_alerts_existed_still_shows(world, as_role) -> None:
    client = as_role("safeguarding")
    html = client.get(f"/planner/safeguarding/{world.flag.id}").get_data(as_text=True)
    assert "abuse" in html and "Not emailed yet." in html
    assert db.session.get(SafeguardingFlag, world.flag.id).evidence == []


def test_the_flag_page_writes_both_times_alike_in_scotlands_time(world, as_role) -> None:
    """When it was flagged and when the lead was emailed read the same way, in Scotland's time (BST in May)."""
    flag_id = _flag(world, 0, ["physical_abuse"])
    flag = db.session.get(SafeguardingFlag, flag_id)
    flag.alerted_at, flag.alerted_to = T0 + timedelta(minutes=1), ["lead@example.org"]
    db.session.commit()
    html = as_role("safeguarding").get(f"/planner/safeguarding/{flag_id}").get_data(as_text=True)
    assert ">4 May 2026, 10:30</time>" in html
    assert "Emailed at 4 May 2026, 10:31 to 1 safeguarding contact." in html
