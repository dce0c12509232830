"""A small definition with every question type, and a helper that posts to a built form."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

import forms

TOPICS = [
    {"value": "play", "label": {"en": "Places to play", "gd": "Àiteachan airson cluich"}},
    {"value": "clubs", "label": {"en": "Clubs"}},
    {"value": "money", "label": {"en": "Help with money"}},
    {"value": "feelings", "label": {"en": "Help with feelings"}},
]
PICTURE_TOPICS = [
    {**t, "picture": {"src": src, "alt": {"en": f"Picture of {t['label']['en']}"}}}
    for t, src in zip(
        TOPICS, ["places-to-play.svg", "clubs.svg", "money-help.svg", "feelings-help.svg"], strict=True
    )
]

SAMPLE = {
    "id": "sample-2026",
    "title": {"en": "Sample consultation", "gd": "Co-chomhairle"},
    "purpose": {"en": "Testing"},
    "languages": ["en", "gd", "ar", "pl", "uk"],
    "audiences": [
        {
            "audience": "child_8_11",
            "title": {"en": "Have your say", "ar": "قل رأيك"},
            "intro": {"en": "Tell us what you think."},
            "questions": [
                {
                    "core_id": "choose_one",
                    "type": "single_choice",
                    "text": {"en": "Pick one"},
                    "options": TOPICS,
                },
                {
                    "core_id": "choose_many",
                    "type": "multiple_choice",
                    "text": {"en": "Pick many"},
                    "options": TOPICS,
                },
                {
                    "core_id": "feel_safe",
                    "type": "face_scale",
                    "text": {"en": "How safe do you feel?", "gd": "A bheil thu sàbhailte?"},
                    "easy_read": {"en": "Safe?"},
                    "picture": {"src": "safe.svg", "alt": {"en": "A house"}},
                },
                {
                    "core_id": "pictures",
                    "type": "picture_choice",
                    "text": {"en": "Pick a picture"},
                    "options": PICTURE_TOPICS,
                },
                {
                    "core_id": "pictures_many",
                    "type": "picture_choice",
                    "multiple": True,
                    "text": {"en": "Pick pictures"},
                    "options": PICTURE_TOPICS,
                },
                {"core_id": "listened_to", "type": "yes_no", "text": {"en": "Do adults listen?"}},
                {"core_id": "short", "type": "short_text", "text": {"en": "A few words"}, "max_length": 20},
                {
                    "core_id": "good_things",
                    "type": "long_text",
                    "text": {"en": "What is good?"},
                    "help": {"en": "Anything at all."},
                    "max_length": 50,
                    "follow_up": {"en": "Can you tell me a bit more?"},
                    "follow_up_min_words": 4,
                },
                {"core_id": "top_three", "type": "rank_top3", "text": {"en": "Top three"}, "options": TOPICS},
                {
                    "core_id": "priority_poverty",
                    "type": "agree_priority",
                    "priority": "poverty",
                    "text": {"en": "Fewer children grow up poor."},
                    "max_length": 40,
                },
                {"core_id": "area", "type": "area", "text": {"en": "Where do you live?"}},
                {
                    "core_id": "must",
                    "type": "single_choice",
                    "text": {"en": "Required one"},
                    "options": TOPICS,
                    "optional": False,
                },
            ],
        }
    ],
}

AREAS = [("north", "North ward"), ("south", "South ward")]


def submit(question, data, *, lang="en", area_options=AREAS, **kwargs):
    """Build the question's form, post ``data`` to it and return ``(form, valid)``."""
    cls = forms.build_form(question, lang, area_options=area_options, **kwargs)
    form = cls(MultiDict(data))
    return form, form.validate()
