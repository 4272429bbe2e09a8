"""Reading the national data folder (ONS "Explore local statistics" layout): which files make a
dataset, its metadata, and its rows, with the real-world quirks (a byte-order mark, columns in
another order, two `notes` columns, periods as ISO 8601 intervals or instants).

Pure reading: nothing here touches the database (`national.loading` writes)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from methods.periods import PeriodError, parse_period

REQUIRED = ["areacd", "areanm", "geography", "indicator", "period", "observation"]
OPTIONAL = ["measure", "unit", "lci_95", "uci_95", "status", "notes"]

# The publisher's names for kinds of area -> Place.AreaType values.
GEOGRAPHIES = {
    "country": "ctry",
    "nation": "ctry",
    "region": "rgn",
    "combined authority": "cauth",
    "combined authority or city region": "cauth",
    "county or unitary authority": "utla",
    "upper tier local authority": "utla",
    "local authority district": "ltla",
    "lower tier local authority": "ltla",
    "itl level 1": "itl1",
    "itl level 2": "itl2",
    "itl level 3": "itl3",
    "police force area": "pfa",
}
# areas.json levels, most specific last.
LEVELS = ["ctry", "rgn", "cauth", "utla", "ltla"]
OBSOLETE = re.compile(r"Obsolete code since (\d{4}) \(replaced by ([A-Z]\d{8}) ([^)]*)\)")
RELEASE_SUFFIX = re.compile(r"^(?P<slug>[^.]+)\.(?P<date>\d{4}-\d{2}-\d{2})$")
NO_CODE = {"", "NA", "N/A"}


def default_folder() -> Path | None:
    """The national data folder: NATIONAL_DATA_DIR, or ../shared/data/national beside the
    project (or its worktree's parent), where there is one."""
    import os

    from django.conf import settings

    candidates = [os.environ.get("NATIONAL_DATA_DIR", "")] + [
        str(up / "shared" / "data" / "national") for up in settings.BASE_DIR.parents[:2]
    ]
    return next((Path(c) for c in candidates if c and (Path(c) / "indicators").is_dir()), None)


class DatasetError(ValueError):
    """The dataset cannot be loaded as it stands; nothing of it is saved."""


@dataclass
class DatasetFile:
    slug: str
    csv_path: Path
    json_path: Path | None
    release_date: date | None = None  # from a release file's name (slug.YYYY-MM-DD.csv)


@dataclass
class Metadata:
    title: str
    source_org: str = ""
    source_url: str = ""
    release_date: date | None = None
    caveats: str = ""
    decimal_places: int | None = None
    prefix: str = ""
    suffix: str = ""
    standardised: bool | None = None
    experimental: bool | None = None
    raw: dict = field(default_factory=dict)
    indicators: dict[str, dict] = field(default_factory=dict)


def dataset_files(path: Path) -> list[DatasetFile]:
    """The datasets in a folder (each CSV with the JSON beside it), or one CSV file. A release
    file `slug.YYYY-MM-DD.csv` is that dataset as released on that date; its metadata is read
    from `slug.json` beside it or in a sibling `indicators/` folder."""
    path = Path(path)
    if path.is_dir():
        csvs = sorted(path.glob("*.csv"))
        if not csvs:
            raise DatasetError(f"{path} holds no CSV files.")
    elif path.suffix.lower() == ".csv" and path.exists():
        csvs = [path]
    else:
        raise DatasetError(f"{path} is not a folder of CSV files or a CSV file.")
    found = []
    for csv_path in csvs:
        stem = csv_path.stem
        release = None
        match = RELEASE_SUFFIX.match(stem)
        if match:
            stem, release = match["slug"], date.fromisoformat(match["date"])
        json_path = next(
            (
                p
                for p in (
                    csv_path.with_name(f"{stem}.json"),
                    csv_path.parent.parent / "indicators" / f"{stem}.json",
                )
                if p.exists()
            ),
            None,
        )
        found.append(DatasetFile(stem, csv_path, json_path, release))
    return found


def _flag(value) -> bool | None:
    if value in (None, ""):
        return None
    return str(value).strip().upper() in ("T", "TRUE", "Y", "YES", "1")


def read_metadata(dataset: DatasetFile) -> Metadata:
    title = dataset.slug.replace("-", " ").capitalize()
    meta = Metadata(title=title)
    if dataset.json_path:
        try:
            raw = json.loads(dataset.json_path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise DatasetError(f"{dataset.json_path.name} is not valid JSON: {exc}") from None
        ess = raw.get("ess-beta-metadata") or {}
        # Files of several indicators keep the common fields under "shared" and each
        # indicator's under its name; a file of one indicator keeps them all at the top.
        shared = ess.get("shared") if isinstance(ess.get("shared"), dict) else ess
        meta.raw = ess
        meta.source_org = shared.get("sourceOrg") or ""
        meta.source_url = shared.get("sourceURL") or ""
        meta.caveats = shared.get("caveats") or ""
        places = shared.get("decimalPlaces")
        meta.decimal_places = int(places) if str(places or "").isdigit() else None
        meta.prefix = shared.get("prefix") or ""
        meta.suffix = shared.get("suffix") or ""
        meta.standardised = _flag(shared.get("standardised"))
        meta.experimental = _flag(shared.get("experimentalStatistic"))
        source_date = (shared.get("sourceDate") or "").strip()
        if source_date:
            try:
                day, month, year = (int(x) for x in source_date.split("/"))
                meta.release_date = date(year, month, day)
            except ValueError:
                raise DatasetError(
                    f"{dataset.json_path.name}: sourceDate {source_date!r} is not DD/MM/YYYY."
                ) from None
        if shared is ess:
            meta.indicators = {"*": ess}
            meta.title = (ess.get("label") or title)[:200]
        else:
            meta.indicators = {
                name.lower(): value
                for name, value in ess.items()
                if name != "shared" and isinstance(value, dict)
            }
    if dataset.release_date:
        meta.release_date = dataset.release_date
    return meta


@lru_cache(maxsize=4096)
def period_span(text: str) -> tuple[date, date]:
    """An ISO 8601 interval (start/duration or start/end) or an instant (a single date, a
    snapshot: it starts and ends that day)."""
    text = text.strip()
    if "/" not in text:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise PeriodError(f"{text!r} is not an ISO 8601 date or interval") from None
        return day, day
    parsed = parse_period(text)
    return parsed.start, parsed.end


@lru_cache(maxsize=1024)
def geography_code(label: str) -> str:
    return GEOGRAPHIES.get(label.strip().lower(), "other")


def number_text(text: str, what: str) -> str:
    """The number as text for COPY ('' for none), or ValueError saying what is wrong."""
    cleaned = text.replace(",", "").strip()
    if cleaned == "":
        return ""
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"the {what} {text!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"the {what} {text!r} is not a number")
    return cleaned


def read_rows(csv_path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, cells) for each non-empty row; line 1 is the header. Columns are matched by
    name, whatever their order; a repeated column (two `notes`) is joined."""
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise DatasetError(f"{csv_path.name} is empty.") from None
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise DatasetError(f"{csv_path.name} has no column {', '.join(missing)}.")
        positions: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            positions.setdefault(name, []).append(index)
        single = {name: idx[0] for name, idx in positions.items() if len(idx) == 1}
        repeated = {name: idx for name, idx in positions.items() if len(idx) > 1}
        width = len(header)
        for line, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            row = {name: cells[i] for name, i in single.items()}
            for name, idx in repeated.items():
                row[name] = "; ".join(cells[i].strip() for i in idx if cells[i].strip())
            yield line, row


def area_levels(levels: list[str]) -> str:
    """The most specific of areas.json's levels: Barnsley (utla and ltla) is a district."""
    known = [level for level in levels if level in LEVELS]
    return max(known, key=LEVELS.index) if known else ""
