"""Dump the database to one file with pg_dump's custom format (compressed; pg_restore reads it)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from strategy_tracker import pgtools


class Command(BaseCommand):
    help = (
        "Back up the database with pg_dump -Fc to FILE (default: "
        "backups/strategy_tracker-YYYYMMDDTHHMMSS.dump). Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="Where to write the dump.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output: Path | None, database: str, **options):
        db = settings.DATABASES[database]
        if output is None:
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            output = Path(settings.BASE_DIR) / "backups" / f"strategy_tracker-{stamp}.dump"
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        try:
            pgtools.run(
                "pg_dump",
                ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
                db,
            )
        except pgtools.PgToolError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        partial.replace(output)  # a finished dump appears whole, or not at all
        size_kb = output.stat().st_size / 1024
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {db['NAME']} to {output} ({size_kb:,.0f} KB).")
        )
