"""A small program for the dashboard tests, made through the real services: Riverbend's
Maple Elementary with four educators (one passed first time, one after a "not yet", one
whose badge was revoked, one who has not started), its fee and stipend terms and a budget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from microcred.assessment import services as assessment
from microcred.assessment.tests.factories import pool, submit_review
from microcred.badges import services as badge_services
from microcred.badges.tests.factories import awarded
from microcred.catalog.models import Credential
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Organization, Role, User
from microcred.core.tests.factories import member
from microcred.earning import services as earning
from microcred.earning.models import Attempt
from microcred.earning.tests.factories import submitted_attempt
from microcred.programs import ledger


@dataclass
class Program:
    credential: Credential
    first_try: User  # Ana: awarded on her first hand-in
    resubmitted: User  # Bo: "not yet", then awarded on his second
    revoked: User  # Cy: awarded first time, then the badge revoked
    idle: User  # Di: an educator who has not started anything


def not_yet_then_award(educator: User, credential: Credential, issuer: User) -> None:
    """The educator hands in, hears "not yet" on Section 2, resubmits it and earns it."""
    first = submitted_attempt(educator, credential)
    submit_review(first.reviews.get(), failing={"Section 2"})
    assessment.submission_decide(
        actor=issuer, submission=first, outcome="not_yet", reason="Section 2 needs a reteach."
    )
    attempt = Attempt.objects.get(pk=first.attempt_id)
    second = earning.attempt_submit(actor=educator, attempt=attempt, note="New tickets.")
    submit_review(second.reviews.get())
    assessment.submission_decide(
        actor=issuer, submission=second, outcome="award", reason="The reteach worked."
    )


def program(
    *,
    school: Organization,
    designer: User,
    reviewer: User,
    assessor: User,
    issuer: User,
    admin: User,
    first_try: User,
    title: str = "Exit tickets",
) -> Program:
    district = school.parent
    assert district is not None
    terms = ledger.terms_save(
        actor=admin,
        organization=district,
        currency="USD",
        assessment_fee=Decimal("40"),
        fee_payer="district",
        credential_stipend=Decimal("200"),
    )
    ledger.budget_set(
        actor=admin,
        terms=terms,
        school=school,
        year=timezone.localdate().year,
        amount=Decimal("5000"),
    )
    credential = published_credential(designer, reviewer, district, title=title)
    pool(district, credential, [assessor])
    resubmitted = member(school, Role.EDUCATOR, full_name="Bo Baker", email="bo@riverbend.example")
    revoked = member(school, Role.EDUCATOR, full_name="Cy Cole", email="cy@riverbend.example")
    idle = member(school, Role.EDUCATOR, full_name="Di Diaz", email="di@riverbend.example")
    awarded(educator=first_try, credential=credential, assessor=assessor, issuer=issuer)
    not_yet_then_award(resubmitted, credential, issuer)
    award = awarded(educator=revoked, credential=credential, assessor=assessor, issuer=issuer)
    badge = badge_services.credential_issue(award=award)  # the task the award schedules
    badge_services.credential_revoke(
        actor=issuer, credential=badge, reason="The video was of another teacher's class."
    )
    return Program(credential, first_try, resubmitted, revoked, idle)
