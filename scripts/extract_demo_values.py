"""Copy real published values out of the national data files into the demos' fixture CSVs (the
`import_values` format), so that the demos need no national import. Nothing is computed or
changed, except where a row's note says so (the looked-after pupils' years, below).

    .venv/bin/python scripts/extract_demo_values.py ../shared/data/national/indicators

writes fixtures/south_yorkshire/values_groups.csv (persistent absence by pupil group) and
fixtures/lancashire_south_cumbria/values.csv (the second demo's measures).

Looked-after pupils: DfE publishes their absence for the children looked after on 31 March, and
ONS dates each year April to March (``2023-04-01/P1Y``); the year with no figure (2019-04-01)
is the 2019/20 academic year, for which no absence was collected. Each is shown under the
academic year that starts in it (``2023-08-01/P1Y``, 2023/24), with a note on every row.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMIT = "ONSdigital/explore-local-statistics-data@4972c588d0c192839afc8fa54ae82cb3dc7721ed"
COLUMNS = [
    "area_code",
    "area_name",
    "indicator",
    "period",
    "value",
    "lci_95",
    "uci_95",
    "breakdown_dimension",
    "breakdown_category",
    "note",
    "source",
    "licence",
]
PUPIL_GROUP = "Pupil group"
FSM = "Eligible for free school meals"
LOOKED_AFTER = "Looked after by the local authority"
LAC_NOTE = (
    "DfE figure for pupils looked after on 31 March {end} (ONS period {period}), shown under the "
    "academic year {year}/{next2}."
)

SOUTH_YORKSHIRE = {
    "E08000016", "E08000038", "E08000017", "E08000018", "E08000019", "E08000039",
    "E47000002", "E12000003", "E92000001",
}  # fmt: skip
LANCASHIRE_SOUTH_CUMBRIA = {
    "E10000017",  # Lancashire (county)
    "E06000008",  # Blackburn with Darwen
    "E06000009",  # Blackpool
    "E06000064",  # Westmorland and Furness (for South Cumbria)
    "E12000002",  # North West
    "E92000001",  # England
}

ABSENCE = [
    ("persistent-absences-for-all-pupils", "Persistent absences for all pupils", None),
    (
        "persistent-absences-for-pupils-eligible-for-free-school-meals",
        "Persistent absences for pupils eligible for free school meals",
        FSM,
    ),
    (
        "persistent-absences-for-pupils-looked-after-by-local-authorities",
        "Persistent absences for pupils looked after by local authorities",
        LOOKED_AFTER,
    ),
]

# The second demo: (file, indicator in the file, the measure's slug, the `measure` column's
# value where a file has several).
LSC = [
    ("early-years", "Communication and language", "lsc-early-years-communication", None),
    ("children-in-relative-poverty", "Children in relative poverty after housing costs",
     "lsc-children-in-relative-poverty", None),
    ("adult-obesity-prevalence", "Adult obesity prevalence", "lsc-adult-obesity", None),
    ("cigarette-smokers", "Cigarette smokers (adults 18+, APS annual)", "lsc-adults-who-smoke",
     None),
    ("employment-rate", "Employment rate", "lsc-employment-rate", None),
    ("gross-disposable-household-income-per-head", "Gross disposable household income",
     "lsc-gross-disposable-household-income", None),
    ("personal-wellbeing-estimates", "Satisfaction", "lsc-life-satisfaction", "Mean"),
    ("personal-wellbeing-estimates", "Anxiety", "lsc-anxiety", "Mean"),
    ("healthy-life-expectancy", "Male healthy life expectancy", "lsc-male-healthy-life-expectancy",
     None),
    ("healthy-life-expectancy", "Female healthy life expectancy",
     "lsc-female-healthy-life-expectancy", None),
]  # fmt: skip


def read(folder: Path, name: str) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def out_row(row: dict, indicator: str, file: str, **extra) -> dict:
    return {
        "area_code": row["areacd"],
        "area_name": row["areanm"],
        "indicator": indicator,
        "period": row["period"],
        "value": "" if row["observation"] in ("", "x") else row["observation"],
        "lci_95": row.get("lci_95", ""),
        "uci_95": row.get("uci_95", ""),
        "breakdown_dimension": "",
        "breakdown_category": "",
        "note": "",
        "source": f"{COMMIT}:{file}/{file}.csv",
        "licence": "OGL v3",
    } | extra


def absence_rows(folder: Path, areas: set[str], indicator: str) -> list[dict]:
    rows = []
    for file, name, group in ABSENCE:
        for row in read(folder, file):
            if row["areacd"] not in areas or row["indicator"] != name:
                continue
            extra = {}
            if group:
                extra = {"breakdown_dimension": PUPIL_GROUP, "breakdown_category": group}
            if group == LOOKED_AFTER:
                start = row["period"].split("/")[0]
                year = int(start[:4])
                extra["period"] = f"{year}-08-01/P1Y"
                extra["note"] = LAC_NOTE.format(
                    end=year + 1, period=row["period"], year=year, next2=str(year + 1)[2:]
                )
            rows.append(out_row(row, indicator, file, **extra))
    return rows


def lsc_rows(folder: Path) -> list[dict]:
    rows = []
    for file, name, slug, measure_starts in LSC:
        for row in read(folder, file):
            if row["areacd"] not in LANCASHIRE_SOUTH_CUMBRIA or row["indicator"] != name:
                continue
            if measure_starts and not row.get("measure", "").startswith(measure_starts):
                continue
            rows.append(out_row(row, slug, file))
    return rows + absence_rows(folder, LANCASHIRE_SOUTH_CUMBRIA, "lsc-persistent-absence")


def write(path: Path, rows: list[dict]) -> None:
    rows.sort(key=lambda r: (r["indicator"], r["area_code"], r["breakdown_category"], r["period"]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


def main(folder: Path) -> None:
    write(
        ROOT / "fixtures" / "south_yorkshire" / "values_groups.csv",
        absence_rows(folder, SOUTH_YORKSHIRE, "persistent-absence"),
    )
    write(ROOT / "fixtures" / "lancashire_south_cumbria" / "values.csv", lsc_rows(folder))


if __name__ == "__main__":
    main(
        Path(
            sys.argv[1]
            if len(sys.argv) > 1
            else ROOT.parent.parent / "shared/data/national/indicators"
        )
    )
