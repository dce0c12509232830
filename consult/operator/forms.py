"""The operator's forms: a partnership's settings, and its first planner."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange

from ..data.partnerships import SETTING_BOUNDS
from ..i18n import LANGUAGE_NAMES
from ..planner.safeguarding import _emails_only


def lines(value: object) -> list[str]:
    """Return the non-blank lines of a text box, trimmed."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _emails(value: object) -> list[str]:
    return [line.strip() for line in str(value or "").replace(",", "\n").replace(";", "\n").splitlines()
            if line.strip()]


def _number(label, key: str, message):  # type: ignore[no-untyped-def]
    low, high = SETTING_BOUNDS[key]
    return IntegerField(label, validators=[InputRequired(message=_l("Enter a whole number")),
                                           NumberRange(min=low, max=high, message=message)],
                        render_kw={"type": "text", "inputmode": "numeric", "spellcheck": "false"})


class PartnershipForm(FlaskForm):
    """A partnership's name, bodies, areas, languages, safeguarding contacts and settings."""

    name = StringField(_l("Partnership name"), validators=[DataRequired(_l("Enter the partnership's name")),
                                                           Length(max=200)])
    local_authority = StringField(_l("Local authority"), validators=[
        DataRequired(_l("Enter the local authority")), Length(max=200)])
    health_board = StringField(_l("Health board"), validators=[DataRequired(_l("Enter the health board")),
                                                               Length(max=200)])
    areas = TextAreaField(_l("Areas respondents choose from"), validators=[
        DataRequired(_l("Enter at least one area, one on each line")), Length(max=10000)])
    languages = SelectMultipleField(_l("Languages it consults in"), choices=list(LANGUAGE_NAMES.items()),
                                    widget=widgets.ListWidget(prefix_label=False),
                                    option_widget=widgets.CheckboxInput())
    safeguarding_contacts = TextAreaField(_l("Safeguarding contacts"), validators=[Length(max=5000), _emails_only])
    safeguarding_deputies = TextAreaField(_l("Safeguarding deputies"), validators=[Length(max=5000), _emails_only])
    safeguarding_escalate_minutes = _number(_l("Tell the deputies after this many minutes"),
                                            "safeguarding_escalate_minutes",
                                            _l("Enter a number of minutes from 5 to 1440"))
    retention_days = _number(_l("Keep free-text answers for this many days after a consultation closes"),
                             "retention_days", _l("Enter a number of days from 30 to 3650"))
    min_notice_days = _number(_l("Minimum notice before a consultation opens, in days"), "min_notice_days",
                              _l("Enter a number of days from 0 to 180"))
    min_window_days = _number(_l("Minimum time a consultation stays open, in days"), "min_window_days",
                              _l("Enter a number of days from 1 to 365"))
    suppression_threshold = _number(_l("Hide published figures smaller than"), "suppression_threshold",
                                    _l("Enter a number from 1 to 100"))
    submit = SubmitField(_l("Save partnership"))

    def values(self) -> dict:
        """Return the form as save_partnership's arguments."""
        return {
            "name": (self.name.data or "").strip(), "local_authority": (self.local_authority.data or "").strip(),
            "health_board": (self.health_board.data or "").strip(), "areas": lines(self.areas.data),
            "languages": list(self.languages.data or []),
            "safeguarding_contacts": _emails(self.safeguarding_contacts.data),
            "safeguarding_deputies": _emails(self.safeguarding_deputies.data),
            **{k: getattr(self, k).data for k in SETTING_BOUNDS},
        }


class PlannerForm(FlaskForm):
    """The partnership's first planner."""

    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter a name")), Length(max=200)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter an email address")), Email(_l("Enter an email address like name@example.org")),
        Length(max=320)])
    password = PasswordField(_l("Password (at least 10 characters)"), validators=[
        DataRequired(_l("Enter a password")),
        Length(min=10, max=500, message=_l("Password must be at least 10 characters"))],
        render_kw={"autocomplete": "new-password"})
    admin = BooleanField(_l("Also make them the partnership's admin, so they can add its other staff"),
                         default=True)
    submit = SubmitField(_l("Add planner"))
