"""Reads of the rosters app: a district's import history and one import's report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.db.models import Q, QuerySet

from microcred.core.models import Membership, Organization, Role, User
from microcred.core.selectors import CappedPaginator
from microcred.rosters import services
from microcred.rosters.models import RosterImport, RosterLink, SingleSignOn

IMPORTS_PER_PAGE = 25
PROBLEMS_SHOWN = 500  # on the page; the CSV has every one


def imports_page(*, organization: Organization, page: str | int | None) -> dict[str, Any]:
    """The district's imports, newest first, a page at a time (the problems and summaries,
    which can be large, are not read for the list)."""
    rows = (
        RosterImport.objects.filter(organization=organization)
        .select_related("started_by")
        .defer("problems", "summary")
        .order_by("-created_at", "-pk")
    )
    return {"imports": CappedPaginator(rows, IMPORTS_PER_PAGE).get_page(page)}


def import_report(*, record: RosterImport) -> dict[str, Any]:
    """One import's page: its problems (the first PROBLEMS_SHOWN, and counts by file), what
    it would do or did, and its progress while it is being applied."""
    problems = record.problems
    by_file = Counter(
        (p.get("file") or "the package", p.get("severity", "error")) for p in problems
    )
    files = sorted({file for file, _ in by_file})
    role_map = services.role_map_of(record.organization)
    roles = record.summary.get("roles", {})
    role_rows = [
        {
            "role": services.ONEROSTER_ROLES.get(role, role),
            "people": counts[0],
            "new": counts[1],
            "becomes": Role(role_map[role]).label if role_map.get(role) else "",
        }
        for role, counts in sorted(roles.items(), key=lambda item: -item[1][0])
    ]
    done, total = services.progress_of(record)
    summary = record.summary
    named = [
        (
            f"{title} ({summary.get(count, 0):,})",
            summary[key],
            summary.get(count, 0) - len(summary[key]),
        )
        for title, key, count in (
            ("Added", "added", "people_added"),
            ("Changed", "changed", "people_changed"),
            ("Deactivated", "deactivated", "people_deactivated"),
        )
        if summary.get(key)
    ]
    return {
        "record": record,
        "organization": record.organization,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
        "errors": sum(n for (_, severity), n in by_file.items() if severity == "error"),
        "warnings": sum(n for (_, severity), n in by_file.items() if severity != "error"),
        "by_file": [(file, by_file[(file, "error")], by_file[(file, "warning")]) for file in files],
        "role_rows": role_rows,
        "members_to_be": sum(counts[0] for counts in _mapped(record, role_map)),
        "new_members": sum(counts[1] for counts in _mapped(record, role_map)),
        "named": named,
        "invite_rows": [
            (Role(role).label, n)
            for role, n in sorted(
                record.summary.get("invite_roles", {}).items(), key=lambda x: -x[1]
            )
        ],
        "progress": {"done": done, "total": total, "percent": 100 * done // total if total else 0},
    }


def _mapped(record: RosterImport, role_map: dict[str, str]) -> list[list[int]]:
    """The [people, new] counts of the role sets the role map gives a membership to."""
    sets = record.summary.get("role_sets", {})
    return [
        counts
        for held, counts in sets.items()
        if any(role_map.get(role) for role in held.split(",") if role)
    ]


# ----------------------------------------------------------------------------- single sign-on


@dataclass(frozen=True)
class Claims:
    """What a district's provider said about the person signing in."""

    email: str
    email_verified: bool  # only the JSON value true counts
    name: str
    sourced_id: str  # the value of the district's sourcedId claim, if it has one


@dataclass(frozen=True)
class Match:
    """Whom a sign-in would be: an existing person (`user`, found `by`), a new educator the
    district allows (`may_create`), or nobody, with the message that says why."""

    user: User | None = None
    by: str = ""
    may_create: bool = False
    refusal: str = ""

    def describe(self) -> str:
        if self.user is not None:
            return (
                f"It would sign in {self.user.full_name or self.user.email} (matched by {self.by})."
            )
        if self.may_create:
            return "It would make a new educator account (new educators are allowed)."
        return f"It would be refused: {self.refusal}"


def sso_for_provider(provider_id: str) -> SingleSignOn | None:
    return (
        SingleSignOn.objects.select_related("organization", "app", "new_educator_school")
        .filter(app__provider="openid_connect", app__provider_id=provider_id)
        .first()
    )


def sso_of(organization: Organization) -> SingleSignOn | None:
    return (
        SingleSignOn.objects.select_related("app", "new_educator_school")
        .filter(organization=organization)
        .first()
    )


