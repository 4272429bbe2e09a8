"""./dev manage import_national PATH: load national data (a folder in the ONS "Explore local
statistics" layout, or one dataset's CSV), every area and indicator, all or nothing per dataset;
then the partnership's published values of measures linked to its indicators."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from national.areas import AreaBook, areas_sync
from national.loading import dataset_load
from national.reading import DatasetError, dataset_files
from outcomes.services.national import national_values_sync


class Command(BaseCommand):
    help = "Import national data (ONS Explore local statistics layout): every area and indicator."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="A folder of dataset CSVs (with JSON), or CSV files."
        )
        parser.add_argument(
            "--geography",
            help="The geography folder (areas.json, similar-areas.json); by default the "
            "sibling 'geography' folder of PATH's folder, where there is one.",
        )

    def handle(self, *args, paths, geography=None, **options):
        files = []
        for path in map(Path, paths):
            try:
                files.extend(dataset_files(path))
            except DatasetError as exc:
                raise CommandError(str(exc)) from None
        path = Path(paths[0])
        folder = path if path.is_dir() else path.parent
        geo = Path(geography) if geography else folder.parent / "geography"
        started = time.perf_counter()
        if (geo / "areas.json").exists():
            counts = areas_sync(geo)
            self.stdout.write(
                f"Areas: {counts['created']:,} created, {counts['updated']:,} updated; "
                f"similar areas: {counts['similar']:,} written."
            )
        book = AreaBook()
        totals = dict(read=0, stored=0, no_code=0, superseded=0, created=0, updated=0, removed=0)
        failed = []
        for number, dataset_file in enumerate(files, start=1):
            result = dataset_load(dataset_file, book=book)
            if result.errors:
                failed.append(result)
                self.stderr.write(f"[{number}/{len(files)}] {result.slug}: NOT loaded")
                for error in result.errors:
                    self.stderr.write(f"    {error}")
                continue
            for key, value in (
                ("read", result.rows_read),
                ("stored", result.stored),
                ("no_code", result.no_code),
                ("superseded", result.superseded),
                ("created", result.created),
                ("updated", result.updated),
                ("removed", result.removed),
            ):
                totals[key] += value
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"[{number}/{len(files)}] {result.slug}: {result.rows_read:,} rows, "
                f"{result.created:,} new, {result.updated:,} changed, {result.removed:,} removed"
                f" · {totals['read'] / elapsed:,.0f} rows/s"
            )
            self._after_dataset(result)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Loaded {totals['read']:,} rows from {len(files) - len(failed)} of {len(files)} "
            f"datasets in {elapsed:.1f} s: {totals['stored']:,} values stored "
            f"({totals['created']:,} new, {totals['updated']:,} changed, "
            f"{totals['removed']:,} removed); {totals['superseded']:,} rows repeated or under a "
            f"former code where the current code is given; {totals['no_code']:,} rows without "
            f"an area code."
        )
        if failed:
            raise CommandError(
                f"{len(failed)} dataset(s) not loaded: " + ", ".join(r.slug for r in failed)
            )

    def _after_dataset(self, result) -> None:
        """The partnership's values of the measures linked to this dataset's indicators."""
        for synced in national_values_sync(indicator_ids=result.indicator_ids):
            if synced.errors:
                self.stderr.write(f"    {synced.measure}: values NOT updated")
                for error in synced.errors:
                    self.stderr.write(f"      {error}")
            elif synced.created or synced.updated:
                self.stdout.write(
                    f"    {synced.measure}: {synced.created} values published, "
                    f"{synced.updated} revised"
                    + (f" (dated {result.release_date:%-d %B %Y})" if result.release_date else "")
                )
