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

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from microcred.core import audit, permissions, usercache
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import Membership, Organization, Role, User
from microcred.core.services import membership_grant, organization_create
from microcred.core.uploads import check_and_store
from microcred.rosters import invitations
from microcred.rosters.models import RosterImport, RosterLink, RosterSettings, SingleSignOn
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
    """Insert new rows of one model, the fields named (`bulk_create`, which gives the rows
    their keys). The ORM's way, off PostgreSQL (there the people are applied in SQL)."""
    if rows:
        type(rows[0])._default_manager.bulk_create(rows, batch_size=BATCH)


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

    def progress(done: int, total: int) -> None:
        cache.set(key, (done, total), PROGRESS_SECONDS)

    try:
        with default_storage.open(str(record.package.name), "rb") as package:
            if record.kind == RosterImport.Kind.INVITATIONS:
                invitations.invitations_apply(record=record, data=package.read(), progress=progress)
            else:
                roster_apply(
                    actor=record.started_by,
                    record=record,
                    roster=read_package(package),
                    role_map=role_map_of(record.organization),
                    progress=progress,
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
    given, family = person.given_name, person.family_name
    return (f"{given} {family}" if given and family else given or family)[:150]


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
    """The roster's people, a batch at a time (`progress` told after each): on PostgreSQL
    staged with COPY and worked in SQL (`_sql_stage`, `_sql_batch`, `_sql_finish`), with no
    model instance per person; elsewhere with the ORM. Both do the same."""
    roster = dataclasses.replace(roster, users=_placed(roster.users, places, roles, applied))
    sql = connection.vendor == "postgresql"
    # On PostgreSQL a batch costs a dozen statements, whatever its size: batches are large
    # (a few progress steps for a 100,000-person roster), each statement set-based.
    default = SQL_BATCH if sql else BATCH
    total, size = len(roster.users), int(getattr(settings, "ROSTER_BATCH", default))
    links: dict[str, RosterLink] = {}
    if sql:
        _sql_stage(roster, places, roles)
    else:
        links = {
            link.sourced_id: link
            for link in RosterLink.objects.filter(root=district, kind=RosterLink.Kind.USER)
            .select_related("user")
            .order_by("pk")
        }
    listed: set[str] = set()
    for start in range(0, total, size):
        batch = roster.users[start : start + size]
        _apply_batch(district, batch, links, places, roles, applied, first=start)
        listed.update(person.sourced_id for person in batch)
        if progress is not None:
            progress(min(start + size, total), total)
    full = roster.modes.get("users.csv", "bulk") == "bulk"
    if sql:
        _sql_finish(district, full, applied)
        return
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
    if full:
        gone = [link for sourced_id, link in links.items() if sourced_id not in listed]
        _deactivate(district, gone, applied)


def _placed(
    users: list[RosterUser],
    places: dict[str, Organization],
    roles: dict[str, str],
    applied: Applied,
) -> list[RosterUser]:
    """The people, each role the role map gives but no known school places (a delta's
    teacher at a school neither it nor an earlier import has) made a role that gives
    nothing, said so: such a person is not made an account without a membership."""
    placed = []
    for person in users:
        unplaced = [
            role
            for role in person.roles
            if roles.get(role.role.lower()) and role.org_sourced_id not in places
        ]
        if unplaced and person.status != "tobedeleted":
            name = _full_name(person) or person.sourced_id
            for role in unplaced:
                applied.skipped.append(
                    f"{name}: {role.role} at “{role.org_sourced_id}”, which is not a school "
                    "of this import or an earlier one; that role was left out."
                )
            person = dataclasses.replace(
                person,
                roles=tuple(
                    dataclasses.replace(role, role=f"{role.role} (unplaced)")
                    if role in unplaced
                    else role
                    for role in person.roles
                ),
            )
        placed.append(person)
    return placed


def _no_email(name: str) -> str:
    return f"{name}: no email."


def _email_taken(name: str, email: str) -> str:
    return f"{name}: {email} belongs to another account; the email was left as it was."


def _apply_batch(
    district: Organization,
    batch: Sequence[RosterUser],
    links: dict[str, RosterLink],
    places: dict[str, Organization],
    roles: dict[str, str],
    applied: Applied,
    first: int = 0,
) -> None:
    """One batch of people (the roster's `first`th on): found by sourcedId, else by email
    (an account someone already has is linked, not duplicated), else created; then their
    names, emails and memberships; those it disables are deactivated."""
    if connection.vendor == "postgresql":
        _sql_batch(district, first, first + len(batch), applied)
        return
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
    order = {p.sourced_id: n for n, p in enumerate(active)}
    skipped: list[tuple[int, str]] = []  # in the roster's order, as on PostgreSQL
    new_users: list[User] = []
    linked: list[tuple[str, User]] = []
    for person in unlinked:
        if not person.email:
            name = _full_name(person) or person.sourced_id
            skipped.append((order[person.sourced_id], _no_email(name)))
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
    # Made once the new accounts have their keys (an account given to a link before would
    # be read again through it, one query per person).
    new_links = [
        RosterLink(root=district, kind=RosterLink.Kind.USER, sourced_id=sourced_id, user=user)
        for sourced_id, user in linked
    ]
    _insert(new_links, ["root", "kind", "sourced_id", "user", "created_at", "updated_at"])
    links.update((link.sourced_id, link) for link in new_links)
    changed = _update_people(active, links, applied, skipped)
    applied.skipped.extend(message for _, message in sorted(skipped))
    _grant(active, links, places, roles, applied)
    _deactivate(district, leaving, applied)
    usercache.forget(changed)


def _update_people(
    active: Sequence[RosterUser],
    links: dict[str, RosterLink],
    applied: Applied,
    skipped: list[tuple[int, str]],
) -> list[int]:
    """Names and emails the roster changed, and people it lists again after leaving them
    out: one statement for all (an email another account holds is left, said in `skipped`
    with the person's place in `active`). People just linked to an account of theirs by
    email get the roster's name too."""
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
    for n, person in enumerate(active):
        link = links.get(person.sourced_id)
        if link is None or link.user is None or link.pk is None:
            continue
        user, before = link.user, (link.user.email, link.user.full_name, link.user.is_active)
        name = _full_name(person)
        if name and user.full_name != name:
            user.full_name = name
        if person.email and user.email.lower() != person.email.lower():
            if person.email.lower() in taken:
                skipped.append((n, _email_taken(user.full_name, person.email)))
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


# On PostgreSQL: the roster's people are copied into temporary tables once, then each batch
# is a fixed number of set-based statements over them (joins instead of `IN` lists of keys,
# no model instance per person, only counts and the names the summary keeps read back).
# The tables live until the end of the transaction, and are dropped once the people are
# applied (a second import in the same transaction makes them again).
#
# roster_staged: every person of users.csv, in its order (n); of those the role map does not
#   concern (students, guardians), only the sourcedId (it keeps them from being "gone").
# roster_roles: the memberships to give (grants) or end, by the person's n (-1: a delta's
#   roles of people users.csv does not list, found by sourcedId).
# roster_batch: one batch of roster_staged with what the database knows of each person.
# roster_changes: the batch's people already linked (or found by email), with their names,
#   emails and activity as the roster wants them.
_SQL_DROP = ", ".join(
    f"pg_temp.{table}"
    for table in ("roster_staged", "roster_roles", "roster_batch", "roster_changes")
)
SQL_BATCH = 25_000  # people per batch on PostgreSQL (settings.ROSTER_BATCH overrides it)


def _sql_stage(roster: Roster, places: dict[str, Organization], roles: dict[str, str]) -> None:
    """Copy the roster's people into roster_staged and their roles into roster_roles."""
    place_ids = {sourced_id: org.pk for sourced_id, org in places.items()}
    grants: list[tuple[Any, ...]] = []
    listed: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_SQL_DROP}")
        cursor.execute(
            "CREATE TEMP TABLE roster_staged (n integer, sourced_id text, "
            "mapped boolean, roleless boolean, active boolean, email text, given text, "
            "family text) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE roster_roles (n integer, sourced_id text, organization_id "
            "bigint, role text, grants boolean) ON COMMIT DROP"
        )
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy("COPY roster_staged FROM STDIN") as copy:
            for n, person in enumerate(roster.users):
                sourced_id = person.sourced_id
                listed.add(sourced_id)
                active = person.status != "tobedeleted" and person.enabled
                mapped = _sql_roles(grants, n, sourced_id, person.roles, place_ids, roles, active)
                if mapped or not person.roles:  # staff, or (roleless, a delta's) if linked
                    copy.write_row(
                        (n, sourced_id, mapped, not person.roles, active, person.email,
                         person.given_name, person.family_name)
                    )  # fmt: skip
                else:  # neither the name nor the email of students and the like
                    copy.write_row((n, sourced_id, False, False, active, "", "", ""))
        for sourced_id, person_roles in roster.extra_roles.items():
            if sourced_id not in listed:
                _sql_roles(grants, -1, sourced_id, person_roles, place_ids, roles, True)
        with raw.copy("COPY roster_roles FROM STDIN") as copy:
            for row in grants:
                copy.write_row(row)
        cursor.execute("CREATE INDEX ON roster_staged (n)")  # after the COPY: faster
        cursor.execute("CREATE INDEX ON roster_staged (sourced_id)")
        cursor.execute("CREATE INDEX ON roster_roles (n)")
        cursor.execute("ANALYZE roster_staged, roster_roles")  # for the joins' plans


