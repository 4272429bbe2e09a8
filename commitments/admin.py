from django.contrib import admin

from commitments.models import Commitment, CommitmentUpdate, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class CommitmentUpdateInline(admin.TabularInline):
    model = CommitmentUpdate
    fields = ["as_of", "status", "state", "author", "published_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["title", "outcome", "lead_partner", "due_date", "public_status", "is_demo"]
    list_filter = ["outcome", "lead_partner", "is_demo", "places"]
    search_fields = ["title", "summary", "lead_partner__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["places", "measures", "officers", "feedback_themes"]
    autocomplete_fields = ["lead_partner"]
    inlines = [CommitmentUpdateInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_public_status()
            .select_related("outcome", "lead_partner")
        )

    @admin.display(description="Public status", ordering="public_status")
    def public_status(self, commitment: Commitment) -> str:
        return commitment.status_label


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(admin.ModelAdmin):
    """Read-only here: updates are written and reviewed through the officers' pages, so that
    every one passes review by an approver who is not its author."""

    list_display = ["commitment", "as_of", "status", "state", "author", "published_at"]
    list_filter = ["state", "status", "commitment__outcome"]
    search_fields = ["commitment__title", "progress"]
    date_hierarchy = "as_of"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
