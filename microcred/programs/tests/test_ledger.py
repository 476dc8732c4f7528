"""The fees and stipends ledger: entries written by the lifecycle (a hand-in's fee, an award's
stipend, a completed stack's stipend and the yearly stipend of its status), reversed by a
revocation and paid again on reinstatement, never written twice for one cause (not even by
two workers at once), approved within each school's yearly budget, and exported as a
payroll CSV summed in the database."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, transaction
from django.urls import reverse
from django.utils import timezone
from lxml import html

from microcred.assessment import services as assessment
from microcred.assessment.models import Award
from microcred.assessment.tests.factories import pool, submit_review
from microcred.badges import services as badge_services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import Role
from microcred.earning import services as earning
from microcred.earning.models import Attempt
from microcred.earning.tests.factories import submitted_attempt
from microcred.programs import ledger, services
from microcred.programs.models import LedgerEntry, ProgramTerms, StackCompletion

pytestmark = pytest.mark.django_db
Kind = LedgerEntry.Kind


@pytest.fixture
def terms(admin_adam, north):
    return ledger.terms_save(
        actor=admin_adam,
        organization=north,
        currency="USD",
        assessment_fee=Decimal("40"),
        fee_payer="district",
        credential_stipend=Decimal("200"),
    )


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


@pytest.fixture
def earn(educator_ana, assessor_ben, issuer_carla, django_capture_on_commit_callbacks):
    def earn(credential, educator=None):
        with django_capture_on_commit_callbacks(execute=True):
            return awarded(
                educator=educator or educator_ana,
                credential=credential,
                assessor=assessor_ben,
                issuer=issuer_carla,
            )

    return earn


def _entries(**filters):
    return list(
        LedgerEntry.objects.filter(**filters)
        .order_by("pk")
        .values_list("kind", "amount", "district_cost")
    )


def test_an_award_pays_the_stipend_once_and_the_hand_in_owes_the_fee(terms, credential, earn):
    award = earn(credential)
    assert _entries() == [
        (Kind.FEE, Decimal("0.00"), Decimal("40.00")),  # paid by the district
        (Kind.CREDENTIAL_STIPEND, Decimal("200.00"), Decimal("200.00")),
    ]
    fee, stipend = LedgerEntry.objects.order_by("pk")
    assert fee.attempt == award.attempt and stipend.award == award
    assert stipend.school.name == "Maple Elementary" and stipend.currency == "USD"
    # The worker retried, or the handler ran twice: nothing more.
    ledger.award_made(award_id=award.pk)
    ledger.handed_in(submission_id=award.attempt.submissions.get().pk)
    assert LedgerEntry.objects.count() == 2


def test_a_resubmission_is_not_charged_again(
    terms, credential, educator_ana, assessor_ben, issuer_carla
):
    pool(credential.organization, credential, [assessor_ben])
    first = submitted_attempt(educator_ana, credential)
    submit_review(first.reviews.get(), failing={"Section 1"})
    assessment.submission_decide(
        actor=issuer_carla, submission=first, outcome="not_yet", reason="Section 1."
    )
    attempt = Attempt.objects.get(pk=first.attempt_id)
    second = earning.attempt_submit(actor=educator_ana, attempt=attempt, note="Again.")
    assert second.pk != first.pk
    assert _entries(kind=Kind.FEE) == [(Kind.FEE, Decimal("0.00"), Decimal("40.00"))]


def test_the_educator_pays_the_fee_or_a_waiver_makes_it_zero_with_its_reason(
    admin_adam, north, terms, credential, earn, educator_ana, designer_dan, reviewer_rita
):
    ledger.terms_save(
        actor=admin_adam,
        organization=north,
        currency="USD",
        assessment_fee=Decimal("40"),
        fee_payer="educator",
        credential_stipend=Decimal("200"),
    )
    earn(credential)
    assert _entries(kind=Kind.FEE) == [(Kind.FEE, Decimal("-40.00"), Decimal("0.00"))]
    ledger.waiver_grant(actor=admin_adam, terms=terms, educator=educator_ana, reason="Grant-funded")
    earn(published_credential(designer_dan, reviewer_rita, north, title="Wait time"))
    waived = LedgerEntry.objects.filter(kind=Kind.FEE).order_by("pk").last()
    assert (waived.amount, waived.district_cost) == (Decimal("0.00"), Decimal("0.00"))
    assert waived.description.endswith("waived: Grant-funded")


def test_revoking_the_badge_reverses_the_stipend_and_reinstating_pays_it_again(
    terms, credential, earn, issuer_carla
):
    award = earn(credential)
    badge = IssuedCredential.objects.get(award=award)
    badge_services.credential_revoke(actor=issuer_carla, credential=badge, reason="Plagiarised.")
    reversal = LedgerEntry.objects.get(kind=Kind.REVERSAL)
    assert (reversal.amount, reversal.district_cost) == (Decimal("-200.00"), Decimal("-200.00"))
    assert reversal.reverses.kind == Kind.CREDENTIAL_STIPEND and reversal.award == award
    assert "revoked" in reversal.description
    # The fee is not reversed: the assessment happened.
    assert not LedgerEntry.objects.filter(reverses__kind=Kind.FEE).exists()
    badge.refresh_from_db()
    badge_services.credential_unrevoke(actor=issuer_carla, credential=badge)
    badge_services.credential_revoke(actor=issuer_carla, credential=badge, reason="Again.")
    amounts = [a for _, a, _ in _entries(award=award)]
    assert amounts == [Decimal("200.00"), Decimal("-200.00"), Decimal("200.00"), Decimal("-200.00")]
    assert sum(amounts) == 0


def test_a_completed_stack_pays_its_stipend_and_each_year_of_its_status(
    admin_adam,
    north,
    terms,
    credential,
    earn,
    designer_dan,
    reviewer_rita,
    educator_ana,
    issuer_carla,
):
    other = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    stack = services.stack_create(
        actor=admin_adam,
        organization=north,
        title="Teacher leader",
        summary="",
        rule="all",
        choose=None,
        credentials=[credential, other],
        grants="status",
        grant_title="Teacher leader",
        grant_months=36,
    )
    ledger.stack_stipends_set(
        actor=admin_adam, stack=stack, on_completion=Decimal("500"), per_year=Decimal("3000")
    )
    services.stack_publish(actor=admin_adam, stack=stack)
    earn(credential)
    earn(other)
    completion = StackCompletion.objects.get()
    assert _entries(completion=completion) == [
        (Kind.STACK_STIPEND, Decimal("500.00"), Decimal("500.00")),
        (Kind.STATUS_STIPEND, Decimal("3000.00"), Decimal("3000.00")),
    ]
    later = completion.completed_at + datetime.timedelta(days=366)
    assert ledger.status_stipends_due(now=later) == 1
    assert ledger.status_stipends_due(now=later) == 0  # hourly, idempotent
    assert sorted(
        LedgerEntry.objects.filter(kind=Kind.STATUS_STIPEND).values_list("status_year", flat=True)
    ) == [1, 2]
    # Revoking the stack's badge reverses the stipend and both years; the status ends, so
    # no third year is paid.
    badge_services.credential_revoke(
        actor=issuer_carla, credential=completion.credential, reason="Withdrawn from the program."
    )
    assert sum(a for _, a, _ in _entries(completion=completion)) == 0
    assert LedgerEntry.objects.filter(kind=Kind.REVERSAL, completion=completion).count() == 3
    assert ledger.status_stipends_due(now=later + datetime.timedelta(days=366)) == 0


def test_a_yearly_stipend_needs_a_status(
    admin_adam, north, credential, designer_dan, reviewer_rita
):
    stack = services.stack_create(
        actor=admin_adam,
        organization=north,
        title="Pair",
        summary="",
        rule="all",
        choose=None,
        credentials=[credential, published_credential(designer_dan, reviewer_rita, north)],
    )
    with pytest.raises(Invalid, match="this stack grants none"):
        ledger.stack_stipends_set(
            actor=admin_adam, stack=stack, on_completion=None, per_year=Decimal("10")
        )
    with pytest.raises(Invalid, match="cannot be negative"):
        ledger.stack_stipends_set(
            actor=admin_adam, stack=stack, on_completion=Decimal("-1"), per_year=None
        )


def test_approving_past_a_schools_budget_is_refused_with_the_figures(
    admin_adam, north, world, terms, credential, earn, designer_dan, reviewer_rita
):
    ledger.budget_set(
        actor=admin_adam,
        terms=terms,
        school=world.north.school,
        year=timezone.now().year,
        amount=Decimal("220"),
    )
    earn(credential)
    fee, stipend = LedgerEntry.objects.order_by("pk")
    assert ledger.entries_approve(actor=admin_adam, terms=terms, entry_ids=[stipend.pk]) == 1
    with pytest.raises(Invalid) as refused:
        ledger.entries_approve(actor=admin_adam, terms=terms, entry_ids=[fee.pk])
    assert refused.value.message == (
        f"Approving these would take Maple Elementary past its {timezone.now().year} budget of "
        "$220.00: $200.00 is approved already and these add $40.00. Raise the budget or "
        "approve fewer."
    )
    fee.refresh_from_db()
    assert fee.approved_at is None
    with pytest.raises(InvalidTransition, match="approved already"):
        ledger.entries_approve(actor=admin_adam, terms=terms, entry_ids=[stipend.pk])


def test_only_the_programs_admin_sets_terms_and_approves(terms, world, principal_dee, north):
    from django.core.exceptions import PermissionDenied

    for someone in (principal_dee, world.south.people[Role.ADMIN]):
        with pytest.raises(PermissionDenied):
            ledger.entries_approve(actor=someone, terms=terms, entry_ids=[1])
        with pytest.raises(PermissionDenied):
            ledger.terms_save(
                actor=someone,
                organization=north,
                currency="USD",
                assessment_fee=None,
                fee_payer="district",
                credential_stipend=Decimal("1"),
            )
    terms.refresh_from_db()
    assert terms.credential_stipend == Decimal("200.00")


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        (Decimal("-5"), "The assessment fee cannot be negative."),
        (Decimal("100000"), "The assessment fee is at most 99,999.99."),
    ],
)
def test_terms_refuse_bad_amounts(admin_adam, north, fee, message):
    with pytest.raises(Invalid) as refused:
        ledger.terms_save(
            actor=admin_adam,
            organization=north,
            currency="USD",
            assessment_fee=fee,
            fee_payer="district",
            credential_stipend=None,
        )
    assert (refused.value.field, refused.value.message) == ("assessment_fee", message)
    assert not ProgramTerms.objects.exists()


def test_the_payroll_sums_each_educators_approved_entries_of_the_month(
    admin_adam, terms, credential, earn, issuer_carla, educator_ana
):
    award = earn(credential)
    badge_services.credential_revoke(
        actor=issuer_carla, credential=IssuedCredential.objects.get(award=award), reason="x"
    )
    ledger.entries_approve(
        actor=admin_adam,
        terms=terms,
        entry_ids=list(LedgerEntry.objects.values_list("pk", flat=True)),
    )
    period = timezone.now().strftime("%Y-%m")
    header, *rows = ledger.payroll_rows(actor=admin_adam, terms=terms, period=period)
    assert header == ledger.PAYROLL_HEADER
    assert rows == [
        [
            educator_ana.full_name,
            educator_ana.email,
            "Maple Elementary",
            "200.00",
            "0.00",
            "-200.00",
            "0.00",
            "USD",
            "3",
        ]
    ]
    with pytest.raises(Invalid, match="YYYY-MM"):
        list(ledger.payroll_rows(actor=admin_adam, terms=terms, period="December"))


def test_a_name_that_looks_like_a_formula_is_quoted_in_the_csv():
    assert ledger.cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert ledger.cell("Ana Alvarez") == "Ana Alvarez"


# ----------------------------------------------------------------------------- concurrency


def _race(work, n: int = 2) -> list[BaseException]:
    """Run `work` in `n` threads at once, each with its own connection and transaction."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                work()
        except BaseException as error:
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
def test_two_workers_handling_the_same_award_at_once_pay_it_once(terms, credential, earn):
    award = earn(credential)
    LedgerEntry.objects.filter(kind=Kind.CREDENTIAL_STIPEND).delete()  # as before the worker ran

    def pay() -> None:
        ledger.award_made(award_id=award.pk)
        # Hold the transaction open so the other worker's insert overlaps this one's.
        LedgerEntry.objects.filter(award=award).exists()
        threading.Event().wait(0.3)

    assert _race(pay) == []
    assert LedgerEntry.objects.filter(kind=Kind.CREDENTIAL_STIPEND, award=award).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_admins_approving_at_once_cannot_pass_the_budget_together(
    admin_adam, world, terms, credential, earn, designer_dan, reviewer_rita, north
):
    ledger.budget_set(
        actor=admin_adam,
        terms=terms,
        school=world.north.school,
        year=timezone.now().year,
        amount=Decimal("300"),
    )
    earn(credential)
    earn(published_credential(designer_dan, reviewer_rita, north, title="Wait time"))
    stipends = list(
        LedgerEntry.objects.filter(kind=Kind.CREDENTIAL_STIPEND).values_list("pk", flat=True)
    )
    assert len(stipends) == 2
    queue = list(stipends)

    def approve() -> None:
        ledger.entries_approve(actor=admin_adam, terms=terms, entry_ids=[queue.pop()])
        threading.Event().wait(0.3)

    errors = _race(approve)
    assert [type(e) for e in errors] == [Invalid]
    assert "past its" in str(errors[0].message)
    assert LedgerEntry.objects.filter(approved_at__isnull=False).count() == 1
    assert Award.objects.count() == 2


