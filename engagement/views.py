"""Public engagement pages: take part (no account), thank you, delete my contact details, and
the results with "you said, we did"."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from core import svg_chart
from engagement import charts, ratelimit
from engagement.forms import ResponseForm, ResultsFilterForm
from engagement.models import Exercise, Response, token_hash
from engagement.results import exercise_results
from engagement.services import (
    ExerciseClosed,
    closed_message,
    response_contact_delete,
    response_submit,
)
from places.models import Place

log = logging.getLogger(__name__)

THANKS_SESSION_KEY = "engagement_thanks"
# Pages whose URL or links carry a deletion token send no Referer to other sites. Not
# "no-referrer": browsers then send "Origin: null" with the page's form, which Django's CSRF check
# (rightly) refuses.
KEEP_TOKEN_ON_SITE = "same-origin"


def _visible_exercise(request: HttpRequest, slug: str) -> Exercise:
    """A published exercise; staff may also preview one that is not published yet."""
    exercises = Exercise.objects.all() if request.user.is_staff else Exercise.objects.published()
    return get_object_or_404(exercises, slug=slug)


def _rate_limited(request: HttpRequest, scope: str) -> HttpResponse | None:
    if ratelimit.allow(request, scope=scope, limit=settings.ENGAGEMENT_RESPONSES_PER_HOUR):
        return None
    return render(request, "engagement/rate_limited.html", status=429)


@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    exercises = list(Exercise.objects.published())
    groups = {status: [] for status in Exercise.Status}
    for exercise in exercises:
        groups[exercise.status_on(today)].append(exercise)
    return render(
        request,
        "engagement/exercise_list.html",
        {
            "open": sorted(groups[Exercise.Status.OPEN], key=lambda e: e.closes_on),
            "upcoming": sorted(groups[Exercise.Status.UPCOMING], key=lambda e: e.opens_on),
            "closed": groups[Exercise.Status.CLOSED],
        },
    )


@require_http_methods(["GET", "POST"])
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _visible_exercise(request, slug)
    status = exercise.status
    if status != Exercise.Status.OPEN:
        return _closed(request, exercise, status)
    if request.method == "POST" and not exercise.is_published:
        raise Http404("This exercise is not published.")

    priorities = list(exercise.priorities.prefetch_related("issues"))
    places = list(Place.objects.places())
    form_kwargs = {"exercise": exercise, "priorities": priorities, "places": places}
    if request.method == "POST":
        if refused := _rate_limited(request, "response"):
            return refused
        form = ResponseForm(request.POST, **form_kwargs)
        if form.is_valid():
            if form.is_bot:
                log.info("Engagement honeypot filled; response to %s discarded", exercise.slug)
                request.session[THANKS_SESSION_KEY] = {"exercise": exercise.slug, "token": None}
                return redirect("engagement:thanks", slug=exercise.slug)
            try:
                submitted = response_submit(exercise=exercise, **form.submission())
            except ExerciseClosed as closed:  # it closed while they were answering
                return _closed(request, exercise, closed.status)
            request.session[THANKS_SESSION_KEY] = {
                "exercise": exercise.slug,
                "token": submitted.deletion_token,
            }
            return redirect("engagement:thanks", slug=exercise.slug)
    else:
        form = ResponseForm(**form_kwargs)
    return render(
        request,
        "engagement/exercise_form.html",
        {"exercise": exercise, "form": form, "n_priorities": len(priorities)},
    )


def _closed(request: HttpRequest, exercise: Exercise, status: Exercise.Status) -> HttpResponse:
    return render(
        request,
        "engagement/exercise_closed.html",
        {"exercise": exercise, "status": status, "message": closed_message(exercise, status)},
        status=403 if request.method == "POST" else 200,
    )


@never_cache
@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _visible_exercise(request, slug)
    shown = request.session.get(THANKS_SESSION_KEY)
    token = None
    if shown and shown.get("exercise") == exercise.slug:
        token = shown.get("token")
        del request.session[THANKS_SESSION_KEY]  # the deletion link is shown once
    response = render(request, "engagement/thanks.html", {"exercise": exercise, "token": token})
    response["Referrer-Policy"] = KEEP_TOKEN_ON_SITE
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def forget(request: HttpRequest, token: str) -> HttpResponse:
    """Delete the name and email a resident gave, from the link they were shown once."""
    found = (
        Response.objects.with_contact()
        .filter(deletion_token_hash=token_hash(token))
        .select_related("exercise")
        .first()
    )
    done = False
    if request.method == "POST":
        if refused := _rate_limited(request, "forget"):
            return refused
        done = found is not None and response_contact_delete(token=token) > 0
    response = render(
        request,
        "engagement/forget.html",
        {"found": found, "done": done},
        status=200 if found or done else 404,
    )
    response["Referrer-Policy"] = KEEP_TOKEN_ON_SITE
    return response


@require_GET
@vary_on_headers("HX-Request")
def results(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _visible_exercise(request, slug)
    if not exercise.show_results and not request.user.is_staff:
        raise Http404("The results of this exercise are not published.")
    places = list(Place.objects.places())
    filter_form = ResultsFilterForm(request.GET or None, places=places)
    place = filter_form.selected_place()
    outcome = exercise_results(exercise, place=place, places=places)
    template = "engagement/results.html" + ("#results-panel" if request.htmx else "")
    return render(
        request,
        template,
        {
            "exercise": exercise,
            "results": outcome,
            "filter_form": filter_form,
            "priorities_chart": (priorities := charts.priorities_figure(outcome.priorities)),
            "priorities_svg": svg_chart.render(priorities),
            "issues_chart": (issues := charts.issues_figure(outcome.issues)),
            "issues_svg": svg_chart.render(issues),
        },
    )
