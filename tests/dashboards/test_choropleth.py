"""The server-side map: England's current areas from ONS's boundaries, shaded by class, with the
partnership's places outlined and linked."""

from __future__ import annotations

import json

from django.template.loader import render_to_string

from dashboards.choropleth import (
    BOUNDARIES_ATTRIBUTION,
    build_topology,
    choropleth,
    paths_file,
    topology,
)

BARNSLEY, SHEFFIELD = "E08000038", "E08000039"
ALLERDALE = "E07000026"  # a district abolished in 2023 (now part of Cumberland)


def test_the_district_map_holds_englands_296_current_districts():
    districts = topology("ltla").outlines
    assert len(districts) == 296
    assert districts[BARNSLEY].name == "Barnsley"
    assert ALLERDALE not in districts
    assert all(code.startswith("E") for code in districts)


def test_a_year_draws_the_districts_as_they_were_then():
    before = build_topology("ltla", year=2020).outlines
    assert ALLERDALE in before
    assert BARNSLEY not in before  # Barnsley's code before 2024 was E08000016


def test_each_outline_is_a_closed_svg_path_within_the_view_box():
    topo = topology("cauth")
    _, _, width, height = topo.view_box
    path = topo.outlines["E47000002"].path  # South Yorkshire
    assert path.startswith("M") and path.endswith("z")
    x, y = (float(n) for n in path[1:].split("l")[0].split())
    assert 0 <= x <= width and 0 <= y <= height


def test_the_committed_paths_are_what_the_boundaries_give_today():
    """The paths file is built from the TopoJSON by `manage.py build_map_paths`: they must agree,
    or the maps would show boundaries other than the file we ship."""
    committed = json.loads(paths_file().read_text(encoding="utf-8"))
    for level in ("ltla", "cauth"):
        fresh = build_topology(level)
        assert committed[level]["view_box"] == list(fresh.view_box)
        assert committed[level]["outlines"] == {
            code: [o.name, o.path] for code, o in fresh.outlines.items()
        }


def test_the_map_draws_every_area_with_its_class_and_the_places_on_top():
    classes = {BARNSLEY: ("st-map__q5", "Barnsley: quintile 5"), "E06000001": ("st-map__q1", "x")}
    drawn = choropleth(
        level="ltla",
        classes=classes,
        legend=[("st-map__q1", "Best fifth")],
        outlined={BARNSLEY: "/places/barnsley/", SHEFFIELD: None},
    )
    assert len(drawn.areas) == 296
    assert drawn.missing == 294
    assert [a.code for a in drawn.areas[-2:]] == [BARNSLEY, SHEFFIELD]
    barnsley = drawn.areas[-2]
    assert (barnsley.css_class, barnsley.href, barnsley.outlined) == (
        "st-map__q5",
        "/places/barnsley/",
        True,
    )
    assert drawn.areas[-1].css_class == "st-map__none"


def test_the_map_is_an_image_with_a_name_a_key_and_the_os_attribution():
    drawn = choropleth(
        level="cauth",
        classes={"E47000002": ("st-map__q2", "South Yorkshire: 3.9%")},
        legend=[("st-map__q2", "Second fifth")],
        outlined={"E47000002": "/places/south-yorkshire/"},
    )
    html = render_to_string(
        "dashboards/includes/choropleth.html",
        {"map": drawn, "map_id": "m", "map_title": "Claimant count", "map_summary": "By area."},
    )
    assert 'role="group" aria-labelledby="m-title m-desc"' in html
    assert '<a href="/places/south-yorkshire/" class="st-map__link">' in html
    assert "<title>South Yorkshire: 3.9%</title>" in html
    assert "Second fifth" in html
    assert BOUNDARIES_ATTRIBUTION.replace("©", "&copy;") in html or BOUNDARIES_ATTRIBUTION in html
