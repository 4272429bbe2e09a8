"""Neighbourhoods: the level below a place. A neighbourhood's page is a place page with its place
in the system's column; a place's page lists its neighbourhoods and can show one measure across
them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboards.selectors.cells import Cell, build_cells
from dashboards.selectors.series import Areas
from outcomes.models import Measure
from places.models import Place


def neighbourhood_or_none(slug: str) -> Place | None:
    """A neighbourhood, with its place, by slug (one query)."""
    return (
        Place.objects.of_kind(Place.Kind.NEIGHBOURHOOD)
        .select_related("parent")
        .filter(slug=slug)
        .first()
    )


def areas_for_neighbourhood(neighbourhood: Place, areas: Areas) -> Areas:
    """The areas a neighbourhood's page shows: itself, beside its place (in the column a place's
    page gives the system) and the benchmarks."""
    return replace(areas, system=neighbourhood.parent, places=[neighbourhood])


def neighbourhoods_of(place: Place) -> list[Place]:
    if place.kind != Place.Kind.PLACE:
        return []
    return list(Place.objects.of_kind(Place.Kind.NEIGHBOURHOOD).filter(parent=place))


def neighbourhoods_by_place(places: list[Place]) -> dict[int, list[Place]]:
    """Each place's neighbourhoods, in one query, for the list of places."""
    found: dict[int, list[Place]] = {place.pk: [] for place in places}
    for area in Place.objects.of_kind(Place.Kind.NEIGHBOURHOOD).filter(parent__in=places):
        found[area.parent_id].append(area)
    return found


@dataclass
class AcrossNeighbourhoods:
    """One measure's latest value in each neighbourhood of a place, beside the place and
    England."""

    measure: Measure
    place: Cell
    benchmark: Cell | None
    rows: list[Cell]

    @property
    def with_values(self) -> int:
        return sum(1 for cell in self.rows if cell.latest and cell.latest.value is not None)


def measure_across_neighbourhoods(
    measure: Measure, place: Place, neighbourhoods: list[Place], areas: Areas
) -> AcrossNeighbourhoods:
    cells = build_cells([measure], areas, [place, *neighbourhoods])
    benchmark = cells.get((measure.pk, areas.benchmark.pk)) if areas.benchmark else None
    return AcrossNeighbourhoods(
        measure=measure,
        place=cells[(measure.pk, place.pk)],
        benchmark=benchmark,
        rows=[cells[(measure.pk, area.pk)] for area in neighbourhoods],
    )
