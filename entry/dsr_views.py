"""Enter a directly standardised rate from its age bands (Dobson's method): check it, then save
it as a draft like any other value."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from entry.dsr_forms import BANDS, DsrValueForm
from entry.views import (
    _add_errors,
    _checking,
    _period_suggestions,
    _place_and_measure,
    _saved,
    form_data,
)
from outcomes.permissions import officer_required
from outcomes.services.review import StaleEdit, proposal_save


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
        from outcomes.services.values import periods_get_or_create

        parsed = form.parsed_period
        period = periods_get_or_create({(parsed.start, parsed.end, parsed.type)})[
            (parsed.start, parsed.end)
        ]
        try:
            proposal = proposal_save(
                user=request.user,
                measure=measure,
                place=place,
                period=period,
                expected_version=form.slot.version if form.slot else 0,
                figures=form.figures,
            )
        except StaleEdit as stale:
            conflict = stale
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(
                request, proposal.value, "Saved as a draft. Submit it for review when ready."
            )
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
