from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User

from places.models import Membership, Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "former_codes_display", "kind", "parent", "population", "order"]
    list_filter = ["kind", "parent"]
    search_fields = ["name", "code", "former_codes", "slug"]
    ordering = ["order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    @admin.display(description="Former codes")
    def former_codes_display(self, place: Place) -> str:
        return ", ".join(place.former_codes) or "–"


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["role", "place"]
    autocomplete_fields = ["place"]
    extra = 0


class UserAdmin(DjangoUserAdmin):
    inlines = [*DjangoUserAdmin.inlines, MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "roles"]
    list_filter = [*DjangoUserAdmin.list_filter, "memberships__role", "memberships__place"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__place")

    @admin.display(description="Roles")
    def roles(self, user: User) -> str:
        return (
            "; ".join(
                f"{m.get_role_display().split(' (')[0]}: {m.place or 'every place'}"
                for m in user.memberships.all()
            )
            or "–"
        )


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
