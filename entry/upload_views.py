"""Bulk upload under /manage/upload/: the template to fill in, the upload, the preview of every
row, and the all-or-nothing confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core import spreadsheets
from entry.forms import (
    TemplateForm,
    UploadConfirmForm,
    UploadForm,
)
from entry.views import form_data
from outcomes.importing import COLUMNS, read_table
from outcomes.models import Measure, Proposal, Upload, Value, figures_of
from outcomes.permissions import (
    officer_required,
    staff_access,
)
from outcomes.revisions import changed_fields
from outcomes.services.review import (
    uploads_purge,
)
from outcomes.services.values import values_import

# --- Bulk upload ----------------------------------------------------------------------------


def _editable_place_ids(request) -> set[int]:
    return set(staff_access(request.user).editable_places().values_list("pk", flat=True))


@require_GET
@officer_required
def upload_template(request: HttpRequest) -> HttpResponse:
    """A spreadsheet of the officer's places and measures, filled with the figures they would
    change: each measure's latest published value, or the figures waiting for review."""
    form = TemplateForm(request.GET or {"format": "csv"})
    if not form.is_valid():
        raise Http404("Choose CSV or XLSX.")
    places = list(staff_access(request.user).editable_places().order_by("order", "name"))
    measures = list(Measure.objects.all())
    latest = {
        (v.measure_id, v.place_id): v
        for v in Value.objects.published()
        .all_people()
        .filter(place__in=places)
        .select_related("period")
        .latest_per_slot()
    }
    waiting = {
        (p.value.measure_id, p.value.place_id): p
        for p in Proposal.objects.open()
        .filter(value__place__in=places, value__breakdown__isnull=True)
        .select_related("value__period")
        .order_by("value__measure_id", "value__place_id", "-value__period__start")
        .distinct("value__measure_id", "value__place_id")
    }
    header = [
        c
        for c in COLUMNS
        if c not in ("unit", "polarity", "licence", "breakdown_dimension", "breakdown_category")
    ]
    rows = [header]
    for place in places:
        for measure in measures:
            key = (measure.pk, place.pk)
            value, proposal = latest.get(key), waiting.get(key)
            if proposal and (value is None or proposal.value.period.start >= value.period.start):
                period, figures = proposal.value.period, proposal.figures
            elif value is not None:
                period, figures = value.period, figures_of(value)
            else:
                period, figures = None, {}
            cells = {
                "area_code": place.code,
                "area_name": place.name,
                "indicator": measure.title,
                "period": _period_text(period) if period else "",
                "lci_95": figures.get("lower_ci"),
                "uci_95": figures.get("upper_ci"),
                **{
                    k: figures.get(k)
                    for k in ("value", "numerator", "denominator", "note", "source")
                },
            }
            rows.append([_cell(cells.get(column)) for column in header])
    name = f"values-{timezone.localdate().isoformat()}"
    if form.cleaned_data["format"] == "xlsx":
        return spreadsheets.xlsx_response(
            [spreadsheets.Sheet("Values", rows)], filename=f"{name}.xlsx"
        )
    return spreadsheets.csv_response(rows, filename=f"{name}.csv", bom=True)


def _period_text(period) -> str:
    """The period as the template writes it: its label where that reads back as the same
    period, else its exact dates (a survey year "Nov 2024 - Nov 2025" starts mid-month)."""
    from methods.periods import PeriodError, parse_period

    try:
        parsed = parse_period(period.label, period.type)
    except PeriodError:
        parsed = None
    if parsed and (parsed.start, parsed.end) == (period.start, period.end):
        return period.label
    return f"{period.start.isoformat()}/{period.end.isoformat()}"


