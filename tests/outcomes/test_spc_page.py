"""Making Data Count on a measure's page: the claimant count (25 real annual points for each place,
from the shared national file) as XmR charts with their icons, words and tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.urls import reverse

from tests.outcomes.html_tables import table

pytestmark = pytest.mark.django_db

# The shared national data (beside the project: ../shared from /work/main), if it is here.
NATIONAL = next(
    (
        parent / "shared/data/national/indicators/claimant-count.csv"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared/data/national/indicators/claimant-count.csv").exists()
    ),
    Path("/nonexistent"),
)
DEMO = Path(__file__).resolve().parents[2] / "fixtures/south_yorkshire/values.csv"
PLACES = {"barnsley": "E08000016", "doncaster": "E08000017", "rotherham": "E08000018"}
PLACES["sheffield"] = "E08000019"


def _series(code):
    """The claimant count for an area, from the demo's copy of the national file."""
    with open(DEMO, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["indicator"] == "Claimant count"]
    return [
        float(r["value"]) for r in sorted(rows, key=lambda r: r["period"]) if r["area_code"] == code
    ]


def test_the_demo_claimant_count_is_the_national_files_rows():
    if not NATIONAL.exists():
        pytest.skip("the shared national data is not on this machine")
    with open(NATIONAL, newline="", encoding="utf-8-sig") as handle:
        national = {
            (r["areacd"], r["period"]): r["observation"]
            for r in csv.DictReader(handle)
            if r["indicator"] == "Claimant Count"
        }
    with open(DEMO, newline="", encoding="utf-8") as handle:
        demo = [r for r in csv.DictReader(handle) if r["indicator"] == "Claimant count"]
    assert len(demo) == 7 * 25
    for row in demo:
        assert national[(row["area_code"], row["period"])] == row["value"]


def test_the_claimant_count_page_shows_an_xmr_chart_with_icons_for_each_place(client):
    html = client.get(reverse("outcomes:measure", args=["claimant-count"])).content.decode()
    assert "Making Data Count: variation over time" in html
    for slug, code in PLACES.items():
        values = _series(code)
        assert len(values) == 25
        mean = sum(values) / 25
        ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
        # NHSRplotthedots' default: ranges of 3.267 x their mean or more left out, once.
        kept = [r for r in ranges if r < 3.267 * sum(ranges) / 24]
        mean_mr = sum(kept) / len(kept)
        section = html[html.index(f'id="spc-{slug}"') :]
        section = section[: section.index("</details>")]
        assert 'class="st-spc-icon"' in section  # the variation icon ...
        assert "variation" in section.lower()  # ... beside its words
        assert f"mean {mean:.1f}%, process limits {mean - 2.66 * mean_mr:.1f}% to " in section
        assert f"{mean + 2.66 * mean_mr:.1f}%" in section
        assert f'id="xmr-{slug}"' in section and 'role="img"' in section
    rug = table(html, "Claimant count, ages 16 to 64, Barnsley: values and variation")
    assert len(rug["rows"]) == 1 + 25
    assert rug["rows"][0] == ["Period", "Value", "Variation"]
    assert rug["rows"][-1][:2] == ["2001", "3.1%"]
    # Barnsley's 2020 and 2021 (5.6%, 5.5%) lie above the upper limit.
    by_period = {r[0]: r for r in rug["rows"][1:]}
    assert by_period["2020"][2].endswith("outside the process limits")
    assert by_period["2020"][2].startswith("Special cause (concerning)")


def test_a_short_series_has_no_xmr_chart(client):
    html = client.get(reverse("outcomes:measure", args=["adults-who-smoke"])).content.decode()
    assert "Making Data Count: variation over time" not in html
