"""Print an HTML page to PDF with headless Chromium, on the server.

The page is written to a temporary folder with copies of its stylesheets beside it and opened
from there (file://), so Chromium needs no network and no running web server; it runs with a
time limit.
Where Chromium is not installed (or fails), ``PdfUnavailable`` says so and the view answers with
a clear page instead of an error: the report page itself prints to PDF from any browser.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 60


class PdfUnavailable(Exception):
    """No PDF could be made here; the message says why, for people."""


def chromium_path() -> str | None:
    configured = getattr(settings, "CHROMIUM_BINARY", "")
    if configured:
        return configured if Path(configured).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def static_text(path: str) -> str:
    """A static file's text (the stylesheets copied beside the page Chromium prints)."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).read_text(encoding="utf-8")


def html_to_pdf(
    html: str, *, files: dict[str, str] | None = None, timeout: int = TIMEOUT_SECONDS
) -> bytes:
    """Print ``html`` to PDF; ``files`` (name -> text, e.g. stylesheets it links by relative
    URL) are written beside it first."""
    binary = chromium_path()
    if binary is None:
        raise PdfUnavailable("This server cannot make PDFs: Chromium is not installed.")
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
        page = Path(folder) / "report.html"
        out = Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        for name, text in (files or {}).items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable("Making the PDF took too long; please try again.") from exc
        except OSError as exc:
            raise PdfUnavailable("This server could not start Chromium to make the PDF.") from exc
        if not out.exists() or out.stat().st_size == 0:
            raise PdfUnavailable("Chromium did not produce a PDF.")
        return out.read_bytes()
