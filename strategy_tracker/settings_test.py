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

# With REDIS_URL (the suite's Redis run): keys of this run apart from any other's. The tests'
# cache.clear() empties the whole Redis database, so give the run a database number of its own
# (e.g. REDIS_URL=redis://127.0.0.1:6379/14).
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405

# A replica for tests/ops/test_replicas.py: the test database itself (a test mirror), used only
# where a test lists it in DATABASE_REPLICAS.
if "replica_test" not in DATABASES:  # noqa: F405
    DATABASES["replica_test"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
PARTNERSHIP_CACHE_SECONDS = None  # read once per run (and afresh after a save): fixed query counts
