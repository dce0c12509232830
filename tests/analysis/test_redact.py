import pytest

from analysis import redact, redact_many


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        ("My friend Jack said hello", "NAME", "Jack"),
        ("me and callum went to the park", "NAME", "callum"),
        ("My name is sajid", "NAME", "sajid"),
        ("Mrs Brown helps me", "NAME", "Brown"),
        ("email me at emma.smith@example.com please", "EMAIL", "emma.smith@example.com"),
        ("call 07700 900123 tonight", "PHONE", "07700 900123"),
        ("ring 0141 234 5678", "PHONE", "0141 234 5678"),
        ("ring +44 (0)131 496 0000", "PHONE", "+44 (0)131 496 0000"),
        ("our postcode is G42 8AB", "POSTCODE", "G42 8AB"),
        ("we live at 12 Oak Road near the shops", "ADDRESS", "12 Oak Road"),
        ("Flat 2/1, 45 Victoria Road", "ADDRESS", "45 Victoria Road"),
        ("I go to Oakwood Primary and like it", "SCHOOL", "Oakwood Primary"),
        ("I go to St Ninian's High School", "SCHOOL", "St Ninian's High School"),
        ("the youth club in Castlemilk is good", "PLACE", "Castlemilk"),
        ("add me @jdog_99 on insta", "HANDLE", "@jdog_99"),
        ("my snapchat is cool_kid99", "HANDLE", "cool_kid99"),
        ("see www.example.com for more", "URL", "www.example.com"),
        ("see https://example.org/page?x=1", "URL", "https://example.org/page?x=1"),
        ("I was born on 12/03/2012", "DOB", "12/03/2012"),
        ("my birthday is 3rd March", "DOB", "3rd March"),
    ],
)
def test_every_kind_is_replaced_with_its_placeholder(text, kind, secret):
    r = redact(text)
    assert f"[{kind}]" in r.text
    assert secret not in r.text
    assert kind in r.kinds


def test_local_lists_of_places_and_schools():
    r = redact("I go to hillhead and live in Drumlochy", places=["Drumlochy"], schools=["Hillhead"])
    assert r.text == "I go to [SCHOOL] and live in [PLACE]"


def test_ordinary_text_is_left_alone():
    text = "I am in P7 and S3 next year. The youth club is great and my school is good. Call 999."
    r = redact(text)
    assert r.text == text
    assert r.spans == []


def test_spans_point_into_the_original_and_originals_are_opt_in():
    text = "Jack lives at 12 Oak Road"
    plain = redact(text)
    assert all(s.original is None for s in plain.spans)
    kept = redact(text, keep_originals=True)
    for s in kept.spans:
        assert text[s.start : s.end] == s.original
    assert all(s.original is None for s in kept.without_originals().spans)


def test_batch_matches_single_and_is_deterministic():
    texts = ["Emma Smith rang 07700 900123", "", "nothing personal here"]
    batch = redact_many(texts)
    assert [r.text for r in batch] == [redact(t).text for t in texts]
    assert batch == redact_many(texts)
    assert batch[1].text == ""


def test_the_cheap_checks_never_skip_a_pattern_that_would_match():
    # Each pattern is tried only where its cheap check holds; the checks must hold wherever it would match.
    import importlib
    import random

    from analysis.redaction_eval import load_redaction_sets
    from analysis.screen_model import load_corpus

    rd = importlib.import_module("analysis.redact")  # the module (``analysis.redact`` is also the function)
    clean, pii = load_redaction_sets("all")
    texts = [r["text"] for r in clean + pii] + [r.text for r in load_corpus()]
    rng = random.Random(5)
    parts = ["see", "WWW.", "www.", "Http://", "HTTPS://", "ftp://", "example", ".CO.UK", ".com", ".Scot", ".me",
             ".median", "x.uk/page", "Email", "a@b.org", "born", "07700 900123", "12 Oak Road", "St Mary's", "."]
    texts += ["".join(rng.choice(parts) + rng.choice(["", " ", "/"]) for _ in range(rng.randint(1, 6)))
              for _ in range(3000)]
    skipped = []
    for text in texts:
        have = rd._cheap_checks(text)
        for (kind, rx), need in zip(rd._COMPILED, rd._NEEDS, strict=True):
            if not have[need] and rx.search(text) is not None:
                skipped.append((kind, need, text))
    assert skipped == []
    assert redact("see www.Example.CO.UK/x or https://a.b").text == "see [URL] or [URL]"
    assert redact("I like maths. And art.").text == "I like maths. And art."
