"""Print how many of each status the public pages show on the current database (the demo).

Run it on main and on a branch to compare the judgements two versions publish for the same data:

    DATABASE_URL=... DJANGO_DEBUG=1 DJANGO_SECRET_KEY=x python scripts/status_counts.py

It counts every measure in every area the dashboard reports on (the system and its places):
the comparison with England, the trend, and progress towards a target (where there is one).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")

import django  # noqa: E402

django.setup()

from dashboards.selectors.cells import build_cells  # noqa: E402
from dashboards.selectors.series import areas_for_dashboard  # noqa: E402
from outcomes.models import Measure  # noqa: E402


def main() -> None:
    areas = areas_for_dashboard()
    measures = list(Measure.objects.for_dashboard())
    cells = build_cells(measures, areas, areas.shown)
    shown = [cells[(m.pk, p.pk)] for m in measures for p in areas.shown]
    counts = {
        "comparison": Counter(str(c.comparison) for c in shown),
        "trend": Counter(str(c.trend.status) for c in shown),
        "target": Counter(str(c.target_assessment.status) for c in shown if c.has_target),
    }
    if hasattr(shown[0], "spc"):
        counts["variation (SPC)"] = Counter(
            str(c.spc.variation) for c in shown if c.spc is not None
        )
    print(f"{len(measures)} measures x {len(areas.shown)} areas = {len(shown)} results")
    for family, counter in counts.items():
        print(f"\n{family}:")
        for status, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {status:<24} {n:>4}")


if __name__ == "__main__":
    main()
