"""Officers' and approvers' pages: enter, correct, submit, approve, return, delete; both without
JavaScript (full pages, redirects) and with htmx (fragments)."""

from datetime import UTC
from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.models import Proposal, Value, ValueEvent
from tests.outcomes.workflow_helpers import new_value, published, signed_in_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NEW_URL = reverse("manage:value_new", args=["doncaster", "employment-rate"])


def post_new(client, headers=None, **data):
    form = {"period": "2024", "value": "70.5", "lower_ci": "", "upper_ci": ""} | data
    return client.post(NEW_URL, form, **(headers or {}))


@pytest.fixture
def doncaster_client(client, officer_doncaster):
    client.force_login(officer_doncaster)
    return client


def test_my_measures_lists_the_officers_places_and_their_state(doncaster_client, officer_doncaster):
    draft = new_value(officer_doncaster, submit=True)
    response = doncaster_client.get(reverse("manage:index"))
    assert response.status_code == 200
    assert [group.place.slug for group in response.context["places"]] == ["doncaster"]
    rows = response.context["places"][0].rows
    assert len(rows) == 23  # 17 with values, persistent absence and 5 Core20PLUS5 measures
    employment = next(r for r in rows if r.measure.slug == "employment-rate")
    assert employment.latest.period.label == "2023"
    assert [p.value_id for p in employment.waiting] == [draft.pk]
    assert employment.due.tone == "done"  # due 15 Apr 2026; a value is in progress
    smoking = next(r for r in rows if r.measure.slug == "adults-who-smoke")
    assert smoking.due.tone == "overdue" and smoking.due.text == "Overdue since 1 Dec 2025"
    content = response.content.decode()
    assert "Sheffield" not in content
    assert "Submitted" in content


def test_my_measures_takes_a_fixed_number_of_queries(
    client, officer_doncaster, django_assert_num_queries
):
    client.force_login(officer_doncaster)
    with django_assert_num_queries(signed_in_queries() + 6):
        client.get(reverse("manage:index"))
    for year in (2024, 2025):
        new_value(officer_doncaster, year=year, submit=True)
        new_value(officer_doncaster, measure="economic-inactivity", year=year)
    with django_assert_num_queries(signed_in_queries() + 6):
        response = client.get(reverse("manage:index"))
    assert "Draft" in response.content.decode()


def test_the_slot_page_lists_every_period_with_its_state(doncaster_client, officer_doncaster):
    new_value(officer_doncaster, submit=True)
    response = doncaster_client.get(reverse("manage:slot", args=["doncaster", "employment-rate"]))
    assert response.status_code == 200
    labels = [value.period.label for value, _ in response.context["rows"]]
    assert labels[:3] == ["2024", "2023", "2022"] and len(labels) == 21
    assert response.context["rows"][0][1].state == "submitted"


def test_entering_a_new_value_saves_a_draft_and_redirects(doncaster_client, officer_doncaster):
    response = doncaster_client.get(NEW_URL)
    assert response.status_code == 200
    assert response.context["form"].suggestions[:2] == ["2024", "2025"]
    response = post_new(doncaster_client, lower_ci="69.0", upper_ci="72", source="ONS APS")
    value = Value.objects.get(
        place__slug="doncaster", measure__slug="employment-rate", period__start="2024-01-01"
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "manage:value", args=[value.pk]
    )
    proposal = Proposal.objects.get(value=value)
    assert (proposal.state, proposal.value_figure, proposal.upper_ci, proposal.source) == (
        "draft",
        Decimal("70.5"),
        Decimal("72"),
        "ONS APS",
    )
    assert not Value.objects.published().filter(pk=value.pk).exists()
    page = doncaster_client.get(response["Location"])
    assert "Saved as a draft" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "104"}, "value", "A percentage must be between 0 and 100"),
        ({"value": "seventy"}, "value", "Enter the value as a number"),
        ({"value": ""}, "value", "Enter the value"),
        ({"lower_ci": "71", "upper_ci": "75"}, "lower_ci", "must contain the value 70.5"),
        ({"lower_ci": "72", "upper_ci": "69"}, "lower_ci", "must not be above the upper limit"),
        ({"lower_ci": "69"}, "upper_ci", "Give both ends of the 95% confidence interval"),
        ({"period": "2024/25"}, "period", "is a financial year (April to March), but Employment"),
        ({"period": "2030"}, "period", "The period 2030 is in the future"),
        ({"period": "2026"}, "period", "The period 2026 has not ended yet"),
        ({"period": "last year"}, "period", "Enter the period like 2024"),
        ({"period": "2023"}, "period", "2023 already has a value; correct that one instead"),
        ({"period": ""}, "period", "Enter the period the value is for"),
    ],
)
def test_errors_appear_beside_the_field_and_in_the_summary(doncaster_client, data, field, message):
    response = post_new(doncaster_client, **data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    content = response.content.decode()
    assert 'class="nhsuk-error-summary"' in content
    assert f'href="#id_{field}"' in content  # the summary links to the field
    assert f'id="id_{field}_error"' in content  # the message sits beside the field
    assert content.count(message.split(";")[0][:30]) >= 2
    assert response.context["form"].is_bound
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2024-01-01", place__slug="doncaster"
    ).exists()


