import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from engagement.services import engagement_demo_seed


class Command(BaseCommand):
    help = (
        "Build the engagement demo: an open and a closed exercise ranking the outcomes, "
        "generated responses (the same every run), moderated quotes and 'you said, we did' "
        "themes, all labelled as demo. Needs the reference data (seed_demo) first. Safe to run "
        "again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The date the open exercise is open around (default 2026-11-24).",
        )

    def handle(self, *args, today=None, **options):
        try:
            counts = engagement_demo_seed(today=today)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Engagement demo: {counts['exercises']} exercises, {counts['responses']} demo "
            f"responses, {counts['themes']} 'you said, we did' themes."
        )
