from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.spreadsheets import COMMAND_LIMITS
from outcomes.importing import FileError, read_table
from outcomes.models import Outcome, Value
from outcomes.services.values import values_import


class Command(BaseCommand):
    help = (
        "Import measure values from a CSV or XLSX file (columns: area_code, indicator, period, "
        "value, and optionally lci_95, uci_95, numerator, denominator, source, note, "
        "breakdown_dimension, breakdown_category). Saves every row or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; save nothing."
        )
        parser.add_argument(
            "--create-measures",
            action="store_true",
            help="First create measures the file names but the database lacks (needs --outcome).",
        )
        parser.add_argument("--outcome", help="Slug of the outcome new measures belong to.")
        parser.add_argument(
            "--state",
            choices=[Value.State.PUBLISHED, Value.State.DRAFT],
            default=Value.State.PUBLISHED,
            help="published (default): publish directly, each change on the record; draft: "
            "make each new or changed row a draft proposal for review, the public figures "
            "unchanged until approved.",
        )

    def handle(self, *args, file: Path, dry_run: bool, create_measures: bool, outcome, state, **kw):
        target_outcome = None
        if create_measures:
            if not outcome:
                raise CommandError("--create-measures needs --outcome SLUG.")
            target_outcome = Outcome.objects.filter(slug=outcome).first()
            if target_outcome is None:
                raise CommandError(f"No outcome has the slug {outcome!r}.")
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            rows, empty = read_table(file.read_bytes(), file.name, limits=COMMAND_LIMITS)
        except FileError as exc:
            raise CommandError(str(exc)) from exc

        result = values_import(
            rows=rows,
            empty_lines=empty,
            state=state,
            dry_run=dry_run,
            create_measures_in=target_outcome,
            comment=f"Imported from {file.name}",
        )
        check = result.check
        if empty:
            self.stdout.write(f"Skipped {len(empty)} empty rows (lines {_lines(empty)}).")
        for line, original in check.repeats:
            self.stdout.write(f"line {line}: repeats line {original} exactly; kept one.")
        if not check.ok:
            for error in check.errors:
                self.stderr.write(str(error))
            lines = len({e.line for e in check.errors})
            problems = len(check.errors)
            raise CommandError(
                f"{lines} of {len(rows)} rows are bad ({problems} problem"
                f"{'' if problems == 1 else 's'}); nothing was saved."
            )
        for measure in result.measures_created:
            verb = "Would create" if dry_run else "Created"
            self.stdout.write(f"{verb} measure {measure.title!r} ({measure.slug}).")
        summary = (
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged, {len(check.repeats)} identical repeats skipped."
        )
        if dry_run:
            self.stdout.write("Dry run, nothing saved: " + summary)
        else:
            self.stdout.write(self.style.SUCCESS("Saved: " + summary))


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
