"""Reads for organizations and people, scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from microcred.core import permissions
from microcred.core.models import Invitation, Membership, Notification, Organization, User


def has_email(*, user: User, email: str, verified: bool) -> bool:
    """Whether the account holds `email` (allauth's EmailAddress), confirmed or not yet."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=verified).exists()


def account_exists(*, email: str) -> bool:
    """Whether someone already has an account under `email` (its login address)."""
    return User.objects.filter(email__iexact=email).exists()


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization", "organization__parent")
        .order_by("organization__path", "role")
    )


def organization_members(*, actor: User, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.visible_to(actor)
        .filter(organization=organization)
        .select_related("user")
        .order_by("user__full_name", "role")
    )


def open_invitations(*, actor: User, organization: Organization) -> QuerySet[Invitation]:
    return (
        Invitation.objects.visible_to(actor)
        .filter(
            organization=organization,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
    )


def organization_members_page(*, actor: User, organization: Organization) -> dict[str, Any]:
    """The members page of an organization: who holds which role, and who is invited."""
    return {
        "organization": organization,
        "members": organization_members(actor=actor, organization=organization),
        "invitations": open_invitations(actor=actor, organization=organization),
    }


ORGANIZATION_UNITS = 200


def organization_overview(*, actor: User, organization: Organization) -> dict[str, Any]:
    # Each unit's people counted from the membership index alone, one unit at a time, and at
    # most ORGANIZATION_UNITS units listed (the page says how many there are).
    members = (
        Membership.objects.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = organization.children.order_by("name")
    children = list(
        units.annotate(member_count=Coalesce(Subquery(members), 0))[:ORGANIZATION_UNITS]
    )
    unit_count = len(children) if len(children) < ORGANIZATION_UNITS else units.count()
    role_counts = dict(
        Membership.objects.filter(organization=organization)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    my_roles = [
        g.role.label for g in permissions.grants(actor) if g.organization_id == organization.pk
    ]
    return {
        "organization": organization,
        "children": children,
        "unit_count": unit_count,
        "role_counts": role_counts,
        "member_count": sum(role_counts.values()),
        "my_roles": my_roles,
        "can_manage": permissions.has_perm(actor, "org.manage_members", organization),
    }


def notifications_of(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


# At most this many rows are counted for a home page's figure ("100+" beyond it): a count
# that reads a bounded number of rows stays fast whatever the data's size.
HOME_COUNT_CAP = 100


def capped_count(rows: QuerySet[Any], cap: int = HOME_COUNT_CAP) -> int:
    """How many rows, counting no further than `cap` (one query over at most `cap` rows)."""
    return rows[:cap].count()


class CappedPaginator(Paginator):
    """Pages of a list that may be very long (a district's attempts): it counts no further
    than `pages` pages, so the count reads a bounded number of rows; past that, the last page
    offered is the last one counted and `capped` says there are more ("Page 3 of 50+")."""

    def __init__(self, rows: QuerySet[Any], per_page: int, *, pages: int = 50) -> None:
        super().__init__(rows, per_page)
        self.rows = rows
        self.cap = per_page * pages
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted = capped_count(self.rows.order_by(), self.cap + 1)  # any order will do
        self.capped = counted > self.cap
        return min(counted, self.cap)
