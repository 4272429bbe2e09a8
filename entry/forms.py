"""Forms for officers and approvers. Every rule about a value is `value_errors` and
`period_problem` (the same ones the import and the upload use); these forms only read the input
and put each problem beside its field."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from core.forms import NHSFormMixin
from methods import intervals
from methods.base import VALUE_KIND_MULTIPLIERS
from methods.periods import ParsedPeriod, PeriodError, PeriodType, parse_period
from outcomes.importing import FileError, Row, parse_number, period_problem, read_table
from outcomes.models import (
    NOTE_MAX_CHARS,
    NUMBER_FIELDS,
    SOURCE_MAX_CHARS,
    Measure,
    Period,
    Value,
    text_errors,
    value_errors,
)
from outcomes.services.review import change_share


@dataclass(frozen=True)
class FiguresPreview:
    """The figures as the public pages will show them, and the checks they passed."""

    value: str
    interval: str
    method: str
    consistency: str

    @classmethod
    def of(cls, measure: Measure, figures: dict, *, computed: bool) -> FiguresPreview:
        value = figures["value"]
        numerator, denominator = figures.get("numerator"), figures.get("denominator")
        interval = intervals.interval_for(
            measure.value_kind,
            value,
            figures.get("lower_ci"),
            figures.get("upper_ci"),
            numerator,
            denominator,
        )
        text, method = "", "No interval: the value will not be compared with England."
        if interval is not None:
            text = (
                f"{measure.format_value(interval.lower)} to {measure.format_value(interval.upper)}"
            )
            if interval.method == intervals.IntervalMethod.PUBLISHED:
                method = "The publisher's 95% confidence interval, as you entered it."
            else:
                method = (
                    f"95% confidence interval calculated from the numerator and denominator by "
                    f"{interval.method} (as OHID's Fingertips)."
                )
        elif measure.value_kind == "dsr_100k" and numerator is not None:
            method = (
                "No interval: a directly standardised rate needs the publisher's interval, or "
                "one calculated by Dobson's method from its age bands; never a crude rate's."
            )
        expected = intervals.value_from_counts(measure.value_kind, numerator, denominator)
        places = f"{measure.decimal_places} decimal place" + (
            "" if measure.decimal_places == 1 else "s"
        )
        consistency = ""
        if computed:
            consistency = f"Calculated from {numerator:,} / {denominator:,}, rounded to {places}."
        elif expected is not None:
            consistency = (
                f"The value agrees with {numerator:,} / {denominator:,} "
                f"({measure.format_value(expected)}, to {places}), and lies inside its interval."
            )
        return cls(measure.format_value(value), text, method, consistency)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


class NumberField(forms.CharField):
    """A number as people type it ("1,234.5", "31.2%", "£120"), read by the importer's own
    `parse_number` so that a form and a spreadsheet accept the same things."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "class": "nhsuk-input--width-10",
                    "inputmode": "decimal",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_number(text, self.what)
        except ValueError:
            raise forms.ValidationError(
                f"Enter the {self.what} as a number, like 31.2", code="invalid"
            ) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return value


