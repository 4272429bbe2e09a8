"""Pages for officers and approvers, under /manage/: my measures, one measure at one place, one
value and its history, and the approvers' queue. Thin: access from `outcomes.permissions`, reads
from `entry.selectors`, writes through `outcomes.services`, input through `entry.forms`. Each
works without JavaScript; with htmx, the same URL returns a fragment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from entry.forms import (
    ActionForm,
    EditValueForm,
    NewValueForm,
    ReturnForm,
)
from entry.selectors import approval_queue, my_measures
from methods.periods import shift_period
from outcomes.models import Measure, Proposal, Value, figures_of
from outcomes.permissions import (
    approver_required,
    get_approvable_value_or_404,
    get_editable_value_or_404,
    get_viewable_value_or_404,
    officer_required,
    staff_access,
    staff_member_required,
)
from outcomes.services.review import (
    StaleEdit,
    WorkflowError,
    proposal_approve,
    proposal_delete,
    proposal_return,
    proposal_save,
    proposal_submit,
    proposals_submit_many,
)
from places.models import Place


def form_data(request):
    """A form's data: the POST (even an empty one) when posted, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


# --- My measures ----------------------------------------------------------------------------


@require_GET
@staff_member_required
def home(request: HttpRequest) -> HttpResponse:
    access = staff_access(request.user)
    places = my_measures(access) if access.is_officer else []
    drafts = [
        proposal
        for group in places
        for row in group.rows
        for proposal in row.waiting
        if proposal.state == Proposal.State.DRAFT
    ]
    context = {
        "access": access,
        "places": places,
        "drafts": drafts,
        "queue_count": (approval_queue(access).count() if access.is_approver else 0),
    }
    return render(request, "entry/home.html", context)


@require_POST
@officer_required
def submit_drafts(request: HttpRequest) -> HttpResponse:
    """Submit every draft listed on My measures, each at the version shown there."""
    versions: dict[int, int] = {}
    for item in request.POST.getlist("draft"):
        pk, _, version = item.partition(":")
        if pk.isdigit() and version.isdigit():
            versions[int(pk)] = int(version)
    outcome = proposals_submit_many(user=request.user, versions=versions)
    if outcome.submitted:
        count = len(outcome.submitted)
        messages.success(request, f"Submitted {count} value{'s' if count != 1 else ''} for review.")
    for value, why in outcome.refused:
        messages.error(
            request,
            f"{value.measure.title}, {value.place.name}, {value.period.label} was not "
            f"submitted: {why}. Look at it again.",
        )
    if not outcome.submitted and not outcome.refused:
        messages.info(request, "There were no drafts to submit.")
    return redirect("manage:index")


# --- One measure at one place ---------------------------------------------------------------


def _place_and_measure(request, place_slug: str, measure_slug: str, *, edit: bool):
    access = staff_access(request.user)
    place = get_object_or_404(Place, slug=place_slug)
    allowed = access.can_edit(place.pk) if edit else access.can_view(place.pk)
    if not allowed:
        raise Http404("No place you work on has that name.")
    measure = get_object_or_404(Measure, slug=measure_slug)
    return access, place, measure


@require_GET
@staff_member_required
def slot(request: HttpRequest, place_slug: str, measure_slug: str) -> HttpResponse:
    access, place, measure = _place_and_measure(request, place_slug, measure_slug, edit=False)
    values = list(
        Value.objects.filter(measure=measure, place=place)
        .select_related("period", "breakdown")
        .order_by("-period__start", "breakdown_id")
    )
    waiting = {
        p.value_id: p
        for p in Proposal.objects.open().filter(value__in=values).select_related("entered_by")
    }
    rows = [(value, waiting.get(value.pk)) for value in values]
    return render(
        request,
        "entry/slot.html",
        {
            "place": place,
            "measure": measure,
            "rows": rows,
            "can_edit": access.can_edit(place.pk),
        },
    )


