"""England's areas as a server-side SVG map (a choropleth), drawn from ONS's simplified boundaries.

The boundaries are TopoJSON (shared arcs, delta- and quantise-encoded). We decode the arcs once per
process, project longitude and latitude to the page (an equirectangular projection scaled by the
cosine of England's middle latitude: at this size indistinguishable from the British National Grid),
round to one decimal place and keep each area's outline as an SVG path. A page then only picks the
paths of one level (districts, upper tier, combined authorities, regions) and gives each a class:
no script, no map library, nothing to download but the markup.

Contains OS data © Crown copyright and database right 2025 (the attribution shown under every map).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

BOUNDARIES_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2025."

LEVELS = {
    "ltla": "districts",
    "utla": "counties and unitary authorities",
    "cauth": "combined authorities",
    "rgn": "regions",
}
"""The TopoJSON objects we draw, by the name of the areas they hold."""

WIDTH = 500.0
"""The map's width in SVG units; its height follows from England's shape."""

_MIDDLE_LATITUDE = 52.8

_TOLERANCE = 0.9
"""How far (in map units, about a pixel at full width) a simplified edge may stray."""


def boundaries_path() -> Path:
    return Path(settings.BOUNDARIES_FILE)


def paths_file() -> Path:
    """The outlines, built from the boundaries by ``manage.py build_map_paths`` and committed:
    reading them costs milliseconds, building them about a second per level."""
    return boundaries_path().with_name("england-map-paths.json")


def build_paths_file() -> Path:
    """Builds every level's outlines of England's current areas into :func:`paths_file`."""
    levels = {}
    for level in LEVELS:
        topo = build_topology(level)
        levels[level] = {
            "view_box": list(topo.view_box),
            "outlines": {code: [o.name, o.path] for code, o in sorted(topo.outlines.items())},
        }
    target = paths_file()
    target.write_text(json.dumps(levels, separators=(",", ":"), ensure_ascii=False) + "\n")
    return target


@lru_cache(maxsize=1)
def _paths() -> dict:
    return json.loads(paths_file().read_text(encoding="utf-8"))


def topology(level: str) -> Topology:
    """One level's outlines of England's current areas, from the committed paths file."""
    data = _paths().get(level)
    if data is None:
        raise ValueError(f"No map of {level!r}; expected one of {', '.join(_paths())}.")
    outlines = {code: Outline(code, name, path) for code, (name, path) in data["outlines"].items()}
    return Topology(level=level, outlines=outlines, view_box=tuple(data["view_box"]))


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    path: str  # an SVG path's "d"


@dataclass(frozen=True)
class Topology:
    """Every area's outline for one level, projected to the map's own units."""

    level: str
    outlines: dict[str, Outline]
    view_box: tuple[float, float, float, float]


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def _ring(arc_indexes: Iterable[int], arcs: list) -> list[tuple[float, float]]:
    """A closed ring from its arcs: a negative index is arc ~i reversed; shared ends join once."""
    points: list[tuple[float, float]] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(_MIDDLE_LATITUDE)), -lat


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: drop the points closer than ``tolerance`` to the line that skips them.
    Applied to each shared arc (not each area), so neighbours keep a common edge: no gaps."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, worst_index = 0.0, 0
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(x - x1, y - y1)
            if distance > worst:
                worst, worst_index = distance, i
        if worst > tolerance:
            keep[worst_index] = True
            stack += [(first, worst_index), (worst_index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _path(points: list[tuple[int, int]]) -> str:
    """An SVG path for a closed ring in whole units, each point relative to the one before."""
    (x0, y0), rest = points[0], points[1:]
    steps = []
    for (px, py), (x, y) in zip(points, rest, strict=False):
        dx, dy = x - px, y - py
        steps.append(f"{dx}{'' if dy < 0 else ' '}{dy}")
    return f"M{x0} {y0}l" + " ".join(steps) + "z"


def _current(properties: dict, year: int | None) -> bool:
    """Whether an area existed in ``year`` (None: today's areas, those with no end year)."""
    if year is None:
        return "end" not in properties
    return properties.get("start", 0) <= year <= properties.get("end", 9999)


def _polygons(geometry: dict) -> list:
    return geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]