def _cell(value):
    """A template cell: figures as numbers without trailing zeros, the rest as text."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return value.normalize()
    return value


@require_http_methods(["GET", "POST"])
@officer_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(form_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = values_import(
            rows=form.rows,
            empty_lines=form.empty_lines,
            state=Value.State.DRAFT,
            user=request.user,
            dry_run=True,
            allowed_places=_editable_place_ids(request),
        )
        if outcome.ok:
            uploads_purge()
            stored = Upload.objects.create(
                user=request.user,
                filename=form.cleaned_data["file"].name[:255],
                data=form.data_bytes,
                versions=outcome.versions,
            )
            if form.encoding_note:
                messages.info(request, form.encoding_note)
            return redirect("manage:upload_preview", token=stored.token)
        return render(
            request,
            "entry/upload_preview.html",
            _preview_context(
                outcome, filename=form.cleaned_data["file"].name, note=form.encoding_note
            ),
        )
    return render(
        request,
        "entry/upload.html",
        {"form": form, "max_bytes": _max_bytes()},
    )


def _max_bytes():
    from django.conf import settings

    return settings.UPLOAD_MAX_BYTES


TABLE_ROWS = 500
SUMMARY_ERRORS = 20


def _preview_context(
    outcome, *, filename: str, note: str = "", upload=None, confirm_form=None, stale=()
):
    created = {id(r) for r in outcome.created}
    updated = {id(r) for r, _ in outcome.updated}
    items = []
    for row in outcome.check.rows:
        kind = "new" if id(row) in created else "changed" if id(row) in updated else "unchanged"
        before = outcome.before.get(row.key)
        value = outcome._slots.get(row.key)
        items.append(
            {
                "line": row.line,
                "kind": kind,
                "row": row,
                "period": _label(row),
                "before": before,
                "before_text": row.measure.format_value(before["value"]) if before else "",
                "after_text": row.measure.format_value(row.value),
                "changed": changed_fields(before, figures_of(row)) if kind == "changed" else [],
                "corrects_published": kind == "changed"
                and value is not None
                and value.is_published,
            }
        )
    for error in outcome.check.errors:
        items.append({"line": error.line, "kind": "error", "reason": error.reason})
    items.sort(key=lambda item: (item["line"], item["kind"] != "error"))
    counts = {
        "new": len(outcome.created),
        "changed": len(outcome.updated),
        "unchanged": len(outcome.unchanged),
        "error": len({e.line for e in outcome.check.errors}),
    }
    corrects_published = any(item.get("corrects_published") for item in items)
    # The page stays small whatever the file: with problems, only the problem rows are listed
    # (nothing will be saved), the first TABLE_ROWS of them, and the summary names the first
    # SUMMARY_ERRORS; the counts say how many there are in all.
    errors = [item for item in items if item["kind"] == "error"]
    listed = errors if errors else items
    return {
        "filename": filename,
        "items": items,
        "shown": listed[:TABLE_ROWS],
        "not_shown": max(0, len(listed) - TABLE_ROWS),
        "summary_errors": errors[:SUMMARY_ERRORS],
        "more_errors": max(0, len(errors) - SUMMARY_ERRORS),
        "counts": counts,
        "repeats": outcome.check.repeats,
        "empty_lines": outcome.check.empty_lines,
        "ok": outcome.check.ok,
        "to_save": counts["new"] + counts["changed"],
        "encoding_note": note,
        "upload": upload,
        "confirm_form": confirm_form
        or (UploadConfirmForm(corrects_published=corrects_published) if upload else None),
        "stale": list(stale),
    }


def _label(row) -> str:
    from methods.periods import period_label

    return period_label(row.period_start, row.period_end, row.period_type)


@require_http_methods(["GET", "POST"])
@officer_required
def upload_preview(request: HttpRequest, token) -> HttpResponse:
    stored = Upload.objects.filter(token=token, user=request.user).first()
    if stored is None:
        raise Http404("That upload has gone: it was saved already, or is more than a day old.")
    rows, empty = read_table(bytes(stored.data), stored.filename)
    common = dict(
        rows=rows,
        empty_lines=empty,
        state=Value.State.DRAFT,
        user=request.user,
        allowed_places=_editable_place_ids(request),
        expected_versions=stored.versions,
    )
    preview = values_import(dry_run=True, **common)
    corrects = any(value is not None and value.is_published for row, value in preview.updated)
    form = UploadConfirmForm(form_data(request), corrects_published=corrects)
    if request.method == "POST" and form.is_valid() and preview.ok:
        with transaction.atomic():
            outcome = values_import(
                dry_run=False,
                reason=form.cleaned_data.get("reason", ""),
                comment=f"Uploaded in {stored.filename}",
                **common,
            )
            if outcome.saved:
                stored.delete()
        if outcome.saved:
            saved = len(outcome.created) + len(outcome.updated)
            messages.success(
                request,
                f"Saved {saved} value{'s' if saved != 1 else ''} from {stored.filename} as "
                "drafts. Submit them for review.",
            )
            return redirect("manage:index")
        preview = outcome
    if preview.stale:
        # Someone changed some of these values since the preview: show the file against the
        # values as they are now; confirming again is then a choice made knowing that.
        stored.versions = {**stored.versions, **preview.versions}
        stored.save(update_fields=["versions"])
    context = _preview_context(
        preview, filename=stored.filename, upload=stored, confirm_form=form, stale=preview.stale
    )
    return render(request, "entry/upload_preview.html", context)
