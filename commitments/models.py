"""Partners' commitments: the strategy's actions, who leads each, when it is due, and its
progress updates, which follow the same review and publication rules as values.

A commitment's public status is the status of its latest *published* update ("not started"
when none is published yet): it changes only through an update that an approver who is not its
author has published, never by editing the commitment. ``CommitmentQuerySet.with_public_status``
computes it in the same query as the list.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.urls import reverse

from outcomes.models import Value


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    DELAYED = "delayed", "Delayed"
    DONE = "done", "Done"


# NHS.UK tag colour for each status (nhsuk-tag--<colour>); the words always say it too.
STATUS_TAG_COLOURS = {
    CommitmentStatus.NOT_STARTED: "grey",
    CommitmentStatus.ON_TRACK: "green",
    CommitmentStatus.AT_RISK: "orange",
    CommitmentStatus.DELAYED: "red",
    CommitmentStatus.DONE: "blue",
}

# The states an update moves through: the very same states, and labels, as a value's.
UpdateState = Value.State


class Partner(models.Model):
    """A partner organisation that leads commitments (an NHS trust, a council, the mayoral
    combined authority, a voluntary sector body...)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitmentQuerySet(models.QuerySet):
    def with_public_status(self) -> CommitmentQuerySet:
        """Annotate ``public_status`` (the latest published update's status, or not started),
        ``last_update_on`` (that update's date) and ``last_published_at``."""
        latest = CommitmentUpdate.objects.published().filter(commitment=OuterRef("pk"))
        latest = latest.order_by("-as_of", "-published_at", "-pk")
        return self.annotate(
            public_status=Coalesce(
                Subquery(latest.values("status")[:1]),
                V(CommitmentStatus.NOT_STARTED),
                output_field=models.CharField(),
            ),
            last_update_on=Subquery(latest.values("as_of")[:1]),
            last_published_at=Subquery(
                CommitmentUpdate.objects.published()
                .filter(commitment=OuterRef("pk"))
                .order_by("-published_at")
                .values("published_at")[:1]
            ),
        )

    def for_outcome(self, outcome) -> CommitmentQuerySet:
        return self.filter(outcome=outcome)

    def for_place(self, place) -> CommitmentQuerySet:
        return self.filter(places=place)

    def for_partner(self, partner) -> CommitmentQuerySet:
        return self.filter(lead_partner=partner)

    def with_status(self, *statuses: str) -> CommitmentQuerySet:
        """Needs ``with_public_status()`` first."""
        return self.filter(public_status__in=statuses)

    def overdue(self, on: datetime.date) -> CommitmentQuerySet:
        """Due before ``on`` and not done. Needs ``with_public_status()`` first."""
        return self.filter(due_date__lt=on).exclude(public_status=CommitmentStatus.DONE)

    def with_timeline(self) -> CommitmentQuerySet:
        """Prefetch the published updates, newest first, into ``timeline`` (one query)."""
        return self.prefetch_related(
            models.Prefetch(
                "updates",
                queryset=CommitmentUpdate.objects.published()
                .select_related("author")
                .order_by("-as_of", "-published_at", "-pk"),
                to_attr="timeline",
            )
        )

    def for_listing(self) -> CommitmentQuerySet:
        """Everything a list shows: status, outcome, partner, places and measures."""
        return (
            self.with_public_status()
            .select_related("outcome", "lead_partner")
            .prefetch_related("places", "measures")
        )

    def updatable_by(self, user) -> CommitmentQuerySet:
        """Commitments this user may post updates for: those naming them as an officer, and
        those in a place they are an officer of."""
        from places.models import Membership

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:  # as for values: an admin may do everything
            return self.all()
        officer_of_place = Membership.objects.officers().filter(
            user=user, place__commitments=OuterRef("pk")
        )
        return self.filter(Q(officers=user) | Q(Exists(officer_of_place))).distinct()


