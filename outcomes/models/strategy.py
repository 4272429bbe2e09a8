"""The strategy: themes, outcomes, reporting periods, measures, targets and breakdowns."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from methods.periods import PERIOD_TYPE_CHOICES, period_label


class Theme(models.Model):
    """An optional grouping of outcomes, e.g. "starting well", "ageing well"."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    ambition = models.TextField(help_text="The strategy's own words for this outcome.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:outcome", kwargs={"slug": self.slug})


class Period(models.Model):
    """An exact span of time (both ends inclusive); its label is derived, never typed."""

    start = models.DateField()
    end = models.DateField()
    type = models.CharField(max_length=16, choices=PERIOD_TYPE_CHOICES)

    class Meta:
        ordering = ["start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["start", "end"], name="period_unique_span"),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return period_label(self.start, self.end, self.type)

    @property
    def iso(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


class MeasureQuerySet(models.QuerySet):
    def name_map(self) -> dict[str, Measure]:
        """Every title, slug and alias (lower case) -> measure, for imports that read many rows."""
        mapping: dict[str, Measure] = {}
        for measure in self:
            for name in [measure.title, measure.slug, *measure.aliases]:
                mapping[name.strip().lower()] = measure
        return mapping

    def find(self, name: str) -> Measure | None:
        return self.name_map().get(name.strip().lower()) or self.name_map().get(slugify(name))

    def for_outcome(self, outcome: Outcome) -> MeasureQuerySet:
        return self.filter(outcome=outcome)

    def for_dashboard(self) -> MeasureQuerySet:
        """With what every public page shows beside a measure: its outcome and baseline period
        (and the national indicator it is, with its dataset's source and release)."""
        return self.select_related("outcome", "baseline_period", "national_indicator__dataset")


class Measure(models.Model):
    class ValueKind(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        RATE_PER_100K = "rate_100k", "Rate per 100,000"
        DSR_PER_100K = "dsr_100k", "Directly standardised rate per 100,000"
        YEARS = "years", "Years"
        MONEY = "money", "Money (£)"
        SCORE = "score", "Score"
        COUNT = "count", "Count"

    class Polarity(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NONE = "none", "No judgement (compared: higher or lower)"
        NOT_APPLICABLE = "not_applicable", "Not applicable (not compared)"

    class Confidence(models.TextChoices):
        C95 = "95", "95%"
        C998 = "99.8", "99.8%"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUALLY = "annually", "Annually"
        OTHER = "other", "Less often or irregularly"

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="measures")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = ArrayField(
        models.CharField(max_length=200),
        blank=True,
        default=list,
        help_text="Other names publishers use for this measure; imports match these too.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    definition = models.TextField(blank=True)
    why_it_matters = models.TextField(blank=True)
    value_kind = models.CharField(max_length=16, choices=ValueKind.choices)
    unit_label = models.CharField(max_length=60, help_text="As shown after a value, e.g. %, years.")
    decimal_places = models.PositiveSmallIntegerField(default=1)
    polarity = models.CharField(max_length=16, choices=Polarity.choices, default=Polarity.NONE)
    comparison_confidence = models.CharField(
        max_length=4,
        choices=Confidence.choices,
        default=Confidence.C95,
        help_text="The confidence level of the comparison with England (Fingertips offers 95% "
        "and 99.8%). 99.8% needs each value's count and denominator.",
    )
    source = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=200, blank=True, default="Open Government Licence v3.0")
    period_type = models.CharField(max_length=16, choices=PERIOD_TYPE_CHOICES)
    update_frequency = models.CharField(
        max_length=16, choices=Frequency.choices, default=Frequency.ANNUALLY
    )
    next_update_due = models.DateField(null=True, blank=True)
    owner_organisation = models.CharField(max_length=200, blank=True)
    baseline_period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baseline_value = models.DecimalField(
        max_digits=16,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="The partnership-wide baseline; each place's own value in the baseline period "
        "is its baseline.",
    )
    population_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="Who the headline figure counts, beside its breakdowns, e.g. All pupils.",
    )
    national_indicator = models.ForeignKey(
        "national.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        help_text="The national dataset's indicator this measure is: its values for the "
        "partnership's areas, England and the region then come from the national import, with "
        "England's ranks and spread.",
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["outcome__order", "order", "title"]
        indexes = [
            # Search by name (dashboards.selectors.search): the same expression it queries.
            GinIndex(SearchVector("title", config="simple"), name="measure_title_search"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:measure", kwargs={"slug": self.slug})

    @property
    def confidence(self) -> float:
        """The comparison's confidence level as a fraction: 0.95 or 0.998."""
        return float(self.comparison_confidence) / 100

    @property
    def is_percentage(self) -> bool:
        return self.value_kind == self.ValueKind.PERCENTAGE

    def format_value(self, value: Decimal | float | None) -> str:
        if value is None:
            return "–"
        number = f"{float(value):,.{self.decimal_places}f}"
        if self.value_kind == self.ValueKind.MONEY:
            return f"£{number}"
        if self.unit_label == "%":
            return f"{number}%"
        return f"{number} {self.unit_label}".strip()


class Target(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        help_text="Leave empty for a target that applies to every place.",
    )
    value = models.DecimalField(max_digits=16, decimal_places=6)
    target_date = models.DateField()
    baseline_value = models.DecimalField(
        max_digits=16,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Where empty, the place's own value in the measure's baseline period.",
    )
    description = models.CharField(max_length=300, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="A demonstration target, not one the partnership has adopted."
    )

    class Meta:
        ordering = ["measure", "place__order", "target_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "place", "target_date"],
                name="target_unique_per_place_date",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        where = self.place.name if self.place else "every place"
        return f"{self.measure}: {self.value} by {self.target_date:%Y} ({where})"


class Breakdown(models.Model):
    """A category within a dimension, e.g. sex: female; deprivation quintile: most deprived 20%."""

    dimension = models.CharField(max_length=100)
    category = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Quintiles and deciles: 1 for the most deprived. Groups show in this order.",
    )
    in_gap = models.BooleanField(
        "counted in the gap",
        default=True,
        help_text="Untick where the publisher says this group's figures are not comparable with "
        "the others' (the page then shows them without a gap).",
    )
    note = models.TextField(blank=True, help_text="Shown beside this group's figures.")

    class Meta:
        ordering = ["dimension", "order", "category"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "category"], name="breakdown_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.category}"
