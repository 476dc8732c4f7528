"""What each role may do: the one place where permission rules live.

A permission is a dotted name. A user holds it in an organization when one of
their memberships, in that organization or in any organization above it, has a
role listed for the permission. Views, services and the API all ask here.

Tenant scoping (which rows a user may see at all) is built from the same
grants in `microcred.core.tenancy`; a row outside that scope is a 404, a row
inside it without the permission for the action is a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from microcred.core.models import Membership, Organization, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcred.core.models import User

ALL_ROLES = frozenset(Role)

RULES: dict[str, frozenset[Role]] = {
    # Organizations and people
    "org.view": ALL_ROLES,
    "org.manage_members": frozenset({Role.ADMIN}),
    # Design studio
    "catalog.view_internal": ALL_ROLES,
    "catalog.view_drafts": frozenset({Role.DESIGNER, Role.REVIEWER, Role.ADMIN}),
    "catalog.design": frozenset({Role.DESIGNER}),
    "catalog.review": frozenset({Role.REVIEWER}),
    "catalog.retire": frozenset({Role.DESIGNER, Role.ADMIN}),
    # Earning: educators work on their own attempts; coaches, school leaders and program
    # admins of the educator's organization read them; coaches comment.
    "earning.earn": frozenset({Role.EDUCATOR}),
    "earning.support": frozenset({Role.COACH, Role.LEADER, Role.ADMIN}),
    "earning.comment": frozenset({Role.COACH}),
    # Assessment, in the organization that issues the credential: assessors score what
    # they are assigned; issuers decide; issuers and program admins run the pools.
    "assessment.review": frozenset({Role.ASSESSOR}),
    "assessment.decide": frozenset({Role.ISSUER}),
    "assessment.manage": frozenset({Role.ISSUER, Role.ADMIN}),
    # Programs: program admins design the stacks their organization offers.
    "programs.manage": frozenset({Role.ADMIN}),
    # School leaders agree an educator's personal stack; they and program admins follow it.
    "programs.agree": frozenset({Role.LEADER}),
    "programs.follow": frozenset({Role.LEADER, Role.ADMIN}),
    "programs.recommend": frozenset({Role.LEADER, Role.ADMIN}),
    # Reports: program admins read their organization's dashboard, school leaders their school's.
    "reports.view": frozenset({Role.LEADER, Role.ADMIN}),
}


@dataclass(frozen=True, slots=True)
class MembershipGrant:
    organization_id: int
    organization_path: str
    role: Role


def grants(user: User | AnonymousUser | None) -> list[MembershipGrant]:
    """The user's memberships, loaded once per user object (one query per request)."""
    if user is None or not user.is_authenticated:
        return []
    cached: list[MembershipGrant] | None = getattr(user, "_grants", None)
    if cached is None:
        cached = [
            MembershipGrant(organization_id, path, Role(role))
            for organization_id, path, role in Membership.objects.filter(user=user).values_list(
                "organization_id", "organization__path", "role"
            )
        ]
        user._grants = cached
    return cached


def parse_grants(raw: str) -> list[MembershipGrant]:
    """Grants from the aggregated column `core.auth.load_user` reads with the user."""
    from microcred.core.auth import FIELD, RECORD

    grants = []
    for record in raw.split(RECORD) if raw else []:
        organization_id, path, role = record.split(FIELD)
        grants.append(MembershipGrant(int(organization_id), path, Role(role)))
    return grants


def forget_grants(user: Any) -> None:
    """Drop the cached grants after memberships change during a request."""
    if hasattr(user, "_grants"):
        user._grants = None


def roles_for(perm: str) -> frozenset[Role]:
    try:
        return RULES[perm]
    except KeyError:
        raise KeyError(
            f"Unknown permission {perm!r}; add it to microcred.core.permissions.RULES"
        ) from None


def has_perm(user: User | AnonymousUser | None, perm: str, organization: Organization) -> bool:
    """True when the user holds `perm` in `organization` or through one of its ancestors."""
    allowed = roles_for(perm)
    ancestors = organization.path
    return any(
        grant.role in allowed and ancestors.startswith(grant.organization_path)
        for grant in grants(user)
    )


def require(user: User | AnonymousUser | None, perm: str, organization: Organization) -> None:
    """Raise PermissionDenied (a 403 with a message that names the role) unless allowed."""
    if not has_perm(user, perm, organization):
        raise PermissionDenied(_REFUSALS.get(perm, "You do not have permission to do that here."))


def paths_with_perm(user: User | AnonymousUser | None, perm: str) -> list[str]:
    """Tree paths under which the user holds `perm` (a prefix covers the whole subtree)."""
    allowed = roles_for(perm)
    return sorted({g.organization_path for g in grants(user) if g.role in allowed})


def has_any_role(user: User | AnonymousUser | None, roles: Iterable[Role]) -> bool:
    wanted = set(roles)
    return any(g.role in wanted for g in grants(user))


def has_perm_anywhere(user: User | AnonymousUser | None, perm: str) -> bool:
    return bool(paths_with_perm(user, perm))


_REFUSALS = {
    "org.manage_members": "Only a program admin of this organization can manage its members.",
    "catalog.design": "Only a credential designer of this organization can change this credential.",
    "catalog.review": "Only a member of this organization's design review board can review credentials.",
    "catalog.retire": "Only a designer or program admin of this organization can retire a credential.",
    "earning.earn": "Only an educator can work toward a micro-credential.",
    "earning.comment": "Only a coach of this educator's school can comment on the attempt.",
    "assessment.review": "Only a qualified assessor of this organization can review submissions.",
    "assessment.decide": "Only the issuer of record of this organization can decide on submissions.",
    "assessment.manage": "Only an issuer or program admin of this organization can run its assessment.",
    "programs.manage": "Only a program admin of this organization can design its stacks.",
    "programs.agree": "Only a school leader of this educator's school can decide on her agreement.",
    "programs.recommend": "Only a school leader or program admin can recommend credentials to staff.",
    "reports.view": "Only a program admin or a school leader can open the program dashboard.",
}
