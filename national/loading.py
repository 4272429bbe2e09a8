"""Loading one dataset, all or nothing, at COPY speed: rows are checked in Python as they stream
into a temporary table (PostgreSQL COPY), then merged into the observations set-based
(INSERT ... ON CONFLICT DO UPDATE only where a figure changed; DELETE what the release no longer
holds). Ranks and quintiles are computed in SQL on the staged rows and written with them; the
spread is recomputed only when something changed: a second run of the same files changes nothing.

Memory is bounded by the COPY buffer (`CHUNK` rows), not by the file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from methods.periods import PeriodError
from national.areas import AreaBook
from national.models import Dataset, Indicator
from national.reading import (
    NO_CODE,
    OBSOLETE,
    DatasetError,
    DatasetFile,
    geography_code,
    number_text,
    period_span,
    read_metadata,
    read_rows,
)

CHUNK = 20_000
MAX_ERRORS = 20


@dataclass
class DatasetResult:
    slug: str
    rows_read: int = 0
    stored: int = 0  # observations the dataset holds after the load
    no_code: int = 0  # rows without an area code (e.g. "na" for Scottish city regions)
    superseded: int = 0  # rows repeated, or under a former code where the current one is given
    created: int = 0
    updated: int = 0
    removed: int = 0
    areas_created: int = 0
    errors: list[str] = field(default_factory=list)
    indicator_ids: list[int] = field(default_factory=list)
    release_date: object = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


LOAD_TABLE = """
CREATE TEMP TABLE national_load (
    line integer, indicator_id bigint, area_id bigint, geography varchar(8),
    period varchar(40), period_start date, period_end date,
    value numeric(24, 6), lower_ci numeric(24, 6), upper_ci numeric(24, 6),
    status varchar(16), note text, former boolean
) ON COMMIT DROP
"""

# The rows to keep (a row under a former code gives way to the current code's row for the same
# area and period; a repeated row to the first), each with the kind of area it is ranked among
# and its rank and quintile there, among England's current areas with a value. Kinds of area
# overlap: a unitary or metropolitan district (Barnsley) is both a district and an upper-tier
# authority. It is ranked with districts where the release has lower-tier-only districts in
# that period, else with upper-tier authorities; either way it counts in both groups, so that a
# county is ranked among all upper-tier authorities. The file holds every row of its
# indicators, so ranks are computed here, before the merge, and written with the values in one
# pass. Ties share a rank (RANK); quintiles are Fingertips' method: the ranked areas in five
# equal-sized groups (as NTILE(5)), by rank so that ties share one; stored both ways
# (`quintile`: 1 holds the lowest values; `quintile_high`: 1 holds the highest).
PICK = """
CREATE TEMP TABLE national_pick ON COMMIT DROP AS
WITH picked AS (
    SELECT DISTINCT ON (indicator_id, area_id, period_start, period_end) *
    FROM national_load
    ORDER BY indicator_id, area_id, period_start, period_end, former, line
), placed AS (
    SELECT k.*, p.levels @> ARRAY['utla', 'ltla']::varchar[] AS both_tiers,
        coalesce(nullif(p.area_type, ''), k.geography) AS own_kind,
        (k.value IS NOT NULL AND p.code LIKE 'E%%' AND p.is_current) AS rankable,
        p.levels = ARRAY['ltla']::varchar[] AS lower_only
    FROM picked k JOIN places_place p ON p.id = k.area_id
), tiered AS (
    SELECT DISTINCT indicator_id, period_start, period_end
    FROM placed WHERE lower_only AND rankable
), shown AS (
    SELECT x.*, CASE
        WHEN x.both_tiers AND t.indicator_id IS NOT NULL THEN 'ltla'
        WHEN x.both_tiers THEN 'utla'
        ELSE x.own_kind END AS kind
    FROM placed x LEFT JOIN tiered t USING (indicator_id, period_start, period_end)
), members AS (
    SELECT s.line, s.indicator_id, s.period_start, s.period_end, s.value, g.kind
    FROM shown s CROSS JOIN LATERAL unnest(
        CASE WHEN s.both_tiers THEN ARRAY['utla', 'ltla'] ELSE ARRAY[s.kind] END) AS g(kind)
    WHERE s.rankable
), ranked AS (
    SELECT m.line, m.kind,
        rank() OVER (PARTITION BY m.indicator_id, m.kind, m.period_start, m.period_end
                     ORDER BY m.value) AS rank_low,
        rank() OVER (PARTITION BY m.indicator_id, m.kind, m.period_start, m.period_end
                     ORDER BY m.value DESC) AS rank_high,
        count(*) OVER (PARTITION BY m.indicator_id, m.kind, m.period_start,
                       m.period_end) AS rank_of
    FROM members m
)
SELECT s.line, s.indicator_id, s.area_id, s.kind AS geography, s.period, s.period_start,
    s.period_end, s.value, s.lower_ci, s.upper_ci, s.status, s.note,
    r.rank_low, r.rank_high, r.rank_of,
    {quintile_low} AS quintile, {quintile_high} AS quintile_high
