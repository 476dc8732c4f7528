"""OpenID Connect sign-in per district, against a real OpenID provider (panva's
`oidc-provider`, interop/oidc-provider.mjs) started by these tests in a node process on
localhost: discovery, the authorization code flow with PKCE (the provider refuses a flow
without it), the ID token's signature checked against the provider's keys. The browser is
`requests` at the provider and Django's test client at Microcred: the provider never calls
Microcred, it only redirects the browser back, and Microcred calls the provider's token,
keys and userinfo endpoints itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from microcred.core.models import AuditEvent, Membership, Organization, Role, User
from microcred.rosters import services
from microcred.rosters.models import RosterLink, SingleSignOn
from microcred.rosters.tests.oidc import CLIENT_ID, HS_CLIENT_ID, PROVIDER_ID, SECRET, provider

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The provider, one process for the module; its issuer URL."""
    with provider(tmp_path_factory.mktemp("oidc"), "http://testserver") as url:
        yield url


@pytest.fixture
def sso(issuer: str, north: Organization, admin_adam: User) -> SingleSignOn:
    return services.sso_save(
        actor=admin_adam,
        organization=north,
        issuer=issuer,
        client_id=CLIENT_ID,
        secret=SECRET,
        email_domains=["riverbend.example"],
        match_claim="sourcedId",
        allow_new_educators=False,
        new_educator_school=None,
        enabled=True,
    )


@dataclass
class Flow:
    authorize_url: str
    response: object  # Microcred's answer to the provider's redirect back


def sign_in(client: Client, login: str, start: str = "") -> Flow:
    """Click "Sign in with Riverbend Unified" (or `start`, the test button), sign in at the
    provider as `login`, and follow it back to Microcred."""
    start = start or reverse("openid_connect_login", args=[PROVIDER_ID]) + "?process=login"
    answer = client.post(start)
    assert answer.status_code == 302, answer.content[:500]
    authorize_url = answer["Location"]
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, page.text[:500]
    location = browser.post(
        urljoin(page.url, action.group(1)),
        data={"prompt": "login", "login": login, "password": "any"},
        allow_redirects=False,
        timeout=10,
    ).headers["Location"]
    while not location.startswith("http://testserver/"):
        location = urljoin(
            location,
            browser.get(urljoin(page.url, location), allow_redirects=False, timeout=10).headers[
                "Location"
            ],
        )
    parts = urlsplit(location)
    return Flow(authorize_url, client.get(parts.path, parse_qs(parts.query)))


