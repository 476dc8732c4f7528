"""Builds the demo installation through the same services people use, so its
history, states and audit trail are real. Loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import override_settings

from microcred.catalog import rules, services
from microcred.catalog.models import Audience, Credential, CredentialVersion, QualityPart
from microcred.core import services as core_services
from microcred.core.models import Organization, Role, User

DEMO_PASSWORD = "microcred-demo"  # noqa: S105 - printed for the demo on purpose
MARKER_SLUG = "lakeland-doe"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: Role
    org: str  # organization key


ORGS: list[tuple[str, str, str, str | None, str]] = [
    # key, name, kind, parent key, brand colour
    ("state", "Lakeland Department of Education", "state", None, "#1f4e79"),
    ("provider", "Bright Path Learning", "provider", "state", "#7a3e9d"),
    ("north", "Riverbend Unified School District", "district", "state", "#0b5c6b"),
    ("north-hs", "Riverbend High School", "school", "north", "#0b5c6b"),
    ("north-ms", "Cedar Middle School", "school", "north", "#0b5c6b"),
    ("north-es", "Maple Elementary School", "school", "north", "#0b5c6b"),
    ("north-ci", "Riverbend Curriculum and Instruction", "department", "north", "#0b5c6b"),
    ("south", "Lakeshore County Schools", "district", "state", "#9a4a06"),
    ("south-hs", "Lakeshore High School", "school", "south", "#9a4a06"),
    ("south-ms", "Pinecrest Middle School", "school", "south", "#9a4a06"),
    ("south-es", "Harbor Elementary School", "school", "south", "#9a4a06"),
]

SLUGS = {
    "state": MARKER_SLUG,
    "provider": "bright-path",
    "north": "riverbend",
    "north-hs": "riverbend-high",
    "north-ms": "cedar-middle",
    "north-es": "maple-elementary",
    "north-ci": "riverbend-ci",
    "south": "lakeshore",
    "south-hs": "lakeshore-high",
    "south-ms": "pinecrest-middle",
    "south-es": "harbor-elementary",
}

PEOPLE: list[Person] = [
    # Riverbend (north): one person per role
    Person("ana@riverbend.example", "Ana Alvarez", Role.EDUCATOR, "north-es"),
    Person("maya@riverbend.example", "Maya Moreno", Role.EDUCATOR, "north-ms"),
    Person("carmen@riverbend.example", "Carmen Cole", Role.COACH, "north-es"),
    Person("ben@riverbend.example", "Ben Brooks", Role.ASSESSOR, "north"),
    Person("carla@riverbend.example", "Carla Chen", Role.ISSUER, "north"),
    Person("dan@riverbend.example", "Dan Diaz", Role.DESIGNER, "north"),
    Person("rita@riverbend.example", "Rita Reyes", Role.REVIEWER, "north"),
    Person("dee@riverbend.example", "Dee Douglas", Role.LEADER, "north-es"),
    Person("adam@riverbend.example", "Adam Ames", Role.ADMIN, "north"),
    # Lakeshore (south)
    Person("sam@lakeshore.example", "Sam Soto", Role.EDUCATOR, "south-hs"),
    Person("cora@lakeshore.example", "Cora Sims", Role.COACH, "south-hs"),
    Person("omar@lakeshore.example", "Omar Ortiz", Role.ASSESSOR, "south"),
    Person("ivy@lakeshore.example", "Ivy Ingram", Role.ISSUER, "south"),
    Person("devon@lakeshore.example", "Devon Drake", Role.DESIGNER, "south"),
    Person("rosa@lakeshore.example", "Rosa Romero", Role.REVIEWER, "south"),
    Person("lee@lakeshore.example", "Lee Larkin", Role.LEADER, "south-hs"),
    Person("alex@lakeshore.example", "Alex Abbott", Role.ADMIN, "south"),
    # State and provider
    Person("sasha@lakeland.example", "Sasha Stone", Role.ADMIN, "state"),
    Person("drew@lakeland.example", "Drew Dalton", Role.DESIGNER, "state"),
    Person("remy@lakeland.example", "Remy Rowe", Role.REVIEWER, "state"),
    Person("pat@brightpath.example", "Pat Price", Role.DESIGNER, "provider"),
    Person("quinn@brightpath.example", "Quinn Quade", Role.REVIEWER, "provider"),
]

ORG_NAMES = {key: name for key, name, *_ in ORGS}

# The logins `make run` prints: one per role, in Riverbend, plus two of the other district.
DEMO_LOGINS: list[tuple[str, str]] = [
    (p.email, f"{p.role.label}, {ORG_NAMES[p.org]}")
    for p in PEOPLE
    if p.email.endswith("@riverbend.example")
] + [
    ("sam@lakeshore.example", "Educator, Lakeshore High School (another district)"),
    ("alex@lakeshore.example", "Program admin, Lakeshore (double scoring, calibration)"),
]


# Credentials whose demo history includes a second published version (the first stays valid).
SECOND_VERSIONS = {
    "exit-tickets": (
        "Use a quick written check at the end of a lesson to see who met the objective, then "
        "regroup and reteach the next day. Version 2 asks for three consecutive lessons instead of "
        "five, after feedback from the first group of teachers who earned it."
    ),
}


def is_loaded() -> bool:
    return Organization.objects.filter(slug=MARKER_SLUG).exists()


def load(stdout: Any = None) -> bool:
    """Create the demo; returns False (and does nothing) when it is already there."""
    if is_loaded():
        return False
    # The demo's own review decisions should not send anyone email.
    with override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    ):
        _load(stdout)
    return True


@transaction.atomic
def _load(stdout: Any) -> None:
    from microcred.demo.credentials import CREDENTIALS

    orgs: dict[str, Organization] = {}
    for key, name, kind, parent, color in ORGS:
        orgs[key] = core_services.organization_create(
            actor=None,
            name=name,
            kind=kind,
            parent=orgs[parent] if parent else None,
            slug=SLUGS[key],
            brand_color=color,
        )
    users: dict[tuple[str, Role], User] = {}
    password = make_password(DEMO_PASSWORD)  # hashed once: the demo shares one password
    for person in PEOPLE:
        user = User.objects.create(email=person.email, password=password, full_name=person.name)
        _verify_email(user)
        core_services.membership_grant(
            actor=None, organization=orgs[person.org], user=user, role=person.role
        )
        users[(person.org, person.role)] = user
    admin = User.objects.create_superuser(
        "operator@microcred.example", DEMO_PASSWORD, full_name="Site Operator"
    )
    _verify_email(admin)

    for spec in CREDENTIALS:
        owner = spec["owner"]
        designer = users[(owner, Role.DESIGNER)]
        reviewer = users[(owner, Role.REVIEWER)]
        _build_credential(spec, orgs[owner], designer, reviewer)
    from microcred.demo import earning, licensure, programs

    programs.load_terms(orgs, users)  # the program runs first: hand-ins and awards pay
    earning.load(orgs, users)
    programs.load(orgs, users)
    licensure.load(orgs, users)
    if stdout is not None:
        stdout.write(
            f"Loaded {len(ORGS)} organizations, {User.objects.count()} people, "
            f"{len(CREDENTIALS)} credentials, attempts: {earning.summary()}."
        )


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


def _build_credential(
    spec: dict[str, Any], organization: Organization, designer: User, reviewer: User
) -> Credential:
    credential = services.credential_create(
        actor=designer,
        organization=organization,
        title=spec["title"],
        visibility=spec.get("visibility", "public"),
    )
    Credential.objects.filter(pk=credential.pk).update(slug=spec["slug"])
    credential.refresh_from_db()
    version = credential.versions.get()
    _fill(version, spec, designer)
    state = spec["state"]
    if state == "draft":
        return credential
    services.version_submit_for_review(actor=designer, version=version)
    if state == "in_review":
        return credential
    if state == "changes_requested":
        answers = _answers(
            unmet={
                QualityPart.EVIDENCE: (
                    "The video requirement asks for a full lesson. Ask for the 10 minutes where students "
                    "use the strategy, so assessors can see the targets without watching an hour."
                )
            }
        )
        services.version_review(
            actor=reviewer,
            version=version,
            approve=False,
            answers=answers,
            summary="Strong targets and a clear rubric. Tighten the evidence so it matches the targets.",
        )
        return credential
    services.version_review(
        actor=reviewer,
        version=version,
        approve=True,
        answers=_answers(),
        summary="Meets every item of the quality checklist.",
    )
    if spec["slug"] in SECOND_VERSIONS:
        draft = services.credential_new_version(actor=designer, credential=credential)
        _basics(draft, {**spec, "summary": SECOND_VERSIONS[spec["slug"]]}, designer)
        services.version_submit_for_review(actor=designer, version=draft)
        services.version_review(
            actor=reviewer,
            version=draft,
            approve=True,
            answers=_answers(),
            summary="Clearer summary. Approved.",
        )
    if state == "retired":
        services.credential_retire(
            actor=designer,
            credential=credential,
            reason="Replaced by the district's new literacy framework; start the updated credential instead.",
        )
    return credential


def _answers(unmet: dict[str, str] | None = None) -> dict[str, services.ChecklistAnswer]:
    unmet = unmet or {}
    return {
        part: services.ChecklistAnswer(met=part not in unmet, comment=unmet.get(part, ""))
        for part in QualityPart.values
    }


def _basics(version: CredentialVersion, spec: dict[str, Any], designer: User) -> None:
    services.draft_update_basics(
        actor=designer,
        version=version,
        data=services.BasicsInput(
            title=spec["title"],
            summary=spec["summary"],
            competency=spec["competency"],
            key_method=spec["key_method"],
            audiences=Audience.objects.filter(slug__in=spec["audiences"]),
            subject=spec["subject"],
            grade_band=spec["grade_band"],
            estimated_hours=Decimal(spec["estimated_hours"]),
            credit_hours=Decimal(spec["credit_hours"]) if spec.get("credit_hours") else None,
            valid_for_months=spec.get("valid_for_months"),
            prerequisite_ids=_prerequisite_ids(spec),
        ),
    )


def _prerequisite_ids(spec: dict[str, Any]) -> list[int] | None:
    """The credentials a spec names as prerequisites (by slug, built before it), in order."""
    slugs = spec.get("prerequisites")
    if not slugs:
        return None
    ids = dict(Credential.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return [ids[slug] for slug in slugs]


def _fill(version: CredentialVersion, spec: dict[str, Any], designer: User) -> None:
    _basics(version, spec, designer)
    services.draft_set_targets(
        actor=designer,
        version=version,
        targets=[rules.TargetInput(text=t) for t in spec["targets"]],
        standards=[rules.StandardInput(**s) for s in spec.get("standards", [])],
    )
    services.draft_set_evidence(
        actor=designer,
        version=version,
        requirements=[
            rules.EvidenceInput(
                title=e["title"],
                kind=e["kind"],
                description=e["description"],
                look_fors=e.get("look_fors", ""),
                min_count=e.get("min_count", 1),
                max_count=e.get("max_count", 1),
                max_minutes=e.get("max_minutes"),
                max_words=e.get("max_words"),
                consent_required=e.get("consent", False),
            )
            for e in spec["evidence"]
        ],
    )
    target_ids = list(version.targets.order_by("position").values_list("pk", flat=True))
    # Sections name the evidence they are judged on by its number (1-based), so it goes first.
    evidence_ids = list(
        version.evidence_requirements.order_by("position").values_list("pk", flat=True)
    )
    rubric = spec["rubric"]
    sections = []
    for section in rubric["sections"]:
        level_names = [name for name, _ in section["levels"]]
        sections.append(
            rules.SectionInput(
                name=section["name"],
                description=section.get("description", ""),
                target_ids=[target_ids[n - 1] for n in section["targets"]],
                levels=[
                    rules.LevelInput(name, descriptor) for name, descriptor in section["levels"]
                ],
                passing_index=level_names.index(section["passing"]),
                evidence_ids=[evidence_ids[n - 1] for n in section.get("evidence", [])],
            )
        )
    rule = rubric.get("rule", "all")
    services.draft_set_rubric(
        actor=designer,
        version=version,
        sections=sections,
        pass_rule="all" if rule == "all" else "at_least",
        pass_min_sections=None if rule == "all" else int(rule),
    )
    services.draft_set_resources(
        actor=designer,
        version=version,
        resources=[
            rules.ResourceInput(
                title=r["title"], kind="link", url=r["url"], description=r.get("description", "")
            )
            for r in spec["resources"]
        ],
    )
    services.draft_set_task(
        actor=designer,
        version=version,
        task_title=spec.get("task_title", ""),
        task_instructions=spec["task"],
        pre_prompts=spec["pre_reflection"],
        post_prompts=spec["post_reflection"],
    )