FROM shown s LEFT JOIN ranked r ON r.line = s.line AND r.kind = s.kind
"""


def _ntile(position: str, n: str = "r.rank_of") -> str:
    """NTILE(5)'s group for a position, in SQL: the first n % 5 groups hold one more. Taken
    from the rank, so that equal values always share a quintile."""
    size, extra = f"({n} / 5)", f"({n} % 5)"
    return (
        f"CASE WHEN {position} <= {extra} * ({size} + 1) "
        f"THEN ({position} - 1) / ({size} + 1) + 1 "
        f"ELSE {extra} + ({position} - 1 - {extra} * ({size} + 1)) / nullif({size}, 0) + 1 END"
    )


PICK = PICK.format(quintile_low=_ntile("r.rank_low"), quintile_high=_ntile("r.rank_high"))

MERGE = """
WITH merged AS (
    INSERT INTO national_observation AS o (
        indicator_id, area_id, geography, period, period_start, period_end,
        value, lower_ci, upper_ci, status, note, rank_low, rank_high, rank_of, quintile,
        quintile_high)
    SELECT indicator_id, area_id, geography, period, period_start, period_end,
        value, lower_ci, upper_ci, coalesce(status, ''), coalesce(note, ''),
        rank_low, rank_high, rank_of, quintile, quintile_high
    FROM national_pick
    ON CONFLICT (indicator_id, area_id, period_start, period_end) DO UPDATE SET
        geography = EXCLUDED.geography, period = EXCLUDED.period, value = EXCLUDED.value,
        lower_ci = EXCLUDED.lower_ci, upper_ci = EXCLUDED.upper_ci,
        status = EXCLUDED.status, note = EXCLUDED.note, rank_low = EXCLUDED.rank_low,
        rank_high = EXCLUDED.rank_high, rank_of = EXCLUDED.rank_of, quintile = EXCLUDED.quintile,
        quintile_high = EXCLUDED.quintile_high
    WHERE (o.geography, o.period, o.value, o.lower_ci, o.upper_ci, o.status, o.note,
           o.rank_low, o.rank_high, o.rank_of, o.quintile, o.quintile_high)
        IS DISTINCT FROM (EXCLUDED.geography, EXCLUDED.period, EXCLUDED.value,
            EXCLUDED.lower_ci, EXCLUDED.upper_ci, EXCLUDED.status, EXCLUDED.note,
            EXCLUDED.rank_low, EXCLUDED.rank_high, EXCLUDED.rank_of, EXCLUDED.quintile,
            EXCLUDED.quintile_high)
    RETURNING (xmax = 0) AS inserted
)
SELECT
    (SELECT count(*) FROM national_pick),
    count(*) FILTER (WHERE inserted),
    count(*) FILTER (WHERE NOT inserted)
FROM merged
"""

REMOVE = """
DELETE FROM national_observation o
WHERE o.indicator_id = ANY(%s)
  AND NOT EXISTS (
    SELECT 1 FROM national_pick k
    WHERE k.indicator_id = o.indicator_id AND k.area_id = o.area_id
      AND k.period_start = o.period_start AND k.period_end = o.period_end)
"""

SPREAD = """
INSERT INTO national_spread (indicator_id, geography, period_start, period_end, count,
    minimum, q1, median, q3, maximum)
SELECT k.indicator_id, g.kind, k.period_start, k.period_end, count(*),
    min(k.value),
    percentile_cont(0.25) WITHIN GROUP (ORDER BY k.value),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY k.value),
    percentile_cont(0.75) WITHIN GROUP (ORDER BY k.value),
    max(k.value)
FROM national_pick k JOIN places_place p ON p.id = k.area_id
CROSS JOIN LATERAL unnest(
    CASE WHEN p.levels @> ARRAY['utla', 'ltla']::varchar[] THEN ARRAY['utla', 'ltla']
    ELSE ARRAY[k.geography] END) AS g(kind)
WHERE k.rank_of IS NOT NULL
  AND EXISTS (SELECT 1 FROM national_pick s WHERE s.indicator_id = k.indicator_id
      AND s.geography = g.kind AND s.period_start = k.period_start
      AND s.period_end = k.period_end AND s.rank_of IS NOT NULL)