# ----------------------------------------------------------------------------- pages


def test_the_admin_sets_terms_through_the_page_and_bad_amounts_keep_what_was_typed(
    client, admin_adam, north
):
    client.force_login(admin_adam)
    url = reverse("programs:ledger-terms")
    refused = client.post(
        url,
        {
            "org": north.slug,
            "currency": "USD",
            "assessment_fee": "-40",
            "fee_payer": "district",
            "credential_stipend": "200",
        },
    )
    assert refused.status_code == 400
    page = html.fromstring(refused.content)
    assert "An amount cannot be negative." in page.text_content()
    assert page.xpath("//input[@name='credential_stipend']/@value") == ["200"]
    assert not ProgramTerms.objects.exists()
    saved = client.post(
        url,
        {
            "org": north.slug,
            "currency": "USD",
            "assessment_fee": "40",
            "fee_payer": "educator",
            "credential_stipend": "200",
        },
    )
    assert saved.status_code == 302
    terms = ProgramTerms.objects.get(organization=north)
    assert (terms.assessment_fee, terms.fee_payer) == (Decimal("40.00"), "educator")


def test_the_ledger_page_approves_refuses_past_the_budget_and_exports_the_payroll(
    client, admin_adam, north, world, terms, credential, earn, educator_ana
):
    earn(credential)
    client.force_login(admin_adam)
    page = html.fromstring(client.get(reverse("programs:ledger")).content)
    rows = page.xpath("//section[@aria-labelledby='pending-h']//tbody/tr")
    assert len(rows) == 2 and "Stipend for earning “Exit tickets”" in rows[1].text_content()
    ledger.budget_set(
        actor=admin_adam,
        terms=terms,
        school=world.north.school,
        year=timezone.now().year,
        amount=Decimal("100"),
    )
    ids = [str(pk) for pk in LedgerEntry.objects.values_list("pk", flat=True)]
    over = client.post(reverse("programs:ledger-approve"), {"org": north.slug, "entries": ids})
    assert over.status_code == 400
    alerts = html.fromstring(over.content).xpath("//*[@role='alert']//text()")
    assert any("past its 2" in text for text in alerts)
    assert not LedgerEntry.objects.filter(approved_at__isnull=False).exists()
    forged = client.post(reverse("programs:ledger-approve"), {"org": north.slug, "entries": ["x"]})
    assert forged.status_code == 400
    ledger.budget_set(
        actor=admin_adam,
        terms=terms,
        school=world.north.school,
        year=timezone.now().year,
        amount=Decimal("1000"),
    )
    done = client.post(reverse("programs:ledger-approve"), {"org": north.slug, "entries": ids})
    assert done.status_code == 302
    assert LedgerEntry.objects.filter(approved_at__isnull=False).count() == 2
    period = timezone.now().strftime("%Y-%m")
    csv_response = client.get(reverse("programs:payroll"), {"org": north.slug, "period": period})
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = b"".join(csv_response.streaming_content).decode().splitlines()
    assert lines[0].startswith("educator,email,school,stipends")
    assert (
        lines[1]
        == f"{educator_ana.full_name},{educator_ana.email},Maple Elementary,200.00,0.00,0.00,200.00,USD,2"
    )
    bad = client.get(reverse("programs:payroll"), {"org": north.slug, "period": "last month"})
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()


