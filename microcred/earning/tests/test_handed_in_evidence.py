"""Assessors and issuers see the evidence that was handed in, not what was added since.

After a "not yet" the educator works on the attempt again: a new file she adds (and has
not handed in) is hers, her coach's and her school leader's to open, and a 404 for the
assessor and the issuer; the file she removes stays readable for them, because the hand-in
they judged included it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from microcred.assessment import services as assessment
from microcred.assessment.tests.factories import pool, submit_review
from microcred.earning import services
from microcred.earning.models import Evidence, EvidenceAccess
from microcred.earning.tests.factories import (
    PDF,
    earnable_credential,
    submitted_attempt,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_yet(designer_dan, reviewer_rita, north, educator_ana, assessor_ben, issuer_carla):
    """Ana's hand-in was judged "not yet"; she then added a new plan and removed the old."""
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    pool(north, credential, [assessor_ben])
    submission = submitted_attempt(educator_ana, credential)
    submit_review(submission.reviews.get(), failing={"Section 1"})
    assessment.submission_decide(
        actor=issuer_carla, submission=submission, outcome="not_yet", reason="Show the regrouping."
    )
    attempt = submission.attempt
    attempt.refresh_from_db()
    handed_in = Evidence.objects.get(attempt=attempt, requirement__kind="document")
    added = services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=handed_in.requirement,
        upload=upload("new-plan.pdf", PDF),
    )
    services.evidence_remove(actor=educator_ana, evidence=handed_in)
    return attempt, handed_in, added


def test_an_assessor_and_the_issuer_cannot_open_evidence_added_after_the_hand_in(
    client, not_yet, assessor_ben, issuer_carla
):
    _attempt, handed_in, added = not_yet
    for person in (assessor_ben, issuer_carla):
        client.force_login(person)
        assert client.get(added.get_absolute_url()).status_code == 404
        assert client.get(added.get_absolute_url() + "?download=1").status_code == 404
        assert client.get(handed_in.get_absolute_url()).status_code == 200
    assert not EvidenceAccess.objects.filter(evidence=added).exists()


def test_an_assessor_and_the_issuer_see_the_hand_in_on_the_attempt_pages(
    client, not_yet, assessor_ben, issuer_carla
):
    attempt, handed_in, added = not_yet
    for person in (assessor_ben, issuer_carla):
        client.force_login(person)
        page = client.get(reverse("earning:evidence", args=[attempt.public_id])).content.decode()
        assert str(handed_in.public_id) in page and handed_in.file_name in page
        assert str(added.public_id) not in page and "new-plan.pdf" not in page


def test_the_educator_and_her_supporters_see_her_current_evidence(
    client, not_yet, educator_ana, coach_carmen, principal_dee
):
    attempt, handed_in, added = not_yet
    for person in (educator_ana, coach_carmen, principal_dee):
        client.force_login(person)
        assert client.get(added.get_absolute_url()).status_code == 200
        page = client.get(reverse("earning:evidence", args=[attempt.public_id])).content.decode()
        assert str(added.public_id) in page
        assert str(handed_in.public_id) not in page  # removed since


def test_the_review_page_shows_the_hand_in_it_judged(client, not_yet, assessor_ben):
    attempt, handed_in, added = not_yet
    review = attempt.submissions.get().reviews.get()
    client.force_login(assessor_ben)
    page = client.get(review.get_absolute_url()).content.decode()
    assert str(handed_in.public_id) in page
    assert str(added.public_id) not in page