def build_topology(level: str, country_prefix: str = "E", year: int | None = None) -> Topology:
    """The outlines of one level's areas whose codes start with ``country_prefix`` (England: E),
    as they were in ``year`` (default: today's areas), projected, scaled and simplified."""
    if level not in LEVELS:
        raise ValueError(f"Unknown boundary level {level!r}; expected one of {', '.join(LEVELS)}.")
    data = json.loads(boundaries_path().read_text(encoding="utf-8"))
    geometries = [
        g
        for g in data["objects"][level]["geometries"]
        if g["properties"]["areacd"].startswith(country_prefix) and _current(g["properties"], year)
    ]
    used = {
        i if i >= 0 else ~i for g in geometries for poly in _polygons(g) for r in poly for i in r
    }
    decoded = _decode_arcs(data)
    projected = {i: [_project(*p) for p in decoded[i]] for i in used}
    xs = [x for arc in projected.values() for x, _ in arc]
    ys = [y for arc in projected.values() for _, y in arc]
    left, top = min(xs), min(ys)
    scale = WIDTH / (max(xs) - left)
    height = (max(ys) - top) * scale
    arcs: list = [None] * len(decoded)
    for i, arc in projected.items():
        scaled = [((x - left) * scale, (y - top) * scale) for x, y in arc]
        arcs[i] = [(round(x), round(y)) for x, y in _simplify(scaled, _TOLERANCE)]
    outlines = {}
    for geometry in geometries:
        code, name = geometry["properties"]["areacd"], geometry["properties"]["areanm"]
        parts = []
        for polygon in _polygons(geometry):
            for ring in polygon:
                coords = _ring(ring, arcs)
                kept = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
                if len(kept) >= 3:
                    parts.append(_path(kept))
        outlines[code] = Outline(code=code, name=name, path="".join(parts))
    return Topology(level=level, outlines=outlines, view_box=(0, 0, WIDTH, round(height, 1)))


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    path: str
    css_class: str  # e.g. "st-map__q1"; "st-map__none" where there is no value
    title: str  # the tooltip and the accessible name: name, value and class
    href: str | None  # a link for the areas a reader can go to (the partnership's)
    outlined: bool


@dataclass(frozen=True)
class Choropleth:
    level: str
    view_box: str
    areas: list[MapArea]  # shaded areas first, outlined (linked) ones last so they draw on top
    legend: list[tuple[str, str]]  # (css class, label)
    missing: int  # areas of the level with no value
    attribution: str = BOUNDARIES_ATTRIBUTION

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]


def choropleth(
    *,
    level: str,
    classes: Mapping[str, tuple[str, str]],
    legend: list[tuple[str, str]],
    outlined: Mapping[str, str | None] | None = None,
) -> Choropleth:
    """A map of one level's English areas.

    ``classes`` maps an area code to (css class, title text); areas without one are drawn in the
    "no value" style. ``outlined`` maps the codes to emphasise (the partnership's places) to a
    link or None. Codes of the level that the boundaries do not hold are ignored."""
    outlined = outlined or {}
    topo = topology(level)
    areas, on_top = [], []
    missing = 0
    for code, outline in topo.outlines.items():
        css_class, title = classes.get(code, ("st-map__none", f"{outline.name}: no value"))
        missing += code not in classes
        area = MapArea(
            code=code,
            name=outline.name,
            path=outline.path,
            css_class=css_class,
            title=title,
            href=outlined.get(code),
            outlined=code in outlined,
        )
        (on_top if area.outlined else areas).append(area)
    return Choropleth(
        level=level,
        view_box=" ".join(f"{v:g}" for v in topo.view_box),
        areas=areas + on_top,
        legend=legend,
        missing=missing,
    )
