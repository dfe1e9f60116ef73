"""Settings: every difference between environments is an environment variable (or `.env`)."""

from datetime import timedelta
from pathlib import Path

import environ

from labelpizza.bootstrap import load_dotenv, resolve_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

load_dotenv()
env = environ.Env(DEBUG=(bool, False))

DEBUG = env("DEBUG")
# A development key only when DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production" if DEBUG else None)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for development).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "labelpizza.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI and Redoc served from our static files, not a CDN (API-1).
    "drf_spectacular_sidecar",
    "catalog",
    "annotation",
    "syncing",
    "annotation.team",
    # Login throttling (issue 16.4): failed logins per account and per address; catalog/login_throttle.py.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "labelpizza.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session or a parameter: a NUL character is a 400, never a 500.
    "labelpizza.hostile_input.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "labelpizza.db_errors.DatabaseUnavailableMiddleware",
    # Last, as axes asks: turns a lockout found during the request into the "paused" answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "labelpizza.urls"
WSGI_APPLICATION = "labelpizza.wsgi.application"

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
                "catalog.context_processors.navigation",
            ],
        },
    },
    {
        # The video cards, the bulk of every portal page, are Jinja2 macros for speed (labelpizza/jinja2.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "labelpizza.jinja2.environment"},
    },
]

# Kept so init_database() can tell whether a script asks for the database Django already uses.
DATABASE_URL_IN_USE = resolve_database_url()
DATABASES = {"default": env.db_url_config(DATABASE_URL_IN_USE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes concurrent writers queue on SQLite's lock instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
# Persistent connections: a new PostgreSQL connection per request costs a few ms of every page.
# Production only (DEBUG off); a `?conn_max_age=N` in the URL or CONN_MAX_AGE wins. Health checks drop a
# connection the server has closed.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `pages`: whole portal pages, served only while the database snapshot is unchanged (labelpizza/page_cache.py).
# Per process by default; PAGE_CACHE_URL (e.g. redis://127.0.0.1:6379/1) shares it between workers.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": env.cache_url("PAGE_CACHE_URL", default="locmemcache://pages"),
}
# `throttle`: the API's request counts per token (catalog/api/throttling.py); a Redis URL shares them.
CACHES["throttle"] = env.cache_url("API_THROTTLE_CACHE_URL", default="locmemcache://throttle")
CACHES["pages"].setdefault("TIMEOUT", 3600)  # only frees memory: validity is the snapshot, never the age
if CACHES["pages"]["BACKEND"].endswith("LocMemCache"):
    CACHES["pages"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 200  # about 30 MB a worker at 160 kB a page

AUTH_USER_MODEL = "catalog.User"
# People log in with email and password; the natural key (USERNAME_FIELD) is user_id.
AUTHENTICATION_BACKENDS = ["catalog.login_throttle.LoginThrottleBackend", "catalog.auth.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Only sync uses it, for plaintext passwords in users.json (SYNC-USR-3).
    "catalog.hashers.BulkPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 6}},
]
# Login throttling (django-axes, catalog/login_throttle.py): after LOGIN_FAILURE_LIMIT failed logins for one
# account, or from one client address, logging in is paused for LOGIN_LOCKOUT_MINUTES. Failures are rows
# in the database, so every worker sees them; an admin lifts a pause under "Access attempts" or with
# `manage.py axes_reset_username EMAIL`.
AXES_ENABLED = env.bool("LOGIN_THROTTLE", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = "catalog.login_throttle.lockout_parameters"
AXES_USERNAME_FORM_FIELD = "username"  # the login forms' field (it holds the email), not USERNAME_FIELD
AXES_USERNAME_CALLABLE = "catalog.login_throttle.login_name"
AXES_CLIENT_IP_CALLABLE = "catalog.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "catalog.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True  # a successful login clears that account's and address's failures
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a pause lasts its time; hammering does not extend it
AXES_DISABLE_ACCESS_LOG = True  # no write on every successful login
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Seconds a verification function may take in the web app before the submission is refused (issue 16.9).
VERIFICATION_TIME_LIMIT = env.float("VERIFICATION_TIME_LIMIT", default=5.0)
# Where the admin portal's Rename action writes its backup first (OVR-REN-1); commands take --backup-dir.
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "backups")))
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Token first: an anonymous request then gets 401 with a `WWW-Authenticate: Token` challenge (SEC-4).
    # Session requests (the browser, the docs page) need CSRF on writes; token requests do not (SEC-2).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "catalog.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Records are JSON lists (API-5); form encodings would only blur the documented shapes. The parser
    # refuses deep nesting and NUL characters with a 400.
    "DEFAULT_PARSER_CLASSES": ["catalog.api.parsers.SafeJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "catalog.api.conventions.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["catalog.api.throttling.TokenRateThrottle"],
    "EXCEPTION_HANDLER": "catalog.api.conventions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests per token and period ("600/min", "20/s"; "off" switches throttling off); over it: 429.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Label Pizza API",
    "DESCRIPTION": "Read projects, answers and ground truth; submit answers, model predictions, GT and reviews.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "/static/img/favicon.svg",  # ours, as on every page (issue 11.7)
    "REDOC_DIST": "SIDECAR",
    # System fonts: Redoc's defaults (Montserrat, Roboto) would come from Google (issue 11.10).
    "REDOC_UI_SETTINGS": {
        "theme": {
            "colors": {"primary": {"main": "#c2410c"}},
            "typography": {
                "fontFamily": 'system-ui, -apple-system, "Segoe UI", sans-serif',
                "headings": {"fontFamily": 'system-ui, -apple-system, "Segoe UI", sans-serif'},
            },
        },
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Several fields are called "status"; name each choice set once so the schema has no guessed names.
    "ENUM_NAME_OVERRIDES": {
        "ReviewVerdictEnum": "annotation.models.AnswerReview.Status",
        "ReviewStateEnum": ["approved", "rejected", "pending"],
        "RecordOutcomeEnum": ["created", "updated", "unchanged"],
    },
}

# Production hardening; each can be switched off from the environment (e.g. behind a TLS proxy).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# Content-Security-Policy (labelpizza/csp.py): scripts and styles from this server only. Videos and posters
# may come from these sources too (e.g. CSP_MEDIA_SOURCES=https://videos.example.com).
CSP_MEDIA_SOURCES = env.list("CSP_MEDIA_SOURCES", default=["https:", "http:"] if DEBUG else ["https:"])

# `check --deploy` is clean with the README's production settings (issue 16.14). HSTS preload (W021) is a
# commitment for the whole domain and its subdomains that is slow to undo, so it is the operator's
# choice (SECURE_HSTS_PRELOAD=true), not a default to nag about. Behind a proxy that redirects HTTP to
# HTTPS itself, SECURE_SSL_REDIRECT=false is correct and W008 does not apply.
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if BEHIND_PROXY and not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
