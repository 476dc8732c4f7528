"""Writes of the rosters app: a OneRoster package read into an organization (ADR 0021).

`roster_check` reads the package and keeps its report (nothing else changes); `roster_apply`
applies a checked roster in one transaction: its schools become organizations under the
district, its people accounts with memberships (by the role map), and, when the users file
is a full ("bulk") one, the people it no longer lists are deactivated (never deleted: what
they earned stays). Every row is found again through its `sourcedId` (`RosterLink`), so a
second import of the same file changes nothing.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from microcred.core import audit, usercache
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import Membership, Organization, Role, User
from microcred.core.services import organization_create
from microcred.rosters.models import RosterImport, RosterLink
from microcred.rosters.oneroster import Roster, RosterOrg, RosterUser

# OneRoster roles (lower-cased) and the Microcred role each becomes; a role not listed (or
# mapped to "") gives no membership: students, guardians and aides are not educators here.
DEFAULT_ROLE_MAP: dict[str, str] = {
    "teacher": Role.EDUCATOR,
    "administrator": Role.LEADER,
    "principal": Role.LEADER,
    "siteadministrator": Role.LEADER,
}
BATCH = 2_000  # rows per bulk statement
NAMES_KEPT = 200  # people named in an import's summary, per list (the counts are whole)
# OneRoster org types that stand for the district imported into itself.
DISTRICT_TYPES = {"district", "local", "state", "national"}

Progress = Callable[[int, int], None]


@dataclass
class Applied:
    """What an import changed: counts, and the first NAMES_KEPT people of each list."""

    schools_added: int = 0
    schools_renamed: int = 0
    people_added: int = 0
    people_changed: int = 0
    people_deactivated: int = 0
    people_reactivated: int = 0
    memberships_added: int = 0
    people_ignored: int = 0  # rows whose roles give no membership (students, guardians)
    skipped: list[str] = field(default_factory=list)  # why a row was left out
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)

    def note(self, names: list[str], name: str) -> None:
        if len(names) < NAMES_KEPT:
            names.append(name)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _unusable_password() -> str:
    """What `make_password(None)` stores (no password: she signs in by single sign-on or
    sets one through "forgot password"), its random part drawn in one call: drawing it a
    character at a time took a quarter of a 20,000-person import."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _insert(rows: Sequence[models.Model], names: Sequence[str]) -> None:
    """Insert new rows of one model: on PostgreSQL with COPY (building `bulk_create`'s SQL
    was most of a 100,000-person import's time), the fields named (every column without a
    null default); elsewhere with `bulk_create` (which gives the rows their keys)."""
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=BATCH)
        return
    now = timezone.now()
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    now
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                    else getattr(row, f.attname)  # type: ignore[union-attr]
                    for f in fields
                ]
            )


def _role_map(role_map: dict[str, str] | None) -> dict[str, str]:
    mapped = {**DEFAULT_ROLE_MAP, **{k.lower(): v for k, v in (role_map or {}).items()}}
    for role in mapped.values():
        if role and role not in Role.values:
            raise Invalid(f"“{role}” is not a Microcred role.", field="role_map")
    return mapped


# ----------------------------------------------------------------------------- checking


def roster_check(
    *, actor: User | None, organization: Organization, name: str, roster: Roster
) -> RosterImport:
    """Keep the report of a read package: refused when it has errors, else waiting for
    confirmation. Nothing else changes."""
    if organization.kind != Organization.Kind.DISTRICT:
        raise Invalid("Import a roster into a district.", field="organization")
    record = RosterImport.objects.create(
        organization=organization,
        started_by=actor if actor is not None and actor.is_authenticated else None,
        name=name[:255],
        version=roster.version[:8],
        full=roster.modes.get("users.csv", "bulk") == "bulk",
        state=RosterImport.State.VALIDATED if roster.ok else RosterImport.State.REFUSED,
        problems=[dataclasses.asdict(problem) for problem in roster.problems],
        summary={"orgs": len(roster.orgs), "users": len(roster.users)},
    )
    audit.record(
        actor,
        Event.ROSTER_CHECKED,
        record,
        organization=organization,
        errors=len(roster.errors),
        problems=len(roster.problems),
    )
    return record


# ----------------------------------------------------------------------------- applying


