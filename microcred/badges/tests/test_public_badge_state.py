"""A badge's public page and the earner's wallet follow the award's standing: a revoked or
expired badge offers no Share and no "Add to LinkedIn", and its link preview says what it
is; reinstating brings them back. "Add to LinkedIn" is the earner's, naming the issuer's
LinkedIn page when the organization set one. The credential's humanCode is a short code,
and its JSON is served as `application/vc`."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges import compose, services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core import services as core_services
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent, Organization, Role

pytestmark = pytest.mark.django_db

REASON = "The classroom video was recorded by another teacher."


def _url(credential: IssuedCredential, suffix: str = "") -> str:
    return f"/badges/{credential.public_id}/{suffix}"


def _page(client, credential: IssuedCredential) -> str:
    response = client.get(_url(credential))
    assert response.status_code == 200
    return response.content.decode()


def _og(page: str, name: str) -> str:
    marker = f'<meta property="og:{name}" content="'
    assert page.count(marker) == 1, name
    return page.split(marker, 1)[1].split('"', 1)[0]


@pytest.fixture
def revoked(issued, issuer_carla) -> IssuedCredential:
    services.credential_revoke(actor=issuer_carla, credential=issued, reason=REASON)
    issued.refresh_from_db()
    return issued


@pytest.fixture
def expired(world, educator_ana, designer_dan, reviewer_rita, north) -> IssuedCredential:
    """Ana's "Wait time" badge, awarded three months ago and valid for one."""
    credential = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    version = credential.current_version
    assert version is not None
    version.valid_for_months = 1
    version.save(update_fields=["valid_for_months"])
    people = world.north.people
    award = awarded(
        educator=educator_ana,
        credential=credential,
        assessor=people[Role.ASSESSOR],
        issuer=people[Role.ISSUER],
    )
    Award.objects.filter(pk=award.pk).update(awarded_at=timezone.now() - timedelta(days=90))
    issued = IssuedCredential.objects.get(pk=services.credential_issue(award=award).pk)
    assert issued.valid_until is not None and issued.valid_until < timezone.now()
    assert json.loads(issued.document)["validUntil"] < timezone.now().isoformat()
    return issued


def _offers_sharing(page: str) -> bool:
    return 'id="share-h"' in page or 'href="#share-h"' in page


# ----------------------------------------------------------------------------- public page


def test_an_active_badge_page_offers_share_to_everyone_and_linkedin_to_the_earner(
    client, issued, educator_ana
):
    page = _page(client, issued)
    assert _offers_sharing(page)
    assert "linkedin.com" not in page  # a visitor cannot add someone else's certification
    client.force_login(educator_ana)
    page = _page(client, issued)
    assert _offers_sharing(page) and "Add to LinkedIn profile" in page


@pytest.mark.parametrize("viewer", [None, "educator_ana", "issuer_carla"])
def test_a_revoked_badge_page_offers_no_share_and_no_linkedin(client, revoked, viewer, request):
    if viewer:
        client.force_login(request.getfixturevalue(viewer))
    response = client.get(_url(revoked))
    page = response.content.decode()
    assert not _offers_sharing(page)
    assert "linkedin.com" not in page and "Add to LinkedIn" not in page
    assert response.context["linkedin_url"] == ""
    assert "Awarded to" in page and "Revoked on" in page and "Earned by" not in page


def test_the_public_never_reads_the_reason_for_a_revocation(client, revoked, educator_ana):
    assert REASON not in _page(client, revoked)
    client.force_login(educator_ana)
    assert REASON in _page(client, revoked)


def test_a_revoked_badge_link_preview_says_revoked(client, revoked, educator_ana):
    page = _page(client, revoked)
    title, description = _og(page, "title"), _og(page, "description")
    assert "revoked" in title and "earned" not in title
    assert description.startswith("Revoked by Riverbend Unified on")
    assert "no longer counts" in description
    assert f"<title>Exit tickets: {revoked.recipient_name} (revoked)" in page
    assert "earned the micro-credential" not in page.split("</head>")[0]


