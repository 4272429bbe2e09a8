import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commitments.services import commitments_demo_seed
from engagement.services import engagement_demo_seed
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

    @transaction.atomic
    def handle(self, *args, **options):
        counts = reference_load(folder=DEMO)
        self.stdout.write("Reference data: " + ", ".join(f"{n} {w}" for w, n in counts.items()))

        rows, empty = read_table((DEMO / "values.csv").read_bytes(), "values.csv")
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
