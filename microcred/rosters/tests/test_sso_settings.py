"""The district's single sign-on settings page: its program admins only (another district's
admin gets a 404), bad input refused with a message that keeps what was typed, the client
secret never shown back, and each save audited."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from microcred.core.models import AuditEvent, Role
from microcred.rosters.models import SingleSignOn

pytestmark = pytest.mark.django_db

SECRET = "the-very-secret-client-secret"


def url(slug: str = "riverbend") -> str:
    return reverse("rosters:sso", args=[slug])


def form(**changes: str) -> dict[str, str]:
    data = {
        "issuer": "https://accounts.example.org",
        "client_id": "microcred-riverbend",
        "client_secret": SECRET,
        "email_domains": "riverbend.example\nschools.riverbend.example",
        "match_claim": "sourcedId",
        "enabled": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def adam(client, admin_adam):
    client.force_login(admin_adam)
    return client


def test_program_admin_saves_the_sign_in_and_the_secret_is_never_shown_back(adam, north):
    response = adam.post(url(), form())
    assert response.status_code == 302 and response["Location"] == url()
    sso = SingleSignOn.objects.select_related("app").get(organization=north)
    assert sso.app.provider == "openid_connect" and sso.app.provider_id == "district-riverbend"
    assert sso.app.settings == {
        "server_url": "https://accounts.example.org",
        "oauth_pkce_enabled": True,
    }
    assert sso.app.secret == SECRET and sso.enabled
    assert sso.email_domains == ["riverbend.example", "schools.riverbend.example"]
    event = AuditEvent.objects.get(verb="sso.saved")
    assert SECRET not in str(event.data) and event.data["secret_changed"] is True

    page = adam.get(url()).content.decode()
    assert SECRET not in page
    assert "http://testserver/accounts/oidc/district-riverbend/login/callback/" in page
    assert 'value="microcred-riverbend"' in page

    # Saved again without a secret: the stored one stays.
    assert adam.post(url(), form(client_secret="", client_id="new-id")).status_code == 302
    app = SocialApp.objects.get()
    assert app.secret == SECRET and app.client_id == "new-id"
    assert AuditEvent.objects.filter(verb="sso.saved").count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer", "http://accounts.example.org", "is not an https:// address"),
        ("issuer", "accounts.example.org", "is not an https:// address"),
        ("email_domains", "riverbend.example\nnot a domain", "These are not email domains"),
        ("email_domains", "", "Enter at least one email domain"),
        ("client_secret", "", "Enter the client secret"),
        ("match_claim", "sourced id", "A claim name has no spaces"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    adam, north, field, value, message
):
    response = adam.post(url(), form(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="microcred-riverbend"' in page  # what was typed is still there
    assert SECRET not in page
    assert not SingleSignOn.objects.exists() and not SocialApp.objects.exists()
    assert not AuditEvent.objects.filter(verb="sso.saved").exists()


def test_http_issuer_is_allowed_on_localhost(adam, north):
    assert adam.post(url(), form(issuer="http://localhost:8080")).status_code == 302


def test_new_educators_need_a_school_of_the_district(adam, world):
    response = adam.post(url(), form(allow_new_educators="on"))
    assert response.status_code == 400
    assert "Choose the school new educators join" in response.content.decode()
    other_school = world.south.school.pk
    response = adam.post(url(), form(allow_new_educators="on", new_educator_school=other_school))
    assert response.status_code == 400  # not one of the choices
    assert not SingleSignOn.objects.exists()
    school = world.north.school.pk
    response = adam.post(url(), form(allow_new_educators="on", new_educator_school=school))
    assert response.status_code == 302
    assert SingleSignOn.objects.get().new_educator_school_id == school


def test_another_districts_admin_gets_404(client, world):
    client.force_login(world.south.people[Role.ADMIN])
    assert client.get(url()).status_code == 404
    assert client.post(url(), form()).status_code == 404
    assert client.post(reverse("rosters:sso-test", args=["riverbend"])).status_code == 404
    assert not SingleSignOn.objects.exists()


def test_other_roles_of_the_district_are_refused(client, world):
    client.force_login(world.north.people[Role.LEADER])
    assert client.get(url()).status_code == 403
    assert client.post(url(), form()).status_code == 403
    assert not SingleSignOn.objects.exists()


def test_test_sign_in_before_saving_says_to_save_first(adam):
    response = adam.post(reverse("rosters:sso-test", args=["riverbend"]), follow=True)
    assert "Save the settings first" in response.content.decode()


def test_test_sign_in_with_an_unreachable_issuer_says_so(adam):
    adam.post(url(), form(issuer="http://localhost:9"))  # nothing listens on the discard port
    response = adam.post(reverse("rosters:sso-test", args=["riverbend"]), follow=True)
    assert "could not read the provider" in response.content.decode()
