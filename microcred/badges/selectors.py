"""Reads for badges: what an award's credential says, and who may see which credential."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from microcred.assessment.models import Award, Decision, Review, SectionScore
from microcred.badges.models import BadgePreferences, IssuedCredential
from microcred.catalog.models import (
    CredentialVersion,
    EvidenceRequirement,
    PerformanceLevel,
    RubricSection,
    StandardAlignment,
)
from microcred.core.models import User
from microcred.earning.models import Attempt, Submission
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
    """What a published credential version says (it never changes once published)."""

    sections: list[tuple[RubricSection, list[PerformanceLevel]]]
    levels: dict[int, PerformanceLevel]
    standards: list[StandardAlignment]
    evidence: list[EvidenceRequirement]


_VERSION_FACTS: dict[int, VersionFacts] = {}


def version_facts(version: CredentialVersion) -> VersionFacts:
    """The rubric, standards and evidence of a version, read once per process when it is
    published (issuing a state's awards reads the same few versions thousands of times)."""
    found = _VERSION_FACTS.get(version.pk)
    if found is not None:
        return found
    sections = list(
        RubricSection.objects.filter(version=version)
        .select_related("passing_level")
        .prefetch_related("levels")
        .order_by("position")
    )
    pairs = [(section, list(section.levels.all())) for section in sections]
    found = VersionFacts(
        sections=pairs,
        levels={level.pk: level for _, levels in pairs for level in levels},
        standards=list(version.standards.all()),
        evidence=list(version.evidence_requirements.all()),
    )
    if version.state == CredentialVersion.State.PUBLISHED:
        if len(_VERSION_FACTS) > 1024:
            _VERSION_FACTS.clear()
        _VERSION_FACTS[version.pk] = found
    return found


_VERSIONS: dict[int, tuple[float, CredentialVersion]] = {}
VERSION_SECONDS = 60


def _version(version_id: int) -> CredentialVersion:
    """A version with its credential and organization, kept a minute per process (the version
    never changes; the organization's name or colour may, and new badges follow within the
    minute)."""
    now = time.monotonic()
    hit = _VERSIONS.get(version_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    version = CredentialVersion.objects.select_related("credential__organization").get(
        pk=version_id
    )
    if len(_VERSIONS) > 1024:
        _VERSIONS.clear()
    _VERSIONS[version_id] = (now + VERSION_SECONDS, version)
    return version


def forget() -> None:
    _VERSIONS.clear()
    _VERSION_FACTS.clear()


@cache
def _award_sql(vendor: str) -> str:
    """One statement, written once, for what issuing needs to know about an award, locked:
    building the equivalent ORM join costs more than running it."""
    award, attempt, user = Award._meta.db_table, Attempt._meta.db_table, User._meta.db_table
    decision, submission = Decision._meta.db_table, Submission._meta.db_table
    prefs, issued = BadgePreferences._meta.db_table, IssuedCredential._meta.db_table
    lock = " FOR UPDATE OF a" if vendor == "postgresql" else ""
    # Table names come from the models and the state is a constant: no input here.
    return (
        "SELECT a.id, a.public_id, a.awarded_at, a.attempt_id, a.decision_id,"  # noqa: S608
        " t.educator_id, t.version_id, u.email, u.full_name, d.appeal_id, d.submission_id,"
        " s.number, p.id, p.display_name, p.public,"
        f" EXISTS (SELECT 1 FROM {issued} c WHERE c.award_id = a.id"
        f" AND c.state <> '{IssuedCredential.State.SUPERSEDED}')"
        f" FROM {award} a JOIN {attempt} t ON t.id = a.attempt_id"
        f" JOIN {user} u ON u.id = t.educator_id"
        f" JOIN {decision} d ON d.id = a.decision_id"
        f" JOIN {submission} s ON s.id = d.submission_id"
        f" LEFT JOIN {prefs} p ON p.award_id = a.id"
        f" WHERE a.id = %s{lock}"
    )


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run a hot query; on PostgreSQL as a prepared statement, so its plan is made once per
    connection (planning the award's join alone took 3 ms)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(slots=True)
class IssuingAward:
    award: Award
    preferences: BadgePreferences | None
    issued: bool  # it has a current credential already


def award_for_issuing(award_id: int) -> IssuingAward:
    """The award with everything its credential names, locked, in one prepared statement;
    the version, credential and organization come from a per-process cache."""
    rows = _fetch(_award_sql(connection.vendor), [award_id])
    if not rows:
        raise Award.DoesNotExist(f"No award {award_id}.")
    row = rows[0]
    (
        pk, public_id, awarded_at, attempt_id, decision_id, educator_id, version_id, email,
        full_name, appeal_id, submission_id, number, prefs_id, display, public, issued,
    ) = row  # fmt: skip
    award = _loaded(Award(pk=pk, public_id=_uuid(public_id), awarded_at=_aware(awarded_at)))
    attempt = _loaded(Attempt(pk=attempt_id))
    attempt.educator = _loaded(User(pk=educator_id, email=email, full_name=full_name))
    attempt.version = _version(version_id)
    decision = _loaded(Decision(pk=decision_id, appeal_id=appeal_id))
    decision.submission = _loaded(
        Submission(pk=submission_id, number=number, attempt_id=attempt_id)
    )
    award.attempt, award.decision = attempt, decision
    preferences = None
    if prefs_id is not None:
        preferences = _loaded(
            BadgePreferences(pk=prefs_id, award_id=pk, display_name=display, public=bool(public))
        )
    return IssuingAward(award, preferences, bool(issued))


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _aware(value: Any) -> Any:
    """A datetime from a raw row: SQLite hands back naive UTC (or text), PostgreSQL aware."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _loaded(instance: Any) -> Any:
    """A model instance built from a row we read, marked as coming from the database."""
    instance._state.adding = False
    instance._state.db = "default"
    return instance


@cache
def _scores_sql() -> str:
    """Every submitted review's scores of an attempt's hand-ins up to the awarded one, with
    whether that hand-in's latest decision answered an appeal."""
    score, review = SectionScore._meta.db_table, Review._meta.db_table
    submission, decision = Submission._meta.db_table, Decision._meta.db_table
    # Table names come from the models and the states are constants: no input here.
    return (
        "SELECT s.id, s.number, r.id, r.kind, r.submitted_at, sc.section_id, sc.level_id,"  # noqa: S608
        f" (SELECT d.appeal_id FROM {decision} d WHERE d.submission_id = s.id"
        "  ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) IS NOT NULL"
        f" FROM {submission} s JOIN {review} r ON r.submission_id = s.id"
        f" JOIN {score} sc ON sc.review_id = r.id"
        f" WHERE s.attempt_id = %s AND s.number <= %s AND r.state = '{Review.State.SUBMITTED}'"
        f" AND (s.id = %s OR s.state = '{Submission.State.DECIDED}')"
    )


def _decisive(
    reviews: dict[int, tuple[str, Any, dict[int, int | None]]], appealed: bool
) -> dict[int, int | None]:
    """The scores of the review a decision rests on, as assessment.selectors.decisive_review
    chooses it: the latest submitted appeal, adjudication or primary review, in that order."""
    kinds = Review.Kind
    order = (
        [kinds.APPEAL, kinds.ADJUDICATION, kinds.PRIMARY]
        if appealed
        else [kinds.ADJUDICATION, kinds.PRIMARY, kinds.SECOND]
    )
    for kind in order:
        mine = [(at, pk) for pk, (k, at, _) in reviews.items() if k == kind]
        if mine:
            latest = max(mine, key=lambda item: (item[0] or timezone.now(), item[1]))
            return reviews[latest[1]][2]
    return {}


def achieved_levels(award: Award, facts: VersionFacts | None = None) -> dict[int, int | None]:
    """Section id → level id reached: the awarded hand-in's decisive review, and for sections
    it did not cover (a resubmission), the passing score of the latest earlier hand-in. One
    query for all of them."""
    submission = award.decision.submission
    facts = facts or version_facts(award.attempt.version)
    hand_ins: dict[int, tuple[int, bool, dict[int, tuple[str, Any, dict[int, int | None]]]]] = {}
    rows = _fetch(_scores_sql(), [submission.attempt_id, submission.number, submission.pk])
    for sub_id, number, review_id, kind, at, section_id, level_id, appealed in rows:
        entry = hand_ins.setdefault(sub_id, (number, bool(appealed), {}))
        review = entry[2].setdefault(review_id, (kind, _aware(at), {}))
        review[2][section_id] = level_id
    current = hand_ins.pop(submission.pk, None)
    achieved = dict(_decisive(current[2], bool(award.decision.appeal_id))) if current else {}
    passing = {section.pk: section.passing_level for section, _ in facts.sections}
    for _number, appealed, reviews in sorted(hand_ins.values(), key=lambda e: -e[0]):
        for section_id, level_id in _decisive(reviews, appealed).items():
            if section_id in achieved or level_id is None:
                continue
            level, bar = facts.levels.get(level_id), passing.get(section_id)
            if level is not None and (bar is None or level.position >= bar.position):
                achieved[section_id] = level_id
    return achieved


def award_facts(award: Award) -> AwardFacts:
    """Everything the credential says about an award read with `award_for_issuing`."""
    version = award.attempt.version
    facts = version_facts(version)
    achieved = achieved_levels(award, facts)

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
