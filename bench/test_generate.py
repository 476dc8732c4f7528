"""bench.generate writes what the product would: awards with the results the grading rule
gives them, double-scored and adjudicated hand-ins, appeals, evidence, comments and notices,
staff in every role; and on PostgreSQL it leaves every index and constraint as it found it."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.utils import timezone

from bench.generate import Scale, appeal_stage, generate
from microcred.assessment import rules
from microcred.assessment.models import (
    AgreementTally,
    Appeal,
    Award,
    AwardResult,
    Decision,
    Review,
    SectionScore,
)
from microcred.catalog.models import EvidenceRequirement, RubricSection
from microcred.core.models import Membership, Notification, Organization
from microcred.earning.models import Attempt, Comment, Evidence, Submission

pytestmark = pytest.mark.django_db

TINY = Scale(
    districts=2, schools_per_district=1, educators=150, credentials=6, attempts=300, resubmitted=50
)


def schema() -> set[tuple[str, ...]]:
    """Every index and constraint definition of the application's tables."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What each index and constraint is (a condition made again may be spelled
            # differently, so whether there is one).
            cursor.execute(
                "SELECT indexrelid::regclass::text, indrelid::regclass::text, indisunique,"
                " indkey::text, indpred IS NOT NULL, NULL, NULL FROM pg_index"
                " WHERE indrelid::regclass::text NOT LIKE 'pg_%%'"
                " UNION ALL SELECT conname, conrelid::regclass::text, contype = 'u',"
                " conkey::text, condeferrable, confrelid::regclass::text, confkey::text"
                " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
            )
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type IN ('index', 'table')")
        return set(cursor.fetchall())


@pytest.fixture
def generated():
    before = schema()
    generate(TINY, out=io.StringIO())
    return before


def test_generated_awards_store_the_results_the_grading_rule_gives(generated):
    awards = list(Award.objects.select_related("decision__submission", "attempt"))
    assert awards
    expected = sorted(
        (r.award_id, r.section_id, r.level_id, r.review_id, r.carried_over)
        for r in rules.award_results(awards)
    )
    stored = sorted(
        AwardResult.objects.values_list(
            "award_id", "section_id", "level_id", "review_id", "carried_over"
        )
    )
    assert stored == expected
    for award in awards:
        results = list(AwardResult.objects.filter(award=award).select_related("level"))
        sections = RubricSection.objects.filter(version_id=award.attempt.version_id)
        assert sorted(r.section_id for r in results) == sorted(s.pk for s in sections)
        assert all(r.level is not None and r.level.position >= 1 for r in results)
    # Some awards rest on an adjudication, and their results come from it.
    adjudicated = AwardResult.objects.filter(review__kind="adjudication")
    assert adjudicated.exists()
    assert Award.objects.filter(decision__submission__number=2).exists()


def test_one_hand_in_in_ten_is_double_scored_and_counted_for_calibration(generated):
    seconds = Review.objects.filter(kind="second", state="submitted")
    assert seconds.exists()
    for review in seconds:
        primary = Review.objects.get(submission=review.submission, kind="primary")
        assert primary.assessor_id != review.assessor_id
        sections = RubricSection.objects.filter(
            version_id=review.submission.attempt.version_id
        ).count()
        assert SectionScore.objects.filter(review=review).count() == sections
    assert AgreementTally.objects.exists()


def test_appeals_evidence_comments_notices_and_staff(generated):
    # Appeals stand as their age says: recent ones open, older ones answered.
    assert Appeal.objects.exists()
    for appeal in Appeal.objects.select_related("decision"):
        stage = appeal_stage(timezone.now() - appeal.created_at)
        reviewed = Review.objects.filter(
            submission_id=appeal.decision.submission_id, kind="appeal", state="submitted"
        ).exists()
        assert appeal.state == ("decided" if stage == "answered" else "open")
        assert reviewed == (appeal.reviewed_at is not None) == (stage != "assigned")
    answered = Appeal.objects.filter(state="decided")
    assert answered.exists()
    for appeal in answered:
        assert Decision.objects.get(appeal=appeal).submission_id == appeal.decision.submission_id
        assert Review.objects.filter(
            submission=appeal.decision.submission, kind="appeal", state="submitted"
        ).exists()
    for attempt in Attempt.objects.all()[:20]:
        requirements = EvidenceRequirement.objects.filter(version_id=attempt.version_id)
        present = Evidence.objects.filter(attempt=attempt, removed_at__isnull=True)
        assert sorted(e.requirement_id for e in present) == sorted(r.pk for r in requirements)
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert all(s.reflections == [] for s in Submission.objects.all()[:50])
    assert Notification.objects.filter(verb="submission.decided", read_at__isnull=True).exists()
    assert Notification.objects.filter(verb="review.assigned", resolved_at__isnull=True).exists()
    # Every district has work at every stage, not only some outcomes.
    for district in Organization.objects.filter(kind="district"):
        reviews = Review.objects.filter(pool__organization=district)
        for stage in ("assigned", "draft", "submitted"):
            assert reviews.filter(state=stage).exists(), (district, stage)
        assert reviews.filter(kind="second").exists()
        assert Comment.objects.filter(attempt__organization__parent=district).exists()
    state = Organization.objects.get(kind="state", slug="bench-state")
    assert Membership.objects.filter(organization=state, role="admin").exists()
    for role in ("leader", "coach"):
        assert Membership.objects.filter(role=role, organization__kind="school").count() == 2


def test_every_index_and_constraint_is_made_again(generated):
    assert schema() == generated


def test_an_appeal_stands_as_its_age_says():
    from datetime import timedelta

    assert appeal_stage(timedelta(days=3)) == "assigned"
    assert appeal_stage(timedelta(days=16)) == "reviewed"
    assert appeal_stage(timedelta(days=40)) == "answered"
