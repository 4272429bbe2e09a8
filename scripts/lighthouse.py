"""Lighthouse scores for every public page kind, on a phone (Lighthouse's mobile emulation: Moto G
Power, slow 4G, 4x CPU slowdown) and on a desktop, printed as a table. Not a test: a measurement.

Needs Lighthouse 12 (`npm install --no-save lighthouse@12`, here or in LIGHTHOUSE_DIR) and Debian's
Chromium (/usr/bin/chromium). Serve the demo first, with production settings so static files
carry hashed names and pages are compressed, e.g.:

    DJANGO_SECRET_KEY=... DJANGO_SECURE_SSL_REDIRECT=false ./dev manage collectstatic --noinput
    BIND=127.0.0.1:8000 .venv/bin/gunicorn -c gunicorn.conf.py
    .venv/bin/python scripts/lighthouse.py --base http://127.0.0.1:8000 [--runs 3] [--only measure]

Each page is loaded once to warm the server's cache, then measured --runs times; the median
performance score is printed (Lighthouse's own advice for a noisy machine)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One page of each public kind in the demo data.
PAGES = {
    "home": "/",
    "outcomes": "/outcomes/",
    "outcome": "/outcomes/longer-healthier-lives/",
    "places": "/places/",
    "place": "/places/barnsley/",
    "measure": "/measures/male-healthy-life-expectancy/",
    "have your say": "/have-your-say/",
    "survey results": "/have-your-say/what-matters-to-you-ranking-our-shared-outcomes/results/",
    "commitments": "/commitments/",
    "commitment": "/commitments/working-win/",
    "reports": "/report/",
    "report": "/report/2026-27-q2/",
    "api docs": "/api/v1/docs",
    "sign in": "/accounts/login/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_binary() -> str:
    for folder in (os.environ.get("LIGHTHOUSE_DIR", ""), str(ROOT), "/tmp/h16tools"):
        if folder and (candidate := Path(folder) / "node_modules/.bin/lighthouse").exists():
            return str(candidate)
    found = shutil.which("lighthouse")
    if not found:
        sys.exit(
            "Lighthouse not found: npm install --no-save lighthouse@12 (or set LIGHTHOUSE_DIR)"
        )
    return found


def run_once(binary: str, url: str, form: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="lh-") as folder:
        report = Path(folder) / "report.json"
        command = [
            binary,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
        ]
        if form == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run(command, check=True, env=env, timeout=300)
        data = json.loads(report.read_text())
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = data["audits"]
    scores["TBT ms"] = round(audits["total-blocking-time"]["numericValue"])
    scores["LCP s"] = round(audits["largest-contentful-paint"]["numericValue"] / 1000, 1)
    scores["KiB"] = round(audits["total-byte-weight"]["numericValue"] / 1024)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="page kinds to measure (default: all)")
    parser.add_argument("--forms", nargs="*", default=["mobile", "desktop"])
    args = parser.parse_args()
    binary = lighthouse_binary()
    pages = {name: path for name, path in PAGES.items() if not args.only or name in args.only}
    columns = ["perf", "a11y", "bp", "seo", "TBT ms", "LCP s", "KiB"]
    print(f"{'page':<16}{'form':<9}" + "".join(f"{c:>8}" for c in columns), flush=True)
    for name, path in pages.items():
        url = args.base.rstrip("/") + path
        urllib.request.urlopen(url, timeout=30).read()  # warm the page cache
        for form in args.forms:
            runs = [run_once(binary, url, form) for _ in range(args.runs)]
            median = min(
                runs,
                key=lambda r: abs(
                    r["performance"] - statistics.median(run["performance"] for run in runs)
                ),
            )
            values = [median[key] for key in (*CATEGORIES, "TBT ms", "LCP s", "KiB")]
            print(f"{name:<16}{form:<9}" + "".join(f"{v:>8}" for v in values), flush=True)


if __name__ == "__main__":
    main()
