"""Configuration classes, chosen by the GUTH_ENV environment variable."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def normalise_database_url(url: str) -> str:
    """Return a SQLAlchemy URL that uses psycopg 3 for PostgreSQL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


# Keys that were ever written in this repository or its documents: anyone can sign a cookie with them,
# so the app refuses them in every mode but testing.
KNOWN_DEFAULT_SECRETS = frozenset({
    "dev-only-not-secret", "testing-secret", "test", "secret", "changeme", "change-me", "dev", "development",
})
SECRET_KEY_FILE = "secret_key"


def instance_secret_key(instance_path: str | os.PathLike) -> str:
    """Return this instance's own random SECRET_KEY, made on first use in instance_path/secret_key (mode 0600).

    Two processes starting at once (web and worker) agree: the file is created exclusively and the
    loser reads the winner's key. The key is never printed or logged.
    """
    import secrets

    path = Path(instance_path) / SECRET_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the other process may not have written it yet
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            import time

            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty: delete it and start again") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    # No default: development and the demo make a random key once per instance (instance/secret_key,
    # see instance_secret_key); production must set SECRET_KEY. Keys ever shipped are refused.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'guth.db'}")
    )
    # No pool_pre_ping: consult.extensions.init_ping_when_idle pings only connections that sat idle.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    WTF_CSRF_TIME_LIMIT = 6 * 3600
    BABEL_DEFAULT_LOCALE = "en"
    # Times on pages are Scotland's (BST in summer), as consultation days are (consult.clock.LOCAL_ZONE): Flask-Babel
    # would otherwise show UTC, an hour early on a safeguarding flag all summer.
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    LANGUAGES = ["en", "gd", "ar", "pl", "uk"]
    RTL_LANGUAGES = ["ar"]
    # Background jobs: "thread" runs in this process in the background, "sync" runs at once
    # (tests), "celery" hands the job to workers through CELERY_BROKER_URL.
    JOBS_MODE = "celery" if os.environ.get("CELERY_BROKER_URL") else os.environ.get("JOBS_MODE", "thread")
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    DEMO = os.environ.get("GUTH_DEMO") == "1"
    SUPPRESSION_THRESHOLD = 5
    STAFF_IDLE_MINUTES = 30
    STAFF_ABSOLUTE_HOURS = 12
    # Rate limits (Flask-Limiter). Storage is Redis when RATELIMIT_STORAGE_URI or REDIS_URL is set, so
    # every gunicorn worker shares one count; memory otherwise (one count per process).
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"
    # The sliding-window counter is one small Redis script per limit, whatever the limit's size (a
    # moving window keeps a list entry per hit: 3,000 entries for a school's address), and the
    # X-RateLimit-* headers would cost another round trip per request: the 429 page sets Retry-After.
    RATELIMIT_STRATEGY = "sliding-window-counter"
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_SWALLOW_ERRORS = True  # Redis down: let people answer rather than fail them
    RATELIMIT_KEY_PREFIX = "guth"
    # A whole school shares one address, so per-address limits on answering are generous; the limits
    # per browser session are the tight ones. Values use Flask-Limiter's "N per minute;M per hour".
    RATELIMIT_ANONYMOUS_POST = os.environ.get("RATELIMIT_ANONYMOUS_POST", "3000 per minute")
    RATELIMIT_SUBMIT_ADDRESS = os.environ.get("RATELIMIT_SUBMIT_ADDRESS", "1200 per minute")
    RATELIMIT_SUBMIT_SESSION = os.environ.get("RATELIMIT_SUBMIT_SESSION", "60 per minute")
    RATELIMIT_LOGIN_ADDRESS = os.environ.get("RATELIMIT_LOGIN_ADDRESS", "20 per minute;200 per hour")
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "5 per minute;30 per hour")
    # How many reverse proxies in front of Guth set X-Forwarded-For / -Proto (0: none, trust nothing).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Logging: JSON lines on stderr (LOG_FORMAT=text for a person reading a terminal).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LOG_REQUESTS = os.environ.get("LOG_REQUESTS", "1") != "0"
    # Signed export links live this long (seconds).
    EXPORT_LINK_MAX_AGE = int(os.environ.get("EXPORT_LINK_MAX_AGE", "300"))
    # Retention: the job runs daily under Celery beat at this hour (UTC).
    RETENTION_HOUR_UTC = int(os.environ.get("RETENTION_HOUR_UTC", "2"))
    # Email (invitations, reminders, copies of organisation responses). With no MAIL_SERVER nothing
    # leaves the server: messages are only recorded in the outbox table (the demo shows them).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "guth@localhost")
    MAIL_USE_STARTTLS = os.environ.get("MAIL_USE_STARTTLS") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_TIMEOUT = 10
    # Guth's external address: every link in an email points there, never to the request's Host header.
    # GUTH_BASE_URL, else MAIL_BASE_URL (its older name), else SERVER_NAME (consult.urls.configure_base_url).
    GUTH_BASE_URL = os.environ.get("GUTH_BASE_URL") or None
    MAIL_BASE_URL = os.environ.get("MAIL_BASE_URL") or None
    # Organisations' evidence files: stored outside the web root, at most this size.
    UPLOAD_FOLDER = str(INSTANCE / "uploads")
    UPLOAD_MAX_BYTES = 2 * 1024 * 1024


class DevelopmentConfig(Config):
    """Local development and the demo: SQLite, jobs in a background thread."""

    ENV_NAME = "development"


class TestingConfig(Config):
    """Tests: a throwaway database, jobs run at once."""

    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    JOBS_MODE = "sync"
    WTF_CSRF_ENABLED = True
    SECRET_KEY = "testing-secret"
    RATELIMIT_ENABLED = False  # a test that checks the limits turns them on
    RATELIMIT_STORAGE_URI = "memory://"
    LOG_REQUESTS = True
    MAIL_SERVER = None


class ProductionConfig(Config):
    """Production: secrets and database must come from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, for this host only, path /.
    SESSION_COOKIE_NAME = "__Host-guth"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(env_name: str | None) -> type[Config]:
    """Return the config class for an environment name (default development)."""
    name = (env_name or "development").lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise ValueError(f"Unknown GUTH_ENV {env_name!r}; choose one of {sorted(CONFIGS)}") from None
