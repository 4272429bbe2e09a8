import pytest
from django.template import Context, Template

from engagement.models import FeedbackTheme
from outcomes.models import Measure, Outcome
from tests.engagement.conftest import make_exercise

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


@pytest.fixture
def outcome():
    return Outcome.objects.get(slug="longer-healthier-lives")


def theme(title, *, outcomes=(), measures=(), **fields):
    made = FeedbackTheme.objects.create(
        title=title, you_said=f"{title}: said", we_did=f"{title}: did", **fields
    )
    made.outcomes.set(outcomes)
    made.measures.set(measures)
    return made


def test_for_outcome_finds_themes_linked_directly_or_through_a_measure(outcome):
    exercise = make_exercise()
    smoking = Measure.objects.get(slug="adults-who-smoke")
    other = Outcome.objects.get(slug="best-start-in-life")
    direct = theme("Direct", outcomes=[outcome], exercise=exercise)
    via = theme("Via a measure", measures=[smoking], source="Strategy engagement")
    both = theme("Both", outcomes=[outcome], measures=[smoking], exercise=exercise)
    theme("Elsewhere", outcomes=[other], exercise=exercise)
    theme("Unpublished", outcomes=[outcome], exercise=exercise, is_published=False)
    found = list(FeedbackTheme.objects.for_outcome(outcome))
    assert found == [both, direct, via]  # each once, in order then title


def render(outcome):
    return Template("{% load engagement_tags %}{% you_said_we_did outcome %}").render(
        Context({"outcome": outcome})
    )


def test_the_include_shows_what_residents_said_and_only_this_outcomes_measures(outcome):
    smoking = Measure.objects.get(slug="adults-who-smoke")
    poverty = Measure.objects.get(slug="children-in-relative-poverty-after-housing-costs")
    theme("Access to GP appointments", outcomes=[outcome], measures=[smoking, poverty], source="x")
    html = render(outcome)
    assert "What residents told us" in html
    assert "Access to GP appointments: said" in html and "Access to GP appointments: did" in html
    assert smoking.title in html and poverty.title not in html


def test_the_include_renders_nothing_without_themes(outcome):
    assert render(outcome).strip() == ""


def test_the_include_takes_three_queries_however_many_themes(outcome, django_assert_num_queries):
    measures = list(Measure.objects.filter(outcome=outcome))
    for i in range(5):
        theme(
            f"Theme {i}",
            outcomes=[outcome],
            measures=measures,
            exercise=make_exercise(slug=f"e{i}"),
        )
    with django_assert_num_queries(3):
        render(outcome)


def test_the_include_escapes_theme_text_and_labels_demo_text(outcome):
    made = theme(XSS, outcomes=[outcome], source=XSS, is_demo=True)
    made.you_said = made.we_did = XSS
    made.save()
    html = render(outcome)
    assert XSS not in html and html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
    assert "Demo" in html
