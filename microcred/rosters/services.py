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
import logging
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from microcred.core import audit, usercache
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import Membership, Organization, Role, User
from microcred.core.services import organization_create
from microcred.core.uploads import check_and_store
from microcred.rosters.models import RosterImport, RosterLink, RosterSettings
from microcred.rosters.oneroster import (
    ROLES_11,
    ROLES_12,
    Roster,
    RosterOrg,
    RosterUser,
    read_package,
)

logger = logging.getLogger(__name__)

# OneRoster roles (lower-cased) and the Microcred role each becomes; a role not listed (or
# mapped to "") gives no membership: students, guardians and aides are not educators here.
DEFAULT_ROLE_MAP: dict[str, str] = {
    "teacher": Role.EDUCATOR,
    "administrator": Role.LEADER,
    "principal": Role.LEADER,
    "siteadministrator": Role.LEADER,
}
BATCH = 2_000  # rows per bulk statement (settings.ROSTER_BATCH, for tests, overrides it)
# Every role either version of OneRoster names, lower-cased, with the spelling of the spec.
ONEROSTER_ROLES: dict[str, str] = {**ROLES_11, **ROLES_12}
MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # a zipped export of a state's staff is a few MB
PROGRESS_SECONDS = 3600  # how long the progress of an import is kept in the cache
NAMES_KEPT = 200  # people named in an import's summary, per list (the counts are whole)
# OneRoster org types that stand for the district imported into itself.
DISTRICT_TYPES = {"district", "local", "state", "national"}

Progress = Callable[[int, int], None]
# What a roster may make someone ("" for nobody): never the roles that judge or issue.
ROSTER_ROLES = ("", Role.EDUCATOR, Role.LEADER)


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
    *,
    actor: User | None,
    organization: Organization,
    name: str,
    roster: Roster,
    package: str = "",
) -> RosterImport:
    """Keep the report of a read package: refused when it has errors, else waiting for
    confirmation, with a preview of what applying it would do. Nothing else changes.
    `package` is the stored upload (deleted here when the roster is refused)."""
    if organization.kind != Organization.Kind.DISTRICT:
        raise Invalid("Import a roster into a district.", field="organization")
    record = RosterImport.objects.create(
        organization=organization,
        started_by=actor if actor is not None and actor.is_authenticated else None,
        name=name[:255],
        version=roster.version[:8],
        full=roster.modes.get("users.csv", "bulk") == "bulk",
        state=RosterImport.State.VALIDATED if roster.ok else RosterImport.State.REFUSED,
        package=package if roster.ok else "",
        problems=[dataclasses.asdict(problem) for problem in roster.problems],
        summary=_preview(organization, roster),
    )
    if package and not roster.ok:
        default_storage.delete(package)
    audit.record(
        actor,
        Event.ROSTER_CHECKED,
        record,
        organization=organization,
        errors=len(roster.errors),
        problems=len(roster.problems),
    )
    return record


def _preview(district: Organization, roster: Roster) -> dict[str, Any]:
    """What the roster holds and, against the district's earlier imports, what applying it
    would change: people by OneRoster role (the role map turns them into memberships when the
    page is shown), new schools and people, and, for a full file, the people it leaves out."""
    schools: set[str] = set()
    people: dict[str, bool] = {}  # earlier imports' sourcedIds; people: still active?
    for kind, sourced_id, gone in (
        RosterLink.objects.filter(root=district)
        .order_by()
        .values_list("kind", "sourced_id", "deactivated_at")
    ):
        if kind == RosterLink.Kind.ORG:
            schools.add(sourced_id)
        else:
            people[sourced_id] = gone is None
    # People by OneRoster role, and by the set of roles each holds (so that the page, which
    # applies the role map of the moment, counts a teacher who is also an aide once):
    # role or "role,role" -> [people, of whom new].
    roles: dict[str, list[int]] = {}
    role_sets: dict[str, list[int]] = {}
    for person in roster.users:
        held = sorted({r.role.lower() for r in person.roles if r.status != "tobedeleted"})
        new = person.sourced_id not in people
        for key, table in [*((role, roles) for role in held), (",".join(held), role_sets)]:
            counts = table.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += new
    listed = {person.sourced_id for person in roster.users}
    full = roster.modes.get("users.csv", "bulk") == "bulk"
    return {
        "orgs": len(roster.orgs),
        "users": len(roster.users),
        "schools": sum(1 for org in roster.orgs if org.type == "school"),
        "new_schools": sum(
            1 for org in roster.orgs if org.type == "school" and org.sourced_id not in schools
        ),
        "leaving": sum(1 for s, active in people.items() if active and s not in listed)
        if full
        else 0,
        "roles": roles,
        "role_sets": role_sets,
    }


def roster_upload(*, actor: User, organization: Organization, upload: UploadedFile) -> RosterImport:
    """Store an uploaded OneRoster zip, read it and keep its report (`roster_check`)."""
    stored = check_and_store(
        upload,
        folder="rosters",
        allowed={"application/zip": "a ZIP file (the OneRoster CSV export)"},
        max_bytes=MAX_UPLOAD_BYTES,
        what="roster.zip",
    )
    with default_storage.open(stored.name, "rb") as package:
        roster = read_package(package)
    return roster_check(
        actor=actor,
        organization=organization,
        name=stored.file_name,
        roster=roster,
        package=stored.name,
    )