class CountField(NumberField):
    """A numerator or denominator: a whole number of people or events."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and number != number.to_integral_value():
            raise forms.ValidationError(
                f"Enter the {self.what} as a whole number, like 50", code="whole"
            )
        return None if number is None else number.quantize(Decimal(1))


class FiguresForm(NHSFormMixin, forms.Form):
    """The figures of one value. Subclasses add the period (new values) or the version
    (corrections)."""

    value = NumberField(what="value")
    lower_ci = NumberField(what="lower limit", label="Lower limit")
    upper_ci = NumberField(what="upper limit", label="Upper limit")
    numerator = CountField(what="numerator")
    denominator = CountField(what="denominator")
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the value on the public pages, e.g. a caveat from the publisher.",
    )
    source = forms.CharField(
        required=False,
        max_length=SOURCE_MAX_CHARS,
        help_text="Where the figure comes from: the publication, table or web address.",
    )
    confirm_change = forms.BooleanField(
        required=False, label="I have checked this value and it is right"
    )

    def __init__(self, *args, measure: Measure, place, **kwargs):
        self.measure = measure
        self.place = place
        self.needs_confirmation = False
        self.previous: Value | None = None
        super().__init__(*args, **kwargs)
        unit = measure.unit_label
        self.fields["value"].help_text = (
            (f"In {unit}." if unit and unit not in ("%", "£") else "")
            + (" A percentage, from 0 to 100." if measure.is_percentage else "")
            + (
                " Leave it empty to calculate it from the numerator and denominator."
                if measure.value_kind in VALUE_KIND_MULTIPLIERS
                else ""
            )
        ).strip()

    value_computed = False

    @property
    def preview(self) -> FiguresPreview | None:
        """What the figures will show, before they are saved: the interval (published or
        computed, with its method) and whether the value agrees with its counts."""
        if not self.is_bound or self.errors or not hasattr(self, "cleaned_data"):
            return None
        return FiguresPreview.of(self.measure, self.figures, computed=self.value_computed)

    @property
    def figures(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data.get(name) for name in NUMBER_FIELDS},
            "note": data.get("note", "").strip(),
            "source": data.get("source", "").strip(),
        }

    def period_for_rules(self) -> Period | ParsedPeriod | None:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in NUMBER_FIELDS):
            return data
        if data.get("value") is None:
            computed = intervals.value_from_counts(
                self.measure.value_kind, data.get("numerator"), data.get("denominator")
            )
            if computed is None:
                self.add_error("value", "Enter the value")
                return data
            # The value as the measure shows it: rounded to its decimal places.
            data["value"] = Decimal(f"{computed:.{self.measure.decimal_places}f}")
            self.value_computed = True
        for name, message in value_errors(
            measure=self.measure, **{name: data.get(name) for name in NUMBER_FIELDS}
        ).items():
            self.add_error(name, message)
        texts = {name: data.get(name) or "" for name in ("note", "source")}
        for name, message in text_errors(**texts).items():
            if name not in self.errors:
                self.add_error(name, message)
        period = self.period_for_rules()
        if period is not None and not self.errors:
            self._check_change(period, data)
        return data

    def _check_change(self, period, data) -> None:
        """A value that moves more than the set share from the previous period is confirmed."""
        from outcomes.services.review import previous_published

        lookup = Period(start=period.start, end=period.end, type=period.type)
        self.previous = previous_published(
            measure=self.measure, place=self.place, period=lookup, breakdown=None
        )
        if self.previous is None:
            return
        share = change_share(self.previous.value, data.get("value"))
        limit = Decimal(settings.VALUE_CHANGE_CONFIRM_PERCENT) / 100
        if share is None or share <= limit:
            return
        self.needs_confirmation = True
        if data.get("confirm_change"):
            return
        direction = "higher" if data["value"] > self.previous.value else "lower"
        self.add_error(
            "confirm_change",
            f"This value is {share * 100:.0f}% {direction} than {self.previous.period.label} "
            f"({self.measure.format_value(self.previous.value)}). Check it, then tick the box "
            "to confirm it is right",
        )


class NewValueForm(FiguresForm):
    """Enter the value of a period that has no value yet."""

    period = forms.CharField(
        max_length=60,
        help_text="",
        error_messages={"required": "Enter the period the value is for"},
        widget=forms.TextInput(
            attrs={"class": "nhsuk-input--width-10", "list": "period-suggestions"}
        ),
    )
    field_order = ["period"]

    def __init__(self, *args, suggestions: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)
        type_label = PeriodType(self.measure.period_type).label.lower()
        example = f", for example {self.suggestions[0]}" if self.suggestions else ""
        self.fields["period"].help_text = f"This measure is reported by {type_label}{example}."
        self.parsed_period: ParsedPeriod | None = None
        self.slot: Value | None = None
        self.taken: Value | None = None  # the value the period already has (linked from the form)

    def clean_period(self) -> str:
        text = self.cleaned_data["period"]
        try:
            parsed = parse_period(text, self.measure.period_type)
        except PeriodError:
            raise forms.ValidationError(
                f"Enter the period like {self.suggestions[0] if self.suggestions else '2024/25'}",
                code="invalid",
            ) from None
        problem = period_problem(self.measure, parsed)
        if problem:
            raise forms.ValidationError(_sentence(problem))
        existing = (
            Value.objects.filter(
                measure=self.measure,
                place=self.place,
                period__start=parsed.start,
                period__end=parsed.end,
                breakdown__isnull=True,
            )
            .select_related("period")
            .first()
        )
        if existing is not None and (existing.is_published or existing.proposals.open().exists()):
            self.slot = self.taken = existing
            raise forms.ValidationError(
                f"{parsed.label} already has a value; correct that one instead", code="taken"
            )
        self.slot = existing
        self.parsed_period = parsed
        return parsed.label

    def period_for_rules(self):
        return self.parsed_period


class EditValueForm(FiguresForm):
    """Correct a value: its open proposal's figures, or its published ones."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(
        required=False,
        label="Why is the published value changing?",
        help_text="Shown to the public in the measure's list of revisions, e.g. "
        "“the source corrected its figures”.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=300,
    )

    def __init__(self, *args, value: Value, **kwargs):
        self.value_obj = value
        super().__init__(*args, measure=value.measure, place=value.place, **kwargs)
        if not value.is_published:
            del self.fields["reason"]

    def clean_reason(self) -> str:
        reason = self.cleaned_data.get("reason", "").strip()
        if not reason:
            raise forms.ValidationError("Say why the published value is changing")
        return reason

    def period_for_rules(self):
        return self.value_obj.period


