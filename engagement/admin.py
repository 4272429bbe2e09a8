"""Staff run exercises here: set them up, moderate free text, export responses, delete contact
details on request, and record "you said, we did"."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from core import spreadsheets
from engagement import exports
from engagement.models import (
    Exercise,
    FeedbackTheme,
    Issue,
    Priority,
    Response,
)
from engagement.services import (
    exercise_priorities_from_outcomes,
    responses_contact_delete_by_email,
    responses_moderate,
)


class LockedOnceAnsweredMixin:
    """Priorities and issues cannot be added or removed once an exercise has responses: the
    rankings people gave would no longer be a ranking of the same things."""

    def _exercise_answered(self, obj) -> bool:
        exercise = obj if isinstance(obj, Exercise) else getattr(obj, "exercise", None)
        return bool(exercise and exercise.pk and exercise.responses.exists())

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._exercise_answered(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._exercise_answered(obj)


class PriorityInline(LockedOnceAnsweredMixin, admin.TabularInline):
    model = Priority
    fields = ["title", "description", "order", "outcome"]
    show_change_link = True
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "opens_on",
        "closes_on",
        "status_label",
        "is_published",
        "response_count",
        "awaiting_moderation",
        "links",
    ]
    list_filter = ["is_published", "is_demo"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "opens_on"
    inlines = [PriorityInline]
    actions = ["add_outcomes_as_priorities"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "introduction", "opens_on", "closes_on"]}),
        (
            "Questions",
            {
                "fields": [
                    "ranking_question",
                    "issues_question",
                    "issue_choice_limit",
                    "free_text_question",
                ],
                "description": "Add the priorities to rank below; add issues under a priority "
                "from its own page (the link beside it, once saved).",
            },
        ),
        ("Taking part", {"fields": ["other_formats", "consent_statement"]}),
        ("Publishing", {"fields": ["is_published", "show_results", "is_demo"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_responses=Count("responses"),
                n_pending=Count(
                    "responses", filter=Q(responses__moderation=Response.Moderation.PENDING)
                ),
            )
        )

    @admin.display(description="Status")
    def status_label(self, exercise: Exercise) -> str:
        return exercise.status.label

    @admin.display(description="Responses", ordering="n_responses")
    def response_count(self, exercise: Exercise) -> int:
        return exercise.n_responses

    @admin.display(description="Comments to moderate", ordering="n_pending")
    def awaiting_moderation(self, exercise: Exercise):
        if not exercise.n_pending:
            return 0
        url = reverse("admin:engagement_response_changelist") + (
            f"?exercise__id__exact={exercise.pk}&moderation__exact=pending"
        )
        return format_html('<a href="{}">{}</a>', url, exercise.n_pending)

    @admin.display(description="Downloads and pages")
    def links(self, exercise: Exercise):
        return format_html(
            '<a href="{}">Responses (CSV)</a> · <a href="{}">Contacts (CSV)</a> · '
            '<a href="{}">Results page</a>',
            reverse("admin:engagement_exercise_export", args=[exercise.pk]),
            reverse("admin:engagement_exercise_export_contacts", args=[exercise.pk]),
            exercise.get_results_url(),
        )

    @admin.action(description="Add the outcomes as priorities", permissions=["change"])
    def add_outcomes_as_priorities(self, request, queryset):
        for exercise in queryset:
            try:
                added = exercise_priorities_from_outcomes(exercise=exercise)
            except ValidationError as error:
                self.message_user(request, f"{exercise}: {error.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, f"{exercise}: {added} priorities added.")

    def get_urls(self):
        return [
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="engagement_exercise_export",
            ),
            path(
                "<int:pk>/export-contacts/",
                self.admin_site.admin_view(self.export_contacts_view),
                name="engagement_exercise_export_contacts",
            ),
            *super().get_urls(),
        ]

    def _exportable(self, request: HttpRequest, pk: int) -> Exercise:
        if not request.user.has_perm("engagement.view_response"):
            raise PermissionDenied
        return get_object_or_404(Exercise, pk=pk)

    def export_view(self, request: HttpRequest, pk: int):
        exercise = self._exportable(request, pk)
        return _csv_response(
            exports.responses_rows(exercise), f"{exercise.slug}-responses-{timezone.localdate()}"
        )

    def export_contacts_view(self, request: HttpRequest, pk: int):
        exercise = self._exportable(request, pk)
        return _csv_response(
            exports.contacts_rows(exercise), f"{exercise.slug}-contacts-{timezone.localdate()}"
        )


def _csv_response(rows, name: str) -> StreamingHttpResponse:
    response = spreadsheets.csv_response(rows, filename=f"{name}.csv", bom=True)
    response["Cache-Control"] = "no-store"
    return response


class IssueInline(LockedOnceAnsweredMixin, admin.TabularInline):
    model = Issue
    fields = ["title", "order"]
    extra = 0


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "exercise", "order", "outcome"]
    list_filter = ["exercise"]
    search_fields = ["title"]
    list_select_related = ["exercise", "outcome"]
    inlines = [IssueInline]

    def has_delete_permission(self, request, obj=None):
        answered = obj is not None and obj.exercise.responses.exists()
        return super().has_delete_permission(request, obj) and not answered


class EmailDeleteForm(forms.Form):
    email = forms.EmailField(label="Email address the resident gave")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "exercise",
        "submitted_at",
        "place_label",
        "free_text_excerpt",
        "moderation",
        "has_contact",
        "is_demo",
    ]
    list_display_links = ["id", "submitted_at"]
    list_filter = ["moderation", "exercise", "place", "is_demo"]
    search_fields = ["free_text", "quote", "=contact_email"]
    list_select_related = ["exercise", "place"]
    date_hierarchy = "submitted_at"
    actions = ["publish_quotes", "reject_quotes", "back_to_pending", "delete_contact_details"]
    readonly_fields = [
        "exercise",
        "submitted_at",
        "place",
        "lives_elsewhere",
        "answers",
        "free_text",
        "moderation",
        "moderated_at",
        "moderated_by",
        "contact_name",
        "contact_email",
        "contact_consented_at",
        "is_demo",
    ]
    fields = [
        "exercise",
        "submitted_at",
        "place",
        "lives_elsewhere",
        "answers",
        "free_text",
        "moderation",
        "quote",
        "moderated_at",
        "moderated_by",
        "contact_name",
        "contact_email",
        "contact_consented_at",
        "is_demo",
    ]

    def has_add_permission(self, request):
        return False  # responses come from residents

    def get_urls(self):
        return [
            path(
                "delete-contact-by-email/",
                self.admin_site.admin_view(self.delete_by_email_view),
                name="engagement_response_delete_by_email",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Place")
    def place_label(self, response: Response) -> str:
        return response.place_label

    @admin.display(description="Free text")
    def free_text_excerpt(self, response: Response) -> str:
        return Truncator(response.free_text).chars(80)  # escaped by the admin, like every value

    @admin.display(description="Contact?", boolean=True)
    def has_contact(self, response: Response) -> bool:
        return bool(response.contact_email)

    @admin.display(description="Ranking and issues picked")
    def answers(self, response: Response):
        rankings = response.rankings.select_related("priority").order_by("rank")
        picks = response.issue_picks.select_related("issue").order_by("issue__priority__order")
        return format_html(
            "<ol>{}</ol><p>Issues picked: {}</p>",
            format_html_join("", "<li>{}</li>", ((r.priority.title,) for r in rankings)),
            ", ".join(str(p.issue) for p in picks) or "none",
        )

    def _moderate(self, request, queryset, decision, done: str):
        changed = responses_moderate(responses=queryset, decision=decision, user=request.user)
        self.message_user(request, f"{changed} response{'s' if changed != 1 else ''} {done}.")

    @admin.action(description="Publish free text as quotes", permissions=["change"])
    def publish_quotes(self, request, queryset):
        self._moderate(request, queryset, Response.Moderation.PUBLISHED, "published")

    @admin.action(description="Do not publish free text", permissions=["change"])
    def reject_quotes(self, request, queryset):
        self._moderate(request, queryset, Response.Moderation.REJECTED, "not published")

    @admin.action(description="Put back to awaiting moderation", permissions=["change"])
    def back_to_pending(self, request, queryset):
        self._moderate(request, queryset, Response.Moderation.PENDING, "put back")

    @admin.action(description="Delete contact details (name and email)", permissions=["change"])
    def delete_contact_details(self, request, queryset):
        changed = queryset.with_contact().update(
            contact_name="", contact_email="", contact_consented_at=None, deletion_token_hash=""
        )
        self.message_user(request, f"Contact details deleted from {changed} responses.")

    def delete_by_email_view(self, request: HttpRequest):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = EmailDeleteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            changed = responses_contact_delete_by_email(email=form.cleaned_data["email"])
            self.message_user(
                request, f"Contact details deleted from {changed} responses with that address."
            )
            return redirect("admin:engagement_response_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Delete a resident's contact details by email address",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/engagement/delete_by_email.html", context)


class FeedbackThemeForm(forms.ModelForm):
    class Meta:
        model = FeedbackTheme
        fields = [
            "title",
            "exercise",
            "source",
            "you_said",
            "we_did",
            "outcomes",
            "measures",
            "order",
            "is_published",
            "is_demo",
        ]

    def clean(self):
        data = super().clean()
        if not data.get("exercise") and not data.get("source"):
            self.add_error("source", "Say where the feedback came from, or choose its exercise.")
        return data


@admin.register(FeedbackTheme)
class FeedbackThemeAdmin(admin.ModelAdmin):
    form = FeedbackThemeForm
    list_display = ["title", "exercise", "order", "is_published", "is_demo"]
    list_filter = ["exercise", "is_published", "is_demo", "outcomes"]
    search_fields = ["title", "you_said", "we_did"]
    filter_horizontal = ["outcomes", "measures"]
    list_select_related = ["exercise"]
    fields = [
        "title",
        "exercise",
        "source",
        "you_said",
        "we_did",
        "outcomes",
        "measures",
        "order",
        "is_published",
        "is_demo",
    ]
