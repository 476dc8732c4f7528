"""The demo's district program: Riverbend's teacher-leader stack, published."""

from __future__ import annotations

from microcred.catalog.models import Credential
from microcred.core.models import Organization, Role, User
from microcred.programs import services

# The published credentials in the stack, by slug: Riverbend's own two are required, the
# state's and the provider's are electives.
TEACHER_LEADER = (
    "exit-tickets",
    "data-team-meetings",
    "number-talks",
    "student-centered-coaching-cycles",
    "leading-a-plc",
    "observation-feedback-cycles",
)


def load(orgs: dict[str, Organization], users: dict[tuple[str, Role], User]) -> None:
    admin = users[("north", Role.ADMIN)]
    by_slug = {c.slug: c for c in Credential.objects.filter(slug__in=TEACHER_LEADER).listed()}
    credentials = [by_slug[slug] for slug in TEACHER_LEADER if slug in by_slug]
    stack = services.stack_create(
        actor=admin,
        organization=orgs["north"],
        title="Riverbend teacher leader",
        summary=(
            "Teachers who lead their colleagues' learning: two credentials every teacher "
            "leader holds, and two more of their choosing. Agreed with your principal."
        ),
        rule="required_plus",
        choose=2,
        credentials=credentials,
        required=credentials[:2],
        grants="status",
        grant_title="Teacher leader",
        grant_months=12,
    )
    services.stack_publish(actor=admin, stack=stack)
