"""Builders for the assessment tests: a pool of assessors and hand-ins routed through the
real services (the educator's submit calls `submission_route`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from microcred.assessment import services
from microcred.assessment.models import AssessorPool, PoolMember, Review
from microcred.catalog.models import Credential
from microcred.core.models import Organization, Role, User
from microcred.core.tests.factories import member
from microcred.earning.models import Submission
from microcred.earning.tests.factories import submitted_attempt  # noqa: F401 (re-exported)


def pool(
    organization: Organization,
    credential: Credential | None,
    assessors: list[User],
    **settings: Any,
) -> AssessorPool:
    made = AssessorPool.objects.create(
        organization=organization,
        credential=credential,
        name=f"Assessors of {credential or organization}",
        **settings,
    )
    for assessor in assessors:
        PoolMember.objects.create(pool=made, assessor=assessor)
    return made


def assessor(organization: Organization, name: str) -> User:
    return member(
        organization, Role.ASSESSOR, full_name=name, email=f"{name.lower()}@assess.example"
    )


def scores_for(
    submission: Submission,
    *,
    failing: Collection[str] = frozenset(),
    level: int = 1,
) -> dict[int, tuple[int | None, str]]:
    """A level for every section of the hand-in: `level` (1 = proficient, passing) except
    the sections named in `failing`, which get the lowest level and feedback."""
    scores: dict[int, tuple[int | None, str]] = {}
    for section in submission.sections.prefetch_related("levels").order_by("position"):
        levels = list(section.levels.all())
        if section.name in failing:
            scores[section.pk] = (levels[0].pk, f"{section.name}: show the regrouping next day.")
        else:
            scores[section.pk] = (levels[level].pk, "")
    return scores


def submit_review(
    review: Review,
    *,
    failing: Collection[str] = frozenset(),
    recommendation: str = "",
) -> Review:
    assert review.assessor is not None
    if not recommendation:
        recommendation = "not_yet" if failing else "award"
    return services.review_save(
        actor=review.assessor,
        review=review,
        scores=scores_for(review.submission, failing=failing),
        recommendation=recommendation,
        summary="Clear tickets; the regrouping is the strength of this work.",
        submit=True,
    )
