"""Settings: every knob comes from an environment variable (all listed in the README)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from canvas_site.email_url import EmailUrlError, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a strict boolean: only `true` or `false` (any case) are accepted."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in {"true", "false"}:
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {raw!r}")
    return raw.lower() == "true"


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} cannot be negative")
    return value


DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "insecure-local-development-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _INSECURE_KEY)
if not DEBUG and SECRET_KEY == _INSECURE_KEY and env_bool("REQUIRE_SECRET_KEY", False):
    raise ImproperlyConfigured("SECRET_KEY must be set in production (REQUIRE_SECRET_KEY=true).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "servestatic",  # before staticfiles: runserver leaves static files to ServeStatic too
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "canvases",
    "segments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Async only (it answers with an asynchronous file iterator): right after the async-capable
    # SecurityMiddleware, so that a request crosses into the synchronous ones below only once.
    "servestatic.middleware.ServeStaticMiddleware",
    "canvas_site.nul_bytes.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "canvas_site.htmx.HtmxLoginRedirectMiddleware",
    "canvas_site.live.TabMiddleware",
    "canvases.workshops.guests.GuestMiddleware",
    "canvases.sharing.links.ShareMiddleware",
    "canvases.access.CanvasLockedMiddleware",
]

ROOT_URLCONF = "canvas_site.urls"
ASGI_APPLICATION = "canvas_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "canvases.teams.context_processors.current_team",
                "canvases.inbox.context_processors.unread_mentions",
            ],
            # Partials and the htmx script tag are builtins, so no template loads them.
            "builtins": [
                "template_partials.templatetags.partials",
                "django_htmx.templatetags.django_htmx",
                "canvases.templatetags.canvas_tags",
            ],
        },
    }
]

# SQLite under var/ is the zero-set-up default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'canvas.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A bounded pool per process: when every connection is busy a request waits a moment,
    # then answers 503 (canvas_site.errors) instead of opening connection after connection
    # until PostgreSQL refuses them all. Size it below max_connections / processes, leaving
    # room for each process's event listener. DATABASE_POOL_SIZE=0 turns pooling off.
    DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 20)
    if DATABASE_POOL_SIZE > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # pooled connections are reused instead
        # A pooled connection broken by a database restart is noticed before a request uses it.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, DATABASE_POOL_SIZE),
            "max_size": DATABASE_POOL_SIZE,
            "timeout": env_seconds("DATABASE_POOL_TIMEOUT_SECONDS", 3.0),
        }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that browser tests can serve it from a separate uvicorn process.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
    # WAL and a busy timeout let uvicorn's threads read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed log-ins are limited per (username, address) pair, so that knowing someone's name is
# not enough to lock them out, and per address (canvases.throttles: exact across processes).
LOGIN_THROTTLE = env_bool("LOGIN_THROTTLE", True)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_MINUTES", 15) * 60
# Only trust X-Forwarded-For when a proxy in front is configured to set it.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# Mail (canvas_site/email_url.py): printed where the server runs unless EMAIL_URL says how to
# send it, e.g. smtp://user:pass@mail.example.org:587?tls=true in production.
try:
    globals().update(parse_email_url(os.environ.get("EMAIL_URL") or "console://"))
except EmailUrlError as error:
    raise ImproperlyConfigured(str(error)) from None
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "Canvas <canvas@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Address verification links and password reset links stay valid this long.
EMAIL_VERIFICATION_SECONDS = env_int("EMAIL_VERIFICATION_DAYS", 3) * 24 * 3600
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600
# Emails one member may have sent to them per hour (address verification) and a password
# reset asked per address per hour: enough for a typo, not enough to flood an inbox.
VERIFICATION_EMAILS_PER_HOUR = env_int("VERIFICATION_EMAILS_PER_HOUR", 5)
PASSWORD_RESETS_PER_HOUR = env_int("PASSWORD_RESETS_PER_HOUR", 5)

# Redis (optional): a cache shared by every process and the attempt counters of the throttles.
# Without it, counters live in the database and the cache is per process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
_STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic` first: switch on in deployment.
        "BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"
        if _STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (development and tests) ServeStatic serves straight from the finders;
# with it, from STATIC_ROOT's manifest (hashed names cached for a year, gzip and Brotli).
SERVESTATIC_USE_FINDERS = not _STATIC_MANIFEST
SERVESTATIC_AUTOREFRESH = DEBUG

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only: redirect plain HTTP, and tell browsers never to use it again (HSTS). Set them
# once the site works over HTTPS: a browser that saw the header refuses HTTP for that long.
SECURE_SSL_REDIRECT = env_bool("HTTPS_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}

# Live updates: PostgreSQL LISTEN/NOTIFY across processes, Redis pub/sub for more processes
# than one database listener serves well, or in-process for SQLite.
LIVE_BUS = os.environ.get("LIVE_BUS") or (
    "postgres" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "memory"
)
if LIVE_BUS not in {"postgres", "redis", "memory"}:
    raise ImproperlyConfigured(
        f"LIVE_BUS must be 'postgres', 'redis' or 'memory', not {LIVE_BUS!r}"
    )
if LIVE_BUS == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("LIVE_BUS=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379/0")
# How many event streams one process opens at the same moment (each needs a database
# connection briefly): keeps a workshop that connects all at once within max_connections.
LIVE_STREAM_OPENINGS = env_int("LIVE_STREAM_OPENINGS", 8)
# Open pages (event streams) one person may have on one canvas; opening another closes the
# oldest, so that nobody can hold hundreds of streams or bloat everyone's presence bar.
LIVE_STREAMS_PER_VIEWER = max(1, env_int("LIVE_STREAMS_PER_VIEWER", 10))
# Note lists a change touched go down the stream with its event, rendered once per process
# and kind of viewer (canvases.live.push); off, every page fetches them (bench/room.py compares).
LIVE_PUSH = env_bool("LIVE_PUSH", True)
# How long an open page counts as present without a sign of life.
PRESENCE_TIMEOUT = timedelta(seconds=env_int("PRESENCE_TIMEOUT_SECONDS", 60))

# A PDF that takes longer than this to render is stopped with a clear message.
PDF_RENDER_TIMEOUT = env_seconds("PDF_RENDER_TIMEOUT_SECONDS", 30)
# PDFs one process renders at once, how many more may wait for a turn, and how long: past
# that, the export answers 503 with Retry-After (a render takes a core for ~1 s).
PDF_RENDER_CONCURRENCY = max(1, env_int("PDF_RENDER_CONCURRENCY", 2))
PDF_RENDER_QUEUE = max(0, env_int("PDF_RENDER_QUEUE", 4))
PDF_QUEUE_WAIT = env_seconds("PDF_QUEUE_WAIT_SECONDS", 20)

# Invitation links stay valid this long unless revoked.
INVITATION_LIFETIME = timedelta(days=env_int("INVITATION_LIFETIME_DAYS", 7))
# Deleted canvases and notes stay restorable this long before `manage.py purge_trash` removes them.
TRASH_RETENTION = timedelta(days=env_int("TRASH_RETENTION_DAYS", 30))
# Where the app is reached from outside: links in emails (a mention) start with it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level on every line, as uvicorn's own lines have it: a warning reads as one.
    "formatters": {"console": {"format": "%(levelname)s: %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "console"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every PDF at INFO, and fontTools (when it subsets a font)
    # every table: only their warnings and errors are news.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
