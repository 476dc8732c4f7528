"""A revoked award stops counting: every page that shows an award reads its standing from
the award's current credential. Revoked (with the issuer's reason for the educator),
expired, or earned again once reinstated; never "Earned" for a badge that no longer counts.
The pages keep a constant number of queries with revoked and expired rows among them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges import services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.models import Credential
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import AuditEvent, Role, User
from microcred.core.tests.factories import member

pytestmark = pytest.mark.django_db

REASON = "The classroom video was recorded by another teacher."


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://localhost:8000"


@pytest.fixture
def exit_tickets(designer_dan, reviewer_rita, north) -> Credential:
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


@pytest.fixture
def wait_time(designer_dan, reviewer_rita, north) -> Credential:
    """A credential whose badge is valid for one month."""
    credential = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    version = credential.current_version
    assert version is not None
    version.valid_for_months = 1
    version.save(update_fields=["valid_for_months"])
    return credential


def badge(world, educator: User, credential: Credential) -> IssuedCredential:
    """The educator earns the credential through the real services and its badge is signed."""
    people = world.north.people
    award = awarded(
        educator=educator,
        credential=credential,
        assessor=people[Role.ASSESSOR],
        issuer=people[Role.ISSUER],
    )
    issued = services.credential_issue(award=award)
    return IssuedCredential.objects.get(pk=issued.pk)  # with the award as stored


def expired_badge(world, educator: User, credential: Credential) -> IssuedCredential:
    """A badge awarded three months ago, valid for one: its signed validUntil has passed."""
    people = world.north.people
    award = awarded(
        educator=educator,
        credential=credential,
        assessor=people[Role.ASSESSOR],
        issuer=people[Role.ISSUER],
    )
    Award.objects.filter(pk=award.pk).update(awarded_at=timezone.now() - timedelta(days=90))
    issued = IssuedCredential.objects.get(pk=services.credential_issue(award=award).pk)
    assert issued.valid_until is not None and issued.valid_until < timezone.now()
    return issued


@pytest.fixture
def revoked(world, educator_ana, exit_tickets, issuer_carla) -> IssuedCredential:
    issued = badge(world, educator_ana, exit_tickets)
    services.credential_revoke(actor=issuer_carla, credential=issued, reason=REASON)
    issued.refresh_from_db()
    return issued


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _certificate(credential: IssuedCredential) -> str:
    assert credential.award is not None
    return reverse("assessment:certificate", args=[credential.award.public_id])


def _attempt(credential: IssuedCredential) -> str:
    assert credential.award is not None
    return reverse("earning:attempt", args=[credential.award.attempt.public_id])


# ----------------------------------------------------------------------------- dashboard


def test_the_dashboard_says_revoked_with_the_issuers_reason_not_earned(
    client, revoked, educator_ana
):
    client.force_login(educator_ana)
    page = _page(client, reverse("earning:dashboard"))
    assert '<span class="status status--attempt-revoked">Revoked</span>' in page
    assert "status--attempt-earned" not in page
    assert REASON in page
    assert "Share your badge" not in page


def test_the_dashboard_says_expired_never_earned(client, world, educator_ana, wait_time):
    expired_badge(world, educator_ana, wait_time)
    client.force_login(educator_ana)
    page = _page(client, reverse("earning:dashboard"))
    assert '<span class="status status--attempt-expired">Expired</span>' in page
    assert "status--attempt-earned" not in page and "Share your badge" not in page


def test_reinstating_brings_earned_back_on_the_dashboard(
    client, revoked, educator_ana, issuer_carla
):
    services.credential_unrevoke(actor=issuer_carla, credential=revoked)
    client.force_login(educator_ana)
    page = _page(client, reverse("earning:dashboard"))
    assert '<span class="status status--attempt-earned">Earned</span>' in page
    assert "Share your badge" in page
    assert "status--attempt-revoked" not in page and REASON not in page


def test_a_badge_still_being_signed_reads_earned(
    client, world, educator_ana, exit_tickets, django_capture_on_commit_callbacks
):
    people = world.north.people
    with django_capture_on_commit_callbacks(execute=False):  # the signing task has not run
        awarded(
            educator=educator_ana,
            credential=exit_tickets,
            assessor=people[Role.ASSESSOR],
            issuer=people[Role.ISSUER],
        )
    assert not IssuedCredential.objects.exists()
    client.force_login(educator_ana)
    assert "status--attempt-earned" in _page(client, reverse("earning:dashboard"))


# ----------------------------------------------------------------------------- attempt page


def test_the_attempt_page_says_revoked_and_tells_only_the_educator_why(
    client, revoked, educator_ana, principal_dee
):
    client.force_login(educator_ana)
    page = _page(client, _attempt(revoked))
    assert '<h2 id="earned-h">Revoked</h2>' in page and REASON in page
    assert "earned this micro-credential" not in page
    assert "status--attempt-earned" not in page
    client.force_login(principal_dee)  # the school leader sees that it was revoked, not why
    page = _page(client, _attempt(revoked))
    assert '<h2 id="earned-h">Revoked</h2>' in page and REASON not in page


def test_the_attempt_page_of_an_expired_badge_says_expired(client, world, educator_ana, wait_time):
    expired = expired_badge(world, educator_ana, wait_time)
    client.force_login(educator_ana)
    page = _page(client, _attempt(expired))
    assert '<h2 id="earned-h">Expired</h2>' in page
    assert '<span class="status status--attempt-expired">Expired</span>' in page
    assert '<h2 id="earned-h">Earned</h2>' not in page


def test_reinstating_brings_earned_back_on_the_attempt_page(
    client, revoked, educator_ana, issuer_carla
):
    services.credential_unrevoke(actor=issuer_carla, credential=revoked)
    client.force_login(educator_ana)
    page = _page(client, _attempt(revoked))
    assert '<h2 id="earned-h">Earned</h2>' in page and REASON not in page
    assert "status--attempt-revoked" not in page


# ----------------------------------------------------------------------------- certificate


def test_the_certificate_of_a_revoked_award_no_longer_certifies_it(
    client, revoked, educator_ana, principal_dee
):
    client.force_login(educator_ana)
    page = _page(client, _certificate(revoked))
    assert "certifies that" not in page and "has earned" not in page
    assert "revoked it on" in page and REASON in page
    client.force_login(principal_dee)
    page = _page(client, _certificate(revoked))
    assert "certifies that" not in page and "revoked it on" in page
    assert REASON not in page  # the reason is the educator's


def test_the_certificate_of_an_expired_award_says_expired_not_earned(
    client, world, educator_ana, wait_time
):
    expired = expired_badge(world, educator_ana, wait_time)
    client.force_login(educator_ana)
    page = _page(client, _certificate(expired))
    assert "has earned" not in page
    assert "held the micro-credential until" in page and "Expired" in page


def test_reinstating_restores_the_certificate(client, revoked, educator_ana, issuer_carla):
    services.credential_unrevoke(actor=issuer_carla, credential=revoked)
    client.force_login(educator_ana)
    page = _page(client, _certificate(revoked))
    assert "certifies that" in page and "has earned the micro-credential" in page
    assert "revoked" not in page.lower().split("<main", 1)[-1].split("</main>")[0]


def test_another_districts_certificate_stays_a_404(client, revoked, world):
    client.force_login(world.south.people[Role.LEADER])
    assert client.get(_certificate(revoked)).status_code == 404


# ----------------------------------------------------------------------------- feedback


def test_the_feedback_page_does_not_offer_to_share_a_revoked_badge(client, revoked, educator_ana):
    client.force_login(educator_ana)
    page = _page(client, reverse("assessment:feedback", args=[revoked.award.attempt.public_id]))
    assert "Awarded, since revoked" in page and "Share your badge" not in page
    assert '<span class="status status--attempt-revoked">Revoked</span>' in page


# ----------------------------------------------------------------------------- staff progress


def test_staff_progress_shows_revoked_and_expired_not_earned(
    client, world, revoked, educator_ana, wait_time, principal_dee
):
    colleague = member(world.north.school, Role.EDUCATOR, email="bo@riverbend.example")
    expired_badge(world, colleague, wait_time)
    client.force_login(principal_dee)
    page = _page(client, reverse("earning:staff"))
    assert '<span class="status status--attempt-revoked">Revoked</span>' in page
    assert '<span class="status status--attempt-expired">Expired</span>' in page
    assert "status--attempt-earned" not in page
    assert REASON not in page


def test_staff_progress_shows_earned_again_after_reinstating(
    client, revoked, issuer_carla, principal_dee
):
    services.credential_unrevoke(actor=issuer_carla, credential=revoked)
    client.force_login(principal_dee)
    page = _page(client, reverse("earning:staff"))
    assert '<span class="status status--attempt-earned">Earned</span>' in page
    assert "status--attempt-revoked" not in page


def test_a_refused_revocation_leaves_every_page_earned(
    client, world, educator_ana, exit_tickets, principal_dee
):
    issued = badge(world, educator_ana, exit_tickets)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.credential_revoke(actor=principal_dee, credential=issued, reason=REASON)
    issued.refresh_from_db()
    assert issued.state == IssuedCredential.State.ACTIVE
    assert AuditEvent.objects.count() == events
    client.force_login(educator_ana)
    assert "status--attempt-earned" in _page(client, reverse("earning:dashboard"))
    assert "certifies that" in _page(client, _certificate(issued))


# ----------------------------------------------------------------------------- query counts


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_and_staff_queries_stay_the_same_with_more_revoked_and_expired_badges(
    client, world, educator_ana, issuer_carla, principal_dee, designer_dan, reviewer_rita, north
):
    def credential(title: str, months: int | None = None) -> Credential:
        made = published_credential(designer_dan, reviewer_rita, north, title=title)
        if months:
            version = made.current_version
            assert version is not None
            version.valid_for_months = months
            version.save(update_fields=["valid_for_months"])
        return made

    first = badge(world, educator_ana, credential("One"))
    services.credential_revoke(actor=issuer_carla, credential=first, reason=REASON)
    client.force_login(educator_ana)
    dashboard = _count(client, reverse("earning:dashboard"))
    client.force_login(principal_dee)
    staff = _count(client, reverse("earning:staff"))

    for title in ("Two", "Three"):
        more = badge(world, educator_ana, credential(title))
        services.credential_revoke(actor=issuer_carla, credential=more, reason=REASON)
    expired_badge(world, educator_ana, credential("Four", months=1))
    badge(world, educator_ana, credential("Five"))

    client.force_login(educator_ana)
    response = client.get(reverse("earning:dashboard"))
    standings = sorted(a.standing.state for a in response.context["page"].object_list)
    assert standings == ["earned", "expired", "revoked", "revoked", "revoked"]
    assert _count(client, reverse("earning:dashboard")) == dashboard
    client.force_login(principal_dee)
    assert _count(client, reverse("earning:staff")) == staff


# ----------------------------------------------------------------------------- filters


def test_the_dashboard_counts_and_filters_revoked_and_expired_apart_from_earned(
    client, world, revoked, educator_ana, wait_time, designer_dan, reviewer_rita, north
):
    expired_badge(world, educator_ana, wait_time)
    still = badge(
        world,
        educator_ana,
        published_credential(designer_dan, reviewer_rita, north, title="Think-pair-share"),
    )
    client.force_login(educator_ana)
    response = client.get(reverse("earning:dashboard"))
    filters = {value: count for value, _label, count in response.context["filters"]}
    assert filters == {"": 3, "earned": 1, "revoked": 1, "expired": 1}

    def shown(state: str) -> list[str]:
        response = client.get(reverse("earning:dashboard"), {"state": state})
        return [a.version.title for a in response.context["page"].object_list]

    assert shown("earned") == [still.award.attempt.version.title]
    assert shown("revoked") == ["Exit tickets"]
    assert shown("expired") == ["Wait time"]


def test_staff_progress_filters_revoked_apart_from_earned(client, revoked, principal_dee):
    client.force_login(principal_dee)
    revoked_rows = client.get(reverse("earning:staff"), {"state": "revoked"}).context["page"]
    assert [a.version.title for a in revoked_rows.object_list] == ["Exit tickets"]
    earned_rows = client.get(reverse("earning:staff"), {"state": "earned"}).context["page"]
    assert list(earned_rows.object_list) == []
    page = client.get(reverse("earning:staff")).content.decode()
    assert '<option value="revoked">Revoked</option>' in page


def test_the_catalog_page_does_not_say_you_earned_a_revoked_badge(
    client, revoked, educator_ana, issuer_carla
):
    client.force_login(educator_ana)
    page = _page(client, revoked.award.attempt.version.credential.get_absolute_url())
    assert "Your badge was revoked — see your work" in page
    assert "You earned this" not in page
    services.credential_unrevoke(actor=issuer_carla, credential=revoked)
    page = _page(client, revoked.award.attempt.version.credential.get_absolute_url())
    assert "You earned this — see your work" in page
