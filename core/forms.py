"""Site-wide forms, and the mixin that gives any form the NHS.UK design system's classes."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.widgets import Input

# Most specific widget first: CheckboxSelectMultiple is a RadioSelect, CheckboxInput an Input.
WIDGET_CLASSES: list[tuple[type[forms.Widget], str, str]] = [
    (forms.CheckboxSelectMultiple, "nhsuk-checkboxes__input", ""),
    (forms.RadioSelect, "nhsuk-radios__input", ""),
    (forms.CheckboxInput, "nhsuk-checkboxes__input", ""),
    (forms.FileInput, "nhsuk-file-upload__input", ""),
    (forms.Textarea, "nhsuk-textarea", "nhsuk-textarea--error"),
    (forms.Select, "nhsuk-select", "nhsuk-select--error"),
    (Input, "nhsuk-input", "nhsuk-input--error"),
]


def _add_class(widget: forms.Widget, css_class: str) -> None:
    classes = widget.attrs.get("class", "").split()
    if css_class and css_class not in classes:
        widget.attrs["class"] = " ".join([*classes, css_class])


def _classes_for(widget: forms.Widget) -> tuple[str, str]:
    for widget_type, css_class, error_class in WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return css_class, error_class
    return "", ""


class NHSFormMixin:
    """Adds nhsuk-* classes to every widget, and the error modifier to fields that fail validation.

    Render each field with `{% include "includes/field.html" with field=form.x %}` and the form's
    errors with `{% include "includes/error_summary.html" %}`. Set a width on a text input with
    `widget.attrs["class"] = "nhsuk-input--width-10"` (kept alongside the added classes).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _add_class(field.widget, _classes_for(field.widget)[0])

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                _add_class(widget, _classes_for(widget)[1])


class LoginForm(NHSFormMixin, AuthenticationForm):
    """Django's sign-in form (it sets autocomplete="username" and "current-password"), with
    error messages that say what to do, as the NHS.UK error summary needs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
