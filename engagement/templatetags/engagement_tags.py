"""`{% you_said_we_did outcome %}`: what residents said that shaped an outcome, for its page."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch

from engagement.models import FeedbackTheme

register = template.Library()


@register.inclusion_tag("engagement/_you_said_we_did.html")
def you_said_we_did(outcome):
    """Published "you said, we did" themes linked to this outcome or any of its measures.
    Three queries (themes, their outcomes, their measures), however many themes there are."""
    themes = list(FeedbackTheme.objects.for_outcome(outcome).with_links())
    return {"outcome": outcome, "themes": themes}


@register.filter
def page_url(obj) -> str:
    """The object's page, or "" where that page does not exist (yet) in this site."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@register.filter
def measures_within(theme, outcome) -> list:
    """A theme's measures (prefetched), only those of this outcome when one is given."""
    measures = list(theme.measures.all())
    if outcome:
        measures = [m for m in measures if m.outcome_id == outcome.pk]
    return measures
