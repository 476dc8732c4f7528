"""The issuer of record decides with the evidence and every review in front of her.

Riverbend scores "Exit tickets" twice, blind (Ben and Fay); Carla is Riverbend's issuer of
record. Ivy is Lakeshore's issuer: Riverbend's hand-in and its evidence are a 404 for her.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from microcred.assessment.models import Decision, Review
from microcred.assessment.tests.factories import assessor, pool, submit_review, submitted_attempt
from microcred.catalog.models import Credential
from microcred.core.models import AuditEvent, Role, User
from microcred.earning.models import EvidenceAccess, Submission
from microcred.earning.tests.factories import earnable_credential

EVIDENCE_LINK = re.compile(r"/evidence/[0-9a-f-]{36}/")


@pytest.fixture
def fay(world) -> User:
    return assessor(world.north.organization, "Fay")


@pytest.fixture
def credential(designer_dan, reviewer_rita, north) -> Credential:
    """Riverbend's "Exit tickets" asking for a classroom video, a PDF plan and a written answer."""
    return earnable_credential(designer_dan, reviewer_rita, north)


@pytest.fixture
def reviewed(world, credential, educator_ana, assessor_ben, fay) -> Submission:
    """Both blind scorings are in and agree on "not yet"; the hand-in waits for Carla."""
    pool(world.north.organization, credential, [assessor_ben, fay], double_scoring=True)
    submission = submitted_attempt(educator_ana, credential)
    for review in submission.reviews.all():
        submit_review(review, failing={"Section 2"})
    submission.refresh_from_db()
    assert submission.state == Submission.State.REVIEWED
    return submission


@pytest.fixture
def lakeshore_issuer_ivy(world) -> User:
    return world.south.people[Role.ISSUER]


def _decide_url(submission: Submission) -> str:
    return reverse("assessment:decide", args=[submission.pk])


def test_the_decide_page_shows_the_evidence_and_every_review_beside_the_form(
    client, reviewed, issuer_carla, assessor_ben, fay
):
    client.force_login(issuer_carla)
    response = client.get(_decide_url(reviewed))
    assert response.status_code == 200
    body = response.content.decode()
    # The evidence as handed in, with the review screen's player.
    assert "Evidence as handed in" in body and "evidence-viewer" in body
    video = reviewed.evidence.get(requirement__kind="video")
    assert (
        f'<video class="evidence-viewer__video" controls preload="metadata" src="{video.get_absolute_url()}"'
        in body
    )
    assert "I regrouped six students for a reteach station the next morning." in body
    assert len(set(EVIDENCE_LINK.findall(body))) == reviewed.evidence.exclude(file="").count()
    # Every review: who, the level per section, the feedback and the summary.
    for person in (assessor_ben, fay):
        assert f"by {person.full_name}" in body
    assert body.count("Section 2: show the regrouping next day.") == 2
    for section in reviewed.sections.all():
        assert body.count(f"<dt>{section.name}</dt>") == 2
    assert "Record the decision" in body


def test_a_declined_review_shows_on_the_decide_page_with_its_reason(
    client, world, credential, educator_ana, assessor_ben, fay, issuer_carla
):
    from microcred.assessment import services

    pool(world.north.organization, credential, [assessor_ben, fay])
    submission = submitted_attempt(educator_ana, credential)
    first = submission.reviews.get()
    services.review_decline(actor=first.assessor, review=first, reason="I coached her.")
    submit_review(submission.reviews.get(state=Review.State.ASSIGNED))
    client.force_login(issuer_carla)
    body = client.get(_decide_url(submission)).content.decode()
    assert "declined" in body and "I coached her." in body
    assert "Record the decision" in body


def test_the_issuer_of_record_opens_every_evidence_file(client, reviewed, issuer_carla):
    client.force_login(issuer_carla)
    body = client.get(_decide_url(reviewed)).content.decode()
    links = sorted(set(EVIDENCE_LINK.findall(body)))
    assert links
    for link in links:
        assert client.get(link).status_code == 200
    video = reviewed.evidence.get(requirement__kind="video")
    ranged = client.get(video.get_absolute_url(), HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206


def test_an_issuer_of_another_organization_gets_404_and_nothing_is_logged(
    client, reviewed, lakeshore_issuer_ivy
):
    links = [e.get_absolute_url() for e in reviewed.evidence.exclude(file="")]
    accesses, events = EvidenceAccess.objects.count(), AuditEvent.objects.count()
    client.force_login(lakeshore_issuer_ivy)
    assert client.get(_decide_url(reviewed)).status_code == 404
    response = client.post(_decide_url(reviewed), {"outcome": "award", "reason": ""})
    assert response.status_code == 404
    for link in links:
        assert client.get(link).status_code == 404
    assert EvidenceAccess.objects.count() == accesses
    assert AuditEvent.objects.count() == events
    assert not Decision.objects.filter(submission=reviewed).exists()
    reviewed.refresh_from_db()
    assert reviewed.state == Submission.State.REVIEWED


def test_an_assessor_not_on_the_hand_in_cannot_open_its_evidence(client, reviewed, world):
    stranger = assessor(world.north.organization, "Gus")
    client.force_login(stranger)
    for item in reviewed.evidence.exclude(file=""):
        assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(_decide_url(reviewed)).status_code in (403, 404)
    assert not EvidenceAccess.objects.filter(user=stranger).exists()


def test_a_phone_reader_can_jump_past_the_evidence_to_the_decision(client, reviewed, issuer_carla):
    client.force_login(issuer_carla)
    body = client.get(_decide_url(reviewed)).content.decode()
    assert (
        '<a class="btn btn--secondary btn--small" href="#decision">Go to your decision</a>' in body
    )
    assert 'id="decision"' in body
    # The PDF lesson plan has a link beside its preview, for phones that show no PDF inline.
    assert 'class="evidence-viewer__pdf-link"><a class="btn btn--secondary btn--small"' in body
