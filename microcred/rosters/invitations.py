"""Bulk invitations from a plain CSV (email, name, school, role), for districts without
OneRoster: read and checked row by row with the roster's report (`Problem`), then, once
confirmed, sent by the worker in one transaction (ADR 0021)."""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from microcred.core import audit
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import Invitation, Membership, Organization, Role, User, with_article
from microcred.core.services import invitation_create
from microcred.core.uploads import StoredUpload, sanitize_filename, sniff_bytes
from microcred.rosters.models import RosterImport
from microcred.rosters.oneroster import Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
PROGRESS_EVERY = 100
NAMES_KEPT = 200
FILE = "invitations.csv"
# Header spellings people use, to the column each means.
COLUMNS = {
    "email": "email",
    "e-mail": "email",
    "emailaddress": "email",
    "name": "name",
    "fullname": "name",
    "school": "school",
    "schoolname": "school",
    "role": "role",
}
# Role words people write, to the role (besides each role's value and label).
ROLE_WORDS = {
    "teacher": Role.EDUCATOR,
    "principal": Role.LEADER,
    "leader": Role.LEADER,
    "coach": Role.COACH,
    "mentor": Role.COACH,
    "admin": Role.ADMIN,
    "program admin": Role.ADMIN,
    "review board": Role.REVIEWER,
    "school admin": Role.LEADER,
}
SCHOOL_ROLES = (Role.EDUCATOR, Role.COACH, Role.LEADER)


@dataclass(frozen=True)
class InviteRow:
    line: int
    email: str
    name: str
    role: str
    place_id: int  # the school, or the district for district-wide roles
    place: str


@dataclass
class Invites:
    rows: list[InviteRow]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _role(word: str) -> str | None:
    word = " ".join(word.lower().replace("_", " ").split())
    for role in Role:
        if word in (role.value, role.label.lower()):
            return role.value
    return ROLE_WORDS.get(word)


