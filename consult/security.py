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
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from limits import parse_many
from limits.storage import RedisStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.csrf.core import CSRFTokenField

from .extensions import client_key, limiter

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "geolocation=(), camera=(), microphone=(), interest-cohort=()"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Server", "Guth"),
)
_NOT_STATIC = (*SECURITY_HEADERS, ("Cache-Control", "no-store"))
_DROP_STATIC = frozenset(name.lower() for name, _value in SECURITY_HEADERS) | {"x-powered-by"}
_DROP_NOT_STATIC = _DROP_STATIC | {"cache-control"}


class SecurityHeaders:
    """WSGI middleware: the security headers on every response, whatever produced it (a view, an error page).

    They replace any the app set; pages outside /static/ are never cached (``no-store``). Added as the
    response starts, from one prepared list, instead of eight checked header writes per request.
    """

    def __init__(self, wsgi_app) -> None:  # type: ignore[no-untyped-def]
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        static = (environ.get("PATH_INFO") or "").startswith("/static/")
        drop, add = (_DROP_STATIC, SECURITY_HEADERS) if static else (_DROP_NOT_STATIC, _NOT_STATIC)

        def start(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
            kept = [h for h in headers if h[0].lower() not in drop]
            kept.extend(add)
            return start_response(status, kept, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    """Add the security headers to every response, refuse unsafe production settings, set up limits."""
    refuse_known_secret(app)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
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


# The limits library's sliding-window script (limits/resources/redis/lua_scripts/acquire_sliding_window.lua),
# line for line, run for each limit in turn in ONE script call: it stops at the first limit that refuses,
# so a refused POST counts towards no limit after it, and returns that limit's number (0: none refused).
# KEYS: previous and current window key of each limit; ARGV: limit, expiry (seconds), amount of each.
ACQUIRE_IN_ORDER = """
for i = 1, #KEYS / 2 do
    local previous_key, current_key = KEYS[2 * i - 1], KEYS[2 * i]
    local limit = tonumber(ARGV[3 * i - 2])
    local expiry = tonumber(ARGV[3 * i - 1]) * 1000
    local amount = tonumber(ARGV[3 * i])
    if amount > limit then
        return i
    end
    local current_ttl = tonumber(redis.call('pttl', current_key))
    if current_ttl > 0 and current_ttl < expiry then
        redis.call('rename', current_key, previous_key)
        redis.call('set', current_key, 0, 'PX', current_ttl + expiry)
    end
    local previous_count = tonumber(redis.call('get', previous_key)) or 0
    local previous_ttl = tonumber(redis.call('pttl', previous_key)) or 0
    local current_count = tonumber(redis.call('get', current_key)) or 0
    current_ttl = tonumber(redis.call('pttl', current_key)) or 0
    if previous_ttl <= 0 then
        previous_ttl = 0
    end
    if current_ttl <= 0 then
        current_ttl = 0
    end
    local weighted_count = math.floor(previous_count * previous_ttl / expiry) + current_count
    if (weighted_count + amount) > limit then
        return i
    end
    if redis.call('exists', current_key) == 1 then
        redis.call('incrby', current_key, amount)
    else
        redis.call('set', current_key, amount, 'PX', expiry * 2)
    end
end
return 0
"""
_ACQUIRE_SHA = hashlib.sha1(ACQUIRE_IN_ORDER.encode()).hexdigest()  # noqa: S324  (Redis names scripts by SHA-1)


def _acquire_in_order(connection, keys: list[str], args: list) -> int:  # type: ignore[no-untyped-def,type-arg]
    """Run ACQUIRE_IN_ORDER in one round trip (EVALSHA; loaded once when Redis has forgotten it); return its result."""
    from redis.exceptions import NoScriptError

    try:
        return int(connection.evalsha(_ACQUIRE_SHA, len(keys), *keys, *args))
    except NoScriptError:  # first use, or Redis restarted: nothing was counted
        connection.script_load(ACQUIRE_IN_ORDER)
        return int(connection.evalsha(_ACQUIRE_SHA, len(keys), *keys, *args))


def _first_refused(strategy, hits: list) -> int | None:  # type: ignore[no-untyped-def,type-arg]
    """Count the (limit, identifiers) hits in order, as far as the first one refused; return its index or None.

    A refused POST counts towards no limit after the one that refused it (one person pressing too
    fast must not use up the allowance of the school behind the same address). With one Redis
    server, every hit is one script call (ACQUIRE_IN_ORDER: the limits library's sliding window, per
    limit, stopping at the first refusal), on the keys the library itself reads for its window stats.
    """
    storage = strategy.storage
    if not (type(storage) is RedisStorage and isinstance(strategy, SlidingWindowCounterRateLimiter)):
        return next((i for i, (item, ids) in enumerate(hits) if not strategy.hit(item, *ids)), None)
    keys, args = [], []
    for item, ids in hits:
        key = item.key_for(*ids)
        keys += [storage.prefixed_key(storage._previous_window_key(key)),
                 storage.prefixed_key(storage._current_window_key(key))]
        args += [item.amount, item.get_expiry(), 1]
    refused = _acquire_in_order(storage.get_connection(), keys, args)
    return refused - 1 if refused else None


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


# ---- CSRF tokens signed only for a form that is shown ----------------------------------------------

class LazyCSRFTokenField(CSRFTokenField):
    """Flask-WTF's CSRF field, except that the token for the page is signed when the form is rendered.

    WTForms signs a fresh token for every form it builds, even for a POST that is checked and then
    redirected (the answer POST's quick way), where nobody sees it. The posted token is checked exactly
    as before; only the unused signing is skipped.
    """

    _token: str | None = None

    def process(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super(CSRFTokenField, self).process(*args, **kwargs)  # HiddenField's: no token yet

    @property  # type: ignore[override]
    def current_token(self) -> str | None:  # type: ignore[override]
        if self._token is None:
            self._token = self.csrf_impl.generate_csrf_token(self)
        return self._token

    @current_token.setter
    def current_token(self, value: str | None) -> None:
        self._token = value


class _LazyFlaskFormCSRF(_FlaskFormCSRF):
    field_class = LazyCSRFTokenField


class LazyCSRFForm(FlaskForm):
    """A FlaskForm (CSRF-checked as usual) whose own token is signed only if the form is shown."""

    class Meta(FlaskForm.Meta):
        csrf_class = _LazyFlaskFormCSRF


class HoneypotMixin:
    """Add to a FlaskForm: ``class MyForm(HoneypotMixin, FlaskForm)``; render ``{{ form.website }}``."""

    website = HoneypotField()

    def honeypot_filled(self) -> bool:
        """Return True if a robot filled the honeypot."""
        return bool((self.website.data or "").strip())  # type: ignore[attr-defined]
