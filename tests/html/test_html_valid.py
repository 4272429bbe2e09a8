"""Every page kind we template, public, staff and admin, passes the Nu HTML Checker (vnu) with
no errors. The pages are fetched with the demo data (as each role would see them) and checked
in one run of the checker, which is the `vnu-jar` npm package (`npm ci`) run with Java.

Skipped, with the reason, where the checker or Java is missing, unless REQUIRE_HTML_CHECK is set
(CI sets it: a missing checker must not pass as a clean bill)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from outcomes.models import Value
from tests.outcomes.public_helpers import clear_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

ROOT = Path(__file__).resolve().parents[2]
VNU = Path(os.environ.get("VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))

PUBLIC = [
    "/",
    "/outcomes/",
    "/outcomes/longer-healthier-lives/",
    "/outcomes/longer-healthier-lives/?place=barnsley",
    "/places/",
    "/places/barnsley/",
    "/places/barnsley/?status=worse",
    "/measures/male-healthy-life-expectancy/",
    "/measures/male-healthy-life-expectancy/?area=barnsley&band=barnsley",
    "/have-your-say/",
    "/have-your-say/what-matters-to-you-ranking-our-shared-outcomes/",
    "/have-your-say/what-matters-to-you-ranking-our-shared-outcomes/results/",
    "/commitments/",
    "/commitments/working-win/",
    "/report/",
    "/report/2026-27-q2/",
    "/api/v1/docs",
    "/accounts/login/",
    "/no-such-page/",
]


# Markup Django's own admin widgets write, which no template of ours makes, on admin pages only:
# the autocomplete select's empty first option (select2 needs it) and the hidden "initial-"
# copy of a field (show_hidden_initial) that repeats the field's aria-describedby.
DJANGO_ADMIN_WIDGETS = (
    "Element “option” without attribute “label” must not be empty.",
    "An “input” element with a “type” attribute whose value is “hidden” must not have any "
    "“aria-*” attributes.",
)


def _checker() -> list[str]:
    java = shutil.which("java")
    missing = None if java else "java is not installed"
    if not VNU.exists():
        missing = f"the Nu HTML Checker is not installed ({VNU}; run npm ci)"
    if missing:
        if os.environ.get("REQUIRE_HTML_CHECK"):
            pytest.fail(f"REQUIRE_HTML_CHECK is set but {missing}")
        pytest.skip(missing)
    return [java, "-Xss4m", "-jar", str(VNU)]


def _staff_pages(client, users) -> dict[str, bytes]:
    pages = {}
    value = Value.objects.filter(place__slug="barnsley", state=Value.State.PUBLISHED).first()
    officer, approver, admin = users
    client.force_login(officer)
    for url in (
        reverse("manage:index"),
        reverse("manage:upload"),
        reverse("manage:slot", args=["barnsley", value.measure.slug]),
        reverse("manage:value_new", args=["barnsley", value.measure.slug]),
        reverse("manage:value", args=[value.pk]),
        reverse("manage:value_edit", args=[value.pk]),
    ):
        pages[f"officer {url}"] = client.get(url).content
    client.force_login(approver)
    for url in (reverse("manage:index"), reverse("manage:review"), "/commitments/manage/"):
        pages[f"approver {url}"] = client.get(url).content
    client.force_login(admin)
    admin_root = "/" + settings.ADMIN_PATH
    for url in (
        admin_root,
        admin_root + "outcomes/measure/",
        admin_root + f"outcomes/measure/{value.measure.pk}/change/",
        admin_root + "places/place/",
        admin_root + "auth/user/",
    ):
        pages[f"admin {url}"] = client.get(url).content
    client.logout()
    return pages


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.suffix == ".html"]


def test_every_page_kind_has_no_html_errors(
    client, tmp_path, officer_barnsley, approver, admin_user
):
    command = _checker()
    pages = {f"public {url}": client.get(url).content for url in PUBLIC}
    pages |= _staff_pages(client, (officer_barnsley, approver, admin_user))
    files = {}
    for index, (name, content) in enumerate(pages.items()):
        path = tmp_path / f"page-{index:02d}.html"
        path.write_bytes(content)
        files[path.name] = name
    result = subprocess.run(
        [*command, "--format", "json", "--exit-zero-always", *map(str, sorted(files_in(tmp_path)))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = []
    for message in messages:
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        page = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
        if page.startswith("admin ") and message["message"] in DJANGO_ADMIN_WIDGETS:
            continue
        errors.append(f"{page}: line {message.get('lastLine')}: {message['message']}")
    assert len(files) == len(pages) > 25
    assert errors == [], "\n".join(errors)
