"""English pages write dates as people in Scotland do; other languages keep their own forms."""

from __future__ import annotations

from datetime import UTC, date, datetime


def test_english_dates_are_day_month_year_and_other_languages_keep_theirs(app) -> None:  # type: ignore[no-untyped-def]
    from flask_babel import force_locale

    from consult.i18n import format_date

    with app.test_request_context("/"):
        with force_locale("en"):
            assert format_date(date(2026, 10, 15)) == "15 Oct 2026"
            assert format_date(date(2026, 10, 15), "long") == "15 October 2026"
            assert format_date(datetime(2026, 10, 15, 12, 0, tzinfo=UTC)) == "15 Oct 2026"
            assert format_date(datetime(2026, 10, 15, 12, 0)) == "15 Oct 2026"
        with force_locale("pl"):
            assert "paź" in format_date(date(2026, 10, 15))
