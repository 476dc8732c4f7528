"""Background work of the badges app: signing the credential of a new award."""

from __future__ import annotations

from django.tasks import task


@task(queue_name="default")
def issue_award_credential(award_id: int) -> str:
    """Compose, sign and store the Open Badges 3.0 credential of an award (idempotent)."""
    from microcred.assessment.models import Award
    from microcred.badges.services import credential_issue

    return str(credential_issue(award=Award(pk=award_id)).public_id)
