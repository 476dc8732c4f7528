"""Writes for organizations, memberships and invitations.

Each service takes the acting user, checks permission and state, changes rows in
one transaction, records one AuditEvent, and sends mail after commit.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from microcred.core import audit, permissions, selectors, usercache
from microcred.core.audit import Event
from microcred.core.errors import Invalid, InvalidTransition, InvitationForAnotherAddress
from microcred.core.mail import send_templated
from microcred.core.models import (
    Invitation,
    Membership,
    Notification,
    Organization,
    Role,
    User,
    with_article,
)
from microcred.core.slugs import unique_slug


def _unique_slug(base: str) -> str:
    return unique_slug(Organization.objects.all(), base, length=70, fallback="organization")


@transaction.atomic
def organization_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    parent: Organization | None = None,
    slug: str = "",
    website: str = "",
    brand_color: str = "",
    description: str = "",
) -> Organization:
    """Create an organization; under a parent only for that parent's program admins.

    `actor=None` is the installation itself (demo loader, operators' commands).
    """
    name = name.strip()
    if not name:
        raise Invalid("Give the organization a name.", field="name")
    if kind not in Organization.Kind.values:
        raise Invalid(f"“{kind}” is not a kind of organization.", field="kind")
    if parent is not None:
        if actor is not None:
            permissions.require(actor, "org.manage_members", parent)
        if kind not in Organization.ALLOWED_CHILDREN[parent.kind]:
            raise Invalid(
                f"A {Organization.Kind(kind).label.lower()} cannot sit under a "
                f"{parent.get_kind_display().lower()}.",
                field="kind",
            )
    elif actor is not None and not actor.is_superuser:
        raise Invalid("Only the installation's operators can create a top-level organization.")
    organization = Organization.objects.create(
        name=name,
        kind=kind,
        parent=parent,
        slug=slug or _unique_slug(name),
        website=website,
        description=description,
        **({"brand_color": brand_color} if brand_color else {}),
    )
    organization.path = f"{parent.path if parent else '/'}{organization.pk}/"
    organization.save(update_fields=["path"])
    audit.record(
        actor,
        Event.ORGANIZATION_CREATED,
        organization,
        kind=kind,
        parent=parent.pk if parent else None,
    )
    return organization


@transaction.atomic
def membership_grant(
    *, actor: User | None, organization: Organization, user: User, role: str
) -> Membership:
    if actor is not None:
        permissions.require(actor, "org.manage_members", organization)
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    if created:
        audit.record(
            actor,
            Event.MEMBERSHIP_GRANTED,
            membership,
            organization=organization,
            user=user.pk,
            role=role,
        )
        permissions.forget_grants(user)
        usercache.forget([user.pk])
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    membership = (
        Membership.objects.select_for_update()
        .select_related("organization", "user")
        .get(pk=membership.pk)
    )
    organization = membership.organization
    permissions.require(actor, "org.manage_members", organization)
    if (
        membership.role == Role.ADMIN
        and not Membership.objects.filter(organization=organization, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise InvalidTransition(
            f"{membership.user} is the only program admin of {organization}. "
            "Make someone else a program admin first."
        )
    audit.record(
        actor,
        Event.MEMBERSHIP_REVOKED,
        membership,
        organization=organization,
        user=membership.user_id,
        role=membership.role,
    )
    membership.delete()
    permissions.forget_grants(membership.user)
    usercache.forget([membership.user_id])


@transaction.atomic
def invitation_create(
    *, actor: User, organization: Organization, email: str, role: str, full_name: str = ""
) -> Invitation:
    permissions.require(actor, "org.manage_members", organization)
    email = email.strip().lower()
    if role not in Role.values:
        raise Invalid(f"“{role}” is not a role.", field="role")
    role_label = Role(role).label
    if Membership.objects.filter(
        organization=organization, role=role, user__email__iexact=email
    ).exists():
        raise Invalid(
            f"{email} is already {with_article(role_label)} in {organization}.", field="email"
        )
    open_invitations = Invitation.objects.filter(
        organization=organization,
        role=role,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if open_invitations.exists():
        raise Invalid(
            f"{email} already has an open invitation to be {with_article(role_label)} here. "
            "Revoke it to send a new one.",
            field="email",
        )
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        invited_by=actor,
        full_name=full_name.strip()[:150],
    )
    audit.record(
        actor,
        Event.INVITATION_CREATED,
        invitation,
        organization=organization,
        email=email,
        role=role,
    )
    transaction.on_commit(lambda: _send_invitation(invitation.pk))
    return invitation


def _send_invitation(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organization", "invited_by").get(
        pk=invitation_id
    )
    send_templated(
        to=[invitation.email], template="core/email/invitation", context={"invitation": invitation}
    )


@transaction.atomic
def invitation_accept(*, user: User, invitation: Invitation) -> Membership:
    """Give the invited role to `user`, who must have confirmed the invited address.

    The link is sent to one address; anyone holding it (a forwarded email, a shared
    screen) must not turn another account into a member of that organization.
    """
    invitation = (
        Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    if not invitation.is_open:
        raise InvalidTransition(
            f"This invitation is {invitation.status_label.lower()}. Ask {invitation.organization} for a new one."
        )
    if not selectors.has_email(user=user, email=invitation.email, verified=True):
        raise InvitationForAnotherAddress(
            f"This invitation is for {invitation.email}, and you are signed in as {user.email}. "
            f"Sign out and sign in (or create an account) with {invitation.email} to accept it."
        )
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        user,
        Event.INVITATION_ACCEPTED,
        invitation,
        organization=invitation.organization,
        role=invitation.role,
    )
    permissions.forget_grants(user)
    usercache.forget([user.pk])
    return membership


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    invitation = (
        Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    permissions.require(actor, "org.manage_members", invitation.organization)
    if not invitation.is_open:
        raise InvalidTransition(f"This invitation is already {invitation.status_label.lower()}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, Event.INVITATION_REVOKED, invitation, organization=invitation.organization)


# "1337", or the address of the page's admin view, linkedin.com/company/1337/admin/.
_LINKEDIN_ID = re.compile(
    r"^(?:https?://(?:[a-z]+\.)?linkedin\.com/company/)?([0-9]{1,20})/?(?:admin/?.*)?$"
)


@transaction.atomic
def organization_linkedin_set(
    *, actor: User, organization: Organization, value: str
) -> Organization:
    """The issuer names the organization's LinkedIn page, so "Add to LinkedIn" links the
    certification to it; an empty value removes it."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    permissions.require(actor, "assessment.manage", organization)
    value = value.strip()
    match = _LINKEDIN_ID.match(value) if value else None
    if value and match is None:
        raise Invalid(
            "Enter the number of the organization's LinkedIn page, for example 1337. It is in "
            "the address of the page's admin view: linkedin.com/company/1337/admin/.",
            field="linkedin_organization_id",
        )
    linkedin_id = match.group(1) if match else ""
    if linkedin_id == organization.linkedin_organization_id:
        return organization
    previous = organization.linkedin_organization_id
    organization.linkedin_organization_id = linkedin_id
    organization.save(update_fields=["linkedin_organization_id"])
    audit.record(
        actor,
        Event.ORGANIZATION_LINKEDIN_CHANGED,
        organization,
        linkedin_organization_id=linkedin_id or None,
        previous=previous or None,
    )
    return organization


@transaction.atomic
def user_update_profile(*, actor: User, full_name: str) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise Invalid("Enter your name as colleagues know it.", field="full_name")
    actor.full_name = full_name
    actor.save(update_fields=["full_name"])
    audit.record(actor, Event.USER_PROFILE_UPDATED, actor, organization=None)
    return actor


def notification_open(*, actor: User, notification: Notification) -> str:
    """The person opens one of their notices: it is read, and they go where it leads. Only a
    path on this site is followed (a stored URL is never an open redirect); a notice without
    one leads back to the list. No audit event: it changes nothing shared."""
    if Notification.objects.filter(pk=notification.pk, user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    ):
        usercache.forget([actor.pk])
    url = notification.url.strip()
    local = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    return url if local else reverse("core:notifications")


def notifications_mark_read(*, actor: User) -> int:
    """Mark every unread notice of the person read (no audit event: it changes nothing shared)."""
    marked = Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        usercache.forget([actor.pk])
    return marked
