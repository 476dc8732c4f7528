"""Pages for organizations, members, invitations and the person's profile."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcred.core import parts, permissions, selectors, services
from microcred.core.adapters import INVITATION_SESSION_KEY
from microcred.core.errors import DomainError, InvitationForAnotherAddress, add_to_form
from microcred.core.forms import InvitationForm, LinkedInForm, ProfileForm, UnitForm
from microcred.core.models import Invitation, Membership, Organization, User, with_article
from microcred.core.parts import Part


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _organization(request: HttpRequest, slug: str, perm: str) -> Organization:
    """The organization the URL names, for a person who holds `perm` in it (else 404 or 403)."""
    user = _user(request)
    organization = get_object_or_404(Organization.objects.visible_to(user), slug=slug)
    permissions.require(user, perm, organization)
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, full_name=form.cleaned_data["full_name"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Your name is saved.")
            return redirect("core:profile")
    memberships = selectors.memberships_of(user=user)
    statuses = parts.render(Part.PERSON_STATUSES, request, user)
    context = {"form": form, "memberships": memberships, "statuses": statuses}
    return render(request, "core/profile.html", context)


@login_required
@require_http_methods(["GET"])
def organization_list(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_of(user=_user(request))
    return render(request, "core/organization_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET"])
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organization = get_object_or_404(
        Organization.objects.visible_to(user).select_related("parent"), slug=slug
    )
    context = _overview(request, organization)
    if context["can_manage"] and _unit_kinds(organization):
        context["unit_form"] = UnitForm(kinds=_unit_kinds(organization))
    return render(request, "core/organization_detail.html", context)


def _overview(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    """The organization page's context, with the catalog's list of what it offers."""
    context = selectors.organization_overview(actor=_user(request), organization=organization)
    context["credentials_part"] = parts.render(Part.ORGANIZATION_CREDENTIALS, request, organization)
    return context


def _unit_kinds(organization: Organization) -> list[tuple[str, str]]:
    allowed = Organization.ALLOWED_CHILDREN[organization.kind]
    return [(value, label) for value, label in Organization.Kind.choices if value in allowed]


@login_required
@require_POST
def organization_add_unit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organization = _organization(request, slug, "org.manage_members")
    form = UnitForm(request.POST, kinds=_unit_kinds(organization))
    if form.is_valid():
        try:
            unit = services.organization_create(
                actor=user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                parent=organization,
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"{unit.name} is added under {organization.name}.")
            return redirect("core:organization", slug=organization.slug)
    context = _overview(request, organization)
    context["unit_form"] = form
    return render(request, "core/organization_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def organization_members(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organization = _organization(request, slug, "org.manage_members")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            invitation = services.invitation_create(
                actor=user, organization=organization, email=data["email"], role=data["role"]
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            role = with_article(invitation.get_role_display())
            messages.success(request, f"Invitation sent to {invitation.email} as {role}.")
            return redirect("core:members", slug=organization.slug)
    context = selectors.organization_members_page(actor=user, organization=organization)
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "core/organization_members.html", context, status=status)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = _user(request)
    membership = get_object_or_404(
        Membership.objects.visible_to(user).select_related("user", "organization"),
        pk=pk,
        organization__slug=slug,
    )
    try:
        services.membership_revoke(actor=user, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{membership.user} is no longer {with_article(membership.get_role_display())} here.",
        )
    return redirect("core:members", slug=slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = _user(request)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(user), pk=pk, organization__slug=slug
    )
    try:
        services.invitation_revoke(actor=user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} is revoked.")
    return redirect("core:members", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: join now, sign in first, or create an account."""
    invitation = get_object_or_404(Invitation.objects.select_related("organization"), token=token)
    if not invitation.is_open:
        return render(
            request, "core/invitation_closed.html", {"invitation": invitation}, status=410
        )
    if not request.user.is_authenticated:
        return _invitation_signed_out(request, invitation)
    user = _user(request)
    if not selectors.has_email(user=user, email=invitation.email, verified=True):
        return _invitation_wrong_account(request, invitation, user)
    if request.method == "POST":
        return _invitation_join(request, invitation, user)
    return render(request, "core/invitation_accept.html", {"invitation": invitation})


def _invitation_signed_out(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Keep the invitation for after signing in, or offer to create the invited account."""
    request.session[INVITATION_SESSION_KEY] = invitation.token
    if selectors.account_exists(email=invitation.email):
        messages.info(request, f"Sign in as {invitation.email} to accept the invitation.")
        return redirect(f"{reverse('account_login')}?next={request.path}")
    # Opening the emailed link proves the address: no second verification email.
    get_adapter(request).stash_verified_email(request, invitation.email)
    return render(request, "core/invitation_signup.html", {"invitation": invitation})


def _invitation_join(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    try:
        services.invitation_accept(user=user, invitation=invitation)
    except InvitationForAnotherAddress:
        return _invitation_wrong_account(request, invitation, user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("home")
    request.session.pop(INVITATION_SESSION_KEY, None)
    role = with_article(invitation.get_role_display())
    messages.success(request, f"You are now {role} in {invitation.organization}.")
    return redirect("core:organization", slug=invitation.organization.slug)


def _invitation_wrong_account(
    request: HttpRequest, invitation: Invitation, user: User
) -> HttpResponse:
    """Say which address the invitation is for and how to switch; change nothing."""
    unconfirmed = selectors.has_email(user=user, email=invitation.email, verified=False)
    return render(
        request,
        "core/invitation_wrong_account.html",
        {"invitation": invitation, "unconfirmed": unconfirmed},
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's notices, newest first; POST marks them all read."""
    user = _user(request)
    if request.method == "POST":
        services.notifications_mark_read(actor=user)
        messages.success(request, "All notifications marked as read.")
        return redirect("core:notifications")
    page = Paginator(selectors.notifications_of(user=user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_http_methods(["GET"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one notice: it is marked read and the person goes to what it is about. Another
    person's notice is a 404."""
    user = _user(request)
    notice = get_object_or_404(selectors.notifications_of(user=user), pk=pk)
    return redirect(services.notification_open(actor=user, notification=notice))


@login_required
@require_http_methods(["GET", "POST"])
def organization_linkedin(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's LinkedIn page id: "Add to LinkedIn" on its badges then names the
    page (with its logo) as the issuer. For the issuers and program admins who run badges."""
    user = _user(request)
    organization = _organization(request, slug, "assessment.manage")
    form = LinkedInForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_linkedin_set(
                actor=user,
                organization=organization,
                value=form.cleaned_data["linkedin_organization_id"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, "Saved. “Add to LinkedIn” on your badges uses it from now on."
            )
            return redirect("core:organization-linkedin", slug=organization.slug)
    context = {"organization": organization, "form": form}
    status = 400 if form.errors else 200
    return render(request, "core/organization_linkedin.html", context, status=status)
