"""The shared includes render what pages rely on."""

import pytest
from django.template.loader import render_to_string


@pytest.mark.parametrize(
    ("status", "colour", "icon", "text"),
    [
        ("better", "green", "tick", "Better"),
        ("similar", "yellow", "minus", "Similar"),
        ("worse", "red", "cross", "Worse"),
        ("improving", "green", "arrow-up-circle", "Getting better"),
        ("worsening", "red", "arrow-down-circle", "Getting worse"),
        ("approved", "green", "tick", "Approved"),
    ],
)
def test_status_tag_has_colour_icon_and_words(status, colour, icon, text):
    html = render_to_string("includes/status_tag.html", {"status": status})

    assert f"nhsuk-tag--{colour}" in html
    assert f"nhsuk-icon--{icon}" in html
    assert 'aria-hidden="true"' in html  # the words carry the meaning, not the icon
    assert text in html


def test_status_tag_words_can_be_replaced():
    html = render_to_string(
        "includes/status_tag.html", {"status": "better", "text": "Better than England"}
    )
    assert "Better than England" in html and ">Better<" not in html


def test_status_tag_without_a_judgement_has_no_colour_meaning():
    html = render_to_string("includes/status_tag.html", {"status": "no_data"})
    assert "nhsuk-tag--white" in html and "nhsuk-icon" not in html and "No data" in html


def test_chart_include_passes_the_figure_as_json_and_names_the_chart():
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"title": "</script>"}}

    html = render_to_string(
        "includes/chart.html",
        {"chart_id": "c1", "figure": figure, "label": "Bar chart of a", "described_by": "t1"},
    )

    assert '<script id="c1-data" type="application/json">' in html
    assert '</script>"' not in html  # json_script escapes it
    assert 'data-chart="c1-data"' in html
    assert 'role="img" aria-label="Bar chart of a" aria-describedby="t1"' in html


def test_table_include():
    html = render_to_string(
        "includes/table.html",
        {
            "caption": "Values",
            "head": ["Year", "Value"],
            "rows": [["2023", 1.5], ["2024", None]],
            "numeric": True,
            "table_id": "t1",
        },
    )
    assert '<th class="nhsuk-table__header" scope="row">2023</th>' in html
    assert "nhsuk-table__cell--numeric" in html
    assert "No data" in html
    assert 'aria-labelledby="t1-caption"' in html


def test_breadcrumbs_end_with_a_back_link_to_the_parent():
    html = render_to_string(
        "includes/breadcrumbs.html", {"breadcrumbs": [("Home", "/"), ("Outcomes", "/outcomes/")]}
    )
    assert '<a class="nhsuk-breadcrumb__link" href="/">Home</a>' in html
    assert 'class="nhsuk-back-link" href="/outcomes/"' in html


def test_rug_cell():
    html = render_to_string(
        "includes/rug_cell.html",
        {"status": "worse", "value": "12.5%", "status_text": "Worse than England"},
    )
    assert "app-rug__cell--worse" in html and "nhsuk-icon--cross" in html
    assert "12.5%" in html and "Worse than England" in html


def test_messages_become_notification_banners(rf):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    html = render_to_string(
        "includes/messages.html",
        {"messages": [Message(constants.SUCCESS, "Saved"), Message(constants.INFO, "Note")]},
    )
    assert "nhsuk-notification-banner--success" in html and 'role="alert"' in html
    assert 'id="notification-banner-title-1"' in html and 'id="notification-banner-title-2"' in html
