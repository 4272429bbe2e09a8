from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outcomes.services.reference import reference_load


class Command(BaseCommand):
    help = "Load a partnership's places, outcomes (and themes) and measures from a fixtures folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        if not (folder / "places.json").exists():
            raise CommandError(f"{folder} has no places.json.")
        counts = reference_load(folder=folder)
        self.stdout.write(", ".join(f"{n} {what}" for what, n in counts.items()))
