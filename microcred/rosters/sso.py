"""OpenID Connect sign-in per district, through django-allauth's `openid_connect` provider
(ADR 0022). allauth runs the flow (discovery, authorization code with PKCE, token, userinfo);
this module decides who the person is: `SocialAccountAdapter.pre_social_login` finds her
among the district's own people (selectors.sso_match) or refuses with a page that says why
and whom to ask. Nobody signs up through a provider by herself.

The callback is ours (`oidc_callback`, routed ahead of allauth's) only to check the ID
token's signature against the provider's published keys: allauth skips that check for a
token it fetched itself, which the specification allows over TLS, but a district's provider
is configured by hand and a test provider runs over plain HTTP on localhost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from microcred.core import permissions
from microcred.core.models import Organization, User
from microcred.rosters import selectors, services
from microcred.rosters.models import SingleSignOn

TEST_SESSION_KEY = "microcred_sso_test"  # what the provider sent on a "test sign-in"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False  # new educators are made in pre_social_login, when the district allows

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        sso = selectors.sso_for_provider(sociallogin.account.provider)
        if sso is None:
            raise ImmediateHttpResponse(_refused(request, None, "This sign-in is not set up."))
        claims = selectors.sso_claims(sociallogin.account.extra_data, sso=sso)
        if (sociallogin.state.get("data") or {}).get("sso_test") == sso.organization_id:
            raise ImmediateHttpResponse(_tested(request, sso, claims))
        if not sso.enabled:
            message = f"Sign-in with {sso.organization.name} is turned off."
            raise ImmediateHttpResponse(_refused(request, sso, message))
        if sociallogin.is_existing:
            user = sociallogin.user
            assert isinstance(user, User)
            if not user.is_active:
                message = selectors.sso_inactive_message(sso)
                raise ImmediateHttpResponse(_refused(request, sso, message))
            return
        match = selectors.sso_match(sso=sso, claims=claims)
        if match.user is not None:
            services.sso_account_link(sso=sso, user=match.user, account=sociallogin.account)
        elif match.may_create:
            services.sso_educator_create(
                sso=sso, email=claims.email, name=claims.name, account=sociallogin.account
            )
        else:
            raise ImmediateHttpResponse(_refused(request, sso, match.refusal))
        sociallogin.user = sociallogin.account.user  # is_existing now: allauth signs her in


def _refused(request: HttpRequest, sso: SingleSignOn | None, message: str) -> HttpResponse:
    context = {"organization": sso.organization if sso else None, "message": message}
    return render(request, "rosters/sso_refused.html", context, status=403)


def _tested(request: HttpRequest, sso: SingleSignOn, claims: selectors.Claims) -> HttpResponse:
    """A program admin's test sign-in: what the provider sent and whom it would sign in,
    kept for the settings page; nobody is signed in or linked."""
    user = request.user
    if not permissions.has_perm(user, "org.manage_members", sso.organization):
        return _refused(request, sso, "Only a program admin of the district can test its sign-in.")
    match = selectors.sso_match(sso=sso, claims=claims)
    request.session[TEST_SESSION_KEY] = {
        "organization": sso.organization_id,
        "email": claims.email,
        "email_verified": claims.email_verified,
        "name": claims.name,
        "sourced_id": claims.sourced_id,
        "outcome": match.describe(),
    }
    return redirect("rosters:sso", slug=sso.organization.slug)


def test_redirect(request: HttpRequest, sso: SingleSignOn) -> HttpResponseBase:
    """Start the provider's real sign-in, marked (in allauth's server-side state) as a test
    of this district's settings."""
    provider = sso.app.get_provider(request)
    try:
        response: HttpResponseBase = provider.redirect(
            request, process="login", data={"sso_test": sso.organization_id}
        )
    except (requests.RequestException, ValueError, KeyError) as error:
        messages.error(
            request,
            f"Microcred could not read the provider's configuration at "
            f"{provider.server_url}: {error}. Check the issuer URL.",
        )
        return redirect("rosters:sso", slug=sso.organization.slug)
    return response


def page_context(
    request: HttpRequest, *, organization: Organization, sso: SingleSignOn | None
) -> dict[str, Any]:
    """The settings page: the address to register at the provider, and the outcome of the
    last test sign-in (shown once)."""
    provider_id = sso.app.provider_id if sso else services.sso_provider_id(organization)
    path = reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
    tested = request.session.get(TEST_SESSION_KEY)
    if tested and tested.get("organization") == organization.pk:
        request.session.pop(TEST_SESSION_KEY)
    else:
        tested = None
    return {
        "organization": organization,
        "sso": sso,
        "callback_url": request.build_absolute_uri(path),
        "tested": tested,
    }


class VerifyingAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, but the ID token's signature is always checked."""

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        try:
            decoded: dict[str, Any] = jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except OAuth2Error:
            raise
        except Exception as error:  # a malformed token or header: refused, never a 500
            raise OAuth2Error(f"The ID token could not be checked: {error}") from error
        return decoded


@login_not_required
def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    try:
        view = OAuth2CallbackView.adapter_view(VerifyingAdapter(request, provider_id))
        response: HttpResponseBase = view(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error
    return response


@require_GET
def not_offered(request: HttpRequest) -> HttpResponse:
    """allauth's page to connect and disconnect provider accounts: a district's sign-in is
    linked by matching, not by hand, so the page does not exist here."""
    raise Http404


SIGN_IN_PAGES = {"account_login", "rosters:sso"}


def sign_in_csp(get_response: Callable[[HttpRequest], HttpResponseBase]) -> Callable[..., Any]:
    """Middleware: the pages whose forms start a sign-in at a district's provider (the
    sign-in page, the settings page's test) let those forms go there. The policy's
    `form-action 'self'` also covers the redirect that answers the form, and browsers stop a
    redirect to the provider without this. It must come after Django's CSP middleware."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        match = request.resolver_match
        base = getattr(response, "_csp_config", None) or settings.SECURE_CSP
        if match is None or match.view_name not in SIGN_IN_PAGES or not base:
            return response
        origins = selectors.sso_origins()
        if origins:
            config = dict(base)
            config["form-action"] = [*config.get("form-action", []), *origins]
            response._csp_config = config  # type: ignore[attr-defined]
        return response

    return middleware
