"""Tenant scoping: which organization-owned rows a user may see at all.

Every organization-owned model's manager has `visible_to(user)`, built from the
helpers here, and views fetch tenant rows only through it, so another
organization's row is a 404 rather than a 403 or a leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from microcred.core import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcred.core.models import User

NOTHING = Q(pk__in=[])


def within(user: User | AnonymousUser | None, perm: str, field: str = "organization") -> Q:
    """Rows owned by an organization in which the user holds `perm` (directly or from above).

    `field` is the lookup path to the owning organization; "" means Organization rows."""
    paths = permissions.paths_with_perm(user, perm)
    if not paths:
        return NOTHING
    prefix = f"{field}__" if field else ""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


LONG_ID_LIST = 500  # more organizations than this go into `within_ids` as a subquery


def within_ids(user: User | AnonymousUser | None, perm: str, field: str = "organization") -> Q:
    """`within`, as a list of organization ids read first (one query on the path index):
    for a list over a large table ordered by something else (a district's attempts, latest
    first), the database then reads each organization's rows through the table's own
    organization index and knows how many there are, instead of joining every row to its
    organization to test the path."""
    return Q(**{f"{field}_id__in": organization_ids(user, perm)})


def organization_ids(user: User | AnonymousUser | None, perm: str) -> list[int] | QuerySet[Any]:
    """The organizations in which the user holds `perm`, for `field_id__in`: their ids (one
    query on the path index), or for more than LONG_ID_LIST of them a subquery."""
    from microcred.core.models import Organization

    organizations = Organization.objects.filter(within(user, perm, field=""))
    ids = list(organizations.order_by().values_list("pk", flat=True)[: LONG_ID_LIST + 1])
    if len(ids) > LONG_ID_LIST:
        # A state's thousands: PostgreSQL plans a list that long slowly (a selectivity
        # estimate per id: 15 ms of planning for 2,101), so the organizations go in as a
        # subquery instead.
        return organizations.values("pk")
    return ids


def ancestor_ids(user: User | AnonymousUser | None) -> set[int]:
    """The organizations the user belongs to and every one above them (from the cached
    grants: no query)."""
    return {
        int(part)
        for grant in permissions.grants(user)
        for part in grant.organization_path.strip("/").split("/")
        if part
    }


def member_family(user: User | AnonymousUser | None, field: str = "organization") -> Q:
    """Rows owned by an organization the user belongs to, one above it, or one below it.

    A school's teacher sees what the district keeps internal; a state admin sees what
    its districts keep internal; a neighbouring district sees neither. With
    `field=""` the condition applies to Organization rows themselves.
    """
    grants = permissions.grants(user)
    if not grants:
        return NOTHING
    prefix = f"{field}__" if field else ""
    condition = Q()
    for grant in grants:
        condition |= Q(**{f"{prefix}path__startswith": grant.organization_path})
    above = sorted(ancestor_ids(user))
    return condition | Q(**{f"{field + '_id' if field else 'pk'}__in": above})
