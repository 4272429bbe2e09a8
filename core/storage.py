"""Static files with hashed names everywhere, including the NHS.UK frontend's init module, which
imports ``./nhsuk-frontend.min.js``: that import is rewritten to the hashed name, so both files are
cached for a year (WhiteNoise) and change name when they change. Only that module's imports are
rewritten: other packages' modules (django-htmx's extensions) import names that are not files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

_MODULE_IMPORT = (
    r"""(?P<matched>import(?s:(?P<import>[\s\{].*?))\s*from\s*['"](?P<url>[./].*?)["']\s*;)""",
    """import%(import)s from "%(url)s";""",
)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = (
        *CompressedManifestStaticFilesStorage.patterns,
        ("vendor/nhsuk-frontend-*/nhsuk-frontend-init.js", (_MODULE_IMPORT,)),
    )
