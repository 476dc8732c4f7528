"""Telling people what happened: an in-app Notification row and an email, after commit.

Services call `notify()` inside their transaction; the rows are written with the
change (so a rolled-back change leaves no notice) and the email is queued only once
the transaction commits (so a refused action sends nothing). The person who acted is
never told of their own action.

A notice that asks for work names what it is about (`subject`, from `subject_of`); the
service that does that work calls `notifications_resolve` in its transaction, and the
notice shows as done and stops counting as unread, whoever did the work.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from microcred.core import usercache
from microcred.core.mail import send_templated
from microcred.core.models import Notification

if TYPE_CHECKING:
    from microcred.core.models import User


class Verb(StrEnum):
    """Every kind of notice, grouped by the app that sends it (stored in `Notification.verb`)."""

    # catalog: the design studio
    CREDENTIAL_REVIEW_REQUESTED = "credential.review_requested"
    CREDENTIAL_CHANGES_REQUESTED = "credential.changes_requested"
    CREDENTIAL_PUBLISHED = "credential.published"

    # earning
    ATTEMPT_SUBMITTED = "attempt.submitted"
    ATTEMPT_COMMENTED = "attempt.commented"

    # assessment
    REVIEW_ASSIGNED = "review.assigned"
    REVIEW_UNASSIGNED = "review.unassigned"
    REVIEW_REASSIGNED = "review.reassigned"
    REVIEW_DUE_SOON = "review.due_soon"
    REVIEW_OVERDUE = "review.overdue"
    SUBMISSION_REVIEWED = "submission.reviewed"
    APPEAL_REVIEWED = "appeal.reviewed"
    SUBMISSION_DECIDED = "submission.decided"
    DECISION_APPEALED = "decision.appealed"

    # programs
    AGREEMENT_PROPOSED = "agreement.proposed"
    AGREEMENT_DECIDED = "agreement.decided"
    CREDENTIAL_RECOMMENDED = "credential.recommended"

    # badges
    CREDENTIAL_ISSUED = "credential.issued"
    CREDENTIAL_REISSUED = "credential.reissued"
    CREDENTIAL_RENEWED = "credential.renewed"
    CREDENTIAL_REVOKED = "credential.revoked"
    CREDENTIAL_REINSTATED = "credential.reinstated"


def subject_of(obj: models.Model) -> str:
    """The key of the thing a notice is about: "assessment.review:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def notify(
    users: Iterable[User | None],
    *,
    actor: User | None,
    verb: Verb,
    text: str,
    url: str = "",
    subject: str = "",
    email_template: str = "",
    context: dict[str, Any] | None = None,
) -> None:
    """Write one notice per person except `actor` and, when `email_template` is given, email
    each of them (`<template>_subject.txt` / `<template>.txt`, rendered with `context`,
    `user`, `url`). `subject` (see `subject_of`) lets `notifications_resolve` close it."""
    verb = Verb(verb)  # a free string is an error here, not a notice nobody can filter on
    actor_id = actor.pk if actor is not None else None
    recipients = {
        user.pk: user
        for user in users
        if user is not None and user.is_active and user.pk != actor_id
    }
    if not recipients:
        return
    Notification.objects.bulk_create(
        Notification(user=user, verb=verb, text=text[:300], url=url, subject=subject)
        for user in recipients.values()
    )
    usercache.forget(recipients.keys())  # their unread count in the header
    if not email_template:
        return
    base = dict(context or {})

    def send() -> None:
        for user in recipients.values():
            send_templated(
                to=[user.email],
                template=email_template,
                context={**base, "user": user, "url": url, "text": text},
            )

    transaction.on_commit(send)


def notifications_resolve(*, subject: str) -> int:
    """The work a notice asked for was done (by anyone): its notices show as done and no
    longer count as unread. Called by the service that does the work, in its transaction."""
    if not subject:
        return 0
    # The notices by id, so exactly the people whose unread count changes are told the cache.
    open_notices = dict(
        Notification.objects.filter(subject=subject, resolved_at__isnull=True).values_list(
            "pk", "user_id"
        )
    )
    if not open_notices:
        return 0
    usercache.forget(open_notices.values())
    return Notification.objects.filter(pk__in=open_notices, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def unread_count(user: User) -> int:
    """Unread notices; read with the user itself on each request (see `core.auth`), from the
    shared cache (`core.usercache`) unless a notice was written or read since."""
    loaded: int | None = getattr(user, "_unread", None)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(
        user=user, read_at__isnull=True, resolved_at__isnull=True
    ).count()
