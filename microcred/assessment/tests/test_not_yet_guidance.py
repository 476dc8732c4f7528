"""After a "not yet", the attempt page and the task page guide the rework where it is done:
the sections that did not pass with the assessor's feedback (assessment's part of earning's
pages, core.parts), what carries over, no "done" on evidence still as it was handed in, the
coach's comments beside it; nothing of another organization's, and nothing the assessor
kept to the staff. A coach or principal reads "Ana's evidence", and her answers as text."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from microcred.assessment import services
from microcred.assessment.models import Review
from microcred.assessment.tests.factories import assessor, pool, submit_review
from microcred.catalog.models import EvidenceKind
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Role
from microcred.earning import services as earning_services
from microcred.earning.models import Attempt
from microcred.earning.tests.factories import PDF, earnable_credential, submitted_attempt, upload

pytestmark = pytest.mark.django_db

FEEDBACK = "Section 2: show the regrouping next day."  # factories.scores_for's words
SUMMARY = "Clear tickets; the regrouping is the strength of this work."
DECLINED = "Private: I coached her last year and know the class."


def _not_yet(educator, credential, issuer, *, decline_first: bool = False) -> Attempt:
    submission = submitted_attempt(educator, credential)
    review = submission.reviews.get()
    if decline_first:
        assert review.assessor is not None
        review = services.review_decline(actor=review.assessor, review=review, reason=DECLINED)
    submit_review(review, failing={"Section 2"})
    services.submission_decide(
        actor=issuer, submission=submission, outcome="not_yet", reason="Rework section 2."
    )
    return Attempt.objects.get(pk=submission.attempt_id)


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return earnable_credential(designer_dan, reviewer_rita, north)


@pytest.fixture
def attempt(world, credential, educator_ana, assessor_ben, issuer_carla) -> Attempt:
    pool(world.north.organization, credential, [assessor_ben])
    return _not_yet(educator_ana, credential, issuer_carla)


def _page(client, user, name, attempt, *args):
    client.force_login(user)
    response = client.get(reverse(name, args=[attempt.public_id, *args]))
    assert response.status_code == 200
    return response.content.decode()


def _requirement(page: str, attempt: Attempt, title: str) -> str:
    """The text of one requirement's card on the task page."""
    requirement = attempt.version.evidence_requirements.get(title=title)
    card = html.fromstring(page).get_element_by_id(f"requirement-{requirement.pk}")
    return " ".join(card.text_content().split())


def _checklist_item(page: str, title: str) -> tuple[str, str]:
    """(class, text) of the attempt page's checklist line of one requirement."""
    for item in html.fromstring(page).get_element_by_id("submit-checklist").iter("li"):
        text = " ".join(item.text_content().split())
        if item.findtext("span/strong") == title:
            return item.get("class") or "", text
    raise AssertionError(f"{title} is not on the checklist")


def test_the_attempt_page_names_the_failed_section_its_feedback_and_what_carries_over(
    client, attempt, educator_ana
):
    page = _page(client, educator_ana, "earning:attempt", attempt)
    guidance = html.fromstring(page).get_element_by_id("not-yet-feedback")
    text = " ".join(guidance.text_content().split())
    assert "What to rework" in text
    did_not_pass = text.split("Did not pass", 1)[1].split("Carried over", 1)[0]
    assert "Section 2" in did_not_pass and FEEDBACK in did_not_pass
    assert "Section 1" not in did_not_pass and "Section 3" not in did_not_pass
    carried = text.split("Carried over", 1)[1]
    assert "Section 1" in carried and "Section 3" in carried and "Section 2" not in carried
    assert "Rework section 2." in text  # the issuer's note
    assert SUMMARY in text
    # Which evidence the section was judged on: all of it (the catalog ties none to one).
    assert "Classroom video, Lesson plan, What you changed" in text


