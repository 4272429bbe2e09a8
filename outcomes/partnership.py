"""The partnership's name and words for every page, read once and kept in the process.

Every page shows the partnership's name, so it is not read from the database on each request: the
first page reads it and keeps it for PARTNERSHIP_CACHE_SECONDS (an edit in the admin shows at once
in the process that saved it, and within those seconds in the others)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError


@dataclass(frozen=True)
class SiteIdentity:
    name: str
    short_name: str
    description: str
    logo_text: str
    from_data: bool  # False: no partnership in the database, the settings' names


_memo: dict[str, tuple[float, SiteIdentity]] = {}


def _from_settings() -> SiteIdentity:
    return SiteIdentity(settings.SITE_NAME, "", "", settings.SITE_SHORT_NAME, False)


def site_identity() -> SiteIdentity:
    """The partnership's names, or the SITE_NAME and SITE_SHORT_NAME settings without one."""
    found = _memo.get("site")
    ttl = settings.PARTNERSHIP_CACHE_SECONDS
    if found is not None and (ttl is None or time.monotonic() - found[0] < ttl):
        return found[1]
    from outcomes.models import Partnership

    try:
        partnership = Partnership.objects.order_by("pk").first()
    except DatabaseError:
        return _from_settings()  # the 503 page must not need the database
    if partnership is None:
        identity = _from_settings()
    else:
        identity = SiteIdentity(
            name=partnership.name,
            short_name=partnership.short_name or partnership.name,
            description=partnership.description,
            logo_text=partnership.logo_text or settings.SITE_SHORT_NAME,
            from_data=True,
        )
    _memo["site"] = (time.monotonic(), identity)
    return identity


def forget_site_identity() -> None:
    """After the partnership is saved: the next page reads it afresh."""
    _memo.clear()


def site(request) -> dict:
    """Context processor: the partnership's names for every template (after core's)."""
    identity = site_identity()
    return {
        "SITE_NAME": identity.name,
        "SITE_SHORT_NAME": identity.logo_text,
        "PARTNERSHIP": identity,
    }
