"""Reading and checking a OneRoster 1.1 or 1.2 CSV package, without the database (ADR 0021).

`read_package` takes the zip a student information system exported (or a folder of its CSV
files) and returns a `Roster`: the orgs and users it lists, and every problem found on the
way, each with its file, line and column and a message the person uploading can act on. It
never raises for what is in the package: a bad zip, a missing file, a wrong encoding, a
misspelled header, a short row, a duplicate or dangling id all become `Problem`s. Rows with
an error are left out of the roster (their problems say why); applying a roster, and
checking what only the database knows, is `services.roster_apply`'s job.

Real exports are messy, so the reader accepts what the standard means rather than the
letter: header names in any case with spaces around, either version's column set, vendor
columns (`ext_*`, `metadata.*`, ignored without a word), the other version's role names
(with a warning), roles in users.csv (1.1) or in roles.csv (1.2). Column lists and
vocabularies are those of the 1EdTech OneRoster 1.1 CSV Tables and 1.2 CSV Binding; enums
also accept the spec's `ext:` extension values.
"""

from __future__ import annotations

import abc
import contextlib
import csv
import dataclasses
import difflib
import io
import logging
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # uncompressed, all the files read together
MAX_ROWS = 500_000  # per file
MAX_ZIP_MEMBERS = 10_000
MAX_CSV_ERRORS = 50  # lines that cannot be read as CSV before a file is given up

MANIFEST = "manifest.csv"
ORGS = "orgs.csv"
USERS = "users.csv"
ROLES = "roles.csv"
ENROLLMENTS = "enrollments.csv"
CLASSES = "classes.csv"
SESSIONS = "academicSessions.csv"
READ_FILES = (ORGS, USERS, ROLES, SESSIONS, CLASSES, ENROLLMENTS)  # in the order they are read
# The files the manifest may name (`file.<name>`), as the specs spell them.
SPEC_FILES = {
    name.lower(): f"{name}.csv"
    for name in (
        "academicSessions",
        "categories",
        "classes",
        "classResources",
        "courses",
        "courseResources",
        "demographics",
        "enrollments",
        "lineItems",
        "orgs",
        "resources",
        "results",
        "roles",
        "userProfiles",
        "users",
    )
}
MODES = ("bulk", "delta", "absent")

# Columns, as the specs spell them (1.1 and 1.2 together: either set is accepted).
_COMMON = ("sourcedId", "status", "dateLastModified")
ORG_COLUMNS = (*_COMMON, "name", "type", "identifier", "parentSourcedId")
USER_COLUMNS = (
    *_COMMON,
    "enabledUser",
    "orgSourcedIds",  # 1.1
    "role",  # 1.1
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",  # 1.2 from here on
    "resourceSourcedIds",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
)
ROLE_COLUMNS = (
    *_COMMON,
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
)
ENROLLMENT_COLUMNS = (
    *_COMMON,
    "classSourcedId",
    "schoolSourcedId",
    "userSourcedId",
    "role",
    "primary",
    "beginDate",
    "endDate",
)
CLASS_COLUMNS = (
    *_COMMON,
    "title",
    "grades",
    "courseSourcedId",
    "classCode",
    "classType",
    "location",
    "schoolSourcedId",
    "termSourcedIds",
    "subjects",
    "subjectCodes",
    "periods",
)
SESSION_COLUMNS = (
    *_COMMON,
    "title",
    "type",
    "startDate",
    "endDate",
    "parentSourcedId",
    "schoolYear",
)
MANIFEST_COLUMNS = ("propertyName", "value")
# Columns whose value every (active) row needs; their header must be there.
REQUIRED = {
    ORGS: ("sourcedId", "name", "type"),
    USERS: ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
    ROLES: ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
    ENROLLMENTS: ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    CLASSES: (
        "sourcedId",
        "title",
        "courseSourcedId",
        "classType",
        "schoolSourcedId",
        "termSourcedIds",
    ),
    SESSIONS: ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
}
VENDOR_PREFIXES = ("ext_", "ext:", "ext.", "metadata.")

# Longest values kept: ids as the spec's GUID strings (RosterLink.sourced_id), names as the
# account's full name, org names as Organization.name.
MAX_ID = 255
MAX_NAME = 150
MAX_ORG_NAME = 200
MAX_EMAIL = 254
MAX_TEXT = 255


def _vocabulary(*words: str) -> dict[str, str]:
    return {word.lower(): word for word in words}


STATUSES = {"": "active", "active": "active", "tobedeleted": "tobedeleted"}
ORG_TYPES = _vocabulary("department", "district", "local", "national", "school", "state")
ROLES_11 = _vocabulary(
    "administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"
)
ROLES_12 = _vocabulary(
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
)
ROLE_TYPES = _vocabulary("primary", "secondary")
ENROLLMENT_ROLES = _vocabulary("administrator", "proctor", "student", "teacher")
CLASS_TYPES = _vocabulary("homeroom", "scheduled")
SESSION_TYPES = _vocabulary("gradingPeriod", "semester", "schoolYear", "term")
BOOLEANS = _vocabulary("true", "false")

