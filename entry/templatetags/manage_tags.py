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


@register.filter
def computed_interval(measure, figures) -> str:
    """The 95% interval the public pages will calculate from a count and denominator, with its
    method, or "" (where the publisher gives one, or it cannot be calculated)."""
    from methods import intervals

    get = figures.get if isinstance(figures, dict) else lambda name: getattr(figures, name, None)
    value = get("value_figure") if get("value_figure") is not None else get("value")
    if value is None or get("lower_ci") is not None:
        return ""
    interval = intervals.interval_for(
        measure.value_kind, value, None, None, get("numerator"), get("denominator")
    )
    if interval is None:
        return ""
    low, high = measure.format_value(interval.lower), measure.format_value(interval.upper)
    return f"{low} to {high}, calculated by {interval.method} from the numerator and denominator"


@register.simple_tag
def staff_access_for(user):
    """`{% staff_access_for user as staff %}`: what the user may do (cached per request)."""
    from outcomes.permissions import staff_access

    return staff_access(user)


@register.filter
def person(user, nobody: str = "an import") -> str:
    """A user's name as staff pages show it; `nobody` when there is no user (a command)."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()


def _ci(measure, figures) -> str:
    if figures.get("lower_ci") is None:
        return "none"
    lower, upper = figures["lower_ci"], figures["upper_ci"]
    return f"{measure.format_value(lower)} to {measure.format_value(upper)}"


def _count(figures) -> str:
    numerator, denominator = figures.get("numerator"), figures.get("denominator")
    if numerator is None and denominator is None:
        return "none"
    text = [f"{n.normalize():f}" if n is not None else "–" for n in (numerator, denominator)]
    return " of ".join(text)


@register.filter
def event_lines(event, measure) -> list[str]:
    """What an event did to the figures, in a few short lines: what changed (old -> new) when
    there are both, else the figures it recorded."""
    old, new = event.old_figures, event.new_figures
    if old and new:
        lines = []
        if old["value"] != new["value"]:
            lines.append(
                f"Value {measure.format_value(old['value'])} → {measure.format_value(new['value'])}"
            )
        if (old["lower_ci"], old["upper_ci"]) != (new["lower_ci"], new["upper_ci"]):
            lines.append(f"95% CI {_ci(measure, old)} → {_ci(measure, new)}")
        if (old["numerator"], old["denominator"]) != (new["numerator"], new["denominator"]):
            lines.append(f"Count {_count(old)} → {_count(new)}")
        for name, label in (("note", "Note"), ("source", "Source")):
            if (old[name] or "") != (new[name] or ""):
                lines.append(f"{label} now “{new[name]}”" if new[name] else f"{label} removed")
        return lines or ["No figures changed"]
    figures = new or old
    if not figures:
        return []
    lines = [f"Value {measure.format_value(figures['value'])}"]
    if figures.get("lower_ci") is not None:
        lines.append(f"95% CI {_ci(measure, figures)}")
    if figures.get("numerator") is not None or figures.get("denominator") is not None:
        lines.append(f"Count {_count(figures)}")
    if not new:
        lines[0] = "Deleted: " + lines[0].lower()
    return lines
