"""Translatable messages used by more than one question type."""

from flask_babel import lazy_gettext as _l

MSG_PREFER_NOT_ALONE = _l('You chose "I\'d rather not say". Untick it, or untick the other answers.')

MSG_RANK_AFTER_PREFER_NOT = _l('You chose "I\'d rather not say" first, so leave this empty')