@pytest.mark.parametrize("viewer", [None, "educator_ana"])
def test_an_expired_badge_page_offers_no_share_and_previews_as_expired(
    client, expired, viewer, request
):
    if viewer:
        client.force_login(request.getfixturevalue(viewer))
    page = _page(client, expired)
    assert not _offers_sharing(page) and "linkedin.com" not in page
    assert "expired" in _og(page, "title") and "earned" not in _og(page, "title")
    assert _og(page, "description").startswith("Expired on")
    assert "Earned by" not in page and "Expired on" in page


def test_reinstating_brings_back_share_linkedin_and_the_earned_preview(
    client, revoked, issuer_carla, educator_ana
):
    services.credential_unrevoke(actor=issuer_carla, credential=revoked)
    client.force_login(educator_ana)
    page = _page(client, revoked)
    assert _offers_sharing(page) and "Add to LinkedIn profile" in page
    assert _og(page, "title").startswith("Exit tickets: earned by")
    assert "Earned by" in page and "Revoked on" not in page


# ----------------------------------------------------------------------------- LinkedIn


@pytest.mark.parametrize("viewer", ["issuer_carla", "principal_dee", "outsider_oz"])
def test_add_to_linkedin_shows_only_to_the_earner(client, issued, viewer, request):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(_url(issued))
    assert response.status_code == 200
    assert response.context["linkedin_url"] == ""
    assert "linkedin.com" not in response.content.decode()


def _linkedin_query(client, credential: IssuedCredential) -> dict[str, str]:
    url = client.get(_url(credential)).context["linkedin_url"]
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_add_to_linkedin_names_the_issuers_linkedin_page_when_it_has_one(
    client, issued, educator_ana, issuer_carla, north
):
    client.force_login(educator_ana)
    assert _linkedin_query(client, issued)["organizationName"] == "Riverbend Unified"
    core_services.organization_linkedin_set(actor=issuer_carla, organization=north, value="1337")
    query = _linkedin_query(client, issued)
    assert query["organizationId"] == "1337"
    assert "organizationName" not in query  # LinkedIn shows its page's own name and logo


def _linkedin_page(north: Organization) -> str:
    return reverse("core:organization-linkedin", args=[north.slug])


def test_the_issuer_sets_the_linkedin_id_from_the_signing_keys_page(
    client, issued, issuer_carla, north
):
    client.force_login(issuer_carla)
    keys = client.get(reverse("badges:keys", args=[north.slug])).content.decode()
    assert f'href="{_linkedin_page(north)}"' in keys
    assert 'name="linkedin_organization_id"' in client.get(_linkedin_page(north)).content.decode()
    response = client.post(
        _linkedin_page(north),
        {"linkedin_organization_id": "https://www.linkedin.com/company/1337/admin/"},
    )
    assert response.status_code == 302
    north.refresh_from_db()
    assert north.linkedin_organization_id == "1337"
    event = AuditEvent.objects.get(verb="organization.linkedin_changed")
    assert event.actor == issuer_carla and event.data["linkedin_organization_id"] == "1337"
    keys = client.get(reverse("badges:keys", args=[north.slug])).content.decode()
    assert "names LinkedIn organization 1337 as the issuer" in keys
    # Empty removes it.
    client.post(_linkedin_page(north), {"linkedin_organization_id": ""})
    north.refresh_from_db()
    assert north.linkedin_organization_id == ""