def _period_suggestions(measure: Measure, place) -> list[str]:
    """Periods to offer: the next ones of the measure's type after the place's latest value
    (that have ended), then the measure's existing periods, newest first."""
    today = timezone.localdate()
    spans = list(
        Value.objects.filter(measure=measure)
        .order_by("-period__start")
        .values_list("period__start", "period__end", "period__type", "place_id")
        .distinct()
    )
    labels: list[str] = []
    own = [s for s in spans if s[3] == place.pk]
    latest = own[0] if own else (spans[0] if spans else None)
    if latest:
        following = shift_period(latest[0], latest[1], latest[2])
        upcoming = []
        while following and following.end < today and len(upcoming) < 3:
            upcoming.append(following.label)
            following = shift_period(following.start, following.end, following.type)
        labels.extend(upcoming)
    from methods.periods import period_label

    for start, end, type_, _ in spans:
        label = period_label(start, end, type_)
        if label not in labels:
            labels.append(label)
    return labels[:12]


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@officer_required
def value_new(request: HttpRequest, place_slug: str, measure_slug: str) -> HttpResponse:
    _, place, measure = _place_and_measure(request, place_slug, measure_slug, edit=True)
    suggestions = _period_suggestions(measure, place)
    form = NewValueForm(
        form_data(request),
        measure=measure,
        place=place,
        suggestions=suggestions,
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
        "action": reverse("manage:value_new", args=[place.slug, measure.slug]),
        "cancel": reverse("manage:slot", args=[place.slug, measure.slug]),
        "title": f"Enter a value: {measure.title}, {place.name}",
        "checking": checking,
    }
    return _form_response(request, context)


def _checking(request) -> bool:
    """The officer asked to check the figures (see the interval and checks) before saving."""
    return request.method == "POST" and "check" in request.POST


def save_new_draft(request, form, *, measure, place):
    """Saves a valid new-period form as a draft: (the response after saving, None), or (None,
    the other person's change) when the slot moved on; a refusal is added to the form."""
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
        return None, stale
    except ValidationError as error:
        _add_errors(form, error)
        return None, None
    return _saved(
        request, proposal.value, "Saved as a draft. Submit it for review when ready."
    ), None


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _form_response(request, context) -> HttpResponse:
    template = "entry/value_form.html" + ("#value-form" if request.htmx else "")
    return render(request, template, context)


def _saved(request, value: Value, message: str) -> HttpResponse:
    if request.htmx:
        return _value_panel(request, value, notice=message)
    messages.success(request, message)
    return redirect("manage:value", pk=value.pk)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@officer_required
