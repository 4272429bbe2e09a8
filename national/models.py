"""National context: published datasets for every area (ONS "Explore local statistics"), each
value's rank and quintile among England's areas of its kind, and England's spread.

Ranks, quintiles and spreads are computed set-based when a dataset is imported
(`national.loading`) and stored; pages read them. Ranks are stored both ways (`rank_low`: 1 is the
lowest value; `rank_high`: 1 is the highest) because which direction is better is the
partnership's to say (a measure's polarity), not the publisher's.
"""

from __future__ import annotations

from django.db import models


class Dataset(models.Model):
    """One published file: its source, release date and caveats."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    source_org = models.CharField("source organisation", max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    release_date = models.DateField(
        null=True, blank=True, help_text="When the source published this release."
    )
    caveats = models.TextField(blank=True)
    decimal_places = models.PositiveSmallIntegerField(null=True, blank=True)
    prefix = models.CharField(max_length=20, blank=True)
    suffix = models.CharField(max_length=40, blank=True)
    standardised = models.BooleanField(null=True)
    experimental = models.BooleanField("official statistics in development", null=True)
    metadata = models.JSONField(default=dict, blank=True, help_text="The publisher's metadata.")
    file_name = models.CharField(max_length=200, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class IndicatorQuerySet(models.QuerySet):
    def name_map(self) -> dict[str, Indicator]:
        return {i.name.lower(): i for i in self}


class Indicator(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200, help_text="As the publisher names it.")
    label = models.CharField(max_length=200, blank=True)
    subtitle = models.CharField(max_length=500, blank=True)
    long_description = models.TextField(blank=True)
    caveats = models.TextField(blank=True)
    measure = models.CharField(max_length=100, blank=True, help_text="e.g. Percentage, Years.")
    unit = models.CharField(max_length=60, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["dataset__title", "name"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="indicator_unique_name")
        ]

    def __str__(self) -> str:
        return self.label or self.name


class ObservationQuerySet(models.QuerySet):
    def in_england(self) -> ObservationQuerySet:
        return self.filter(area__code__startswith="E")

    def ranked(self) -> ObservationQuerySet:
        return self.filter(rank_of__isnull=False)


class Observation(models.Model):
    """One published value of an indicator for an area and period, with its stored rank and
    quintile among England's current areas of the same kind (empty when not ranked: no value,
    an area outside England, or an obsolete code)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="observations")
    geography = models.CharField(max_length=8, help_text="The kind of area it is published as.")
    period = models.CharField(max_length=40, help_text="As published (ISO 8601 interval).")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    lower_ci = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    upper_ci = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    rank_low = models.PositiveIntegerField(null=True, blank=True, help_text="1 = lowest value.")
    rank_high = models.PositiveIntegerField(null=True, blank=True, help_text="1 = highest value.")
    rank_of = models.PositiveIntegerField(null=True, blank=True)
    quintile = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 = the fifth with the lowest values."
    )
    quintile_high = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 = the fifth with the highest values."
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period_start", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period_start", "period_end"],
                name="observation_unique_slot",
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "geography", "period_start"]),
            models.Index(fields=["area", "indicator"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.area_id} · {self.period}"


class Spread(models.Model):
    """England's spread for one indicator, period and kind of area (current areas with a value):
    lowest, quartiles (PostgreSQL percentile_cont, linear interpolation), median, highest."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="spreads")
    geography = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    count = models.PositiveIntegerField()
    minimum = models.DecimalField(max_digits=24, decimal_places=6)
    q1 = models.DecimalField(max_digits=24, decimal_places=6)
    median = models.DecimalField(max_digits=24, decimal_places=6)
    q3 = models.DecimalField(max_digits=24, decimal_places=6)
    maximum = models.DecimalField(max_digits=24, decimal_places=6)

    class Meta:
        ordering = ["indicator", "geography", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geography", "period_start", "period_end"],
                name="spread_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.geography} · {self.period_start}"


class SimilarArea(models.Model):
    """ONS's most similar areas for a local authority, three ways."""

    class Way(models.TextChoices):
        GLOBAL = "global", "Overall"
        ECONOMIC = "economic", "Economically"
        DEMOGRAPHIC = "demographic", "Demographically"

    area = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="similar")
    similar = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    way = models.CharField(max_length=16, choices=Way.choices)
    position = models.PositiveSmallIntegerField(help_text="1 = the most similar.")

    class Meta:
        ordering = ["area", "way", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "way", "position"], name="similar_area_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} ~ {self.similar_id} ({self.way} {self.position})"