def test_a_taken_period_links_to_the_value_it_already_has(doncaster_client):
    response = post_new(doncaster_client, period="2023")
    existing = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2023-01-01"
    )
    assert f'href="/manage/values/{existing.pk}/">Open the value for 2023' in (
        response.content.decode()
    )


def test_a_big_move_from_the_previous_period_asks_for_confirmation(doncaster_client):
    response = post_new(doncaster_client, value="95")  # 2023 was 74.5%: +27.5%
    assert response.status_code == 200
    assert "This value is 28% higher than 2023 (74.5%)" in response.content.decode()
    assert 'name="confirm_change"' in response.content.decode()
    assert not Proposal.objects.filter(value__period__start="2024-01-01").exists()
    response = post_new(doncaster_client, value="95", confirm_change="on")
    assert response.status_code == 302
    assert Proposal.objects.get(value__period__start="2024-01-01", value__place__slug="doncaster")


def test_a_small_move_saves_without_the_checkbox(doncaster_client):
    response = doncaster_client.get(NEW_URL)
    assert 'name="confirm_change"' not in response.content.decode()
    assert post_new(doncaster_client, value="76").status_code == 302


def test_htmx_gets_and_posts_the_form_as_a_fragment(doncaster_client):
    response = doncaster_client.get(NEW_URL, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert content.lstrip().startswith('<div id="value-editor">')
    assert f'hx-post="{NEW_URL}"' in content and f'action="{NEW_URL}"' in content
    assert response["Vary"] and "HX-Request" in response["Vary"]
    error = post_new(doncaster_client, HTMX, value="104")
    assert error.status_code == 200 and "<html" not in error.content.decode()
    assert "between 0 and 100" in error.content.decode()
    saved = post_new(doncaster_client, HTMX)
    assert saved.status_code == 200
    assert saved.content.decode().lstrip().startswith('<div id="value-panel">')
    assert "Saved as a draft" in saved.content.decode()


def test_correcting_a_published_value_needs_a_reason_and_keeps_the_public_figure(
    doncaster_client,
):
    value = published()
    url = reverse("manage:value_edit", args=[value.pk])
    form = doncaster_client.get(url).context["form"]
    assert form.initial["value"] == value.value and form.initial["version"] == value.version
    response = doncaster_client.post(url, {"value": "74.9", "version": value.version})
    assert response.status_code == 200
    assert "Say why the published value is changing" in response.content.decode()
    response = doncaster_client.post(
        url, {"value": "74.9", "version": value.version, "reason": "ONS revised the estimate"}
    )
    assert response.status_code == 302
    assert Value.objects.published().get(pk=value.pk).value == value.value
    assert Proposal.objects.get(value=value).reason == "ONS revised the estimate"


def test_a_stale_save_is_refused_and_shows_the_other_change(client, officer_doncaster, admin_user):
    value = published()
    url = reverse("manage:value_edit", args=[value.pk])
    loaded = value.version
    client.force_login(admin_user)
    client.post(
        url,
        {"value": "74.8", "version": loaded, "reason": "First correction", "source": "ONS table 3"},
    )
    client.force_login(officer_doncaster)
    response = client.post(url, {"value": "74.1", "version": loaded, "reason": "Second"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else changed this value while you were working on it" in content
    assert "Demo admin" in content and "74.8%" in content and "ONS table 3" in content
    proposal = Proposal.objects.get(value=value)
    assert proposal.value_figure == Decimal("74.8") and proposal.entered_by == admin_user
    # The form now carries the current version: saving again, having seen it, is deliberate.
    assert response.context["form"]["version"].value() == loaded + 1
    again = client.post(url, {"value": "74.1", "version": loaded + 1, "reason": "Second"})
    assert again.status_code == 302
    assert Proposal.objects.get(value=value).value_figure == Decimal("74.1")


def test_submit_approve_publish_without_javascript(client, officer_doncaster, approver):
    value = new_value(officer_doncaster)
    client.force_login(officer_doncaster)
    response = client.post(
        reverse("manage:value_submit", args=[value.pk]), {"version": value.version}
    )
    assert response.status_code == 302
    assert Proposal.objects.get(value=value).state == "submitted"
    client.force_login(approver)
    queue = client.get(reverse("manage:review"))
    assert [p.value_id for p in queue.context["proposals"]] == [value.pk]
    response = client.post(
        reverse("manage:value_approve", args=[value.pk]),
        {"version": value.version + 1, "next": "queue"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("manage:review")
    assert Value.objects.published().get(pk=value.pk).value == Decimal("70.5")
    assert "Published 2024." in client.get(response["Location"]).content.decode()


def test_approve_from_the_queue_with_htmx_replaces_the_row(client, officer_doncaster, approver):
    value = new_value(officer_doncaster, submit=True)
    client.force_login(approver)
    response = client.post(
        reverse("manage:value_approve", args=[value.pk]),
        {"version": value.version, "next": "queue"},
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<tr class="nhsuk-table__row" id="queue-{value.pk}">')
    assert "Published 2024." in content
    stale = client.post(
        reverse("manage:value_approve", args=[value.pk]),
        {"version": value.version, "next": "queue"},
        **HTMX,
    )
    assert "Someone changed this value since you opened it" in stale.content.decode()


def test_return_needs_a_comment_shown_beside_the_field(client, officer_doncaster, approver):
    value = new_value(officer_doncaster, submit=True)
    client.force_login(approver)
    url = reverse("manage:value_return", args=[value.pk])
    response = client.post(url, {"version": value.version, "comment": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Say what needs to change before it can be published" in content
    assert 'href="#id_comment"' in content and 'id="id_comment_error"' in content
    response = client.post(url, {"version": value.version, "comment": "Wrong year"}, **HTMX)
    assert response.status_code == 200 and "Returned to the officers" in response.content.decode()
    assert Proposal.objects.get(value=value).state == "returned"
    client.force_login(officer_doncaster)
    page = client.get(reverse("manage:value", args=[value.pk])).content.decode()
    assert "Wrong year" in page and "Returned" in page


def test_an_approver_who_entered_the_value_cannot_approve_it(client, admin_user):
    value = new_value(admin_user, submit=True)
    client.force_login(admin_user)
    page = client.get(reverse("manage:value", args=[value.pk])).content.decode()
    assert "another approver must review them" in page and "Approve and publish" not in page
    response = client.post(
        reverse("manage:value_approve", args=[value.pk]), {"version": value.version}
    )
    assert response.status_code == 403
    # The refusal is a page that says why (issue 14), not a bare "403 Forbidden".
    html = response.content.decode()
    assert "<h1>You cannot do that</h1>" in html
    assert "You entered these figures, so someone else must review them." in html
    assert not Value.objects.published().filter(pk=value.pk).exists()


def test_delete_a_draft(client, officer_doncaster):
    value = new_value(officer_doncaster)
    client.force_login(officer_doncaster)
    response = client.post(
        reverse("manage:value_delete", args=[value.pk]), {"version": value.version}, **HTMX
    )
    assert response.status_code == 200 and "Deleted." in response.content.decode()
    assert not Proposal.objects.open().filter(value=value).exists()
    assert list(value.events.values_list("action", flat=True)) == ["create", "delete"]


def test_the_history_shows_every_change_with_who_and_the_figures(
    client, officer_doncaster, approver
):
    value = new_value(officer_doncaster, submit=True)
    client.force_login(approver)
    client.post(
        reverse("manage:value_return", args=[value.pk]),
        {"version": value.version, "comment": "Check the CI"},
    )
    response = client.get(reverse("manage:value", args=[value.pk]))
    events = list(response.context["events"])
    assert [e.action for e in events] == ["return", "submit", "create"]
    content = response.content.decode()
    for text in (
        "Returned",
        "Submitted for review",
        "Created",
        "Check the CI",
        "70.5%",
        "Doncaster officer",
        "Demo approver",
    ):
        assert text in content


def test_the_approval_queue_shows_the_previous_value_and_the_change(
    client, officer_doncaster, officer_sheffield, approver, django_assert_num_queries
):
    from outcomes.services.review import proposal_save, proposal_submit
    from tests.outcomes.workflow_helpers import figures

    new_value(officer_doncaster, submit=True)  # 2024: 70.5 vs 2023's 74.5
    correction = published(place="sheffield")
    proposal_save(
        user=officer_sheffield,
        measure=correction.measure,
        place=correction.place,
        period=correction.period,
        expected_version=correction.version,
        figures=figures("70.0"),
        reason="Revised",
    )
    proposal_submit(
        user=officer_sheffield, value=correction, expected_version=correction.version + 1
    )
    client.force_login(approver)
    with django_assert_num_queries(signed_in_queries() + 2):
        response = client.get(reverse("manage:review"))
    rows = {p.value.place.slug: p for p in response.context["proposals"]}
    assert rows["doncaster"].baseline == ("Previous period (2023)", Decimal("74.5"))
    assert rows["doncaster"].change == "-4.0 (-5.4%)"
    label, base = rows["sheffield"].baseline
    assert label == "Published now" and base == correction.value
    content = response.content.decode()
    assert "Previous period (2023): 74.5%" in content and "-4.0 (-5.4%)" in content
    for measure in ("economic-inactivity", "gross-disposable-household-income"):
        new_value(officer_doncaster, measure=measure, value="20", submit=True)
    with django_assert_num_queries(signed_in_queries() + 2):
        response = client.get(reverse("manage:review"))
    assert len(response.context["proposals"]) == 4


def test_the_revision_log_include_renders_sentences():
    from django.template.loader import render_to_string

    from outcomes.revisions import Revision, RevisionLogEntry

    value = published()
    from datetime import datetime

    entry = RevisionLogEntry(
        value=value,
        first_published_at=datetime(2026, 3, 12, 10, tzinfo=UTC),
        first_figure="31.2%",
        revisions=[
            Revision(
                at=datetime(2026, 6, 4, 9, tzinfo=UTC),
                figure="31.0%",
                reason="source corrected",
                changed=["value"],
            )
        ],
    )
    html = render_to_string("dashboards/_revision_log.html", {"revision_log": [entry]})
    text = " ".join(html.split())
    assert "Doncaster, 2023</strong> first published" in text
    assert "12 Mar 2026</time> as 31.2%; revised" in text
    assert "4 Jun 2026</time> to 31.0% (source corrected)." in text
    assert entry.sentence == (
        "2023 first published 12 Mar 2026 as 31.2%; revised 4 Jun 2026 to 31.0% (source corrected)."
    )
    empty = render_to_string("dashboards/_revision_log.html", {"revision_log": []})
    assert "No published value of this measure has been revised." in empty


def test_events_are_not_lost_when_nothing_changes(client, officer_doncaster):
    value = new_value(officer_doncaster)
    client.force_login(officer_doncaster)
    url = reverse("manage:value_edit", args=[value.pk])
    response = client.post(url, {"value": "70.5", "version": value.version})
    assert response.status_code == 302
    assert ValueEvent.objects.filter(value=value).count() == 1


def test_the_history_of_an_imported_value_names_the_import(client, approver):
    value = published()
    client.force_login(approver)
    response = client.get(reverse("manage:value", args=[value.pk]))
    assert response.status_code == 200
    assert [e.action for e in response.context["events"]] == ["import"]
    assert "Imported and published" in response.content.decode()


def test_submit_all_drafts_submits_each_at_the_version_shown(client, officer_doncaster, admin_user):
    from outcomes.services.review import proposal_save
    from tests.outcomes.workflow_helpers import figures

    drafts = [
        new_value(officer_doncaster, measure=slug, value=figure)
        for slug, figure in [
            ("employment-rate", "74"),
            ("economic-inactivity", "23"),
            ("adults-who-smoke", "18"),
        ]
    ]
    client.force_login(officer_doncaster)
    page = client.get(reverse("manage:index"))
    assert len(page.context["drafts"]) == 3
    assert "Submit all 3 for review" in page.content.decode()
    posted = [f"{v.pk}:{v.version}" for v in drafts]
    changed = drafts[1]  # someone changes one after the page was loaded
    proposal_save(
        user=admin_user,
        measure=changed.measure,
        place=changed.place,
        period=changed.period,
        expected_version=changed.version,
        figures=figures("23.5"),
    )
    response = client.post(reverse("manage:submit_drafts"), {"draft": posted}, follow=True)
    states = {p.value_id: p.state for p in Proposal.objects.filter(value__in=drafts)}
    assert states == {drafts[0].pk: "submitted", drafts[1].pk: "draft", drafts[2].pk: "submitted"}
    content = response.content.decode()
    assert "Submitted 2 values for review." in content
    assert "Economic inactivity rate, ages 16 to 64, Doncaster, 2024 was not submitted" in content
    assert "changed since you loaded the page (by Demo admin)" in content


def test_a_period_whose_draft_was_deleted_can_be_entered_again(client, officer_doncaster):
    from outcomes.services.review import proposal_delete

    value = new_value(officer_doncaster)
    proposal_delete(user=officer_doncaster, value=value, expected_version=value.version)
    client.force_login(officer_doncaster)
    response = post_new(client, value="71.0")
    assert response.status_code == 302
    proposal = Proposal.objects.open().get(value=value)
    assert proposal.value_figure == Decimal("71")
    assert [e.action for e in value.events.all()] == ["create", "delete", "create"]


# --- counts, the computed interval and the checks (issue 11) -----------------------------------


def test_numerator_50_of_329_saves_and_shows_15_2_percent_with_its_wilson_interval(
    doncaster_client,
):
    # 50 / 329 = 15.198%; Wilson 95%: 11.7% to 19.5%. The value may be left for the form to
    # calculate; the 2023 value was 74.5%, so the big move needs confirming.
    checked = post_new(
        doncaster_client,
        value="",
        numerator="50",
        denominator="329",
        confirm_change="on",
        check="1",
    )
    assert checked.status_code == 200
    html = checked.content.decode()
    assert "What the public pages will show" in html
    assert "11.7% to 19.5%" in html and "Wilson score" in html
    assert "Calculated from 50 / 329, rounded to 1 decimal place." in html
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2024-01-01", place__slug="doncaster"
    ).exists()

    saved = post_new(
        doncaster_client, value="15.2", numerator="50", denominator="329", confirm_change="on"
    )
    assert saved.status_code == 302, saved.context["form"].errors
    proposal = Proposal.objects.get(
        value__place__slug="doncaster", value__period__start="2024-01-01"
    )
    assert (proposal.value_figure, proposal.numerator, proposal.denominator) == (
        Decimal("15.2"),
        Decimal(50),
        Decimal(329),
    )
    page = doncaster_client.get(saved["Location"]).content.decode()
    assert "15.2%" in page
    assert "11.7% to 19.5%, calculated by Wilson score from the numerator and denominator" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"numerator": "50.5", "denominator": "329"}, "numerator", "as a whole number"),
        (
            {"value": "33.0", "numerator": "50", "denominator": "329"},
            "value",
            "The value 33 does not match its numerator and denominator: 50 / 329 × 100 = 15.2%",
        ),
        ({"value": "", "numerator": "", "denominator": ""}, "value", "Enter the value"),
        ({"numerator": "400", "denominator": "329"}, "numerator", "is more than the denominator"),
    ],
)
def test_counts_that_disagree_with_the_value_are_an_error_beside_the_field(
    doncaster_client, data, field, message
):
    response = post_new(doncaster_client, confirm_change="on", **data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), (
        response.context["form"].errors
    )
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2024-01-01", place__slug="doncaster"
    ).exists()
