"""Background work of the badges app: signing the credential of a new award, catching up on
any award whose credential is missing (a task that failed or was lost), and issuing again
what a compromised key signed."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from microcred.assessment.models import Award
from microcred.badges.models import IssuedCredential, IssuerKey
from microcred.badges.services import (
    REISSUE_BATCH,
    credential_issue,
    credentials_reissue_after_compromise,
)


def award_made(*, award_id: int) -> None:
    """The lifecycle handler for "award.made" (settings.LIFECYCLE_HANDLERS): sign the
    award's badge in the worker once the award is committed."""
    transaction.on_commit(lambda: issue_award_credential.enqueue(award_id))


@task(queue_name="default")
def issue_award_credential(award_id: int) -> str:
    """Compose, sign and store the Open Badges 3.0 credential of an award (idempotent)."""
    return str(credential_issue(award=Award(pk=award_id)).public_id)


@task(queue_name="default")
def issue_pending_credentials(limit: int = 1000) -> int:
    """Sign the credential of awards that have none (hourly from `make run`; at scale,
    `manage.py issue_pending_credentials` from cron)."""
    pending = Award.objects.filter(credentials__isnull=True).order_by("pk")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    for award_id in ids:
        credential_issue(award=Award(pk=award_id))
    return len(ids)


@task(queue_name="default")
def reissue_compromised_credentials(key_id: int) -> int:
    """Issue again, with the active key, the credentials a compromised key signed: one batch
    per run, then the task enqueues itself again until none is left (so a large issuer does
    not hold one worker for long). Safe to run twice: only active copies signed with the
    compromised key are taken."""
    done = credentials_reissue_after_compromise(key=IssuerKey(pk=key_id), limit=REISSUE_BATCH)
    left = IssuedCredential.objects.filter(
        issuer_key_id=key_id, state=IssuedCredential.State.ACTIVE
    ).exists()
    if left:
        reissue_compromised_credentials.enqueue(key_id=key_id)
    return done
