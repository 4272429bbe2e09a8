"""The compare page's choices, read from the query string (GET: every view is a link)."""

from __future__ import annotations

import re

from django import forms

from dashboards.selectors.national_compare import MAX_AREAS
from national.models import Indicator
from outcomes.models import Measure
from places.models import Place

CODE = re.compile(r"^[A-Z]\d{8}$")


class CodesField(forms.Field):
    """Area codes, as many as the query string holds (`area=...&area=...`); checked by the form."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        return [str(v) for v in value or []]


class CompareForm(forms.Form):
    q = forms.CharField(
        label="Find an area by name",
        help_text="For example Barnsley, Leeds or South Yorkshire",
        required=False,
        max_length=100,
    )
    area = CodesField(required=False)
    indicator = forms.TypedChoiceField(
        label="Measure", coerce=int, required=False, empty_value=None
    )
    measure = forms.SlugField(required=False, max_length=200)

    def __init__(self, data, *, indicators: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["indicator"].choices = [("", "Choose a measure")] + indicators
        self.places: list[Place] = []
        self.chosen_indicator: Indicator | None = None

    def clean_area(self) -> list[str]:
        codes = []
        for code in self.cleaned_data["area"]:
            code = code.strip().upper()
            if code and code not in codes:
                codes.append(code)
        bad = [c for c in codes if not CODE.match(c)]
        if bad:
            raise forms.ValidationError(
                f"{', '.join(bad[:3])} is not an area code (a letter and 8 digits, e.g. E08000038)."
            )
        if len(codes) > MAX_AREAS:
            raise forms.ValidationError(
                f"Choose at most {MAX_AREAS} areas; you chose {len(codes)}."
            )
        found = {p.code: p for p in Place.objects.filter(code__in=codes)} if codes else {}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(f"No area has the code {', '.join(unknown[:3])}.")
        self.places = [found[c] for c in codes]
        return codes

    def clean(self):
        data = super().clean()
        pk = data.get("indicator")
        if pk is None and data.get("measure"):
            pk = (
                Measure.objects.filter(slug=data["measure"])
                .values_list("national_indicator_id", flat=True)
                .first()
            )
            if pk is None:
                self.add_error("measure", "That measure has no national data to compare.")
            else:
                data["indicator"] = pk
        if pk is not None:
            self.chosen_indicator = (
                Indicator.objects.select_related("dataset").filter(pk=pk).first()
            )
        return data

    @property
    def ready(self) -> bool:
        """Both chosen and valid: there is a comparison to show."""
        return self.is_valid() and bool(self.places) and self.chosen_indicator is not None
