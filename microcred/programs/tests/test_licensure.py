"""Licensure credit: an award records its credit hours and standards once (not twice when the
handler runs again, nor when two workers run it at once); a revoked badge leaves its entry
on the page, struck through and not counted, and reinstating it counts it again; a state or
district sets renewal rules on a page that refuses bad input with its reason and keeps what
was typed; the educator sees her progress in each rule's current cycle, from the rule's
cycles or from the date she gives, in a constant number of queries."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import close_old_connections, transaction
from django.urls import reverse
from django.utils import timezone
from lxml import html

from microcred.assessment.models import Award
from microcred.badges import services as badge_services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.models import CredentialVersion
from microcred.catalog.tests.factories import published_credential
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent, Role
from microcred.core.tests.factories import member
from microcred.programs import licensure
from microcred.programs.models import CreditCycleStart, CreditEntry, RenewalRule

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def state_admin(world):
    return member(world.state, Role.ADMIN, email="sasha@lakeland.example", full_name="Sasha Stone")


@pytest.fixture
def earn(world, educator_ana, django_capture_on_commit_callbacks):
    """Award a new Riverbend credential (its hours as given) to an educator; its badge is
    signed as the worker would."""
    people = world.north.people

    def earn(title: str, hours: str | None = "1.5", educator=None) -> Award:
        credential = published_credential(
            people[Role.DESIGNER], people[Role.REVIEWER], world.north.organization, title=title
        )
        CredentialVersion.objects.filter(credential=credential).update(
            credit_hours=Decimal(hours) if hours is not None else None
        )
        with django_capture_on_commit_callbacks(execute=True):
            return awarded(
                educator=educator or educator_ana,
                credential=credential,
                assessor=people[Role.ASSESSOR],
                issuer=people[Role.ISSUER],
            )

    return earn


def _rule(actor, organization, **changes) -> RenewalRule:
    data: dict[str, Any] = {
        "name": "Lakeland license renewal",
        "required": Decimal(90),
        "unit": "hours",
        "cycle_years": 5,
        "cycles_start_on": datetime.date(2025, 7, 1),
    } | changes
    return licensure.renewal_rule_save(
        actor=actor, organization=organization, data=licensure.RuleInput(**data)
    )


def _page(client, url=None):
    response = client.get(url or reverse("licensure:credit"))
    assert response.status_code == 200
    return html.fromstring(response.content)


def _text(node) -> str:
    return " ".join(node.text_content().split())


# ----------------------------------------------------------------------------- entries


def test_an_award_records_its_credit_hours_and_standards_once(earn, educator_ana, world):
    award = earn("Exit tickets", "2.5")
    entry = CreditEntry.objects.get()
    assert (entry.award, entry.educator, entry.organization) == (
        award,
        educator_ana,
        world.north.school,
    )
    assert entry.hours == Decimal("2.50")
    assert entry.standards == [{"framework": "InTASC", "code": "6", "name": "Assessment"}]
    assert entry.earned_at == award.awarded_at
    assert entry.revoked_at is None
    event = AuditEvent.objects.get(verb=Event.CREDIT_RECORDED)
    assert (event.subject_id, event.data["hours"]) == (str(entry.pk), "2.50")
    # The handler run again (a retried task, a backfill) records nothing more.
    licensure.award_made(award_id=award.pk)
    assert licensure.credit_record_missing() == 0
    assert CreditEntry.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Event.CREDIT_RECORDED).count() == 1


def test_a_version_without_credit_hours_records_zero(earn):
    earn("Wait time", hours=None)
    assert CreditEntry.objects.get().hours == 0


def test_awards_made_before_credit_was_recorded_are_backfilled(earn):
    award = earn("Exit tickets")
    CreditEntry.objects.all().delete()
    assert licensure.credit_record_missing() == 1
    assert CreditEntry.objects.get().award == award


def _race(work, n: int = 2) -> list[BaseException]:
    """Run `work` in `n` threads at once, each with its own connection and transaction."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                work()
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_recording_the_same_award_at_once_record_it_once(earn):
    award = earn("Exit tickets")
    CreditEntry.objects.all().delete()  # as before the handler ran

    def record() -> None:
        licensure.credit_record(award=Award(pk=award.pk))
        # Hold the transaction open so the other worker's insert overlaps this one's.
        threading.Event().wait(0.3)

    assert _race(record) == []
    assert CreditEntry.objects.filter(award=award).count() == 1