GROUP BY k.indicator_id, g.kind, k.period_start, k.period_end
"""


def _dataset_upsert(dataset_file: DatasetFile, meta) -> Dataset:
    fields = {
        "title": meta.title,
        "source_org": meta.source_org,
        "source_url": meta.source_url,
        "release_date": meta.release_date,
        "caveats": meta.caveats,
        "decimal_places": meta.decimal_places,
        "prefix": meta.prefix,
        "suffix": meta.suffix,
        "standardised": meta.standardised,
        "experimental": meta.experimental,
        "metadata": meta.raw,
        "file_name": dataset_file.csv_path.name,
    }
    dataset = Dataset.objects.filter(slug=dataset_file.slug).first()
    if dataset is None:
        return Dataset.objects.create(slug=dataset_file.slug, **fields)
    if any(getattr(dataset, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(dataset, key, value)
        dataset.save()
    return dataset


def _indicators(dataset: Dataset, meta, first_rows: dict[str, dict]) -> dict[str, Indicator]:
    """The dataset's indicators by lower-case name, created or updated from the metadata."""
    existing = {i.name.lower(): i for i in dataset.indicators.all()}
    found = {}
    for key, row in first_rows.items():
        info = meta.indicators.get(key) or meta.indicators.get("*") or {}
        fields = {
            "label": (info.get("label") or "")[:200],
            "subtitle": (info.get("subtitle") or "")[:500],
            "long_description": info.get("longDescription") or "",
            "caveats": info.get("caveats") or "",
            "measure": (row.get("measure") or "").strip()[:100],
            "unit": (row.get("unit") or "").strip()[:60],
        }
        indicator = existing.get(key)
        if indicator is None:
            indicator = Indicator.objects.create(
                dataset=dataset, name=row["indicator"].strip()[:200], **fields
            )
        elif any(getattr(indicator, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(indicator, k, v)
            indicator.save()
        found[key] = indicator
    return found


def _scan(dataset_file: DatasetFile, result: DatasetResult):
    """First pass: the areas and indicators the file names, and any bad row (bounded)."""
    areas: dict[str, tuple[str, str, str]] = {}
    first_rows: dict[str, dict] = {}
    for line, row in read_rows(dataset_file.csv_path):
        result.rows_read += 1
        code = row["areacd"].strip().upper()
        problems = []
        if code in NO_CODE:
            result.no_code += 1
        elif code not in areas:
            areas[code] = (row["areanm"], geography_code(row["geography"]), row.get("notes", ""))
        name = row["indicator"].strip()
        if not name:
            problems.append("the indicator is empty")
        elif name.lower() not in first_rows:
            first_rows[name.lower()] = row
        try:
            period_span(row["period"])
        except PeriodError as exc:
            problems.append(str(exc))
        for column, what in (
            ("observation", "value"),
            ("lci_95", "lower confidence limit"),
            ("uci_95", "upper confidence limit"),
        ):
            try:
                number_text(row.get(column, ""), what)
            except ValueError as exc:
                problems.append(str(exc))
        if problems and len(result.errors) < MAX_ERRORS:
            result.errors.append(f"{dataset_file.csv_path.name} line {line}: {'; '.join(problems)}")
        elif problems:
            result.errors.append("...")
    return areas, first_rows


def _copy_rows(cursor, dataset_file: DatasetFile, indicators, book: AreaBook) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pending = 0
    for line, row in read_rows(dataset_file.csv_path):
        code = row["areacd"].strip().upper()
        if code in NO_CODE:
            continue
        start, end = period_span(row["period"])
        note = row.get("notes", "").strip()
        writer.writerow(
            (
                line,
                indicators[row["indicator"].strip().lower()].pk,
                book.place_id(code),
                geography_code(row["geography"]),
                row["period"].strip()[:40],
                start,
                end,
                number_text(row["observation"], "value"),
                number_text(row.get("lci_95", ""), "lower confidence limit"),
                number_text(row.get("uci_95", ""), "upper confidence limit"),
                row.get("status", "").strip()[:16],
                note,
                "t" if OBSOLETE.search(note) else "f",
            )
        )
        pending += 1
        if pending >= CHUNK:
            _flush(cursor, buffer)
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        _flush(cursor, buffer)


def _flush(cursor, buffer: io.StringIO) -> None:
    buffer.seek(0)
    cursor.copy_expert("COPY national_load FROM STDIN WITH (FORMAT csv)", buffer)


def dataset_load(dataset_file: DatasetFile, *, book: AreaBook | None = None) -> DatasetResult:
    """Load one dataset in one transaction; with any bad row, save nothing and say why."""
    result = DatasetResult(slug=dataset_file.slug)
    try:
        meta = read_metadata(dataset_file)
        areas, first_rows = _scan(dataset_file, result)
    except DatasetError as exc:
        result.errors.append(str(exc))
        return result
    if result.errors:
        return result
    result.release_date = meta.release_date
    with transaction.atomic():
        book = book or AreaBook()
        before = book.created
        book.ensure(areas)
        result.areas_created = book.created - before
        dataset = _dataset_upsert(dataset_file, meta)
        indicators = _indicators(dataset, meta, first_rows)
        ids = [i.pk for i in indicators.values()]
        result.indicator_ids = ids
        with connection.cursor() as cursor:
            cursor.execute(LOAD_TABLE)
            _copy_rows(cursor, dataset_file, indicators, book)
            cursor.execute(PICK)
            cursor.execute(MERGE)
            stored, result.created, result.updated = cursor.fetchone()
            cursor.execute(REMOVE, [ids])
            result.removed = cursor.rowcount
            result.stored = stored
            result.superseded = result.rows_read - result.no_code - stored
            if result.changed:
                cursor.execute("DELETE FROM national_spread WHERE indicator_id = ANY(%s)", [ids])
                cursor.execute(SPREAD, [ids])
            cursor.execute("DROP TABLE national_pick, national_load")
        if result.changed or dataset.rows_read != result.rows_read:
            dataset.rows_read = result.rows_read
            dataset.imported_at = timezone.now()
            dataset.save(update_fields=["rows_read", "imported_at"])
    return result
