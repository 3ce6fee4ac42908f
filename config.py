"""Configuration classes: the embedded default, tests and production. Environment parsing only."""

import os
from datetime import datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SURGERY_INSTANCE_DIR", BASE_DIR / "instance"))


def database_url(default: str) -> str:
    """Return DATABASE_URL (or the default) with PostgreSQL URLs pointed at the psycopg 3 driver."""
    url = os.environ.get("DATABASE_URL", default)
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def env_flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_instant(name: str) -> datetime | None:
    """Read an ISO 8601 instant with its offset (e.g. 2027-10-31T00:30:00+00:00), if set."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{name} needs an offset, for example {value}+00:00")
    return moment


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Where an instance without SECRET_KEY keeps the random key it made itself (development only).
    SECRET_KEY_FILE: str | None = None
    SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{INSTANCE_DIR / 'surgery.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # A request body larger than this is refused with 413: no form of ours comes close.
    MAX_CONTENT_LENGTH = 64 * 1024
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A host's sign-in lasts 12 hours at most, and ends after 30 minutes without a request.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SIGN_IN_IDLE_LIMIT = timedelta(minutes=30)
    # Derived from the bundled postcode table, shared read-only by every worker; rebuilt if missing.
    GEO_INDEX_PATH = os.environ.get(
        "GEO_INDEX_PATH", str(BASE_DIR / ".cache" / "postcodes.sqlite3")
    )
    # Every absolute link (emails, calendar files, the API) points here, never at the Host a
    # request named: the address people reach the site at.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Production answers only to PUBLIC_BASE_URL's host name (Flask's TRUSTED_HOSTS, set from it).
    TRUST_ONLY_PUBLIC_HOST = False
    # Strict-Transport-Security: browsers use HTTPS only, for this long, once they have seen it.
    HSTS_SECONDS = 0
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Social Media Surgery <hello@surgery.invalid>")
    # Shown on the contact and privacy pages: where people write to us, and where to report a
    # security problem (the contact address unless another is set).
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "hello@surgery.invalid")
    SECURITY_EMAIL = os.environ.get("SECURITY_EMAIL", "")
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "none")  # none, starttls or ssl
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    SCHEDULER_IN_PROCESS = False
    # Only production counts a job never run on its database as stale (see services/health.py).
    JOBS_MUST_RUN = False
    DEV_MAIL_PAGE = False
    # Follow-through: when the time-based messages go (UK time for the morning reminder).
    REMINDER_HOURS_BEFORE = int(os.environ.get("REMINDER_HOURS_BEFORE", "48"))
    REMINDER_MORNING_HOUR = int(os.environ.get("REMINDER_MORNING_HOUR", "8"))
    # A group that has not said it is still coming this long before gives up its table, at
    # sessions whose host turned that on.
    FREE_UNANSWERED_HOURS_BEFORE = int(os.environ.get("FREE_UNANSWERED_HOURS_BEFORE", "24"))
    STILL_LOOKING_DAYS = int(os.environ.get("STILL_LOOKING_DAYS", "14"))
    FOLLOW_UP_DAYS = int(os.environ.get("FOLLOW_UP_DAYS", "7"))
    LATER_FOLLOW_UP_DAYS = int(os.environ.get("LATER_FOLLOW_UP_DAYS", "91"))
    DIGEST_RADIUS_KM = int(os.environ.get("DIGEST_RADIUS_KM", "15"))
    # Groups and volunteers not heard from for this long are anonymised by a daily job.
    RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "24"))
    # Abuse limits (surgery/web/limits.py), in Flask-Limiter's words ("5 per minute; 30 per hour").
    # Per client address unless named otherwise; an empty string turns one limit off.
    RATELIMIT_ENABLED = env_flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "surgery")
    RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "5 per minute; 30 per hour")
    # Per account, from any address: at most minutes, so a stranger cannot keep the owner out.
    RATELIMIT_SIGN_IN_ACCOUNT = os.environ.get("RATELIMIT_SIGN_IN_ACCOUNT", "10 per 15 minutes")
    RATELIMIT_APPLY = os.environ.get("RATELIMIT_APPLY", "5 per hour")
    # Applications from everyone together: each one emails every admin.
    RATELIMIT_APPLY_EVERYONE = os.environ.get("RATELIMIT_APPLY_EVERYONE", "30 per day")
    RATELIMIT_ASK = os.environ.get("RATELIMIT_ASK", "10 per hour")
    RATELIMIT_OFFER = os.environ.get("RATELIMIT_OFFER", "10 per hour")
    RATELIMIT_LINK_REQUEST = os.environ.get("RATELIMIT_LINK_REQUEST", "10 per hour")
    # Per email address written to, whichever form and whoever sends it.
    RATELIMIT_PER_RECIPIENT = os.environ.get("RATELIMIT_PER_RECIPIENT", "3 per hour; 6 per day")
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "60 per minute")
    # Proxies in front of the app that add X-Forwarded-For (0: clients connect directly), so that
    # the limits count real client addresses, not the proxy's.
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))


class DevelopmentConfig(Config):
    """The embedded default: SQLite, scheduler in the process, mail kept in the outbox."""

    # A published default would let anyone sign a cookie for any development instance.
    SECRET_KEY_FILE = str(INSTANCE_DIR / "secret_key")
    SCHEDULER_IN_PROCESS = env_flag("SCHEDULER_IN_PROCESS", True)
    DEV_MAIL_PAGE = True


class TestingConfig(Config):
    TESTING = True
    # The instant the suite runs at, frozen: SURGERY_TEST_NOW, else the tests choose the present.
    # Only this configuration reads it; no other can stop the clock.
    CLOCK_FROZEN_AT = env_instant("SURGERY_TEST_NOW")
    SECRET_KEY = "testing-only-not-a-secret"
    # Tests of the forms are not throttled by accident; tests/web/test_limits.py turns them on.
    RATELIMIT_ENABLED = False
    SQLALCHEMY_DATABASE_URI = database_url("sqlite://")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    TRUST_ONLY_PUBLIC_HOST = True
    HSTS_SECONDS = 365 * 24 * 3600
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    # A scheduler is expected: a job never seen on this database makes /healthz fail after a while.
    JOBS_MUST_RUN = True
    # Every worker counts in one place; a Redis that stops answering falls back to counting in
    # each worker's memory rather than refusing everyone.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
