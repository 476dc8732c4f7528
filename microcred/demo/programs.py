"""The demo's district program: Riverbend's coaching pathway, and its teacher-leader stack
agreed with the principal (Ana's agreement approved and in progress, Tess's waiting for
Dee)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from microcred.catalog.models import Credential
from microcred.core.models import Organization, Role, User
from microcred.programs import services

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
