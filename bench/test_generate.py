"""bench.generate writes awards as the product makes them: with the results the grading
rule gives them, through the bulk path."""

from __future__ import annotations

import io

import pytest

from bench.generate import Scale, generate
from microcred.assessment.models import Award, AwardResult
from microcred.catalog.models import RubricSection

pytestmark = pytest.mark.django_db

TINY = Scale(
    districts=2, schools_per_district=1, educators=20, credentials=6, attempts=40, resubmitted=10
)


def test_generated_awards_store_the_results_of_their_awarded_hand_in():
    generate(TINY, out=io.StringIO())
    awards = list(Award.objects.select_related("decision__submission", "attempt"))
    assert awards
    resubmitted = 0
    for award in awards:
        results = list(AwardResult.objects.filter(award=award).select_related("level", "review"))
        sections = RubricSection.objects.filter(version_id=award.attempt.version_id)
        # Every section, scored by the review of the hand-in that was awarded, at a passing
        # level (the first hand-in of a resubmitted attempt missed a section: not from there).
        assert sorted(r.section_id for r in results) == sorted(s.pk for s in sections)
        assert {r.review.submission_id for r in results} == {award.decision.submission_id}
        assert all(r.level is not None and r.level.position >= 1 for r in results)
        assert not any(r.carried_over for r in results)
        resubmitted += award.decision.submission.number == 2
    assert resubmitted
