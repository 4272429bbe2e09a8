import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commitments.services import commitments_demo_seed
from engagement.services import engagement_demo_seed
from national.reading import default_folder
from outcomes.importing import read_table
from outcomes.services.reference import reference_load, targets_load
from outcomes.services.values import values_import
from places.services import DEMO_PASSWORD, demo_users_create

DEMO = settings.BASE_DIR / "fixtures" / "south_yorkshire"


class Command(BaseCommand):
    help = (
        "Build the South Yorkshire demo: reference data, the real published values, demo targets "
        "and demo users. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-national",
            action="store_true",
            help="Do not load the national context (../shared/data/national) for the demo's "
            "measures; take all their values from fixtures/south_yorkshire/values.csv.",
        )

    @transaction.atomic
    def handle(self, *args, without_national=False, **options):
        counts = reference_load(folder=DEMO)
        self.stdout.write("Reference data: " + ", ".join(f"{n} {w}" for w, n in counts.items()))

        national = None if without_national else default_folder()
        linked = set()
        if national is not None:
            linked = self._national(national)
        rows, empty = read_table((DEMO / "values.csv").read_bytes(), "values.csv")
        if linked:
            rows = [r for r in rows if r.get("indicator").lower() not in linked]
        result = values_import(rows=rows, empty_lines=empty)
        if not result.ok:
            for error in result.check.errors:
                self.stderr.write(str(error))
            raise CommandError("The demo values did not import; nothing was saved.")
        self.stdout.write(
            f"Values: {len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged, {len(result.check.repeats)} identical repeats "
            "under former area codes skipped."
        )
        targets = targets_load(records=json.loads((DEMO / "targets.json").read_text()))
        self.stdout.write(f"Demo targets written: {targets}")
        made = demo_users_create()
        self.stdout.write(
            f"Demo users ({len(made)} new): officer.barnsley, officer.doncaster, "
            f"officer.rotherham, officer.sheffield, approver, admin; password {DEMO_PASSWORD}"
        )
        engagement = engagement_demo_seed()
        self.stdout.write(
            "Engagement demo: " + ", ".join(f"{n} {w}" for w, n in engagement.items())
        )
        commitments = commitments_demo_seed()
        self.stdout.write(
            "Commitments demo: " + ", ".join(f"{n} {w}" for w, n in commitments.items())
        )

    def _national(self, folder: Path) -> set[str]:
        """Load the national datasets the demo's measures come from; their values (for the
        partnership's areas) then come from there, dated with each release. Returns the names
        by which values.csv refers to those measures, lower case."""
        from django.core.management import call_command

        from outcomes.models import Measure

        measures = list(
            Measure.objects.filter(national_indicator__isnull=False).select_related(
                "national_indicator__dataset"
            )
        )
        files = sorted(
            {folder / "indicators" / f"{m.national_indicator.dataset.slug}.csv" for m in measures}
        )
        files = [f for f in files if f.exists()]
        if not files:
            return set()
        started = time.perf_counter()
        call_command("import_national", *map(str, files), stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            f"National context: {len(files)} datasets in {time.perf_counter() - started:.0f} s."
        )
        loaded = {f.stem for f in files}
        names = set()
        for measure in measures:
            if measure.national_indicator.dataset.slug in loaded:
                names.update(n.lower() for n in [measure.title, measure.slug, *measure.aliases])
        return names
