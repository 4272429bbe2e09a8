from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.text import format_lazy

from engagement.models import CONTACT_NAME_MAX, FREE_TEXT_MAX, Exercise, Priority
from engagement.services import ranking_errors
from places.models import Place

ELSEWHERE = "elsewhere"
HONEYPOT = "website"


@dataclass
class PriorityRow:
    """One priority's fields, for the template: its rank select and its issue checkboxes."""

    priority: Priority
    rank: forms.BoundField
    issues: forms.BoundField | None

    @property
    def rank_described_by(self) -> str:
        """The ids of the rank select's hint and error, for aria-describedby."""
        ids = [f"{self.rank.auto_id}-hint"] if self.priority.description else []
        if self.rank.errors:
            ids.append(f"{self.rank.auto_id}-error")
        return " ".join(ids)


class ResponseForm(forms.Form):
    """A resident's response: a rank for each priority (a select each, so it works without
    JavaScript; ranking.js turns them into a reorderable list), issues under each priority,
    free text, their place, and contact details only if they opt in to hear back."""

    free_text = forms.CharField(
        required=False,
        max_length=FREE_TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "class": "nhsuk-textarea"}),
        error_messages={
            "max_length": format_lazy(
                "Your answer must be {} characters or fewer", f"{FREE_TEXT_MAX:,}"
            )
        },
    )
    place = forms.ChoiceField(required=False, widget=forms.RadioSelect)
    hear_back = forms.BooleanField(
        required=False, label="I would like to hear what happens as a result"
    )
    contact_name = forms.CharField(
        required=False,
        max_length=CONTACT_NAME_MAX,
        label="Your name (optional)",
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "nhsuk-input"}),
    )
    contact_email = forms.EmailField(
        required=False,
        label="Your email address",
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "class": "nhsuk-input"}
        ),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    # A honeypot: hidden from people (and from assistive technology), filled by form-filling bots.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args,
        exercise: Exercise,
        priorities: list[Priority],
        places: list[Place],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        self.priorities = priorities
        self.places = {place.slug: place for place in places}
        n = len(priorities)
        ends = {1: "1 (most important)", n: f"{n} (least important)"}
        rank_choices = [("", "Choose a rank")] + [
            (str(i), ends.get(i, str(i))) for i in range(1, n + 1)
        ]
        for priority in priorities:
            self.fields[f"rank_{priority.pk}"] = forms.TypedChoiceField(
                label=priority.title,
                choices=rank_choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.Select(attrs={"class": "nhsuk-select"}),
            )
            issues = list(priority.issues.all())
            if issues:
                self.fields[f"issues_{priority.pk}"] = forms.TypedMultipleChoiceField(
                    label=priority.title,
                    choices=[(str(issue.pk), issue.title) for issue in issues],
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
        self.fields["place"].choices = (
            [(place.slug, place.name) for place in places]
            + [(ELSEWHERE, "Somewhere else")]
            + [("", "I would rather not say")]
        )
        self.fields["free_text"].label = exercise.free_text_question
        self.fields["free_text"].widget.attrs["maxlength"] = str(FREE_TEXT_MAX)

    # -- for the template -----------------------------------------------------------------

    def priority_rows(self) -> list[PriorityRow]:
        return [
            PriorityRow(
                priority=p,
                rank=self[f"rank_{p.pk}"],
                issues=self[f"issues_{p.pk}"] if f"issues_{p.pk}" in self.fields else None,
            )
            for p in self.priorities
        ]

    def rows_with_issues(self) -> list[PriorityRow]:
        return [row for row in self.priority_rows() if row.issues is not None]

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the order the fields appear."""
        if not self.is_bound or not self.errors:
            return []
        items: list[tuple[str, str]] = [("", e) for e in self.non_field_errors()]
        for name, field in self.fields.items():
            if name in self.errors:
                widget_id = self[name].id_for_label or self[name].auto_id
                if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                    widget_id = f"{self[name].auto_id}_0"
                items += [(f"#{widget_id}", message) for message in self.errors[name]]
        return items

    # -- validation -----------------------------------------------------------------------

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))

    def clean(self):
        data = super().clean()
        ranks = {p.pk: data.get(f"rank_{p.pk}") for p in self.priorities}
        for pk, message in ranking_errors(self.priorities, ranks).items():
            if f"rank_{pk}" not in self.errors:
                self.add_error(f"rank_{pk}", message)

        limit = self.exercise.issue_choice_limit
        if limit:
            for row in self.rows_with_issues():
                name = f"issues_{row.priority.pk}"
                if len(data.get(name) or []) > limit:
                    self.add_error(
                        name,
                        f"Choose up to {limit} issue{'s' if limit > 1 else ''} under "
                        f"{row.priority.title}",
                    )

        choice = data.get("place") or ""
        data["place_obj"] = self.places.get(choice)
        data["lives_elsewhere"] = choice == ELSEWHERE

        if data.get("hear_back"):
            if not data.get("contact_email") and "contact_email" not in self.errors:
                self.add_error(
                    "contact_email",
                    "Enter your email address, so that we can tell you what happens",
                )
        elif data.get("contact_name") or data.get("contact_email"):
            self.add_error(
                "hear_back",
                "Tick the box if you would like to hear back, or clear your name and email address",
            )
        return data

    def submission(self) -> dict:
        """The cleaned answers, as keyword arguments for services.response_submit."""
        data = self.cleaned_data
        hear_back = bool(data.get("hear_back"))
        return {
            "ranks": {p.pk: data[f"rank_{p.pk}"] for p in self.priorities},
            "issue_ids": [
                issue_id
                for row in self.rows_with_issues()
                for issue_id in data.get(f"issues_{row.priority.pk}") or []
            ],
            "free_text": data.get("free_text") or "",
            "place": data["place_obj"],
            "lives_elsewhere": data["lives_elsewhere"],
            "contact_name": data.get("contact_name", "") if hear_back else "",
            "contact_email": data.get("contact_email", "") if hear_back else "",
        }


class ResultsFilterForm(forms.Form):
    """Which responses the rankings and issue picks count: everyone's, or one place's."""

    place = forms.ChoiceField(
        required=False,
        label="Show results from",
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )

    def __init__(self, *args, places: list[Place], **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {place.slug: place for place in places}
        self.fields["place"].choices = [("", "Every place")] + [
            (place.slug, place.name) for place in places
        ]

    def selected_place(self) -> Place | None:
        if not self.is_valid():
            return None
        return self.places.get(self.cleaned_data.get("place") or "")
