import pytest
from django.urls import reverse

from engagement.models import FeedbackTheme, Response
from engagement.services import responses_moderate
from places.models import Place
from tests.engagement.conftest import make_exercise, rank_data, submit

pytestmark = pytest.mark.django_db

ORDER = ["Best start", "Healthier lives", "Safe communities"]
XSS = "<script>alert(1)</script>"


def url(exercise, name="exercise"):
    return reverse(f"engagement:{name}", kwargs={"slug": exercise.slug})


def post(client, exercise, data=None, order=ORDER, **extra):
    return client.post(url(exercise), {**rank_data(exercise, order), **(data or {})}, **extra)


# -- taking part ----------------------------------------------------------------------------


def test_the_form_has_a_rank_select_for_each_priority_and_issue_checkboxes(client, exercise):
    response = client.get(url(exercise))
    assert response.status_code == 200
    assert response.context["form"].is_bound is False
    for priority in exercise.priorities.all():
        assertion = f'<label class="nhsuk-label nhsuk-label--s" for="id_rank_{priority.pk}">'
        assert assertion in response.text
    assert 'value="3">3 (least important)</option>' in response.text
    assert "Access to GP appointments" in response.text
    assert 'name="place" type="radio" value="not-given">' in response.text  # nothing pre-chosen
    assert 'type="radio" value="barnsley">' in response.text
    assert "data-ranking-selects" in response.text and "js/ranking.js" in response.text
    assert "<script>" not in response.text.replace("<script src=", "")  # no inline scripts
    assert 'style="' not in response.text


def test_the_form_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    small = make_exercise(slug="small")
    big = make_exercise(
        slug="big",
        titles=tuple(f"Priority {i}" for i in range(8)),
        issues={i: [f"Issue {i}.{j}" for j in range(5)] for i in range(8)},
    )
    with django_assert_num_queries(4):  # exercise, priorities, issues, places
        client.get(url(small))
    with django_assert_num_queries(4):
        client.get(url(big))


def test_a_true_ordering_is_saved_and_thanked(client, exercise, barnsley):
    issue = exercise.priorities.get(title="Healthier lives").issues.first()
    response = post(
        client,
        exercise,
        {
            f"issues_{issue.priority_id}": [str(issue.pk)],
            "free_text": "More GPs",
            "place": "barnsley",
        },
    )
    assert response.status_code == 302 and response["Location"] == url(exercise, "thanks")
    saved = Response.objects.get(exercise=exercise)
    assert dict(saved.rankings.values_list("priority__title", "rank")) == {
        "Best start": 1,
        "Healthier lives": 2,
        "Safe communities": 3,
    }
    assert saved.place == barnsley and saved.free_text == "More GPs"
    assert [p.issue for p in saved.issue_picks.all()] == [issue]
    thanks = client.get(url(exercise, "thanks"))
    assert "Thank you: your response has been sent" in thanks.text
    assert "Keep this link" not in thanks.text  # no contact details, nothing to delete


def test_somewhere_else_is_recorded_without_a_place(client, exercise):
    post(client, exercise, {"place": "elsewhere"})
    saved = Response.objects.get(exercise=exercise)
    assert saved.place is None and saved.lives_elsewhere


