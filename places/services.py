from __future__ import annotations

from django.db import transaction

from places.models import Place


@transaction.atomic
def places_load(*, records: list[dict]) -> tuple[int, int]:
    """Create or update places from reference records (keyed by slug); parents by slug.

    Returns (created, updated). Running it twice changes nothing.
    """
    created = updated = 0
    for record in records:
        data = dict(record)
        parent_slug = data.pop("parent", None)
        data["parent"] = Place.objects.get(slug=parent_slug) if parent_slug else None
        place = Place.objects.filter(slug=data["slug"]).first() or Place(slug=data["slug"])
        before = {k: getattr(place, k) for k in data} if place.pk else None
        for key, value in data.items():
            setattr(place, key, value)
        place.full_clean()
        if before is None:
            place.save()
            created += 1
        elif before != {k: getattr(place, k) for k in data}:
            place.save()
            updated += 1
    return created, updated


DEMO_PASSWORD = "demo-pass-2030"


@transaction.atomic
def demo_users_create(*, password: str = DEMO_PASSWORD) -> list[str]:
    """The demo's users: an officer for each place, an approver of every place, and an admin."""
    from django.contrib.auth.models import User

    from places.models import Membership

    made = []
    specs: list[tuple[str, dict, list[tuple[str, Place | None]]]] = [
        (
            f"officer.{place.slug}",
            {"first_name": place.name, "last_name": "officer"},
            [(Membership.Role.OFFICER, place)],
        )
        for place in Place.objects.places()
    ]
    specs.append(
        (
            "approver",
            {"first_name": "Demo", "last_name": "approver"},
            [(Membership.Role.APPROVER, None)],
        )
    )
    specs.append(
        (
            "admin",
            {"is_staff": True, "is_superuser": True, "first_name": "Demo", "last_name": "admin"},
            [],
        )
    )
    for username, fields, roles in specs:
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        for role, place in roles:
            Membership.objects.get_or_create(user=user, place=place, role=role)
        if created:
            made.append(username)
    return made