def _sql_roles(
    rows: list[tuple[Any, ...]],
    n: int,
    sourced_id: str,
    person_roles: Iterable[Any],
    place_ids: dict[str, int],
    roles: dict[str, str],
    active: bool,
) -> bool:
    """A person's roles as rows of roster_roles: those the role map and the orgs place, to
    give when she is active, to end when marked `tobedeleted` (whatever she is). True when
    the role map makes her someone (`_apply_batch`'s staff)."""
    mapped = False
    for role in person_roles:
        target = roles.get(role.role.lower(), "")
        if not target:
            continue
        mapped = True
        place = place_ids.get(role.org_sourced_id)
        ends = role.status == "tobedeleted"
        if place is not None and (ends or active):
            rows.append((n, sourced_id, place, target, not ends))
    return mapped


def _sql_batch(district: Organization, first: int, stop: int, applied: Applied) -> None:
    """People n in [first, stop): `_apply_batch`'s work as statements over roster_staged."""
    now = timezone.now()
    known: dict[str, Any] = {"root": district.pk, "now": now, "kept": NAMES_KEPT}
    known.update(first=first, stop=stop)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.roster_batch, pg_temp.roster_changes")
        # Each person with her link, else (staff, active, with an email) the account that
        # holds her email, else the key of the account made for her (`made`): one an email,
        # named by the first person with it (`adds`).
        cursor.execute(
            """
            CREATE TEMP TABLE roster_batch ON COMMIT DROP AS
            WITH found AS (
                SELECT s.n, s.sourced_id, s.active, s.email, lower(s.email) AS email_lower,
                       left(CASE WHEN s.given <> '' AND s.family <> ''
                                 THEN s.given || ' ' || s.family
                                 ELSE s.given || s.family END, 150) AS full_name,
                       s.mapped OR (s.roleless AND l.id IS NOT NULL) AS staff,
                       l.id AS link_id, coalesce(l.user_id, u.id) AS user_id,
                       l.deactivated_at IS NOT NULL AS was_deactivated
                FROM roster_staged s
                LEFT JOIN rosters_rosterlink l
                    ON l.root_id = %(root)s AND l.kind = 'user' AND l.sourced_id = s.sourced_id
                LEFT JOIN core_user u
                    ON l.id IS NULL AND s.mapped AND s.active AND s.email <> ''
                    AND lower(u.email) = lower(s.email)
                WHERE s.n >= %(first)s AND s.n < %(stop)s
            ), made AS (
                SELECT email_lower, n, nextval(pg_get_serial_sequence('core_user', 'id')) AS id
                FROM (
                    SELECT DISTINCT ON (email_lower) email_lower, n FROM found
                    WHERE user_id IS NULL AND staff AND active AND email <> ''
                    ORDER BY email_lower, n
                ) AS firsts
            )
            SELECT f.n, f.sourced_id, f.active, f.email, f.email_lower, f.full_name, f.staff,
                   f.link_id, coalesce(f.user_id, m.id) AS user_id, f.was_deactivated,
                   m.id IS NOT NULL AS made, coalesce(m.n = f.n, false) AS adds
            FROM found f LEFT JOIN made m
                ON f.user_id IS NULL AND f.staff AND f.active AND f.email <> ''
                AND m.email_lower = f.email_lower
            """,
            known,
        )
        # No password (single sign-on, or "forgot password"), as make_password(None).
        cursor.execute(
            """
            INSERT INTO core_user (id, email, full_name, password, is_active, is_staff,
                                   is_superuser, date_joined)
            SELECT user_id, email, CASE WHEN full_name <> '' THEN full_name ELSE email END,
                   '!' || replace(gen_random_uuid()::text, '-', ''), true, false, false,
                   %(now)s
            FROM roster_batch WHERE adds
            """,
            known,
        )
        cursor.execute(
            """
            INSERT INTO rosters_rosterlink (root_id, kind, sourced_id, user_id, created_at,
                                            updated_at)
            SELECT %(root)s, 'user', sourced_id, user_id, %(now)s, %(now)s FROM roster_batch
            WHERE link_id IS NULL AND user_id IS NOT NULL
            """,
            known,
        )
        # The roster's name (when it gives one) and email (unless another account holds
        # it), and active again when an earlier import had left her out.
        cursor.execute(
            """
            CREATE TEMP TABLE roster_changes ON COMMIT DROP AS
            SELECT w.*, (w.email, w.name, w.is_active)
                        IS DISTINCT FROM (w.was_email, w.was_name, w.was_active) AS changed
            FROM (
                SELECT b.n, b.user_id, b.link_id, b.was_deactivated AS reactivated,
                       b.email AS wanted, t.taken, t.name,
                       CASE WHEN t.wants AND NOT t.taken THEN b.email ELSE t.was_email END
                           AS email,
                       t.was_active OR b.was_deactivated AS is_active,
                       t.was_email, t.was_name, t.was_active
                FROM roster_batch b
                CROSS JOIN LATERAL (
                    SELECT u.email AS was_email, u.full_name AS was_name,
                           u.is_active AS was_active,
                           CASE WHEN b.full_name <> '' THEN b.full_name ELSE u.full_name END
                               AS name,
                           b.email <> '' AND lower(u.email) <> b.email_lower AS wants,
                           CASE WHEN b.email <> '' AND lower(u.email) <> b.email_lower
                               THEN EXISTS (SELECT FROM core_user o
                                            WHERE lower(o.email) = b.email_lower)
                               ELSE false END AS taken
                    FROM core_user u WHERE u.id = b.user_id
                ) AS t
                WHERE b.staff AND b.active AND NOT b.adds
            ) AS w
            """
        )
        # One row an account (the last person listed with it wins, as one after another).
        cursor.execute(
            """
            WITH wanted AS (
                SELECT DISTINCT ON (user_id) user_id, email, name, is_active
                FROM roster_changes ORDER BY user_id, n DESC
            ), back AS (
                UPDATE rosters_rosterlink SET deactivated_at = NULL
                WHERE id IN (SELECT link_id FROM roster_changes WHERE reactivated)
            ), changed AS (
                UPDATE core_user u SET email = w.email, full_name = w.name,
                                       is_active = w.is_active
                FROM wanted w WHERE u.id = w.user_id
                    AND (u.email, u.full_name, u.is_active)
                        IS DISTINCT FROM (w.email, w.name, w.is_active)
                RETURNING u.id
            )
            SELECT coalesce(array_agg(id), '{}') FROM changed
            """
        )
        usercache.forget(cursor.fetchone()[0])
        cursor.execute(
            """
            WITH given AS (
                INSERT INTO core_membership (user_id, organization_id, role, created_at)
                SELECT DISTINCT b.user_id, r.organization_id, r.role, %(now)s
                FROM roster_batch b JOIN roster_roles r ON r.n = b.n
                WHERE r.grants AND b.staff AND b.active AND b.user_id IS NOT NULL
                    AND (b.made OR NOT EXISTS (
                        SELECT FROM core_membership m WHERE m.user_id = b.user_id
                        AND m.organization_id = r.organization_id AND m.role = r.role))
                RETURNING user_id
            )
            SELECT (SELECT count(*) FROM given),
                   array(SELECT DISTINCT user_id FROM given g WHERE NOT EXISTS (
                       SELECT FROM roster_batch b WHERE b.made AND b.user_id = g.user_id))
            """,
            known,
        )
        added, existing = cursor.fetchone()
        applied.memberships_added += added
        usercache.forget(existing)  # the accounts made here were never cached
        cursor.execute(
            """
            SELECT (SELECT count(*) FROM roster_batch WHERE NOT staff),
                   (SELECT count(*) FROM roster_batch WHERE adds),
                   array(SELECT CASE WHEN full_name <> '' THEN full_name ELSE email END
                         FROM roster_batch WHERE adds ORDER BY n LIMIT %(kept)s),
                   (SELECT count(*) FROM roster_changes WHERE changed),
                   (SELECT count(*) FROM roster_changes WHERE reactivated),
                   array(SELECT name FROM roster_changes WHERE changed ORDER BY n
                         LIMIT %(kept)s),
                   array(SELECT ARRAY[name, wanted] FROM (
                       SELECT n, CASE WHEN full_name <> '' THEN full_name ELSE sourced_id END
                                 AS name, '' AS wanted
                       FROM roster_batch
                       WHERE staff AND active AND user_id IS NULL AND email = ''
                       UNION ALL
                       SELECT n, name, wanted FROM roster_changes WHERE taken
                   ) AS s ORDER BY n)
            """,
            known,
        )
        ignored, people_added, added_names, changed, back, changed_names, skipped = (
            cursor.fetchone()
        )
    applied.people_ignored += ignored
    applied.people_added += people_added
    applied.people_changed += changed
    applied.people_reactivated += back
    for name in added_names:
        applied.note(applied.added, name)
    for name in changed_names:
        applied.note(applied.changed, name)
    applied.skipped.extend(
        _email_taken(name, wanted) if wanted else _no_email(name) for name, wanted in skipped
    )
    _sql_deactivate(
        district,
        "SELECT link_id AS id, user_id, n AS place FROM roster_batch "
        "WHERE staff AND NOT active AND link_id IS NOT NULL AND NOT was_deactivated",
        applied,
    )