def test_a_rank_used_twice_is_refused_with_a_clear_error(client, exercise):
    a, b, c = exercise.priorities.all()
    data = {f"rank_{a.pk}": "1", f"rank_{b.pk}": "1", f"rank_{c.pk}": "2"}
    response = client.post(url(exercise), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    message = (
        "You gave Healthier lives rank 1, the same as Best start. "
        "Give each priority a different rank from 1 to 3"
    )
    assert f'<a href="#id_rank_{a.pk}">{message}</a>' in response.text
    assert f'id="id_rank_{a.pk}-error"' in response.text
    assert f'aria-describedby="id_rank_{a.pk}-error"' in response.text
    assert "<title>Error: " in response.text
    # The choices made are kept.
    assert 'value="1" selected>1 (most important)' in response.text
    assert not Response.objects.filter(exercise=exercise).exists()


def test_a_missing_rank_is_refused(client, exercise):
    a, b, c = exercise.priorities.all()
    response = client.post(url(exercise), {f"rank_{a.pk}": "1", f"rank_{b.pk}": "2"})
    assert response.status_code == 200
    assert "Choose a rank for Safe communities" in response.text
    assert not Response.objects.filter(exercise=exercise).exists()


def test_a_forged_rank_is_refused(client, exercise):
    a, b, c = exercise.priorities.all()
    data = {f"rank_{a.pk}": "1", f"rank_{b.pk}": "2", f"rank_{c.pk}": "9"}
    response = client.post(url(exercise), data)
    assert response.status_code == 200 and "Select a valid choice" in response.text


def test_more_issues_than_allowed_are_refused(client):
    exercise = make_exercise(issue_choice_limit=1)
    priority = exercise.priorities.get(title="Healthier lives")
    ids = [str(i.pk) for i in priority.issues.all()]
    response = post(client, exercise, {f"issues_{priority.pk}": ids})
    assert "Choose up to 1 issue under Healthier lives" in response.text
    assert not Response.objects.filter(exercise=exercise).exists()


def test_overlong_free_text_is_refused(client, exercise):
    response = post(client, exercise, {"free_text": "x" * 2001})
    assert "Your answer must be 2,000 characters or fewer" in response.text
    assert 'maxlength="2000"' in response.text


def test_opting_in_needs_an_email_and_contact_details_need_the_box_ticked(client, exercise):
    response = post(client, exercise, {"hear_back": "on"})
    assert "Enter your email address, so that we can tell you what happens" in response.text
    response = post(client, exercise, {"contact_email": "sam@example.com"})
    assert "Tick the box if you would like to hear back" in response.text
    response = post(client, exercise, {"hear_back": "on", "contact_email": "not-an-email"})
    assert "Enter an email address in the correct format" in response.text
    assert not Response.objects.filter(exercise=exercise).exists()


def test_the_deletion_link_is_shown_once_and_deletes_the_contact_details(client, exercise):
    data = {"hear_back": "on", "contact_name": "Sam", "contact_email": "sam@example.com"}
    post(client, exercise, data)
    saved = Response.objects.get(exercise=exercise)
    assert saved.contact_email == "sam@example.com"
    thanks = client.get(url(exercise, "thanks"))
    assert "Keep this link" in thanks.text
    assert thanks["Cache-Control"].startswith("max-age=0") or "no-cache" in thanks["Cache-Control"]
    assert thanks["Referrer-Policy"] == "same-origin"
    link = next(
        part.split('"')[0]
        for part in thanks.text.split('href="')
        if part.startswith("/have-your-say/forget/")
    )
    assert "Keep this link" not in client.get(url(exercise, "thanks")).text  # shown once

    page = client.get(link)
    assert page.status_code == 200 and "Delete my name and email address" in page.text
    done = client.post(link)
    assert "Your name and email address have been deleted" in done.text
    saved.refresh_from_db()
    assert saved.contact_email == saved.contact_name == "" and saved.rankings.count() == 3
    again = client.get(link)
    assert again.status_code == 404 and "already been used" in again.text


def test_a_made_up_deletion_link_finds_nothing(client):
    response = client.post(reverse("engagement:forget", kwargs={"token": "made-up"}))
    assert response.status_code == 404


def test_the_honeypot_discards_the_response_quietly(client, exercise):
    response = post(client, exercise, {"website": "http://spam.example"})
    assert response.status_code == 302
    assert not Response.objects.filter(exercise=exercise).exists()
    page = client.get(url(exercise)).text
    assert '<div class="nhsuk-u-visually-hidden" aria-hidden="true">' in page
    assert 'name="website" type="text" tabindex="-1" autocomplete="off"' in page


@pytest.mark.parametrize(
    ("opens_in", "closes_in", "message"),
    [(-20, -1, "This exercise closed on"), (3, 20, "This exercise opens on")],
)
def test_outside_its_dates_the_form_refuses_with_a_message(client, opens_in, closes_in, message):
    exercise = make_exercise(opens_in=opens_in, closes_in=closes_in)
    page = client.get(url(exercise))
    assert page.status_code == 200 and message in page.text
    assert "<form" not in page.text.split("<main", 1)[-1]
    refused = post(client, exercise)
    assert refused.status_code == 403 and message in refused.text
    assert not Response.objects.filter(exercise=exercise).exists()


def test_an_unpublished_exercise_is_hidden_and_staff_can_only_preview(client, admin_user):
    exercise = make_exercise(is_published=False)
    assert client.get(url(exercise)).status_code == 404
    assert client.get(url(exercise, "results")).status_code == 404
    client.force_login(admin_user)
    assert "Preview" in client.get(url(exercise)).text
    assert post(client, exercise).status_code == 404
    assert not Response.objects.filter(exercise=exercise).exists()


# -- rate limits ----------------------------------------------------------------------------


def test_responses_are_rate_limited_per_client(client, exercise, settings):
    settings.ENGAGEMENT_RESPONSES_PER_HOUR = 2
    assert post(client, exercise).status_code == 302
    assert post(client, exercise).status_code == 302
    refused = post(client, exercise)
    assert refused.status_code == 429 and "Too many attempts" in refused.text
    assert Response.objects.filter(exercise=exercise).count() == 2
    # Another client is not held back, and a forged X-Forwarded-For does not help.
    assert post(client, exercise, REMOTE_ADDR="10.1.2.3").status_code == 302
    assert post(client, exercise, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, exercise, settings):
    settings.ENGAGEMENT_RESPONSES_PER_HOUR = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert post(client, exercise, HTTP_X_FORWARDED_FOR="1.1.1.1", **proxy).status_code == 302
    assert post(client, exercise, HTTP_X_FORWARDED_FOR="2.2.2.2", **proxy).status_code == 302
    assert post(client, exercise, HTTP_X_FORWARDED_FOR="1.1.1.1", **proxy).status_code == 429
    # The client cannot prepend its own: the proxy's appended address is the one used.
    forged = "9.9.9.9, 1.1.1.1"
    assert post(client, exercise, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429


# -- results --------------------------------------------------------------------------------


def results_with_data(exercise, barnsley, n=3):
    for i in range(n):
        submit(exercise, ORDER if i % 2 else list(reversed(ORDER)), place=barnsley)


def test_results_show_counts_rankings_and_tables(client, exercise, barnsley):
    results_with_data(exercise, barnsley, n=3)
    response = client.get(url(exercise, "results"))
    assert response.status_code == 200
    assert "<strong>3</strong> responses in all." in response.text
    assert 'data-chart="priorities-chart-data"' in response.text
    assert '<script id="priorities-chart-data" type="application/json">' in response.text
    assert 'aria-describedby="priorities-table"' in response.text
    assert "Priorities by mean rank and Borda points (every place)" in response.text
    assert "Vary" in response and "HX-Request" in response["Vary"]


def add_quotes(exercise, places, user):
    responses = [submit(exercise, ORDER, free_text="Words", place=p).response for p in places]
    responses_moderate(responses=responses, decision=Response.Moderation.PUBLISHED, user=user)


def test_the_results_page_takes_a_fixed_number_of_queries(
    client, exercise, barnsley, admin_user, django_assert_num_queries
):
    results_with_data(exercise, barnsley, n=2)
    add_quotes(exercise, [barnsley], admin_user)
    theme = FeedbackTheme.objects.create(exercise=exercise, title="T", you_said="s", we_did="d")
    # exercise, places, counts by place, quotes, quote count, priorities, rank counts, issues,
    # issue pick counts, themes with their outcomes and measures (3)
    with django_assert_num_queries(12):
        client.get(url(exercise, "results"))
    results_with_data(exercise, barnsley, n=40)
    add_quotes(exercise, list(Place.objects.places()) * 3, admin_user)
    theme.outcomes.set([1, 2])
    FeedbackTheme.objects.create(exercise=exercise, title="T2", you_said="s", we_did="d")
    with django_assert_num_queries(12):
        client.get(url(exercise, "results"))
    with django_assert_num_queries(12):
        client.get(url(exercise, "results") + "?place=barnsley")


def test_results_filtered_to_a_place_and_as_an_htmx_fragment(client, exercise, barnsley):
    results_with_data(exercise, barnsley, n=2)
    submit(exercise, ORDER, lives_elsewhere=True)
    page = client.get(url(exercise, "results"), {"place": "barnsley"})
    assert "Priorities in order of importance: Barnsley" in page.text
    assert "From 2 responses (Barnsley)" in page.text
    fragment = client.get(url(exercise, "results"), {"place": "barnsley"}, HTTP_HX_REQUEST="true")
    assert fragment.text.lstrip().startswith('<div id="results-panel">')
    assert "<html" not in fragment.text and "From 2 responses (Barnsley)" in fragment.text
    unknown = client.get(url(exercise, "results"), {"place": "atlantis"})
    assert unknown.status_code == 200 and "From 3 responses (every place)" in unknown.text


def test_results_can_be_withheld(client, admin_user):
    exercise = make_exercise(show_results=False)
    assert client.get(url(exercise, "results")).status_code == 404
    client.force_login(admin_user)
    assert client.get(url(exercise, "results")).status_code == 200


def test_only_moderated_text_is_public(client, exercise, admin_user):
    submit(exercise, ORDER, free_text="Pending words")
    published = submit(exercise, ORDER, free_text="Published words").response
    rejected = submit(exercise, ORDER, free_text="Rejected words").response
    responses_moderate(
        responses=[published], decision=Response.Moderation.PUBLISHED, user=admin_user
    )
    responses_moderate(responses=[rejected], decision=Response.Moderation.REJECTED, user=admin_user)
    page = client.get(url(exercise, "results")).text
    assert "Published words" in page
    assert "Pending words" not in page and "Rejected words" not in page


def test_script_in_free_text_and_themes_renders_inert(client, exercise, admin_user):
    quote = submit(exercise, ORDER, free_text=f"Hello {XSS}").response
    responses_moderate(responses=[quote], decision=Response.Moderation.PUBLISHED, user=admin_user)
    FeedbackTheme.objects.create(exercise=exercise, title=XSS, you_said=XSS, we_did=XSS)
    page = client.get(url(exercise, "results")).text
    assert XSS not in page
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4


def test_script_typed_into_the_form_is_escaped_when_the_form_comes_back(client, exercise):
    response = post(client, exercise, {"free_text": XSS, "hear_back": "on"})
    assert response.status_code == 200  # no email: the form comes back with the text in it
    assert XSS not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_exercise_list_groups_by_status(client):
    make_exercise(slug="open-one", title="Open one")
    make_exercise(slug="closed-one", title="Closed one", opens_in=-30, closes_in=-2)
    make_exercise(slug="soon-one", title="Soon one", opens_in=5, closes_in=30)
    make_exercise(slug="hidden-one", title="Hidden one", is_published=False)
    page = client.get(reverse("engagement:index")).text
    assert page.index("Open one") < page.index("Opening soon") < page.index("Soon one")
    assert page.index("Closed") < page.index("Closed one: results")
    assert "Hidden one" not in page


def test_the_exercise_list_takes_one_query(client, django_assert_num_queries):
    make_exercise(slug="one")
    with django_assert_num_queries(1):
        client.get(reverse("engagement:index"))
    for i in range(10):
        make_exercise(slug=f"more-{i}", opens_in=-30 + i * 5, closes_in=-20 + i * 5)
    with django_assert_num_queries(1):
        client.get(reverse("engagement:index"))
