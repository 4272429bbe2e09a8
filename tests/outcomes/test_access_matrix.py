"""Every staff URL and action x every role: allowed or refused, as it should be.

Roles: anonymous, the officer of this place (Doncaster), an officer of another place
(Sheffield), the approver (of every place), the admin (superuser). "ok" means the page loads or
the action happens (and changes something); every refusal changes nothing at all.

And no draft ever reaches a public page, a download or the API: a crawl of the public site as an
anonymous visitor never meets a draft's figures.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import pytest
from django.urls import reverse

from outcomes.models import Proposal, Upload, Value, ValueEvent
from outcomes.services.values import values_import
from tests.outcomes.workflow_helpers import new_value, published

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer_doncaster", "officer_sheffield", "approver", "admin_user"]
UPLOAD_CSV = (
    "area_code,indicator,period,value\n"
    "E08000017,Gross disposable household income per head,2024,20500\n"
)


@dataclass
class World:
    submitted: Value  # Doncaster, entered and submitted by the Doncaster officer
    draft: Value  # Doncaster, a draft of the Doncaster officer
    upload: Upload  # the Doncaster officer's upload, previewed


@pytest.fixture
def world(officer_doncaster) -> World:
    from outcomes.importing import read_table

    submitted = new_value(officer_doncaster, year=2024, submit=True)
    draft = new_value(officer_doncaster, measure="economic-inactivity", year=2024, value="22")
    rows, _ = read_table(UPLOAD_CSV.encode(), "values.csv")
    preview = values_import(rows=rows, state="draft", user=officer_doncaster, dry_run=True)
    upload = Upload.objects.create(
        user=officer_doncaster,
        filename="values.csv",
        data=UPLOAD_CSV.encode(),
        versions=preview.versions,
    )
    return World(submitted=submitted, draft=draft, upload=upload)


def _new_data(world):
    return {"period": "2025", "value": "74.0"}


# name: (method, url(world), data(world), expected by role)
# expected: "ok", "login" (redirect to sign in), 403, 404, "refused" (200 with the refusal) or
# "noop" (the request is accepted and changes nothing: another place's drafts are ignored).
CASES = {
    "my measures": (
        "get",
        lambda w: reverse("manage:index"),
        None,
        {
            "officer_doncaster": "ok",
            "officer_sheffield": "ok",
            "approver": "ok",
            "admin_user": "ok",
        },
    ),
    "review queue": (
        "get",
        lambda w: reverse("manage:review"),
        None,
        {"officer_doncaster": 403, "officer_sheffield": 403, "approver": "ok", "admin_user": "ok"},
    ),
    "upload form": (
        "get",
        lambda w: reverse("manage:upload"),
        None,
        {"officer_doncaster": "ok", "officer_sheffield": "ok", "approver": 403, "admin_user": "ok"},
    ),
    "upload template": (
        "get",
        lambda w: reverse("manage:upload_template") + "?format=csv",
        None,
        {"officer_doncaster": "ok", "officer_sheffield": "ok", "approver": 403, "admin_user": "ok"},
    ),
    "measure at a place": (
        "get",
        lambda w: reverse("manage:slot", args=["doncaster", "employment-rate"]),
        None,
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": "ok", "admin_user": "ok"},
    ),
    "value page": (
        "get",
        lambda w: reverse("manage:value", args=[w.draft.pk]),
        None,
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": "ok", "admin_user": "ok"},
    ),
    "new value form": (
        "get",
        lambda w: reverse("manage:value_new", args=["doncaster", "employment-rate"]),
        None,
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": "ok"},
    ),
    "age-band form": (
        "get",
        lambda w: reverse(
            "manage:value_dsr", args=["doncaster", "preventable-cardiovascular-mortality"]
        ),
        None,
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": "ok"},
    ),
    "edit form": (
        "get",
        lambda w: reverse("manage:value_edit", args=[w.draft.pk]),
        None,
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": "ok"},
    ),
    "upload preview": (
        "get",
        lambda w: reverse("manage:upload_preview", args=[w.upload.token]),
        None,
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": 404},
    ),
    "enter a value": (
        "post",
        lambda w: reverse("manage:value_new", args=["doncaster", "employment-rate"]),
        _new_data,
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": "ok"},
    ),
    "change a draft": (
        "post",
        lambda w: reverse("manage:value_edit", args=[w.draft.pk]),
        lambda w: {"value": "22.5", "version": w.draft.version},
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": "ok"},
    ),
    "submit": (
        "post",
        lambda w: reverse("manage:value_submit", args=[w.draft.pk]),
        lambda w: {"version": w.draft.version},
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": "ok"},
    ),
    "delete": (
        "post",
        lambda w: reverse("manage:value_delete", args=[w.draft.pk]),
        lambda w: {"version": w.draft.version},
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": "ok"},
    ),
    "submit all drafts": (
        "post",
        lambda w: reverse("manage:submit_drafts"),
        lambda w: {"draft": [f"{w.draft.pk}:{w.draft.version}"]},
        {
            "officer_doncaster": "ok",
            "officer_sheffield": "noop",
            "approver": 403,
            "admin_user": "ok",
        },
    ),
    "approve": (
        "post",
        lambda w: reverse("manage:value_approve", args=[w.submitted.pk]),
        lambda w: {"version": w.submitted.version},
        {"officer_doncaster": 403, "officer_sheffield": 403, "approver": "ok", "admin_user": "ok"},
    ),
    "return": (
        "post",
        lambda w: reverse("manage:value_return", args=[w.submitted.pk]),
        lambda w: {"version": w.submitted.version, "comment": "Check the source"},
        {"officer_doncaster": 403, "officer_sheffield": 403, "approver": "ok", "admin_user": "ok"},
    ),
    "upload a file": (
        "post",
        lambda w: reverse("manage:upload"),
        None,
        {
            "officer_doncaster": "ok",
            "officer_sheffield": "refused",
            "approver": 403,
            "admin_user": "ok",
        },
    ),
    "confirm an upload": (
        "post",
        lambda w: reverse("manage:upload_preview", args=[w.upload.token]),
        lambda w: {},
        {"officer_doncaster": "ok", "officer_sheffield": 404, "approver": 403, "admin_user": 404},
    ),
}


def snapshot() -> tuple:
    """Everything an action could change."""
    return (
        ValueEvent.objects.count(),
        sorted(Proposal.objects.values_list("pk", "state", "value_figure")),
        sorted(Value.objects.values_list("pk", "state", "value", "version")),
        Upload.objects.count(),
    )


MATRIX = [(name, role, CASES[name][3].get(role, "login")) for name in CASES for role in ROLES]


@pytest.mark.parametrize(("name", "role", "expected"), MATRIX)
def test_access(client, request, world, name, role, expected):
    method, url_of, data_of, _ = CASES[name]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = url_of(world)
    before = snapshot()
    if name == "upload a file":
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(url, {"file": SimpleUploadedFile("values.csv", UPLOAD_CSV.encode())})
    elif method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data_of(world) if data_of else {})
    after = snapshot()

    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif expected == "ok":
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login"))
        if method == "post":
            assert after != before, "an allowed action changed nothing"
            if name != "upload a file":
                assert response.status_code == 302
    elif expected == "noop":  # allowed to post, but another place's drafts are ignored
        assert response.status_code == 302
    elif expected == "refused":
        assert response.status_code == 200
        assert "you cannot enter values for Doncaster" in response.content.decode()
    else:
        assert response.status_code == expected
    if expected != "ok" and method == "post":
        assert after == before, "a refused action changed something"


def test_the_matrix_covers_every_staff_url(world):
    from django.urls import resolve

    from entry import urls as staff_urls

    names = {pattern.name for pattern in staff_urls.urlpatterns}
    covered = {resolve(url_of(world).split("?")[0]).url_name for _, url_of, _, _ in CASES.values()}
    assert covered == names
    assert len(MATRIX) == len(CASES) * len(ROLES) == 95


def test_the_template_holds_only_the_officers_own_places(client, officer_sheffield, world):
    client.force_login(officer_sheffield)
    content = client.get(reverse("manage:upload_template"), {"format": "csv"}).getvalue().decode()
    assert "Sheffield" in content and "Doncaster" not in content


# --- No draft ever leaks into a public page, a download or the API ----------------------------

CANARY = "CANARY-draft-never-public"
NOT_PUBLIC = ("/manage/", "/accounts/", "/admin/", "/static/", "/media/")


def _public_links(html: str) -> set[str]:
    import re

    return {
        href.split("#")[0]
        for href in re.findall(r'href="(/[^"]*)"', html)
        if not href.startswith(NOT_PUBLIC) and not href.startswith("//")
    }


def _text_of(body: bytes, content_type: str) -> str:
    """A response's text: a spreadsheet's cells, or the body decoded."""
    if "spreadsheetml" in content_type:
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return body.decode("utf-8", errors="replace")


def test_no_draft_reaches_the_public_site(client, officer_doncaster, officer_sheffield, approver):
    from outcomes.services.review import proposal_save, proposal_submit
    from tests.outcomes.workflow_helpers import figures

    # Drafts and submissions, new values and a correction, marked by figures no real
    # household income comes near and by a canary note and source.
    gdhi = "gross-disposable-household-income"
    new_value(officer_doncaster, measure=gdhi, year=2024, value="98765", note=CANARY, source=CANARY)
    new_value(
        officer_sheffield,
        place="sheffield",
        measure=gdhi,
        year=2024,
        value="87654",
        note=CANARY,
        source=CANARY,
        submit=True,
    )
    barnsley_officer = officer_doncaster.__class__.objects.get(username="officer.barnsley")
    old = published(place="barnsley", measure=gdhi)
    proposal_save(
        user=barnsley_officer,
        measure=old.measure,
        place=old.place,
        period=old.period,
        expected_version=old.version,
        figures=figures("76543", note=CANARY, source=CANARY),
        reason=CANARY,
    )
    proposal_submit(user=barnsley_officer, value=old, expected_version=old.version + 1)
    draft_figures = ("98765", "98,765", "87654", "87,654", "76543", "76,543")

    assert not Value.objects.published().filter(note=CANARY).exists()
    assert not Value.objects.published().filter(value__gt=70000).exists()

    client.logout()
    seen: set[str] = set()
    queue = ["/"]
    # Reach every public page the other parts of the site offer, linked or not.
    from django.urls import NoReverseMatch

    from outcomes.models import Measure, Outcome
    from places.models import Place

    for obj in [*Measure.objects.all(), *Outcome.objects.all(), *Place.objects.all()]:
        with contextlib.suppress(NoReverseMatch):
            queue.append(obj.get_absolute_url())
    pages = 0
    while queue and pages < 400:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        pages += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = _text_of(body, response.get("Content-Type", ""))
        assert CANARY not in text, f"a draft leaked into {url}"
        for figure in draft_figures:
            assert figure not in text, f"a draft's figure {figure} leaked into {url}"
        if "html" in response.get("Content-Type", ""):
            queue.extend(_public_links(text) - seen)
    kinds = {url.rsplit(".", 1)[-1] for url in seen if url.endswith((".csv", ".xlsx"))}
    assert pages >= 40 and kinds == {"csv", "xlsx"}, (pages, kinds)
