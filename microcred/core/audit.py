"""The audit trail: one AuditEvent per state change, written inside the service's transaction.

Event names come from `Event`, the one registry of them: a service cannot write a verb
nobody listed, and a page or report that filters on one can find every place it is written.
The values are the dotted verbs stored in `AuditEvent.verb`; existing rows keep matching.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models

from microcred.core.models import AuditEvent, Organization

if TYPE_CHECKING:
    from microcred.core.models import User


class Event(StrEnum):
    """Every audit verb, grouped by the app that writes it."""

    # core
    ORGANIZATION_CREATED = "organization.created"
    ORGANIZATION_LINKEDIN_CHANGED = "organization.linkedin_changed"
    MEMBERSHIP_GRANTED = "membership.granted"
    MEMBERSHIP_REVOKED = "membership.revoked"
    INVITATION_CREATED = "invitation.created"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_REVOKED = "invitation.revoked"
    USER_PROFILE_UPDATED = "user.profile_updated"

    # catalog: the design studio (subject: catalog.Credential)
    CREDENTIAL_CREATED = "credential.created"
    CREDENTIAL_DRAFT_EDITED = "credential.draft_edited"
    CREDENTIAL_SUBMITTED_FOR_REVIEW = "credential.submitted_for_review"
    CREDENTIAL_WITHDRAWN_FROM_REVIEW = "credential.withdrawn_from_review"
    CREDENTIAL_CHANGES_REQUESTED = "credential.changes_requested"
    CREDENTIAL_PUBLISHED = "credential.published"
    CREDENTIAL_VERSION_STARTED = "credential.version_started"
    CREDENTIAL_VERSION_DISCARDED = "credential.version_discarded"
    CREDENTIAL_RETIRED = "credential.retired"
    CREDENTIAL_REINSTATED = "credential.reinstated"
    CREDENTIAL_VISIBILITY_CHANGED = "credential.visibility_changed"
    CREDENTIAL_DISCARDED = "credential.discarded"

    # earning (subject: earning.Attempt)
    ATTEMPT_STARTED = "attempt.started"
    ATTEMPT_PRE_REFLECTION_COMPLETED = "attempt.pre_reflection_completed"
    ATTEMPT_REFLECTION_SAVED = "attempt.reflection_saved"
    ATTEMPT_RESOURCE_TICKED = "attempt.resource_ticked"
    ATTEMPT_RESOURCE_UNTICKED = "attempt.resource_unticked"
    ATTEMPT_SUBMITTED = "attempt.submitted"
    ATTEMPT_RESUBMITTED = "attempt.resubmitted"
    ATTEMPT_WITHDRAWN = "attempt.withdrawn"
    ATTEMPT_COMMENTED = "attempt.commented"
    EVIDENCE_ADDED = "evidence.added"
    EVIDENCE_WRITTEN = "evidence.written"
    EVIDENCE_REMOVED = "evidence.removed"
    EVIDENCE_UPLOAD_STARTED = "evidence.upload_started"

    # assessment
    SUBMISSION_ROUTED = "submission.routed"
    SUBMISSION_ADJUDICATION_NEEDED = "submission.adjudication_needed"
    SUBMISSION_REVIEWED = "submission.reviewed"
    SUBMISSION_DECIDED = "submission.decided"
    REVIEW_STARTED = "review.started"
    REVIEW_DRAFT_SAVED = "review.draft_saved"
    REVIEW_SUBMITTED = "review.submitted"
    REVIEW_DECLINED = "review.declined"
    REVIEW_REASSIGNED = "review.reassigned"
    REVIEW_REMINDED = "review.reminded"
    DECISION_APPEALED = "decision.appealed"
    POOL_CREATED = "pool.created"
    POOL_UPDATED = "pool.updated"
    POOL_MEMBER_ADDED = "pool.member_added"
    POOL_MEMBER_REMOVED = "pool.member_removed"

    # programs (subject: programs.Stack)
    STACK_CREATED = "stack.created"
    STACK_PUBLISHED = "stack.published"
    STACK_COMPLETED = "stack.completed"
    STACK_STATUS_ENDED = "stack.status_ended"
    STACK_STATUS_RESTORED = "stack.status_restored"
    AGREEMENT_PROPOSED = "agreement.proposed"
    AGREEMENT_DECIDED = "agreement.decided"
    PROGRAM_TERMS_SET = "program.terms_set"
    FEE_WAIVED = "program.fee_waived"
    LEDGER_APPROVED = "program.ledger_approved"
    CREDENTIAL_RECOMMENDED = "program.credential_recommended"
    RECOMMENDATION_DISMISSED = "program.recommendation_dismissed"
    # programs: licensure credit (subject: programs.CreditEntry or RenewalRule; a transcript:
    # its earner)
    CREDIT_RECORDED = "licensure.credit_recorded"
    RENEWAL_RULE_SAVED = "licensure.rule_saved"
    CREDIT_CYCLE_SET = "licensure.cycle_set"
    TRANSCRIPT_ISSUED = "licensure.transcript_issued"

    # rosters (subject: rosters.RosterImport)
    ROSTER_CHECKED = "roster.checked"
    ROSTER_IMPORTED = "roster.imported"
    ROSTER_CONFIRMED = "roster.confirmed"
    ROSTER_FAILED = "roster.failed"
    ROSTER_ROLES_SET = "roster.roles_set"  # subject: rosters.RosterSettings
    SSO_SAVED = "sso.saved"  # subject: rosters.SingleSignOn
    # subject: the socialaccount.SocialAccount linked at a first sign-in
    SSO_LINKED = "sso.linked"
    SSO_SIGNED_IN_NEW = "sso.signed_in_new"  # a new educator, when the district allows it

    # badges (subject: badges.IssuedCredential, badges.IssuerKey, assessment.Award)
    ISSUER_KEY_CREATED = "issuer_key.created"
    ISSUER_KEY_ROTATED = "issuer_key.rotated"
    ISSUER_KEY_COMPROMISED = "issuer_key.compromised"
    BADGE_ISSUED = "credential.issued"
    BADGE_REVOKED = "credential.revoked"
    # Its own name: "credential.reinstated" is the catalog's retired credential made active.
    BADGE_UNREVOKED = "credential.unrevoked"
    BADGE_PREFERENCES_CHANGED = "badge.preferences_changed"


def record(
    actor: User | None,
    verb: Event,
    subject: models.Model,
    *,
    organization: Organization | None = None,
    **data: Any,
) -> AuditEvent:
    """Write one event; `verb` is a member of `Event`, `data` must be JSON-safe."""
    if organization is None:
        organization = (
            subject if isinstance(subject, Organization) else getattr(subject, "organization", None)
        )
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb.value,
        organization=organization,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        data=data,
    )


def history(subject: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")
