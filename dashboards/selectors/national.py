"""Where each of the partnership's areas stands in England, for a measure linked to a national
indicator: its rank and quintile among England's areas of its own kind (districts with
districts, the combined authority with combined authorities), England's spread, and how it
compares with ONS's most similar areas. Everything here is read from what the national import
stored (ranks, quintiles, spreads): nothing is ranked per request.

Polarity is the partnership's (the measure's): "1st is best" reads the rank from the better end.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from national.models import Indicator, Observation, SimilarArea, Spread
from outcomes.models import Measure
from places.models import AREA_TYPE_PLURALS, Place

QUINTILE_METHOD = (
    "Quintiles (Fingertips' quintile method): England's areas of the same kind with a value, "
    "ranked and split into five groups of equal size."
)
BEST_FIRST = {
    1: "Best fifth in England",
    2: "Second-best fifth",
    3: "Middle fifth",
    4: "Second-worst fifth",
    5: "Worst fifth in England",
}
LOW_FIRST = {
    1: "Lowest fifth in England",
    2: "Second-lowest fifth",
    3: "Middle fifth",
    4: "Second-highest fifth",
    5: "Highest fifth in England",
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class Standing:
    """One area's latest published value and where it stands among England's areas of its
    kind."""

    measure: Measure
    area: Place
    observation: Observation
    spread: Spread | None

    @property
    def polarity(self) -> str:
        return self.measure.polarity

    @property
    def ranked(self) -> bool:
        return self.observation.rank_of is not None and self.observation.rank_of > 1

    @property
    def kind_plural(self) -> str:
        return AREA_TYPE_PLURALS.get(self.observation.geography, "areas")

    @property
    def rank(self) -> int | None:
        """From the better end when the measure has a polarity, else from the highest."""
        obs = self.observation
        return obs.rank_low if self.polarity == Measure.Polarity.LOWER else obs.rank_high

    @property
    def rank_text(self) -> str:
        if not self.ranked:
            return ""
        end = {
            Measure.Polarity.HIGHER: "1st is best (highest)",
            Measure.Polarity.LOWER: "1st is best (lowest)",
        }.get(self.polarity, "1st is the highest; neither higher nor lower is better")
        return (
            f"{ordinal(self.rank)} of {self.observation.rank_of} {self.kind_plural} in England; "
            f"{end}"
        )

    @property
    def quintile(self) -> int | None:
        """1 is the best fifth (with a polarity) or the lowest fifth (without)."""
        obs = self.observation
        return obs.quintile_high if self.polarity == Measure.Polarity.HIGHER else obs.quintile

    @property
    def quintile_text(self) -> str:
        if not self.ranked or self.quintile is None:
            return ""
        labels = LOW_FIRST if self.polarity == Measure.Polarity.NONE else BEST_FIRST
        return labels[self.quintile]

    @property
    def comparison(self) -> str:
        """Fingertips' quintile comparison, in words: better, similar, worse."""
        if not self.ranked or self.quintile is None or self.polarity == Measure.Polarity.NONE:
            return ""
        return {1: "Better", 2: "Better", 3: "Middle", 4: "Worse", 5: "Worse"}[self.quintile]

    @property
    def value_text(self) -> str:
        return self.measure.format_value(self.observation.value)

    @property
    def period_label(self) -> str:
        from methods.periods import infer_type, period_label

        obs = self.observation
        return period_label(
            obs.period_start, obs.period_end, infer_type(obs.period_start, obs.period_end)
        )

    @property
    def spread_text(self) -> str:
        spread = self.spread
        if spread is None or not self.ranked:
            return ""
        f = self.measure.format_value
        return (
            f"lowest {f(spread.minimum)}, lower quartile {f(spread.q1)}, median "
            f"{f(spread.median)}, upper quartile {f(spread.q3)}, highest {f(spread.maximum)} "
            f"({spread.count} {self.kind_plural})"
        )


