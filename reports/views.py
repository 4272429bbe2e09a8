"""The board's progress report: choose a quarter, read it, print it or download it as PDF."""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from reports.board import Quarter, available_quarters, board_report
from reports.pdf import PdfUnavailable, html_to_pdf, static_text

# The stylesheets the PDF's page links, copied beside it (file name -> static path).
PDF_CSS = {
    "nhsuk-frontend.css": "vendor/nhsuk-frontend-10.6.1/nhsuk-frontend.min.css",
    "dashboard.css": "css/dashboard.css",  # the status tags, as on the pages
    "report.css": "css/report.css",
}


class QuarterForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.slug, q.long_label) for q in quarters]


def _quarter_or_404(slug: str, quarters: list[Quarter] | None = None) -> Quarter:
    quarter = Quarter.from_slug(slug)
    if quarter is None or quarter not in (available_quarters() if quarters is None else quarters):
        raise Http404("There is no report for that quarter.")
    return quarter


@require_safe
def report_index(request: HttpRequest) -> HttpResponse:
    quarters = available_quarters()
    form = QuarterForm(request.GET or None, quarters=quarters)
    if form.is_bound and form.is_valid():
        return redirect("report:detail", quarter=form.cleaned_data["quarter"])
    return render(request, "reports/index.html", {"form": form, "quarters": quarters})


@require_safe
def report_detail(request: HttpRequest, quarter: str) -> HttpResponse:
    quarters = available_quarters()
    chosen = _quarter_or_404(quarter, quarters)
    return render(
        request,
        "reports/report.html",
        {
            "report": board_report(chosen),
            "form": QuarterForm(initial={"quarter": chosen.slug}, quarters=quarters),
        },
    )


@require_safe
def report_pdf(request: HttpRequest, quarter: str) -> HttpResponse:
    """The report as a PDF, printed by headless Chromium; the PDF is kept (for an hour) for as
    long as the report's HTML is the same."""
    chosen = _quarter_or_404(quarter)
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": board_report(chosen), "stylesheets": list(PDF_CSS)},
        request=request,
    )
    files = {name: static_text(path) for name, path in PDF_CSS.items()}
    digest = hashlib.sha256(html.encode())
    for text in files.values():
        digest.update(text.encode())
    key = f"report-pdf:{digest.hexdigest()}"
    pdf = cache.get(key)
    if pdf is None:
        try:
            pdf = html_to_pdf(html, files=files)
        except PdfUnavailable as problem:
            return render(
                request,
                "reports/pdf_unavailable.html",
                {"problem": str(problem), "quarter": chosen},
                status=503,
            )
        cache.set(key, pdf, 60 * 60)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-report-{chosen.slug}.pdf"'
    return response
