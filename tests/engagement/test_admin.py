import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engagement.models import Exercise, FeedbackTheme, Priority, Response
from engagement.services import responses_moderate
from tests.engagement.conftest import make_exercise, submit

pytestmark = pytest.mark.django_db

ORDER = ["Best start", "Healthier lives", "Safe communities"]
XSS = "<script>alert(1)</script>"

CHANGELISTS = [
    "admin:engagement_exercise_changelist",
    "admin:engagement_priority_changelist",
    "admin:engagement_response_changelist",
    "admin:engagement_feedbacktheme_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_lists_load_for_an_admin(client, admin_user, exercise, name):
    submit(exercise, ORDER, free_text="Hello")
    client.force_login(admin_user)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_lists_are_refused_to_officers_and_the_public(client, officer_barnsley, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(officer_barnsley)
    assert client.get(reverse(name)).status_code == 302


def export(client, exercise, which="export"):
    response = client.get(reverse(f"admin:engagement_exercise_{which}", args=[exercise.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_one_row_per_response_and_no_contact_details(
    client, admin_user, exercise, barnsley
):
    submit(
        exercise,
        ORDER,
        place=barnsley,
        issues=["Help to stop smoking"],
        free_text="Line one\nline two",
        contact_email="sam@example.com",
    )
    submit(exercise, list(reversed(ORDER)), lives_elsewhere=True)
    client.force_login(admin_user)
    rows = export(client, exercise)
    header, first, second = rows
    assert header[:4] == ["response_id", "submitted_at", "place", "is_demo"]
    assert header[4:7] == ["rank: Healthier lives", "rank: Best start", "rank: Safe communities"]
    assert first[2] == "Barnsley" and first[4:7] == ["2", "1", "3"]
    assert first[7] == "Help to stop smoking" and first[10] == "Line one\nline two"
    assert second[2] == "Somewhere else" and second[4:7] == ["2", "3", "1"]
    assert "sam@example.com" not in str(rows)

    contacts = export(client, exercise, "export_contacts")
    assert contacts[0] == ["response_id", "name", "email", "consented_at"]
    assert [row[2] for row in contacts[1:]] == ["sam@example.com"]


def test_the_csv_export_defuses_formulas_and_keeps_scripts_as_plain_text(
    client, admin_user, exercise
):
    submit(exercise, ORDER, free_text='=HYPERLINK("http://evil.example","click")')
    submit(exercise, ORDER, free_text="+1 -2 @SUM(A1)")
    submit(exercise, ORDER, free_text=XSS)
    client.force_login(admin_user)
    texts = [row[10] for row in export(client, exercise)[1:]]
    assert texts == ['\'=HYPERLINK("http://evil.example","click")', "'+1 -2 @SUM(A1)", XSS]


def test_exports_need_permission_to_view_responses(client, exercise, django_user_model):
    staff = django_user_model.objects.create_user("staffer", is_staff=True)
    client.force_login(staff)
    url = reverse("admin:engagement_exercise_export", args=[exercise.pk])
    assert client.get(url).status_code == 403


def test_free_text_is_escaped_in_the_admin(client, admin_user, exercise):
    response = submit(exercise, ORDER, free_text=XSS).response
    client.force_login(admin_user)
    listing = client.get(reverse("admin:engagement_response_changelist")).text
    change = client.get(reverse("admin:engagement_response_change", args=[response.pk])).text
    for page in (listing, change):
        assert XSS not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_staff_moderate_with_admin_actions(client, admin_user, exercise):
    response = submit(exercise, ORDER, free_text="Publish me").response
    client.force_login(admin_user)
    client.post(
        reverse("admin:engagement_response_changelist"),
        {"action": "publish_quotes", "_selected_action": [response.pk]},
    )
    response.refresh_from_db()
    assert response.moderation == Response.Moderation.PUBLISHED
    assert response.quote == "Publish me" and response.moderated_by == admin_user


def test_staff_delete_contact_details_by_email_or_action(client, admin_user, exercise):
    one = submit(exercise, ORDER, contact_email="sam@example.com").response
    two = submit(exercise, ORDER, contact_email="kim@example.com").response
    client.force_login(admin_user)
    page = client.get(reverse("admin:engagement_response_delete_by_email"))
    assert page.status_code == 200
    client.post(reverse("admin:engagement_response_delete_by_email"), {"email": "SAM@example.com"})
    one.refresh_from_db()
    assert one.contact_email == ""
    client.post(
        reverse("admin:engagement_response_changelist"),
        {"action": "delete_contact_details", "_selected_action": [two.pk]},
    )
    two.refresh_from_db()
    assert two.contact_email == ""


def test_priorities_are_locked_once_responses_arrive(client, admin_user, exercise):
    client.force_login(admin_user)
    change = reverse("admin:engagement_exercise_change", args=[exercise.pk])
    locked = 'name="priorities-MAX_NUM_FORMS" value="0"'
    assert locked not in client.get(change).text
    priority = exercise.priorities.first()
    delete = reverse("admin:engagement_priority_delete", args=[priority.pk])
    priority_change = reverse("admin:engagement_priority_change", args=[priority.pk])
    assert delete in client.get(priority_change).text
    submit(exercise, ORDER)
    assert locked in client.get(change).text
    page = client.get(priority_change).text
    assert 'name="issues-MAX_NUM_FORMS" value="0"' in page
    assert delete not in page
    with pytest.raises(ValidationError):
        Priority(exercise=exercise, title="Late", order=9).full_clean()


def test_the_outcomes_action_adds_priorities(client, admin_user):
    exercise = make_exercise(slug="empty", titles=())
    client.force_login(admin_user)
    client.post(
        reverse("admin:engagement_exercise_changelist"),
        {"action": "add_outcomes_as_priorities", "_selected_action": [exercise.pk]},
    )
    assert exercise.priorities.count() == 4


def test_an_exercise_is_created_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    data = {
        "title": "Our next five years",
        "slug": "our-next-five-years",
        "introduction": "Tell us.",
        "opens_on": "2026-12-01",
        "closes_on": "2027-01-31",
        "ranking_question": "Put these in order",
        "issues_question": "Which issues?",
        "free_text_question": "Anything else?",
        "consent_statement": "We will only use it to reply.",
        "show_results": "on",
        "priorities-TOTAL_FORMS": "2",
        "priorities-INITIAL_FORMS": "0",
        "priorities-0-title": "Healthier lives",
        "priorities-0-order": "1",
        "priorities-1-title": "Best start",
        "priorities-1-order": "2",
    }
    response = client.post(reverse("admin:engagement_exercise_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise = Exercise.objects.get(slug="our-next-five-years")
    assert list(exercise.priorities.values_list("title", flat=True)) == [
        "Healthier lives",
        "Best start",
    ]
    bad = {**data, "slug": "forget", "title": "Clash"}
    assert client.post(reverse("admin:engagement_exercise_add"), bad).status_code == 200
    closes_first = {**data, "slug": "backwards", "closes_on": "2026-11-01"}
    assert client.post(reverse("admin:engagement_exercise_add"), closes_first).status_code == 200


def test_a_theme_needs_a_source(client, admin_user):
    client.force_login(admin_user)
    data = {"title": "Cost of living", "you_said": "Money.", "we_did": "Measured.", "order": 0}
    page = client.post(reverse("admin:engagement_feedbacktheme_add"), data)
    assert page.status_code == 200 and "Say where the feedback came from" in page.text
    data["source"] = "Strategy engagement, 2023"
    assert client.post(reverse("admin:engagement_feedbacktheme_add"), data).status_code == 302
    assert FeedbackTheme.objects.filter(title="Cost of living").exists()


def test_the_demo_moderation_queue_link(client, admin_user, exercise):
    submit(exercise, ORDER, free_text="Waiting")
    client.force_login(admin_user)
    page = client.get(reverse("admin:engagement_exercise_changelist")).text
    assert "moderation__exact=pending" in page
    responses_moderate(
        responses=Response.objects.all(), decision=Response.Moderation.REJECTED, user=admin_user
    )
