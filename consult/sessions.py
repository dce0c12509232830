"""The session cookie, read at less cost: each distinct cookie is verified once per process, not once per request.

Flask's cookie session builds a new signing serializer and checks the cookie's HMAC signature on
every request. A respondent's cookie does not change between answers (answering writes nothing to the
session on the quick way), so a school's pupils send the same cookies again and again. This interface:

- keeps one signing serializer per set of keys (SECRET_KEY and SECRET_KEY_FALLBACKS; a changed key
  makes a new one);
- remembers, per process, the cookies whose signature it verified: the exact cookie string, when it
  was signed, and what it held. Only a byte-for-byte copy of a cookie this server signed and already
  verified is found there, so a changed or forged cookie is checked in full and refused as before.
  Its age is checked on every request against the session lifetime, as itsdangerous checks it,
  and each request gets its own copy of the contents, so a view changing its session never changes
  what the next request reads.

Nothing else changes: the cookie's format, signature, lifetime and what is stored in it are Flask's.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

# Enough for every pupil of a few schools answering at once; a cookie pushed out is only verified again.
VERIFIED_MAX = 4096


def _copied(value: Any) -> Any:
    """Return a copy of session contents that shares nothing a view could change (dicts and lists are new)."""
    kind = type(value)
    if kind is dict:
        return {k: _copied(v) for k, v in value.items()}
    if kind is list:
        return [_copied(v) for v in value]
    if kind is tuple:
        return tuple(_copied(v) for v in value)
    return value  # str, numbers, None, bytes, Markup, UUID, datetime: never changed in place


class VerifiedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its serializer built once and each cookie verified once."""

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._verified: dict[str, tuple[tuple, int, Any]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(app: Flask) -> tuple:
        return (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = self._keys(app)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            with self._lock:
                if len(self._serializers) > 8:  # keys changed at run time (tests): keep only the newest
                    self._serializers.clear()
                self._serializers[keys] = serializer  # type: ignore[assignment]
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        keys = self._keys(app)
        known = self._verified.get(value)
        if known is not None and known[0] == keys:
            age = int(time.time()) - known[1]
            if 0 <= age <= max_age:
                return self.session_class(_copied(known[2]))
            return self.session_class()  # expired, as itsdangerous would find it
        for signer in serializer.iter_unsigners(None):  # the current key, then SECRET_KEY_FALLBACKS
            try:
                payload, signed_at = signer.unsign(value, max_age=max_age, return_timestamp=True)  # type: ignore[attr-defined]
                data = serializer.load_payload(payload)
                break
            except BadSignature:
                continue
        else:
            return self.session_class()
        with self._lock:
            while len(self._verified) >= VERIFIED_MAX:
                self._verified.pop(next(iter(self._verified)))
            self._verified[value] = (keys, int(signed_at.timestamp()), data)
        return self.session_class(_copied(data))


def init_app(app: Flask) -> None:
    """Read the session cookie through VerifiedCookieSessionInterface."""
    app.session_interface = VerifiedCookieSessionInterface()
