"""The review workflow's services: enter, submit, approve, return, delete; locking; the record."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outcomes.models import Measure, Period, Proposal, Value, ValueEvent
from outcomes.revisions import revision_log
from outcomes.services.review import (
    StaleEdit,
    WorkflowError,
    change_share,
    previous_published,
    proposal_approve,
    proposal_delete,
    proposal_return,
    proposal_save,
    proposal_submit,
)
from places.models import Place

pytestmark = pytest.mark.django_db


def figures(value, lower=None, upper=None, **extra):
    data = {
        "value": Decimal(value) if value is not None else None,
        "lower_ci": Decimal(lower) if lower is not None else None,
        "upper_ci": Decimal(upper) if upper is not None else None,
        "numerator": None,
        "denominator": None,
        "note": "",
        "source": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def employment():
    return Measure.objects.get(slug="employment-rate")


@pytest.fixture
def doncaster():
    return Place.objects.get(slug="doncaster")


@pytest.fixture
def year_2024():
    period, _ = Period.objects.get_or_create(
        start=date(2024, 1, 1), end=date(2024, 12, 31), defaults={"type": "calendar_year"}
    )
    return period


@pytest.fixture
def published_2023(employment, doncaster):
    return Value.objects.get(measure=employment, place=doncaster, period__start=date(2023, 1, 1))


def enter_new(user, employment, doncaster, year_2024, value="70.5", **kw):
    return proposal_save(
        user=user,
        measure=employment,
        place=doncaster,
        period=year_2024,
        expected_version=0,
        figures=figures(value, **kw),
    )


def test_a_new_value_is_a_draft_the_public_cannot_see(
    officer_doncaster, employment, doncaster, year_2024
):
    published_before = Value.objects.published().count()
    proposal = enter_new(officer_doncaster, employment, doncaster, year_2024)
    value = proposal.value
    assert proposal.state == Proposal.State.DRAFT
    assert proposal.value_figure == Decimal("70.5")
    assert value.state == Value.State.DRAFT and value.value is None and value.version == 1
    assert Value.objects.published().count() == published_before
    assert not Value.objects.published().filter(pk=value.pk).exists()
    event = value.events.get()
    assert (event.action, event.actor, event.version) == ("create", officer_doncaster, 1)
    assert event.old is None and event.new["value"] == "70.5" and not event.published


def test_submit_then_approve_publishes_and_records_every_step(
    officer_doncaster, approver, employment, doncaster, year_2024
):
    value = enter_new(officer_doncaster, employment, doncaster, year_2024).value
    proposal_submit(user=officer_doncaster, value=value, expected_version=1)
    assert Proposal.objects.get(value=value).state == Proposal.State.SUBMITTED
    assert not Value.objects.published().filter(pk=value.pk).exists()

    proposal_approve(user=approver, value=value, expected_version=2, comment="Matches ONS")
    value.refresh_from_db()
    assert value.state == Value.State.PUBLISHED and value.value == Decimal("70.5")
    assert value.entered_by == officer_doncaster and value.published_at is not None
    proposal = Proposal.objects.get(value=value)
    assert proposal.state == Proposal.State.APPROVED and proposal.decided_by == approver
    actions = list(value.events.values_list("action", "actor__username", "version", "published"))
    assert actions == [
        ("create", "officer.doncaster", 1, False),
        ("submit", "officer.doncaster", 2, False),
        ("approve", "approver", 3, True),
    ]
    approve = value.events.get(action="approve")
    assert approve.old is None and approve.new["value"] == "70.5"
    assert approve.comment == "Matches ONS"


def test_a_correction_leaves_the_public_figure_until_approved(
    officer_doncaster, approver, published_2023
):
    old_value = published_2023.value
    version = published_2023.version
    proposal_save(
        user=officer_doncaster,
        measure=published_2023.measure,
        place=published_2023.place,
        period=published_2023.period,
        expected_version=version,
        figures=figures("70.9", source="ONS APS, revised"),
        reason="ONS revised its estimate",
    )
    proposal_submit(user=officer_doncaster, value=published_2023, expected_version=version + 1)
    published_2023.refresh_from_db()
    public = Value.objects.published().get(pk=published_2023.pk)
    assert public.value == old_value and public.source != "ONS APS, revised"

    proposal_approve(user=approver, value=published_2023, expected_version=version + 2)
    public = Value.objects.published().get(pk=published_2023.pk)
    assert public.value == Decimal("70.9") and public.source == "ONS APS, revised"
    approve = published_2023.events.get(action="approve")
    assert Decimal(approve.old["value"]) == old_value and approve.new["value"] == "70.9"


def test_the_public_revision_log_shows_first_publication_and_each_revision(
    officer_doncaster, approver, published_2023
):
    measure = published_2023.measure
    assert revision_log(measure) == []
    first = published_2023.value
    for new, reason in [("70.9", "ONS revised its estimate"), ("71.0", "Source corrected")]:
        version = published_2023.version
        proposal_save(
            user=officer_doncaster,
            measure=measure,
            place=published_2023.place,
            period=published_2023.period,
            expected_version=version,
            figures=figures(new),
            reason=reason,
        )
        proposal_submit(user=officer_doncaster, value=published_2023, expected_version=version + 1)
        proposal_approve(
            user=approver, value=published_2023, expected_version=version + 2, comment="private"
        )
        published_2023.refresh_from_db()
    log = revision_log(measure)
    assert len(log) == 1
    entry = log[0]
    assert entry.place.slug == "doncaster" and entry.period_label == "2023"
    assert entry.first_figure == measure.format_value(first)
    assert [r.figure for r in entry.revisions] == ["70.9%", "71.0%"]
    assert [r.reason for r in entry.revisions] == ["ONS revised its estimate", "Source corrected"]
    assert entry.sentence.startswith(f"2023 first published {entry.first_published_at:%-d %b %Y}")
    assert "; revised" in entry.sentence and "to 71.0% (Source corrected)." in entry.sentence
    assert "private" not in entry.sentence
    assert revision_log(measure, place=Place.objects.get(slug="sheffield")) == []


def test_the_revision_log_never_shows_unapproved_figures(officer_doncaster, published_2023):
    proposal_save(
        user=officer_doncaster,
        measure=published_2023.measure,
        place=published_2023.place,
        period=published_2023.period,
        expected_version=published_2023.version,
        figures=figures("12.3"),
        reason="draft only",
    )
    proposal_submit(
        user=officer_doncaster, value=published_2023, expected_version=published_2023.version + 1
    )
    assert revision_log(published_2023.measure) == []


def test_the_person_who_entered_figures_cannot_approve_or_return_them(
    admin_user, approver, employment, doncaster, year_2024
):
    value = enter_new(admin_user, employment, doncaster, year_2024).value
    proposal_submit(user=admin_user, value=value, expected_version=1)
    with pytest.raises(PermissionDenied, match="someone else must review"):
        proposal_approve(user=admin_user, value=value, expected_version=2)
    with pytest.raises(PermissionDenied):
        proposal_return(user=admin_user, value=value, expected_version=2, comment="no")
    proposal_approve(user=approver, value=value, expected_version=2)
    assert Value.objects.published().filter(pk=value.pk).exists()


def test_officers_cannot_approve_and_cannot_touch_other_places(
    officer_doncaster, officer_sheffield, employment, doncaster, year_2024
):
    with pytest.raises(PermissionDenied):
        enter_new(officer_sheffield, employment, doncaster, year_2024)
    value = enter_new(officer_doncaster, employment, doncaster, year_2024).value
    for action in (proposal_submit, proposal_delete):
        with pytest.raises(PermissionDenied):
            action(user=officer_sheffield, value=value, expected_version=1)
    proposal_submit(user=officer_doncaster, value=value, expected_version=1)
    with pytest.raises(PermissionDenied, match="do not approve"):
        proposal_approve(user=officer_sheffield, value=value, expected_version=2)


def test_an_approver_of_one_place_approves_only_there(
    officer_doncaster, employment, doncaster, year_2024, django_user_model
):
    from places.models import Membership

    rotherham_approver = django_user_model.objects.create_user("approver.rotherham")
    Membership.objects.create(
        user=rotherham_approver, place=Place.objects.get(slug="rotherham"), role="approver"
    )
    value = enter_new(officer_doncaster, employment, doncaster, year_2024).value
    proposal_submit(user=officer_doncaster, value=value, expected_version=1)
    with pytest.raises(PermissionDenied):
        proposal_approve(user=rotherham_approver, value=value, expected_version=2)


def test_return_needs_a_comment_and_the_officer_can_edit_and_resubmit(
    officer_doncaster, approver, employment, doncaster, year_2024
):
    value = enter_new(officer_doncaster, employment, doncaster, year_2024).value
    proposal_submit(user=officer_doncaster, value=value, expected_version=1)
    with pytest.raises(ValidationError):
        proposal_return(user=approver, value=value, expected_version=2, comment="  ")
    proposal_return(user=approver, value=value, expected_version=2, comment="The CI is from 2023")
    proposal = Proposal.objects.get(value=value)
    assert proposal.state == Proposal.State.RETURNED
    assert proposal.review_comment == "The CI is from 2023"
    with pytest.raises(WorkflowError):
        proposal_approve(user=approver, value=value, expected_version=3)
    proposal_save(
        user=officer_doncaster,
        measure=employment,
        place=doncaster,
        period=year_2024,
        expected_version=3,
        figures=figures("70.5", "69.0", "72.0"),
    )
    assert Proposal.objects.get(value=value).state == Proposal.State.DRAFT
    proposal_submit(user=officer_doncaster, value=value, expected_version=4)
    proposal_approve(user=approver, value=value, expected_version=5)
    value.refresh_from_db()
    assert (value.lower_ci, value.upper_ci) == (Decimal("69"), Decimal("72"))
    assert [e.action for e in value.events.all()] == [
        "create",
        "submit",
        "return",
        "edit",
        "submit",
        "approve",
    ]
    returned = value.events.get(action="return")
    assert returned.comment == "The CI is from 2023" and returned.actor == approver


def test_a_stale_save_is_refused_and_shows_the_other_change(
    officer_doncaster, admin_user, published_2023
):
    loaded = published_2023.version  # both people open the form at this version
    common = dict(
        measure=published_2023.measure,
        place=published_2023.place,
        period=published_2023.period,
        expected_version=loaded,
        reason="correction",
    )
    proposal_save(user=admin_user, figures=figures("70.1"), **common)
    with pytest.raises(StaleEdit) as refused:
        proposal_save(user=officer_doncaster, figures=figures("69.9"), **common)
    other = refused.value.events
    assert len(other) == 1
    assert other[0].actor == admin_user and other[0].new["value"] == "70.1"
    assert refused.value.value.version == loaded + 1
    proposal = Proposal.objects.get(value=published_2023)
    assert proposal.value_figure == Decimal("70.1") and proposal.entered_by == admin_user


def test_two_people_creating_the_same_new_value_do_not_overwrite(
    officer_doncaster, admin_user, employment, doncaster, year_2024
):
    enter_new(admin_user, employment, doncaster, year_2024, value="70.0")
    with pytest.raises(StaleEdit) as refused:
        enter_new(officer_doncaster, employment, doncaster, year_2024, value="71.0")
    assert refused.value.events[0].actor == admin_user
    assert Proposal.objects.get(value__period=year_2024, value__place=doncaster).value_figure == 70


def test_approving_a_stale_view_is_refused(officer_doncaster, approver, published_2023):
    v = published_2023.version
    common = dict(
        measure=published_2023.measure,
        place=published_2023.place,
        period=published_2023.period,
        reason="r",
    )
    proposal_save(user=officer_doncaster, figures=figures("70.1"), expected_version=v, **common)
    proposal_submit(user=officer_doncaster, value=published_2023, expected_version=v + 1)
    # the approver opens the queue at v + 2; the officer then changes the figures and resubmits
    proposal_save(user=officer_doncaster, figures=figures("75.0"), expected_version=v + 2, **common)
    proposal_submit(user=officer_doncaster, value=published_2023, expected_version=v + 3)
    with pytest.raises(StaleEdit) as refused:
        proposal_approve(user=approver, value=published_2023, expected_version=v + 2)
    assert [e.action for e in refused.value.events] == ["edit", "submit"]
    assert Value.objects.get(pk=published_2023.pk).value != Decimal("70.1")


def test_delete_removes_the_draft_and_keeps_the_published_figures(
    officer_doncaster, published_2023
):
    v = published_2023.version
    before = published_2023.value
    proposal_save(
        user=officer_doncaster,
        measure=published_2023.measure,
        place=published_2023.place,
        period=published_2023.period,
        expected_version=v,
        figures=figures("1.0"),
        reason="typo",
    )
    proposal_delete(user=officer_doncaster, value=published_2023, expected_version=v + 1)
    assert not Proposal.objects.open().filter(value=published_2023).exists()
    assert Value.objects.get(pk=published_2023.pk).value == before
    deleted = published_2023.events.get(action="delete")
    assert deleted.old["value"] == "1" and deleted.new is None
    with pytest.raises(WorkflowError):
        proposal_submit(user=officer_doncaster, value=published_2023, expected_version=v + 2)


def test_the_value_rules_hold_for_proposals(officer_doncaster, employment, doncaster, year_2024):
    with pytest.raises(ValidationError) as error:
        enter_new(officer_doncaster, employment, doncaster, year_2024, value="104")
    assert "between 0 and 100" in str(error.value.message_dict["value"])
    with pytest.raises(ValidationError) as error:
        enter_new(
            officer_doncaster, employment, doncaster, year_2024, value="70", lower="71", upper="75"
        )
    assert "must contain the value 70" in str(error.value.message_dict["lower_ci"])
    assert not Value.objects.filter(measure=employment, period=year_2024, place=doncaster).exists()


def test_repeating_the_published_figures_is_refused(officer_doncaster, published_2023):
    with pytest.raises(ValidationError, match="published figures already"):
        proposal_save(
            user=officer_doncaster,
            measure=published_2023.measure,
            place=published_2023.place,
            period=published_2023.period,
            expected_version=published_2023.version,
            figures={
                name: getattr(published_2023, name)
                for name in ("value", "lower_ci", "upper_ci", "numerator", "denominator")
            }
            | {"note": published_2023.note, "source": published_2023.source},
        )


def test_saving_the_same_draft_again_writes_nothing(
    officer_doncaster, employment, doncaster, year_2024
):
    value = enter_new(officer_doncaster, employment, doncaster, year_2024).value
    again = proposal_save(
        user=officer_doncaster,
        measure=employment,
        place=doncaster,
        period=year_2024,
        expected_version=1,
        figures=figures("70.5"),
    )
    assert again is None
    assert value.events.count() == 1 and Value.objects.get(pk=value.pk).version == 1


def test_the_audit_record_is_append_only(published_2023):
    event = published_2023.events.first()
    event.comment = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_previous_published_and_change_share(employment, doncaster, year_2024, published_2023):
    previous = previous_published(measure=employment, place=doncaster, period=year_2024)
    assert previous == published_2023
    assert change_share(Decimal("50"), Decimal("62")) == Decimal("0.24")
    assert change_share(Decimal("0"), Decimal("1")) is None
    assert change_share(None, Decimal("1")) is None


def test_every_published_demo_value_has_its_first_publication_on_record():
    published = Value.objects.published()
    recorded = ValueEvent.objects.public().filter(old__isnull=True).values("value_id").distinct()
    assert recorded.count() == published.count() == 1383 + 186


def test_the_admin_shows_values_proposals_and_events_but_cannot_change_them(
    client, admin_user, officer_doncaster, employment, doncaster, year_2024
):
    from django.urls import reverse

    value = enter_new(officer_doncaster, employment, doncaster, year_2024).value
    client.force_login(admin_user)
    for name in ["outcomes_proposal", "outcomes_valueevent"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403
    page = client.get(reverse("admin:outcomes_value_change", args=[value.pk]))
    assert not {"value", "lower_ci", "upper_ci", "note", "source", "state"} & set(
        page.context["adminform"].form.fields
    )
    assert client.get(reverse("admin:outcomes_value_add")).status_code == 403
    assert client.get(reverse("admin:outcomes_value_delete", args=[value.pk])).status_code == 403
    event = value.events.get()
    response = client.post(
        reverse("admin:outcomes_valueevent_change", args=[event.pk]), {"comment": "edited"}
    )
    assert response.status_code == 403
    assert ValueEvent.objects.get(pk=event.pk).comment == ""


def test_the_import_command_records_its_changes_and_they_join_the_revision_log(tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "update.csv"
    path.write_text(
        "area_code,indicator,period,value\n"
        "E08000017,Employment rate,2023,74.9\n"  # changes a published value
        "E08000017,Employment rate,2024,75.0\n"  # a new one
    )
    before = ValueEvent.objects.count()
    call_command("import_values", str(path), stdout=io.StringIO())
    events = ValueEvent.objects.order_by("pk")[before:]
    assert [(e.action, e.published, e.comment) for e in events] == [
        ("import", True, "Imported from update.csv"),
        ("import", True, "Imported from update.csv"),
    ]
    new, changed = sorted(events, key=lambda e: e.old is not None)
    assert new.old is None and new.new["value"] == "75"
    assert changed.old["value"] == "74.5" and changed.new["value"] == "74.9"
    log = revision_log(Measure.objects.get(slug="employment-rate"))
    assert [entry.period_label for entry in log] == ["2023"]
    assert log[0].sentence.endswith("to 74.9% (Imported from update.csv).")


def test_a_draft_import_makes_proposals_and_leaves_the_public_figures(tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "drafts.csv"
    path.write_text("area_code,indicator,period,value\nE08000017,Employment rate,2023,70.0\n")
    call_command("import_values", str(path), "--state", "draft", stdout=io.StringIO())
    value = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start=date(2023, 1, 1)
    )
    assert value.value == Decimal("74.5") and value.state == "published"
    proposal = Proposal.objects.get(value=value)
    assert proposal.state == "draft" and proposal.value_figure == Decimal("70")
    assert proposal.entered_by is None
