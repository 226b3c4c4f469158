"""Settings for the test suite: the real settings with a fixed key and fast hashing."""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789"
)
# Two fixed test keys: "test2" encrypts, "test1" is an older key that still decrypts.
os.environ.setdefault(
    "AMPARO_AUDIT_KEYS", "audit1:dGVzdC1hdWRpdC1rZXktbm90LWZvci1kZXBsb3ktMzI="
)
os.environ.setdefault(
    "AMPARO_ENCRYPTION_KEYS",
    "test2:dGVzdC1rZXktdHdvLW5vdC1mb3ItZGVwbG95bWVudHM=,"
    "test1:dGVzdC1rZXktb25lLW5vdC1mb3ItZGVwbG95bWVudHM=",
)

from amparo.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files from the apps and packages directly, as in development, so the
# suite (and the browser tests' live server) needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most tests log in with force_login; the two-factor tests switch this on themselves.
AMPARO_REQUIRE_2FA = False