_EXTENSION = re.compile(r"ext:[A-Za-z0-9.\-_]+")  # the specs' pattern for extension values
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR = re.compile(r"[0-9]{4}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


# ----------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Problem:
    file: str  # "users.csv", or "" for the package
    line: int | None  # 1-based physical line in that file (the header is 1); None: the file
    field: str  # the column, or ""
    message: str
    severity: str = "error"  # "error" stops the import; "warning" does not


@dataclass(frozen=True)
class RosterOrg:
    sourced_id: str
    status: str  # "active" or "tobedeleted"
    name: str
    type: str  # school, district, department, local, state, national, or an "ext:" value
    identifier: str
    parent_sourced_id: str
    line: int = field(default=0, compare=False)  # its line in orgs.csv


@dataclass(frozen=True)
class RosterRole:
    role: str  # lower-case: teacher, administrator, siteadministrator, student, ...
    org_sourced_id: str
    primary: bool = True  # 1.2 roleType "primary"; 1.1 has no secondary roles
    status: str = "active"  # 1.2: the roles.csv row's own; 1.1: the user's
    sourced_id: str = ""  # the roles.csv row (1.2); "" in 1.1


@dataclass(frozen=True)
class RosterUser:
    sourced_id: str
    status: str
    enabled: bool
    username: str
    given_name: str
    family_name: str
    email: str
    identifier: str
    roles: tuple[RosterRole, ...]  # 1.1: `role` in each of `orgSourcedIds`; 1.2: roles.csv
    primary_org_sourced_id: str = ""  # 1.2
    user_master_identifier: str = ""  # 1.2
    preferred_given_name: str = ""  # 1.2
    preferred_family_name: str = ""  # 1.2
    line: int = field(default=0, compare=False)  # its line in users.csv


@dataclass
class Roster:
    version: str  # "1.1" or "1.2" ("" when the package could not be read at all)
    modes: dict[str, str]  # file name -> "bulk" | "delta" | "absent"
    orgs: list[RosterOrg]
    users: list[RosterUser]
    problems: list[Problem]
    # 1.2 delta roles.csv rows of people users.csv does not list (their other data unchanged):
    # user sourcedId -> roles.
    extra_roles: dict[str, tuple[RosterRole, ...]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def read_package(source: str | os.PathLike[str] | bytes | IO[bytes]) -> Roster:
    """Read a OneRoster CSV package: `source` is a path to a .zip or to a folder of the CSV
    files, the zip's bytes, or a binary file object of it. Never raises for bad content:
    every fault is a `Problem` in the result. Faults in the files Microcred checks but does
    not import (sessions, classes, enrollments) are warnings: they do not stop the import."""
    reader = _Reader()
    try:
        roster = reader.read(source)
        roster.problems = [_not_imported(problem) for problem in roster.problems]
        return roster
    except Exception:  # the promise above; a fault of ours still reaches the report
        logger.exception("Reading a OneRoster package failed")
        reader.error(
            "",
            None,
            "",
            "The package could not be read because of a fault on our side, not in your "
            "files. Try again later; if it happens again, send the package to support.",
        )
        return Roster(reader.version, reader.modes, [], [], reader.problems)


NOT_IMPORTED = (SESSIONS, CLASSES, ENROLLMENTS)


def _not_imported(problem: Problem) -> Problem:
    if problem.file not in NOT_IMPORTED or problem.severity != "error":
        return problem
    return dataclasses.replace(
        problem,
        severity="warning",
        message=f"{problem.message} (This file is checked, not imported: the import can go on.)",
    )


# ----------------------------------------------------------------------------- the files


class _Refused(Exception):
    """A file that cannot be read; the message says why."""


class _Files(abc.ABC):
    """A package's files by lower-case name: the members of a zip or the files of a folder."""

    def __init__(self) -> None:
        self.shown: dict[str, str] = {}  # lower-case file name -> its name in the package
        self.doubles: dict[str, list[str]] = {}  # lower-case name -> every path that has it

    def add(self, key: str, shown: str) -> bool:
        if key in self.shown:
            self.doubles.setdefault(key, [self.shown[key]]).append(shown)
            return False
        self.shown[key] = shown
        return True

    @abc.abstractmethod
    def size(self, key: str) -> int: ...

    @abc.abstractmethod
    def read(self, key: str, limit: int) -> bytes:
        """At most limit + 1 bytes (so that too many can be told)."""


class _ZipFiles(_Files):
    def __init__(self, archive: zipfile.ZipFile) -> None:
        super().__init__()
        self.archive = archive
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            path = info.filename.replace("\\", "/")
            base = path.rsplit("/", 1)[-1]
            if info.is_dir() or not base or path.startswith("__MACOSX/") or base.startswith("._"):
                continue
            if self.add(base.lower(), path):
                self.members[base.lower()] = info

    def size(self, key: str) -> int:
        return self.members[key].file_size

    def read(self, key: str, limit: int) -> bytes:
        try:
            with self.archive.open(self.members[key]) as handle:
                return handle.read(limit + 1)
        except RuntimeError as error:  # an encrypted member
            raise _Refused("is protected by a password; export the package without one.") from error
        except NotImplementedError as error:
            raise _Refused(
                "is compressed in a way that cannot be read; zip the files again with "
                "ordinary (deflate) compression."
            ) from error
        except Exception as error:  # bad CRC, truncated data, zlib errors
            raise _Refused(
                f"is damaged inside the zip ({error}); export the package again."
            ) from error


class _FolderFiles(_Files):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.paths: dict[str, Path] = {}
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_file() and self.add(entry.name.lower(), entry.name):
                    self.paths[entry.name.lower()] = Path(entry.path)

    def size(self, key: str) -> int:
        return self.paths[key].stat().st_size

    def read(self, key: str, limit: int) -> bytes:
        try:
            with self.paths[key].open("rb") as handle:
                return handle.read(limit + 1)
        except OSError as error:
            raise _Refused(f"cannot be read ({error.strerror or error}).") from error


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.0f} MB"


def _decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8, with or without a byte order mark."""
    sample = data[:400]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(sample) >= 8 and max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) // 4
    ):
        raise _Refused(
            'is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" and export again.'
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise _Refused(
            f"is not UTF-8 text: byte 0x{byte:02X} on line {line} is not a character. "
            'Save the file as "CSV UTF-8" and export again.',
            line,
        ) from error


@dataclass
class _Unreadable:
    start: int  # the line the record began on
    line: int  # the line where reading it failed
    error: csv.Error


def _records(text: str) -> Iterator[tuple[int, int, list[str]] | _Unreadable]:
    """Each record of a CSV text as (first line, last line, cells), or the line that could
    not be read with its csv.Error. Lines are physical: a quoted value may span several."""
    reader = csv.reader(io.StringIO(text, newline=""))
    end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            start, end = end + 1, reader.line_num
            yield _Unreadable(start, end, error)
            continue
        start, end = end + 1, reader.line_num
        yield start, end, cells


def _suggestion(value: str, choices: Mapping[str, str]) -> str:
    close = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.6)
    return f'did you mean "{choices[close[0]]}"?' if close else ""


def _not_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return True
    return False


def _not_date(value: str) -> bool:
    if _DATE.fullmatch(value) is None:
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return True
    return False


def _ids(value: str) -> list[str]:
    """A list of sourcedIds in one cell, comma-separated (duplicates dropped)."""
    return list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


# ----------------------------------------------------------------------------- the reader


@dataclass
class _RoleRow:
    line: int
    sourced_id: str
    user: str
    org: str
    role: str
    primary: bool
    status: str


class _Reader:
    """One reading of one package: the problems found, the rows read, what they refer to."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.bad: set[tuple[str, int]] = set()  # (file, line) of rows with an error
        # Warnings said once for many rows: key -> [rows, first line, message with {rows}].
        self.tallies: dict[tuple[str, str, str], list] = {}
        self.left = MAX_PACKAGE_BYTES
        self.version = ""
        self.version_line: int | None = None  # of oneroster.version in manifest.csv
        self.modes: dict[str, str] = {}  # as reported: the manifest's, with "absent" filled in
        self.read_as: dict[str, str] = {}  # files read: "bulk" or "delta"
        self.broken: set[str] = set()  # files read in part or not at all (no reference checks)
        self.ids: dict[str, dict[str, int]] = {name: {} for name in READ_FILES}
        self.roles_from_users = False
        self.orgs: list[RosterOrg] = []
        self.org_parents: dict[str, tuple[str, int]] = {}
        self.user_rows: list[dict] = []  # RosterUser's arguments, with the line
        self.user_orgs: list[tuple[int, list[str]]] = []  # 1.1: (line, orgSourcedIds)
        self.role_rows: list[_RoleRow] = []
        self.extra_roles: dict[str, tuple[RosterRole, ...]] = {}

    # --- reporting

    def error(self, file: str, line: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(file, line, column, message))
        if line is not None:
            self.bad.add((file, line))

    def warning(self, file: str, line: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(file, line, column, message, "warning"))

    def tally(self, file: str, column: str, key: str, line: int, message: str) -> None:
        """One warning for every row with the same cause; `message` says "{rows}"."""
        entry = self.tallies.get((file, column, key))
        if entry is None:
            self.tallies[(file, column, key)] = [1, line, message]
        else:
            entry[0] += 1

    def ok(self, file: str, line: int) -> bool:
        return (file, line) not in self.bad

    # --- the whole package

    def read(self, source: str | os.PathLike[str] | bytes | IO[bytes]) -> Roster:
        with contextlib.ExitStack() as stack:
            files = self.open(source, stack)
            if files is None:
                return self.roster()
            texts = self.load(files)
        self.read_orgs(texts.get(ORGS))
        self.read_users(texts.get(USERS), texts.get(ROLES))
        if self.read_as.get(ROLES) and not self.roles_from_users:
            self.read_roles(texts.get(ROLES))
        self.read_sessions(texts.get(SESSIONS))
        self.read_classes(texts.get(CLASSES))
        self.read_enrollments(texts.get(ENROLLMENTS))
        self.check_org_tree()
        self.check_roles()
        return self.roster()

    def roster(self) -> Roster:
        for (file, column, _), (count, first, message) in self.tallies.items():
            rows = "1 row" if count == 1 else f"{count:,} rows"
            self.warning(file, first, column, message.replace("{rows}", rows))
        self.tallies.clear()
        order = {name: i for i, name in enumerate(("", MANIFEST, *READ_FILES))}
        self.problems.sort(key=lambda p: (order.get(p.file, len(order)), p.file, p.line or 0))
        users = self.users()
        return Roster(
            version=self.version,
            modes=self.modes,
            orgs=[org for org in self.orgs if self.ok(ORGS, org.line)],
            users=users,
            problems=self.problems,
            extra_roles=self.extra_roles,
        )

    def open(
        self, source: str | os.PathLike[str] | bytes | IO[bytes], stack: contextlib.ExitStack
    ) -> _Files | None:
        name = "The upload"
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            name = path.name
            if path.is_dir():
                try:
                    return _FolderFiles(path)
                except OSError as error:
                    self.error("", None, "", f"The folder {path} cannot be read ({error}).")
                    return None
            try:
                handle: IO[bytes] = stack.enter_context(path.open("rb"))
            except OSError as error:
                self.error("", None, "", f"{path} cannot be opened ({error.strerror or error}).")
                return None
        elif isinstance(source, (bytes, bytearray, memoryview)):
            handle = io.BytesIO(bytes(source))
        else:
            handle = source
        try:
            archive = stack.enter_context(zipfile.ZipFile(handle))
        except zipfile.BadZipFile as error:
            with contextlib.suppress(Exception):
                handle.seek(0)
            start = b""
            with contextlib.suppress(Exception):
                start = handle.read(4)
            if start.startswith(b"PK"):
                self.error(
                    "",
                    None,
                    "",
                    f"{name} is a damaged zip archive ({error}). Export the package again "
                    "and upload the new file.",
                )
            else:
                self.error(
                    "",
                    None,
                    "",
                    f"{name} is not a zip archive. Upload the .zip file your student "
                    "information system exported, as it is.",
                )
            return None
        except Exception as error:
            self.error("", None, "", f"{name} cannot be opened as a zip archive ({error}).")
            return None
        if len(archive.infolist()) > MAX_ZIP_MEMBERS:
            self.error(
                "",
                None,
                "",
                f"The zip holds {len(archive.infolist()):,} files; a OneRoster package has a "
                f"dozen at most (the limit is {MAX_ZIP_MEMBERS:,}).",
            )
            return None
        return _ZipFiles(archive)

    def text(self, files: _Files, key: str, name: str) -> str | None:
        """One file's text, within what is left of the package's size limit."""
        if key in files.doubles:
            paths = ", ".join(files.doubles[key])
            self.error(name, None, "", f"The package holds more than one {name} ({paths}).")
            return None
        declared = files.size(key)
        if declared > self.left:
            self.error(
                name,
                None,
                "",
                f"{name} unpacks to {_megabytes(declared)}; a whole package may unpack to "
                f"{_megabytes(MAX_PACKAGE_BYTES)} at most.",
            )
            return None
        try:
            data = files.read(key, self.left)
            if len(data) > self.left:  # the zip's directory understated it
                raise _Refused(
                    f"unpacks to more than {_megabytes(MAX_PACKAGE_BYTES)}, the limit for a "
                    "whole package."
                )
            self.left -= len(data)
            return _decode(data)
        except _Refused as refused:
            line = refused.args[1] if len(refused.args) > 1 else None
            self.error(name, line, "", f"{name} {refused.args[0]}")
            return None

    def load(self, files: _Files) -> dict[str, str]:
        """The manifest read, the modes settled, and the text of each file to be read."""
        texts: dict[str, str] = {}
        listed: dict[str, str] = {}  # file -> mode ("" when the manifest's value is wrong)
        version = ""
        if MANIFEST in files.shown:
            text = self.text(files, MANIFEST, MANIFEST)
            if text is None:
                self.broken.add(MANIFEST)
            else:
                version, listed = self.read_manifest(text)
        else:
            self.error(
                MANIFEST,
                None,
                "",
                "manifest.csv is missing. A OneRoster package starts with manifest.csv, "
                "which says its version and how to read each file (bulk, delta or absent).",
            )
            self.broken.add(MANIFEST)
        have_manifest = MANIFEST not in self.broken
        for name in listed:
            if listed[name] in ("bulk", "delta", "absent"):
                self.modes[name] = listed[name]
        for name in READ_FILES:
            self.settle_mode(name, listed.get(name), name.lower() in files.shown, have_manifest)
        for name, mode in listed.items():
            if (
                name not in READ_FILES
                and mode in ("bulk", "delta")
                and name.lower() not in files.shown
            ):
                self.warning(
                    MANIFEST,
                    None,
                    "",
                    f"manifest.csv lists {name} as {mode}, but the package has no {name} "
                    "(Microcred does not read it, so the import can go on).",
                )
        for name in READ_FILES:
            if name in self.read_as:
                text = self.text(files, name.lower(), name)
                if text is None:
                    self.broken.add(name)
                else:
                    texts[name] = text
        self.settle_version(version, files, texts)
        return texts

    def read_manifest(self, text: str) -> tuple[str, dict[str, str]]:
        version = ""
        listed: dict[str, str] = {}
        seen: dict[str, int] = {}
        for line, row in self.rows(MANIFEST, text, MANIFEST_COLUMNS, MANIFEST_COLUMNS):
            prop, value = row["propertyName"], row["value"]
            key = prop.lower()
            if key in seen:
                self.error(
                    MANIFEST,
                    line,
                    "propertyName",
                    f'"{prop}" is listed twice (first on line {seen[key]}).',
                )
                continue
            seen[key] = line
            if key.startswith("file."):
                name = SPEC_FILES.get(key[5:], f"{prop[5:]}.csv")
                mode = value.lower()
                if mode not in MODES:
                    self.error(
                        MANIFEST,
                        line,
                        "value",
                        f'{prop} is "{value}"; it must be bulk (the full list), delta (changes '
                        "only) or absent (not sent).",
                    )
                    mode = ""
                listed[name] = mode
            elif key == "oneroster.version":
                version = value or " "  # listed but empty: said so in settle_version
                self.version_line = line
            elif key == "manifest.version" and value != "1.0":
                self.warning(
                    MANIFEST,
                    line,
                    "value",
                    f'manifest.version is "{value}"; OneRoster 1.1 and 1.2 packages say 1.0. '
                    "The manifest was read as 1.0.",
                )
        return version, listed

    def settle_mode(self, name: str, mode: str | None, present: bool, have_manifest: bool) -> None:
        """How `name` is read (`read_as`), from what the manifest says and what is there."""
        needed = name in (USERS, ORGS)  # roles.csv's need is known once users.csv is read
        self.modes.setdefault(name, "absent")
        if not have_manifest:
            if present:  # read as a full list, to report what else is wrong
                self.read_as[name] = self.modes[name] = "bulk"
            elif needed:
                self.error(name, None, "", f"{name} is missing from the package.")
                self.broken.add(name)
            return
        if mode in ("bulk", "delta"):
            if present:
                self.read_as[name] = mode
            else:
                self.error(
                    name,
                    None,
                    "",
                    f"manifest.csv lists {name} as {mode}, but the package has no {name}.",
                )
                self.broken.add(name)
        elif mode == "absent":
            if name == USERS:
                self.error(
                    MANIFEST,
                    None,
                    "",
                    "manifest.csv marks users.csv absent: there is nobody to import. "
                    'Send users.csv and list it as "file.users,bulk" (or delta).',
                )
            elif present:
                self.warning(
                    name,
                    None,
                    "",
                    f"manifest.csv marks {name} absent, so the {name} in the package was ignored.",
                )
        elif mode == "":  # a wrong value, reported; read what is there as a full list
            if present:
                self.read_as[name] = "bulk"
        elif present and (needed or name == ROLES):
            stem = name.removesuffix(".csv")
            self.error(
                MANIFEST,
                None,
                "",
                f"manifest.csv does not say how to read {name}: add the row "
                f'"file.{stem},bulk" (a full list) or "file.{stem},delta" (changes only).',
            )
            self.read_as[name] = "bulk"  # to report what else is wrong
        elif present:
            self.warning(
                name,
                None,
                "",
                f"manifest.csv does not list {name}, so it was ignored.",
            )
        elif needed:
            stem = name.removesuffix(".csv")
            self.broken.add(name)
            self.error(
                name,
                None,
                "",
                f"{name} is missing. Add it to the package"
                + (
                    f', or the row "file.{stem},absent" to manifest.csv when it has no changes.'
                    if name == ORGS
                    else "."
                ),
            )

    def settle_version(self, given: str, files: _Files, texts: dict[str, str]) -> None:
        """The version from the manifest; or, when it is missing, read from the columns."""
        header: list[str] = []
        with contextlib.suppress(csv.Error, StopIteration):
            header = next(csv.reader(io.StringIO(texts.get(USERS, ""), newline="")))
        columns = {cell.strip().lower() for cell in header}
        guessed = "1.1" if "role" in columns and ROLES.lower() not in files.shown else "1.2"
        raw = given.strip()
        number = raw.lower().removeprefix("v").replace("p", ".")
        if number in ("1.1", "1.1.0", "1.1.1"):
            self.version = "1.1"
        elif number in ("1.2", "1.2.0", "1.2.1"):
            self.version = "1.2"
        elif raw:
            self.error(
                MANIFEST,
                self.version_line,
                "value",
                f'OneRoster version "{raw}" is not supported. Export the package as '
                "OneRoster 1.2 (or 1.1).",
            )
            self.version = guessed
        else:
            self.version = guessed
            if MANIFEST not in self.broken:
                self.warning(
                    MANIFEST,
                    None,
                    "",
                    "manifest.csv does not say the OneRoster version (oneroster.version); "
                    f"the columns look like {guessed}, so the package was read as {guessed}.",
                )

    # --- one file's rows

    def rows(
        self, name: str, text: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows of one file as (line, values by column), the header checked; rows of the
        wrong length (and lines that are not CSV) are reported and left out."""
        records = _records(text)
        header = next(records, None)
        if header is None:
            self.error(name, None, "", f"{name} is empty: it needs at least its header row.")
            self.broken.add(name)
            return
        if isinstance(header, _Unreadable):
            self.error(name, 1, "", f"The header row cannot be read as CSV ({header.error}).")
            self.broken.add(name)
            return
        columns = self.header(name, header[2], known, required)
        if columns is None:
            self.broken.add(name)
            return
        width = len(header[2])
        items = list(columns.items())
        # The sourcedId of a row of the wrong length still counts as there: what refers to it
        # is not reported as well.
        ids = self.ids.get(name)
        id_at = columns.get("sourcedId", width) if ids is not None else width
        has_nul = "\x00" in text
        count = failures = 0
        for record in records:
            if isinstance(record, _Unreadable):
                failures += 1
                if "field larger than field limit" in str(record.error):
                    self.error(
                        name,
                        record.start,
                        "",
                        f'A quote (") opened in this row is never closed: the value after it '
                        f"runs past line {record.line} and {csv.field_size_limit():,} "
                        f"characters. The rest of {name} was not read.",
                    )
                    self.broken.add(name)
                    return
                self.error(
                    name, record.line, "", f"This line cannot be read as CSV ({record.error})."
                )
                if failures >= MAX_CSV_ERRORS:
                    self.error(name, None, "", f"{name} was given up after {failures} such lines.")
                    self.broken.add(name)
                    return
                continue
            start, end, cells = record
            if not "".join(cells).strip():
                continue  # a blank line, or one of empty cells (spreadsheets leave them)
            count += 1
            if count > MAX_ROWS:
                self.error(
                    name,
                    start,
                    "",
                    f"{name} has more than {MAX_ROWS:,} rows, the limit for one file. "
                    "Split the package (for example one per school) and import each.",
                )
                self.broken.add(name)
                return
            if len(cells) != width:
                more = "more" if len(cells) > width else "fewer"
                message = (
                    f"This row has {len(cells)} values but the header has {width} columns "
                    f"({more} values than columns)."
                )
                if end > start:
                    message += (
                        ' A quote (") opened in this row is not closed where the value ends, '
                        f"so the lines after it, up to line {end}, were read into this row."
                    )
                self.error(name, start, "", message)
                if id_at < len(cells) and ids is not None and cells[id_at].strip():
                    ids.setdefault(cells[id_at].strip(), start)
                continue
            row = {column: cells[i].strip() for column, i in items}
            if has_nul:
                for column, value in row.items():
                    if "\x00" in value:
                        self.error(
                            name,
                            start,
                            column,
                            f"{column} contains a NUL character, which cannot be stored; "
                            "remove it and export again.",
                        )
            yield start, row
        if count == 0 and self.read_as.get(name) == "bulk" and name == USERS:
            self.error(
                name,
                None,
                "",
                "users.csv is a full (bulk) list but has no rows: applying it would remove "
                "everyone. Send a delta file for changes only.",
            )

    def header(
        self, name: str, cells: list[str], known: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, int] | None:
        """Column -> index: names matched whatever their case and spaces; vendor columns
        skipped; unknown ones warned of, with the nearest known name."""
        if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
            sign = "semicolons" if ";" in cells[0] else "tabs"
            self.error(
                name,
                1,
                "",
                f"{name} separates its values with {sign}; OneRoster files use commas. Save "
                'it as "CSV UTF-8 (comma delimited)" and export again.',
            )
            return None
        lookup = {column.lower(): column for column in known}
        columns: dict[str, int] = {}
        for i, cell in enumerate(cells):
            key = cell.strip().strip("\ufeff").lower()
            if key.startswith(VENDOR_PREFIXES):
                continue
            if not key:
                self.warning(
                    name, 1, "", f"Column {i + 1} has no name in the header; it was ignored."
                )
                continue
            column = lookup.get(key)
            if column is None:
                hint = _suggestion(key, lookup)
                self.warning(
                    name,
                    1,
                    cell.strip(),
                    f'Unknown column "{cell.strip()}": '
                    + (f"{hint} Its values were ignored." if hint else "its values were ignored."),
                )
            elif column in columns:
                self.error(
                    name,
                    1,
                    column,
                    f'Column "{column}" appears twice (columns {columns[column] + 1} and {i + 1}).',
                )
            else:
                columns[column] = i
        missing = [column for column in required if column not in columns]
        for column in missing:
            self.error(name, 1, column, f'Required column "{column}" is missing.')
        return None if missing else columns

    def required(self, name: str, *more: str) -> tuple[str, ...]:
        columns = REQUIRED[name] + more
        if self.read_as.get(name) == "delta":
            columns += ("status",)
        return columns

    # --- values

    def common(self, name: str, line: int, row: dict[str, str]) -> tuple[str, str]:
        """sourcedId (present, not too long, once in the file), status, dateLastModified."""
        sourced_id = row["sourcedId"]
        seen = self.ids[name]
        if not sourced_id:
            self.error(name, line, "sourcedId", "sourcedId is empty; every row needs one.")
        elif len(sourced_id) > MAX_ID:
            self.error(
                name,
                line,
                "sourcedId",
                f"sourcedId is {len(sourced_id)} characters long; the limit is {MAX_ID}.",
            )
        elif sourced_id in seen:
            self.error(
                name,
                line,
                "sourcedId",
                f'sourcedId "{sourced_id}" is used twice in {name} (first on line '
                f"{seen[sourced_id]}).",
            )
        else:
            seen[sourced_id] = line
        raw = row.get("status", "")
        status = STATUSES.get(raw.lower())
        if status is None:
            if raw.lower() == "inactive":  # OneRoster 1.0; 1.1 and 1.2 read it so
                status = "tobedeleted"
                self.tally(
                    name,
                    "status",
                    "inactive",
                    line,
                    'Status "inactive" (a OneRoster 1.0 value) was read as tobedeleted on {rows}.',
                )
            else:
                status = "active"
                hint = _suggestion(raw, STATUSES) if raw else ""
                self.error(
                    name,
                    line,
                    "status",
                    f'Status "{raw}" is not a OneRoster status'
                    + (f": {hint}" if hint else ".")
                    + " Use active or tobedeleted.",
                )
        elif not raw and self.read_as.get(name) == "delta":
            self.error(
                name,
                line,
                "status",
                "status is empty; in a delta file every row says active or tobedeleted.",
            )
        modified = row.get("dateLastModified", "")
        if modified:
            if _not_datetime(modified):
                self.error(
                    name,
                    line,
                    "dateLastModified",
                    f'Not a date and time: "{modified}". Use ISO 8601, for example '
                    "2026-09-01T08:30:00Z.",
                )
        elif self.read_as.get(name) == "delta":
            self.tally(
                name,
                "dateLastModified",
                "",
                line,
                "dateLastModified is empty on {rows}; a delta file should date every change.",
            )
        return sourced_id, status

    def missing(self, name: str, line: int, column: str) -> None:
        self.error(name, line, column, f"{column} is empty, but every row of {name} needs one.")

    def value(
        self, name: str, line: int, row: dict[str, str], column: str, limit: int, needed: bool
    ) -> str:
        value = row.get(column, "")
        if not value:
            if needed:
                self.missing(name, line, column)
        elif len(value) > limit:
            self.error(
                name,
                line,
                column,
                f"{column} is {len(value):,} characters long; the limit is {limit}.",
            )
        return value

    def choice(
        self,
        name: str,
        line: int,
        row: dict[str, str],
        column: str,
        words: Mapping[str, str],
        what: str,
        needed: bool = True,
    ) -> str:
        """A value from a vocabulary (any case), or an `ext:` one; "" when wrong or empty."""
        value = row.get(column, "")
        if not value:
            if needed:
                self.missing(name, line, column)
            return ""
        word = words.get(value.lower())
        if word is not None:
            return word
        if _EXTENSION.fullmatch(value):
            return value
        hint = _suggestion(value, words)
        choices = ", ".join(sorted(set(words.values()), key=str.lower))
        self.error(
            name,
            line,
            column,
            f'{what} "{value}" is not a OneRoster {what.lower()}'
            + (f": {hint}" if hint else ".")
            + f" Use one of {choices}.",
        )
        return ""

    def role(self, name: str, line: int, row: dict[str, str], column: str, needed: bool) -> str:
        """A person's role, lower-cased; the other version's names accepted, said so."""
        value = row.get(column, "")
        if not value:
            if needed:
                self.missing(name, line, column)
            return ""
        here, there = (ROLES_11, ROLES_12) if self.version == "1.1" else (ROLES_12, ROLES_11)
        key = value.lower()
        if key in here or _EXTENSION.fullmatch(value):
            return key
        if key in there:
            other = "1.2" if self.version == "1.1" else "1.1"
            self.tally(
                name,
                column,
                key,
                line,
                f'Role "{there[key]}" is a OneRoster {other} role, not a {self.version} one; '
                "it was read as it is on {rows}.",
            )
            return key
        return self.choice(name, line, row, column, {**there, **here}, "Role").lower()

    def date(self, name: str, line: int, row: dict[str, str], column: str, needed: bool) -> str:
        value = row.get(column, "")
        if not value:
            if needed:
                self.missing(name, line, column)
        elif _not_date(value):
            self.error(name, line, column, f'Not a date: "{value}". Use YYYY-MM-DD.')
            return ""
        return value

    def period(self, name: str, line: int, begin: str, end: str, column: str = "endDate") -> None:
        if begin and end and end < begin:
            self.error(name, line, column, f"{column} {end} is before the start, {begin}.")

    def refer(self, name: str, line: int, column: str, target: str, value: str, what: str) -> None:
        """`value` must be a sourcedId of `target`: an error when that file is a full list,
        a warning when it is a delta (or not sent): the database may know it."""
        if not value or value in self.ids[target] or target in self.broken:
            return
        mode = self.read_as.get(target)
        if mode == "bulk":
            self.error(name, line, column, f'{what} "{value}" is not in {target}.')
        elif target in (CLASSES, SESSIONS):
            return  # not kept by Microcred: nothing to check them against
        elif mode == "delta":
            self.tally(
                name,
                column,
                value,
                line,
                f'{what} "{value}" is not in {target} (a delta file), so it must come from an '
                "earlier import (named on {rows}).",
            )
        else:
            self.tally(
                name,
                column,
                "",
                line,
                f"{target} is not in this package, so the {column} values of {name} were not "
                "checked here; they must come from an earlier import ({rows}).",
            )

    # --- the files

    def read_orgs(self, text: str | None) -> None:
        if text is None:
            return
        for line, row in self.rows(ORGS, text, ORG_COLUMNS, self.required(ORGS)):
            sourced_id, status = self.common(ORGS, line, row)
            live = status == "active"
            name = self.value(ORGS, line, row, "name", MAX_ORG_NAME, live)
            kind = self.choice(ORGS, line, row, "type", ORG_TYPES, "Org type", live).lower()
            identifier = self.value(ORGS, line, row, "identifier", MAX_TEXT, False)
            parent = self.value(ORGS, line, row, "parentSourcedId", MAX_ID, False)
            if parent.lower() == "null":  # some exports say so of the top org
                parent = ""
            if parent and sourced_id:
                self.org_parents[sourced_id] = (parent, line)
            self.orgs.append(
                RosterOrg(
                    sourced_id=sourced_id,
                    status=status,
                    name=name,
                    type=kind,
                    identifier=identifier,
                    parent_sourced_id=parent,
                    line=line,
                )
            )

    def read_users(self, text: str | None, roles_text: str | None) -> None:
        if text is None:
            return
        header: list[str] = []
        with contextlib.suppress(csv.Error, StopIteration):
            header = next(csv.reader(io.StringIO(text, newline="")))
        columns = {cell.strip().lower() for cell in header}
        self.roles_from_users = self.settle_roles("role" in columns, roles_text is not None)
        more = ("role", "orgSourcedIds") if self.roles_from_users else ()
        for line, row in self.rows(USERS, text, USER_COLUMNS, self.required(USERS, *more)):
            sourced_id, status = self.common(USERS, line, row)
            live = status == "active"
            enabled = True
            raw = row["enabledUser"]
            if raw.lower() in BOOLEANS:
                enabled = raw.lower() == "true"
            elif raw:
                self.error(
                    USERS, line, "enabledUser", f'enabledUser must be true or false, not "{raw}".'
                )
            elif live:
                self.error(USERS, line, "enabledUser", "enabledUser is empty; write true or false.")
            email = self.value(USERS, line, row, "email", MAX_EMAIL, False)
            if email and len(email) <= MAX_EMAIL and _EMAIL.fullmatch(email) is None:
                self.error(USERS, line, "email", f'Not an email address: "{email}".')
            user = {
                "line": line,
                "sourced_id": sourced_id,
                "status": status,
                "enabled": enabled,
                "username": self.value(USERS, line, row, "username", MAX_TEXT, live),
                "given_name": self.value(USERS, line, row, "givenName", MAX_NAME, live),
                "family_name": self.value(USERS, line, row, "familyName", MAX_NAME, live),
                "email": email,
                "identifier": self.value(USERS, line, row, "identifier", MAX_TEXT, False),
                "primary_org_sourced_id": self.value(
                    USERS, line, row, "primaryOrgSourcedId", MAX_ID, False
                ),
                "user_master_identifier": self.value(
                    USERS, line, row, "userMasterIdentifier", MAX_TEXT, False
                ),
                "preferred_given_name": self.value(
                    USERS, line, row, "preferredGivenName", MAX_NAME, False
                ),
                "preferred_family_name": self.value(
                    USERS, line, row, "preferredFamilyName", MAX_NAME, False
                ),
            }
            if self.roles_from_users:
                role = self.role(USERS, line, row, "role", live)
                orgs = _ids(row["orgSourcedIds"])
                if not orgs and live:
                    self.missing(USERS, line, "orgSourcedIds")
                user["roles"] = tuple(
                    RosterRole(role=role, org_sourced_id=org, status=status)
                    for org in (orgs if role else ())
                )
                self.user_orgs.append((line, orgs))
            self.user_rows.append(user)

    def settle_roles(self, users_have_roles: bool, roles_sent: bool) -> bool:
        """Whether roles are read from users.csv (1.1) rather than roles.csv (1.2)."""
        mode = self.read_as.get(ROLES)
        if self.version == "1.1":
            if not mode:
                return True
            if users_have_roles:
                self.warning(
                    ROLES,
                    None,
                    "",
                    "roles.csv is not part of OneRoster 1.1 (this package says 1.1); it was "
                    "ignored: roles come from the role and orgSourcedIds columns of users.csv.",
                )
                return True
            self.warning(
                ROLES,
                None,
                "",
                "This package says OneRoster 1.1 but keeps roles in roles.csv, as 1.2 does; "
                "they were read from there.",
            )
            return False
        if roles_sent:
            if users_have_roles:
                self.warning(
                    USERS,
                    1,
                    "role",
                    "The role and orgSourcedIds columns of users.csv (OneRoster 1.1) were "
                    "ignored: in 1.2 roles come from roles.csv.",
                )
            return False
        if users_have_roles:
            self.warning(
                USERS,
                None,
                "",
                "This OneRoster 1.2 package sends no roles.csv; the roles were read from the "
                "role and orgSourcedIds columns of users.csv, as in 1.1.",
            )
            return True
        if ROLES not in self.broken and self.read_as.get(USERS) == "bulk":
            self.error(
                ROLES,
                None,
                "",
                "users.csv is a full (bulk) list, but the package has no roles.csv, so nobody "
                "would have a role. Add roles.csv (OneRoster 1.2 keeps roles there).",
            )
            self.broken.add(ROLES)
        return False

    def read_roles(self, text: str | None) -> None:
        if text is None:
            return
        for line, row in self.rows(ROLES, text, ROLE_COLUMNS, self.required(ROLES)):
            sourced_id, status = self.common(ROLES, line, row)
            user = self.value(ROLES, line, row, "userSourcedId", MAX_ID, True)
            org = self.value(ROLES, line, row, "orgSourcedId", MAX_ID, True)
            kind = self.choice(ROLES, line, row, "roleType", ROLE_TYPES, "Role type")
            role = self.role(ROLES, line, row, "role", True)
            begin = self.date(ROLES, line, row, "beginDate", False)
            self.period(ROLES, line, begin, self.date(ROLES, line, row, "endDate", False))
            self.role_rows.append(
                _RoleRow(line, sourced_id, user, org, role, kind == "primary", status)
            )

    def read_sessions(self, text: str | None) -> None:
        if text is None:
            return
        parents: list[tuple[int, str]] = []
        for line, row in self.rows(SESSIONS, text, SESSION_COLUMNS, self.required(SESSIONS)):
            _, status = self.common(SESSIONS, line, row)
            live = status == "active"
            self.value(SESSIONS, line, row, "title", MAX_TEXT, live)
            self.choice(SESSIONS, line, row, "type", SESSION_TYPES, "Session type", live)
            start = self.date(SESSIONS, line, row, "startDate", live)
            self.period(SESSIONS, line, start, self.date(SESSIONS, line, row, "endDate", live))
            year = row["schoolYear"]
            if not year:
                if live:
                    self.missing(SESSIONS, line, "schoolYear")
            elif _YEAR.fullmatch(year) is None:
                self.error(
                    SESSIONS, line, "schoolYear", f'Not a year: "{year}". Use YYYY, e.g. 2027.'
                )
            parents.append((line, row.get("parentSourcedId", "")))
        for line, parent in parents:
            self.refer(SESSIONS, line, "parentSourcedId", SESSIONS, parent, "Parent session")

    def read_classes(self, text: str | None) -> None:
        if text is None:
            return
        refs: list[tuple[int, str, list[str]]] = []
        for line, row in self.rows(CLASSES, text, CLASS_COLUMNS, self.required(CLASSES)):
            _, status = self.common(CLASSES, line, row)
            live = status == "active"
            self.value(CLASSES, line, row, "title", MAX_TEXT, live)
            self.value(CLASSES, line, row, "courseSourcedId", MAX_ID, live)
            self.choice(CLASSES, line, row, "classType", CLASS_TYPES, "Class type", live)
            school = self.value(CLASSES, line, row, "schoolSourcedId", MAX_ID, live)
            terms = _ids(row["termSourcedIds"])
            if not terms and live:
                self.missing(CLASSES, line, "termSourcedIds")
            refs.append((line, school, terms))
        for line, school, terms in refs:
            self.refer(CLASSES, line, "schoolSourcedId", ORGS, school, "School")
            for term in terms:
                self.refer(CLASSES, line, "termSourcedIds", SESSIONS, term, "Term")

    def read_enrollments(self, text: str | None) -> None:
        if text is None:
            return
        required = self.required(ENROLLMENTS)
        for line, row in self.rows(ENROLLMENTS, text, ENROLLMENT_COLUMNS, required):
            _, status = self.common(ENROLLMENTS, line, row)
            live = status == "active"
            group = self.value(ENROLLMENTS, line, row, "classSourcedId", MAX_ID, live)
            school = self.value(ENROLLMENTS, line, row, "schoolSourcedId", MAX_ID, live)
            user = self.value(ENROLLMENTS, line, row, "userSourcedId", MAX_ID, live)
            self.choice(ENROLLMENTS, line, row, "role", ENROLLMENT_ROLES, "Enrollment role", live)
            self.choice(ENROLLMENTS, line, row, "primary", BOOLEANS, "Primary value", False)
            begin = self.date(ENROLLMENTS, line, row, "beginDate", False)
            self.period(
                ENROLLMENTS, line, begin, self.date(ENROLLMENTS, line, row, "endDate", False)
            )
            self.refer(ENROLLMENTS, line, "classSourcedId", CLASSES, group, "Class")
            self.refer(ENROLLMENTS, line, "schoolSourcedId", ORGS, school, "School")
            self.refer(ENROLLMENTS, line, "userSourcedId", USERS, user, "User")

    # --- across files

    def check_org_tree(self) -> None:
        """Each parent is an org, and no org is its own ancestor."""
        for parent, line in self.org_parents.values():
            self.refer(ORGS, line, "parentSourcedId", ORGS, parent, "Parent org")
        done: set[str] = set()
        for start in self.org_parents:
            path: list[str] = []
            on_path: set[str] = set()
            node = start
            while node in self.org_parents and node not in done:
                if node in on_path:
                    loop = path[path.index(node) :]
                    for member in loop:
                        turn = loop[loop.index(member) :] + loop[: loop.index(member)] + [member]
                        self.error(
                            ORGS,
                            self.org_parents[member][1],
                            "parentSourcedId",
                            f'Org "{member}" is its own ancestor: {" → ".join(turn)}. Fix '
                            "parentSourcedId so that the orgs form a tree.",
                        )
                    break
                on_path.add(node)
                path.append(node)
                node = self.org_parents[node][0]
            done.update(path)

    def check_roles(self) -> None:
        """References of users and roles; one primary role per person and org (1.2); each
        active person has a role when the roles sent are a full list."""
        for line, orgs in self.user_orgs:
            for org in orgs:
                self.refer(USERS, line, "orgSourcedIds", ORGS, org, "Org")
        for user in self.user_rows:
            self.refer(
                USERS,
                user["line"],
                "primaryOrgSourcedId",
                ORGS,
                user["primary_org_sourced_id"],
                "Org",
            )
        if self.roles_from_users:
            return
        primaries: dict[tuple[str, str], int] = {}
        secondary_only: dict[tuple[str, str], int] = {}
        for row in self.role_rows:
            self.refer(ROLES, row.line, "userSourcedId", USERS, row.user, "User")
            self.refer(ROLES, row.line, "orgSourcedId", ORGS, row.org, "Org")
            if row.status != "active" or not self.ok(ROLES, row.line):
                continue
            pair = (row.user, row.org)
            if not row.primary:
                secondary_only.setdefault(pair, row.line)
            elif pair in primaries:
                self.error(
                    ROLES,
                    row.line,
                    "roleType",
                    f'User "{row.user}" already has a primary role in org "{row.org}" (line '
                    f"{primaries[pair]}); OneRoster allows one primary role per org.",
                )
            else:
                primaries[pair] = row.line
        if self.read_as.get(ROLES) == "bulk" and ROLES not in self.broken:
            for pair, line in secondary_only.items():
                if pair not in primaries:
                    self.tally(
                        ROLES,
                        "roleType",
                        "",
                        line,
                        "A person has only secondary roles in an org on {rows}; OneRoster "
                        "expects one primary role in each org (they were read as they are).",
                    )
            having = {row.user for row in self.role_rows}
            listed = self.ids[USERS]
            for user in self.user_rows:
                sourced_id = user["sourced_id"]
                if (
                    user["status"] == "active"
                    and listed.get(sourced_id) == user["line"]
                    and sourced_id not in having
                ):
                    self.error(
                        USERS,
                        user["line"],
                        "",
                        f'User "{sourced_id}" has no role: add a row for them to roles.csv.',
                    )

    def users(self) -> list[RosterUser]:
        by_user: dict[str, list[RosterRole]] = {}
        if not self.roles_from_users:
            for row in self.role_rows:
                if self.ok(ROLES, row.line):
                    by_user.setdefault(row.user, []).append(
                        RosterRole(
                            role=row.role,
                            org_sourced_id=row.org,
                            primary=row.primary,
                            status=row.status,
                            sourced_id=row.sourced_id,
                        )
                    )
            listed = self.ids[USERS]
            self.extra_roles = {
                user: tuple(roles) for user, roles in by_user.items() if user not in listed
            }
        users = []
        for user in self.user_rows:
            if not self.ok(USERS, user["line"]):
                continue
            if not self.roles_from_users:
                user["roles"] = tuple(by_user.get(user["sourced_id"], ()))
            users.append(RosterUser(**user))
        return users
