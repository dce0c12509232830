"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    """Add the security headers to every response."""

    @app.after_request
    def headers(response: Response) -> Response:
        h = response.headers
        h["Content-Security-Policy"] = CSP
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["X-Frame-Options"] = "DENY"
        h["Permissions-Policy"] = "geolocation=(), camera=(), microphone=(), interest-cohort=()"
        h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        h["Server"] = "Guth"
        if not request.path.startswith("/static/"):
            h["Cache-Control"] = "no-store"
        return response
