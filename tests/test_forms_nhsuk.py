"""NHSFormMixin gives widgets the design system's classes; includes/field.html lays them out."""

from django import forms
from django.template.loader import render_to_string

from core.forms import NHSFormMixin


class ExampleForm(NHSFormMixin, forms.Form):
    name = forms.CharField(help_text="As it appears on the report")
    note = forms.CharField(widget=forms.Textarea, required=False)
    place = forms.ChoiceField(choices=[("b", "Barnsley"), ("d", "Doncaster")])
    kind = forms.ChoiceField(
        choices=[("a", "Annual"), ("q", "Quarterly")], widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField()
    width = forms.CharField(widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}))


def field_html(form, name, **extra):
    return render_to_string("includes/field.html", {"field": form[name], **extra})


def test_widgets_get_nhsuk_classes():
    form = ExampleForm()
    assert form.fields["name"].widget.attrs["class"] == "nhsuk-input"
    assert form.fields["note"].widget.attrs["class"] == "nhsuk-textarea"
    assert form.fields["place"].widget.attrs["class"] == "nhsuk-select"
    assert form.fields["kind"].widget.attrs["class"] == "nhsuk-radios__input"
    assert form.fields["tags"].widget.attrs["class"] == "nhsuk-checkboxes__input"
    assert form.fields["agree"].widget.attrs["class"] == "nhsuk-checkboxes__input"
    assert form.fields["width"].widget.attrs["class"] == "nhsuk-input--width-10 nhsuk-input"
    # Each form has its own widgets: the class is not added twice.
    assert ExampleForm().fields["name"].widget.attrs["class"] == "nhsuk-input"


def test_fields_with_errors_get_the_error_modifier():
    form = ExampleForm(data={"name": "", "place": "b", "kind": "a", "agree": "on", "width": "w"})
    assert not form.is_valid()
    assert form.fields["name"].widget.attrs["class"] == "nhsuk-input nhsuk-input--error"
    assert form.fields["place"].widget.attrs["class"] == "nhsuk-select"


def test_text_field_has_label_hint_error_and_describedby():
    form = ExampleForm(data={"name": ""})
    form.is_valid()

    html = field_html(form, "name")

    assert '<label class="nhsuk-label" for="id_name">Name</label>' in html
    assert '<div class="nhsuk-hint" id="id_name_helptext">As it appears on the report</div>' in html
    assert 'id="id_name_error"' in html and "This field is required." in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "nhsuk-form-group--error" in html


def test_radios_are_a_fieldset_described_by_their_error():
    form = ExampleForm(data={})
    form.is_valid()

    html = field_html(form, "kind", legend_class="nhsuk-fieldset__legend--m")

    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_kind_error">' in html
    assert '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Kind</legend>' in html
    assert html.count('class="nhsuk-radios__item"') == 2
    assert '<label class="nhsuk-label nhsuk-radios__label" for="id_kind_0">Annual</label>' in html


def test_single_checkbox_has_its_label_beside_it():
    html = field_html(ExampleForm(), "agree")

    assert '<div class="nhsuk-checkboxes__item">' in html
    assert '<label class="nhsuk-label nhsuk-checkboxes__label" for="id_agree">Agree</label>' in html


def test_error_summary_links_each_error_to_its_field():
    form = ExampleForm(data={})
    form.is_valid()

    html = render_to_string("includes/error_summary.html", {"form": form})

    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_kind_0">This field is required.</a>' in html  # the first radio
    assert render_to_string("includes/error_summary.html", {"form": ExampleForm()}).strip() == ""