class ActionForm(NHSFormMixin, forms.Form):
    """Submit, approve, return or delete: the version seen, and an optional comment."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    comment = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(ActionForm):
    comment = forms.CharField(
        label="What needs to change?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what needs to change before it can be published"},
        help_text="The officers see this.",
    )


UPLOAD_SUFFIXES = (".csv", ".xlsx")


class UploadForm(NHSFormMixin, forms.Form):
    file = forms.FileField(
        label="Spreadsheet of values",
        help_text="A CSV or Excel (.xlsx) file made from the template.",
        error_messages={"required": "Choose a CSV or XLSX file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; it must be smaller than "
                f"{filesizeformat(limit)}. Remove rows you did not change, or split it"
            )
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                f"{upload.name} is not a CSV or XLSX file. Save it as CSV (.csv) or Excel "
                "workbook (.xlsx) and upload that"
            )
        data = upload.read()
        try:
            rows, empty = read_table(data, upload.name)
        except FileError as exc:
            raise forms.ValidationError(str(exc).rstrip(".")) from None
        if not rows:
            raise forms.ValidationError(
                "The file has column names but no rows of values"
                + (f" ({len(empty)} empty rows)" if empty else "")
            )
        self.data_bytes = data
        self.rows: list[Row] = rows
        self.empty_lines: list[int] = empty
        self.encoding_note = ""
        if upload.name.lower().endswith(".csv"):
            try:
                data.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.encoding_note = (
                    "The file is not UTF-8, so it was read as Windows-1252 (Excel's usual "
                    "“CSV” format). Check that £ signs and accented letters look right below."
                )
        return upload


class UploadConfirmForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(
        required=False,
        label="Why are published values changing?",
        help_text="Shown to the public beside each revised value, e.g. "
        "“the source corrected its figures”.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, corrects_published: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.corrects_published = corrects_published
        if not corrects_published:
            del self.fields["reason"]

    def clean_reason(self) -> str:
        reason = self.cleaned_data.get("reason", "").strip()
        if not reason:
            raise forms.ValidationError("Say why the published values are changing")
        return reason


class TemplateForm(NHSFormMixin, forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (.xlsx)")])
