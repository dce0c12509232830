"""Security on every response: headers, cookies, rate limits, the honeypot field.

For other blueprints:

- ``@submission_limit`` on an anonymous endpoint that stores something (start a response, save an
  answer, submit, an organisation's draft): limits POSTs per address (generous: a whole school
  shares one) and per browser session (tight). Past the limit: 429 and the "Too many tries" page.
- ``@login_limit`` on a sign-in endpoint: limits POSTs per address and per account.
- Every anonymous POST also counts towards RATELIMIT_ANONYMOUS_POST per address, whatever the route.
- The honeypot: add ``HoneypotMixin`` to a FlaskForm and render ``{{ form.website }}`` inside the
  <form>; or, without WTForms, put ``{{ honeypot_field() }}`` inside the <form>. In the view, when
  ``honeypot_tripped()`` is true, store nothing and show the normal confirmation.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable

from flask import Flask, abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from limits import parse_many
from limits.storage import RedisStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from markupsafe import Markup, escape
from werkzeug.wrappers import Response
from wtforms import StringField

from .extensions import client_key, limiter

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    """Add the security headers to every response, refuse unsafe production settings, set up limits."""
    refuse_known_secret(app)

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
        h.pop("X-Powered-By", None)
        if not request.path.startswith("/static/"):
            h["Cache-Control"] = "no-store"
        return response

    app.jinja_env.globals["honeypot_field"] = honeypot_field
    init_limiter(app)

    from .services import signed_links

    signed_links.init_app(app)


def refuse_known_secret(app: Flask) -> None:
    """Refuse to start with no SECRET_KEY or one ever shipped (anyone could forge a session), except in tests."""
    from .config import KNOWN_DEFAULT_SECRETS

    if app.config.get("ENV_NAME") == "testing":
        return
    key = app.config.get("SECRET_KEY")
    if not key or str(key).strip() in KNOWN_DEFAULT_SECRETS:
        raise RuntimeError(
            "SECRET_KEY is missing or a published default: set SECRET_KEY in the environment to a long random "
            "string (development and the demo make their own in instance/secret_key when SECRET_KEY is unset)")


# ---- values kept in the session cookie, unreadable ----------------------------------------------
# Flask's session cookie is signed, not encrypted: anyone holding it (a shared tablet, a proxy log)
# could read a receipt code in it (issue 15, finding 8). seal() encrypts a short value with a
# keystream from HMAC-SHA256 (a PRF, in counter mode, with a random nonce) under a key derived from
# SECRET_KEY; the cookie's own signature keeps it from being changed.
_SEAL_PREFIX = "s1."


def _keystream(nonce: bytes, length: int) -> bytes:
    import hmac

    key = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"guth-session-seal", hashlib.sha256).digest()
    out = b""
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def seal(value: str) -> str:
    """Return value encrypted for the session cookie (readable again only with this server's key)."""
    import base64
    import os

    data = value.encode()
    nonce = os.urandom(16)
    cipher = bytes(a ^ b for a, b in zip(data, _keystream(nonce, len(data)), strict=True))
    return _SEAL_PREFIX + base64.urlsafe_b64encode(nonce + cipher).decode()


def unseal(value: object) -> str | None:
    """Return what seal() sealed (a value from before sealing is returned as it is); None if unreadable."""
    import base64
    import binascii

    if not isinstance(value, str):
        return None
    if not value.startswith(_SEAL_PREFIX):
        return value
    try:
        raw = base64.urlsafe_b64decode(value[len(_SEAL_PREFIX):].encode())
    except (binascii.Error, ValueError):
        return None
    nonce, cipher = raw[:16], raw[16:]
    if len(nonce) < 16:
        return None
    try:
        return bytes(a ^ b for a, b in zip(cipher, _keystream(nonce, len(cipher)), strict=True)).decode()
    except UnicodeDecodeError:
        return None


# ---- rate limits --------------------------------------------------------------------------------

def init_limiter(app: Flask) -> None:
    """Bind the limiter (settings from RATELIMIT_*), behind TRUSTED_PROXIES proxies if any."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    limiter.init_app(app)


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _hashed(value: str) -> str:
    return hashlib.sha256(f"{current_app.config['SECRET_KEY']}|{value}".encode()).hexdigest()[:24]


def session_key() -> str:
    """Return the rate-limit key for this browser session (its CSRF secret), else for the address."""
    secret = session.get("csrf_token")
    return "s:" + _hashed(str(secret)) if secret else "a:" + client_key()


def account_key() -> str:
    """Return the rate-limit key for the account a sign-in names (hashed; never the email itself)."""
    email = (request.form.get("email") or "").strip().lower()[:320]
    return "u:" + _hashed(email)


@functools.lru_cache(maxsize=32)
def _parsed(limits: str) -> tuple:
    return tuple(parse_many(limits))


def check_submission_limits() -> None:
    """Count this POST against the submission limits (per session, per address); 429 past either.

    Straight through Flask-Limiter's strategy and storage (Redis when configured) rather than its
    per-route decorators: resolving decorated limits cost a sixth of an answer POST's CPU, and the
    answer POST is the one a whole school sends at once. A store that fails is logged and let be
    (RATELIMIT_SWALLOW_ERRORS): people can still answer while Redis restarts.
    """
    if not limiter.enabled:
        return
    config = current_app.config
    strategy = limiter.limiter
    prefix = config.get("RATELIMIT_KEY_PREFIX") or "guth"
    checks = [(item, "submit-session", session_key()) for item in _parsed(config["RATELIMIT_SUBMIT_SESSION"])]
    checks += [(item, "submit-address", client_key()) for item in _parsed(config["RATELIMIT_SUBMIT_ADDRESS"])]
    endpoint = request.endpoint or "-"  # each endpoint counts on its own, as Flask-Limiter's decorators did
    hits = [(item, (prefix, key, endpoint, scope)) for item, scope, key in checks]
    try:
        first = _first_refused(strategy, hits)
        blocked = None if first is None else hits[first]
        reset_at = None if blocked is None else strategy.get_window_stats(blocked[0], *blocked[1]).reset_time
    except Exception:  # noqa: BLE001  (the store is down: the limits cannot be counted)
        if not config.get("RATELIMIT_SWALLOW_ERRORS"):
            raise
        log.warning("rate limit store unreachable; submission let through")
        return
    if blocked is not None:
        g.guth_retry_at = reset_at
        abort(429)


def _run_script(connection, script, calls: list[tuple]) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Run a registered two-key script once per call in one pipelined round trip (EVALSHA); return the results.

    A pipeline that runs a Script object first asks the server whether the script exists (SCRIPT EXISTS,
    a round trip of its own on every POST); EVALSHA does not ask. After a Redis restart has forgotten the
    script, no call ran (each failed alike): it is loaded once and the calls are sent again.
    """
    from redis.exceptions import NoScriptError

    for attempt in (1, 2):
        pipe = connection.pipeline(transaction=False)
        for keys_and_args in calls:
            pipe.evalsha(script.sha, 2, *keys_and_args)
        try:
            return pipe.execute()
        except NoScriptError:
            if attempt == 2:
                raise
            script.sha = connection.script_load(script.script)
    return []


def _first_refused(strategy, hits: list) -> int | None:  # type: ignore[no-untyped-def,type-arg]
    """Count the (limit, identifiers) hits in order, as far as the first one refused; return its index or None.

    A refused POST counts towards no limit after the one that refused it (one person pressing too
    fast must not use up the allowance of the school behind the same address). With one Redis
    server, every hit goes in one round trip: the limits library's own sliding-window script, once
    per limit, in a pipeline; the rare hits counted after a refusal are then taken back.
    """
    storage = strategy.storage
    if not (type(storage) is RedisStorage and isinstance(strategy, SlidingWindowCounterRateLimiter)):
        return next((i for i, (item, ids) in enumerate(hits) if not strategy.hit(item, *ids)), None)
    script = storage.lua_acquire_sliding_window
    current_keys, calls = [], []
    for item, ids in hits:
        key = item.key_for(*ids)
        current_keys.append(storage.prefixed_key(storage._current_window_key(key)))
        calls.append((storage.prefixed_key(storage._previous_window_key(key)), current_keys[-1],
                      item.amount, item.get_expiry(), 1))
    acquired = [bool(result) for result in _run_script(storage.get_connection(), script, calls)]
    first = next((i for i, ok in enumerate(acquired) if not ok), None)
    if first is not None:
        for key, ok in list(zip(current_keys, acquired, strict=True))[first + 1:]:
            if ok:
                storage.get_connection().decrby(key, 1)
    return first


def submission_limit(view: Callable) -> Callable:
    """Limit POSTs to an anonymous endpoint that stores something, per address and per session (each endpoint apart)."""

    @functools.wraps(view)
    def limited(*args, **kwargs):  # type: ignore[no-untyped-def]
        if request.method == "POST":
            check_submission_limits()
        return view(*args, **kwargs)

    limited.guth_submission_limit = True  # type: ignore[attr-defined]  (Flask-Limiter leaves it be)
    return limited


def login_limit(view: Callable) -> Callable:
    """Limit sign-in attempts per address and per account."""
    view = limiter.limit(_setting("RATELIMIT_LOGIN_ACCOUNT"), key_func=account_key, methods=["POST"],
                         scope="login-account")(view)
    return limiter.limit(_setting("RATELIMIT_LOGIN_ADDRESS"), methods=["POST"], scope="login-address")(view)


# ---- the honeypot -------------------------------------------------------------------------------

HONEYPOT_NAME = "website"
HONEYPOT_LABEL = _l("Leave this empty")


def _honeypot_markup(value: str = "", name: str = HONEYPOT_NAME) -> Markup:
    return Markup(
        '<div class="visually-hidden">'
        '<label for="{name}">{label}</label>'
        '<input type="text" id="{name}" name="{name}" value="{value}" tabindex="-1" autocomplete="off">'
        "</div>"
    ).format(name=name, label=str(HONEYPOT_LABEL), value=escape(value))


def honeypot_field() -> Markup:
    """Return the honeypot input for a template without WTForms: ``{{ honeypot_field() }}``."""
    return _honeypot_markup()


def honeypot_tripped(form_data=None) -> bool:  # type: ignore[no-untyped-def]
    """Return True if the honeypot field came back filled in (a robot): store nothing, say nothing."""
    data = request.form if form_data is None else form_data
    tripped = bool((data.get(HONEYPOT_NAME) or "").strip())
    if tripped:
        log.info("honeypot tripped", extra={"endpoint": request.endpoint})
    return tripped


class _HoneypotWidget:
    def __call__(self, field, **kwargs):  # type: ignore[no-untyped-def]
        return _honeypot_markup(field.data or "", field.name)


class HoneypotField(StringField):
    """A text field people never see or reach with the keyboard; screen readers hear "Leave this empty"."""

    widget = _HoneypotWidget()

    def __init__(self, label=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(label or HONEYPOT_LABEL, **kwargs)


class HoneypotMixin:
    """Add to a FlaskForm: ``class MyForm(HoneypotMixin, FlaskForm)``; render ``{{ form.website }}``."""

    website = HoneypotField()

    def honeypot_filled(self) -> bool:
        """Return True if a robot filled the honeypot."""
        return bool((self.website.data or "").strip())  # type: ignore[attr-defined]
