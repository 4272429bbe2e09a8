from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import uuid4

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from outcomes.periods import PeriodType, period_label


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
    type = models.CharField(max_length=16, choices=PeriodType.choices)

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
        """With what every public page shows beside a measure: its outcome and baseline period."""
        return self.select_related("outcome", "baseline_period")


class Measure(models.Model):
    class ValueKind(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        RATE_PER_100K = "rate_100k", "Rate per 100,000"
        YEARS = "years", "Years"
        MONEY = "money", "Money (£)"
        SCORE = "score", "Score"
        COUNT = "count", "Count"

    class Polarity(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NONE = "none", "No judgement"

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
    polarity = models.CharField(max_length=8, choices=Polarity.choices, default=Polarity.NONE)
    source = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=200, blank=True, default="Open Government Licence v3.0")
    period_type = models.CharField(max_length=16, choices=PeriodType.choices)
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

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["outcome__order", "order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:measure", kwargs={"slug": self.slug})

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
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dimension", "order", "category"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "category"], name="breakdown_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.category}"


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
    if lower_ci is not None and upper_ci is not None and not (lower_ci <= value <= upper_ci):
        errors["lower_ci"] = (
            f"The confidence interval {_plain(lower_ci)} to {_plain(upper_ci)} must contain "
            f"the value {_plain(value)}."
        )
    if denominator is not None and denominator <= 0:
        errors["denominator"] = "The denominator must be more than zero."
    if numerator is not None and numerator < 0:
        errors["numerator"] = "The numerator cannot be negative."
    return errors


# --- The review workflow: proposals, the audit record, uploads ------------------------------------
#
# One rule for each thing:
# - `Value` holds THE public figures. Its figures are written only when a value is published:
#   by an approver approving a proposal, or by the `import_values` command publishing directly.
#   A `Value` that was never published is a placeholder (state draft, no figures) that gives the
#   slot (measure, place, period, breakdown) a row to lock, a URL and a history.
# - `Proposal` holds figures an officer wants published, new or corrected, with the review state
#   (draft, submitted, returned; then approved or deleted). At most one proposal per value is open.
# - `ValueEvent` is the append-only record of every change: who, when, old and new figures,
#   comment. Events that changed the public figures (`published=True`) make the public revision
#   log.
# - `Value.version` is the one lock: every write to a slot (proposal saved, submitted, approved,
#   returned, deleted; an import) bumps it, and a write made against an older version is refused.

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


class ProposalQuerySet(models.QuerySet):
    def open(self) -> ProposalQuerySet:
        return self.filter(state__in=Proposal.OPEN_STATES)

    def submitted(self) -> ProposalQuerySet:
        return self.filter(state=Proposal.State.SUBMITTED)

    def for_places(self, places) -> ProposalQuerySet:
        """Proposals for these places; `None` means every place."""
        return self if places is None else self.filter(value__place__in=places)

    def with_related(self) -> ProposalQuerySet:
        return self.select_related(
            "value__measure", "value__place", "value__period", "value__breakdown", "entered_by"
        )


