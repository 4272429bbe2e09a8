"""Who may do what with values: the one place access is decided.

- An officer enters, corrects, submits and deletes proposals for the places they belong to and
  those places' neighbourhoods, and sees their drafts.
- An approver publishes (approves) or returns submitted values for their place and its
  neighbourhoods, or for every place when their membership has no place. They see those
  places' values, drafts included, but do not enter values unless they are also an officer
  there.
- An admin (superuser) may do everything.
- Nobody approves or returns figures they entered themselves (four eyes).
- The public sees only published values (`Value.objects.published()`), never these pages.

Views call `staff_access(request.user)` once (it is cached on the user object for the request) and
then ask it questions; the `get_*_or_404` helpers refuse another place's value with a 404, so a
URL does not even say whether the value exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from outcomes.models import Proposal, Value
from places.models import Membership, Place


@dataclass(frozen=True)
class StaffAccess:
    """What one user may do. `None` for a set of place ids means every place."""

    user_id: int | None
    is_admin: bool
    edit_place_ids: frozenset[int] | None
    approve_place_ids: frozenset[int] | None

    @property
    def is_staff_member(self) -> bool:
        return self.is_admin or self.is_officer or self.is_approver

    @property
    def is_officer(self) -> bool:
        return self.edit_place_ids is None or bool(self.edit_place_ids)

    @property
    def is_approver(self) -> bool:
        return self.approve_place_ids is None or bool(self.approve_place_ids)

    def can_edit(self, place_id: int) -> bool:
        return self.edit_place_ids is None or place_id in self.edit_place_ids

    def can_approve_place(self, place_id: int) -> bool:
        return self.approve_place_ids is None or place_id in self.approve_place_ids

    def can_view(self, place_id: int) -> bool:
        return self.can_edit(place_id) or self.can_approve_place(place_id)

    def can_decide(self, proposal: Proposal | None, place_id: int) -> bool:
        """May approve or return this proposal: an approver of the place who did not enter it."""
        return (
            proposal is not None
            and proposal.state == Proposal.State.SUBMITTED
            and self.can_approve_place(place_id)
            and proposal.entered_by_id != self.user_id
        )

    def editable_places(self):
        places = Place.objects.all()
        return places if self.edit_place_ids is None else places.filter(pk__in=self.edit_place_ids)

    def approvable_place_filter(self):
        """For `Proposal.objects.for_places()`: None (every place) or the place ids."""
        return None if self.approve_place_ids is None else sorted(self.approve_place_ids)

    def viewable_place_filter(self):
        if self.edit_place_ids is None or self.approve_place_ids is None:
            return None
        return sorted(self.edit_place_ids | self.approve_place_ids)


NO_ACCESS = StaffAccess(None, False, frozenset(), frozenset())


def _memberships_with_neighbourhoods(user):
    """(role, place id, [its neighbourhoods' ids]) for each of the user's memberships, in one
    query: a place's officers and approvers work on its neighbourhoods too."""
    return (
        Membership.objects.filter(user=user)
        .values_list("role", "place_id")
        .annotate(
            neighbourhoods=ArrayAgg(
                "place__children__pk",
                filter=Q(place__children__kind=Place.Kind.NEIGHBOURHOOD),
                default=[],
            )
        )
        .values_list("role", "place_id", "neighbourhoods")
    )


def staff_access(user) -> StaffAccess:
    """The user's access, read in one query and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_staff_access", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        access = StaffAccess(user.pk, True, None, None)
    else:
        edit: set[int] = set()
        approve: set[int] | None = set()
        for role, place_id, neighbourhoods in _memberships_with_neighbourhoods(user):
            if role == Membership.Role.OFFICER and place_id is not None:
                edit.update([place_id, *neighbourhoods])
            elif role == Membership.Role.APPROVER:
                if place_id is None:
                    approve = None
                elif approve is not None:
                    approve.update([place_id, *neighbourhoods])
        access = StaffAccess(
            user.pk, False, frozenset(edit), None if approve is None else frozenset(approve)
        )
    user._staff_access = access
    return access


# The helpers the brief names, for code that holds a user rather than a StaffAccess.


def places_user_can_edit(user):
    return staff_access(user).editable_places()


def user_can_edit(user, place: Place) -> bool:
    return staff_access(user).can_edit(place.pk)


def user_can_approve(user, place: Place) -> bool:
    return staff_access(user).can_approve_place(place.pk)


def _value_or_404(pk: int, allowed) -> Value:
    value = (
        Value.objects.select_related("measure", "place", "period", "breakdown")
        .filter(pk=pk)
        .first()
    )
    if value is None or not allowed(value.place_id):
        raise Http404("No value you can see has that number.")
    return value


def get_viewable_value_or_404(user, pk: int) -> Value:
    return _value_or_404(pk, staff_access(user).can_view)


def get_editable_value_or_404(user, pk: int) -> Value:
    return _value_or_404(pk, staff_access(user).can_edit)


def get_approvable_value_or_404(user, pk: int) -> Value:
    return _value_or_404(pk, staff_access(user).can_approve_place)


def staff_member_required(view):
    """Anonymous visitors go to the login page; signed-in users with no role are refused."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not staff_access(request.user).is_staff_member:
            raise PermissionDenied("You have no officer or approver role.")
        return view(request, *args, **kwargs)

    return wrapped


def officer_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not staff_access(request.user).is_officer:
            raise PermissionDenied("Only officers enter values.")
        return view(request, *args, **kwargs)

    return wrapped


def approver_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not staff_access(request.user).is_approver:
            raise PermissionDenied("Only approvers review values.")
        return view(request, *args, **kwargs)

    return wrapped
