"""The review screen and the feedback page in real Chromium, checked with axe-core."""

from __future__ import annotations

import pytest

from microcred.assessment import services
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.core.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    """Riverbend's published "Exit tickets": three sections, "Proficient" passes each."""
    from microcred.catalog.tests.factories import published_credential

    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


def test_review_screen_and_feedback_page_are_accessible(
    visit, world, credential, educator_ana, assessor_ben, issuer_carla
):
    pool(world.north.organization, credential, [assessor_ben])
    review = submitted_attempt(educator_ana, credential).reviews.get()

    ben = visit()
    ben.sign_in(assessor_ben.email, PASSWORD)
    ben.goto(review.get_absolute_url())
    ben.page.get_by_role("button", name="Submit review").click()
    ben.page.wait_for_load_state()
    ben.check()  # the refused review, with its errors next to the fields
    assert "Choose a level" in ben.page.content()
    ben.screenshot("assessment-review-errors")
    ben.goto(review.get_absolute_url())
    ben.screenshot("assessment-review")

    submit_review(review, failing={"Section 2"})
    services.submission_decide(
        actor=issuer_carla, submission=review.submission, outcome="not_yet", reason="Section 2."
    )
    ana = visit()
    ana.sign_in(educator_ana.email, PASSWORD)
    page = ana.goto(f"/assessment/attempts/{review.submission.attempt.public_id}/feedback/")
    assert "Section 2: show the regrouping next day." in page.content()
    ana.screenshot("assessment-feedback")