def roster_apply(
    *,
    actor: User | None,
    record: RosterImport,
    roster: Roster,
    role_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Applied:
    """Apply a checked roster (see the module): all of it in one transaction, or, on any
    error, nothing. `progress(done, total)` is told after each batch of people."""
    if not roster.ok:
        raise Invalid("The roster has errors: fix them and check it again.")
    if record.state != RosterImport.State.VALIDATED:
        raise Invalid(f"This import is {record.get_state_display().lower()}: check it again.")
    roles = _role_map(role_map)
    district = record.organization
    applied = Applied()
    with transaction.atomic():
        record = RosterImport.objects.select_for_update().get(pk=record.pk)
        if record.state != RosterImport.State.VALIDATED:
            raise Invalid("This import is being applied already.")
        places = _apply_orgs(actor, district, roster.orgs, applied)
        _apply_people(district, roster, places, roles, applied, progress)
        record.state = RosterImport.State.APPLIED
        record.applied_at = timezone.now()
        record.summary = {**record.summary, **applied.as_json()}
        record.save(update_fields=["state", "applied_at", "summary"])
        audit.record(
            actor,
            Event.ROSTER_IMPORTED,
            record,
            organization=district,
            added=applied.people_added,
            changed=applied.people_changed,
            deactivated=applied.people_deactivated,
            schools=applied.schools_added,
        )
    return applied


def _apply_orgs(
    actor: User | None, district: Organization, orgs: Sequence[RosterOrg], applied: Applied
) -> dict[str, Organization]:
    """The roster's orgs as Microcred organizations, by sourcedId: the district's own types
    stand for `district`; each school is a school under it (created once, renamed when the
    roster renames it). Other types (departments) are left out, said so."""
    links = {
        link.sourced_id: link
        for link in RosterLink.objects.filter(root=district, kind=RosterLink.Kind.ORG)
        .select_related("organization")
        .order_by()
    }
    places: dict[str, Organization] = {}
    for org in orgs:
        if org.type in DISTRICT_TYPES:
            places[org.sourced_id] = district
            continue
        if org.type != "school":
            applied.skipped.append(f"{org.name} ({org.type}): only schools are imported.")
            continue
        link = links.get(org.sourced_id)
        if link is not None and link.organization is not None:
            school = link.organization
            if org.name and school.name != org.name:
                school.name = org.name
                school.save(update_fields=["name"])
                applied.schools_renamed += 1
        else:
            school = organization_create(
                actor=actor, name=org.name, kind=Organization.Kind.SCHOOL, parent=district
            )
            RosterLink.objects.create(
                root=district,
                kind=RosterLink.Kind.ORG,
                sourced_id=org.sourced_id,
                organization=school,
            )
            applied.schools_added += 1
        places[org.sourced_id] = school
    # Orgs of earlier imports that this (delta) file does not list still place people.
    for sourced_id, link in links.items():
        if sourced_id not in places and link.organization is not None:
            places[sourced_id] = link.organization
    return places


def _full_name(person: RosterUser) -> str:
    return " ".join(part for part in (person.given_name, person.family_name) if part)[:150]


def _wanted(
    person: RosterUser, places: dict[str, Organization], roles: dict[str, str]
) -> set[tuple[int, str]]:
    """The (organization, role) memberships the roster gives the person."""
    wanted = set()
    for role in person.roles:
        if role.status == "tobedeleted":
            continue
        mapped = roles.get(role.role.lower(), "")
        place = places.get(role.org_sourced_id)
        if mapped and place is not None:
            wanted.add((place.pk, mapped))
    return wanted


def _apply_people(
    district: Organization,
    roster: Roster,
    places: dict[str, Organization],
    roles: dict[str, str],
    applied: Applied,
    progress: Progress | None,
) -> None:
    links = {
        link.sourced_id: link
        for link in RosterLink.objects.filter(root=district, kind=RosterLink.Kind.USER)
        .select_related("user")
        .order_by()
    }
    listed: set[str] = set()
    total = len(roster.users)
    for start in range(0, total, BATCH):
        batch = roster.users[start : start + BATCH]
        _apply_batch(district, batch, links, places, roles, applied)
        listed.update(person.sourced_id for person in batch)
        if progress is not None:
            progress(min(start + BATCH, total), total)
    # A delta's roles of people users.csv does not list (their other data unchanged).
    extra = [
        RosterUser(
            sourced_id=sourced_id,
            status="active",
            enabled=True,
            username="",
            given_name="",
            family_name="",
            email="",
            identifier="",
            roles=person_roles,
        )
        for sourced_id, person_roles in roster.extra_roles.items()
        if sourced_id in links and sourced_id not in listed
    ]
    _grant(extra, links, places, roles, applied)
    _revoke([*roster.users, *extra], links, places, roles)
    if roster.modes.get("users.csv", "bulk") == "bulk":
        gone = [link for sourced_id, link in links.items() if sourced_id not in listed]
        _deactivate(district, gone, applied)


def _apply_batch(
    district: Organization,
    batch: Sequence[RosterUser],
    links: dict[str, RosterLink],
    places: dict[str, Organization],
    roles: dict[str, str],
    applied: Applied,
) -> None:
    """One batch of people: found by sourcedId, else by email (an account someone already
    has is linked, not duplicated), else created; then their memberships."""
    # Staff the role map gives a membership to; students, guardians and the like are not
    # read at all (neither their names nor their emails are kept).
    # (In a delta file a person without role rows keeps her roles: she is someone if linked.)
    staff = [
        p
        for p in batch
        if any(roles.get(r.role.lower()) for r in p.roles)
        or (not p.roles and p.sourced_id in links)
    ]
    applied.people_ignored += len(batch) - len(staff)
    active = [p for p in staff if p.status != "tobedeleted" and p.enabled]
    kept = {p.sourced_id for p in active}
    leaving = [
        links[p.sourced_id] for p in staff if p.sourced_id not in kept and p.sourced_id in links
    ]
    unlinked = [p for p in active if p.sourced_id not in links]
    emails = {p.email.lower() for p in unlinked if p.email}
    existing: dict[str, User] = {
        user.email.lower(): user
        for user in User.objects.alias(lower=Lower("email")).filter(lower__in=emails)
    }
    new_users: list[User] = []
    linked: list[tuple[str, User]] = []
    for person in unlinked:
        if not person.email:
            applied.skipped.append(f"{_full_name(person) or person.sourced_id}: no email.")
            continue
        user = existing.get(person.email.lower())
        if user is None:
            user = User(
                email=person.email,
                full_name=_full_name(person) or person.email,
                password=_unusable_password(),
            )
            existing[person.email.lower()] = user
            new_users.append(user)
            applied.people_added += 1
            applied.note(applied.added, user.full_name)
        linked.append((person.sourced_id, user))
    _insert(
        new_users,
        ["email", "full_name", "password", "is_active", "is_staff", "is_superuser", "date_joined"],
    )
    if new_users and new_users[0].pk is None:  # copied: their keys are read back
        keys = dict(
            User.objects.alias(lower=Lower("email"))
            .filter(lower__in=[u.email.lower() for u in new_users])
            .values_list(Lower("email"), "pk")
        )
        for user in new_users:
            user.pk = keys[user.email.lower()]
            user._state.adding, user._state.db = False, "default"
    # Made once the new accounts have their keys (an account given to a link before would
    # be read again through it, one query per person).
    new_links = [
        RosterLink(root=district, kind=RosterLink.Kind.USER, sourced_id=sourced_id, user=user)
        for sourced_id, user in linked
    ]
    _insert(new_links, ["root", "kind", "sourced_id", "user", "created_at", "updated_at"])
    links.update((link.sourced_id, link) for link in new_links)
    changed = _update_people(active, links, applied)
    _grant(active, links, places, roles, applied)
    _deactivate(district, leaving, applied)
    usercache.forget(changed)


def _update_people(
    active: Sequence[RosterUser], links: dict[str, RosterLink], applied: Applied
) -> list[int]:
    """Names and emails the roster changed, and people it lists again after leaving them
    out: one statement for all (an email another account holds is left, said so)."""
    taken: set[str] = set()
    wanted_emails = {
        p.email.lower()
        for p in active
        if p.sourced_id in links
        and p.email
        and links[p.sourced_id].user.email.lower() != p.email.lower()  # type: ignore[union-attr]
    }
    if wanted_emails:
        taken = set(
            User.objects.annotate(lower=Lower("email"))
            .filter(lower__in=wanted_emails)
            .values_list("lower", flat=True)
        )
    users: list[User] = []
    back: list[RosterLink] = []
    for person in active:
        link = links.get(person.sourced_id)
        if link is None or link.user is None or link.pk is None:
            continue
        user, before = link.user, (link.user.email, link.user.full_name, link.user.is_active)
        name = _full_name(person)
        if name and user.full_name != name:
            user.full_name = name
        if person.email and user.email.lower() != person.email.lower():
            if person.email.lower() in taken:
                applied.skipped.append(
                    f"{user.full_name}: {person.email} belongs to another account; "
                    "the email was left as it was."
                )
            else:
                user.email = person.email
        if link.deactivated_at is not None:
            user.is_active = True
            link.deactivated_at = None
            back.append(link)
            applied.people_reactivated += 1
        if (user.email, user.full_name, user.is_active) != before:
            users.append(user)
            applied.people_changed += 1
            applied.note(applied.changed, user.full_name)
    User.objects.bulk_update(users, ["email", "full_name", "is_active"], batch_size=BATCH)
    RosterLink.objects.bulk_update(back, ["deactivated_at"], batch_size=BATCH)
    return [user.pk for user in users]


def _grant(
    active: Sequence[RosterUser],
    links: dict[str, RosterLink],
    places: dict[str, Organization],
    roles: dict[str, str],
    applied: Applied,
) -> None:
    """The memberships the roster gives, added where missing (one read, one insert)."""
    wanted: set[tuple[int, int, str]] = {
        (int(links[p.sourced_id].user_id or 0), org_id, role)
        for p in active
        if p.sourced_id in links
        for org_id, role in _wanted(p, places, roles)
    }
    if not wanted:
        return
    user_ids = {user_id for user_id, _, _ in wanted}
    have = set(
        Membership.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "organization_id", "role"
        )
    )
    missing = [
        Membership(user_id=user_id, organization_id=org_id, role=role)
        for user_id, org_id, role in sorted(wanted - have)
    ]
    _insert(missing, ["user", "organization", "role", "created_at"])
    applied.memberships_added += len(missing)
    usercache.forget({m.user_id for m in missing})


