"""Starting a credential that has prerequisites: refused, naming each credential to earn
first, until the educator holds it (earned, not revoked, not expired); the same refusal for
the service, the page's button and a POST that bypasses it, and nothing written. An attempt
started before the prerequisite was added goes on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from microcred.badges import services as badge_services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog import services as catalog_services
from microcred.catalog.models import Credential
from microcred.catalog.tests.factories import approve_answers, published_credential
from microcred.core.errors import InvalidTransition
from microcred.core.models import AuditEvent, Role, User
from microcred.core.tests.factories import member
from microcred.earning import services
from microcred.earning.models import Attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://localhost:8000"


@pytest.fixture
def exit_tickets(designer_dan, reviewer_rita, north) -> Credential:
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


@pytest.fixture
def data_teams(designer_dan, reviewer_rita, north, exit_tickets) -> Credential:
    return published_credential(
        designer_dan, reviewer_rita, north, title="Data teams", prerequisites=[exit_tickets]
    )


def earn(world, educator: User, credential: Credential) -> IssuedCredential:
    """The educator earns the credential through the real services; its badge is signed."""
    people = world.north.people
    award = awarded(
        educator=educator,
        credential=credential,
        assessor=people[Role.ASSESSOR],
        issuer=people[Role.ISSUER],
    )
    return IssuedCredential.objects.get(pk=badge_services.credential_issue(award=award).pk)


def refused(educator: User, credential: Credential) -> InvalidTransition:
    """The refusal to start, after checking that nothing was written."""
    attempts, events = Attempt.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidTransition) as caught:
        services.attempt_start(actor=educator, credential=credential)
    assert caught.value.code == "prerequisites_missing"
    assert (Attempt.objects.count(), AuditEvent.objects.count()) == (attempts, events)
    return caught.value


def test_starting_without_the_prerequisite_is_refused_naming_it(educator_ana, data_teams):
    error = refused(educator_ana, data_teams)
    assert error.message == "Earn “Exit tickets” first: it is a prerequisite of this credential."


def test_every_missing_prerequisite_is_named(
    designer_dan, reviewer_rita, north, educator_ana, exit_tickets
):
    wait_time = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    coaching = published_credential(
        designer_dan,
        reviewer_rita,
        north,
        title="Coaching cycles",
        prerequisites=[wait_time, exit_tickets],
    )
    error = refused(educator_ana, coaching)
    assert error.message == (
        "Earn “Wait time” and “Exit tickets” first: they are prerequisites of this credential."
    )


def test_starting_is_allowed_once_the_prerequisite_is_earned(
    world, educator_ana, exit_tickets, data_teams
):
    earn(world, educator_ana, exit_tickets)
    attempt = services.attempt_start(actor=educator_ana, credential=data_teams)
    assert attempt.version_id == data_teams.current_version_id
    assert attempt.state == Attempt.State.STARTED


def test_a_revoked_prerequisite_no_longer_counts(
    world, educator_ana, issuer_carla, exit_tickets, data_teams
):
    issued = earn(world, educator_ana, exit_tickets)
    badge_services.credential_revoke(actor=issuer_carla, credential=issued, reason="Copied work.")
    assert "Earn “Exit tickets” first" in refused(educator_ana, data_teams).message
    badge_services.credential_unrevoke(actor=issuer_carla, credential=issued)
    assert services.attempt_start(actor=educator_ana, credential=data_teams).pk


def test_an_expired_prerequisite_no_longer_counts(world, educator_ana, exit_tickets, data_teams):
    issued = earn(world, educator_ana, exit_tickets)
    # What the badges app copies onto the attempt when the badge's validUntil has passed.
    services.attempt_standing_set(
        attempt_id=issued.award.attempt_id,
        revoked_at=None,
        revoked_reason="",
        valid_until=timezone.now() - timedelta(days=1),
    )
    assert "Earn “Exit tickets” first" in refused(educator_ana, data_teams).message


def test_another_educators_award_does_not_count(world, educator_ana, exit_tickets, data_teams):
    other = member(world.north.school, Role.EDUCATOR, email="maya@riverbend.example")
    earn(world, other, exit_tickets)
    refused(educator_ana, data_teams)
    assert services.attempt_start(actor=other, credential=data_teams).pk


def test_an_attempt_started_before_the_prerequisite_was_added_goes_on(
    designer_dan, reviewer_rita, north, educator_ana, exit_tickets
):
    wait_time = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    attempt = services.attempt_start(actor=educator_ana, credential=wait_time)
    draft = catalog_services.credential_new_version(actor=designer_dan, credential=wait_time)
    catalog_services.draft_set_prerequisites(
        actor=designer_dan, version=draft, credential_ids=[exit_tickets.pk]
    )
    catalog_services.version_submit_for_review(actor=designer_dan, version=draft)
    catalog_services.version_review(
        actor=reviewer_rita, version=draft, approve=True, summary="", answers=approve_answers()
    )
    assert services.attempt_start(actor=educator_ana, credential=wait_time) == attempt


def test_the_page_says_why_instead_of_the_button_and_a_post_is_refused_the_same_way(
    client, educator_ana, data_teams
):
    client.force_login(educator_ana)
    page = client.get(f"/credentials/{data_teams.slug}/").content.decode()
    reason = "Earn “Exit tickets” first: it is a prerequisite of this credential."
    assert reason in page
    assert "Start this micro-credential" not in page
    assert 'href="/credentials/exit-tickets/">Go to “Exit tickets”</a>' in page
    events = AuditEvent.objects.count()
    response = client.post(f"/credentials/{data_teams.slug}/start/", follow=True)
    assert response.redirect_chain == [(f"/credentials/{data_teams.slug}/", 302)]
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [reason]
    assert not Attempt.objects.filter(educator=educator_ana).exists()
    assert AuditEvent.objects.count() == events


def test_the_button_is_offered_once_the_prerequisite_is_earned(
    client, world, educator_ana, exit_tickets, data_teams
):
    earn(world, educator_ana, exit_tickets)
    client.force_login(educator_ana)
    page = client.get(f"/credentials/{data_teams.slug}/").content.decode()
    assert "Start this micro-credential" in page and "Earn “Exit tickets” first" not in page
    assert (
        'Exit tickets</a> <span class="status status--attempt-earned">You earned it</span>' in page
    )
    response = client.post(f"/credentials/{data_teams.slug}/start/")
    assert response.status_code == 302
    assert Attempt.objects.filter(educator=educator_ana, version__credential=data_teams).exists()
