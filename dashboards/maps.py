"""A map of England's areas as server-side SVG, from ONS's simplified boundaries (TopoJSON):
the arcs decoded and projected in Python once per process and cached, so a page only colours
paths it already has. No map library, no tiles, no JavaScript: the page keeps its speed.

Attribution wherever shown: "Contains OS data © Crown copyright and database right 2025."
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from national.reading import default_folder

WIDTH = 440
OS_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2025."


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str  # SVG path data in the map's pixel space


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


@lru_cache(maxsize=8)
def england_shapes(level: str) -> tuple[tuple[Shape, ...], int]:
    """England's current areas of a level (ltla, utla, cauth, rgn) as SVG paths, and the
    map's height: from the shared cache (projected once for every worker), else projected here
    and cached."""
    from django.core.cache import cache

    key = f"national-map:{level}:{WIDTH}"
    found = cache.get(key)
    if found is None:
        shapes, height = _project(level)
        found = ([(s.code, s.name, s.path) for s in shapes], height)
        if shapes:
            cache.set(key, found, timeout=None)
    rows, height = found
    return tuple(Shape(*row) for row in rows), height


def _project(level: str) -> tuple[tuple[Shape, ...], int]:
    path = _boundaries()
    if path is None or not path.exists():
        return (), 0
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    geometries = [
        g
        for g in topology["objects"].get(level, {}).get("geometries", [])
        if g["properties"]["areacd"].startswith("E") and "end" not in g["properties"]
    ]
    rings = [
        (g["properties"], [_ring(r, arcs) for polygon in _polygons(g) for r in polygon])
        for g in geometries
    ]
    everything = [p for _, rs in rings for ring in rs for p in ring]
    if not everything:
        return (), 0
    # An equirectangular projection, squeezed by the cosine of England's middle latitude.
    west = min(p[0] for p in everything)
    east = max(p[0] for p in everything)
    south = min(p[1] for p in everything)
    north = max(p[1] for p in everything)
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 4) / ((east - west) * squeeze)
    height = math.ceil((north - south) * scale) + 4

    def project(lon: float, lat: float) -> tuple[int, int]:
        return round((lon - west) * squeeze * scale) + 2, round((north - lat) * scale) + 2

    shapes = []
    for properties, area_rings in rings:
        parts = []
        for ring in area_rings:
            points = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                # Keep a point 2 px or more from the last kept: the map's own resolution.
                if not points or abs(x - points[-1][0]) + abs(y - points[-1][1]) >= 2:
                    points.append((x, y))
            if len(points) >= 3:
                steps = [
                    f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(points, points[1:], strict=False)
                ]
                parts.append(f"M{points[0][0]} {points[0][1]}l" + " ".join(steps) + "z")
        if parts:
            shapes.append(Shape(properties["areacd"], properties["areanm"], "".join(parts)))
    return tuple(sorted(shapes, key=lambda s: s.name)), height


def _boundaries() -> Path | None:
    folder = default_folder()
    return folder / "geography" / "boundaries.topojson" if folder else None
