"""Links: where Guth's own address is (for emails), and links that come back from the browser."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app

log = logging.getLogger(__name__)
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


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
    """Return target if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
