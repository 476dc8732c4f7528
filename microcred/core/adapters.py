"""django-allauth and django-axes glue: sign-up by invitation only, email login."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone

from microcred.core import services
from microcred.core.errors import DomainError
from microcred.core.models import Invitation, User

INVITATION_SESSION_KEY = "microcred_invitation"


def invitation_from_session(request: HttpRequest) -> Invitation | None:
    token = request.session.get(INVITATION_SESSION_KEY)
    if not token:
        return None
    return (
        Invitation.objects.select_related("organization")
        .filter(
            token=token,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return invitation_from_session(request) is not None

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> User:
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        saved: User = super().save_user(request, user, form, commit=commit)
        return saved

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        # A new account takes its invitation once allauth has stored its addresses: the
        # sign-up form only takes the invited address, and opening the emailed link proved
        # it (stash_verified_email), so the service finds it confirmed. An unconfirmed
        # account never gets here (ACCOUNT_EMAIL_VERIFICATION is mandatory).
        invitation = invitation_from_session(request)
        if kwargs.get("signup") and invitation is not None:
            try:
                services.invitation_accept(user=user, invitation=invitation)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                request.session.pop(INVITATION_SESSION_KEY, None)
        return super().post_login(request, user, **kwargs)


def login_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The identity django-axes counts failures against: the email, lower-cased."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()