def test_a_linkedin_id_that_is_not_a_number_is_refused_and_nothing_changes(
    client, issued, admin_adam, north
):
    client.force_login(admin_adam)  # the program admin may set it too
    response = client.post(
        _linkedin_page(north),
        {"linkedin_organization_id": "linkedin.com/company/riverbend-unified"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the number of the organization" in page
    assert 'value="linkedin.com/company/riverbend-unified"' in page  # the input is kept
    north.refresh_from_db()
    assert north.linkedin_organization_id == ""
    assert not AuditEvent.objects.filter(verb="organization.linkedin_changed").exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("educator_ana", 403), ("principal_dee", 403), ("outsider_oz", 404)]
)
def test_only_the_organizations_issuers_and_admins_set_its_linkedin_id(
    client, issued, north, persona, status, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(_linkedin_page(north), {"linkedin_organization_id": "1337"})
    assert response.status_code == status
    assert client.get(_linkedin_page(north)).status_code == status
    north.refresh_from_db()
    assert north.linkedin_organization_id == ""
    assert not AuditEvent.objects.filter(verb="organization.linkedin_changed").exists()


def test_the_service_refuses_a_person_without_the_permission(educator_ana, north):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        core_services.organization_linkedin_set(actor=educator_ana, organization=north, value="1")
    with pytest.raises(Invalid):
        core_services.organization_linkedin_set(
            actor=north_issuer(north), organization=north, value="12ab"
        )
    assert Organization.objects.get(pk=north.pk).linkedin_organization_id == ""


def north_issuer(north: Organization):
    return north.memberships.get(role=Role.ISSUER).user


def test_the_django_admin_edits_the_linkedin_id(client, north):
    from microcred.core.models import User

    operator = User.objects.create_superuser(email="op@example.org", password="x-long-password")
    client.force_login(operator)
    url = reverse("admin:core_organization_change", args=[north.pk])
    assert 'name="linkedin_organization_id"' in client.get(url).content.decode()
    north.linkedin_organization_id = "12ab"
    with pytest.raises(Exception, match="digits"):
        north.full_clean()


# ----------------------------------------------------------------------------- wallet


def test_the_wallet_says_revoked_with_the_reason_and_offers_no_share(client, revoked, educator_ana):
    client.force_login(educator_ana)
    page = client.get("/badges/").content.decode()
    assert "Revoked" in page and REASON in page
    assert "status--published" not in page
    assert reverse("badges:json", args=[revoked.public_id]) not in page


def test_the_wallet_says_expired_and_offers_no_share(client, expired, educator_ana):
    client.force_login(educator_ana)
    page = client.get("/badges/").content.decode()
    assert "Expired " in page and "status--published" not in page
    assert reverse("badges:png", args=[expired.public_id]) not in page


def test_reinstating_restores_the_wallet(client, revoked, issuer_carla, educator_ana):
    services.credential_unrevoke(actor=issuer_carla, credential=revoked)
    client.force_login(educator_ana)
    page = client.get("/badges/").content.decode()
    assert '<span class="status status--published">Valid</span>' in page and REASON not in page
    assert reverse("badges:json", args=[revoked.public_id]) in page


# ----------------------------------------------------------------------------- humanCode


def test_human_code_is_the_credentials_short_code_not_its_competency(issued, credential):
    achievement = json.loads(issued.document)["credentialSubject"]["achievement"]
    assert achievement["humanCode"] == "EXIT-TICKETS"
    version = credential.current_version
    assert version is not None
    assert not version.competency or achievement["humanCode"] != version.competency


def test_human_code_is_short_and_made_from_the_credential_not_the_version(credential):
    long_slug = "culturally-responsive-questioning-routines-in-middle-school-science"
    code = compose.human_code(long_slug)
    assert code == "CULTURALLY-RESPONSIVE"
    assert len(code) <= compose.HUMAN_CODE_MAX
    assert compose.human_code("a" * 90) == "A" * compose.HUMAN_CODE_MAX
    # It is made from the credential, which every version shares, never from a version.
    assert compose.human_code(credential.slug) == "EXIT-TICKETS"


def test_a_credential_with_the_short_human_code_still_verifies(client, issued):
    from microcred.badges import verify

    assert verify.verify_credential(json.loads(issued.document)).verified


# ----------------------------------------------------------------------------- media type


def test_credential_json_is_served_as_application_vc(client, issued):
    response = client.get(_url(issued, "credential.json"))
    assert response["Content-Type"] == "application/vc"
    assert response["Content-Disposition"] == 'attachment; filename="exit-tickets.json"'
    assert json.loads(response.content)["id"] == f"urn:uuid:{issued.public_id}"
    page = _page(client, issued)
    href = reverse("badges:json", args=[issued.public_id])
    assert f'<link rel="alternate" type="application/vc" href="{href}">' in page


@pytest.mark.parametrize(
    ("accept", "served"),
    [
        ("application/vc", "application/vc"),
        ("*/*", "application/vc"),
        ("application/ld+json, application/json, image/*", "application/ld+json"),
        ("application/json", "application/json"),
    ],
)
def test_a_client_that_asks_for_json_ld_or_json_still_gets_it(client, issued, accept, served):
    response = client.get(_url(issued, "credential.json"), headers={"accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"] == served and response["Vary"] == "Accept"
    assert response.content.decode() == issued.document
