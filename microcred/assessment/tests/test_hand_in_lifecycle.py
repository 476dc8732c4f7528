"""The hand-in's life through assessment: earning owns the attempt's and the hand-in's rows
and moves them when assessment's services say so; a "not yet" leaves its terms on the
attempt (sections to resubmit, the resubmission limit, the waiting period), which the
educator's pages and the next hand-in read without asking assessment."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from microcred.assessment import services
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.earning import services as earning
from microcred.earning.models import Attempt, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(world, credential, educator_ana, assessor_ben):
    pool(world.north.organization, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


def _not_yet(review, issuer, failing: set[str]):
    submit_review(review, failing=failing)
    return services.submission_decide(
        actor=issuer, submission=review.submission, outcome="not_yet", reason="Rework section 2."
    )


def test_a_not_yet_leaves_its_terms_on_the_attempt(routed, issuer_carla):
    routed.pool.max_resubmissions = 2
    routed.pool.resubmit_wait_days = 3
    routed.pool.save(update_fields=["max_resubmissions", "resubmit_wait_days"])
    decision = _not_yet(routed, issuer_carla, {"Section 2"})
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    assert attempt.state == Attempt.State.NOT_YET
    assert [s.name for s in attempt.resubmit_sections.all()] == ["Section 2"]
    assert attempt.resubmit_limit == 2
    assert attempt.resubmit_opens_at == decision.decided_at + timedelta(days=3)
    assert Submission.objects.get(pk=routed.submission_id).state == Submission.State.DECIDED


def test_the_terms_given_with_a_decision_hold_when_the_pool_changes_later(
    routed, issuer_carla, educator_ana
):
    routed.pool.resubmit_wait_days = 3
    routed.pool.save(update_fields=["resubmit_wait_days"])
    _not_yet(routed, issuer_carla, {"Section 2"})
    routed.pool.resubmit_wait_days = 0
    routed.pool.save(update_fields=["resubmit_wait_days"])
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    waiting = [i for i in earning.submit_checklist(attempt) if i.label == "Waiting period"]
    assert waiting and not waiting[0].done


def test_the_resubmission_covers_the_sections_the_decision_named(
    routed, issuer_carla, educator_ana
):
    _not_yet(routed, issuer_carla, {"Section 2", "Section 3"})
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    second = earning.attempt_submit(actor=educator_ana, attempt=attempt, note="New tickets.")
    assert sorted(s.name for s in second.sections.all()) == ["Section 2", "Section 3"]
    assert second.reviews.count() == 1  # routed by assessment's handler, in the same transaction


def test_without_the_routing_handler_a_hand_in_waits_unrouted(
    settings, routed, issuer_carla, educator_ana
):
    _not_yet(routed, issuer_carla, {"Section 2"})
    settings.LIFECYCLE_HANDLERS = {**settings.LIFECYCLE_HANDLERS, "attempt.handed_in": []}
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    second = earning.attempt_submit(actor=educator_ana, attempt=attempt, note="New tickets.")
    assert second.reviews.count() == 0 and second.state == Submission.State.SUBMITTED


def test_the_migration_gives_attempts_waiting_to_resubmit_their_terms(routed, issuer_carla):
    routed.pool.resubmit_wait_days = 2
    routed.pool.save(update_fields=["resubmit_wait_days"])
    decision = _not_yet(routed, issuer_carla, {"Section 2"})
    attempt = Attempt.objects.get(pk=routed.submission.attempt_id)
    Attempt.objects.filter(pk=attempt.pk).update(resubmit_limit=None, resubmit_opens_at=None)
    attempt.resubmit_sections.clear()
    migration = importlib.import_module(
        "microcred.assessment.migrations.0005_resubmission_terms_onto_attempts"
    )
    migration.give_terms(apps, None)
    attempt.refresh_from_db()
    assert [s.name for s in attempt.resubmit_sections.all()] == ["Section 2"]
    assert attempt.resubmit_limit == routed.pool.max_resubmissions
    assert attempt.resubmit_opens_at == decision.decided_at + timedelta(days=2)
