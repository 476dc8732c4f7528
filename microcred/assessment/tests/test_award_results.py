"""An award stores the level each rubric section reached, as decided, with the review it came
from; its signed badge says exactly that, however the reviews change later."""

from __future__ import annotations

import importlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from microcred.assessment import rules, services
from microcred.assessment.models import Award, AwardResult, Review, SectionScore
from microcred.assessment.tests.factories import assessor, pool, submitted_attempt
from microcred.badges import services as badges
from microcred.badges.models import IssuedCredential
from microcred.earning import services as earning
from microcred.earning.models import Attempt, Submission

pytestmark = pytest.mark.django_db

NOT_YET, PROFICIENT, EXEMPLARY = 0, 1, 2
LEVEL_NAMES = {NOT_YET: "Not yet", PROFICIENT: "Proficient", EXEMPLARY: "Exemplary"}


def _score(review: Review, levels: dict[str, int], recommendation: str) -> Review:
    """The review's assessor scores the sections of its hand-in (by name: level position;
    Proficient for any section not named) and submits."""
    assert review.assessor is not None
    scores: dict[int, tuple[int | None, str]] = {}
    for section in review.submission.sections.prefetch_related("levels"):
        position = levels.get(section.name, PROFICIENT)
        level = next(lv for lv in section.levels.all() if lv.position == position)
        scores[section.pk] = (level.pk, "Show it again." if position == NOT_YET else "")
    return services.review_save(
        actor=review.assessor,
        review=review,
        scores=scores,
        recommendation=recommendation,
        summary="Scored against the rubric.",
        submit=True,
    )


def _award(submission: Submission, issuer, capture, **kwargs) -> Award:
    with capture(execute=True):  # the badge task runs after commit
        services.submission_decide(
            actor=issuer, submission=submission, outcome="award", reason="", **kwargs
        )
    return Award.objects.get(attempt_id=submission.attempt_id)


def _stored(award: Award) -> dict[str, tuple[str | None, int, bool]]:
    """Section name → (level name, review id, carried over) as the award stored them."""
    return {
        r.section.name: (r.level.name if r.level else None, r.review_id, r.carried_over)
        for r in AwardResult.objects.filter(award=award).select_related("section", "level")
    }


def _on_badge(credential: IssuedCredential) -> dict[str, str]:
    """Section name → level name, as the signed credential's results name them."""
    subject = json.loads(credential.document)["credentialSubject"]
    names = {
        level["id"]: (description["name"], level["name"])
        for description in subject["achievement"]["resultDescription"]
        for level in description["rubricCriterionLevel"]
    }
    return dict(names[r["achievedLevel"]] for r in subject["result"])


def _current(award: Award) -> IssuedCredential:
    return IssuedCredential.objects.current().get(award=award)


@pytest.fixture
def ben_alone(world, credential, assessor_ben):
    return pool(world.north.organization, credential, [assessor_ben])


def test_first_try_stores_the_primary_reviews_levels_and_the_badge_says_them(
    ben_alone, credential, educator_ana, issuer_carla, django_capture_on_commit_callbacks
):
    submission = submitted_attempt(educator_ana, credential)
    review = _score(
        submission.reviews.get(), {"Section 1": EXEMPLARY, "Section 3": EXEMPLARY}, "award"
    )
    award = _award(submission, issuer_carla, django_capture_on_commit_callbacks)

    assert _stored(award) == {
        "Section 1": ("Exemplary", review.pk, False),
        "Section 2": ("Proficient", review.pk, False),
        "Section 3": ("Exemplary", review.pk, False),
    }
    assert _on_badge(_current(award)) == {
        "Section 1": "Exemplary",
        "Section 2": "Proficient",
        "Section 3": "Exemplary",
    }


def _resubmitted_award(educator, credential, issuer, capture) -> tuple[Award, Review, Review]:
    """Section 2 did not pass the first hand-in (where Section 1 was Exemplary); it alone
    was handed in again and passed."""
    first = submitted_attempt(educator, credential)
    first_review = _score(
        first.reviews.get(), {"Section 1": EXEMPLARY, "Section 2": NOT_YET}, "not_yet"
    )
    services.submission_decide(
        actor=issuer, submission=first, outcome="not_yet", reason="Section 2."
    )
    attempt = Attempt.objects.get(pk=first.attempt_id)
    second = earning.attempt_submit(actor=educator, attempt=attempt, note="New tickets.")
    assert [s.name for s in second.sections.all()] == ["Section 2"]
    second_review = _score(second.reviews.get(), {}, "award")
    return _award(second, issuer, capture), first_review, second_review


def test_a_resubmission_carries_the_sections_it_did_not_hand_in_from_the_earlier_review(
    ben_alone, credential, educator_ana, issuer_carla, django_capture_on_commit_callbacks
):
    award, first_review, second_review = _resubmitted_award(
        educator_ana, credential, issuer_carla, django_capture_on_commit_callbacks
    )

    assert _stored(award) == {
        "Section 1": ("Exemplary", first_review.pk, True),
        "Section 2": ("Proficient", second_review.pk, False),
        "Section 3": ("Proficient", first_review.pk, True),
    }
    assert _on_badge(_current(award)) == {
        "Section 1": "Exemplary",
        "Section 2": "Proficient",
        "Section 3": "Proficient",
    }


