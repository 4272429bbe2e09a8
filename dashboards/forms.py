from __future__ import annotations

from django import forms

from core.forms import NHSFormMixin
from dashboards.selectors.series import Areas
from dashboards.selectors.status_filter import FILTERS
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


class ChartAreasForm(NHSFormMixin, forms.Form):
    """The measure page's chart controls (a GET form that works without JavaScript; with it,
    static/js/charts.js shows and hides lines at once): which areas to draw, and whose 95%
    interval to shade (one at a time, so the bands never pile up). Defaults: the system (or the
    first place), the region and England, with the system's band."""

    area = forms.MultipleChoiceField(
        label="Places on the chart", required=False, widget=forms.CheckboxSelectMultiple
    )
    band = forms.ChoiceField(label="Shade the 95% confidence interval of", required=False)

    def __init__(self, data, *, areas: Areas, **kwargs):
        self.areas = areas
        if not data or not ({"area", "band"} & set(data)):
            data = None
        super().__init__(data, **kwargs)
        choices = [(area.slug, area.name) for area in areas.all]
        self.fields["area"].choices = choices
        self.fields["band"].choices = [("", "No place")] + [(a.slug, a.name) for a in areas.shown]
        default = areas.shown[:1] + areas.comparators
        self.fields["area"].initial = [area.slug for area in default]
        self.fields["band"].initial = areas.shown[0].slug if areas.shown else ""

    def chosen(self) -> tuple[set[str], str]:
        """(the slugs of the areas to draw, the slug whose band to shade or "")."""
        if self.is_bound and self.is_valid():
            areas = set(self.cleaned_data["area"])
            band = self.cleaned_data["band"]
            return areas, band if band in areas else ""
        return set(self.fields["area"].initial), self.fields["band"].initial


class StatusFilterForm(NHSFormMixin, forms.Form):
    """The home and place pages' status filter (a GET form): show only the measures with a
    status, e.g. worse than England; the server's order is kept."""

    status = forms.ChoiceField(label="Show measures that are", required=False)

    def __init__(self, data, *, benchmark_name: str, **kwargs):
        super().__init__(data or None, **kwargs)
        self.fields["status"].choices = [("", "Any status")] + [
            (str(status), label.format(benchmark=benchmark_name)) for status, label in FILTERS
        ]

    def chosen(self) -> str:
        return self.cleaned_data["status"] if self.is_bound and self.is_valid() else ""

    def chosen_label(self) -> str:
        return dict(self.fields["status"].choices).get(self.chosen(), "")