def _revoke(
    people: Sequence[RosterUser],
    links: dict[str, RosterLink],
    places: dict[str, Organization],
    roles: dict[str, str],
) -> None:
    """Roles a delta file marks `tobedeleted`: the membership each gave goes (one statement)."""
    ending = Q(pk__in=[])
    user_ids = set()
    for person in people:
        link = links.get(person.sourced_id)
        for role in person.roles:
            mapped, place = roles.get(role.role.lower(), ""), places.get(role.org_sourced_id)
            if role.status == "tobedeleted" and link and mapped and place is not None:
                ending |= Q(user_id=link.user_id, organization_id=place.pk, role=mapped)
                user_ids.add(int(link.user_id or 0))
    if user_ids:
        Membership.objects.filter(ending).delete()
        usercache.forget(user_ids)


def _deactivate(district: Organization, links: Iterable[RosterLink], applied: Applied) -> None:
    """People the roster left out or disabled: their accounts are made inactive (they can
    no longer sign in; their attempts, badges and credit stay). Someone who is also a
    member elsewhere keeps her account; only the roster's link notes she left."""
    links = [link for link in links if link.deactivated_at is None and link.user is not None]
    if not links:
        return
    ids = [int(link.user_id or 0) for link in links]
    elsewhere = set(
        Membership.objects.filter(user_id__in=ids)
        .exclude(Q(organization__path__startswith=district.path))
        .values_list("user_id", flat=True)
    )
    now = timezone.now()
    for link in links:
        link.deactivated_at = now
    RosterLink.objects.bulk_update(links, ["deactivated_at"], batch_size=BATCH)
    leaving = [user_id for user_id in ids if user_id not in elsewhere]
    User.objects.filter(pk__in=leaving, is_active=True).update(is_active=False)
    applied.people_deactivated += len(leaving)
    for link in links:
        if link.user_id in leaving and link.user is not None:
            link.user.is_active = False
            applied.note(applied.deactivated, link.user.full_name)
    usercache.forget(leaving)
