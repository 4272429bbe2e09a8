"""The board's quarterly progress report: quarters, statuses as they stood at a quarter's end,
changes, overdue data, commitments, the page and its PDF."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, CommitmentStatus, CommitmentUpdate, Partner
from dashboards.selectors import measure as measure_selectors
from dashboards.selectors import series
from outcomes.models import Measure, Outcome, Value
from reports.board import Quarter, available_quarters, board_report


def aware(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


# --- quarters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "slug", "label", "months"),
    [
        (datetime.date(2026, 4, 1), "2026-27-q1", "Q1 2026/27", "April to June 2026"),
        (datetime.date(2026, 11, 24), "2026-27-q3", "Q3 2026/27", "October to December 2026"),
        (datetime.date(2027, 3, 31), "2026-27-q4", "Q4 2026/27", "January to March 2027"),
        (datetime.date(1999, 12, 31), "1999-00-q3", "Q3 1999/00", "October to December 1999"),
    ],
)
def test_financial_year_quarters(day, slug, label, months):
    quarter = Quarter.containing(day)
    assert (quarter.slug, quarter.label, quarter.months) == (slug, label, months)
    assert Quarter.from_slug(slug) == quarter
    assert quarter.start <= day <= quarter.end
    assert quarter.next.start == quarter.end + datetime.timedelta(days=1)
    assert quarter.previous.next == quarter


@pytest.mark.parametrize("slug", ["2026-28-q1", "2026-27-q5", "2026-27-q0", "latest", "2026-q1"])
def test_a_quarter_slug_must_be_exact(slug):
    assert Quarter.from_slug(slug) is None


def test_the_quarters_run_from_the_first_publication_to_now(db):
    today = timezone.localdate()
    quarters = available_quarters(today=today)
    assert quarters[0] == Quarter.containing(today)
    # the first publication of a value or of a commitment update (the demo's go back to 2025)
    first = min(
        Value.objects.published().earliest("published_at").published_at,
        CommitmentUpdate.objects.exclude(published_at=None).earliest("published_at").published_at,
    )
    assert quarters[-1] == Quarter.containing(timezone.localtime(first).date())
    assert quarters == sorted(quarters, reverse=True)


# --- the report's content -------------------------------------------------------------------------


@pytest.fixture
def this_quarter() -> Quarter:
    return Quarter.containing(timezone.localdate())


def test_the_statuses_are_the_pages_statuses(db, this_quarter):
    report = board_report(this_quarter)
    areas = series.areas_for_dashboard()
    for section in report.sections:
        for line in section.measures:
            page = measure_selectors.measure_page(line.measure, areas=areas)
            for mine, theirs in zip(line.cells, page.cells, strict=True):
                assert mine.place == theirs.place
                assert mine.latest_formatted == theirs.latest_formatted
                assert mine.comparison == theirs.comparison
                assert mine.trend.status == theirs.trend.status
                assert mine.target_assessment.status == theirs.target_assessment.status
    assert [s.outcome for s in report.sections] == list(Outcome.objects.all())


def test_a_past_quarter_shows_only_what_was_published_by_its_end(db, this_quarter):
    """Publish one measure's values in the previous quarter except its latest period: the
    previous quarter's report shows the older value; this quarter's shows the change."""
    measure = Measure.objects.get(slug="economic-inactivity")
    values = Value.objects.published().filter(measure=measure).select_related("period")
    latest_start = max(v.period.start for v in values)
    earlier = aware(this_quarter.previous.start + datetime.timedelta(days=10))
    values.exclude(period__start=latest_start).update(published_at=earlier)
    values.filter(period__start=latest_start).update(
        published_at=aware(this_quarter.start) + datetime.timedelta(hours=1)
    )

    def barnsley(report):
        for section in report.sections:
            for line in section.measures:
                if line.measure == measure:
                    return next(c for c in line.cells if c.place.slug == "barnsley")

    before = barnsley(board_report(this_quarter.previous))
    now = board_report(this_quarter)
    after = barnsley(now)
    assert before.latest.period.start < after.latest.period.start == latest_start
    assert now.had_earlier_data
    changes = [
        c
        for s in now.sections
        for c in s.changes
        if c.measure == measure and c.place_name == "Barnsley"
    ]
    assert len(changes) == 1
    assert (
        f"new data for {after.latest.period.label}: {after.latest_formatted}" in changes[0].sentence
    )


def test_overdue_data_is_the_measure_pages_rule(db, this_quarter):
    report = board_report(this_quarter)
    today = timezone.localdate()
    overdue = {line.measure.slug for s in report.sections for line in s.overdue}
    expected = set(Measure.objects.filter(next_update_due__lt=today).values_list("slug", flat=True))
    assert overdue == expected


@pytest.fixture
def commitment_history(db, this_quarter):
    """A commitment on track last quarter and delayed this quarter, and one whose delayed update
    is still awaiting review."""
    outcome = Outcome.objects.get(slug="longer-healthier-lives")
    partner = Partner.objects.create(name="A partner", slug="a-partner")
    made = []
    for slug in ["moves", "waits"]:
        commitment = Commitment.objects.create(
            title=f"Commitment that {slug}",
            slug=slug,
            summary="Something.",
            outcome=outcome,
            lead_partner=partner,
            due_date=datetime.date(2030, 1, 1),
        )
        CommitmentUpdate.objects.create(
            commitment=commitment,
            as_of=this_quarter.previous.start,
            status=CommitmentStatus.ON_TRACK,
            progress="Going well.",
            state="published",
            published_at=aware(this_quarter.previous.start),
        )
        made.append(commitment)
    CommitmentUpdate.objects.create(
        commitment=made[0],
        as_of=this_quarter.start,
        status=CommitmentStatus.DELAYED,
        progress="Contractor went bust.",
        state="published",
        published_at=aware(this_quarter.start),
    )
    CommitmentUpdate.objects.create(
        commitment=made[1],
        as_of=this_quarter.start,
        status=CommitmentStatus.DELAYED,
        progress="Not yet reviewed.",
        state="submitted",
    )
    return made


def test_commitments_at_risk_or_delayed_and_what_changed(commitment_history, this_quarter):
    report = board_report(this_quarter)
    section = next(s for s in report.sections if s.outcome.slug == "longer-healthier-lives")
    lines = {line.commitment.slug: line for line in section.commitments}
    assert (lines["moves"].previous_status, lines["moves"].status) == ("on_track", "delayed")
    assert lines["waits"].status == "on_track"  # the submitted update is not public
    assert [line.commitment.slug for line in section.commitments_of_concern] == ["moves"]
    assert [line.commitment.slug for line in section.commitments_changed] == ["moves"]
    previous = board_report(this_quarter.previous)
    old = next(s for s in previous.sections if s.outcome.slug == "longer-healthier-lives")
    assert {line.commitment.slug: line.status for line in old.commitments}["moves"] == "on_track"


def test_what_residents_said_comes_from_themes_linked_to_the_outcome(
    commitment_history, this_quarter
):
    from engagement.models import FeedbackTheme

    via_commitment = FeedbackTheme.objects.create(
        title="Build sites near schools", you_said="Too noisy.", we_did="Moved the sites."
    )
    via_commitment.commitments.add(commitment_history[0])
    via_measure = FeedbackTheme.objects.create(
        title="Smoking in parks", you_said="Ban it.", we_did="Smoke-free zones."
    )
    via_measure.measures.add(Measure.objects.get(slug="adults-who-smoke"))
    FeedbackTheme.objects.create(
        title="Unpublished", you_said="-", we_did="-", is_published=False
    ).outcomes.add(commitment_history[0].outcome)
    report = board_report(this_quarter)
    titles = {s.outcome.slug: {t.title for t in s.themes} for s in report.sections}
    assert {"Build sites near schools", "Smoking in parks"} <= titles["longer-healthier-lives"]
    assert "Unpublished" not in titles["longer-healthier-lives"]
    assert "Smoking in parks" not in titles["best-start-in-life"]


# --- the pages ------------------------------------------------------------------------------------


def test_the_index_offers_every_quarter_and_redirects_to_the_chosen_one(client, db, this_quarter):
    response = client.get(reverse("report:index"))
    assert response.status_code == 200
    assert this_quarter.long_label in response.text
    response = client.get(reverse("report:index"), {"quarter": this_quarter.slug})
    assert response.status_code == 302
    assert response["Location"] == reverse("report:detail", args=[this_quarter.slug])
    response = client.get(reverse("report:index"), {"quarter": "1990-91-q1"})
    assert response.status_code == 200 and "There is a problem" in response.text


def test_a_quarter_without_a_report_is_404(client, db):
    assert client.get(reverse("report:detail", args=["1990-91-q1"])).status_code == 404
    assert client.get(reverse("report:detail", args=["nonsense"])).status_code == 404
    future = Quarter.containing(timezone.localdate()).next
    assert client.get(reverse("report:detail", args=[future.slug])).status_code == 404


def test_the_report_page(client, commitment_history, this_quarter):
    response = client.get(reverse("report:detail", args=[this_quarter.slug]))
    assert response.status_code == 200
    html = response.text
    assert f"Progress report to the partnership board: {this_quarter.label}" in html
    for outcome in Outcome.objects.all():
        assert outcome.title in html
    assert "Contractor went bust." in html and "Not yet reviewed." not in html
    assert "css/report.css" in html and "st-no-print" in html
    assert reverse("report:pdf", args=[this_quarter.slug]) in html


def test_the_report_page_costs_a_fixed_number_of_queries(
    client, commitment_history, this_quarter, django_assert_num_queries
):
    url = reverse("report:detail", args=[this_quarter.slug])
    # the publication range (values, updates), areas, outcomes, measures, periods, values,
    # targets, commitments (3), feedback themes with their links (4)
    with django_assert_num_queries(15) as first:
        client.get(url)
    partner = Partner.objects.first()
    for i in range(10):
        c = Commitment.objects.create(
            title=f"More {i}",
            slug=f"more-{i}",
            summary=".",
            outcome=Outcome.objects.first(),
            lead_partner=partner,
            due_date=datetime.date(2030, 1, 1),
        )
        CommitmentUpdate.objects.create(
            commitment=c,
            as_of=this_quarter.start,
            status="at_risk",
            progress="Hmm.",
            state="published",
            published_at=aware(this_quarter.start),
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


# --- the PDF --------------------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and not os.environ.get("REQUIRE_BROWSER"),
    reason="Chromium is not installed (apt-get install chromium)",
)


@needs_chromium
def test_the_pdf_renders_every_outcome_on_landscape_pages(client, commitment_history, this_quarter):
    response = client.get(reverse("report:pdf", args=[this_quarter.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"board-report-{this_quarter.slug}.pdf" in response["Content-Disposition"]
    if shutil.which("pdfinfo") and shutil.which("pdftotext"):
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(response.content)
            pdf.flush()
            info = subprocess.run(["pdfinfo", pdf.name], capture_output=True, text=True).stdout
            text = subprocess.run(
                ["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True
            ).stdout
        pages = int(
            next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
        )
        assert pages >= 1 + Outcome.objects.count()  # a cover, then each outcome on new pages
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info)
        assert size and float(size[1]) > float(size[2])  # A4, landscape
        for outcome in Outcome.objects.all():
            assert outcome.title in text
        assert "Contractor went bust." in text
        assert "Skip to main content" not in text  # no navigation in print


def test_without_chromium_the_pdf_link_explains_itself(client, db, this_quarter, monkeypatch):
    monkeypatch.setattr("reports.pdf.chromium_path", lambda: None)
    response = client.get(reverse("report:pdf", args=[this_quarter.slug]))
    assert response.status_code == 503
    assert "Chromium is not installed" in response.text
    assert reverse("report:detail", args=[this_quarter.slug]) in response.text


def test_a_slow_chromium_is_stopped(client, db, this_quarter, monkeypatch):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(cmd="chromium", timeout=60)

    monkeypatch.setattr("reports.pdf.chromium_path", lambda: "/usr/bin/true")
    monkeypatch.setattr("reports.pdf.subprocess.run", slow)
    response = client.get(reverse("report:pdf", args=[this_quarter.slug]))
    assert response.status_code == 503
    assert "took too long" in response.text
