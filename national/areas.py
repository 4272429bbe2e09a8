"""Every area in the national data as a Place: kinds, parents, recoded areas and ONS's similar
areas. Idempotent: running it again changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from national.models import SimilarArea
from national.reading import OBSOLETE, area_levels
from places.models import Place


def _free_slug(name: str, code: str, taken: set[str]) -> str:
    slug = slugify(name)[:100] or code.lower()
    if slug in taken:
        slug = f"{slug}-{code.lower()}"
    taken.add(slug)
    return slug


class AreaBook:
    """The places by every current and former code, creating the national areas a dataset
    names and the partnership does not have. Creates rows only inside the caller's transaction."""

    def __init__(self):
        self.places = Place.objects.code_map()
        self.slugs = set(Place.objects.values_list("slug", flat=True))
        self.created = 0

    def place_id(self, code: str) -> int | None:
        place = self.places.get(code)
        return place.pk if place else None

    def ensure(self, areas: dict[str, tuple[str, str, str]]) -> None:
        """Make a place for each code (name, area type, note) not known yet. A code the note
        says was replaced by a current code of the same name (Barnsley E08000016 ->
        E08000038) becomes a former code of that place; one merged into another area
        (Harrogate -> North Yorkshire) stays an area of its own, marked no longer current."""
        new = []
        for code, (name, area_type, note) in sorted(areas.items()):
            if code in self.places:
                continue
            match = OBSOLETE.search(note)
            if match:
                current = self.places.get(match[2])
                if current is not None and current.name.lower() == name.strip().lower():
                    current.former_codes = [*current.former_codes, code]
                    current.save(update_fields=["former_codes"])
                    self.places[code] = current
                    continue
            place = Place(
                name=name.strip()[:120] or code,
                slug=_free_slug(name, code, self.slugs),
                code=code,
                kind=Place.Kind.NATIONAL,
                area_type=area_type,
                is_current=match is None,
                order=1000,
            )
            new.append(place)
            self.places[code] = place
        if new:
            Place.objects.bulk_create(new, batch_size=1000)
            self.created += len(new)


@transaction.atomic
def areas_sync(geography: Path) -> dict[str, int]:
    """Places from areas.json (name, kind, parent) and similar areas from similar-areas.json.
    The partnership's own places keep their names, kinds and parents; they gain their kind of
    area. Returns counts of what changed."""
    areas = json.loads((geography / "areas.json").read_text(encoding="utf-8-sig"))
    book = AreaBook()
    by_code = dict(book.places)  # current and former codes
    created = updated = 0
    new = []
    for code, area in areas.items():
        area_type = area_levels(area.get("level") or []) or "other"
        levels = sorted(set(area.get("level") or []))
        is_current = "end" not in area  # an area abolished or merged has the year it ended
        place = by_code.get(code)
        if place is None:
            place = Place(
                name=area["areanm"][:120],
                slug=_free_slug(area["areanm"], code, book.slugs),
                code=code,
                kind=Place.Kind.NATIONAL,
                area_type=area_type,
                levels=levels,
                is_current=is_current,
                order=1000,
            )
            new.append(place)
            by_code[code] = place
        elif place.code != code:
            continue  # a former code of a place (Barnsley's E08000016): the place is current
        elif (place.area_type, place.levels, place.is_current) != (area_type, levels, is_current):
            place.area_type, place.levels, place.is_current = area_type, levels, is_current
            place.save(update_fields=["area_type", "levels", "is_current"])
            updated += 1
    Place.objects.bulk_create(new, batch_size=1000)
    created += len(new)
    # Parents: the nearest parent that is a place (combined authority, then region, country).
    for code, area in areas.items():
        place = by_code[code]
        if place.kind != Place.Kind.NATIONAL or place.code != code:
            continue
        parent = next((by_code[p] for p in area.get("parents") or [] if p in by_code), None)
        if parent is not None and place.parent_id != parent.pk:
            place.parent = parent
            place.save(update_fields=["parent"])
    similar = _similar_areas(geography / "similar-areas.json", by_code)
    return {"created": created, "updated": updated, **similar}


def _similar_areas(path: Path, by_code: dict[str, Place]) -> dict[str, int]:
    if not path.exists():
        return {"similar": 0}
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    wanted = {}
    for code, ways in data.items():
        area = by_code.get(code)
        if area is None:
            continue
        for way in SimilarArea.Way.values:
            position = 0
            for other in ways.get(way) or []:
                if other in by_code:
                    position += 1
                    wanted[(area.pk, way, position)] = by_code[other].pk
    have = {
        (s.area_id, s.way, s.position): s.similar_id
        for s in SimilarArea.objects.only("area_id", "way", "position", "similar_id")
    }
    if have == wanted:
        return {"similar": 0}
    SimilarArea.objects.all().delete()
    SimilarArea.objects.bulk_create(
        [
            SimilarArea(area_id=a, way=w, position=p, similar_id=s)
            for (a, w, p), s in wanted.items()
        ],
        batch_size=2000,
    )
    return {"similar": len(wanted)}
