"""Reads for badges: what an award's credential says, and who may see which credential."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from microcred.assessment.models import Award, AwardResult
from microcred.badges.models import BadgePreferences, IssuedCredential
from microcred.catalog.models import (
    CredentialVersion,
    EvidenceRequirement,
    PerformanceLevel,
    RubricSection,
    StandardAlignment,
)
from microcred.core import tenancy
from microcred.core.models import User
from microcred.earning.standing import Standing


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


@dataclass(frozen=True, slots=True)
class VersionFacts:
    """What a credential version says: its rubric with every level, standards and evidence."""

    sections: list[tuple[RubricSection, list[PerformanceLevel]]]
    levels: dict[int, PerformanceLevel]
    standards: list[StandardAlignment]
    evidence: list[EvidenceRequirement]


# A published version never changes (catalog refuses every edit of one; a change is a new
# version with an id of its own), so what it says is kept per process once read: nothing kept
# here can go stale, in this process or any other. Drafts are read every time. The credential
# and its organization (whose name and description may change) are read with every issuance.
_PUBLISHED: dict[int, tuple[CredentialVersion, VersionFacts]] = {}
_PUBLISHED_MAX = 512


def _keep(version: CredentialVersion, facts: VersionFacts) -> None:
    if version.state == CredentialVersion.State.PUBLISHED:
        if len(_PUBLISHED) >= _PUBLISHED_MAX:
            _PUBLISHED.clear()
        _PUBLISHED[version.pk] = (copy.copy(version), facts)


def version_facts(version: CredentialVersion) -> VersionFacts:
    """The rubric, standards and evidence of a version (four queries; none for a published
    version this process has read before: issuing a state's awards reads the same few
    versions thousands of times)."""
    kept = _PUBLISHED.get(version.pk)
    if kept is not None:
        return kept[1]
    sections = list(
        RubricSection.objects.filter(version=version)
        .select_related("passing_level")
        .prefetch_related("levels")
        .order_by("position")
    )
    pairs = [(section, list(section.levels.all())) for section in sections]
    facts = VersionFacts(
        sections=pairs,
        levels={level.pk: level for _, levels in pairs for level in levels},
        standards=list(version.standards.all()),
        evidence=list(version.evidence_requirements.all()),
    )
    _keep(version, facts)
    return facts


def forget() -> None:
    """Forget the published versions read by this process (tests reuse ids)."""
    _PUBLISHED.clear()


# What issuing reads of a version: what the credential says. A field missing here would cost
# a query of its own when read (test_award_results counts the statements of an issuance).
_VERSION_FIELDS = (
    "credential_id",
    "number",
    "state",
    "title",
    "summary",
    "competency",
    "key_method",
    "task_title",
    "subject",
    "grade_band",
    "credit_hours",
    "pass_rule",
    "pass_min_sections",
    "valid_for_months",
)


def _issuing_version(version_id: int) -> CredentialVersion:
    """The award's version with its credential: a copy of the published version kept by this
    process (read, rubric and all, with its credential the first time). Of the credential,
    issuing uses its slug and its owner, which never change (catalog sets them when the
    credential is made; the admin shows credentials read-only). Its organization, whose name
    and description may change, is read with the signing key (`services.signer_for`)."""
    kept = _PUBLISHED.get(version_id)
    if kept is None:
        version = (
            CredentialVersion.objects.select_related("credential")
            .only(*_VERSION_FIELDS, "credential__slug", "credential__organization_id")
            .get(pk=version_id)
        )
        version_facts(version)
    else:
        version = copy.copy(kept[0])  # its own related-object cache
    # Its own credential too: the organization is set on it per issuance.
    version.credential = copy.copy(version.credential)
    return version


@dataclass(slots=True)
class IssuingAward:
    award: Award
    preferences: BadgePreferences | None
    issued: bool  # it has a current credential already


# What issuing reads of the award, its attempt, the earner and the preferences: what the
# credential says and what `_mirror_standing` compares (not the earner's password hash).
_AWARD_FIELDS = (
    "public_id",
    "attempt_id",
    "decision_id",
    "awarded_at",
    "attempt__educator_id",
    "attempt__version_id",
    "attempt__organization_id",
    "attempt__revoked_at",
    "attempt__revoked_reason",
    "attempt__valid_until",
    "attempt__educator__email",
    "attempt__educator__full_name",
    "attempt__educator__is_active",  # notify skips an inactive account
    "badge_preferences__award_id",
    "badge_preferences__display_name",
    "badge_preferences__recipient_email",
)


# The award's read, built once: each issuance only adds the award's id (resolving the Exists
# anew for every award cost a third of the read's Python time, bench/badges.py).
_FOR_ISSUING = (
    Award.objects.select_for_update(of=("self",))
    .select_related("attempt__educator", "badge_preferences")
    .only(*_AWARD_FIELDS)
    # Whether the award has a current credential already.
    .annotate(
        issued=Exists(
            IssuedCredential.objects.filter(award=OuterRef("pk")).exclude(
                state=IssuedCredential.State.SUPERSEDED
            )
        )
    )
)


def award_for_issuing(award_id: int) -> IssuingAward:
    """The award, locked, with the earner, the earner's badge preferences and whether it has
    a current credential (one statement), and its version with the credential
    (`_issuing_version`)."""
    award = _FOR_ISSUING.get(pk=award_id)
    award.attempt.version = _issuing_version(award.attempt.version_id)
    preferences = getattr(award, "badge_preferences", None)  # None: the earner chose nothing
    return IssuingAward(award, preferences, bool(award.issued))


def award_facts(award: Award) -> AwardFacts:
    """Everything the credential says about an award read with `award_for_issuing`: the
    version's rubric, and the level of each section as the award stored it when it was
    decided (`assessment.rules`), never worked out again here."""
    version = award.attempt.version
    facts = version_facts(version)
    achieved = dict(AwardResult.objects.filter(award=award).values_list("section_id", "level_id"))

    def level_of(section: RubricSection) -> PerformanceLevel | None:
        level_id = achieved.get(section.pk)
        return facts.levels.get(level_id) if level_id is not None else None

    return AwardFacts(
        award=award,
        version=version,
        results=[
            SectionResult(section, levels, level_of(section)) for section, levels in facts.sections
        ],
        standards=facts.standards,
        evidence=facts.evidence,
    )


_UNREAD = BadgePreferences()


def display_name(award: Award, prefs: BadgePreferences | None = _UNREAD) -> str:
    """The name the earner chose to show, or their account name. `prefs` as read with the
    award (None: the earner has chosen nothing); read here when not given."""
    if prefs is _UNREAD:
        prefs = BadgePreferences.objects.filter(award=award).first()
    educator = award.attempt.educator
    return (prefs.display_name if prefs else "") or educator.full_name or educator.email


def recipient_email(award: Award, prefs: BadgePreferences | None = _UNREAD) -> str:
    """The address the badge identifies its earner by: the one given when it was issued
    again for a new address, or the account's."""
    if prefs is _UNREAD:
        prefs = BadgePreferences.objects.filter(award=award).first()
    return (prefs.recipient_email if prefs else "") or award.attempt.educator.email


