"""Reads for badges: what an award's credential says, and who may see which credential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from microcred.assessment.models import Award, Review, SectionScore
from microcred.assessment.selectors import decisive_review, earlier_scores
from microcred.badges.models import BadgePreferences, IssuedCredential
from microcred.catalog.models import (
    CredentialVersion,
    EvidenceRequirement,
    PerformanceLevel,
    RubricSection,
    StandardAlignment,
)

if TYPE_CHECKING:
    from microcred.core.models import User


@dataclass(frozen=True, slots=True)
class SectionResult:
    section: RubricSection
    levels: list[PerformanceLevel]
    achieved: PerformanceLevel | None


@dataclass(frozen=True, slots=True)
class AwardFacts:
    """Everything the credential says about one award, read in a fixed number of queries."""

    award: Award
    version: CredentialVersion
    results: list[SectionResult]
    standards: list[StandardAlignment]
    evidence: list[EvidenceRequirement]


def award_facts(award: Award) -> AwardFacts:
    award = Award.objects.select_related(
        "attempt__educator",
        "attempt__version__credential__organization",
        "decision__submission",
    ).get(pk=award.pk)
    version = award.attempt.version
    submission = (
        type(award.decision.submission)
        .objects.filter(pk=award.decision.submission_id)
        .prefetch_related(
            "decisions",
            Prefetch(
                "reviews",
                queryset=Review.objects.prefetch_related(
                    Prefetch("scores", queryset=SectionScore.objects.select_related("level"))
                ),
            ),
        )
        .get()
    )
    achieved: dict[int, PerformanceLevel | None] = {}
    review = decisive_review(submission)
    if review is not None:
        achieved = {score.section_id: score.level for score in review.scores.all()}
    if submission.number > 1:
        for section_id, score in earlier_scores(submission).items():
            achieved.setdefault(section_id, score.level)
    sections = list(
        RubricSection.objects.filter(version=version)
        .select_related("passing_level")
        .prefetch_related("levels")
        .order_by("position")
    )
    return AwardFacts(
        award=award,
        version=version,
        results=[SectionResult(s, list(s.levels.all()), achieved.get(s.pk)) for s in sections],
        standards=list(version.standards.all()),
        evidence=list(version.evidence_requirements.all()),
    )


def preferences(award: Award) -> BadgePreferences:
    found, _ = BadgePreferences.objects.get_or_create(award=award)
    return found


def display_name(award: Award) -> str:
    prefs = BadgePreferences.objects.filter(award=award).first()
    educator = award.attempt.educator
    return (prefs.display_name if prefs else "") or educator.full_name or educator.email


def current_credential(award: Award) -> IssuedCredential | None:
    return (
        IssuedCredential.objects.filter(award=award)
        .current()
        .select_related("status_list")
        .order_by("-issued_at", "-id")
        .first()
    )


def wallet(*, actor: User) -> QuerySet[IssuedCredential]:
    """The earner's current credentials, newest first."""
    return (
        IssuedCredential.objects.filter(award__attempt__educator=actor)
        .current()
        .select_related(
            "organization",
            "award__attempt__version__credential__organization",
            "award__badge_preferences",
        )
        .order_by("-issued_at", "-id")
    )


def credential_for(*, actor: Any, public_id: Any) -> IssuedCredential:
    """A credential the actor may manage or own (404 otherwise)."""
    return (
        IssuedCredential.objects.visible_to(actor)
        .select_related(
            "organization",
            "status_list",
            "award__attempt__educator",
            "award__attempt__version__credential__organization",
            "award__badge_preferences",
            "superseded_by",
        )
        .get(public_id=public_id)
    )


def public_credential(*, public_id: Any, viewer: Any = None) -> IssuedCredential:
    """A credential whose page anyone may open: the earner made it public (the earner and
    the issuing staff see it either way)."""
    row = (
        IssuedCredential.objects.select_related(
            "organization",
            "status_list",
            "award__attempt__educator",
            "award__attempt__version__credential__organization",
            "award__badge_preferences",
            "superseded_by",
        )
        .filter(public_id=public_id)
        .first()
    )
    if row is None:
        raise IssuedCredential.DoesNotExist
    prefs = getattr(row.award, "badge_preferences", None)
    private = prefs is not None and not prefs.public
    if private and not (
        viewer is not None and IssuedCredential.objects.visible_to(viewer).filter(pk=row.pk)
    ):
        raise IssuedCredential.DoesNotExist
    return row


def issued_by(*, actor: User, query: str = "") -> QuerySet[IssuedCredential]:
    """Current credentials of the organizations whose badges the actor runs, newest first;
    `query` matches the earner's name or email or the credential's title."""
    from django.db.models import Q

    from microcred.core import tenancy

    rows = IssuedCredential.objects.filter(tenancy.within(actor, "assessment.manage")).current()
    if query:
        rows = rows.filter(
            Q(recipient_name__icontains=query)
            | Q(award__attempt__educator__email__icontains=query)
            | Q(award__attempt__version__title__icontains=query)
        )
    return rows.select_related(
        "organization",
        "award__attempt__educator",
        "award__attempt__version",
    ).order_by("-issued_at", "-id")


def awards_without_credential(*, actor: User) -> list[Award]:
    """The earner's awards whose credential the worker has not signed yet."""
    return list(
        Award.objects.filter(attempt__educator=actor, credentials__isnull=True)
        .select_related("attempt__version__credential__organization")
        .order_by("-awarded_at")
    )
