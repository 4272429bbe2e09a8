from __future__ import annotations

from django import forms

from dashboards.selectors.series import Areas
from places.models import Place


class PlaceFilterForm(forms.Form):
    """The outcome page's place filter (a GET form): every place, or one."""

    place = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, areas: Areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.fields["place"].choices = [("", "Every place")] + [
            (area.slug, area.name) for area in areas.shown
        ]

    def clean_place(self) -> Place | None:
        slug = self.cleaned_data["place"]
        return self.areas.by_slug(slug) if slug else None
