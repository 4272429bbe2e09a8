"""The review workflow's records: proposals, the append-only events, and uploads waiting for
confirmation."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from methods.periods import period_label
from outcomes.models.strategy import Measure
from outcomes.models.values import (
    FIGURE_FIELDS,
    Value,
    figures_from_json,
    value_errors,
)

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
    # `entry.selectors.approval_queue`).
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