def test_evidence_as_it_was_handed_in_is_not_done_on_the_checklist_until_changed(
    client, attempt, educator_ana
):
    page = _page(client, educator_ana, "earning:attempt", attempt)
    for title in ("Classroom video", "Lesson plan", "What you changed"):
        css, text = _checklist_item(page, title)
        assert "checklist__item--redo" in css
        assert "done" not in text and "look at it again" in text and "Section 2" in text
    assert _checklist_item(page, "Pre-reflection")[0] == ""  # not evidence: still done
    submit = _page(client, educator_ana, "earning:submit", attempt)
    assert "checklist__item--redo" in _checklist_item(submit, "Lesson plan")[0]
    steps = html.fromstring(page).find_class("attempt-steps__item")
    task = next(s for s in steps if "Do the task" in s.text_content())
    assert "is-done" not in task.get("class")

    written = attempt.version.evidence_requirements.get(kind=EvidenceKind.WRITTEN)
    earning_services.evidence_write(
        actor=educator_ana, attempt=attempt, requirement=written, text="Regrouped the next day."
    )
    page = _page(client, educator_ana, "earning:attempt", attempt)
    css, text = _checklist_item(page, "What you changed")
    assert "redo" not in css and "changed since the feedback" in text
    assert "checklist__item--redo" in _checklist_item(page, "Lesson plan")[0]


def test_the_task_page_shows_the_feedback_beside_each_requirement_and_no_done(
    client, attempt, educator_ana
):
    page = _page(client, educator_ana, "earning:evidence", attempt)
    for title in ("Classroom video", "Lesson plan", "What you changed"):
        card = _requirement(page, attempt, title)
        assert "Look at this again" in card and "“Section 2” did not pass" in card
        assert FEEDBACK in card
        assert "done" not in card.lower().replace("don’t", "")
    assert "“Section 1” and “Section 3” passed and carry over" in page

    written = attempt.version.evidence_requirements.get(kind=EvidenceKind.WRITTEN)
    earning_services.evidence_write(
        actor=educator_ana, attempt=attempt, requirement=written, text="Regrouped the next day."
    )
    page = _page(client, educator_ana, "earning:evidence", attempt)
    changed = _requirement(page, attempt, "What you changed")
    assert "Changed since the feedback" in changed and "Look at this again" not in changed
    assert FEEDBACK in changed  # the feedback stays beside it
    assert "Look at this again" in _requirement(page, attempt, "Lesson plan")


def test_the_coachs_comments_sit_beside_the_feedback(client, attempt, educator_ana, coach_carmen):
    earning_services.comment_add(
        actor=coach_carmen, attempt=attempt, body="Film the regrouping station tomorrow."
    )
    for name in ("earning:attempt", "earning:evidence"):
        page = _page(client, educator_ana, name, attempt)
        corner = html.fromstring(page).find_class("coach-notes")[0].text_content()
        assert "From your coach" in corner
        assert "Film the regrouping station tomorrow." in corner


def test_the_guidance_comes_through_assessments_part_and_earning_still_names_the_sections(
    client, settings, attempt, educator_ana
):
    settings.PAGE_PARTS = {}
    page = _page(client, educator_ana, "earning:attempt", attempt)
    assert FEEDBACK not in page and 'id="not-yet-feedback"' not in page
    assert "Rework “Section 2”" in page  # the terms the decision wrote onto the attempt
    task = _page(client, educator_ana, "earning:evidence", attempt)
    assert "Look at this again" in _requirement(task, attempt, "Lesson plan")


def test_another_organizations_feedback_never_shows(
    client, world, attempt, educator_ana, coach_carmen
):
    south = world.south
    theirs = earnable_credential(
        south.people[Role.DESIGNER], south.people[Role.REVIEWER], south.organization
    )
    lakeshore_ben = south.people[Role.ASSESSOR]
    pool(south.organization, theirs, [lakeshore_ben])
    submission = submitted_attempt(south.people[Role.EDUCATOR], theirs)
    services.review_save(
        actor=lakeshore_ben,
        review=submission.reviews.get(),
        scores={
            s.pk: (s.levels.order_by("position").first().pk, "Lakeshore: redo the grouping chart.")
            for s in submission.sections.all()
        },
        recommendation="not_yet",
        summary="Lakeshore summary, for their educator only.",
        submit=True,
    )
    services.submission_decide(
        actor=south.people[Role.ISSUER], submission=submission, outcome="not_yet", reason="LS."
    )
    for user in (educator_ana, coach_carmen):
        for name in ("earning:attempt", "earning:evidence"):
            page = _page(client, user, name, attempt)
            assert "Lakeshore" not in page
            assert FEEDBACK in page
        client.force_login(user)
        for name in ("earning:attempt", "earning:evidence"):
            assert client.get(reverse(name, args=[submission.attempt.public_id])).status_code == 404


