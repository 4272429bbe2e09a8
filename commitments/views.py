"""Commitments: the public list and pages, and the officers' pages to post and review updates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from commitments import permissions, services
from commitments.forms import CommitmentFilterForm, CommitmentUpdateForm, ReturnForm
from commitments.models import Commitment, CommitmentUpdate, UpdateState
from engagement.models import FeedbackTheme

# --- public -------------------------------------------------------------------------------------


@require_safe
@vary_on_headers("HX-Request")
def commitment_list(request: HttpRequest) -> HttpResponse:
    form = CommitmentFilterForm(request.GET or None)
    commitments = Commitment.objects.for_listing()
    if form.is_bound and form.is_valid():
        commitments = form.filter(commitments)
    elif form.is_bound:
        commitments = commitments.none()
    template = "commitments/commitment_list.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {
            "form": form,
            "commitments": list(commitments),
            "today": timezone.localdate(),
            "filtered": form.is_bound,
        },
    )


@require_safe
def commitment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    themes = Prefetch(
        "feedback_themes", queryset=FeedbackTheme.objects.published(), to_attr="themes"
    )
    commitment = get_object_or_404(
        Commitment.objects.for_listing().with_timeline().prefetch_related(themes), slug=slug
    )
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "today": timezone.localdate(),
            "can_post": permissions.user_can_post_updates(request.user, commitment),
        },
    )


# --- officers -----------------------------------------------------------------------------------


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """An officer's commitments and open updates; an approver's queue of updates to review."""
    mine = Commitment.objects.updatable_by(request.user).for_listing()
    open_updates = (
        CommitmentUpdate.objects.filter(commitment__in=mine.values("pk"))
        .exclude(state=UpdateState.PUBLISHED)
        .select_related("commitment", "author")
        .order_by("-updated_at")
    )
    return render(
        request,
        "commitments/manage.html",
        {
            "commitments": list(mine),
            "open_updates": list(open_updates),
            "to_review": list(permissions.reviewable_updates(request.user)),
        },
    )


def _form_action(request: HttpRequest) -> bool:
    """True when the officer pressed "Submit for review" rather than "Save as draft"."""
    return request.POST.get("action") == "submit"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_create(request: HttpRequest, slug: str) -> HttpResponse:
    commitment = permissions.get_updatable_commitment_or_404(request.user, slug)
    form = CommitmentUpdateForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update = services.commitment_update_create(
            user=request.user,
            commitment=commitment,
            as_of=data["as_of"],
            status=data["status"],
            progress=data["progress"],
            next_steps=data["next_steps"],
            submit=_form_action(request),
        )
        _say_saved(request, update)
        return redirect("commitments:manage")
    return render(request, "commitments/update_form.html", {"form": form, "commitment": commitment})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    update = permissions.get_editable_update_or_404(request.user, pk)
    form = CommitmentUpdateForm(
        request.POST or None, instance=update, initial={"version": update.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update = services.commitment_update_edit(
                user=request.user,
                update=update,
                as_of=data["as_of"],
                status=data["status"],
                progress=data["progress"],
                next_steps=data["next_steps"],
                version=data["version"],
            )
            if _form_action(request):
                update = services.commitment_update_submit(user=request.user, update=update)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _say_saved(request, update)
            return redirect("commitments:manage")
    return render(
        request,
        "commitments/update_form.html",
        {"form": form, "commitment": update.commitment, "update": update},
    )


def _say_saved(request: HttpRequest, update: CommitmentUpdate) -> None:
    if update.state == UpdateState.SUBMITTED:
        messages.success(
            request,
            f"Your update to “{update.commitment}” was sent for review. "
            "It will be public once an approver publishes it.",
        )
    else:
        messages.success(request, f"Your draft update to “{update.commitment}” was saved.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_review(request: HttpRequest, pk: int) -> HttpResponse:
    update = permissions.get_reviewable_update_or_404(request.user, pk)
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.commitment_update_publish(user=request.user, update=update)
                messages.success(request, f"The update to “{update.commitment}” is now public.")
                return redirect("commitments:manage")
            if return_form.is_valid():
                services.commitment_update_return(
                    user=request.user, update=update, reason=return_form.cleaned_data["reason"]
                )
                messages.success(
                    request, f"The update to “{update.commitment}” was returned to its author."
                )
                return redirect("commitments:manage")
        except (PermissionDenied, ValidationError) as error:
            return_form.add_error(None, error)
    previous = update.commitment.updates.published().order_by("-as_of", "-published_at").first()
    return render(
        request,
        "commitments/update_review.html",
        {
            "update": update,
            "commitment": update.commitment,
            "previous": previous,
            "return_form": return_form,
            "review_url": reverse("commitments:update-review", args=[update.pk]),
        },
    )


@login_required
@require_POST
def update_submit(request: HttpRequest, pk: int) -> HttpResponse:
    update = permissions.get_editable_update_or_404(request.user, pk)
    services.commitment_update_submit(user=request.user, update=update)
    _say_saved(request, update.__class__.objects.get(pk=update.pk))
    return redirect("commitments:manage")