def roster_confirm(*, actor: User, record: RosterImport) -> RosterImport:
    """The admin read the report and confirms: the import waits for the worker, which applies
    it (`apply_queued`). A second confirmation (a double click) is refused."""
    from microcred.rosters.tasks import apply_roster  # the task module imports this one

    with transaction.atomic():
        moved = RosterImport.objects.filter(
            pk=record.pk, state=RosterImport.State.VALIDATED
        ).update(state=RosterImport.State.QUEUED)
        if not moved:
            record.refresh_from_db(fields=["state"])
            raise Invalid(
                f"This import is {record.get_state_display().lower()}: it cannot be confirmed."
            )
        record.state = RosterImport.State.QUEUED
        audit.record(actor, Event.ROSTER_CONFIRMED, record, organization=record.organization)
        cache.set(
            _progress_key(record.pk), (0, int(record.summary.get("users", 0))), PROGRESS_SECONDS
        )
        transaction.on_commit(lambda: apply_roster.enqueue(record.pk))
    return record


def apply_queued(*, record_id: int) -> RosterImport:
    """The worker's part: read the stored package again and apply it with the district's
    role map, telling the progress to the cache. On any error nothing is changed and the
    import is marked failed with the reason; the package is deleted once applied."""
    record = RosterImport.objects.select_related("organization", "started_by").get(pk=record_id)
    moved = RosterImport.objects.filter(pk=record.pk, state=RosterImport.State.QUEUED).update(
        state=RosterImport.State.APPLYING
    )
    if not moved:  # applied already (a task run twice), or not confirmed
        return record
    record.state = RosterImport.State.APPLYING
    key = _progress_key(record.pk)
    try:
        with default_storage.open(str(record.package.name), "rb") as package:
            roster = read_package(package)
        roster_apply(
            actor=record.started_by,
            record=record,
            roster=roster,
            role_map=role_map_of(record.organization),
            progress=lambda done, total: cache.set(key, (done, total), PROGRESS_SECONDS),
        )
    except Exception as error:
        reason = (
            error.message
            if isinstance(error, Invalid)
            else "Applying stopped because of a fault on our side; nothing was changed. "
            "Upload the file again; if it fails again, tell support."
        )
        if not isinstance(error, Invalid):
            logger.exception("Applying roster import %s failed", record.pk)
        RosterImport.objects.filter(pk=record.pk).update(
            state=RosterImport.State.FAILED, failure=reason
        )
        audit.record(
            record.started_by, Event.ROSTER_FAILED, record, organization=record.organization
        )
    record.refresh_from_db()
    if record.package:
        default_storage.delete(str(record.package.name))
        RosterImport.objects.filter(pk=record.pk).update(package="")
    cache.delete(key)
    return record


def _progress_key(pk: int) -> str:
    return f"roster-progress:{pk}"


def progress_of(record: RosterImport) -> tuple[int, int]:
    """People applied so far and in all, while the import is queued or being applied."""
    done, total = cache.get(_progress_key(record.pk)) or (0, int(record.summary.get("users", 0)))
    return int(done), int(total)


def role_map_of(organization: Organization) -> dict[str, str]:
    """The district's role map: each OneRoster role (lower-case) and the Microcred role it
    becomes ("" for nobody), its own choices over the defaults."""
    own = (
        RosterSettings.objects.filter(organization=organization)
        .values_list("role_map", flat=True)
        .first()
    )
    return {role: (own or {}).get(role, DEFAULT_ROLE_MAP.get(role, "")) for role in ONEROSTER_ROLES}


def role_map_set(
    *, actor: User, organization: Organization, role_map: dict[str, str]
) -> RosterSettings:
    """Save the district's role map. Only OneRoster roles; only educator and school leader
    (a roster cannot make anyone an assessor, issuer or program admin)."""
    unknown = sorted(set(role_map) - set(ONEROSTER_ROLES))
    if unknown:
        raise Invalid(f"Not a OneRoster role: {', '.join(unknown)}.", field="role_map")
    for role, target in role_map.items():
        if target not in ROSTER_ROLES:
            raise Invalid(
                f"{ONEROSTER_ROLES[role]} can become an educator, a school leader or nobody, "
                f"not “{target}”.",
                field=role,
            )
    saved, _ = RosterSettings.objects.update_or_create(
        organization=organization, defaults={"role_map": dict(role_map)}
    )
    audit.record(
        actor,
        Event.ROSTER_ROLES_SET,
        saved,
        organization=organization,
        **{role: target or "nobody" for role, target in sorted(role_map.items())},
    )
    return saved


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
    ready = (RosterImport.State.VALIDATED, RosterImport.State.APPLYING)
    if record.state not in ready:
        raise Invalid(f"This import is {record.get_state_display().lower()}: check it again.")
    roles = _role_map(role_map)
    district = record.organization
    applied = Applied()
    with transaction.atomic():
        state = RosterImport.objects.select_for_update().values_list("state", flat=True)
        if state.get(pk=record.pk) not in ready:
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
    total, size = len(roster.users), int(getattr(settings, "ROSTER_BATCH", BATCH))
    for start in range(0, total, size):
        batch = roster.users[start : start + size]
        _apply_batch(district, batch, links, places, roles, applied)
        listed.update(person.sourced_id for person in batch)
        if progress is not None:
            progress(min(start + size, total), total)
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
