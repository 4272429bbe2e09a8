import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commitments.services import commitments_demo_seed
from engagement.services import engagement_demo_seed
from outcomes.partnership import site_identity
from outcomes.services.reference import folder_values_import, reference_load, targets_load
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

        try:
            for line in folder_values_import(folder=DEMO):
                self.stdout.write(f"Values, {line}")
        except ValueError as error:
            raise CommandError(str(error)) from error
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
        # Read the partnership's names once it is saved, not on the first page.
        transaction.on_commit(site_identity)
        commitments = commitments_demo_seed()
        self.stdout.write(
            "Commitments demo: " + ", ".join(f"{n} {w}" for w, n in commitments.items())
        )