def value_edit(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_editable_value_or_404(request.user, pk)
    proposal = value.proposals.open().first()
    start = proposal.figures if proposal else figures_of(value)
    initial = {**start, "version": value.version}
    if proposal is not None and value.is_published:
        initial["reason"] = proposal.reason
    form = EditValueForm(form_data(request), value=value, initial=initial)
    conflict = None
    checking = _checking(request)
    if request.method == "POST" and form.is_valid() and not checking:
        try:
            saved = proposal_save(
                user=request.user,
                measure=value.measure,
                place=value.place,
                period=value.period,
                breakdown=value.breakdown,
                expected_version=form.cleaned_data["version"],
                figures=form.figures,
                reason=form.cleaned_data.get("reason", ""),
            )
        except StaleEdit as stale:
            conflict = stale
            # Show their change; the form now carries the current version, so saving again
            # (having seen it) is a deliberate choice, not a silent overwrite.
            data = request.POST.copy()
            data["version"] = stale.value.version
            form = EditValueForm(data, value=stale.value)
            form.is_valid()
        except ValidationError as error:
            _add_errors(form, error)
        else:
            message = (
                "Nothing changed." if saved is None else "Saved as a draft. Submit it when ready."
            )
            return _saved(request, value, message)
    context = {
        "form": form,
        "measure": value.measure,
        "place": value.place,
        "value": value,
        "conflict": conflict,
        "action": reverse("manage:value_edit", args=[value.pk]),
        "cancel": reverse("manage:value", args=[value.pk]),
        "title": f"Change {value.period.label}: {value.measure.title}, {value.place.name}",
        "checking": checking,
    }
    return _form_response(request, context)


# --- One value: its figures, its state, its history -----------------------------------------


def _value_context(request, value: Value, **extra) -> dict:
    access = staff_access(request.user)
    proposal = value.proposals.open().select_related("entered_by", "decided_by").first()
    return {
        "value": value,
        "measure": value.measure,
        "place": value.place,
        "proposal": proposal,
        "can_edit": access.can_edit(value.place_id),
        "can_decide": access.can_decide(proposal, value.place_id),
        "is_own_entry": proposal is not None and proposal.entered_by_id == request.user.pk,
        "can_approve_place": access.can_approve_place(value.place_id),
        "events": value.events.with_related().order_by("-at", "-pk"),
        "return_form": extra.pop("return_form", None)
        or ReturnForm(initial={"version": value.version}),
        **extra,
    }


def _value_panel(request, value: Value, *, notice: str = "", error: str = "", **extra):
    value.refresh_from_db()
    context = _value_context(request, value, notice=notice, error=error, **extra)
    return render(request, "entry/value_detail.html#value-panel", context)


@vary_on_headers("HX-Request")
@require_GET
@staff_member_required
def value_detail(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_viewable_value_or_404(request.user, pk)
    template = "entry/value_detail.html" + ("#value-panel" if request.htmx else "")
    return render(request, template, _value_context(request, value))


def _act(request, value: Value, action, *, form_class=ActionForm, success: str, **kwargs):
    """Run a submit/approve/return/delete for a value. Without htmx: message and redirect (or
    the page again with the form's errors). With htmx: the value's panel, or the queue's row."""
    form = form_class(request.POST)
    from_queue = request.POST.get("next") == "queue"
    if not form.is_valid():
        if "comment" in form.errors:
            return _refused(request, value, "", return_form=form)
        return _refused(request, value, "The form was out of date; look again.", from_queue)
    try:
        action(
            user=request.user,
            value=value,
            expected_version=form.cleaned_data["version"],
            comment=form.cleaned_data.get("comment", ""),
            **kwargs,
        )
    except StaleEdit as stale:
        changes = "; ".join(_describe(event) for event in stale.events) or "it changed"
        message = (
            f"Someone changed this value since you opened it: {changes}. "
            "Look at it again before you act."
        )
        return _refused(request, value, message, from_queue)
    except (WorkflowError, ValidationError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _refused(request, value, text, from_queue)
    if request.htmx:
        if from_queue:
            return _queue_row(request, value, success)
        return _value_panel(request, value, notice=success)
    messages.success(request, success)
    if from_queue:
        return redirect("manage:review")
    return redirect("manage:value", pk=value.pk)


def _person(user) -> str:
    if user is None:
        return "an import"
    return user.get_full_name() or user.username


def _describe(event) -> str:
    when = timezone.localtime(event.at).strftime("%-d %b %Y %H:%M")
    figure = ""
    if event.new and event.new.get("value") is not None:
        figure = f" ({event.value.measure.format_value(event.new_figures['value'])})"
    return f"{_person(event.actor)} {event.get_action_display().lower()} it at {when}{figure}"


def _refused(request, value: Value, message: str, from_queue: bool = False, **extra):
    if request.htmx:
        if from_queue:
            return _queue_row(request, value, message)
        return _value_panel(request, value, error=message, **extra)
    if extra:
        value.refresh_from_db()
        context = _value_context(request, value, error=message, **extra)
        return render(request, "entry/value_detail.html", context)
    messages.error(request, message)
    if from_queue:
        return redirect("manage:review")
    return redirect("manage:value", pk=value.pk)


def _queue_row(request, value: Value, message: str) -> HttpResponse:
    return render(request, "entry/queue.html#queue-done", {"value": value, "message": message})


@vary_on_headers("HX-Request")
@require_POST
@officer_required
def value_submit(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_editable_value_or_404(request.user, pk)
    return _act(request, value, proposal_submit, success="Submitted for review.")


@vary_on_headers("HX-Request")
@require_POST
@officer_required
def value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_editable_value_or_404(request.user, pk)

    def delete(*, user, value, expected_version, comment):
        return proposal_delete(user=user, value=value, expected_version=expected_version)

    return _act(request, value, delete, success="Deleted. The published figures are unchanged.")


@vary_on_headers("HX-Request")
@require_POST
@approver_required
def value_approve(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_approvable_value_or_404(request.user, pk)
    return _act(request, value, proposal_approve, success=f"Published {value.period.label}.")


@vary_on_headers("HX-Request")
@require_POST
@approver_required
def value_return(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_approvable_value_or_404(request.user, pk)
    return _act(
        request, value, proposal_return, form_class=ReturnForm, success="Returned to the officers."
    )


# --- The approvers' queue -------------------------------------------------------------------


@require_GET
@approver_required
def review(request: HttpRequest) -> HttpResponse:
    access = staff_access(request.user)
    proposals = list(approval_queue(access))
    for proposal in proposals:
        proposal.can_decide = access.can_decide(proposal, proposal.value.place_id)
    return render(request, "entry/queue.html", {"proposals": proposals})
