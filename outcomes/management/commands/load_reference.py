from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outcomes.services.reference import folder_values_import, reference_load


class Command(BaseCommand):
    help = "Load a partnership's places, outcomes (and themes) and measures from a fixtures folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--with-values",
            action="store_true",
            help="Also import the folder's values*.csv files (all or nothing, each).",
        )

    def handle(self, *args, folder: Path, with_values: bool = False, **options):
        if not (folder / "places.json").exists():
            raise CommandError(f"{folder} has no places.json.")
        counts = reference_load(folder=folder)
        self.stdout.write(", ".join(f"{n} {what}" for what, n in counts.items()))
        if with_values:
            try:
                for line in folder_values_import(folder=folder):
                    self.stdout.write(line)
            except ValueError as error:
                raise CommandError(str(error)) from error