class Proposal(models.Model):
    """Figures an officer wants published: a new value, or a correction to a published one.

    The public never sees these; approving one copies its figures into its `Value`."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved and published"
        DELETED = "deleted", "Deleted"

    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED)

    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="proposals")
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    value_figure = models.DecimalField(
        "value", max_digits=16, decimal_places=6, null=True, blank=True
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
    reason = models.TextField(
        blank=True,
        help_text="Why a published value is being corrected; shown in the public revision log.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who last set these figures; they cannot approve them.",
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["value"],
                condition=Q(state__in=["draft", "submitted", "returned"]),
                name="proposal_one_open_per_value",
            ),
            models.CheckConstraint(
                condition=Q(lower_ci__isnull=True)
                | Q(upper_ci__isnull=True)
                | Q(lower_ci__lte=models.F("upper_ci")),
                name="proposal_ci_ordered",
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.value} ({self.get_state_display()})"

    # The proposed figure is `value_figure`, because `value` is the Value it proposes for.
    @property
    def figures(self) -> dict:
        data = {name: getattr(self, name) for name in FIGURE_FIELDS if name != "value"}
        data["value"] = self.value_figure
        return data

    def set_figures(self, figures: dict) -> None:
        for name in FIGURE_FIELDS:
            setattr(self, "value_figure" if name == "value" else name, figures.get(name))
        self.note = self.note or ""
        self.source = self.source or ""

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    # What the proposed figure is compared with on the approvers' queue: the published figure it
    # replaces, or else the previous period's published value (annotated by
    # `outcomes.staff_selectors.approval_queue`).
    @property
    def baseline(self) -> tuple[str, Decimal | None]:
        if self.value.is_published:
            return "Published now", self.value.value
        start = getattr(self, "previous_start", None)
        if start is None:
            return "", None
        label = period_label(start, self.previous_end, self.previous_type)
        return f"Previous period ({label})", self.previous_value

    @property
    def change(self) -> str:
        """The change from the baseline, e.g. "+1.2 (+1.7%)"; empty when there is none."""
        _, base = self.baseline
        if base is None or self.value_figure is None:
            return ""
        difference = self.value_figure - base
        places = self.value.measure.decimal_places
        text = f"{difference:+,.{places}f}"
        if base != 0:
            text += f" ({difference / abs(base) * 100:+.1f}%)"
        return text

    @property
    def formatted(self) -> str:
        return self.value.measure.format_value(self.value_figure)

    def clean(self):
        errors = value_errors(
            measure=self.value.measure,
            value=self.value_figure,
            lower_ci=self.lower_ci,
            upper_ci=self.upper_ci,
            numerator=self.numerator,
            denominator=self.denominator,
        )
        if "value" in errors:
            errors["value_figure"] = errors.pop("value")
        if errors:
            raise ValidationError(errors)


class ValueEventQuerySet(models.QuerySet):
    def public(self) -> ValueEventQuerySet:
        """Events that changed the published figures (first publication and revisions)."""
        return self.filter(published=True)

    def for_measure(self, measure: Measure) -> ValueEventQuerySet:
        return self.filter(value__measure=measure)

    def revisions(self) -> ValueEventQuerySet:
        """Events that replaced earlier published figures."""
        return self.public().filter(old__isnull=False)

    def with_related(self) -> ValueEventQuerySet:
        return self.select_related("actor", "proposal")


class ValueEvent(models.Model):
    """One change to a value, never edited or deleted: the audit record.

    `old` and `new` are figures as JSON. For an event that changed the public figures
    (`published`), they are the published figures before (None when first published) and after;
    otherwise the proposal's figures before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        EDIT = "edit", "Edited"
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved and published"
        RETURN = "return", "Returned"
        DELETE = "delete", "Deleted"
        IMPORT = "import", "Imported and published"

    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="events")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for a change made by a command (an import).",
    )
    at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(help_text="The value's version after this change.")
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    comment = models.TextField(blank=True)
    published = models.BooleanField(
        default=False, help_text="This change altered the published figures."
    )

    objects = ValueEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["value", "at"]),
            models.Index(
                fields=["value", "at"], condition=Q(published=True), name="valueevent_public"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.value} · {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The audit record is append-only; events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The audit record is append-only; events are never deleted.")

    @property
    def old_figures(self) -> dict | None:
        return figures_from_json(self.old)

    @property
    def new_figures(self) -> dict | None:
        return figures_from_json(self.new)


class Upload(models.Model):
    """A spreadsheet an officer uploaded, kept between the preview and the confirmation so that
    what is saved is exactly what was previewed (nothing is re-posted by the browser)."""

    token = models.UUIDField(default=uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    versions = models.JSONField(
        default=dict, help_text="Each slot's version when previewed; a change since refuses."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.user}, {self.created_at:%Y-%m-%d %H:%M})"
