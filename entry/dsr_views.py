"""Enter a directly standardised rate from its age bands (Dobson's method): check it, then save
it as a draft like any other value."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from entry.dsr_forms import BANDS, DsrValueForm
from entry.views import (
    _checking,
    _period_suggestions,
    _place_and_measure,
    form_data,
    save_new_draft,
)
from outcomes.permissions import officer_required


@require_http_methods(["GET", "POST"])
@officer_required
def value_dsr(request: HttpRequest, place_slug: str, measure_slug: str) -> HttpResponse:
    _, place, measure = _place_and_measure(request, place_slug, measure_slug, edit=True)
    if measure.value_kind != "dsr_100k":
        raise Http404("Only a directly standardised rate is calculated from age bands.")
    form = DsrValueForm(
        form_data(request),
        measure=measure,
        place=place,
        suggestions=_period_suggestions(measure, place),
        initial={"period": request.GET.get("period", "")},
    )
    conflict = None
    checking = _checking(request)
    if request.method == "POST" and form.is_valid() and not checking:
        saved, conflict = save_new_draft(request, form, measure=measure, place=place)
        if saved is not None:
            return saved
    context = {
        "form": form,
        "measure": measure,
        "place": place,
        "conflict": conflict,
        "bands": BANDS,
        "checking": checking and form.is_valid(),
        "action": reverse("manage:value_dsr", args=[place.slug, measure.slug]),
        "cancel": reverse("manage:slot", args=[place.slug, measure.slug]),
        "title": f"Calculate a standardised rate: {measure.title}, {place.name}",
    }
    return render(request, "entry/value_dsr.html", context)
