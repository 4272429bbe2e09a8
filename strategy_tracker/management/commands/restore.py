"""Restore a dump made by `backup`, all or nothing (pg_restore --single-transaction)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from strategy_tracker import pgtools

RESTORE_ARGS = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]


class Command(BaseCommand):
    help = (
        "Restore FILE (made by `backup`). With --into NAME, into a new database NAME on the same "
        "server (the safe way to check a backup); without, over the configured database, "
        "replacing what is there (asks first unless --no-input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--into", metavar="NAME", help="Create database NAME and restore there."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask before replacing the configured database.",
        )

    def handle(self, *args, file: Path, into: str | None, database: str, interactive: bool, **kw):
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        db = dict(settings.DATABASES[database])
        try:
            if into:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", into):
                    raise CommandError("--into takes a plain database name (letters, digits, _).")
                pgtools.run("createdb", [into], db)
                target = {**db, "NAME": into}
                pgtools.run("pg_restore", [*RESTORE_ARGS, f"--dbname={into}", str(file)], target)
                self.stdout.write(
                    self.style.SUCCESS(f"Restored {file} into the new database {into}.")
                )
                return
            if interactive:
                answer = input(
                    f"This replaces everything in the database {db['NAME']!r} with {file}. "
                    "Type 'yes' to go on: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")
            connections[database].close()
            pgtools.run(
                "pg_restore",
                [*RESTORE_ARGS, "--clean", "--if-exists", f"--dbname={db['NAME']}", str(file)],
                db,
            )
        except pgtools.PgToolError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {file} into {db['NAME']}."))