def _sql_finish(district: Organization, full: bool, applied: Applied) -> None:
    """After the batches: a delta's roles of people users.csv does not list, the roles it
    ends, and, for a full file, the people it no longer lists; then the tables go."""
    now = timezone.now()
    known: dict[str, Any] = {"root": district.pk, "now": now}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH given AS (
                INSERT INTO core_membership (user_id, organization_id, role, created_at)
                SELECT DISTINCT l.user_id, r.organization_id, r.role, %(now)s
                FROM roster_roles r JOIN rosters_rosterlink l
                    ON l.root_id = %(root)s AND l.kind = 'user' AND l.sourced_id = r.sourced_id
                WHERE r.n = -1 AND r.grants
                ON CONFLICT (user_id, organization_id, role) DO NOTHING
                RETURNING user_id
            )
            SELECT (SELECT count(*) FROM given), array(SELECT DISTINCT user_id FROM given)
            """,
            known,
        )
        added, granted = cursor.fetchone()
        applied.memberships_added += added
        usercache.forget(granted)
        cursor.execute(
            """
            WITH ended AS (
                DELETE FROM core_membership m USING roster_roles r, rosters_rosterlink l
                WHERE NOT r.grants AND l.root_id = %(root)s AND l.kind = 'user'
                    AND l.sourced_id = r.sourced_id AND m.user_id = l.user_id
                    AND m.organization_id = r.organization_id AND m.role = r.role
                RETURNING m.user_id
            )
            SELECT array(SELECT DISTINCT user_id FROM ended)
            """,
            known,
        )
        usercache.forget(cursor.fetchone()[0])
    if full:
        _sql_deactivate(
            district,
            "SELECT l.id, l.user_id, l.id AS place FROM rosters_rosterlink l "
            "WHERE l.root_id = %(root)s AND l.kind = 'user' AND l.deactivated_at IS NULL "
            "AND NOT EXISTS (SELECT FROM roster_staged s WHERE s.sourced_id = l.sourced_id)",
            applied,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_SQL_DROP}")


def _sql_deactivate(district: Organization, leaving: str, applied: Applied) -> None:
    """`_deactivate` for the links `leaving` selects (id, user_id, and `place`, the order
    of their names in the summary)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH leaving AS (
                SELECT x.id, x.user_id, x.place, NOT EXISTS (
                    SELECT FROM core_membership m
                    JOIN core_organization o ON o.id = m.organization_id
                    WHERE m.user_id = x.user_id AND NOT starts_with(o.path, %(path)s)
                ) AS leaves
                FROM ({leaving}) AS x
            ), marked AS (
                UPDATE rosters_rosterlink SET deactivated_at = %(now)s
                WHERE id IN (SELECT id FROM leaving)
            ), made_inactive AS (
                UPDATE core_user SET is_active = false
                WHERE id IN (SELECT user_id FROM leaving WHERE leaves) AND is_active
            )
            SELECT (SELECT count(*) FROM leaving WHERE leaves),
                   array(SELECT u.full_name FROM leaving x JOIN core_user u ON u.id = x.user_id
                         WHERE x.leaves ORDER BY x.place LIMIT %(kept)s),
                   array(SELECT DISTINCT user_id FROM leaving WHERE leaves)
            """,  # noqa: S608 (`leaving` is one of this module's own statements)
            {"root": district.pk, "path": district.path, "now": timezone.now(),
             "kept": NAMES_KEPT},
        )  # fmt: skip
        count, names, user_ids = cursor.fetchone()
    applied.people_deactivated += count
    for name in names:
        applied.note(applied.deactivated, name)
    usercache.forget(user_ids)


# ----------------------------------------------------------------------------- single sign-on

OIDC = "openid_connect"


def sso_provider_id(organization: Organization) -> str:
    """The allauth provider id of a district's sign-in: its URLs are /accounts/oidc/<id>/."""
    return f"district-{organization.slug}"


