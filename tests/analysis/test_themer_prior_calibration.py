"""A codebook theme whose name matches everything, but that people never code, stops being assigned."""

from analysis import Codebook, Theme, Themer

CODEBOOK = Codebook([
    Theme("care", "Care", "the care I received"),
    Theme("staff", "Staff attitude", "kind or rude staff, nurses and doctors"),
    Theme("waiting", "Waiting times", "waiting too long for an appointment"),
])
KIND = ["the care was great because the nurses were so kind", "lovely care, staff were friendly and kind",
        "good care, the doctor was polite and listened", "care was fine and the receptionist was helpful",
        "excellent care from kind and caring nurses", "the care team were rude to my mum"]
WAIT = ["the care was ok but we waited three hours", "long wait for the appointment, care itself fine",
        "waited two months for care to start", "care was good once we were seen after a long wait"]


def test_a_theme_people_never_code_no_longer_takes_every_answer_that_shares_its_name():
    texts, labels = [], []
    for k in range(4):  # 40 reviewed answers: enough to judge how often the codebook's own guess is right
        texts += [f"{t} ({k})" for t in KIND + WAIT]
        labels += [["staff"]] * len(KIND) + [["waiting"]] * len(WAIT)
    themer = Themer(CODEBOOK)
    new = ["the care was brilliant and the nurses were kind to us", "care was fine but we waited four hours"]
    assert themer.predict(new[:1])[0].themes == ["care"]  # zero-shot, the word "care" decides
    themer.fit(texts, labels)
    got = themer.predict(new)
    assert "care" not in got[0].themes and "staff" in got[0].themes
    assert "care" not in got[1].themes and "waiting" in got[1].themes


def test_with_few_reviewed_answers_the_codebook_guess_is_kept_as_it_is():
    themer = Themer(CODEBOOK)
    before = themer.predict(["the care was brilliant"])[0].scores["care"]
    themer.fit(KIND[:3], [["staff"]] * 3)  # far too few to judge the codebook by
    assert themer.predict(["the care was brilliant"])[0].scores["care"] == before