def wallet(*, actor: User) -> QuerySet[IssuedCredential]:
    """The earner's current credentials, newest first."""
    return (
        IssuedCredential.objects.filter(earner=actor)
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
            "earner",
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

    rows = IssuedCredential.objects.filter(tenancy.within(actor, "assessment.manage")).current()
    if query:
        rows = rows.filter(
            Q(recipient_name__icontains=query)
            | Q(earner__email__icontains=query)
            | Q(award__attempt__version__title__icontains=query)
            | Q(achievement_name__icontains=query)
        )
    return rows.select_related(
        "organization",
        "earner",
        "award__attempt__version",
    ).order_by("-issued_at", "-id")


def awards_without_credential(*, actor: User) -> list[Award]:
    """The earner's awards whose credential the worker has not signed yet."""
    return list(
        Award.objects.filter(attempt__educator=actor, credentials__isnull=True)
        .select_related("attempt__version__credential__organization")
        .order_by("-awarded_at")
    )


# ----------------------------------------------------------------------------- standing


def standing_of(credential: IssuedCredential | None, *, now: Any = None) -> Standing:
    """Where a badge stands, by the one rule (earning.standing) applied to this credential's
    own facts (None: the award's first badge is not signed yet)."""
    if credential is None:
        return Standing(Standing.EARNED)
    revoked = credential.state == IssuedCredential.State.REVOKED
    return Standing.of(
        revoked_at=credential.revoked_at if revoked else None,
        reason=credential.revoked_reason if revoked else "",
        valid_until=credential.valid_until,
        now=now,
    )
