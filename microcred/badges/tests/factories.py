"""Builders for badge tests: an award reached through the real services, so the badge
task runs as it does in production (tests run tasks immediately)."""

from __future__ import annotations

from microcred.assessment import services as assessment
from microcred.assessment.models import Award
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.catalog.models import Credential
from microcred.core.models import User


def awarded(
    *,
    educator: User,
    credential: Credential,
    assessor: User,
    issuer: User,
) -> Award:
    """The educator hands in, the assessor passes every section, the issuer awards."""
    if not credential.pools.exists():
        pool(credential.organization, credential, [assessor])
    submission = submitted_attempt(educator, credential)
    submit_review(submission.reviews.get())
    assessment.submission_decide(
        actor=issuer, submission=submission, outcome="award", reason="Strong evidence."
    )
    return Award.objects.get(attempt=submission.attempt)