def test_the_educator_never_reads_what_the_assessors_kept_to_the_staff(
    client, world, credential, educator_ana, assessor_ben, issuer_carla
):
    fay = assessor(world.north.organization, "Fay")
    pool(world.north.organization, credential, [assessor_ben, fay])
    attempt = _not_yet(educator_ana, credential, issuer_carla, decline_first=True)
    assert Review.objects.filter(closed_reason=DECLINED).exists()
    for name in ("earning:attempt", "earning:evidence"):
        page = _page(client, educator_ana, name, attempt)
        assert FEEDBACK in page
        assert DECLINED not in page


def test_a_principal_reads_anas_work_in_her_name_and_as_text(
    client, attempt, principal_dee, educator_ana
):
    ana = educator_ana.get_short_name()
    page = _page(client, principal_dee, "earning:attempt", attempt)
    assert f"{ana}’s evidence" in page and "Your evidence" not in page
    assert FEEDBACK in page  # she can act as a thought partner on the rework
    task = _page(client, principal_dee, "earning:evidence", attempt)
    assert f"{ana}’s evidence" in task and f"{ana}’s answer" in task
    assert "Your answer" not in task and "Your evidence" not in task
    assert "<textarea" not in task
    assert "I regrouped six students" in task  # the answer, as text
    for phase in ("pre", "post"):
        page = _page(client, principal_dee, "earning:reflection", attempt, phase)
        assert f"{ana}’s {phase}-reflection" in page
        assert "<textarea" not in page and "Tips" not in page
    assert "The tickets showed me who needed a reteach" in page


def test_the_educator_still_edits_in_boxes_after_not_yet(client, attempt, educator_ana):
    task = _page(client, educator_ana, "earning:evidence", attempt)
    assert "Your answer" in task and "<textarea" in task and "Your evidence" in task


def _queries(client, user, name, attempt) -> int:
    client.force_login(user)
    url = reverse(name, args=[attempt.public_id])
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_read_a_fixed_number_of_queries_however_much_there_is(
    client,
    world,
    attempt,
    designer_dan,
    reviewer_rita,
    north,
    educator_ana,
    coach_carmen,
    assessor_ben,
    issuer_carla,
):
    # One requirement of three files, against three requirements of one or two.
    smaller = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets II")
    pool(world.north.organization, smaller, [assessor_ben])
    other = _not_yet(educator_ana, smaller, issuer_carla)
    for name in ("earning:attempt", "earning:evidence"):
        before = _queries(client, educator_ana, name, attempt)
        assert _queries(client, educator_ana, name, other) == before
        for i in range(5):
            earning_services.comment_add(actor=coach_carmen, attempt=attempt, body=f"Note {i}")
        assert _queries(client, educator_ana, name, attempt) == before


def test_the_feedback_uses_the_rubric_and_requirements_the_page_loaded(
    client, attempt, educator_ana
):
    """Earning's page loads the credential's parts; assessment's part reads them from there,
    not again (the requirements, the sections with their passing levels, their ties)."""
    client.force_login(educator_ana)
    for name in ("earning:attempt", "earning:evidence"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse(name, args=[attempt.public_id])).content.decode()
        assert FEEDBACK in page
        reads = [q["sql"] for q in queries.captured_queries]
        requirements = [q for q in reads if 'FROM "catalog_evidencerequirement" WHERE' in q]
        sections = [q for q in reads if 'FROM "catalog_rubricsection" LEFT OUTER JOIN' in q]
        # Which requirements each section is judged on: read as the version's parts were.
        ties = [q for q in reads if q.startswith('SELECT "catalog_rubricsection_evidence".')]
        assert (len(requirements), len(sections), len(ties)) == (1, 1, 0), name


def test_the_attempt_pages_read_the_hand_ins_once(client, attempt, educator_ana, coach_carmen):
    """Earning's page lists the hand-ins and assessment's part reads their decisions and
    reviews: the hand-ins, their evidence and the award are read once, for both."""
    for person in (educator_ana, coach_carmen):
        client.force_login(person)
        for name in ("earning:attempt", "earning:evidence"):
            with CaptureQueriesContext(connection) as queries:
                page = client.get(reverse(name, args=[attempt.public_id])).content.decode()
            assert FEEDBACK in page
            reads = [q["sql"] for q in queries.captured_queries]
            hand_ins = [q for q in reads if q.startswith('SELECT "earning_submission"."id"')]
            handed = [
                q
                for q in reads
                if 'FROM "earning_evidence" INNER JOIN "earning_submission_evidence"' in q
            ]
            awards = [q for q in reads if 'FROM "assessment_award"' in q]
            # The pool's resubmission terms are the feedback page's, not this part's.
            pools = [q for q in reads if 'FROM "assessment_assessorpool"' in q]
            assert (len(hand_ins), len(handed), len(awards), len(pools)) == (1, 1, 0, 0), (
                person,
                name,
            )