@transaction.atomic
def sso_save(
    *,
    actor: User,
    organization: Organization,
    issuer: str,
    client_id: str,
    secret: str,
    email_domains: list[str],
    match_claim: str,
    allow_new_educators: bool,
    new_educator_school: Organization | None,
    enabled: bool,
) -> SingleSignOn:
    """Set a district's OpenID Connect sign-in. An empty `secret` keeps the stored one."""
    permissions.require(actor, "org.manage_members", organization)
    school = new_educator_school
    if school is not None and (
        school.kind != Organization.Kind.SCHOOL or not school.path.startswith(organization.path)
    ):
        raise Invalid("Choose one of the district's schools.", field="new_educator_school")
    if allow_new_educators and school is None:
        raise Invalid(
            "Choose the school new educators join, or do not allow new educators.",
            field="new_educator_school",
        )
    sso = (
        SingleSignOn.objects.select_for_update()
        .select_related("app")
        .filter(organization=organization)
        .first()
    )
    if sso is None and not secret:
        raise Invalid("Enter the client secret your provider gave you.", field="client_secret")
    app = sso.app if sso else SocialApp(provider=OIDC, provider_id=sso_provider_id(organization))
    app.name, app.client_id = organization.name, client_id
    app.secret = secret or app.secret
    app.settings = {"server_url": issuer, "oauth_pkce_enabled": True}
    app.save()
    sso = sso or SingleSignOn(organization=organization, app=app)
    sso.email_domains, sso.match_claim = email_domains, match_claim
    sso.allow_new_educators, sso.new_educator_school = allow_new_educators, school
    sso.enabled = enabled
    sso.save()
    audit.record(
        actor, Event.SSO_SAVED, sso, organization=organization, issuer=issuer,
        client_id=client_id, secret_changed=bool(secret), email_domains=email_domains,
        match_claim=match_claim, allow_new_educators=allow_new_educators,
        new_educator_school=school.pk if school else None, enabled=enabled,
    )  # fmt: skip
    return sso