def test_another_districts_ledger_is_a_404_and_an_educator_has_none(
    client, world, north, terms, educator_ana
):
    client.force_login(world.south.people[Role.ADMIN])
    assert client.get(reverse("programs:ledger"), {"org": north.slug}).status_code == 404
    assert (
        client.get(
            reverse("programs:payroll"), {"org": north.slug, "period": "2026-12"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("programs:ledger-approve"), {"org": north.slug, "entries": ["1"]}
        ).status_code
        == 404
    )
    client.force_login(educator_ana)
    assert client.get(reverse("programs:ledger")).status_code == 403


def test_the_educator_sees_her_own_entries(client, terms, credential, earn, educator_ana, world):
    earn(credential)
    client.force_login(educator_ana)
    page = html.fromstring(client.get(reverse("programs:my-ledger")).content)
    assert len(page.xpath("//tbody/tr")) == 2
    assert "$200.00" in page.xpath("string(//dl)")
    client.force_login(world.north.people[Role.COACH])
    other = html.fromstring(client.get(reverse("programs:my-ledger")).content)
    assert not other.xpath("//tbody/tr")


def test_the_ledger_page_reads_a_constant_number_of_queries(
    client,
    admin_adam,
    terms,
    credential,
    earn,
    designer_dan,
    reviewer_rita,
    north,
    django_assert_max_num_queries,
):
    earn(credential)
    client.force_login(admin_adam)
    client.get(reverse("programs:ledger"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("programs:ledger"))
    for n in range(3):
        earn(published_credential(designer_dan, reviewer_rita, north, title=f"More {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = html.fromstring(client.get(reverse("programs:ledger")).content)
    assert len(page.xpath("//section[@aria-labelledby='pending-h']//tbody/tr")) == 8