# ----------------------------------------------------------------------------- sections tied to evidence

TIES = {"Section 2": ["Lesson plan"], "Section 1": ["Classroom video"]}


@pytest.fixture
def tied_attempt(
    world, designer_dan, reviewer_rita, north, educator_ana, assessor_ben, issuer_carla
):
    credential = earnable_credential(designer_dan, reviewer_rita, north, title="Tied", ties=TIES)
    pool(world.north.organization, credential, [assessor_ben])
    return _not_yet(educator_ana, credential, issuer_carla)


def test_the_attempt_page_names_the_evidence_a_failed_section_is_judged_on(
    client, tied_attempt, educator_ana
):
    page = _page(client, educator_ana, "earning:attempt", tied_attempt)
    guidance = html.fromstring(page).get_element_by_id("not-yet-feedback")
    text = " ".join(guidance.text_content().split())
    did_not_pass = text.split("Did not pass", 1)[1].split("Carried over", 1)[0]
    assert "Judged on Lesson plan." in did_not_pass
    assert "Every section is judged on all the evidence" not in text


def test_the_feedback_sits_only_beside_the_evidence_the_failed_section_is_judged_on(
    client, tied_attempt, educator_ana
):
    page = _page(client, educator_ana, "earning:evidence", tied_attempt)
    plan = _requirement(page, tied_attempt, "Lesson plan")
    assert "Look at this again" in plan and "“Section 2” did not pass" in plan
    assert FEEDBACK in plan
    for title in ("Classroom video", "What you changed"):
        card = _requirement(page, tied_attempt, title)
        assert "Nothing to rework here" in card
        assert FEEDBACK not in card and "Look at this again" not in card

    attempt_page = _page(client, educator_ana, "earning:attempt", tied_attempt)
    css, text = _checklist_item(attempt_page, "Lesson plan")
    assert "checklist__item--redo" in css
    assert "look at it again: “Section 2” did not pass and is judged on it." in text
    css, text = _checklist_item(attempt_page, "Classroom video")
    assert css == "" and "changed since the feedback" not in text
    assert _checklist_item(attempt_page, "What you changed")[0] == ""


def test_changing_the_tied_evidence_is_what_completes_the_task_step(
    client, tied_attempt, educator_ana
):
    def task_done() -> bool:
        page = _page(client, educator_ana, "earning:attempt", tied_attempt)
        steps = html.fromstring(page).find_class("attempt-steps__item")
        task = next(s for s in steps if "Do the task" in s.text_content())
        return "is-done" in task.get("class")

    assert not task_done()
    written = tied_attempt.version.evidence_requirements.get(kind=EvidenceKind.WRITTEN)
    earning_services.evidence_write(
        actor=educator_ana, attempt=tied_attempt, requirement=written, text="Regrouped."
    )
    assert not task_done()  # the answer is not what Section 2 is judged on
    plan = tied_attempt.version.evidence_requirements.get(title="Lesson plan")
    old = tied_attempt.evidence.current().get(requirement=plan)
    earning_services.evidence_remove(actor=educator_ana, evidence=old)
    earning_services.evidence_upload(
        actor=educator_ana,
        attempt=tied_attempt,
        requirement=plan,
        upload=upload("plan-v2.pdf", PDF, "application/pdf"),
        caption="",
        consent=False,
    )
    assert task_done()


def test_the_assessor_reads_which_evidence_each_section_is_judged_on(
    client, world, designer_dan, reviewer_rita, north, educator_ana, assessor_ben
):
    credential = earnable_credential(designer_dan, reviewer_rita, north, title="Tied", ties=TIES)
    pool(world.north.organization, credential, [assessor_ben])
    review = submitted_attempt(educator_ana, credential).reviews.get()
    client.force_login(assessor_ben)
    page = html.fromstring(
        client.get(reverse("assessment:review", args=[review.public_id])).content
    )
    sections = {
        s.findtext("h3"): " ".join(s.text_content().split())
        for s in page.find_class("rubric-section")
    }
    assert "Judged on Lesson plan." in sections["Section 2"]
    assert "Judged on Classroom video." in sections["Section 1"]
    assert "Judged on" not in sections["Section 3"]