@transaction.atomic
def sso_account_link(*, sso: SingleSignOn, user: User, account: SocialAccount) -> None:
    """A person's first sign-in through her district's provider: her provider account is
    linked to her Microcred account, so later sign-ins find her by it."""
    account.user = user
    account.save()
    audit.record(
        user, Event.SSO_LINKED, account, organization=sso.organization, user=user.pk,
        provider=sso.app.provider_id, uid=account.uid,
    )  # fmt: skip


@transaction.atomic
def sso_educator_create(
    *, sso: SingleSignOn, email: str, name: str, account: SocialAccount
) -> User:
    """Someone the district's provider vouches for (a verified email of its domains) who is
    not on the roster, when the district allows it: an account, an educator membership in
    the district's chosen school, the provider account linked."""
    school = sso.new_educator_school
    if not sso.allow_new_educators or school is None:
        raise Invalid(f"{sso.organization.name} does not take new educators by sign-in.")
    user = User.objects.create_user(email, password=None, full_name=name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    membership_grant(actor=None, organization=school, user=user, role=Role.EDUCATOR)
    account.user = user
    account.save()
    audit.record(
        user, Event.SSO_SIGNED_IN_NEW, account, organization=sso.organization, user=user.pk,
        school=school.pk, provider=sso.app.provider_id, uid=account.uid,
    )  # fmt: skip
    return user
