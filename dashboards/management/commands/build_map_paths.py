"""Rebuilds the maps' outlines from ONS's boundaries (after the TopoJSON file is refreshed)."""

from django.core.management.base import BaseCommand

from dashboards.choropleth import build_paths_file


class Command(BaseCommand):
    help = "Builds fixtures/national/geography/england-map-paths.json from boundaries.topojson."

    def handle(self, *args, **options):
        target = build_paths_file()
        self.stdout.write(f"Wrote {target} ({target.stat().st_size:,} bytes).")