def _decode(data: bytes, problems: list[Problem]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(
            Problem(
                FILE,
                None,
                "",
                "The file is not UTF-8; it was read as Windows-1252. "
                "Check that accented names look right below.",
                "warning",
            )
        )
        return data.decode("cp1252", errors="replace")


def read_invitations(data: bytes, district: Organization) -> Invites:
    """Every row of the CSV checked against the district (its schools, who is a member or
    invited already); never raises for bad content."""
    problems: list[Problem] = []
    if len(data) > MAX_BYTES:
        problems.append(Problem(FILE, None, "", f"The file is over {MAX_BYTES // 2**20} MB."))
        return Invites([], problems)
    reader = csv.reader(io.StringIO(_decode(data, problems)))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        problems.append(
            Problem(
                FILE,
                1,
                "",
                "The file is empty: the first line must name "
                "the columns: email, name, school, role.",
            )
        )
        return Invites([], problems)
    columns = _columns(header, problems)
    if "email" not in columns or "role" not in columns:
        return Invites([], problems)
    schools = {
        name.lower(): (pk, name)
        for pk, name in Organization.objects.filter(
            path__startswith=district.path, kind=Organization.Kind.SCHOOL
        ).values_list("pk", "name")
    }
    rows: list[InviteRow] = []
    seen: dict[tuple[str, str, int], int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(rows) + len(problems) > MAX_ROWS:
            problems.append(
                Problem(FILE, number, "", f"More than {MAX_ROWS:,} rows: split the file.")
            )
            break
        row = _row(number, values, len(header), columns, district, schools, problems)
        if row is None:
            continue
        key = (row.email, row.role, row.place_id)
        if key in seen:
            problems.append(
                Problem(
                    FILE,
                    number,
                    "email",
                    f"{row.email} is invited as "
                    f"{Role(row.role).label.lower()} on line {seen[key]} already.",
                )
            )
            continue
        seen[key] = number
        rows.append(row)
    return Invites(_not_again(rows, problems), problems)


def _columns(header: list[str], problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = "".join(cell.lower().split()).replace("_", "")
        column = COLUMNS.get(key)
        if column is None:
            near = difflib.get_close_matches(key, COLUMNS, n=1)
            hint = f": did you mean “{COLUMNS[near[0]]}”?" if near else ""
            problems.append(
                Problem(
                    FILE,
                    1,
                    cell,
                    f"Unknown column “{cell}”{hint} Its values were ignored.",
                    "warning",
                )
            )
        elif column in columns:
            problems.append(Problem(FILE, 1, cell, f"The column {column} appears twice."))
        else:
            columns[column] = index
    for needed in ("email", "role"):
        if needed not in columns:
            problems.append(
                Problem(
                    FILE,
                    1,
                    needed,
                    f"There is no {needed} column: the first "
                    "line must name the columns: email, name, school, role.",
                )
            )
    return columns


def _row(
    number: int,
    values: list[str],
    width: int,
    columns: dict[str, int],
    district: Organization,
    schools: dict[str, tuple[int, str]],
    problems: list[Problem],
) -> InviteRow | None:
    if len(values) != width:
        fewer = "fewer" if len(values) < width else "more"
        problems.append(
            Problem(
                FILE,
                number,
                "",
                f"This row has {len(values)} values but the "
                f"header has {width} columns ({fewer} values than columns).",
            )
        )
        return None
    cell = {column: values[index].strip() for column, index in columns.items()}
    found = len(problems)
    email = cell["email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        problems.append(
            Problem(
                FILE,
                number,
                "email",
                f"Not an email address: “{cell['email']}”." if email else "The email is empty.",
            )
        )
    role = _role(cell["role"])
    if role is None:
        choices = ", ".join(r.label.lower() for r in Role)
        problems.append(
            Problem(
                FILE,
                number,
                "role",
                f"“{cell['role']}” is not a role. Use one of: {choices}."
                if cell["role"]
                else f"The role is empty. Use one of: {choices}.",
            )
        )
    name = cell.get("name", "")
    if len(name) > 150:
        problems.append(
            Problem(
                FILE, number, "name", f"The name is {len(name)} characters long; the limit is 150."
            )
        )
    place_id, place = district.pk, district.name
    school = cell.get("school", "")
    if school:
        match = schools.get(school.lower())
        if match is None:
            near = difflib.get_close_matches(school.lower(), schools, n=1)
            hint = f" Did you mean “{schools[near[0]][1]}”?" if near else ""
            problems.append(
                Problem(FILE, number, "school", f"No school “{school}” in {district.name}.{hint}")
            )
        else:
            place_id, place = match
    elif role in SCHOOL_ROLES:
        problems.append(
            Problem(
                FILE,
                number,
                "school",
                f"{with_article(Role(role).label).capitalize()} belongs to a school: give "
                "the school's name.",
            )
        )
    if len(problems) > found or role is None:
        return None
    return InviteRow(number, email, name, role, place_id, place)


def _not_again(rows: list[InviteRow], problems: list[Problem]) -> list[InviteRow]:
    """Rows whose person already holds the role there, or has an open invitation to it, are
    left out with a warning (so the same file can be sent again)."""
    emails = {row.email for row in rows}
    members = set(
        Membership.objects.alias(email=Lower("user__email"))
        .filter(email__in=emails)
        .values_list(Lower("user__email"), "role", "organization_id")
    )
    invited = set(
        Invitation.objects.filter(
            email__in=emails,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("email", "role", "organization_id")
    )
    kept = []
    for row in rows:
        key = (row.email, row.role, row.place_id)
        role = Role(row.role).label.lower()
        if key in members:
            problems.append(
                Problem(
                    FILE,
                    row.line,
                    "email",
                    f"{row.email} is already {with_article(role)} of {row.place}: left out.",
                    "warning",
                )
            )
        elif key in invited:
            problems.append(
                Problem(
                    FILE,
                    row.line,
                    "email",
                    f"{row.email} already has an open "
                    f"invitation as {role} to {row.place}: left out.",
                    "warning",
                )
            )
        else:
            kept.append(row)
    return kept


def preview(invites: Invites) -> dict[str, Any]:
    """What sending would do, kept with the check: invitations by role."""
    roles: dict[str, int] = {}
    for row in invites.rows:
        roles[row.role] = roles.get(row.role, 0) + 1
    return {"rows": len(invites.rows), "invite_roles": roles, "users": len(invites.rows)}


def invitations_send(
    *,
    actor: User,
    district: Organization,
    data: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Send the invitations of a checked file, all in one transaction (each as a single
    invitation would be: its audit event, its email once committed). Rows that became
    invalid since the check (someone invited meanwhile) are left out, said so."""
    invites = read_invitations(data, district)
    if not invites.ok:
        raise Invalid("The file has errors now: upload it again to see them.")
    places = {
        org.pk: org
        for org in Organization.objects.filter(pk__in={row.place_id for row in invites.rows})
    }
    sent: list[str] = []
    skipped = [p.message for p in invites.problems if p.severity != "error"][:NAMES_KEPT]
    with transaction.atomic():
        for done, row in enumerate(invites.rows, start=1):
            try:
                with transaction.atomic():
                    invitation_create(
                        actor=actor,
                        organization=places[row.place_id],
                        email=row.email,
                        role=row.role,
                        full_name=row.name,
                    )
            except Invalid as error:
                skipped.append(f"{row.email}: {error.message}")
            else:
                sent.append(row.email)
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(invites.rows)):
                progress(done, len(invites.rows))
    return {"invited": len(sent), "invited_names": sent[:NAMES_KEPT], "skipped": skipped}


def _store(upload: UploadedFile) -> StoredUpload:
    """Any text file (a spreadsheet's CSV may be UTF-8 or Windows-1252); a spreadsheet or
    another binary file is refused, saying how to save it as CSV."""
    name = sanitize_filename(upload.name or "", fallback="invitations.csv")
    size = upload.size or 0
    if size == 0:
        raise Invalid(f"“{name}” is empty. Choose the file again; it may not have finished saving.")
    if size > MAX_BYTES:
        raise Invalid(
            f"“{name}” is {filesizeformat(size)}; the limit is {filesizeformat(MAX_BYTES)}."
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = sniff_bytes(head)
    if b"\x00" in head or (sniffed is not None and sniffed.content_type != "text/plain"):
        what = f"a {sniffed.label}" if sniffed else "not a text file"
        raise Invalid(
            f"“{name}” is {what}, not a CSV file. In your spreadsheet, choose Save as (or "
            "Download) → CSV, and upload that file."
        )
    key = default_storage.save(f"rosters/{uuid.uuid4().hex}.csv", upload)
    return StoredUpload(name=key, file_name=name, content_type="text/csv", size=size)


def invitations_upload(
    *, actor: User, organization: Organization, upload: UploadedFile
) -> RosterImport:
    """Store an uploaded invitations CSV, check it and keep its report; nothing is sent."""
    if organization.kind != Organization.Kind.DISTRICT:
        raise Invalid("Invite into a district.", field="organization")
    stored = _store(upload)
    with default_storage.open(stored.name, "rb") as file:
        invites = read_invitations(file.read(), organization)
    record = RosterImport.objects.create(
        organization=organization,
        kind=RosterImport.Kind.INVITATIONS,
        started_by=actor,
        name=stored.file_name[:255],
        state=RosterImport.State.VALIDATED if invites.ok else RosterImport.State.REFUSED,
        package=stored.name if invites.ok else "",
        problems=[dataclasses.asdict(problem) for problem in invites.problems],
        summary=preview(invites),
    )
    if not invites.ok:
        default_storage.delete(stored.name)
    audit.record(
        actor,
        Event.ROSTER_CHECKED,
        record,
        organization=organization,
        errors=sum(1 for p in invites.problems if p.severity == "error"),
        problems=len(invites.problems),
    )
    return record


def invitations_apply(
    *, record: RosterImport, data: bytes, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The worker's part for a confirmed invitations file: send them and mark it applied, in
    one transaction."""
    actor = record.started_by
    if actor is None:
        raise Invalid("The person who uploaded this file is gone: upload it again.")
    with transaction.atomic():
        sent = invitations_send(
            actor=actor, district=record.organization, data=data, progress=progress
        )
        record.state = RosterImport.State.APPLIED
        record.applied_at = timezone.now()
        record.summary = {**record.summary, **sent}
        record.save(update_fields=["state", "applied_at", "summary"])
        audit.record(
            actor,
            Event.ROSTER_IMPORTED,
            record,
            organization=record.organization,
            invited=sent["invited"],
        )
    return sent
