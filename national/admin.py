from django.contrib import admin

from national.models import Dataset, Indicator


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "source_org", "release_date", "rows_read", "imported_at"]
    search_fields = ["title", "slug", "source_org"]
    readonly_fields = ["rows_read", "imported_at", "metadata"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "dataset", "measure", "unit"]
    list_select_related = ["dataset"]
    search_fields = ["name", "label", "dataset__title", "dataset__slug"]
    list_filter = ["dataset"]
