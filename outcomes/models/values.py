"""Published values: the public figures of one measure, place, period and breakdown, and the
checks every way in applies to them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from methods import intervals
from outcomes.models.strategy import Breakdown, Measure, Period

ALL_PEOPLE = "All people"


class ValueQuerySet(models.QuerySet):
    def published(self) -> ValueQuerySet:
        return self.filter(state=Value.State.PUBLISHED)

    def latest_per_slot(self) -> ValueQuerySet:
        """The latest period's value for each measure, place and breakdown (one query)."""
        return self.order_by("measure_id", "place_id", "breakdown_id", "-period__start").distinct(
            "measure_id", "place_id", "breakdown_id"
        )

    def for_measure(self, measure: Measure) -> ValueQuerySet:
        return self.filter(measure=measure)

    def for_place(self, place) -> ValueQuerySet:
        return self.filter(place=place)

    def all_people(self) -> ValueQuerySet:
        return self.filter(breakdown__isnull=True)

    def with_related(self) -> ValueQuerySet:
        return self.select_related("measure", "place", "period", "breakdown")

    def for_measures(self, measures) -> ValueQuerySet:
        return self.filter(measure__in=measures)

    def for_places(self, places) -> ValueQuerySet:
        return self.filter(place__in=places)

    def publication_stamp(self) -> tuple[datetime | None, int]:
        """When the latest of these values was published, and how many there are, in one query:
        together they change whenever a value is published, corrected or withdrawn."""
        found = self.aggregate(latest=models.Max("published_at"), count=models.Count("pk"))
        return found["latest"], found["count"]


class Value(models.Model):
    """THE public figures for one slot: a measure, place, period and breakdown.

    Only published values (`Value.objects.published()`) are public. A value whose state is draft
    was never published: a placeholder without figures whose proposal is under review (see
    `Proposal`). Officers never write these figures; approval (or the import command) does."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned"
        PUBLISHED = "published", "Published"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    breakdown = models.ForeignKey(
        Breakdown,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="values",
        help_text="Empty for all people.",
    )
    value = models.DecimalField(
        max_digits=16,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Empty when no value was published for this period.",
    )
    lower_ci = models.DecimalField(
        "95% CI lower", max_digits=16, decimal_places=6, null=True, blank=True
    )
    upper_ci = models.DecimalField(
        "95% CI upper", max_digits=16, decimal_places=6, null=True, blank=True
    )
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every save; guards edits."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ValueQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "place__order", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "place", "period", "breakdown"],
                name="value_unique_per_slot",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(lower_ci__isnull=True)
                | Q(upper_ci__isnull=True)
                | Q(lower_ci__lte=models.F("upper_ci")),
                name="value_ci_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "measure", "place"]),
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.place} · {self.period}"

    @property
    def breakdown_label(self) -> str:
        return str(self.breakdown) if self.breakdown else ALL_PEOPLE

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def formatted(self) -> str:
        return self.measure.format_value(self.value)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def published_figures(self) -> dict | None:
        return figures_of(self) if self.is_published else None

    def clean(self):
        errors = value_errors(
            measure=self.measure,
            value=self.value,
            lower_ci=self.lower_ci,
            upper_ci=self.upper_ci,
            numerator=self.numerator,
            denominator=self.denominator,
        )
        if errors:
            raise ValidationError(errors)


def _plain(number: Decimal) -> str:
    """104.000000 -> "104", 70.500000 -> "70.5": a stored decimal as a person wrote it."""
    return f"{Decimal(number).normalize():f}"


NOTE_MAX_CHARS = 2000
SOURCE_MAX_CHARS = 500  # the column's own length
FIGURE_BOUNDS = {
    # The columns hold 16 digits: 10 before the point for figures with 6 places, 12 for counts
    # with 4. A figure past its bound is refused beside its field or row, never a 500.
    "value": Decimal(10) ** 10,
    "lower_ci": Decimal(10) ** 10,
    "upper_ci": Decimal(10) ** 10,
    "numerator": Decimal(10) ** 12,
    "denominator": Decimal(10) ** 12,
}
FIGURE_NAMES = {
    "value": "value",
    "lower_ci": "lower limit",
    "upper_ci": "upper limit",
    "numerator": "numerator",
    "denominator": "denominator",
}


def text_errors(*, note: str, source: str) -> dict[str, str]:
    """The rules for a value's note and source, whoever enters them (form, upload, import)."""
    errors: dict[str, str] = {}
    for name, text, most in [("note", note, NOTE_MAX_CHARS), ("source", source, SOURCE_MAX_CHARS)]:
        if len(text) > most:
            errors[name] = (
                f"The {name} is {len(text):,} characters long; it can be at most {most:,} "
                "characters."
            )
        elif any(ord(c) < 32 and c not in "\t\n\r" for c in text):
            errors[name] = (
                f"The {name} has a control character in it (such as NUL); remove it and type "
                "the text again."
            )
    return errors


