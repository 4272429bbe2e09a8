from django.core.management.base import BaseCommand

from commitments.services import commitments_demo_seed


class Command(BaseCommand):
    help = (
        "Add the South Yorkshire demo commitments (labelled demo) and their progress updates. "
        "Run after seed_demo; safe to run again."
    )

    def handle(self, *args, **options):
        counts = commitments_demo_seed()
        self.stdout.write(
            f"Demo commitments: {counts['commitments']} commitments, {counts['partners']} "
            f"partners, {counts['updates']} new updates."
        )