def test_a_revoked_badge_keeps_its_entry_struck_through_and_not_counted(
    earn, client, educator_ana, issuer_carla, state_admin, world
):
    _rule(state_admin, world.state)
    earn("Exit tickets", "2")
    revoked = earn("Data teams", "3")
    badge = IssuedCredential.objects.get(award=revoked)
    badge_services.credential_revoke(actor=issuer_carla, credential=badge, reason="Copied work.")
    entry = CreditEntry.objects.get(award=revoked)
    assert entry.revoked_at == IssuedCredential.objects.get(pk=badge.pk).revoked_at
    assert not entry.counts

    client.force_login(educator_ana)
    page = _page(client)
    rows = page.xpath("//table//tbody/tr")
    struck = [r for r in rows if r.xpath(".//s")]
    assert len(rows) == 2 and len(struck) == 1
    assert "Data teams" in _text(struck[0]) and "Revoked" in _text(struck[0])
    assert "not counted" in _text(struck[0])
    progress = page.xpath("//progress")[0]
    assert (progress.get("value"), progress.get("max")) == ("2", "90")
    assert "2 of 90 hours" in _text(page)

    badge_services.credential_unrevoke(actor=issuer_carla, credential=badge)
    entry.refresh_from_db()
    assert entry.counts
    assert "5 of 90 hours" in _text(_page(client))


def test_a_stack_badge_revoked_changes_no_entry(earn, educator_ana, world):
    from microcred.badges.tests.test_clr import _stack_badge

    award = earn("Exit tickets")
    badge = IssuedCredential.objects.get(award=award)
    stack = _stack_badge(world, educator_ana, [badge])
    badge_services.credential_revoke(actor=None, credential=stack, reason="Issued in error.")
    assert CreditEntry.objects.get().counts


# ----------------------------------------------------------------------------- cycles


def test_cycles_follow_one_another_from_the_anchor():
    anchor = datetime.date(2025, 7, 1)
    assert licensure.cycle_holding(anchor, 5, TODAY) == (anchor, datetime.date(2030, 7, 1))
    assert licensure.cycle_holding(anchor, 5, datetime.date(2030, 7, 1)) == (
        datetime.date(2030, 7, 1),
        datetime.date(2035, 7, 1),
    )
    # Before the anchor: the cycle before it.
    assert licensure.cycle_holding(anchor, 5, datetime.date(2025, 6, 30)) == (
        datetime.date(2020, 7, 1),
        anchor,
    )
    # A license dated 29 February renews on the 28th in other years.
    assert licensure.cycle_holding(datetime.date(2024, 2, 29), 1, TODAY) == (
        datetime.date(2026, 2, 28),
        datetime.date(2027, 2, 28),
    )


def test_progress_counts_the_current_cycle_only_in_the_rules_unit(
    earn, educator_ana, state_admin, admin_adam, world
):
    _rule(state_admin, world.state)
    _rule(
        admin_adam,
        world.north.organization,
        name="Riverbend CEUs",
        required=Decimal(3),
        unit="ceus",
        cycle_years=1,
        cycles_start_on=datetime.date(2020, 1, 1),
    )
    # Another district's rule does not apply to a Riverbend educator.
    _rule(world.south.people[Role.ADMIN], world.south.organization, name="Lakeshore renewal")
    old = earn("Exit tickets", "4")
    earn("Data teams", "1.5")
    earn("Wait time", "10")
    CreditEntry.objects.filter(award=old).update(
        earned_at=datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC)
    )
    entries = licensure.entries_of(educator_ana)
    today = timezone.localdate()
    cycles = {c.rule.name: c for c in licensure.cycles_for(educator_ana, entries, today)}
    assert set(cycles) == {"Lakeland license renewal", "Riverbend CEUs"}
    hours = cycles["Lakeland license renewal"]
    assert hours.starts_on <= today < hours.next_starts_on
    assert hours.hours == Decimal("11.5")  # the 2024 entry is in an earlier cycle
    assert (hours.earned_text, hours.remaining_text, hours.percent) == ("11.5", "78.5", 12)
    ceus = cycles["Riverbend CEUs"]
    assert (ceus.starts_on, ceus.earned_text, ceus.unit_label) == (
        datetime.date(today.year, 1, 1),
        "1.15",
        "CEUs",
    )
    assert not ceus.complete