def value_errors(
    *,
    measure: Measure,
    value: Decimal | None,
    lower_ci: Decimal | None,
    upper_ci: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
) -> dict[str, str]:
    """The one set of rules a value must keep, whoever enters it (import, form, upload)."""
    errors: dict[str, str] = {}
    figures = {
        "value": value,
        "lower_ci": lower_ci,
        "upper_ci": upper_ci,
        "numerator": numerator,
        "denominator": denominator,
    }
    for name, figure in figures.items():
        bound = FIGURE_BOUNDS[name]
        if figure is not None and not (-bound < figure < bound):
            errors[name] = (
                f"The {FIGURE_NAMES[name]} must be between -{bound:,} and {bound:,} "
                f"(not inclusive); {_plain(figure)} is not."
            )
    if errors:
        return errors
    if (lower_ci is None) != (upper_ci is None):
        errors["lower_ci" if lower_ci is None else "upper_ci"] = (
            "Give both ends of the 95% confidence interval, or neither."
        )
    if value is None:
        if lower_ci is not None or upper_ci is not None:
            errors["value"] = "A confidence interval needs a value."
        return errors
    if measure.is_percentage and not (0 <= value <= 100):
        errors["value"] = f"A percentage must be between 0 and 100; {_plain(value)} is not."
    if lower_ci is not None and upper_ci is not None and lower_ci > upper_ci:
        errors["lower_ci"] = (
            f"The lower limit ({_plain(lower_ci)}) must not be above the upper limit "
            f"({_plain(upper_ci)})."
        )
    elif lower_ci is not None and upper_ci is not None and not (lower_ci <= value <= upper_ci):
        errors["lower_ci"] = (
            f"The confidence interval {_plain(lower_ci)} to {_plain(upper_ci)} must contain "
            f"the value {_plain(value)}."
        )
    if denominator is not None and denominator <= 0:
        errors["denominator"] = "The denominator must be more than zero."
    if numerator is not None and numerator < 0:
        errors["numerator"] = "The numerator cannot be negative."
    if errors:
        return errors
    if (
        measure.is_percentage
        and numerator is not None
        and denominator is not None
        and numerator > denominator
    ):
        errors["numerator"] = (
            f"The numerator {_plain(numerator)} is more than the denominator "
            f"{_plain(denominator)}: a percentage counts part of its denominator."
        )
        return errors
    expected = intervals.value_from_counts(measure.value_kind, numerator, denominator)
    if expected is not None and not intervals.consistent_with_counts(
        value, expected, measure.decimal_places
    ):
        per = "× 100" if measure.is_percentage else "× 100,000"
        errors["value"] = (
            f"The value {_plain(value)} does not match its numerator and denominator: "
            f"{_plain(numerator)} / {_plain(denominator)} {per} = "
            f"{measure.format_value(expected)} (to {measure.decimal_places} decimal "
            f"place{'s' if measure.decimal_places != 1 else ''}). Check the three figures."
        )
    return errors


FIGURE_FIELDS = ("value", "lower_ci", "upper_ci", "numerator", "denominator", "note", "source")
NUMBER_FIELDS = ("value", "lower_ci", "upper_ci", "numerator", "denominator")


def figures_of(obj) -> dict[str, Decimal | str | None]:
    """The figures of a Value, Proposal or checked row, as a dict."""
    return {name: getattr(obj, name) for name in FIGURE_FIELDS}


def figures_json(figures: dict | None) -> dict | None:
    """Figures as JSON for the audit record: numbers as exact decimal strings without trailing
    zeros ("70.5", whether it came from a form or from the database)."""
    if figures is None:
        return None
    return {
        name: (None if figures.get(name) is None else f"{Decimal(figures[name]).normalize():f}")
        if name in NUMBER_FIELDS
        else (figures.get(name) or "")
        for name in FIGURE_FIELDS
    }


def figures_from_json(data: dict | None) -> dict | None:
    if data is None:
        return None
    return {
        name: (None if data.get(name) in (None, "") else Decimal(data[name]))
        if name in NUMBER_FIELDS
        else (data.get(name) or "")
        for name in FIGURE_FIELDS
    }


def figures_equal(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return all((a.get(n) or None) == (b.get(n) or None) for n in FIGURE_FIELDS)
