from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.urls import reverse


class PlaceQuerySet(models.QuerySet):
    def with_code(self, code: str) -> PlaceQuerySet:
        """Places known by this ONS code, now or formerly (Barnsley: E08000016 and E08000038)."""
        code = code.strip().upper()
        return self.filter(Q(code=code) | Q(former_codes__contains=[code]))

    def of_kind(self, *kinds: str) -> PlaceQuerySet:
        return self.filter(kind__in=kinds)

    def partnership(self) -> PlaceQuerySet:
        """The partnership's own areas and comparators: not the other areas of national data."""
        return self.exclude(kind=Place.Kind.NATIONAL)

    def places(self) -> PlaceQuerySet:
        return self.of_kind(Place.Kind.PLACE)

    def system(self) -> PlaceQuerySet:
        return self.of_kind(Place.Kind.SYSTEM)

    def comparators(self) -> PlaceQuerySet:
        return self.of_kind(Place.Kind.COMPARATOR)

    def for_dashboard(self, *comparator_codes: str) -> PlaceQuerySet:
        """The system, its places, and the comparators with these codes (England, the region)."""
        return self.filter(
            Q(kind__in=[Place.Kind.SYSTEM, Place.Kind.PLACE])
            | Q(kind=Place.Kind.COMPARATOR, code__in=comparator_codes)
        )

    def code_map(self) -> dict[str, Place]:
        """Every current and former code -> place, for imports that read many rows."""
        mapping: dict[str, Place] = {}
        for place in self:
            mapping[place.code.upper()] = place
            for former in place.former_codes:
                mapping[former.upper()] = place
        return mapping


class Place(models.Model):
    class Kind(models.TextChoices):
        SYSTEM = "system", "System (the whole partnership)"
        PLACE = "place", "Place"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
        COMPARATOR = "comparator", "Comparator"
        NATIONAL = "national", "Other area (national data)"

    class AreaType(models.TextChoices):
        """The kind of area as ONS publishes it: what a place is ranked among."""

        COUNTRY = "ctry", "Country"
        REGION = "rgn", "Region"
        COMBINED_AUTHORITY = "cauth", "Combined authority"
        UPPER_TIER = "utla", "County or unitary authority"
        DISTRICT = "ltla", "District"
        ITL1 = "itl1", "ITL level 1"
        ITL2 = "itl2", "ITL level 2"
        ITL3 = "itl3", "ITL level 3"
        POLICE_FORCE_AREA = "pfa", "Police force area"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    code = models.CharField(
        "ONS (GSS) code",
        max_length=16,
        unique=True,
        help_text="The area's current ONS code, e.g. E08000038.",
    )
    former_codes = ArrayField(
        models.CharField(max_length=16),
        blank=True,
        default=list,
        help_text="Codes this area was published under before a boundary change, e.g. E08000016.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PLACE)
    area_type = models.CharField(
        "kind of area",
        max_length=8,
        choices=AreaType.choices,
        blank=True,
        help_text="As ONS publishes it (a district, a combined authority...); set by the "
        "national import.",
    )
    levels = ArrayField(
        models.CharField(max_length=8),
        blank=True,
        default=list,
        help_text="Every kind of area it is (Barnsley is both a district and an upper-tier "
        "authority); set by the national import.",
    )
    is_current = models.BooleanField(
        default=True,
        help_text="False for an area abolished or merged (its code is obsolete); it keeps its "
        "published values but is not ranked.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        indexes = [
            models.Index(fields=["kind", "order"]),
            # Search by name (dashboards.selectors.search): the same expression it queries.
            GinIndex(SearchVector("name", config="simple"), name="place_name_search"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        self.code = self.code.strip().upper()
        self.former_codes = [c.strip().upper() for c in self.former_codes if c.strip()]
        if self.code in self.former_codes:
            raise ValidationError({"former_codes": "A former code cannot equal the current code."})
        clash = (
            Place.objects.exclude(pk=self.pk)
            .filter(Q(code__in=self.former_codes) | Q(former_codes__overlap=[self.code]))
            .first()
        )
        if clash:
            raise ValidationError(
                {"former_codes": f"{clash.name} already uses one of these codes."}
            )
        if self.kind == self.Kind.NEIGHBOURHOOD and self.parent is None:
            raise ValidationError({"parent": "A neighbourhood belongs to a place."})


class MembershipQuerySet(models.QuerySet):
    def officers(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.OFFICER)

    def approvers(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.APPROVER)


class Membership(models.Model):
    """What a user may do, and where: an officer of a place, or an approver (of one place, or of
    every place when the place is empty)."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Officer (enters and submits values)"
        APPROVER = "approver", "Approver (reviews and publishes values)"

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="memberships")
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="Leave empty for an approver of every place.",
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "role", "place__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "place", "role"], name="membership_unique", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(role="approver") | Q(place__isnull=False),
                name="membership_officer_has_place",
            ),
        ]

    def __str__(self) -> str:
        where = self.place.name if self.place else "every place"
        return f"{self.user} – {self.get_role_display()} – {where}"


AREA_TYPE_PLURALS = {
    Place.AreaType.COUNTRY: "countries",
    Place.AreaType.REGION: "regions",
    Place.AreaType.COMBINED_AUTHORITY: "combined authorities",
    Place.AreaType.UPPER_TIER: "counties and unitary authorities",
    Place.AreaType.DISTRICT: "districts",
    Place.AreaType.ITL1: "ITL level 1 areas",
    Place.AreaType.ITL2: "ITL level 2 areas",
    Place.AreaType.ITL3: "ITL level 3 areas",
    Place.AreaType.POLICE_FORCE_AREA: "police force areas",
    Place.AreaType.OTHER: "areas",
}
