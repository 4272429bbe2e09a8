"""A directly standardised rate from its age bands: the officer gives each 5-year band's count
and population; Dobson's method (``methods.intervals.dobson_interval``, the 2013 European
Standard Population) gives the rate and its 95% interval, as OHID's PHEindicatormethods does."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from entry.forms import NewValueForm
from methods import intervals
from outcomes.importing import parse_number

BANDS = intervals.ESP2013_BANDS


class DsrValueForm(NewValueForm):
    """A new value of a directly standardised rate, calculated from its age bands."""

    age_bands = forms.CharField(
        label="Count and population in each age band",
        widget=forms.Textarea(attrs={"rows": 19, "spellcheck": "false"}),
        help_text=(
            "One line for each 5-year age band, youngest first: 0-4, 5-9, ... 85-89, 90+ (19 "
            "lines). On each line the count (e.g. deaths), then the population, separated by a "
            "comma or a tab, as copied from a spreadsheet. Put 0 where there were none."
        ),
        error_messages={"required": "Enter the count and population of each age band"},
    )
    field_order = ["period", "age_bands"]

    dobson: intervals.Interval | None = None
    total_count: int | None = None
    total_population: int | None = None

    def clean_age_bands(self) -> str:
        text = self.cleaned_data["age_bands"]
        lines = [line for line in text.strip().splitlines() if line.strip()]
        if len(lines) != len(BANDS):
            raise forms.ValidationError(
                f"Give {len(BANDS)} lines, one for each age band from 0-4 to 90+; there are "
                f"{len(lines)}"
            )
        counts, populations = [], []
        for band, line in zip(BANDS, lines, strict=True):
            parts = [p for p in line.replace("\t", ",").split(",") if p.strip()]
            if len(parts) != 2:
                raise forms.ValidationError(
                    f"Age band {band}: give the count and the population, like 12, 15400"
                )
            try:
                count = parse_number(parts[0], "count")
                population = parse_number(parts[1], "population")
            except ValueError:
                raise forms.ValidationError(
                    f"Age band {band}: {line.strip()!r} is not two numbers"
                ) from None
            if count is None or population is None:
                raise forms.ValidationError(f"Age band {band}: give both numbers")
            counts.append(count)
            populations.append(population)
        try:
            self.dobson = intervals.dobson_interval(counts, populations)
        except ValueError as exc:
            raise forms.ValidationError(str(exc).rstrip(".")) from None
        self.total_count = int(sum(counts))
        self.total_population = int(sum(populations))
        return text

    def clean(self):
        data = self.cleaned_data
        if self.dobson is not None:
            places = (
                f"0.{'0' * (self.measure.decimal_places - 1)}1"
                if self.measure.decimal_places
                else "1"
            )
            quantum = Decimal(places)
            data["value"] = Decimal(str(self.dobson.value)).quantize(quantum)
            data["lower_ci"] = Decimal(str(self.dobson.lower)).quantize(quantum)
            data["upper_ci"] = Decimal(str(self.dobson.upper)).quantize(quantum)
            data["numerator"] = Decimal(self.total_count)
            data["denominator"] = Decimal(self.total_population)
        elif "age_bands" not in self.errors:
            self.add_error("age_bands", "Enter the count and population of each age band")
        return super().clean()
