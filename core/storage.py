"""Static files with hashed names everywhere, including inside the modules that import the
NHS.UK frontend (its init module and js/manage.js import ``nhsuk-frontend.min.js``): those
imports are rewritten to the hashed name, so every file is cached for a year (WhiteNoise) and
changes name when it changes. Only these modules' imports are rewritten: other packages' modules
(django-htmx's extensions) import names that are not files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

_MODULE_IMPORT = (
    r"""(?P<matched>import(?s:(?P<import>[\s\{].*?))\s*from\s*['"](?P<url>[./].*?)["']\s*;)""",
    """import%(import)s from "%(url)s";""",
)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = (
        *CompressedManifestStaticFilesStorage.patterns,
        ("vendor/nhsuk-frontend-*/nhsuk-frontend-init.js", (_MODULE_IMPORT,)),
        ("js/manage.js", (_MODULE_IMPORT,)),
    )
