from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from commitments.models import CommitmentStatus, CommitmentUpdate, Partner
from outcomes.models import Outcome
from places.models import Place


class CommitmentFilterForm(forms.Form):
    """The public list's filters (GET). Every field is optional; an unknown value is an error
    shown beside its field, not a silent empty list."""

    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All outcomes",
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.filter(kind__in=[Place.Kind.SYSTEM, Place.Kind.PLACE]),
        to_field_name="slug",
        required=False,
        empty_label="All places",
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All partners",
        label="Lead partner",
    )
    status = forms.MultipleChoiceField(
        choices=CommitmentStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("outcome"):
            queryset = queryset.for_outcome(data["outcome"])
        if data.get("place"):
            queryset = queryset.for_place(data["place"])
        if data.get("partner"):
            queryset = queryset.for_partner(data["partner"])
        if data.get("status"):
            queryset = queryset.with_status(*data["status"])
        return queryset


class CommitmentUpdateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = CommitmentUpdate
        fields = ["as_of", "status", "progress", "next_steps"]
        labels = {
            "as_of": "Date of the update",
            "status": "Status",
            "progress": "Progress since the last update",
            "next_steps": "Next steps (optional)",
        }
        help_texts = {
            "as_of": "For example, 30 9 2026. Use the date the progress was true on.",
            "status": "The commitment's status on that date. It becomes public only once an "
            "approver has published this update.",
            "progress": "Plain words for the public: what was done, what changed.",
        }
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}),
            "status": forms.RadioSelect,
            "progress": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("version") is None:
            raise forms.ValidationError(
                "This form did not say which version of the update it changes. Reload the "
                "update and make your change again."
            )
        return data

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError("The date of the update cannot be in the future.")
        if as_of < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Enter a date from 2000 onwards.")
        return as_of


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why are you returning this update?",
        help_text="The author sees this and can change the update and submit it again.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
