"""Ana after a "not yet", in real Chromium with axe-core: the attempt page shows what did not
pass with the assessor's feedback and what carries over, the task page shows the feedback
beside the evidence the failed section is judged on; her principal reads it in her name. On a phone too."""

from __future__ import annotations

import pytest

from microcred.assessment import services
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.core.tests.factories import PASSWORD
from microcred.earning import services as earning_services
from microcred.earning.tests.factories import earnable_credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEEDBACK = "Section 2: show the regrouping next day."


def test_ana_after_not_yet_sees_the_feedback_where_she_reworks(
    visit,
    world,
    designer_dan,
    reviewer_rita,
    north,
    educator_ana,
    assessor_ben,
    issuer_carla,
    coach_carmen,
    principal_dee,
):
    # Section 2 is judged on the lesson plan alone; the others on all the evidence.
    credential = earnable_credential(
        designer_dan, reviewer_rita, north, ties={"Section 2": ["Lesson plan"]}
    )
    pool(world.north.organization, credential, [assessor_ben])
    submission = submitted_attempt(educator_ana, credential)
    submit_review(submission.reviews.get(), failing={"Section 2"})
    services.submission_decide(
        actor=issuer_carla,
        submission=submission,
        outcome="not_yet",
        reason="Section 2 needs the next day's lesson.",
    )
    attempt = submission.attempt
    earning_services.comment_add(
        actor=coach_carmen,
        attempt=attempt,
        body="Film the regrouping station tomorrow; I can help you set up the camera.",
    )

    for width, name in ((1280, "desktop"), (390, "phone")):
        ana = visit(width=width, height=900)
        ana.sign_in(educator_ana.email, PASSWORD)
        page = ana.goto(f"/attempts/{attempt.public_id}/")
        guidance = page.locator("#not-yet-feedback")
        assert guidance.get_by_role("heading", name="What to rework").is_visible()
        assert guidance.get_by_text(FEEDBACK).is_visible()
        assert guidance.get_by_text("Section 1").is_visible()  # carried over
        assert page.locator(".checklist__item--redo").count() == 1
        assert guidance.get_by_text("Judged on Lesson plan.").is_visible()
        assert page.locator(".coach-notes:visible").get_by_text("Film the regrouping").is_visible()
        width_now = page.evaluate("document.documentElement.scrollWidth")
        assert width_now <= width, f"the attempt page is {width_now}px wide on {width}px"
        ana.screenshot(f"notyet-attempt-{name}")

        page = ana.goto(f"/attempts/{attempt.public_id}/evidence/")
        plan = page.locator(".evidence-requirement", has_text="Lesson plan")
        assert plan.get_by_text("Look at this again").is_visible()
        assert plan.get_by_text(FEEDBACK).is_visible()
        video = page.locator(".evidence-requirement", has_text="Classroom video")
        assert video.get_by_text("Nothing to rework here").is_visible()
        assert video.get_by_text(FEEDBACK).count() == 0
        ana.screenshot(f"notyet-evidence-{name}")

    dee = visit()
    dee.sign_in(principal_dee.email, PASSWORD)
    page = dee.goto(f"/attempts/{attempt.public_id}/evidence/")
    short = educator_ana.get_short_name()
    assert page.get_by_role("heading", name=f"{short}’s evidence").is_visible()
    assert page.get_by_text(f"{short}’s answer").is_visible()
    assert page.locator("textarea").count() == 0
    dee.screenshot("notyet-evidence-principal")
    page = dee.goto(f"/attempts/{attempt.public_id}/reflection/pre/")
    assert page.locator("textarea").count() == 0
    dee.screenshot("notyet-reflection-principal")
