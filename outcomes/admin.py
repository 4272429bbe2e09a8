from django.contrib import admin
from django.db import transaction
from django.db.models import Count

from outcomes.models import (
    Breakdown,
    Measure,
    Outcome,
    Partnership,
    Period,
    Proposal,
    Target,
    Theme,
    Value,
    ValueEvent,
)
from outcomes.partnership import forget_site_identity


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """The partnership: its name and words on every page, and its areas. There is one."""

    list_display = ["name", "short_name"]
    filter_horizontal = ["areas"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Partnership.objects.exists()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(forget_site_identity)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(forget_site_identity)


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ["title", "order", "value_kind", "polarity", "period_type"]
    show_change_link = True
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["title", "theme", "order", "measure_count"]
    list_filter = ["theme"]
    search_fields = ["title", "ambition", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(measure_count=Count("measures"))

    @admin.display(description="Measures", ordering="measure_count")
    def measure_count(self, outcome: Outcome) -> int:
        return outcome.measure_count


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["place", "value", "target_date", "baseline_value", "description", "is_demo"]
    autocomplete_fields = ["place"]
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "outcome",
        "value_kind",
        "polarity",
        "period_type",
        "update_frequency",
        "next_update_due",
        "owner_organisation",
        "value_count",
        "values_link",
    ]
    list_filter = ["outcome", "period_type", "polarity", "value_kind", "update_frequency"]
    search_fields = ["title", "slug", "aliases", "definition", "owner_organisation", "source"]
    prepopulated_fields = {"slug": ["title"]}
    # Plain selects, not the admin's select2 autocomplete: its empty combobox has no accessible
    # name (axe: aria-input-field-name), and these lists are short (periods, ~100 indicators).
    list_select_related = ["outcome"]
    inlines = [TargetInline]
    fieldsets = [
        (None, {"fields": ["outcome", "title", "slug", "aliases", "order"]}),
        ("Meaning", {"fields": ["definition", "why_it_matters", "population_label"]}),
        (
            "Values",
            {
                "fields": [
                    "value_kind",
                    "unit_label",
                    "decimal_places",
                    "polarity",
                    "comparison_confidence",
                ]
            },
        ),
        ("Source", {"fields": ["source", "source_url", "licence", "owner_organisation"]}),
        (
            "National context",
            {
                "fields": ["national_indicator"],
                "description": "The national dataset's indicator this measure is: its values "
                "for the partnership's areas then come from ./dev manage import_national.",
            },
        ),
        ("Timing", {"fields": ["period_type", "update_frequency", "next_update_due"]}),
        ("Baseline", {"fields": ["baseline_period", "baseline_value"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(value_count=Count("values"))

    @admin.display(description="Values", ordering="value_count")
    def value_count(self, measure: Measure) -> int:
        return measure.value_count

    @admin.display(description="")
    def values_link(self, measure: Measure) -> str:
        from django.urls import reverse
        from django.utils.html import format_html

        url = reverse("admin:outcomes_value_changelist") + f"?measure__id__exact={measure.pk}"
        return format_html('<a href="{}">View values</a>', url)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "start", "end", "type"]
    list_filter = ["type"]
    search_fields = ["start", "end"]
    ordering = ["-start"]
    date_hierarchy = "start"

    def get_readonly_fields(self, request, obj=None):
        """A period that values are recorded against keeps its span: changing it would move
        every one of those values to another period with no record."""
        if obj is not None and obj.values.exists():
            return ["start", "end", "type"]
        return []

    def get_search_results(self, request, queryset, search_term):
        from methods.periods import PeriodError, parse_period

        try:
            parsed = parse_period(search_term)
        except PeriodError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(start=parsed.start, end=parsed.end), False


@admin.register(Breakdown)
class BreakdownAdmin(admin.ModelAdmin):
    list_display = ["dimension", "category", "order", "in_gap"]
    list_filter = ["dimension", "in_gap"]
    search_fields = ["dimension", "category"]

    def get_readonly_fields(self, request, obj=None):
        """As for periods: a breakdown with values keeps what it means (its order may change)."""
        if obj is not None and obj.values.exists():
            return ["dimension", "category"]
        return []


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = [
        "measure",
        "place",
        "period",
        "breakdown_label",
        "formatted_value",
        "lower_ci",
        "upper_ci",
        "state",
        "entered_by",
        "updated_at",
    ]
    list_filter = ["state", "measure__outcome", "place", "period__type", "measure"]
    search_fields = ["measure__title", "place__name", "note", "source"]
    list_select_related = ["measure", "place", "period", "breakdown", "entered_by"]
    # Figures, state and identity (measure, place, period, breakdown) change only through the
    # review workflow (/manage/) or the import command, which record every change: here a value
    # is for reference only (issue 14: the admin moved published values with no record).
    readonly_fields = [
        "measure",
        "place",
        "period",
        "breakdown",
        "value",
        "lower_ci",
        "upper_ci",
        "numerator",
        "denominator",
        "note",
        "source",
        "state",
        "version",
        "entered_by",
        "entered_at",
        "updated_at",
        "published_at",
    ]
    ordering = ["measure", "place__order", "-period__start"]
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Value", ordering="value")
    def formatted_value(self, value: Value) -> str:
        return value.formatted if value.has_value else "No value published"

    @admin.display(description="Breakdown")
    def breakdown_label(self, value: Value) -> str:
        return value.breakdown_label


# --- The review workflow: values change only through it (or the import command), on the record.


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference; every change goes through /manage/ so that it is reviewed and
    recorded."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["value", "state", "value_figure", "entered_by", "updated_at", "decided_by"]
    list_filter = ["state", "value__place", "value__measure"]
    list_select_related = [
        "value__measure",
        "value__place",
        "value__period",
        "value__breakdown",
        "entered_by",
        "decided_by",
    ]
    search_fields = ["value__measure__title", "value__place__name", "reason", "review_comment"]


@admin.register(ValueEvent)
class ValueEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "value", "action", "actor", "published", "comment"]
    list_filter = ["action", "published", "value__place", "value__measure"]
    list_select_related = [
        "value__measure",
        "value__place",
        "value__period",
        "value__breakdown",
        "actor",
    ]
    search_fields = ["value__measure__title", "value__place__name", "comment"]
    date_hierarchy = "at"