class Commitment(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(help_text="What the partners have committed to do, in plain words.")
    outcome = models.ForeignKey(
        "outcomes.Outcome", on_delete=models.PROTECT, related_name="commitments"
    )
    places = models.ManyToManyField(
        "places.Place",
        blank=True,
        related_name="commitments",
        help_text="Leave empty for a commitment across the whole partnership.",
    )
    measures = models.ManyToManyField(
        "outcomes.Measure",
        blank=True,
        related_name="commitments",
        help_text="Measures this commitment is meant to move.",
    )
    lead_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="commitments")
    due_date = models.DateField()
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="commitments",
        help_text="Officers who post its updates, besides the officers of its places.",
    )
    feedback_themes = models.ManyToManyField(
        "engagement.FeedbackTheme",
        blank=True,
        related_name="commitments",
        verbose_name="you said, we did themes",
        help_text="What residents said that this commitment answers.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(
        default=False, help_text="A demonstration commitment, shown as such to the public."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["outcome__order", "order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", kwargs={"slug": self.slug})

    @property
    def status(self) -> str:
        """The public status (needs ``with_public_status()``; else one query)."""
        if hasattr(self, "public_status"):
            return self.public_status
        latest = self.updates.published().order_by("-as_of", "-published_at", "-pk").first()
        return latest.status if latest else CommitmentStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label

    @property
    def status_colour(self) -> str:
        return STATUS_TAG_COLOURS[CommitmentStatus(self.status)]

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return self.due_date < on and self.status != CommitmentStatus.DONE


class CommitmentUpdateQuerySet(models.QuerySet):
    def published(self) -> CommitmentUpdateQuerySet:
        return self.filter(state=UpdateState.PUBLISHED)

    def awaiting_review(self) -> CommitmentUpdateQuerySet:
        return self.filter(state=UpdateState.SUBMITTED)

    def published_between(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> CommitmentUpdateQuerySet:
        return self.published().filter(published_at__gte=start, published_at__lt=end)


class CommitmentUpdate(models.Model):
    """A dated progress update, with the status it reports. Public only once published."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    as_of = models.DateField("date of the update")
    status = models.CharField(max_length=16, choices=CommitmentStatus.choices)
    progress = models.TextField(help_text="What has happened since the last update.")
    next_steps = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=UpdateState.choices, default=UpdateState.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["commitment", "-as_of", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="commitment_update_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "commitment"])]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.as_of:%-d %B %Y} · {self.get_status_display()}"

    @property
    def status_colour(self) -> str:
        return STATUS_TAG_COLOURS[CommitmentStatus(self.status)]

    @property
    def is_public(self) -> bool:
        return self.state == UpdateState.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.state in (UpdateState.DRAFT, UpdateState.RETURNED)

    def written_by(self, user) -> bool:
        """Whether the user wrote or edited this update: its author, or anyone on its record who
        created or changed it. Nobody may publish or return an update they wrote or edited."""
        if user.pk is None:
            return False
        return (
            self.author_id == user.pk
            or self.events.filter(actor=user, action__in=CommitmentUpdateEvent.WRITING).exists()
        )


class CommitmentUpdateEvent(models.Model):
    """One change to a progress update, never edited or deleted: who wrote, edited, submitted,
    published or returned it, when, at which version, and the text as it then stood."""

    class Action(models.TextChoices):
        CREATE = "create", "Written"
        EDIT = "edit", "Edited"
        SUBMIT = "submit", "Submitted for review"
        PUBLISH = "publish", "Published"
        RETURN = "return", "Returned"

    WRITING = (Action.CREATE, Action.EDIT)

    update = models.ForeignKey(CommitmentUpdate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(help_text="The update's version after this change.")
    text = models.JSONField(
        default=dict, help_text="The date, status, progress and next steps after this change."
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["update", "at", "pk"]
        indexes = [models.Index(fields=["update", "actor", "action"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.update_id} · v{self.version}"
