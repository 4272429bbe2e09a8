"""Small presentation helpers for the staff pages."""

from django import template

register = template.Library()

TAG_COLOURS = {
    # proposal states
    "draft": "nhsuk-tag--grey",
    "submitted": "nhsuk-tag--blue",
    "returned": "nhsuk-tag--orange",
    "approved": "nhsuk-tag--green",
    "deleted": "nhsuk-tag--grey",
    "published": "nhsuk-tag--green",
    # upload rows
    "new": "nhsuk-tag--blue",
    "changed": "nhsuk-tag--yellow",
    "unchanged": "nhsuk-tag--grey",
    "error": "nhsuk-tag--red",
    # due dates
    "overdue": "nhsuk-tag--red",
    "soon": "nhsuk-tag--yellow",
    "later": "nhsuk-tag--grey",
    "done": "nhsuk-tag--green",
    "none": "nhsuk-tag--white",
}


@register.filter
def tag_colour(key: str) -> str:
    """The NHS.UK tag modifier class for a state, upload row kind or due status."""
    return TAG_COLOURS.get(str(key), "")


@register.filter
def figure(measure, number) -> str:
    """A number formatted as the measure formats its values ("–" for none)."""
    return measure.format_value(number)
