"""Settings: every difference between environments is an environment variable (or `.env`)."""

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
    "django.contrib.admin",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "labelpizza.db_errors.DatabaseUnavailableMiddleware",
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
CACHES["pages"].setdefault("TIMEOUT", 3600)  # only frees memory: validity is the snapshot, never the age
if CACHES["pages"]["BACKEND"].endswith("LocMemCache"):
    CACHES["pages"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 200  # about 30 MB a worker at 160 kB a page

AUTH_USER_MODEL = "catalog.User"
# People log in with email and password; the natural key (USERNAME_FIELD) is user_id.
AUTHENTICATION_BACKENDS = ["catalog.auth.EmailBackend"]
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
    # Records are JSON lists (API-5); form encodings would only blur the documented shapes.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "catalog.api.conventions.Pagination",
    "EXCEPTION_HANDLER": "catalog.api.conventions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
