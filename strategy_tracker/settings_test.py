"""Settings for the test suite: the real settings, with a throwaway secret key and fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")

from strategy_tracker.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Production and security (issue 7): tests serve static files without collectstatic, and never
# cache public pages (a test that changes a value must see it); tests/ops turns each on to test it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PUBLIC_CACHE_SECONDS = 0
SECURE_SSL_REDIRECT = False  # the test client and live server speak plain HTTP
WHITENOISE_USE_FINDERS = True  # static files straight from static/, as in development
WHITENOISE_AUTOREFRESH = True
PARTNERSHIP_CACHE_SECONDS = None  # read once per run (and afresh after a save): fixed query counts
