"""Search for measures and areas by name: PostgreSQL full-text search (no other service).

Names are matched word by word as prefixes ("barns york" finds Barnsley in Yorkshire and The
Humber), with the 'simple' configuration (no stemming: these are names) over the same expression
the GIN indexes hold (`measure_title_search`, `place_name_search`), ranked by ts_rank."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Q

from outcomes.models import Measure
from places.models import Place

MAX_RESULTS = 20
MAX_WORDS = 6
WORD = re.compile(r"\w+", re.UNICODE)


def prefix_query(text: str) -> SearchQuery | None:
    """Every word as a prefix ('barns:* & york:*'), or None when there are no words: only
    letters and digits reach PostgreSQL's tsquery syntax."""
    words = WORD.findall(text.lower())[:MAX_WORDS]
    if not words:
        return None
    return SearchQuery(" & ".join(f"{w}:*" for w in words), config="simple", search_type="raw")


@dataclass
class Results:
    text: str
    measures: list[Measure]
    areas: list[Place]

    @property
    def count(self) -> int:
        return len(self.measures) + len(self.areas)


def search(text: str) -> Results:
    """Measures by title (and their outcome) and areas by name: two queries."""
    query = prefix_query(text)
    if query is None:
        return Results(text, [], [])
    measure_vector = SearchVector("title", config="simple")
    measures = list(
        Measure.objects.for_dashboard()
        .annotate(found=measure_vector, rank=SearchRank(measure_vector, query))
        .filter(found=query)
        .select_related("outcome")
        .order_by("-rank", "title")[:MAX_RESULTS]
    )
    place_vector = SearchVector("name", config="simple")
    areas = list(
        Place.objects.annotate(found=place_vector, rank=SearchRank(place_vector, query))
        .filter(Q(found=query) | Q(code__iexact=text.strip()))
        .order_by("-is_current", "-rank", "name")
        .only("name", "slug", "code", "kind", "area_type", "is_current")[:MAX_RESULTS]
    )
    partnership = [a for a in areas if a.kind != Place.Kind.NATIONAL]
    others = [a for a in areas if a.kind == Place.Kind.NATIONAL]
    return Results(text, measures, partnership + others)
