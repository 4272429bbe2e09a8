"""A measure's map: England's areas of the partnership's kind, shaded by England quintile.

Reads the ranks and quintiles stored at import (`national.loading`): nothing is ranked here. Two
queries for a measure linked to a national indicator (which kind of area and period to draw, then
that period's values for every area of the kind), none for one that is not.

Quintiles are Fingertips' method (England's ranked areas in five equal groups). Where the measure
says which direction is better, the fifths are named "best" to "worst"; where it does not, they are
named by value, "highest" to "lowest", and make no judgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Subquery, Value, When

from dashboards.choropleth import LEVELS, Choropleth, choropleth
from dashboards.selectors.series import Areas
from methods.periods import infer_type, period_label
from national.models import Observation
from outcomes.models import Measure

NATIONAL_ATTRIBUTION = (
    "Source: Office for National Statistics and other government departments, licensed under "
    "the Open Government Licence v3.0."
)

# The map levels in the order we prefer them for the places: the most specific kind of area the
# indicator is published for, so Barnsley is drawn among districts where it can be.
PREFERENCE = ["ltla", "utla", "cauth", "rgn"]

JUDGED_LABELS = ["Best fifth", "Second best fifth", "Middle fifth", "Second worst fifth"]
JUDGED_LABELS.append("Worst fifth")
VALUE_LABELS = ["Highest fifth", "Second highest fifth", "Middle fifth", "Second lowest fifth"]
VALUE_LABELS.append("Lowest fifth")

AREA_NAMES = {
    "ltla": ("district", "districts"),
    "utla": ("county or unitary authority", "counties and unitary authorities"),
    "cauth": ("combined authority", "combined authorities"),
    "rgn": ("region", "regions"),
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class MapRow:
    """One area in the map's table."""

    code: str
    name: str
    href: str | None
    value: str
    rank: int | None
    rank_of: int | None
    fifth: int | None  # 1 = best (or highest, for a measure without polarity)
    fifth_label: str
    partnership: bool

    @property
    def rank_text(self) -> str:
        return f"{ordinal(self.rank)} of {self.rank_of}" if self.rank else "Not ranked"


@dataclass(frozen=True)
class MeasureMap:
    measure: Measure
    level: str
    period_label: str
    period_start: date
    judged: bool  # the measure has a polarity: fifths are best..worst
    map: Choropleth
    rows: list[MapRow]  # every area of the level with a value, best (or highest) first
    source_org: str
    source_url: str
    release_date: date | None

    attribution = NATIONAL_ATTRIBUTION

    @property
    def title(self) -> str:
        return f"{self.measure.title}: England's {self.area_names} by fifth, {self.period_label}"

    @property
    def partnership_rows(self) -> list[MapRow]:
        return [row for row in self.rows if row.partnership]

    @property
    def area_name(self) -> str:
        return AREA_NAMES[self.level][0]

    @property
    def area_names(self) -> str:
        return AREA_NAMES[self.level][1]

    @property
    def ranked_count(self) -> int:
        return max((row.rank_of or 0 for row in self.rows), default=0)

    @property
    def first_is(self) -> str:
        return "best" if self.judged else "highest"

    @property
    def method(self) -> str:
        if self.judged:
            return (
                f"England's {self.area_names} with a value are ranked and split into five "
                "equal-sized groups (quintiles, as OHID Fingertips does); the best fifth is the "
                f"one with the {'highest' if self.measure.polarity == 'higher' else 'lowest'} "
                "values, because for this measure "
                f"{'higher' if self.measure.polarity == 'higher' else 'lower'} is better."
            )
        return (
            f"England's {self.area_names} with a value are ranked and split into five equal-sized "
            "groups (quintiles, as OHID Fingertips does), from the highest values to the lowest. "
            "Neither higher nor lower is better for this measure, so the shading makes no "
            "judgement."
        )

    @property
    def summary(self) -> str:
        """The map in words (its text alternative): where the partnership's places stand."""
        parts = [
            f"A map of England's {self.ranked_count} {self.area_names} shaded by fifth of "
            f"{self.measure.title.lower()}, {self.period_label}."
        ]
        for row in self.partnership_rows:
            parts.append(
                f"{row.name}: {row.value}, {row.rank_text} (1st is {self.first_is}), "
                f"{row.fifth_label.lower()}."
            )
        return " ".join(parts)


