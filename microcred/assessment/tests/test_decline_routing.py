"""A declined review goes on at once, or says truthfully that it waits; the program admin
assigns it by name; closed reviews are read-only pages.

Riverbend's pool starts with Ben alone. Fay and Gus are assessors of Riverbend; Cole is
an assessor who teaches at Ana's school (a colleague: never hers to assess).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from microcred.assessment import services
from microcred.assessment.models import PoolMember, Review
from microcred.assessment.tests.factories import (
    assessor,
    pool,
    submit_review,
    submitted_attempt,
)
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent, Notification, Role, User
from microcred.core.tests.factories import member


def _decline_url(review: Review) -> str:
    return reverse("assessment:review-decline", args=[review.public_id])


@pytest.fixture
def routed(world, credential, educator_ana, assessor_ben) -> Review:
    pool(world.north.organization, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


@pytest.fixture
def fay(world) -> User:
    return assessor(world.north.organization, "Fay")


@pytest.fixture
def gus(world) -> User:
    return assessor(world.north.organization, "Gus")


@pytest.fixture
def colleague_cole(world) -> User:
    return member(world.north.school, Role.ASSESSOR, full_name="Cole", email="cole@assess.example")


def _snapshot() -> tuple[list[tuple[int, str, int | None]], int, int, int]:
    return (
        list(Review.objects.order_by("pk").values_list("pk", "state", "assessor_id")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        len(mail.outbox),
    )


def _decline(client, review: Review, reason: str = "I coached her last year."):
    return client.post(_decline_url(review), {"reason": reason}, follow=True)


# ----------------------------------------------------------------------------- routing


def test_decline_goes_at_once_to_the_free_pool_member_with_fewest_open_reviews(
    routed, world, credential, assessor_ben, fay, gus, colleague_cole
):
    for person in (fay, gus, colleague_cole):
        PoolMember.objects.create(pool=routed.pool, assessor=person)
    # Fay (first in the pool) already has an open review of another Riverbend hand-in.
    busy = submitted_attempt(member(world.north.organization, Role.EDUCATOR), credential)
    Review.objects.filter(submission=busy).update(assessor=fay, state=Review.State.ASSIGNED)

    new = services.review_decline(actor=assessor_ben, review=routed, reason="I coached her.")

    assert new.assessor == gus and new.state == Review.State.ASSIGNED
    assert new.kind == routed.kind and new.submission_id == routed.submission_id
    assert Notification.objects.filter(user=gus, verb="review.assigned").exists()
    event = AuditEvent.objects.get(verb="review.declined")
    assert event.data["replacement"] == gus.pk
    assert not Review.objects.filter(assessor=colleague_cole).exists()


def test_declining_assessor_hears_the_review_went_on(client, routed, assessor_ben, fay):
    PoolMember.objects.create(pool=routed.pool, assessor=fay)
    client.force_login(assessor_ben)
    body = _decline(client, routed).content.decode()
    assert "It went on to another assessor in the pool." in body
    assert Review.objects.get(submission=routed.submission, state="assigned").assessor == fay


def test_declining_with_nobody_free_says_so_and_tells_the_program_admin(
    client, routed, assessor_ben, admin_adam, colleague_cole
):
    PoolMember.objects.create(pool=routed.pool, assessor=colleague_cole)  # conflicted
    client.force_login(assessor_ben)
    body = _decline(client, routed).content.decode()
    assert "No other assessor in the pool is free for it" in body
    assert "goes to another assessor" not in body
    slot = Review.objects.get(submission=routed.submission, state=Review.State.UNASSIGNED)
    assert slot.assessor is None
    assert Notification.objects.filter(user=admin_adam, verb="review.unassigned").exists()


# ----------------------------------------------------------------------------- assigning


@pytest.fixture
def waiting(client, routed, assessor_ben) -> Review:
    """Ben declined and nobody in the pool is free: the review waits, unassigned."""
    services.review_decline(actor=assessor_ben, review=routed, reason="I coached her.")
    return Review.objects.get(submission=routed.submission, state=Review.State.UNASSIGNED)


def test_the_assign_form_lists_qualified_assessors_by_name(
    client, waiting, admin_adam, assessor_ben, fay, colleague_cole, world
):
    lakeshore_omar = world.south.people[Role.ASSESSOR]
    client.force_login(admin_adam)
    page = client.get(reverse("assessment:reassign", args=[waiting.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nobody in the pool" in body and "Choose an assessor by name" in body
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', body)
    named = {int(pk): label for pk, label in options}
    assert set(named) == {fay.pk}
    assert named[fay.pk].startswith("Fay") and "not in the pool" in named[fay.pk]
    for person in (assessor_ben, colleague_cole, lakeshore_omar):
        assert person.pk not in named
    assert f"{assessor_ben} declined it" in body and "I coached her." in body

    response = client.post(
        reverse("assessment:reassign", args=[waiting.public_id]), {"assessor": fay.pk}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.assessor == fay and waiting.state == Review.State.ASSIGNED
    assert Notification.objects.filter(user=fay, verb="review.assigned").exists()


def test_next_eligible_is_not_offered_as_if_it_could_work(client, waiting, admin_adam, fay):
    before = _snapshot()
    client.force_login(admin_adam)
    response = client.post(reverse("assessment:reassign", args=[waiting.public_id]), {})
    assert response.status_code == 400
    assert "Nobody in the pool is free for this hand-in; choose an assessor by name." in (
        response.content.decode()
    )
    assert _snapshot() == before


def test_with_no_assessor_at_all_the_page_says_how_to_get_one(client, waiting, admin_adam):
    client.force_login(admin_adam)
    body = client.get(reverse("assessment:reassign", args=[waiting.public_id])).content.decode()
    assert "Add an assessor to a pool" in body
    assert "<select" not in body


@pytest.mark.parametrize("who", ["declined", "colleague", "other district"])
def test_the_service_refuses_an_ineligible_assessor_and_changes_nothing(
    client, waiting, admin_adam, assessor_ben, fay, colleague_cole, world, who
):
    person = {
        "declined": assessor_ben,
        "colleague": colleague_cole,
        "other district": world.south.people[Role.ASSESSOR],
    }[who]
    before = _snapshot()
    with pytest.raises(Invalid) as refused:
        services.review_reassign(actor=admin_adam, review=waiting, assessor=person)
    assert str(person) in refused.value.message
    assert _snapshot() == before
    # A crafted post of the same id is refused with a message, too.
    client.force_login(admin_adam)
    response = client.post(
        reverse("assessment:reassign", args=[waiting.public_id]), {"assessor": person.pk}
    )
    assert response.status_code == 400
    assert "Choose one of the assessors listed." in response.content.decode()
    assert _snapshot() == before


# ----------------------------------------------------------------------------- read only


def test_a_submitted_review_is_a_read_only_page(client, routed, assessor_ben):
    submit_review(routed, failing={"Section 2"})
    client.force_login(assessor_ben)
    page = client.get(routed.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "read only" in body
    assert "Submit review" not in body and "Save draft" not in body and "Decline" not in body
    assert 'type="radio"' not in body and "<textarea" not in body
    assert "Section 2: show the regrouping next day." in body  # feedback as text
    assert "Clear tickets; the regrouping is the strength of this work." in body
    assert "evidence-viewer" in body  # still theirs to look back at

    before = _snapshot()
    response = client.post(routed.get_absolute_url(), {"op": "submit", "summary": "Changed."})
    assert response.status_code == 409
    assert "it can no longer be changed" in response.content.decode()
    assert _snapshot() == before
    routed.refresh_from_db()
    assert routed.summary == "Clear tickets; the regrouping is the strength of this work."


def test_a_declined_review_shows_its_reason_and_no_broken_evidence_links(
    client, routed, assessor_ben
):
    client.force_login(assessor_ben)
    live = client.get(routed.get_absolute_url()).content.decode()
    evidence_links = set(re.findall(r"/evidence/[0-9a-f-]{36}/", live))
    assert evidence_links  # the open review showed the evidence
    _decline(client, routed, reason="I coached her last year.")

    page = client.get(routed.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "You declined this review" in body and "I coached her last year." in body
    assert not re.findall(r"/evidence/[0-9a-f-]{36}/", body)
    assert "<form" not in body.split("<main", 1)[-1].split("</main>", 1)[0]
    for link in evidence_links:  # what those links would have given him
        assert client.get(link).status_code == 404

    before = _snapshot()
    response = client.post(_decline_url(routed), {"reason": "Again."})
    assert response.status_code == 409
    assert _snapshot() == before


def test_a_review_given_to_someone_else_is_read_only_for_its_former_assessor(
    client, routed, assessor_ben, admin_adam, fay
):
    services.review_reassign(actor=admin_adam, review=routed, assessor=fay, reason="Ben is away.")
    client.force_login(assessor_ben)
    page = client.get(routed.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "This review was given to another assessor" in body and "Ben is away." in body
    assert not re.findall(r"/evidence/[0-9a-f-]{36}/", body)
    before = _snapshot()
    response = client.post(routed.get_absolute_url(), {"op": "save"})
    assert response.status_code == 409
    assert _snapshot() == before


def test_the_next_eligible_choice_still_works_when_someone_in_the_pool_is_free(
    client, routed, admin_adam, assessor_ben, fay, gus
):
    PoolMember.objects.create(pool=routed.pool, assessor=fay)
    client.force_login(admin_adam)
    url = reverse("assessment:reassign", args=[routed.public_id])
    body = client.get(url).content.decode()
    assert "The next eligible assessor in the pool" in body and "Nobody in the pool" not in body
    labels = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', body)
    assert labels == ["Fay — in the pool, 0 open reviews", "Gus — not in the pool, 0 open reviews"]
    response = client.post(url, {"assessor": "", "reason": "Ben is away."})
    assert response.status_code == 302
    assert Review.objects.get(submission=routed.submission, state="assigned").assessor == fay