def test_with_double_scoring_the_adjudicators_levels_are_stored(
    world,
    credential,
    educator_ana,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    fay, gus = assessor(world.north.organization, "Fay"), assessor(world.north.organization, "Gus")
    pool(world.north.organization, credential, [assessor_ben, fay, gus], double_scoring=True)
    submission = submitted_attempt(educator_ana, credential)
    primary, second = submission.reviews.order_by("kind")
    _score(primary, {"Section 3": EXEMPLARY}, "award")
    _score(second, {"Section 1": NOT_YET}, "not_yet")
    adjudication = _score(
        submission.reviews.get(kind=Review.Kind.ADJUDICATION),
        {"Section 1": EXEMPLARY, "Section 2": EXEMPLARY},
        "award",
    )
    award = _award(submission, issuer_carla, django_capture_on_commit_callbacks)

    assert _stored(award) == {
        "Section 1": ("Exemplary", adjudication.pk, False),
        "Section 2": ("Exemplary", adjudication.pk, False),
        "Section 3": ("Proficient", adjudication.pk, False),
    }
    assert _on_badge(_current(award)) == {
        "Section 1": "Exemplary",
        "Section 2": "Exemplary",
        "Section 3": "Proficient",
    }


def test_after_an_appeal_the_appeal_reviews_levels_are_stored(
    world,
    credential,
    educator_ana,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    fay = assessor(world.north.organization, "Fay")
    pool(world.north.organization, credential, [assessor_ben, fay])
    submission = submitted_attempt(educator_ana, credential)
    _score(submission.reviews.get(), {"Section 2": NOT_YET}, "not_yet")
    decision = services.submission_decide(
        actor=issuer_carla, submission=submission, outcome="not_yet", reason="Section 2."
    )
    appeal = services.appeal_file(
        actor=educator_ana, decision=decision, reason="Section 2 is shown in minute 4."
    )
    appeal_review = _score(
        submission.reviews.get(kind=Review.Kind.APPEAL), {"Section 2": EXEMPLARY}, "award"
    )
    assert appeal_review.assessor == fay
    award = _award(submission, issuer_carla, django_capture_on_commit_callbacks, appeal=appeal)

    assert _stored(award) == {
        "Section 1": ("Proficient", appeal_review.pk, False),
        "Section 2": ("Exemplary", appeal_review.pk, False),
        "Section 3": ("Proficient", appeal_review.pk, False),
    }
    assert _on_badge(_current(award)) == {
        "Section 1": "Proficient",
        "Section 2": "Exemplary",
        "Section 3": "Proficient",
    }


def test_a_review_changed_after_the_award_does_not_change_the_badge_issued_again(
    ben_alone, credential, educator_ana, issuer_carla, django_capture_on_commit_callbacks
):
    submission = submitted_attempt(educator_ana, credential)
    review = _score(submission.reviews.get(), {"Section 1": EXEMPLARY}, "award")
    award = _award(submission, issuer_carla, django_capture_on_commit_callbacks)
    issued = _current(award)
    decided = _on_badge(issued)

    # The review's row changes afterwards (by hand in the database: no service does this).
    section_1 = review.scores.get(section__name="Section 1")
    lowest = section_1.section.levels.get(position=NOT_YET)
    SectionScore.objects.filter(pk=section_1.pk).update(level=lowest)
    hand_ins = rules.read_hand_ins({submission.attempt_id: submission.number})
    assert rules.results(hand_ins[submission.attempt_id])[section_1.section_id].level_id == (
        lowest.pk
    )  # worked out again, the rule would now say "Not yet"

    again = badges.credential_reissue(
        actor=issuer_carla, credential=issued, reason=IssuedCredential.Reissue.CORRECTION
    )
    assert again.pk != issued.pk
    assert (
        _on_badge(again)
        == decided
        == {
            "Section 1": "Exemplary",
            "Section 2": "Proficient",
            "Section 3": "Proficient",
        }
    )


def test_the_backfill_migration_stores_what_the_decide_service_stored(
    ben_alone, credential, educator_ana, issuer_carla, django_capture_on_commit_callbacks
):
    award, _, _ = _resubmitted_award(
        educator_ana, credential, issuer_carla, django_capture_on_commit_callbacks
    )
    decided = _stored(award)
    AwardResult.objects.filter(award=award).delete()  # as awards made before the migration

    migration = importlib.import_module("microcred.assessment.migrations.0004_award_result")
    state = MigrationExecutor(connection).loader.project_state(("assessment", "0004_award_result"))
    migration.store_results(state.apps, None)

    assert _stored(award) == decided
    assert sum(carried for _, _, carried in decided.values()) == 2


def test_issuing_reads_award_results_and_signing_key_with_organization_once_each(
    ben_alone, credential, educator_ana, assessor_ben, issuer_carla, world
):
    """The reads name every field issuing uses: none is read on its own later. The published
    version's rubric, the credential's slug and owner (which never change) were read with the
    first award; the organization (its name may change) is read every time, with the
    signing key."""
    from microcred.core.models import Role
    from microcred.core.tests.factories import member

    awards = []
    for n, educator in enumerate(
        [educator_ana, member(world.north.school, Role.EDUCATOR, email="eve@riverbend.example")]
    ):
        submission = submitted_attempt(educator, credential)
        _score(submission.reviews.get(), {}, "award")
        services.submission_decide(
            actor=issuer_carla, submission=submission, outcome="award", reason=f"{n}"
        )
        awards.append(Award.objects.get(attempt_id=submission.attempt_id))
    badges.credential_issue(award=awards[0])  # the key and the status list are made here
    with CaptureQueriesContext(connection) as captured:
        badges.credential_issue(award=awards[1])
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 3, reads
    assert '"assessment_award"."id"' in reads[0] and "assessment_awardresult" in reads[1]
    assert "badges_issuerkey" in reads[2] and "core_organization" in reads[2]
