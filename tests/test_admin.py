import io

import pytest
from django.urls import reverse

from outcomes.models import Measure, Value

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:places_place_changelist",
    "admin:outcomes_outcome_changelist",
    "admin:outcomes_theme_changelist",
    "admin:outcomes_measure_changelist",
    "admin:outcomes_period_changelist",
    "admin:outcomes_value_changelist",
    "admin:outcomes_breakdown_changelist",
    "admin:auth_user_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_lists_load_for_an_admin(client, admin_user, name):
    client.force_login(admin_user)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_is_refused_to_officers_and_the_public(client, officer_barnsley, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(officer_barnsley)
    assert client.get(reverse(name)).status_code == 302


def test_values_are_reachable_from_their_measure_and_filter(client, admin_user):
    client.force_login(admin_user)
    measure = Measure.objects.get(slug="male-healthy-life-expectancy")
    response = client.get(reverse("admin:outcomes_measure_changelist"))
    link = reverse("admin:outcomes_value_changelist") + f"?measure__id__exact={measure.pk}"
    assert (
        link.replace("&", "&amp;") in response.content.decode() or link in response.content.decode()
    )
    response = client.get(link)
    assert (
        response.context["cl"].result_count == Value.objects.filter(measure=measure).count() == 84
    )


def test_value_list_filters_by_place_and_state_and_searches(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:outcomes_value_changelist")
    response = client.get(url, {"place__id__exact": 3, "state__exact": "published"})
    assert response.status_code == 200
    response = client.get(url, {"q": "Doncaster"})
    assert (
        response.context["cl"].result_count == Value.objects.filter(place__name="Doncaster").count()
    )


def test_audit_fields_are_read_only(client, admin_user):
    client.force_login(admin_user)
    value = Value.objects.first()
    response = client.get(reverse("admin:outcomes_value_change", args=[value.pk]))
    form = response.context["adminform"].form
    for name in ["version", "entered_by", "entered_at", "updated_at", "published_at"]:
        assert name not in form.fields


def test_a_neighbourhood_needs_a_parent_place(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:places_place_add"),
        {
            "name": "Dearne",
            "slug": "dearne",
            "code": "E99000001",
            "former_codes": "",
            "kind": "neighbourhood",
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert "A neighbourhood belongs to a place." in response.content.decode()


def test_another_partnership_is_data_not_code(client):
    from django.core.management import call_command

    from outcomes.models import Outcome, Theme

    call_command("load_reference", "fixtures/lancashire_south_cumbria", stdout=io.StringIO())
    assert Theme.objects.count() == 4
    assert Outcome.objects.filter(theme__slug="living-well").count() == 3
    assert Outcome.objects.filter(slug__startswith="lsc-").count() == 6


def test_the_admin_cannot_move_a_published_value_to_another_period_place_or_measure(
    client, admin_user
):
    """Issue 14, finding 8: the admin changed a published value's identity with no event and
    no version bump. The value is now view-only; a period with values keeps its span."""
    import datetime

    from outcomes.models import Period

    client.force_login(admin_user)
    value = Value.objects.published().select_related("period").first()
    other = Period.objects.exclude(pk=value.period_id).first()
    url = reverse("admin:outcomes_value_change", args=[value.pk])
    page = client.get(url)
    assert page.status_code == 200  # still there to read
    assert not page.context["adminform"].form.fields  # nothing to change
    response = client.post(
        url,
        {"measure": value.measure_id, "place": value.place_id, "period": other.pk},
    )
    assert response.status_code == 403
    unchanged = Value.objects.get(pk=value.pk)
    assert (unchanged.period_id, unchanged.version) == (value.period_id, value.version)

    period = value.period
    period_url = reverse("admin:outcomes_period_change", args=[period.pk])
    form = client.get(period_url).context["adminform"].form
    assert "start" not in form.fields and "end" not in form.fields
    client.post(period_url, {"start": "1999-01-01", "end": "1999-12-31", "type": period.type})
    period.refresh_from_db()
    assert period.start != datetime.date(1999, 1, 1)
