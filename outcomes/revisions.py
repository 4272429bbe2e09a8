"""The public revision log: published values that were later revised, read from the audit record
(`ValueEvent`) in one query. Only published figures ever appear here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

from outcomes.models import FIGURE_FIELDS, Measure, Value, ValueEvent, figures_from_json

FIELD_NAMES = {
    "value": "value",
    "lower_ci": "confidence interval",
    "upper_ci": "confidence interval",
    "numerator": "numerator",
    "denominator": "denominator",
    "note": "note",
    "source": "source",
}


@dataclass
class Revision:
    at: datetime
    figure: str
    reason: str
    changed: list[str]  # what changed, in words: "value", "confidence interval", "source"...

    @property
    def value_changed(self) -> bool:
        return "value" in self.changed


@dataclass
class RevisionLogEntry:
    """One published value that was later revised: when and as what it was first published,
    then each revision."""

    value: Value
    first_published_at: datetime | None  # None: published before the audit record began
    first_figure: str
    revisions: list[Revision] = field(default_factory=list)

    @property
    def place(self):
        return self.value.place

    @property
    def period_label(self) -> str:
        return self.value.period.label

    @property
    def breakdown_label(self) -> str:
        return self.value.breakdown_label

    @property
    def sentence(self) -> str:
        """e.g. "2024/25 first published 12 Mar 2026 as 31.2%; revised 4 Jun 2026 to 31.0%
        (source corrected)." """
        when = f" {short_date(self.first_published_at)}" if self.first_published_at else ""
        parts = [f"{self.period_label} first published{when} as {self.first_figure}"]
        for revision in self.revisions:
            if revision.value_changed:
                text = f"revised {short_date(revision.at)} to {revision.figure}"
            else:
                text = (
                    f"revised {short_date(revision.at)}: {_words(revision.changed)} changed, "
                    f"value still {revision.figure}"
                )
            if revision.reason:
                text += f" ({revision.reason})"
            parts.append(text)
        return "; ".join(parts) + "."


def _figure(measure: Measure, figures: dict) -> str:
    return "no value" if figures["value"] is None else measure.format_value(figures["value"])


def short_date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def changed_fields(old: dict, new: dict) -> list[str]:
    names: list[str] = []
    for name in FIGURE_FIELDS:
        if (old.get(name) or None) != (new.get(name) or None):
            word = FIELD_NAMES[name]
            if word not in names:
                names.append(word)
    return names


def revision_log(measure: Measure, *, place=None) -> list[RevisionLogEntry]:
    """Published values of this measure (at this place, if given) that were later revised, with
    their first publication and every revision, in one query. Only published figures appear:
    proposals under review never do.

    Ordered by place, then period, then breakdown."""
    revised = ValueEvent.objects.revisions().for_measure(measure).values("value_id")
    events = (
        ValueEvent.objects.public()
        .for_measure(measure)
        .filter(value__in=revised, value__state=Value.State.PUBLISHED)
        .select_related("value__place", "value__period", "value__breakdown", "proposal")
        .order_by(
            "value__place__order",
            "value__place__name",
            "value__period__start",
            "value__breakdown_id",
            "value_id",
            "at",
            "pk",
        )
    )
    if place is not None:
        events = events.filter(value__place=place)
    entries: list[RevisionLogEntry] = []
    current: RevisionLogEntry | None = None
    for event in events:
        new = figures_from_json(event.new)
        figure = _figure(measure, new)
        old = figures_from_json(event.old)
        if current is None or current.value.pk != event.value_id:
            event.value.measure = measure
            current = RevisionLogEntry(
                value=event.value, first_published_at=event.at, first_figure=figure
            )
            entries.append(current)
            if old is None:
                continue
            # Published before the record began: the first figure is known, not its date.
            current.first_published_at = None
            current.first_figure = _figure(measure, old)
        if old is None:
            continue
        # An approval shows the officer's public reason (never the approver's private comment);
        # an import shows the command's comment.
        reason = event.proposal.reason if event.proposal_id else event.comment
        current.revisions.append(
            Revision(at=event.at, figure=figure, reason=reason, changed=changed_fields(old, new))
        )
    return [entry for entry in entries if entry.revisions]
