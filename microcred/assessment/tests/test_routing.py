"""Who gets a hand-in: the pool, fewest open reviews, conflicts of interest, nobody left."""

from __future__ import annotations

from django.core import mail

from microcred.assessment.models import Review
from microcred.assessment.tests.factories import assessor, pool, submitted_attempt
from microcred.core.models import Notification, Role
from microcred.core.tests.factories import member


def test_hand_in_goes_to_the_pool_member_with_the_fewest_open_reviews(
    world, credential, educator_ana, assessor_ben, django_capture_on_commit_callbacks
):
    busy, free = assessor_ben, assessor(world.north.organization, "Fay")
    made = pool(world.north.organization, credential, [busy, free])
    other_educator = member(world.north.school, Role.EDUCATOR)
    # Ben already has one open review.
    first = submitted_attempt(other_educator, credential)
    assert first.reviews.get().assessor in (busy, free)
    holder = first.reviews.get().assessor
    with django_capture_on_commit_callbacks(execute=True):
        submission = submitted_attempt(educator_ana, credential)
    review = submission.reviews.get()
    assert review.assessor != holder
    assert review.pool == made
    assert review.state == Review.State.ASSIGNED
    assert (review.due_at - review.assigned_at).days in (13, 14)
    assert Notification.objects.filter(user=review.assessor, verb="review.assigned").exists()
    assert any(review.assessor.email in m.to and "New review" in m.subject for m in mail.outbox)


def test_colleagues_and_school_leaders_of_the_educator_never_get_the_hand_in(
    world, credential, educator_ana
):
    district = world.north.organization
    school = world.north.school
    colleague = member(school, Role.ASSESSOR, full_name="Colleague")
    leader = member(district, Role.LEADER, full_name="Leader")
    from microcred.core.models import Membership

    Membership.objects.create(user=leader, organization=district, role=Role.ASSESSOR)
    outsider = assessor(district, "Independent")
    pool(district, credential, [colleague, leader, outsider, educator_ana])
    submission = submitted_attempt(educator_ana, credential)
    assert submission.reviews.get().assessor == outsider


def test_without_an_eligible_assessor_the_hand_in_waits_unassigned_and_admins_are_told(
    world, credential, educator_ana, admin_adam, issuer_carla, assessor_ben
):
    colleague = member(world.north.school, Role.ASSESSOR)
    pool(world.north.organization, credential, [colleague])
    submission = submitted_attempt(educator_ana, credential)
    review = submission.reviews.get()
    assert review.assessor is None and review.state == Review.State.UNASSIGNED
    submission.refresh_from_db()
    assert submission.state == "submitted"
    told = set(Notification.objects.filter(verb="review.unassigned").values_list("user", flat=True))
    assert told == {admin_adam.pk, issuer_carla.pk}
    assert assessor_ben.pk not in told


def test_without_a_pool_the_hand_in_waits_unassigned(world, credential, educator_ana, admin_adam):
    submission = submitted_attempt(educator_ana, credential)
    assert submission.reviews.get().state == Review.State.UNASSIGNED
    assert Notification.objects.filter(user=admin_adam, verb="review.unassigned").exists()


def test_the_general_pool_of_the_organization_serves_credentials_without_their_own(
    world, credential, educator_ana, assessor_ben
):
    pool(world.north.organization, None, [assessor_ben])
    submission = submitted_attempt(educator_ana, credential)
    assert submission.reviews.get().assessor == assessor_ben


def test_double_scoring_assigns_two_different_assessors(
    world, credential, educator_ana, assessor_ben
):
    pool(
        world.north.organization,
        credential,
        [assessor_ben, assessor(world.north.organization, "Fay")],
        double_scoring=True,
    )
    submission = submitted_attempt(educator_ana, credential)
    reviews = list(submission.reviews.order_by("kind"))
    assert [r.kind for r in reviews] == ["primary", "second"]
    assert reviews[0].assessor != reviews[1].assessor
