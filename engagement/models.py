"""Engagement: residents rank an exercise's priorities, pick the issues that matter most, and say
what else matters; staff moderate what is shown and record what was done ("you said, we did").

Residents take part with no account. A response stores no name or email unless the resident opts
in to hear back; client addresses are never stored (rate limits use a keyed hash, in the cache).
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

FREE_TEXT_MAX = 2000
RESERVED_SLUGS = {"forget"}  # paths of engagement/urls.py an exercise's slug must not take
CONTACT_NAME_MAX = 200

DEFAULT_FREE_TEXT_QUESTION = "Is there anything else you would like to tell us?"
DEFAULT_CONSENT_STATEMENT = (
    "We will use your name and email address only to tell you what happened as a result of this "
    "engagement. We will not share them or use them for anything else, and we will delete them "
    "when the partnership has reported back. You can have them deleted sooner at any time, using "
    "the link we show you after you send your response."
)


def token_hash(token: str) -> str:
    """What we keep of a deletion token: its SHA-256, so a database leak cannot be replayed."""
    return hashlib.sha256(token.encode()).hexdigest()


def paragraphs(text: str) -> list[str]:
    """Plain text split at blank lines (templates escape each and keep single line breaks)."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


class ExerciseQuerySet(models.QuerySet):
    def published(self) -> ExerciseQuerySet:
        return self.filter(is_published=True)

    def open_on(self, day: datetime.date) -> ExerciseQuerySet:
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Exercise(models.Model):
    """One engagement exercise: what residents are asked, and when they can answer."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", "Not open yet"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    introduction = models.TextField(
        help_text="Shown above the questions: why we are asking and what happens next. "
        "Plain text; blank lines start new paragraphs."
    )
    opens_on = models.DateField(help_text="The first day responses are accepted.")
    closes_on = models.DateField(help_text="The last day responses are accepted (until midnight).")
    ranking_question = models.CharField(
        max_length=300,
        default="Put these priorities in order of importance to you",
    )
    issues_question = models.CharField(
        max_length=300,
        default="Which issues matter most to you?",
        help_text="Asked under each priority that has issues.",
    )
    issue_choice_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="The most issues a resident may pick under one priority. Empty: no limit.",
    )
    free_text_question = models.CharField(max_length=300, default=DEFAULT_FREE_TEXT_QUESTION)
    other_formats = models.TextField(
        blank=True,
        help_text="How to take part in other ways or formats (easy read, large print, another "
        "language, by phone or post). Plain text.",
    )
    consent_statement = models.TextField(
        default=DEFAULT_CONSENT_STATEMENT,
        help_text="Shown to residents who opt in to hear back, beside the name and email fields.",
    )
    is_published = models.BooleanField(
        default=False, help_text="Shown to the public. Leave off while you set it up."
    )
    show_results = models.BooleanField(
        default=True, help_text="Show the public results page (counts, rankings, moderated quotes)."
    )
    is_demo = models.BooleanField(
        default=False, help_text="Demonstration data, labelled as such wherever it shows."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="exercise_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:exercise", kwargs={"slug": self.slug})

    def get_results_url(self) -> str:
        return reverse("engagement:results", kwargs={"slug": self.slug})

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"{self.slug!r} is used by the site; choose another."})

    def status_on(self, day: datetime.date) -> Exercise.Status:
        if day < self.opens_on:
            return self.Status.UPCOMING
        if day > self.closes_on:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> Exercise.Status:
        return self.status_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def introduction_paragraphs(self) -> list[str]:
        return paragraphs(self.introduction)

    @property
    def other_formats_paragraphs(self) -> list[str]:
        return paragraphs(self.other_formats)

    @property
    def consent_paragraphs(self) -> list[str]:
        return paragraphs(self.consent_statement)


class Priority(models.Model):
    """Something residents rank: often an outcome, but any row an exercise wants ranked."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    outcome = models.ForeignKey(
        "outcomes.Outcome",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagement_priorities",
        help_text="The outcome this priority stands for, if any.",
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self._state.adding and self.exercise_id and self.exercise.responses.exists():
            raise ValidationError(
                "Priorities cannot be added once responses have been received: the rankings "
                "people gave would no longer be of the same things."
            )


