"""The place pages: every measure for one place beside the system and England, what is improving
and what is getting worse, and the list of places. (Query counts, caching and access for every
public page are in tests/outcomes/test_public_pages.py.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.outcomes.html_tables import table
from tests.outcomes.public_helpers import clear_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

HLE = "male-healthy-life-expectancy"
PLACE = reverse("places:detail", args=["barnsley"])
SYSTEM = reverse("places:detail", args=["south-yorkshire"])


def test_place_page_shows_every_measure_beside_the_system_and_england(client):
    response = client.get(PLACE)
    rug = table(response.content, "People live longer, healthier lives: Barnsley's latest")
    assert rug["rows"][0] == [
        "Measure",
        "Barnsley",
        "South Yorkshire",
        "England",
        "Statuses for Barnsley",
    ]
    hle = next(r for r in rug["rows"] if r[0].startswith("Healthy life expectancy at birth: men"))
    assert hle[1:4] == ["55.2 years 2022-24", "56.2 years 2022-24", "60.9 years 2022-24"]
    assert hle[4] == "Worse than England Trend cannot be calculated Moving away from target"
    assert "is significantly lower than England (60.9 years)" in hle[0]
    page = response.context["page"]
    assert sum(len(group.rows) for group in page.outcomes) == 23


def test_place_page_lists_what_is_improving_and_getting_worse(client):
    response = client.get(reverse("places:detail", args=["barnsley"]))
    page = response.context["page"]
    html = response.content.decode()
    assert "What is improving" in html and "What is getting worse" in html
    worse = [row.measure.slug for row in page.getting_worse]
    # Barnsley's life satisfaction fell significantly over 2018/19 to 2022/23 (Fingertips' test);
    # healthy life expectancy is in 3-year pools that overlap, so it has no trend at all.
    assert worse == ["life-satisfaction"]
    sheffield = client.get(reverse("places:detail", args=["sheffield"])).context["page"]
    assert HLE not in [row.measure.slug for row in sheffield.getting_worse]
    for row in page.getting_worse:
        assert row.cell.trend.status == "getting_worse"
        assert row.measure.get_absolute_url() in html


def test_the_systems_own_page_does_not_repeat_itself(client):
    rug = table(client.get(SYSTEM).content, "People live longer, healthier lives: South")
    assert rug["rows"][0] == [
        "Measure",
        "South Yorkshire",
        "England",
        "Statuses for South Yorkshire",
    ]