@dataclass
class SimilarGroup:
    """An area and ONS's 20 most similar areas (overall), in the same period."""

    standing: Standing
    members: list[tuple[Place, Decimal]]  # the similar areas with a value, best first

    @property
    def median(self) -> Decimal | None:
        values = [v for _, v in self.members]
        return Decimal(str(statistics.median(values))) if values else None

    @property
    def rank(self) -> int:
        """The area's place in the group (itself and the similar areas with a value)."""
        own = self.standing.observation.value
        better = [
            v
            for _, v in self.members
            if (v < own if self.standing.polarity == Measure.Polarity.LOWER else v > own)
        ]
        return len(better) + 1

    @property
    def median_text(self) -> str:
        return self.standing.measure.format_value(self.median)

    @property
    def rows(self) -> list[tuple[Place, str]]:
        return [(area, self.standing.measure.format_value(v)) for area, v in self.members]

    @property
    def size(self) -> int:
        return len(self.members) + 1

    @property
    def rank_text(self) -> str:
        end = (
            "1st is the highest"
            if self.standing.polarity == Measure.Polarity.NONE
            else "1st is best"
        )
        return f"{ordinal(self.rank)} of {self.size} with its similar areas; {end}"


@dataclass
class NationalContext:
    indicator: Indicator
    standings: list[Standing]
    similar: list[SimilarGroup] = field(default_factory=list)

    @property
    def dataset(self):
        return self.indicator.dataset

    @property
    def method(self) -> str:
        return QUINTILE_METHOD


def measure_context(measure: Measure, areas: list[Place]) -> NationalContext | None:
    """The national context of a measure for these areas (the partnership's), in four queries
    whatever the data (none when the measure is not linked to a national indicator). The
    measure comes with its indicator and dataset (`Measure.objects.for_dashboard()`)."""
    if measure.national_indicator_id is None:
        return None
    indicator = measure.national_indicator
    by_id = {a.pk: a for a in areas}
    order = [a.pk for a in areas]
    latest = list(
        Observation.objects.filter(
            indicator_id=indicator.pk, area_id__in=order, value__isnull=False
        )
        .order_by("area_id", "-period_start", "-period_end")
        .distinct("area_id")
    )
    spreads = {
        (s.geography, s.period_start, s.period_end): s
        for s in Spread.objects.filter(indicator_id=indicator.pk)
    }
    standings = [
        Standing(
            measure,
            by_id[o.area_id],
            o,
            spreads.get((o.geography, o.period_start, o.period_end)),
        )
        for o in latest
    ]
    standings.sort(key=lambda s: order.index(s.area.pk))
    return NationalContext(indicator, standings, _similar(measure, indicator, standings, order))


def _similar(measure, indicator, standings: list[Standing], area_ids) -> list[SimilarGroup]:
    """Each area's ONS similar areas (overall) with their values: two queries."""
    links = list(
        SimilarArea.objects.filter(area_id__in=area_ids, way=SimilarArea.Way.GLOBAL)
        .select_related("similar")
        .order_by("area_id", "position")
    )
    observations = Observation.objects.filter(
        indicator_id=indicator.pk,
        area__in=SimilarArea.objects.filter(
            area_id__in=area_ids, way=SimilarArea.Way.GLOBAL
        ).values("similar_id"),
        value__isnull=False,
    ).values_list("area_id", "period_start", "period_end", "value")
    values = {(a, start, end): v for a, start, end, v in observations}
    groups = []
    for standing in standings:
        if not standing.ranked:
            continue
        obs = standing.observation
        members = [
            (link.similar, values[(link.similar_id, obs.period_start, obs.period_end)])
            for link in links
            if link.area_id == standing.area.pk
            and (link.similar_id, obs.period_start, obs.period_end) in values
        ]
        if members:
            reverse = measure.polarity != Measure.Polarity.LOWER
            members.sort(key=lambda m: m[1], reverse=reverse)
            groups.append(SimilarGroup(standing, members))
    return groups


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
