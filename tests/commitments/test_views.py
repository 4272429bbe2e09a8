"""The public commitments pages and the officers' pages, role by role."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Partner,
    UpdateState,
)
from commitments.selectors import commitments_for_outcome
from outcomes.models import Outcome
from places.models import Place

LIST = reverse("commitments:list")
MANAGE = reverse("commitments:manage")
SUBMITTED_TEXT = "Guidance adopted in Doncaster."  # the demo's submitted, unreviewed update
DRAFT_TEXT = "Evaluation report drafted."  # the demo's draft


def more_commitments(n: int) -> None:
    """n more commitments, each in two places with two published updates and a draft."""
    partner = Partner.objects.create(name="Extra partner", slug="extra-partner")
    outcome = Outcome.objects.first()
    places = list(Place.objects.places()[:2])
    now = timezone.now()
    for i in range(n):
        commitment = Commitment.objects.create(
            title=f"Extra {i}",
            slug=f"extra-{i}",
            summary="More.",
            outcome=outcome,
            lead_partner=partner,
            due_date=datetime.date(2027, 1, 1),
        )
        commitment.places.set(places)
        for day, state in [(1, "published"), (2, "published"), (3, "draft")]:
            CommitmentUpdate.objects.create(
                commitment=commitment,
                as_of=datetime.date(2026, 1, day),
                status=CommitmentStatus.ON_TRACK,
                progress="Fine.",
                state=state,
                published_at=now if state == "published" else None,
            )


def test_the_list_shows_every_commitment_with_its_public_status(client, demo_commitments):
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["commitments"][0].public_status == CommitmentStatus.AT_RISK
    for commitment in demo_commitments.values():
        assert commitment.title in response.text
    assert "<h1>Partners' commitments</h1>" in response.text


def test_the_list_costs_the_same_queries_with_more_commitments(
    client, demo_commitments, django_assert_num_queries
):
    # commitments + places + measures; the filter form's outcomes, places and partners (a count
    # and a fetch each, as Django's ModelChoiceIterator does)
    with django_assert_num_queries(9):
        client.get(LIST)
    more_commitments(15)
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["commitments"]) == 19


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=at_risk", ["national-centre-child-health-technology"]),
        ("status=delayed&status=at_risk", None),
        ("place=doncaster", None),
        ("partner=rotherham-council", ["limit-hot-food-takeaways-near-schools"]),
        ("outcome=skills-and-resources-to-thrive", ["working-win"]),
        ("place=sheffield&status=on_track", None),
    ],
)
def test_the_list_filters(client, demo_commitments, query, expected):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    got = [c.slug for c in response.context["commitments"]]
    if expected is None:  # compare with the same filter done in the ORM
        qs = Commitment.objects.with_public_status()
        for part in query.split("&"):
            key, value = part.split("=")
            if key == "status":
                continue
            qs = qs.filter(**{"places__slug" if key == "place" else key: value})
        statuses = [p.split("=")[1] for p in query.split("&") if p.startswith("status=")]
        if statuses:
            qs = qs.with_status(*statuses)
        expected = list(qs.values_list("slug", flat=True))
    assert sorted(got) == sorted(expected)
    assert got  # each filter here matches something


def test_an_unknown_filter_value_is_an_error_beside_its_field(client, demo_commitments):
    response = client.get(f"{LIST}?outcome=nowhere&status=lost")
    assert response.status_code == 200
    assert response.context["commitments"] == []
    assert "There is a problem" in response.text
    assert "nhsuk-error-message" in response.text
    assert "<title>Error:" in response.text


def test_htmx_gets_the_results_fragment_and_the_page_gets_everything(client, demo_commitments):
    page = client.get(f"{LIST}?status=delayed")
    fragment = client.get(f"{LIST}?status=delayed", headers={"HX-Request": "true"})
    assert "<html" in page.text and 'id="results"' in page.text
    assert "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<div id="results">')
    assert "Build warm, affordable housing" in fragment.text
    assert "Working Win" not in fragment.text
    assert "HX-Request" in fragment["Vary"] and "HX-Request" in page["Vary"]


def test_the_page_shows_only_published_updates(client, demo_commitments):
    response = client.get(
        reverse("commitments:detail", args=["limit-hot-food-takeaways-near-schools"])
    )
    assert response.status_code == 200
    assert "Consultation closed with 1,140 responses" in response.text
    assert SUBMITTED_TEXT not in response.text
    response = client.get(reverse("commitments:detail", args=["working-win"]))
    assert DRAFT_TEXT not in response.text
    assert "Demonstration" in response.text


def test_the_page_shows_published_themes_linked_to_it(client, demo_commitments):
    from engagement.models import FeedbackTheme

    housing = demo_commitments["warm-affordable-housing"]
    shown = FeedbackTheme.objects.create(title="Cold homes", you_said="Damp.", we_did="Insulated.")
    hidden = FeedbackTheme.objects.create(
        title="Hidden theme", you_said="-", we_did="-", is_published=False
    )
    housing.feedback_themes.add(shown, hidden)
    response = client.get(housing.get_absolute_url())
    assert "Cold homes" in response.text and "Insulated." in response.text
    assert "Hidden theme" not in response.text


def test_an_unknown_commitment_is_404(client, db):
    assert client.get(reverse("commitments:detail", args=["nothing"])).status_code == 404


def test_the_outcome_include_costs_four_queries(demo_commitments, django_assert_num_queries):
    from django.template.loader import render_to_string

    outcome = Outcome.objects.get(slug="skills-and-resources-to-thrive")
    more_commitments(5)
    with django_assert_num_queries(4):
        commitments = commitments_for_outcome(outcome)
        html = render_to_string(
            "commitments/_outcome_commitments.html",
            {"outcome": outcome, "commitments": commitments, "today": datetime.date(2026, 11, 24)},
        )
    assert "Working Win" in html and DRAFT_TEXT not in html
    assert "1,350 people joined the scheme" in html


# --- officers ---------------------------------------------------------------------------------


def test_the_officers_pages_need_a_login(client, demo_commitments, settings):
    settings.LOGIN_URL = "/accounts/login/"  # the front end's login page
    for url in [
        MANAGE,
        reverse("commitments:update-create", args=["working-win"]),
        reverse("commitments:update-review", args=[CommitmentUpdate.objects.first().pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_an_officer_sees_their_commitments(client, demo_commitments, officer_doncaster):
    client.force_login(officer_doncaster)
    response = client.get(MANAGE)
    assert response.status_code == 200
    slugs = {c.slug for c in response.context["commitments"]}
    assert slugs == {
        "limit-hot-food-takeaways-near-schools",
        "warm-affordable-housing",
        "working-win",
    }


def test_an_officer_posts_an_update_for_review(client, demo_commitments, officer_doncaster):
    client.force_login(officer_doncaster)
    url = reverse("commitments:update-create", args=["working-win"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "as_of": "2026-11-20",
            "status": "at_risk",
            "progress": "Referrals fell in Doncaster.",
            "next_steps": "",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    update = CommitmentUpdate.objects.get(progress="Referrals fell in Doncaster.")
    assert update.state == UpdateState.SUBMITTED and update.author == officer_doncaster
    public = client.get(reverse("commitments:detail", args=["working-win"]))
    assert "Referrals fell in Doncaster." not in public.text


def test_an_invalid_update_re_renders_with_errors(client, demo_commitments, officer_doncaster):
    client.force_login(officer_doncaster)
    url = reverse("commitments:update-create", args=["working-win"])
    response = client.post(url, {"as_of": "2999-01-01", "status": "", "progress": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "cannot be in the future" in response.text
    assert CommitmentUpdate.objects.filter(as_of=datetime.date(2999, 1, 1)).count() == 0


def test_an_officer_of_another_place_gets_404(client, demo_commitments, officer_doncaster):
    client.force_login(officer_doncaster)
    url = reverse("commitments:update-create", args=["national-centre-child-health-technology"])
    assert client.get(url).status_code == 404


def test_an_approver_publishes_from_the_queue(client, demo_commitments, approver):
    client.force_login(approver)
    submitted = CommitmentUpdate.objects.get(state=UpdateState.SUBMITTED)
    queue = client.get(MANAGE)
    assert submitted in queue.context["to_review"]
    url = reverse("commitments:update-review", args=[submitted.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == UpdateState.PUBLISHED and submitted.reviewed_by == approver
    public = client.get(reverse("commitments:detail", args=[submitted.commitment.slug]))
    assert SUBMITTED_TEXT in public.text


def test_an_approver_returns_with_a_reason(client, demo_commitments, approver):
    client.force_login(approver)
    submitted = CommitmentUpdate.objects.get(state=UpdateState.SUBMITTED)
    url = reverse("commitments:update-review", args=[submitted.pk])
    response = client.post(url, {"action": "return", "reason": ""})
    assert response.status_code == 200 and "There is a problem" in response.text
    response = client.post(url, {"action": "return", "reason": "Which cabinet date?"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == UpdateState.RETURNED


def test_the_author_cannot_open_the_review_of_their_update(
    client, demo_commitments, officer_rotherham
):
    from places.models import Membership

    Membership.objects.create(user=officer_rotherham, place=None, role=Membership.Role.APPROVER)
    submitted = CommitmentUpdate.objects.get(state=UpdateState.SUBMITTED)
    assert submitted.author == officer_rotherham
    client.force_login(officer_rotherham)
    url = reverse("commitments:update-review", args=[submitted.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "publish"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == UpdateState.SUBMITTED
    assert submitted not in client.get(MANAGE).context["to_review"]


def test_an_officer_cannot_review(client, demo_commitments, officer_sheffield):
    client.force_login(officer_sheffield)
    submitted = CommitmentUpdate.objects.get(state=UpdateState.SUBMITTED)
    url = reverse("commitments:update-review", args=[submitted.pk])
    assert client.post(url, {"action": "publish"}).status_code == 404
