"""The demo's district program, Juab-style: Riverbend charges $40 a hand-in for the
assessor's time (the district pays) and pays $200 a credential; its coaching pathway, and its
teacher-leader stack agreed with the principal ($3,000 a year of the status: Ana's agreement
approved and in progress, Tess's waiting for Dee); a badge revoked, its stipend reversed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from microcred.assessment import services as assessment
from microcred.badges import services as badges
from microcred.catalog.models import Credential
from microcred.core.models import Organization, Role, User
from microcred.demo import earning as demo_earning
from microcred.earning import services as earning
from microcred.programs import ledger, services
from microcred.programs.models import LedgerEntry

# The published credentials in the coaching pathway, by slug: Riverbend's own two are
# required, the state's and the provider's are electives.
COACHING = (
    "exit-tickets",
    "data-team-meetings",
    "number-talks",
    "student-centered-coaching-cycles",
    "leading-a-plc",
    "observation-feedback-cycles",
)
TEACHER_LEADER_COUNT = 12  # as in Juab: twelve credentials agreed with the principal


def load_terms(orgs: dict[str, Organization], users: dict[tuple[str, Role], User]) -> None:
    """Riverbend's money, set before anyone hands in, so the ledger fills as they do."""
    admin = users[("north", Role.ADMIN)]
    terms = ledger.terms_save(
        actor=admin,
        organization=orgs["north"],
        currency="USD",
        assessment_fee=Decimal("40"),
        fee_payer="district",
        credential_stipend=Decimal("200"),
    )
    year = timezone.now().year
    for school, amount in (("north-es", "5000"), ("north-ms", "3000")):
        ledger.budget_set(
            actor=admin, terms=terms, school=orgs[school], year=year, amount=Decimal(amount)
        )


def load(orgs: dict[str, Organization], users: dict[tuple[str, Role], User]) -> None:
    admin = users[("north", Role.ADMIN)]
    by_slug = {c.slug: c for c in Credential.objects.filter(slug__in=COACHING).listed()}
    credentials = [by_slug[slug] for slug in COACHING if slug in by_slug]
    stack = services.stack_create(
        actor=admin,
        organization=orgs["north"],
        title="Riverbend coaching pathway",
        summary=(
            "Teachers who coach their colleagues: two credentials every coach holds, and two "
            "more of their choosing."
        ),
        rule="required_plus",
        choose=2,
        credentials=credentials,
        required=credentials[:2],
        grants="status",
        grant_title="Instructional coach",
        grant_months=24,
    )
    services.stack_publish(actor=admin, stack=stack)
    _teacher_leader(orgs, users)


def _teacher_leader(orgs: dict[str, Organization], users: dict[tuple[str, Role], User]) -> None:
    admin = users[("north", Role.ADMIN)]
    offered = list(
        Credential.objects.visible_to(admin).listed().order_by("current_version__title", "pk")
    )
    stack = services.stack_create(
        actor=admin,
        organization=orgs["north"],
        title="Riverbend teacher leader",
        summary=(
            "Twelve credentials you agree with your principal, toward a growth goal of yours. "
            "Teacher leaders lead their colleagues' learning and hold the status for a year."
        ),
        rule="agreed",
        choose=min(TEACHER_LEADER_COUNT, len(offered)),
        credentials=offered,
        grants="status",
        grant_title="Teacher leader",
        grant_months=12,
    )
    ledger.stack_stipends_set(
        actor=admin, stack=stack, on_completion=Decimal("500"), per_year=Decimal("3000")
    )
    services.stack_publish(actor=admin, stack=stack)
    choose = stack.choose or 0
    dee = users[("north-es", Role.LEADER)]
    ana = users[("north-es", Role.EDUCATOR)]
    first = ["exit-tickets", "data-team-meetings"]  # earned, and in progress
    chosen = sorted(
        offered, key=lambda c: (c.slug not in first, first.index(c.slug) if c.slug in first else 0)
    )
    today = timezone.localdate()
    agreement = services.agreement_propose(
        actor=ana,
        stack=stack,
        credentials=chosen[:choose],
        growth_goal=(
            "Use formative assessment every day in my classroom, then lead my grade team in "
            "looking at student work together."
        ),
        target_date=today + datetime.timedelta(days=540),
    )
    services.agreement_decide(
        actor=dee,
        agreement=agreement,
        number=1,
        decision="approved",
        comment="A strong plan. Start with exit tickets; the data team credential builds on it.",
    )
    tess = User.objects.get(email="tess@riverbend.example")
    services.agreement_propose(
        actor=tess,
        stack=stack,
        credentials=chosen[-choose:],
        growth_goal="Build number sense in every math lesson and share what works with my team.",
        target_date=today + datetime.timedelta(days=365),
    )
    _revoked_in_error(orgs, users)
    # Dee asks Maple Elementary's teachers to take up observation-feedback cycles.
    services.recommend_to(
        actor=dee,
        target="school",
        school=orgs["north-es"],
        credential=Credential.objects.get(slug="observation-feedback-cycles"),
        kind="recommended",
        reason="Our school goal this year: every teacher observed and observing by spring.",
        due_on=today + datetime.timedelta(days=150),
    )
    # Adam approved what was written before this week; the newest entries wait for him.
    terms = ledger.terms_for(orgs["north"])
    assert terms is not None
    newest = list(LedgerEntry.objects.filter(terms=terms).order_by("-pk")[:3])
    older = LedgerEntry.objects.filter(terms=terms).exclude(pk__in=[e.pk for e in newest])
    ledger.entries_approve(
        actor=admin, terms=terms, entry_ids=list(older.values_list("pk", flat=True))
    )


def _revoked_in_error(orgs: dict[str, Organization], users: dict[tuple[str, Role], User]) -> None:
    """Leo earned "Exit tickets", then Carla revoked the badge: his stipend is reversed."""
    leo = demo_earning._background_person(
        orgs["north-ms"], "leo@riverbend.example", "Leo Lane", Role.EDUCATOR
    )
    credential = Credential.objects.get(slug="exit-tickets")
    attempt = demo_earning._work_on(leo, credential, complete=True)
    submission = earning.attempt_submit(actor=leo, attempt=attempt)
    demo_earning._score(users[("north", Role.ASSESSOR)], attempt)
    issuer = users[("north", Role.ISSUER)]
    assessment.submission_decide(
        actor=issuer, submission=submission, outcome="award", reason="Meets every section."
    )
    attempt.refresh_from_db()
    badge = badges.credential_issue(award=attempt.award)
    badges.credential_revoke(
        actor=issuer,
        credential=badge,
        reason="Awarded in error: the video was of another teacher's lesson.",
    )
