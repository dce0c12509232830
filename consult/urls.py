"""Links: where Guth's own address is (for emails), and links that come back from the browser."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.routing import BaseConverter, ValidationError

from .data.scope import MAX_ID as MAX_ID  # re-exported: the one spelling of the largest id
from .data.scope import as_id

log = logging.getLogger(__name__)
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"

# ---- ids --------------------------------------------------------------------------------------
# Ids in URLs, query strings and forms: ASCII digits only ('²' and '١' are digits to str.isdigit(),
# and int('²') raised a 500), within the database's integer range (a 5,000-digit number overflowed
# int() and SQLite's integers). Anything else is simply not found.
# The range and the digit rule are written once, in consult.data.scope (MAX_ID, as_id).


def parse_id(value: object) -> int | None:
    """Return value as a database id (ASCII digits, 1 to MAX_ID), or None."""
    return as_id(value)


def parse_ids(values: list[str]) -> list[int]:
    """Return the valid ids among values (a form's repeated field), in order, without repeats."""
    return list(dict.fromkeys(i for i in (parse_id(v) for v in values) if i is not None))


class IdConverter(BaseConverter):
    """``<int:x>`` and ``<id:x>`` in every route: ASCII digits within the database's range, else 404."""

    regex = r"[0-9]+"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


def register_id_converter(app: Flask) -> None:
    """Make the id converter the app's ``int`` (and ``id``): before any blueprint adds its routes."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter


# ---- next= ------------------------------------------------------------------------------------


def configure_base_url(app: Flask) -> None:
    """Settle GUTH_BASE_URL once at start-up: GUTH_BASE_URL, else MAIL_BASE_URL, else SERVER_NAME.

    Every link in an email is built from it, never from the request's Host header (which whoever
    sends the request chooses: a spoofed Host put a foreign domain into invitation emails).
    MAIL_BASE_URL is kept in step, for code that reads that older name.
    """
    cfg = app.config
    base = cfg.get("GUTH_BASE_URL") or cfg.get("MAIL_BASE_URL")
    if not base and cfg.get("SERVER_NAME"):
        base = f"{cfg.get('PREFERRED_URL_SCHEME') or 'http'}://{cfg['SERVER_NAME']}"
    if not base:
        if cfg.get("ENV_NAME") == "production":
            log.error("GUTH_BASE_URL is not set: links in emails will point to http://localhost")
            base = "http://localhost"
        else:
            base = DEVELOPMENT_BASE_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuntimeError(f"GUTH_BASE_URL must be an http(s) address like https://guth.example.org, not {base!r}")
    cfg["GUTH_BASE_URL"] = base.rstrip("/")
    cfg["MAIL_BASE_URL"] = cfg["GUTH_BASE_URL"]


def external_base_url() -> str:
    """Return Guth's configured external address (no trailing slash), for links that leave the site."""
    return str(current_app.config.get("GUTH_BASE_URL") or DEVELOPMENT_BASE_URL).rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """Return an absolute link to an endpoint at the configured address, whatever request is running."""
    from flask import url_for

    with current_app.test_request_context("/"):
        return external_base_url() + url_for(endpoint, **values)


def safe_next(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirects, no header injection).

    A local path: starts with one "/", not "//" or "/\\", no backslash, no control characters
    (CR/LF in a Location header was a 500), no scheme or host, at most 2,000 characters.
    """
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 or 0x80 <= ord(ch) < 0xA0 for ch in target):
        return None
    if any(ch in target for ch in "\u2028\u2029"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