def test_the_educator_gives_the_day_her_own_cycle_began(
    client, earn, educator_ana, state_admin, world
):
    rule = _rule(state_admin, world.state)
    earn("Exit tickets", "2")
    client.force_login(educator_ana)
    start = timezone.localdate() - datetime.timedelta(days=30)
    field = f"rule-{rule.pk}-starts_on"
    response = client.post(reverse("licensure:cycle", args=[rule.pk]), {field: start.isoformat()})
    assert response.status_code == 302
    assert CreditCycleStart.objects.get(educator=educator_ana, rule=rule).starts_on == start
    page = _page(client)
    assert f"Current cycle: {start:%B} {start.day}, {start.year}" in _text(page)
    assert "(from the date you gave)" in _text(page)
    assert page.xpath(f"//input[@name='{field}']/@value") == [start.isoformat()]
    # Cleared: the rule's cycles again.
    assert client.post(reverse("licensure:cycle", args=[rule.pk]), {field: ""}).status_code == 302
    assert not CreditCycleStart.objects.exists()
    assert AuditEvent.objects.filter(verb=Event.CREDIT_CYCLE_SET).count() == 2


def test_a_cycle_start_in_the_future_is_refused_and_kept(client, educator_ana, state_admin, world):
    rule = _rule(state_admin, world.state)
    client.force_login(educator_ana)
    later = timezone.localdate() + datetime.timedelta(days=3)
    field = f"rule-{rule.pk}-starts_on"
    response = client.post(reverse("licensure:cycle", args=[rule.pk]), {field: later.isoformat()})
    assert response.status_code == 400
    page = html.fromstring(response.content)
    assert "is in the future" in _text(page.xpath("//*[contains(@class,'field__error')]")[0])
    assert page.xpath(f"//input[@name='{field}']/@value") == [later.isoformat()]
    response = client.post(reverse("licensure:cycle", args=[rule.pk]), {field: "next July"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
    assert not CreditCycleStart.objects.exists()
    assert not AuditEvent.objects.filter(verb=Event.CREDIT_CYCLE_SET).exists()


def test_a_rule_that_does_not_apply_to_her_is_a_404(client, educator_ana, world):
    theirs = _rule(world.south.people[Role.ADMIN], world.south.organization)
    client.force_login(educator_ana)
    field = f"rule-{theirs.pk}-starts_on"
    response = client.post(reverse("licensure:cycle", args=[theirs.pk]), {field: "2024-01-01"})
    assert response.status_code == 404
    assert not CreditCycleStart.objects.exists()
    with pytest.raises(Invalid):
        licensure.credit_cycle_set(
            actor=educator_ana, rule=theirs, starts_on=datetime.date(2024, 1, 1)
        )


def test_the_credit_page_without_rules_or_credit_says_what_will_appear(client, educator_ana):
    client.force_login(educator_ana)
    text = _text(_page(client))
    assert "No renewal rule yet" in text and "No credit yet" in text


def test_the_credit_page_reads_a_constant_number_of_queries(
    client, earn, educator_ana, state_admin, admin_adam, world, django_assert_max_num_queries
):
    _rule(state_admin, world.state)
    _rule(
        admin_adam,
        world.north.organization,
        name="Riverbend CEUs",
        unit="ceus",
        required=Decimal(9),
    )
    for n in range(3):
        earn(f"Credential {n}")
    client.force_login(educator_ana)
    client.get(reverse("licensure:credit"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("licensure:credit"))
    for n in range(3, 12):
        earn(f"Credential {n}")
    _rule(state_admin, world.state, name="Endorsement renewal", required=Decimal(30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("licensure:credit"))
    assert response.status_code == 200
    assert len(html.fromstring(response.content).xpath("//table//tbody/tr")) == 12


# ----------------------------------------------------------------------------- rules


def _rule_form(**changes) -> dict[str, str]:
    return {
        "name": "Standard license renewal",
        "required": "90",
        "unit": "hours",
        "cycle_years": "5",
        "cycles_start_on": "2025-07-01",
        "description": "",
        "active": "on",
    } | changes


def test_a_program_admin_sets_a_rule_on_the_page(client, state_admin, world, educator_ana):
    client.force_login(state_admin)
    page = _page(client, reverse("licensure:rule-new"))
    assert page.xpath("//select[@name='organization']/option/text()") == [world.state.name]
    response = client.post(reverse("licensure:rule-new"), _rule_form(organization=world.state.pk))
    assert response.status_code == 302
    rule = RenewalRule.objects.get()
    assert (rule.organization, rule.required, rule.cycle_years, rule.active) == (
        world.state,
        Decimal("90.00"),
        5,
        True,
    )
    event = AuditEvent.objects.get(verb=Event.RENEWAL_RULE_SAVED)
    assert (event.actor, event.organization) == (state_admin, world.state)
    assert "Standard license renewal" in _text(_page(client, reverse("licensure:rules")))
    # Changed on its page (the organization stays).
    response = client.post(rule.get_absolute_url(), _rule_form(required="7.5", unit="ceus"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.required, rule.unit, rule.required_hours) == (Decimal("7.50"), "ceus", 75)
    # A Riverbend educator (under the state) sees it.
    client.force_login(educator_ana)
    assert "Standard license renewal" in _text(_page(client))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"required": "0"}, "required", "more than 0"),
        ({"required": "5000"}, "required", "give at most 1000"),
        ({"required": "150", "unit": "ceus"}, "required", "give at most 100"),
        ({"required": "ninety"}, "required", "e.g. 90 or 7.5"),
        ({"cycle_years": "12"}, "cycle_years", "at most 10 years"),
        ({"cycles_start_on": "1 July"}, "cycles_start_on", "YYYY-MM-DD"),
        ({"cycles_start_on": "1900-07-01"}, "cycles_start_on", "between 1950"),
        ({"name": "   "}, "name", "Name the rule"),
        ({"unit": "days"}, "unit", "Choose credit hours or CEUs"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_kept(
    client, admin_adam, north, changes, field, message
):
    client.force_login(admin_adam)
    data = _rule_form(organization=north.pk, **changes)
    response = client.post(reverse("licensure:rule-new"), data)
    assert response.status_code == 400
    page = html.fromstring(response.content)
    error = page.xpath(f"//*[@id='id_{field}-group']//*[contains(@class,'field__error')]")
    assert error and message in _text(error[0]), _text(page)
    assert page.xpath("//input[@name='name']/@value") == [data["name"]]
    assert not RenewalRule.objects.exists()
    assert not AuditEvent.objects.filter(verb=Event.RENEWAL_RULE_SAVED).exists()


def test_a_second_rule_of_the_same_name_is_refused(client, admin_adam, north):
    _rule(admin_adam, north, name="Standard license renewal")
    client.force_login(admin_adam)
    response = client.post(reverse("licensure:rule-new"), _rule_form(organization=north.pk))
    assert response.status_code == 400
    assert "already has a rule called" in response.content.decode()
    assert RenewalRule.objects.count() == 1


def test_a_school_or_another_districts_organization_is_not_offered(client, admin_adam, world):
    client.force_login(admin_adam)
    for organization in (world.south.organization, world.north.school):
        response = client.post(
            reverse("licensure:rule-new"), _rule_form(organization=organization.pk)
        )
        assert response.status_code == 400
        assert "Choose one of the organizations listed." in response.content.decode()
    with pytest.raises(Invalid, match="belong to a state or a district"):
        _rule(admin_adam, world.north.school)
    assert not RenewalRule.objects.exists()


def test_another_organizations_rule_is_a_404(client, admin_adam, world):
    theirs = _rule(world.south.people[Role.ADMIN], world.south.organization)
    client.force_login(admin_adam)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    response = client.post(theirs.get_absolute_url(), _rule_form(required="1"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.required == 90
    assert "Lakeland license renewal" not in client.get(reverse("licensure:rules")).content.decode()


def test_only_program_admins_set_rules(client, educator_ana, principal_dee):
    for person in (educator_ana, principal_dee):
        client.force_login(person)
        assert client.get(reverse("licensure:rules")).status_code == 403
        assert client.post(reverse("licensure:rule-new"), _rule_form()).status_code == 403
    assert not RenewalRule.objects.exists()


def test_the_stacks_page_links_to_the_credit_page(client, educator_ana, admin_adam):
    client.force_login(educator_ana)
    page = _page(client, reverse("programs:stacks"))
    assert page.xpath("//a[@href=$u]", u=reverse("licensure:credit"))
    assert not page.xpath("//a[@href=$u]", u=reverse("licensure:rules"))
    client.force_login(admin_adam)
    page = _page(client, reverse("programs:stacks"))
    assert page.xpath("//a[@href=$u]", u=reverse("licensure:rules"))