def _level_order():
    return Case(
        *(When(geography=level, then=Value(i)) for i, level in enumerate(PREFERENCE)),
        default=Value(len(PREFERENCE)),
        output_field=IntegerField(),
    )


def period_text(start: date, end: date) -> str:
    """The project's label for a span (2024/25, 2022-24), as every other page writes it."""
    return period_label(start, end, infer_type(start, end))


def measure_map(measure: Measure, *, areas: Areas) -> MeasureMap | None:
    """The map for a measure linked to a national indicator, at the most specific kind of area
    the indicator ranks the partnership's places among, in the latest period they are ranked;
    None where the measure has no national indicator or no ranked value for the places."""
    if measure.national_indicator_id is None:
        return None
    places = areas.places or ([areas.system] if areas.system else [])
    place_ids = [p.pk for p in places]
    if areas.system:
        place_ids.append(areas.system.pk)
    anchor = (
        Observation.objects.filter(
            indicator_id=measure.national_indicator_id,
            area_id__in=place_ids,
            geography__in=PREFERENCE,
            rank_of__isnull=False,
        )
        .annotate(level_order=_level_order())
        .order_by("level_order", "-period_start", "-period_end")
    )
    # One query: the anchor (the places' kind of area and latest ranked period) is a subquery
    # PostgreSQL runs once; the rows are that period's values for every area of the kind.
    observations = list(
        Observation.objects.filter(
            indicator_id=measure.national_indicator_id,
            geography=Subquery(anchor.values("geography")[:1]),
            period_start=Subquery(anchor.values("period_start")[:1]),
            period_end=Subquery(anchor.values("period_end")[:1]),
            rank_of__isnull=False,
        )
        .order_by()
        .values(
            "geography",
            "period",
            "period_start",
            "period_end",
            "value",
            "rank_low",
            "rank_high",
            "rank_of",
            "quintile",
            "quintile_high",
            "area_id",
            "area__code",
            "area__name",
            "indicator__dataset__source_org",
            "indicator__dataset__source_url",
            "indicator__dataset__release_date",
        )
    )
    if not observations:
        return None
    return _build(measure, observations, areas)


def _build(measure: Measure, observations: list[dict], areas: Areas) -> MeasureMap | None:
    anchor = observations[0]
    level = anchor["geography"]
    if level not in LEVELS:
        return None
    judged = measure.polarity in (Measure.Polarity.HIGHER, Measure.Polarity.LOWER)
    labels = JUDGED_LABELS if judged else VALUE_LABELS
    low_is_first = measure.polarity == Measure.Polarity.LOWER
    ours = {p.pk: p for p in areas.shown}
    rows, classes, outlined = [], {}, {}
    for obs in observations:
        code, name = obs["area__code"], obs["area__name"]
        rank = obs["rank_low"] if low_is_first else obs["rank_high"]
        fifth = obs["quintile"] if low_is_first else obs["quintile_high"]
        value = measure.format_value(obs["value"])
        place = ours.get(obs["area_id"])
        href = place.get_absolute_url() if place else None
        label = labels[fifth - 1] if fifth else "Not ranked"
        rows.append(
            MapRow(
                code=code,
                name=name,
                href=href,
                value=value,
                rank=rank,
                rank_of=obs["rank_of"],
                fifth=fifth,
                fifth_label=label,
                partnership=place is not None,
            )
        )
        if fifth:
            classes[code] = (f"st-map__q{fifth}", f"{name}: {value}, {label.lower()}")
        if place is not None:
            outlined[code] = href
    rows.sort(key=lambda r: (r.rank or 10**6, r.name))
    legend = [(f"st-map__q{i}", label) for i, label in enumerate(labels, start=1)]
    return MeasureMap(
        measure=measure,
        level=level,
        period_label=period_text(anchor["period_start"], anchor["period_end"]),
        period_start=anchor["period_start"],
        judged=judged,
        map=choropleth(level=level, classes=classes, legend=legend, outlined=outlined),
        rows=rows,
        source_org=anchor["indicator__dataset__source_org"],
        source_url=anchor["indicator__dataset__source_url"],
        release_date=anchor["indicator__dataset__release_date"],
    )
