"""Builders for credentials in each state of the design lifecycle, through the services."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from microcred.catalog import rules, services
from microcred.catalog.models import Audience, Credential, CredentialVersion, QualityPart
from microcred.core.models import Organization, User


def audience(slug: str = "teacher") -> Audience:
    """The migration adds the audiences, but a transactional test's flush removes them."""
    return Audience.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").title()}
    )[0]


def fill_all_parts(
    version: CredentialVersion, designer: User, *, title: str | None = None, sections: int = 3
) -> None:
    """Give a draft every part it needs to go to review."""
    services.draft_update_basics(
        actor=designer,
        version=version,
        data=services.BasicsInput(
            title=title or version.title,
            summary="Use quick written checks at the end of a lesson to decide what to teach next.",
            competency="Uses formative assessment data to adjust instruction",
            key_method="Exit tickets aligned to the lesson objective, sorted and acted on the next day.",
            audiences=[audience("teacher")],
            subject="all",
            grade_band="pk-12",
            estimated_hours=Decimal("12"),
            credit_hours=Decimal("1.5"),
        ),
    )
    services.draft_set_targets(
        actor=designer,
        version=version,
        targets=[
            rules.TargetInput(text="I can write an exit ticket that checks the lesson objective."),
            rules.TargetInput(text="I can group students by their exit-ticket responses."),
        ],
        standards=[
            rules.StandardInput(
                framework="InTASC", code="6", name="Assessment", url="https://ccsso.org"
            )
        ],
    )
    target_ids = list(version.targets.values_list("pk", flat=True))
    services.draft_set_rubric(
        actor=designer,
        version=version,
        pass_rule="all",
        pass_min_sections=None,
        sections=[
            rules.SectionInput(
                name=f"Section {i + 1}",
                description="",
                target_ids=[target_ids[i % len(target_ids)]],
                levels=[
                    rules.LevelInput("Not yet", "Missing or unclear."),
                    rules.LevelInput("Proficient", "Clear and complete."),
                    rules.LevelInput("Exemplary", "Clear, complete and insightful."),
                ],
                passing_index=1,
            )
            for i in range(sections)
        ],
    )
    services.draft_set_resources(
        actor=designer,
        version=version,
        resources=[
            rules.ResourceInput(
                title="Exit tickets explained", kind="link", url="https://www.edutopia.org/"
            )
        ],
    )
    services.draft_set_task(
        actor=designer,
        version=version,
        task_title="Three lessons with exit tickets",
        task_instructions="Use an exit ticket in three consecutive lessons and regroup students.",
        pre_prompts=["How do you know today what students learned?"],
        post_prompts=["What changed in your next lesson because of the tickets?"],
    )
    services.draft_set_evidence(
        actor=designer,
        version=version,
        requirements=[
            rules.EvidenceInput(
                title="Sorted exit tickets",
                kind="student_work",
                description="Three sorted sets of tickets.",
                min_count=3,
                max_count=3,
            )
        ],
    )


def tie_sections(designer: User, version: CredentialVersion, ties: dict[str, list[str]]) -> None:
    """Save the draft's rubric again as it is, with each named section tied to the evidence
    requirements named (by title): what the studio's rubric page does."""
    requirements = {r.title: r.pk for r in version.evidence_requirements.all()}
    sections = []
    for s in version.sections.prefetch_related("levels", "targets", "evidence"):
        levels = list(s.levels.all())
        sections.append(
            rules.SectionInput(
                name=s.name,
                description=s.description,
                target_ids=[t.pk for t in s.targets.all()],
                levels=[rules.LevelInput(lv.name, lv.descriptor) for lv in levels],
                passing_index=[lv.pk for lv in levels].index(s.passing_level_id or 0),
                evidence_ids=[requirements[t] for t in ties.get(s.name, [])],
            )
        )
    services.draft_set_rubric(
        actor=designer,
        version=version,
        sections=sections,
        pass_rule=version.pass_rule,
        pass_min_sections=version.pass_min_sections,
    )


def draft_credential(
    designer: User,
    organization: Organization,
    *,
    title: str = "Exit tickets",
    complete: bool = True,
    visibility: str = "public",
    prerequisites: Sequence[Credential] = (),
) -> Credential:
    credential = services.credential_create(
        actor=designer, organization=organization, title=title, visibility=visibility
    )
    if complete:
        fill_all_parts(credential.versions.get(), designer, title=title)
    if prerequisites:
        services.draft_set_prerequisites(
            actor=designer,
            version=credential.versions.get(),
            credential_ids=[c.pk for c in prerequisites],
        )
    return credential


def approve_answers() -> dict[str, services.ChecklistAnswer]:
    return {part: services.ChecklistAnswer(met=True) for part in QualityPart.values}


def in_review_credential(
    designer: User, organization: Organization, **kwargs: object
) -> Credential:
    credential = draft_credential(designer, organization, **kwargs)  # type: ignore[arg-type]
    services.version_submit_for_review(actor=designer, version=credential.versions.get())
    return credential


def published_credential(
    designer: User, reviewer: User, organization: Organization, **kwargs: object
) -> Credential:
    credential = in_review_credential(designer, organization, **kwargs)
    services.version_review(
        actor=reviewer,
        version=credential.versions.get(),
        approve=True,
        summary="",
        answers=approve_answers(),
    )
    credential.refresh_from_db()
    return credential
