"""Settings for Amparo. Every deployment difference comes from the environment.

Variables: DATABASE_URL, SECRET_KEY or SECRET_KEY_FILE, ALLOWED_HOSTS, AMPARO_DEBUG,
AMPARO_HTTPS, AMPARO_VAR_DIR. See README.md and docs/architecture.md.
"""

import os
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amparo.environment import (
    env_bool,
    env_int,
    env_list,
    keyring_setting,
    secret_key,
    var_dir,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = var_dir()

DEBUG = env_bool("AMPARO_DEBUG", default=False)
SECRET_KEY = secret_key(VAR_DIR / "secret_key")
# Keys of the sensitive fields' encryption; the first encrypts, all decrypt. Kept apart
# from SECRET_KEY and never in the database (docs/architecture.md, "Encryption").
AMPARO_ENCRYPTION_KEYS = keyring_setting(
    "AMPARO_ENCRYPTION_KEYS", VAR_DIR / "encryption_keys"
)
# Keys that seal the audit chain (audit.keys); also outside the database.
AMPARO_AUDIT_KEYS = keyring_setting("AMPARO_AUDIT_KEYS", VAR_DIR / "audit_keys")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "amparo.core",
    "amparo.accounts",
    "amparo.audit",
    "amparo.people",
    "amparo.cases",
    "amparo.safeguards",
    "amparo.children",
    "amparo.returns",
    "amparo.protection",
    "amparo.htcds",
    "amparo.referrals",
    "amparo.services",
    "amparo.witnesses",
    "amparo.labour",
    "amparo.disclosures",
    "amparo.oversight",
    "amparo.retention",
    "amparo.web",
    "amparo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "amparo.accounts.middleware.TwoFactorMiddleware",
    "amparo.accounts.middleware.IdleTimeoutMiddleware",
    "amparo.accounts.middleware.DenialAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "amparo.urls"
WSGI_APPLICATION = "amparo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


# Writers take SQLite's lock when their transaction starts, so concurrent writes wait
# their turn instead of failing with "database is locked"; WAL lets reads go on.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'amparo.sqlite3'}"
    try:
        # Persistent connections keep SQLite's PRAGMAs from rerunning per request.
        config = dict(dj_database_url.parse(url, conn_max_age=600))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL: {error}"
        ) from None
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        config["OPTIONS"] = SQLITE_OPTIONS
    elif config.get("ENGINE") == "django.db.backends.postgresql":
        # The pages read a page of rows at a time: starting parallel workers costs
        # more than their share of such a query (about 40 ms of a 45 ms worklist on
        # two cores, docs/performance.md). `?options=` in DATABASE_URL overrides it.
        options: dict[str, object] = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
        options.setdefault("options", "-c max_parallel_workers_per_gather=0")
        config["OPTIONS"] = options
    else:
        raise ImproperlyConfigured(
            "DATABASE_URL must be a postgres:// or sqlite:// URL."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "amparo" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("AMPARO_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("bootstrap", bootstrap_wrapper.get_bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

HTTPS = env_bool("AMPARO_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("AMPARO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
# A session lasts at most AMPARO_SESSION_SECONDS after login, and ends sooner after
# AMPARO_SESSION_IDLE_SECONDS without a request (accounts.middleware).
SESSION_COOKIE_AGE = env_int("AMPARO_SESSION_SECONDS", 8 * 3600, minimum=300)
AMPARO_SESSION_IDLE_SECONDS = env_int(
    "AMPARO_SESSION_IDLE_SECONDS", 30 * 60, minimum=60
)
# Two-factor login (TOTP) for every account; switch off only for a throw-away demo.
AMPARO_REQUIRE_2FA = env_bool("AMPARO_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Amparo"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy: only our own scripts, styles and images (and data: images,
# which Bootstrap's form controls use). The API docs page relaxes styles for Swagger UI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Lockout after failed logins (django-axes), per username and address, with back-off.
AXES_FAILURE_LIMIT = env_int("AMPARO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "amparo.accounts.lockout.cool_off"
AXES_LOCKOUT_CALLABLE = "amparo.accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
# Each lock expires on its own: otherwise django-axes clears everyone's failures older
# than the current request's cool-off, and one stranger's failure could lift a lock.
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_USERNAME_CALLABLE = "amparo.accounts.lockout.username_of"
AXES_VERBOSE = False
# How many reverse proxies stand in front (for the client address); none by default.
AXES_IPWARE_PROXY_COUNT = env_int("AMPARO_PROXY_COUNT", 0) or None
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

AMPARO_PAGE_SIZE = env_int("AMPARO_PAGE_SIZE", 25, minimum=1)

# Retention periods in days per record type; `amparo retention run` anonymises what is
# past them (docs/data-protection-retention.md). No legal source fixes these figures
# (domain-standards §7, [U]): set them with the agency's legal adviser. The floor of
# 30 days keeps a typo from anonymising recent records, which cannot be undone.
AMPARO_RETENTION_DAYS = {
    "closed_case": env_int("AMPARO_RETENTION_CLOSED_CASE_DAYS", 3650, minimum=30),
    "person_without_case": env_int(
        "AMPARO_RETENTION_PERSON_WITHOUT_CASE_DAYS", 730, minimum=30
    ),
    "person_after_cases": env_int("AMPARO_RETENTION_PERSON_AFTER_CASES_DAYS", 0),
}
# The longest a data-protection officer's access to one case may last (oversight).
AMPARO_DPO_ACCESS_MAX_HOURS = env_int("AMPARO_DPO_ACCESS_MAX_HOURS", 72, minimum=1)
# How long a firewall override stays usable after it is requested, and an approved
# export stays downloadable (disclosures).
AMPARO_OVERRIDE_VALID_DAYS = env_int("AMPARO_OVERRIDE_VALID_DAYS", 14, minimum=1)
AMPARO_EXPORT_VALID_DAYS = env_int("AMPARO_EXPORT_VALID_DAYS", 7, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