def sso_initial(sso: SingleSignOn | None) -> dict[str, Any]:
    """The settings form as stored (never the secret)."""
    if sso is None:
        return {"enabled": True}
    return {
        "issuer": sso.app.settings.get("server_url", ""),
        "client_id": sso.app.client_id,
        "email_domains": "\n".join(sso.email_domains),
        "match_claim": sso.match_claim,
        "allow_new_educators": sso.allow_new_educators,
        "new_educator_school": sso.new_educator_school_id,
        "enabled": sso.enabled,
    }


def sso_origins() -> list[str]:
    """The origins of the districts' providers (scheme://host:port), for the CSP."""
    origins = set()
    for settings in SocialApp.objects.filter(provider="openid_connect").values_list(
        "settings", flat=True
    ):
        parts = urlsplit(str((settings or {}).get("server_url", "")))
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def sso_sign_ins() -> list[SingleSignOn]:
    """The districts whose sign-in is on, for the sign-in page."""
    return list(
        SingleSignOn.objects.filter(enabled=True)
        .select_related("organization", "app")
        .order_by("organization__name")
    )


def sso_claims(extra_data: dict[str, Any], *, sso: SingleSignOn) -> Claims:
    """The claims of userinfo, else of the (checked) ID token. When both came, they must
    name the same subject, or nothing of userinfo is believed."""
    id_token = extra_data.get("id_token") or {}
    userinfo = extra_data.get("userinfo") or {}
    if userinfo and id_token and userinfo.get("sub") != id_token.get("sub"):
        userinfo = {}
    data = userinfo or id_token or {}
    sourced = data.get(sso.match_claim) if sso.match_claim else None
    return Claims(
        email=str(data.get("email") or "").strip().lower(),
        email_verified=data.get("email_verified") is True,
        name=str(data.get("name") or "").strip()[:150],
        sourced_id=str(sourced).strip() if isinstance(sourced, (str, int)) else "",
    )


def _district_people(sso: SingleSignOn) -> QuerySet[User]:
    district = sso.organization
    members = Membership.objects.filter(organization__path__startswith=district.path)
    rostered = RosterLink.objects.filter(root=district, kind=RosterLink.Kind.USER)
    return User.objects.filter(
        Q(pk__in=members.values("user_id")) | Q(pk__in=rostered.values("user_id"))
    )


def sso_admin_names(sso: SingleSignOn) -> str:
    admins = (
        Membership.objects.filter(organization=sso.organization, role=Role.ADMIN)
        .select_related("user")
        .filter(user__is_active=True)
        .order_by("user__full_name")
    )
    names = [m.user.full_name or m.user.email for m in admins[:5]]
    return ", ".join(names) if names else "your district's program office"


def sso_inactive_message(sso: SingleSignOn) -> str:
    return (
        "Your Microcred account is deactivated, so you cannot sign in. "
        f"If that is a mistake, ask a program admin of {sso.organization.name}: "
        f"{sso_admin_names(sso)}."
    )


def sso_match(*, sso: SingleSignOn, claims: Claims) -> Match:
    """Find the person among the district's own people: by the roster sourcedId claim, or
    by an email the provider verified in one of the district's domains. Never by an
    unverified claim, and never someone of another organization."""
    people = _district_people(sso)
    domain = claims.email.rpartition("@")[2]
    user, by = None, ""
    if sso.match_claim and claims.sourced_id:
        link = RosterLink.objects.filter(
            root=sso.organization, kind=RosterLink.Kind.USER, sourced_id=claims.sourced_id
        ).first()
        user, by = (link.user if link else None), "roster sourcedId"
    if user is None and claims.email and claims.email_verified and domain in sso.email_domains:
        user, by = people.filter(email__iexact=claims.email).first(), "verified email"
    if user is not None:
        if not user.is_active:
            return Match(refusal=sso_inactive_message(sso))
        return Match(user=user, by=by)
    return _unmatched(sso, claims, domain)


def _unmatched(sso: SingleSignOn, claims: Claims, domain: str) -> Match:
    ask = f"Ask a program admin of {sso.organization.name} to add you: {sso_admin_names(sso)}."
    if claims.email and not claims.email_verified:
        return Match(
            refusal=(
                f"{sso.organization.name}'s sign-in did not say that {claims.email} is a "
                "verified address, so Microcred cannot tell who you are. " + ask
            )
        )
    if not claims.email or domain not in sso.email_domains:
        return Match(
            refusal=(
                f"{claims.email or 'Your account'} is not an address of "
                f"{sso.organization.name}, and no roster record names you. " + ask
            )
        )
    new_allowed = sso.allow_new_educators and sso.new_educator_school_id is not None
    if new_allowed and not User.objects.filter(email__iexact=claims.email).exists():
        return Match(may_create=True)
    return Match(
        refusal=f"You are not on {sso.organization.name}'s roster in Microcred yet. " + ask
    )
