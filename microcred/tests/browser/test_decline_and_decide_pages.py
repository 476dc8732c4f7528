"""Declining, assigning by name, the read-only review and the issuer's decide page with the
evidence, and the invitation meant for another address, in real Chromium with axe-core."""

from __future__ import annotations

import pytest

from microcred.assessment.models import Review
from microcred.assessment.tests.factories import assessor, pool, submit_review, submitted_attempt
from microcred.core import services as core_services
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD
from microcred.earning.tests.factories import earnable_credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_decline_assign_by_name_and_decide_with_the_evidence(
    visit,
    world,
    designer_dan,
    reviewer_rita,
    north,
    educator_ana,
    assessor_ben,
    admin_adam,
    issuer_carla,
):
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    pool(world.north.organization, credential, [assessor_ben])
    review = submitted_attempt(educator_ana, credential).reviews.get()
    fay = assessor(world.north.organization, "Fay")

    ben = visit()
    ben.sign_in(assessor_ben.email, PASSWORD)
    ben.goto(review.get_absolute_url())
    ben.page.get_by_text("Decline this review").click()
    ben.page.get_by_label("Why do you decline?").fill("I coached her last year.")
    ben.page.get_by_role("button", name="Decline", exact=True).click()
    ben.page.wait_for_load_state()
    ben.check()
    assert "No other assessor in the pool is free for it" in ben.page.content()
    ben.goto(review.get_absolute_url())  # the declined review, read only
    ben.screenshot("review-declined")
    assert "You declined this review" in ben.page.content()
    assert ben.page.locator("a[href*='/evidence/']").count() == 0

    slot = Review.objects.get(submission=review.submission, state=Review.State.UNASSIGNED)
    adam = visit()
    adam.sign_in(admin_adam.email, PASSWORD)
    adam.goto(f"/assessment/reviews/{slot.public_id}/reassign/")
    adam.screenshot("review-assign-by-name")
    adam.page.get_by_label("Give it to").select_option(str(fay.pk))
    adam.page.get_by_role("button", name="Assign").click()
    adam.page.wait_for_load_state()
    adam.check()
    slot.refresh_from_db()
    assert slot.assessor == fay

    submit_review(slot, failing={"Section 2"})
    carla = visit()
    carla.sign_in(issuer_carla.email, PASSWORD)
    page = carla.goto(f"/assessment/submissions/{review.submission_id}/decide/")
    carla.screenshot("decide-with-evidence")
    assert page.locator("video.evidence-viewer__video").count() == 1
    assert "I coached her last year." in page.content()
    assert "Section 2: show the regrouping next day." in page.content()
    carla.screenshot("assessment-decide-with-evidence")


def test_an_invitation_for_another_address_says_so(visit, world, admin_adam):
    invitation = core_services.invitation_create(
        actor=admin_adam,
        organization=world.north.school,
        email="new.teacher@riverbend.example",
        role=Role.EDUCATOR,
    )
    lee = visit()
    lee.sign_in(world.south.people[Role.EDUCATOR].email, PASSWORD)
    page = lee.goto(f"/invitations/{invitation.token}/")
    lee.screenshot("invitation-other-address")
    assert "This invitation is for another address" in page.content()
    page.get_by_role("button", name="Sign out and use new.teacher@riverbend.example").click()
    page.wait_for_load_state()
    lee.check()
    assert "Create my account" in page.content()