def signed_in_as(client: Client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def sso_events() -> list[str]:
    return list(
        AuditEvent.objects.filter(verb__startswith="sso.")
        .exclude(verb="sso.saved")
        .values_list("verb", flat=True)
    )


# ----------------------------------------------------------------------------- signing in


def test_educator_signs_in_by_verified_email_through_code_flow_with_pkce(
    client, sso, issuer, educator_ana
):
    flow = sign_in(client, "ana")
    query = parse_qs(urlsplit(flow.authorize_url).query)
    assert flow.authorize_url.startswith(f"{issuer}/auth")  # found by discovery
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert flow.response.status_code == 302 and flow.response["Location"] == reverse("home")
    assert signed_in_as(client) == educator_ana.pk
    account = SocialAccount.objects.get(user=educator_ana)
    assert account.provider == PROVIDER_ID and account.uid == "ana"
    # The ID token came, and was decoded (its signature checked: see the HS256 test).
    assert account.extra_data["id_token"]["iss"] == issuer
    assert account.extra_data["id_token"]["aud"] == CLIENT_ID
    assert sso_events() == ["sso.linked"]

    # The next time she is found by the linked account; nothing new is written.
    client.logout()
    sign_in(client, "ana")
    assert signed_in_as(client) == educator_ana.pk
    assert sso_events() == ["sso.linked"]


def test_id_token_not_signed_with_the_providers_published_keys_is_refused(
    client, sso, educator_ana
):
    app = sso.app
    app.client_id = HS_CLIENT_ID
    app.save()
    flow = sign_in(client, "ana")
    assert flow.response.status_code == 401  # allauth's "authentication error" page
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists() and sso_events() == []


@pytest.mark.parametrize("login", ["ana-unverified", "ana-string"])
def test_unverified_email_is_refused(client, sso, educator_ana, login):
    flow = sign_in(client, login)
    page = flow.response.content.decode()
    assert flow.response.status_code == 403
    assert "did not say that educator@riverbend.example is a verified address" in page
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists() and sso_events() == []


def test_stranger_is_refused_with_the_names_of_the_districts_program_admins(client, sso, north):
    users = User.objects.count()
    flow = sign_in(client, "stranger")
    page = flow.response.content.decode()
    assert flow.response.status_code == 403
    assert "not on Riverbend Unified&#x27;s roster" in page
    assert "Riverbend Program admin" in page  # admin_adam's name
    assert signed_in_as(client) is None
    assert User.objects.count() == users and not SocialAccount.objects.exists()
    assert sso_events() == []


def test_a_person_of_another_district_is_not_matched_even_with_a_verified_email(
    client, sso, outsider_oz
):
    sso.email_domains = ["riverbend.example", "lakeshore.example"]
    sso.save()
    flow = sign_in(client, "oz")
    assert flow.response.status_code == 403
    assert signed_in_as(client) is None and not SocialAccount.objects.exists()


def test_new_educator_is_made_in_the_chosen_school_when_the_district_allows_it(
    client, sso, world, admin_adam
):
    school = world.north.school
    services.sso_save(
        actor=admin_adam,
        organization=sso.organization,
        issuer=sso.app.settings["server_url"],
        client_id=CLIENT_ID,
        secret="",
        email_domains=["riverbend.example"],
        match_claim="sourcedId",
        allow_new_educators=True,
        new_educator_school=school,
        enabled=True,
    )
    flow = sign_in(client, "stranger")
    sam = User.objects.get(email="sam@riverbend.example")
    assert flow.response.status_code == 302 and signed_in_as(client) == sam.pk
    assert sam.full_name == "Sam Lee" and not sam.has_usable_password()
    assert Membership.objects.filter(user=sam, organization=school, role=Role.EDUCATOR).exists()
    assert sso_events() == ["sso.signed_in_new"]
    event = AuditEvent.objects.get(verb="sso.signed_in_new")
    assert event.actor == sam and event.organization == sso.organization


def test_deactivated_account_cannot_sign_in(client, sso, coach_carmen):
    coach_carmen.is_active = False
    coach_carmen.save()
    flow = sign_in(client, "carmen")
    assert flow.response.status_code == 403
    assert "deactivated" in flow.response.content.decode()
    assert signed_in_as(client) is None and not SocialAccount.objects.exists()


def test_account_deactivated_after_it_was_linked_cannot_sign_in(client, sso, coach_carmen):
    sign_in(client, "carmen")
    assert signed_in_as(client) == coach_carmen.pk
    client.logout()
    User.objects.filter(pk=coach_carmen.pk).update(is_active=False)
    flow = sign_in(client, "carmen")
    assert flow.response.status_code == 403 and signed_in_as(client) is None


def test_person_is_matched_by_the_roster_sourced_id_claim(client, sso, north, principal_dee):
    RosterLink.objects.create(
        root=north, kind=RosterLink.Kind.USER, sourced_id="t-100", user=principal_dee
    )
    flow = sign_in(client, "dee-roster")  # her email is neither verified nor the district's
    assert flow.response.status_code == 302 and signed_in_as(client) == principal_dee.pk
    assert sso_events() == ["sso.linked"]


def test_turned_off_sign_in_refuses(client, sso, educator_ana):
    SingleSignOn.objects.filter(pk=sso.pk).update(enabled=False)
    flow = sign_in(client, "ana")
    assert flow.response.status_code == 403 and signed_in_as(client) is None


def test_sign_in_page_offers_the_districts_that_turned_it_on(client, sso, issuer):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    # The button's form is answered with a redirect to the provider: the policy allows it.
    assert f"form-action 'self' {issuer}" in response["Content-Security-Policy"]
    assert "Sign in with Riverbend Unified" in page
    assert f'action="/accounts/oidc/{PROVIDER_ID}/login/?process=login"' in page
    SingleSignOn.objects.filter(pk=sso.pk).update(enabled=False)
    assert "Sign in with Riverbend" not in client.get(reverse("account_login")).content.decode()


# ----------------------------------------------------------------------------- settings page


def test_test_sign_in_shows_what_the_provider_sent_and_signs_nobody_in(
    client, sso, admin_adam, educator_ana
):
    client.force_login(admin_adam)
    flow = sign_in(client, "ana-unverified", start=reverse("rosters:sso-test", args=["riverbend"]))
    assert flow.response.status_code == 302
    assert flow.response["Location"] == reverse("rosters:sso", args=["riverbend"])
    assert signed_in_as(client) == admin_adam.pk  # still the admin
    page = client.get(flow.response["Location"]).content.decode()
    assert "educator@riverbend.example" in page
    assert "<dt>Email verified by the provider</dt><dd>No</dd>" in page
    assert "It would be refused" in page
    assert not SocialAccount.objects.exists() and sso_events() == []
    # Shown once.
    assert "It would be refused" not in client.get(flow.response["Location"]).content.decode()


def test_test_sign_in_names_the_person_it_would_match(client, sso, admin_adam, educator_ana):
    client.force_login(admin_adam)
    flow = sign_in(client, "ana", start=reverse("rosters:sso-test", args=["riverbend"]))
    page = client.get(flow.response["Location"]).content.decode()
    assert "It would sign in Riverbend Educator (matched by verified email)." in page
    assert signed_in_as(client) == admin_adam.pk and not SocialAccount.objects.exists()
