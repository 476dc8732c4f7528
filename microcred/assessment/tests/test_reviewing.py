"""Reviews, decisions, resubmission and appeals through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from microcred.assessment import selectors, services
from microcred.assessment.models import Appeal, Award, Decision, Review
from microcred.assessment.tests.factories import (
    assessor,
    pool,
    scores_for,
    submit_review,
    submitted_attempt,
)
from microcred.core.errors import Incomplete, Invalid, InvalidTransition
from microcred.core.models import AuditEvent, Notification
from microcred.earning import services as earning
from microcred.earning.models import Attempt, Submission


@pytest.fixture
def routed(world, credential, educator_ana, assessor_ben):
    pool(world.north.organization, credential, [assessor_ben])
    submission = submitted_attempt(educator_ana, credential)
    return submission.reviews.get()


def _nothing_written(before_events: int, before_notes: int, before_mail: int) -> None:
    assert AuditEvent.objects.count() == before_events
    assert Notification.objects.count() == before_notes
    assert len(mail.outbox) == before_mail


def _counts() -> tuple[int, int, int]:
    return AuditEvent.objects.count(), Notification.objects.count(), len(mail.outbox)


def test_saving_a_draft_puts_the_hand_in_and_the_attempt_in_review(routed, assessor_ben):
    services.review_save(
        actor=assessor_ben,
        review=routed,
        scores={},
        recommendation="",
        summary="Half way.",
        submit=False,
    )
    routed.refresh_from_db()
    assert routed.state == Review.State.DRAFT and routed.summary == "Half way."
    submission = Submission.objects.get(pk=routed.submission_id)
    assert submission.state == "in_review" and submission.attempt.state == "in_review"


def test_feedback_is_required_for_a_section_below_its_passing_level(routed, assessor_ben):
    scores = scores_for(routed.submission, failing={"Section 2"})
    section_2 = routed.submission.sections.get(name="Section 2")
    scores[section_2.pk] = (scores[section_2.pk][0], "")
    before = _counts()
    with pytest.raises(services.ReviewIncomplete) as refused:
        services.review_save(
            actor=assessor_ben,
            review=routed,
            scores=scores,
            recommendation="not_yet",
            summary="Good start.",
            submit=True,
        )
    assert "Section 2" in refused.value.fields[f"feedback-{section_2.pk}"]
    routed.refresh_from_db()
    assert routed.state == Review.State.ASSIGNED and not routed.scores.exists()
    _nothing_written(*before)


def test_a_submitted_review_needs_every_level_a_recommendation_and_a_summary(routed, assessor_ben):
    with pytest.raises(services.ReviewIncomplete) as refused:
        services.review_save(
            actor=assessor_ben, review=routed, scores={}, recommendation="", summary="", submit=True
        )
    fields = refused.value.fields
    assert {k for k in fields if k.startswith("level-")} == {
        f"level-{s.pk}" for s in routed.submission.sections.all()
    }
    assert "recommendation" in fields and "summary" in fields


def test_award_is_refused_when_a_section_does_not_pass(routed, assessor_ben):
    with pytest.raises(services.ReviewIncomplete) as refused:
        submit_review(routed, failing={"Section 1"}, recommendation="award")
    assert "Section 1" in refused.value.fields["recommendation"]


def test_not_yet_is_refused_when_every_section_passes(routed):
    with pytest.raises(services.ReviewIncomplete) as refused:
        submit_review(routed, recommendation="not_yet")
    assert "recommend award" in refused.value.fields["recommendation"]


def test_a_review_of_a_withdrawn_hand_in_is_refused_without_side_effects(routed, assessor_ben):
    Submission.objects.filter(pk=routed.submission_id).update(state="withdrawn")
    before = _counts()
    with pytest.raises(InvalidTransition, match="withdrew"):
        submit_review(routed)
    routed.refresh_from_db()
    assert routed.state == Review.State.ASSIGNED and not routed.scores.exists()
    _nothing_written(*before)


def test_someone_else_cannot_save_the_review(routed, world):
    other = assessor(world.north.organization, "Fay")
    with pytest.raises(InvalidTransition):
        services.review_save(
            actor=other, review=routed, scores={}, recommendation="", summary="", submit=False
        )


def test_submitted_review_makes_the_hand_in_reviewed_and_tells_the_issuer(
    routed, issuer_carla, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_review(routed)
    submission = Submission.objects.get(pk=routed.submission_id)
    assert submission.state == "reviewed"
    assert Notification.objects.filter(user=issuer_carla, verb="submission.reviewed").exists()
    assert any(issuer_carla.email in m.to for m in mail.outbox)


def test_deciding_an_unreviewed_hand_in_is_refused_without_side_effects(routed, issuer_carla):
    before = _counts()
    with pytest.raises(InvalidTransition, match="only a reviewed"):
        services.submission_decide(
            actor=issuer_carla, submission=routed.submission, outcome="award", reason=""
        )
    assert not Decision.objects.exists()
    _nothing_written(*before)


def test_only_the_issuer_decides(routed, admin_adam, assessor_ben):
    from django.core.exceptions import PermissionDenied

    submit_review(routed)
    for person in (admin_adam, assessor_ben):
        with pytest.raises(PermissionDenied):
            services.submission_decide(
                actor=person, submission=routed.submission, outcome="award", reason=""
            )
    assert not Decision.objects.exists()


def test_award_makes_an_award_and_the_attempt_earned_and_tells_the_educator(
    routed, issuer_carla, educator_ana, django_capture_on_commit_callbacks
):
    submit_review(routed)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.submission_decide(
            actor=issuer_carla, submission=routed.submission, outcome="award", reason=""
        )
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    assert attempt.state == "earned" and attempt.closed_at is not None
    assert Award.objects.get(attempt=attempt).decision == decision
    assert any(educator_ana.email in m.to and "You earned" in m.subject for m in mail.outbox)


def test_a_second_decision_is_refused_without_side_effects(routed, issuer_carla):
    submit_review(routed)
    services.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="award", reason=""
    )
    before = _counts()
    with pytest.raises(InvalidTransition, match="decided already"):
        services.submission_decide(
            actor=issuer_carla, submission=routed.submission, outcome="reject", reason="Copied."
        )
    assert Decision.objects.count() == 1
    _nothing_written(*before)


def test_not_yet_and_reject_need_a_reason(routed, issuer_carla):
    submit_review(routed, failing={"Section 1"})
    with pytest.raises(Invalid, match="reason"):
        services.submission_decide(
            actor=issuer_carla, submission=routed.submission, outcome="not_yet", reason=" "
        )


def test_reject_closes_the_attempt(routed, issuer_carla):
    submit_review(routed, failing={"Section 1"})
    services.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="reject", reason="Not own work."
    )
    assert Attempt.objects.get(pk=routed.submission.attempt_id).state == "rejected"


def _not_yet(review: Review, issuer, failing: set[str]) -> Decision:
    submit_review(review, failing=failing)
    return services.submission_decide(
        actor=issuer, submission=review.submission, outcome="not_yet", reason="Rework section 2."
    )


def test_not_yet_resubmission_covers_only_the_failed_sections_and_goes_to_the_same_assessor(
    world, routed, issuer_carla, educator_ana, assessor_ben
):
    assessor(world.north.organization, "Fay")  # a free assessor; Ben keeps it by default
    from microcred.assessment.models import PoolMember

    PoolMember.objects.create(pool=routed.pool, assessor=assessor(world.north.organization, "Gus"))
    _not_yet(routed, issuer_carla, {"Section 2"})
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    assert attempt.state == "not_yet"
    assert [s.name for s in selectors.sections_to_resubmit(attempt)] == ["Section 2"]

    second = earning.attempt_submit(actor=educator_ana, attempt=attempt, note="New tickets.")
    assert [s.name for s in second.sections.all()] == ["Section 2"]
    review = second.reviews.get()
    assert review.assessor == assessor_ben
    screen = selectors.review_screen(review)
    assert [v.section.name for v in screen.sections] == ["Section 2"]
    assert [v.section.name for v in screen.carried] == ["Section 1", "Section 3"]
    assert all(v.earlier is not None for v in screen.carried)
    # Only section 2 is scored; the carried-over sections count as passed for "award".
    submit_review(review)
    assert set(review.scores.values_list("section__name", flat=True)) == {"Section 2"}
    services.submission_decide(actor=issuer_carla, submission=second, outcome="award", reason="")
    assert Attempt.objects.get(pk=attempt.pk).state == "earned"


def test_the_resubmission_limit_of_the_pool_is_enforced_with_its_message(
    routed, issuer_carla, educator_ana
):
    routed.pool.max_resubmissions = 1
    routed.pool.save(update_fields=["max_resubmissions"])
    _not_yet(routed, issuer_carla, {"Section 2"})
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    second = earning.attempt_submit(actor=educator_ana, attempt=attempt, note="New tickets.")
    _not_yet(second.reviews.get(), issuer_carla, {"Section 2"})
    attempt.refresh_from_db()
    before, submissions = _counts(), Submission.objects.count()
    with pytest.raises(Incomplete) as refused:
        earning.attempt_submit(actor=educator_ana, attempt=attempt, note="Once more.")
    assert any("allows 1 resubmission, and you have used them" in p for p in refused.value.details)
    assert Submission.objects.count() == submissions
    _nothing_written(*before)


def test_the_waiting_period_holds_a_resubmission_until_its_date(routed, issuer_carla, educator_ana):
    routed.pool.resubmit_wait_days = 3
    routed.pool.save(update_fields=["resubmit_wait_days"])
    decision = _not_yet(routed, issuer_carla, {"Section 2"})
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    with pytest.raises(Incomplete) as refused:
        earning.attempt_submit(actor=educator_ana, attempt=attempt, note="New tickets.")
    opens = timezone.localtime(decision.decided_at + timedelta(days=3))
    assert any(
        f"You can resubmit from {opens:%B} {opens.day}, {opens:%Y}" in p
        for p in refused.value.details
    )
    # Three days later (the decision and the opening it set move back three days) the same
    # resubmission goes through.
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=3))
    Attempt.objects.filter(pk=attempt.pk).update(resubmit_opens_at=timezone.now())
    attempt.refresh_from_db()
    second = earning.attempt_submit(actor=educator_ana, attempt=attempt, note="New tickets.")
    assert second.number == 2


def test_double_scoring_disagreement_goes_to_a_third_assessor(
    world, credential, educator_ana, assessor_ben
):
    fay, gus = assessor(world.north.organization, "Fay"), assessor(world.north.organization, "Gus")
    pool(world.north.organization, credential, [assessor_ben, fay, gus], double_scoring=True)
    submission = submitted_attempt(educator_ana, credential)
    primary, second = submission.reviews.order_by("kind")
    submit_review(primary)
    assert Submission.objects.get(pk=submission.pk).state == "in_review"
    submit_review(second, failing={"Section 1"})
    adjudication = submission.reviews.get(kind="adjudication")
    assert adjudication.assessor not in (primary.assessor, second.assessor)
    assert Submission.objects.get(pk=submission.pk).state == "in_review"
    # Blind: a double scorer never sees the other; the adjudicator sees both.
    assert selectors.review_screen(primary).others == []
    assert len(selectors.review_screen(adjudication).others) == 2
    submit_review(adjudication, failing={"Section 1"})
    submission.refresh_from_db()
    assert submission.state == "reviewed"
    assert selectors.decisive_review(submission) == adjudication


def test_auto_decide_when_the_reviews_agree(world, credential, educator_ana, assessor_ben):
    fay = assessor(world.north.organization, "Fay")
    pool(
        world.north.organization,
        credential,
        [assessor_ben, fay],
        double_scoring=True,
        auto_decide=True,
    )
    submission = submitted_attempt(educator_ana, credential)
    for review in submission.reviews.all():
        submit_review(review)
    decision = Decision.objects.get(submission=submission)
    assert decision.automatic and decision.decided_by is None and decision.outcome == "award"
    assert Attempt.objects.get(pk=submission.attempt_id).state == "earned"


def test_decline_sends_the_review_to_someone_else_in_the_pool(routed, world, assessor_ben):
    fay = assessor(world.north.organization, "Fay")
    from microcred.assessment.models import PoolMember

    PoolMember.objects.create(pool=routed.pool, assessor=fay)
    with pytest.raises(Invalid, match="why"):
        services.review_decline(actor=assessor_ben, review=routed, reason="  ")
    new = services.review_decline(actor=assessor_ben, review=routed, reason="I coached her.")
    routed.refresh_from_db()
    assert routed.state == Review.State.DECLINED and routed.closed_reason == "I coached her."
    assert new is not None and new.assessor == fay and new.kind == routed.kind


def test_decline_by_the_only_assessor_leaves_it_unassigned(routed, assessor_ben, admin_adam):
    new = services.review_decline(actor=assessor_ben, review=routed, reason="Too busy.")
    assert new is not None and new.state == Review.State.UNASSIGNED
    assert Notification.objects.filter(user=admin_adam, verb="review.unassigned").exists()


def test_an_overdue_review_can_be_reassigned_by_the_program_admin(
    routed, world, admin_adam, assessor_ben
):
    Review.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(days=3))
    assert list(selectors.overdue_reviews(actor=admin_adam)) == [routed]
    fay = assessor(world.north.organization, "Fay")
    with pytest.raises(Invalid, match="why"):
        services.review_reassign(actor=admin_adam, review=routed, assessor=fay, reason="")
    new = services.review_reassign(
        actor=admin_adam, review=routed, assessor=fay, reason="Ben is away."
    )
    routed.refresh_from_db()
    assert routed.state == Review.State.REASSIGNED
    assert new.assessor == fay and new.due_at > timezone.now()
    assert Notification.objects.filter(user=assessor_ben, verb="review.reassigned").exists()


def test_an_assessor_cannot_reassign(routed, assessor_ben):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.review_reassign(actor=assessor_ben, review=routed, reason="no")


def test_an_unassigned_review_is_assigned_by_hand(world, credential, educator_ana, admin_adam):
    submission = submitted_attempt(educator_ana, credential)
    slot = submission.reviews.get()
    fay = assessor(world.north.organization, "Fay")
    filled = services.review_reassign(actor=admin_adam, review=slot, assessor=fay)
    assert filled.pk == slot.pk and filled.assessor == fay and filled.state == "assigned"
    from microcred.core.tests.factories import member

    colleague_slot = submitted_attempt(
        member(world.north.school, "educator"), credential
    ).reviews.get()
    colleague = member(world.north.school, "assessor")
    with pytest.raises(Invalid, match="conflict of interest"):
        services.review_reassign(actor=admin_adam, review=colleague_slot, assessor=colleague)


def test_appeal_goes_to_a_different_assessor_then_the_issuer_decides_finally(
    client, world, routed, issuer_carla, educator_ana, assessor_ben
):
    fay = assessor(world.north.organization, "Fay")
    from microcred.assessment.models import PoolMember

    PoolMember.objects.create(pool=routed.pool, assessor=fay)
    decision = _not_yet(routed, issuer_carla, {"Section 2"})
    with pytest.raises(InvalidTransition):
        services.appeal_file(actor=issuer_carla, decision=decision, reason="x")
    with pytest.raises(Invalid):
        services.appeal_file(actor=educator_ana, decision=decision, reason="")
    appeal = services.appeal_file(
        actor=educator_ana, decision=decision, reason="Section 2 is shown in minute 4."
    )
    assert Attempt.objects.get(pk=decision.submission.attempt_id).state == "in_review"
    with pytest.raises(InvalidTransition, match="already"):
        services.appeal_file(actor=educator_ana, decision=decision, reason="Again.")
    review = Review.objects.get(kind="appeal")
    assert review.assessor == fay
    # Not final until the appeal review is in; no decision outside the appeal path.
    with pytest.raises(InvalidTransition, match="not in yet"):
        services.submission_decide(
            actor=issuer_carla,
            submission=decision.submission,
            outcome="award",
            reason="",
            appeal=appeal,
        )
    with pytest.raises(InvalidTransition, match="decided already"):
        services.submission_decide(
            actor=issuer_carla, submission=decision.submission, outcome="award", reason=""
        )
    # The issuer's list of appeals to decide holds it once its review is in, and no longer
    # once decided.
    assert list(selectors.appeals_ready(actor=issuer_carla)) == []
    submit_review(review)
    appeal.refresh_from_db()
    assert appeal.reviewed_at is not None
    assert list(selectors.appeals_ready(actor=issuer_carla)) == [appeal]
    client.force_login(issuer_carla)
    page = client.get(reverse("assessment:decisions")).content.decode()
    decide = reverse("assessment:decide", args=[decision.submission_id])
    title = decision.submission.attempt.version.title
    local = timezone.localtime(appeal.created_at)
    assert (
        f'<li><a href="{decide}">{title}</a> — {educator_ana}, appealed '
        f"{local:%b} {local.day}, {local.year}</li>"
    ) in page
    final = services.submission_decide(
        actor=issuer_carla,
        submission=decision.submission,
        outcome="award",
        reason="",
        appeal=appeal,
    )
    assert list(selectors.appeals_ready(actor=issuer_carla)) == []
    assert final.appeal == appeal
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.DECIDED
    assert Attempt.objects.get(pk=decision.submission.attempt_id).state == "earned"
    assert selectors.decisive_review(Submission.objects.get(pk=decision.submission_id)) == review
    with pytest.raises(InvalidTransition):
        services.appeal_file(actor=educator_ana, decision=final, reason="More.")


def test_policy_defaults_without_a_pool(credential):
    policy = selectors.policy_for(credential.current_version)
    assert (policy.max_resubmissions, policy.resubmit_wait_days) == (2, 0)


def test_reminders_tell_assessors_of_due_and_overdue_reviews(
    routed, assessor_ben, django_capture_on_commit_callbacks
):
    from microcred.assessment.tasks import remind_due_reviews

    Review.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        remind_due_reviews.enqueue()
    assert Notification.objects.filter(user=assessor_ben, verb="review.overdue").count() == 1
    assert sum("Overdue review" in m.subject for m in mail.outbox) == 1
    # Run again the same day: nobody is reminded twice.
    with django_capture_on_commit_callbacks(execute=True):
        remind_due_reviews.enqueue()
    assert Notification.objects.filter(user=assessor_ben, verb="review.overdue").count() == 1
    # A day later the overdue review is mentioned again.
    Review.objects.filter(pk=routed.pk).update(reminded_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        remind_due_reviews.enqueue()
    assert Notification.objects.filter(user=assessor_ben, verb="review.overdue").count() == 2


def test_reviews_due_later_are_not_reminded(routed, assessor_ben):
    Review.objects.filter(pk=routed.pk).update(due_at=timezone.now() + timedelta(days=10))
    assert services.reviews_remind() == 0
    assert not Notification.objects.filter(
        user=assessor_ben, verb__startswith="review.due"
    ).exists()
