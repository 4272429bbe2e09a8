"""Reads of commitments for pages that other apps own (the outcome page)."""

from __future__ import annotations

from commitments.models import Commitment


def commitments_for_outcome(outcome) -> list[Commitment]:
    """An outcome's commitments with their public status and published timeline, for
    ``templates/commitments/_outcome_commitments.html``: four queries, however many there are."""
    return list(Commitment.objects.for_outcome(outcome).for_listing().with_timeline())