class Issue(models.Model):
    """An issue within a priority that residents may pick as mattering most."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self._state.adding and self.priority_id and self.priority.exercise.responses.exists():
            raise ValidationError("Issues cannot be added once responses have been received.")


class ResponseQuerySet(models.QuerySet):
    def for_exercise(self, exercise: Exercise) -> ResponseQuerySet:
        return self.filter(exercise=exercise)

    def quotes(self) -> ResponseQuerySet:
        """Free text staff have moderated and published, newest first."""
        return self.filter(moderation=Response.Moderation.PUBLISHED).order_by(
            "-moderated_at", "-id"
        )

    def awaiting_moderation(self) -> ResponseQuerySet:
        return self.filter(moderation=Response.Moderation.PENDING)

    def with_contact(self) -> ResponseQuerySet:
        return self.exclude(contact_email="")


class Response(models.Model):
    """One resident's answers. Anonymous unless they opted in to hear back."""

    class Moderation(models.TextChoices):
        NONE = "none", "No free text"
        PENDING = "pending", "Awaiting moderation"
        PUBLISHED = "published", "Published as a quote"
        REJECTED = "rejected", "Not published"

    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_responses",
        help_text="Where the resident said they live; empty if elsewhere or not given.",
    )
    lives_elsewhere = models.BooleanField(default=False)
    free_text = models.TextField(blank=True, validators=[MaxLengthValidator(FREE_TEXT_MAX)])
    moderation = models.CharField(
        max_length=16, choices=Moderation.choices, default=Moderation.NONE
    )
    quote = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(FREE_TEXT_MAX)],
        help_text="The words shown in public. Copied from the free text when published; edit it "
        "to remove anything that could identify someone.",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(max_length=CONTACT_NAME_MAX, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_consented_at = models.DateTimeField(null=True, blank=True)
    deletion_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    is_demo = models.BooleanField(default=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("free_text"), FREE_TEXT_MAX),
                name="response_free_text_capped",
            ),
            models.CheckConstraint(
                condition=~(Q(place__isnull=False) & Q(lives_elsewhere=True)),
                name="response_one_place_answer",
            ),
            models.CheckConstraint(
                condition=Q(contact_email="") | Q(contact_consented_at__isnull=False),
                name="response_contact_needs_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["exercise", "place"]),
            models.Index(fields=["exercise", "moderation"]),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.exercise}"

    @property
    def place_label(self) -> str:
        if self.place_id:
            return str(self.place)
        return "Somewhere else" if self.lives_elsewhere else "Not given"


class Ranking(models.Model):
    """The rank (1 = most important) a response gave one priority."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="rankings")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="rankings")
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["response", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["response", "priority"], name="ranking_once_each"),
            models.UniqueConstraint(fields=["response", "rank"], name="ranking_rank_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="ranking_rank_positive"),
        ]
        # The results page reads (priority, rank) only: an index-only scan at any size.
        indexes = [models.Index(fields=["priority", "rank"])]

    def __str__(self) -> str:
        return f"{self.priority}: {self.rank}"


class IssuePick(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="issue_picks")
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="picks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "issue"], name="issue_pick_once"),
        ]

    def __str__(self) -> str:
        return str(self.issue)


class FeedbackThemeQuerySet(models.QuerySet):
    def published(self) -> FeedbackThemeQuerySet:
        return self.filter(is_published=True)

    def for_outcome(self, outcome) -> FeedbackThemeQuerySet:
        """Published themes that shaped this outcome, directly or through one of its measures."""
        direct = FeedbackTheme.outcomes.through.objects.filter(
            feedbacktheme=OuterRef("pk"), outcome=outcome
        )
        via_measure = FeedbackTheme.measures.through.objects.filter(
            feedbacktheme=OuterRef("pk"), measure__outcome=outcome
        )
        return self.published().filter(Exists(direct) | Exists(via_measure))

    def for_exercise(self, exercise: Exercise) -> FeedbackThemeQuerySet:
        return self.published().filter(exercise=exercise)

    def with_links(self) -> FeedbackThemeQuerySet:
        """With their exercise, outcomes and measures: three queries in all."""
        from outcomes.models import Measure

        return self.select_related("exercise").prefetch_related(
            "outcomes", Prefetch("measures", queryset=Measure.objects.select_related("outcome"))
        )


class FeedbackTheme(models.Model):
    """A "you said, we did" theme: what residents said, drawn out by staff; what it shaped
    (outcomes, measures) and what was done about it."""

    exercise = models.ForeignKey(
        Exercise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_themes",
        help_text="The exercise the feedback came from. Empty for feedback gathered elsewhere, "
        "e.g. the engagement that shaped the strategy.",
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the feedback came from, when it was not an exercise on this site.",
    )
    title = models.CharField(max_length=200, help_text='e.g. "Access to GP appointments".')
    you_said = models.TextField(help_text="What residents told us, in a sentence or two.")
    we_did = models.TextField(help_text="What the partnership did about it.")
    outcomes = models.ManyToManyField(
        "outcomes.Outcome", blank=True, related_name="feedback_themes"
    )
    measures = models.ManyToManyField(
        "outcomes.Measure", blank=True, related_name="feedback_themes"
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)
    is_demo = models.BooleanField(
        default=False, help_text="Demonstration text, labelled as such wherever it shows."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackThemeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = "you said, we did theme"

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        if self.exercise_id:
            return self.exercise.title
        return self.source


class RateLimitCounter(models.Model):
    """One client's attempts in one scope, in the current window (engagement.ratelimit): the
    rate limits' store when there is no Redis. The key is a keyed hash; no address is stored."""

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField()
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.count} until {self.window_ends:%H:%M:%S}"
