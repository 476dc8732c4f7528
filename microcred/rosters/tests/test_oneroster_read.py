"""Reading a OneRoster package (no database): valid 1.1 and 1.2 packages give the same
people; every fault of a messy export is a problem with its file, line and column, never an
exception; delta files; zips, bytes, file objects and folders; the size limits."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.rosters import oneroster
from microcred.rosters.oneroster import Problem, Roster, RosterOrg, RosterRole, read_package

PACKAGES = Path(__file__).parent / "packages"


def copy(tmp_path: Path, name: str, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """A copy of a test package, with files replaced (text or bytes) or removed (None)."""
    target = tmp_path / name
    shutil.copytree(PACKAGES / name, target)
    for file, content in (changes or {}).items():
        if content is None:
            (target / file).unlink()
        elif isinstance(content, bytes):
            (target / file).write_bytes(content)
        else:
            (target / file).write_text(content, encoding="utf-8", newline="")
    return target


def zipped(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, prefix + file.name)
    return buffer.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def found(roster: Roster, file: str, line: int | None, field: str, fragment: str) -> bool:
    return any(
        p.file == file and p.line == line and p.field == field and fragment in p.message
        for p in roster.problems
    )


def only(roster: Roster, file: str, line: int | None, field: str, fragment: str) -> Problem:
    matches = [
        p
        for p in roster.problems
        if p.file == file and p.line == line and p.field == field and fragment in p.message
    ]
    assert len(matches) == 1, roster.problems
    return matches[0]


def people(roster: Roster) -> dict[str, tuple]:
    return {
        u.sourced_id: (u.status, u.enabled, u.username, u.given_name, u.family_name, u.email)
        for u in roster.users
    }


ORGS = [
    RosterOrg("d1", "active", "Lakeland District", "district", "NCES-0100", ""),
    RosterOrg("s1", "active", "Oak School", "school", "NCES-0101", "d1"),
    RosterOrg("s2", "active", "Elm School", "school", "NCES-0102", "d1"),
]
PEOPLE = {
    "t1": ("active", True, "tara.teach", "Tara", "Teach", "tara.teach@lakeland.example"),
    "t2": ("active", True, "tom.teach", "Tom", "Teach", "tom.teach@lakeland.example"),
    "a1": ("active", True, "ada.admin", "Ada", "Admin", "ada.admin@lakeland.example"),
    "x1": ("active", True, "al.aide", "Al", "Aide", "al.aide@lakeland.example"),
    "st1": ("active", False, "stu.dent", "Stu", "Dent, Jr.", ""),
}


# ----------------------------------------------------------------------------- valid packages


def test_a_valid_12_package_gives_its_orgs_people_and_roles_without_a_problem(tmp_path):
    roster = read_package(zipped(PACKAGES / "valid_12"))

    assert roster.problems == []
    assert roster.ok
    assert roster.version == "1.2"
    assert roster.modes["users.csv"] == roster.modes["roles.csv"] == "bulk"
    assert roster.modes["courses.csv"] == "absent"
    assert roster.orgs == ORGS
    assert people(roster) == PEOPLE
    roles = {u.sourced_id: u.roles for u in roster.users}
    assert roles["t1"] == (RosterRole("teacher", "s1", True, "active", "r1"),)
    assert roles["t2"] == (
        RosterRole("teacher", "s2", True, "active", "r2"),
        RosterRole("aide", "s2", False, "active", "r3"),
    )
    assert roles["a1"] == (RosterRole("siteadministrator", "s1", True, "active", "r4"),)
    assert [r.role for r in roles["x1"]] == ["aide"]
    assert [r.role for r in roles["st1"]] == ["student"]
    tara = roster.users[0]
    assert (tara.identifier, tara.primary_org_sourced_id, tara.user_master_identifier) == (
        "T-001",
        "s1",
        "M-001",
    )
    assert roster.users[1].preferred_given_name == "Tommy"
    assert [u.line for u in roster.users] == [2, 3, 4, 5, 6]
    assert roster.extra_roles == {}


def test_a_valid_11_package_with_mixed_header_case_and_a_vendor_column_gives_the_same_people():
    roster = read_package(zipped(PACKAGES / "valid_11"))

    assert roster.problems == []  # the ext_vendor column is ignored without a word
    assert roster.version == "1.1"
    assert roster.orgs == ORGS  # "District", "School": types are lower-cased
    assert people(roster) == PEOPLE
    roles = {
        u.sourced_id: [(r.role, r.org_sourced_id, r.primary) for r in u.roles] for u in roster.users
    }
    assert roles == {
        "t1": [("teacher", "s1", True)],
        "t2": [("teacher", "s2", True)],
        "a1": [("administrator", "s1", True)],  # 1.2 says siteAdministrator
        "x1": [("aide", "s2", True)],
        "st1": [("student", "s1", True)],
    }


def test_a_11_user_in_several_orgs_has_the_role_in_each():
    folder = PACKAGES / "valid_11"
    users = (
        (folder / "users.csv").read_text().replace(",s1,teacher,tara", ',"s1, s2,s1",teacher,tara')
    )
    roster = read_package(
        zip_of({p.name: p.read_bytes() for p in folder.iterdir()} | {"users.csv": users.encode()})
    )
    assert roster.ok, roster.problems
    assert [(r.role, r.org_sourced_id) for r in roster.users[0].roles] == [
        ("teacher", "s1"),
        ("teacher", "s2"),
    ]


# ----------------------------------------------------------------------------- row errors

ROW_ERRORS = [
    # orgs.csv
    ("orgs.csv", 4, "type", 'Org type "schol" is not a OneRoster org type: did you mean "school"?'),
    ("orgs.csv", 5, "parentSourcedId", 'Parent org "d9" is not in orgs.csv.'),
    ("orgs.csv", 6, "parentSourcedId", 'Org "o1" is its own ancestor: o1 → o2 → o1.'),
    ("orgs.csv", 7, "parentSourcedId", 'Org "o2" is its own ancestor: o2 → o1 → o2.'),
    ("orgs.csv", 8, "sourcedId", 'sourcedId "s1" is used twice in orgs.csv (first on line 3).'),
    ("orgs.csv", 9, "name", "name is 211 characters long; the limit is 200."),
    ("orgs.csv", 10, "name", "name is empty, but every row of orgs.csv needs one."),
    ("orgs.csv", 11, "status", 'Status "actve" is not a OneRoster status: did you mean "active"?'),
    ("orgs.csv", 12, "dateLastModified", 'Not a date and time: "12/01/2026 10:00". Use ISO 8601'),
    # users.csv
    ("users.csv", 3, "", "This row has 7 values but the header has 10 columns (fewer"),
    ("users.csv", 4, "", "This row has 11 values but the header has 10 columns (more"),
    ("users.csv", 5, "enabledUser", 'enabledUser must be true or false, not "yes".'),
    ("users.csv", 6, "email", 'Not an email address: "ana at school.org".'),
    ("users.csv", 7, "givenName", "givenName is 151 characters long; the limit is 150."),
    ("users.csv", 8, "sourcedId", "sourcedId is 256 characters long; the limit is 255."),
    ("users.csv", 9, "", 'User "t7" has no role: add a row for them to roles.csv.'),
    ("users.csv", 10, "sourcedId", 'sourcedId "t1" is used twice in users.csv (first on line 2).'),
    ("users.csv", 11, "username", "username is empty, but every row of users.csv needs one."),
    # roles.csv
    ("roles.csv", 3, "userSourcedId", 'User "u99" is not in users.csv.'),
    ("roles.csv", 4, "orgSourcedId", 'Org "s99" is not in orgs.csv.'),
    ("roles.csv", 5, "role", 'Role "techer" is not a OneRoster role: did you mean "teacher"?'),
    ("roles.csv", 6, "roleType", 'Role type "main" is not a OneRoster role type.'),
    ("roles.csv", 7, "beginDate", 'Not a date: "12/01/2026". Use YYYY-MM-DD.'),
    ("roles.csv", 8, "endDate", "endDate 2026-06-01 is before the start, 2026-09-01."),
    ("roles.csv", 9, "roleType", 'User "t1" already has a primary role in org "s1" (line 2)'),
    # academicSessions.csv, classes.csv, enrollments.csv
    ("academicSessions.csv", 2, "schoolYear", 'Not a year: "27". Use YYYY'),
    ("academicSessions.csv", 3, "type", 'Session type "trimester" is not a OneRoster session type'),
    ("academicSessions.csv", 4, "parentSourcedId", 'Parent session "y2099" is not in'),
    ("classes.csv", 3, "classType", 'Class type "lecture" is not a OneRoster class type.'),
    ("classes.csv", 3, "termSourcedIds", 'Term "term9" is not in academicSessions.csv.'),
    ("enrollments.csv", 3, "classSourcedId", 'Class "c9" is not in classes.csv.'),
    ("enrollments.csv", 4, "userSourcedId", 'User "u42" is not in users.csv.'),
    ("enrollments.csv", 5, "role", 'Enrollment role "learner" is not a OneRoster enrollment role.'),
    ("enrollments.csv", 5, "beginDate", 'Not a date: "2026-13-01". Use YYYY-MM-DD.'),
]


def test_every_row_error_is_reported_with_its_file_line_and_column_and_the_row_left_out():
    roster = read_package(zipped(PACKAGES / "errors_12"))

    missing = [e for e in ROW_ERRORS if not found(roster, *e)]
    assert missing == [], roster.problems
    # Faults in the files checked but not imported are warnings, said so.
    imported = [p for p in roster.problems if p.file not in oneroster.NOT_IMPORTED]
    checked = [p for p in roster.problems if p.file in oneroster.NOT_IMPORTED]
    assert all(p.severity == "error" for p in imported if p.field != "middleNmae")
    assert len(checked) == 9 and all(p.severity == "warning" for p in checked)
    assert all(p.message.endswith("not imported: the import can go on.)") for p in checked)
    assert len(roster.errors) == len(ROW_ERRORS) - 9  # and nothing else, no cascade
    assert not roster.ok
    warning = only(roster, "users.csv", 1, "middleNmae", "Unknown column")
    assert warning.severity == "warning"
    assert warning.message == (
        'Unknown column "middleNmae": did you mean "middleName"? Its values were ignored.'
    )
    # Rows with an error are left out; the rest are there.
    assert [o.sourced_id for o in roster.orgs] == ["d1", "s1"]
    assert [u.sourced_id for u in roster.users] == ["t1"]
    assert [r.sourced_id for r in roster.users[0].roles] == ["r1"]


def test_a_value_with_a_nul_character_and_a_quote_never_closed_are_reported(tmp_path):
    folder = PACKAGES / "valid_12"
    users = (folder / "users.csv").read_text()
    lines = users.splitlines(keepends=True)
    lines[2] = lines[2].replace("Tom", "To\x00m")
    lines[3] = lines[3].replace("Ada,Admin", 'Ada,"Admin')  # the quote runs to the end
    roster = read_package(copy(tmp_path, "valid_12", {"users.csv": "".join(lines)}))

    only(roster, "users.csv", 3, "givenName", "givenName contains a NUL character")
    problem = only(roster, "users.csv", 4, "", "values but the header has 23 columns")
    assert 'A quote (") opened in this row is not closed where the value ends' in problem.message
    assert "up to line 6" in problem.message


def test_a_quote_left_open_in_a_long_file_is_reported_on_its_line(tmp_path):
    users = (PACKAGES / "valid_12" / "users.csv").read_text()
    users = users.replace("Ada,Admin", 'Ada,"Admin').replace('"Dent, Jr."', "Dent")
    users += "\n".join(["x" * 1000] * 140) + "\n"
    roster = read_package(copy(tmp_path, "valid_12", {"users.csv": users}))

    problem = only(roster, "users.csv", 4, "", 'A quote (") opened in this row is never closed')
    assert "runs past line 137 and 131,072 characters. The rest of users.csv" in problem.message
    assert [p.line for p in roster.errors] == [4]  # not one per line after it


def test_status_and_date_of_a_delta_file_are_required_and_inactive_reads_as_tobedeleted(tmp_path):
    users = (PACKAGES / "delta_12" / "users.csv").read_text()
    users = users.replace("t9,active,2026-10-01T02:00:00Z", "t9,,")
    roster = read_package(copy(tmp_path, "delta_12", {"users.csv": users}))

    only(roster, "users.csv", 2, "status", "status is empty; in a delta file every row says")
    only(roster, "users.csv", 2, "dateLastModified", "dateLastModified is empty on 1 row")
    inactive = only(roster, "users.csv", 4, "status", 'Status "inactive"')
    assert inactive.severity == "warning"


# ----------------------------------------------------------------------------- delta


def test_a_delta_package_reads_changes_and_only_warns_of_what_the_database_must_know():
    roster = read_package(zipped(PACKAGES / "delta_12"))

    assert roster.ok, roster.errors
    assert roster.modes == {
        "orgs.csv": "delta",
        "users.csv": "delta",
        "roles.csv": "delta",
        "enrollments.csv": "absent",
        "classes.csv": "absent",
        "academicSessions.csv": "absent",
    }
    assert [(o.sourced_id, o.name) for o in roster.orgs] == [("s1", "Oak Street School")]
    users = {u.sourced_id: u for u in roster.users}
    assert users["t9"].roles == (RosterRole("teacher", "s2", True, "active", "r9"),)
    # A row that only says tobedeleted needs nothing but its sourcedId.
    assert users["t2"].status == "tobedeleted"
    assert users["t2"].roles == (RosterRole("teacher", "s2", True, "tobedeleted", "r2"),)
    assert users["st2"].status == "tobedeleted"  # "inactive", from OneRoster 1.0
    # A role for someone users.csv does not list: her other data did not change.
    assert roster.extra_roles == {"t1": (RosterRole("aide", "s1", False, "active", "r10"),)}
    # Orgs not in the delta orgs.csv: warnings, once per org, with the first line.
    school = only(roster, "roles.csv", 2, "orgSourcedId", 'Org "s2" is not in orgs.csv (a delta')
    assert school.severity == "warning"
    assert "must come from an earlier import (named on 2 rows)" in school.message
    assert found(roster, "orgs.csv", 2, "parentSourcedId", 'Parent org "d1" is not in orgs.csv')
    assert found(roster, "roles.csv", 4, "userSourcedId", 'User "t1" is not in users.csv (a delta')


def test_when_orgs_are_not_sent_their_references_are_left_to_the_database(tmp_path):
    manifest = (
        (PACKAGES / "delta_12" / "manifest.csv").read_text().replace("orgs,delta", "orgs,absent")
    )
    roster = read_package(copy(tmp_path, "delta_12", {"manifest.csv": manifest, "orgs.csv": None}))

    assert roster.ok, roster.errors
    assert roster.orgs == []
    warning = only(roster, "roles.csv", 2, "orgSourcedId", "orgs.csv is not in this package")
    assert "they must come from an earlier import (3 rows)" in warning.message


# ----------------------------------------------------------------------------- inputs


def test_a_zip_reads_the_same_from_a_path_bytes_a_file_object_and_as_a_folder(tmp_path):
    data = zipped(PACKAGES / "valid_12")
    path = tmp_path / "roster.zip"
    path.write_bytes(data)
    # Exports zipped with their folder, and a Mac's resource forks, read the same.
    nested = zip_of(
        {
            **{f"export/{p.name}": p.read_bytes() for p in (PACKAGES / "valid_12").iterdir()},
            "__MACOSX/export/._users.csv": b"\x00\x05\x16\x07",
        }
    )

    rosters = [
        read_package(path),
        read_package(str(path)),
        read_package(data),
        read_package(io.BytesIO(data)),
        read_package(PACKAGES / "valid_12"),
        read_package(nested),
    ]
    for roster in rosters:
        assert roster.problems == []
        assert roster.orgs == ORGS
        assert people(roster) == PEOPLE


def test_file_names_are_matched_whatever_their_case(tmp_path):
    folder = copy(tmp_path, "valid_12")
    (folder / "users.csv").rename(folder / "Users.CSV")
    roster = read_package(folder)
    assert roster.problems == []
    assert len(roster.users) == 5


# ----------------------------------------------------------------------------- the package


def test_what_is_not_a_zip_or_a_damaged_zip_is_reported(tmp_path):
    roster = read_package(b"sourcedId,status\n1,active\n")
    assert not roster.ok
    assert roster.problems == [
        Problem(
            "",
            None,
            "",
            "The upload is not a zip archive. Upload the .zip file your student information "
            "system exported, as it is.",
        )
    ]
    damaged = zipped(PACKAGES / "valid_12")[:-40]
    only(read_package(damaged), "", None, "", "The upload is a damaged zip archive")
    path = tmp_path / "roster.zip"
    path.write_bytes(damaged)
    only(read_package(path), "", None, "", "roster.zip is a damaged zip archive")
    only(read_package(tmp_path / "nowhere.zip"), "", None, "", "cannot be opened")


def test_a_member_damaged_inside_the_zip_is_reported():
    data = bytearray(zipped(PACKAGES / "valid_12"))
    start = data.index(b"users.csv") + len(b"users.csv")  # the first local header's name
    data[start + 10 : start + 20] = b"\xff" * 10
    roster = read_package(bytes(data))
    assert any(
        p.file == "users.csv" and "damaged inside the zip" in p.message for p in roster.errors
    )


def test_manifest_faults_are_reported(tmp_path):
    manifest = (PACKAGES / "valid_12" / "manifest.csv").read_text()
    roster = read_package(copy(tmp_path / "a", "valid_12", {"manifest.csv": None}))
    only(roster, "manifest.csv", None, "", "manifest.csv is missing.")
    assert len(roster.users) == 5  # still read, to report everything at once

    roster = read_package(
        copy(
            tmp_path / "b",
            "valid_12",
            {"manifest.csv": manifest.replace("users,bulk", "users,full")},
        )
    )
    only(roster, "manifest.csv", 18, "value", 'file.users is "full"; it must be bulk')

    roster = read_package(copy(tmp_path / "c", "valid_12", {"roles.csv": None}))
    only(
        roster,
        "roles.csv",
        None,
        "",
        "manifest.csv lists roles.csv as bulk, but the package has no roles.csv.",
    )

    absent = manifest.replace("classes,bulk", "classes,absent")
    roster = read_package(copy(tmp_path / "d", "valid_12", {"manifest.csv": absent}))
    warning = only(roster, "classes.csv", None, "", "manifest.csv marks classes.csv absent")
    assert warning.severity == "warning"
    # (the enrollments it names are then checked against a file that is not sent)
    assert roster.ok

    roster = read_package(
        copy(
            tmp_path / "e",
            "valid_12",
            {"manifest.csv": manifest.replace("version,1.2", "version,1.0")},
        )
    )
    only(roster, "manifest.csv", 3, "value", 'OneRoster version "1.0" is not supported.')

    unlisted = manifest.replace("file.users,bulk\n", "")
    roster = read_package(copy(tmp_path / "f", "valid_12", {"manifest.csv": unlisted}))
    only(roster, "manifest.csv", None, "", 'add the row "file.users,bulk" (a full list)')

    twice = manifest + "file.orgs,delta\n"
    roster = read_package(copy(tmp_path / "g", "valid_12", {"manifest.csv": twice}))
    only(
        roster,
        "manifest.csv",
        21,
        "propertyName",
        '"file.orgs" is listed twice (first on line 13).',
    )


def test_a_missing_version_is_read_from_the_columns_with_a_warning(tmp_path):
    for name, expected in (("valid_12", "1.2"), ("valid_11", "1.1")):
        manifest = (PACKAGES / name / "manifest.csv").read_text()
        manifest = "\n".join(line for line in manifest.splitlines() if "oneroster" not in line)
        roster = read_package(copy(tmp_path / name, name, {"manifest.csv": manifest}))
        assert roster.version == expected
        assert roster.ok
        warning = only(roster, "manifest.csv", None, "", "does not say the OneRoster version")
        assert f"the package was read as {expected}" in warning.message


def test_required_files_must_be_there(tmp_path):
    roster = read_package(copy(tmp_path / "a", "valid_11", {"users.csv": None}))
    only(
        roster,
        "users.csv",
        None,
        "",
        "manifest.csv lists users.csv as bulk, but the package has no users.csv.",
    )

    manifest = "propertyName,value\noneroster.version,1.2\nfile.users,bulk\nfile.roles,bulk\n"
    roster = read_package(
        copy(tmp_path / "b", "valid_12", {"manifest.csv": manifest, "orgs.csv": None})
    )
    only(
        roster,
        "orgs.csv",
        None,
        "",
        'orgs.csv is missing. Add it to the package, or the row "file.orgs,absent"',
    )

    manifest = (
        (PACKAGES / "valid_12" / "manifest.csv").read_text().replace("roles,bulk", "roles,absent")
    )
    roster = read_package(
        copy(tmp_path / "c", "valid_12", {"manifest.csv": manifest, "roles.csv": None})
    )
    only(
        roster,
        "roles.csv",
        None,
        "",
        "users.csv is a full (bulk) list, but the package has no roles.csv",
    )
    assert not any(p.file == "users.csv" for p in roster.problems)  # said once, not per person

    manifest = manifest.replace("users,bulk", "users,absent")
    roster = read_package(copy(tmp_path / "d", "valid_12", {"manifest.csv": manifest}))
    only(roster, "manifest.csv", None, "", "manifest.csv marks users.csv absent")


def test_a_full_users_file_without_rows_is_refused(tmp_path):
    header = (PACKAGES / "valid_12" / "users.csv").read_text().splitlines()[0] + "\n"
    roster = read_package(
        copy(
            tmp_path,
            "valid_12",
            {
                "users.csv": header,
                "roles.csv": "sourcedId,userSourcedId,roleType,role,orgSourcedId\n",
            },
        )
    )
    only(roster, "users.csv", None, "", "users.csv is a full (bulk) list but has no rows")


def test_roles_in_the_other_versions_place_and_names_are_read_with_a_warning(tmp_path):
    # A 1.2 package whose users.csv carries roles the 1.1 way, and no roles.csv.
    manifest = (
        (PACKAGES / "valid_11" / "manifest.csv").read_text().replace("version,1.1", "version,1.2")
    )
    roster = read_package(copy(tmp_path / "a", "valid_11", {"manifest.csv": manifest}))
    assert roster.ok, roster.errors
    only(roster, "users.csv", None, "", "sends no roles.csv; the roles were read from the role")
    # "administrator" is a 1.1 role: in 1.2 it is read as it is, said once for all rows.
    warning = only(roster, "users.csv", 4, "role", 'Role "administrator" is a OneRoster 1.1 role')
    assert warning.severity == "warning"
    assert {u.sourced_id: u.roles[0].role for u in roster.users}["a1"] == "administrator"

    # A 1.1 package that keeps roles in roles.csv.
    roles = (
        (PACKAGES / "valid_12" / "roles.csv")
        .read_text()
        .replace("siteAdministrator", "administrator")
    )
    users = (PACKAGES / "valid_12" / "users.csv").read_text()
    manifest = (PACKAGES / "valid_11" / "manifest.csv").read_text() + "file.roles,bulk\n"
    roster = read_package(
        copy(
            tmp_path / "b",
            "valid_11",
            {"manifest.csv": manifest, "roles.csv": roles, "users.csv": users},
        )
    )
    assert roster.ok, roster.errors
    only(
        roster,
        "roles.csv",
        None,
        "",
        "This package says OneRoster 1.1 but keeps roles in roles.csv",
    )
    assert len(roster.users[1].roles) == 2


def test_extension_values_of_the_spec_are_accepted(tmp_path):
    orgs = (
        (PACKAGES / "valid_12" / "orgs.csv")
        .read_text()
        .replace("Elm School,school", "Elm School,ext:campus")
    )
    roles = (PACKAGES / "valid_12" / "roles.csv").read_text().replace("aide,,,s2", "ext:coach,,,s2")
    roster = read_package(copy(tmp_path, "valid_12", {"orgs.csv": orgs, "roles.csv": roles}))
    assert roster.problems == []
    assert roster.orgs[2].type == "ext:campus"
    assert [r.role for r in roster.users[1].roles] == ["teacher", "ext:coach"]


# ----------------------------------------------------------------------------- encodings


def test_utf8_with_a_byte_order_mark_is_read(tmp_path):
    users = (PACKAGES / "valid_12" / "users.csv").read_text().replace("Tara", "Tára")
    roster = read_package(copy(tmp_path, "valid_12", {"users.csv": "\ufeff" + users}))
    assert roster.problems == []
    assert roster.users[0].given_name == "Tára"


def test_text_that_is_not_utf8_is_reported_with_the_line_of_the_first_bad_byte(tmp_path):
    users = (PACKAGES / "valid_12" / "users.csv").read_text().replace("Stu", "Stü")
    roster = read_package(copy(tmp_path / "a", "valid_12", {"users.csv": users.encode("cp1252")}))
    problem = only(roster, "users.csv", 6, "", "users.csv is not UTF-8 text: byte 0xFC on line 6")
    assert 'Save the file as "CSV UTF-8"' in problem.message
    assert roster.users == []
    assert not any(p.file == "roles.csv" and p.severity == "error" for p in roster.problems)

    utf16 = users.encode("utf-16")
    roster = read_package(copy(tmp_path / "b", "valid_12", {"users.csv": utf16}))
    only(roster, "users.csv", None, "", 'is saved as UTF-16 ("Unicode text")')
    roster = read_package(
        copy(tmp_path / "c", "valid_12", {"users.csv": users.encode("utf-16-le")})
    )
    only(roster, "users.csv", None, "", 'is saved as UTF-16 ("Unicode text")')


# ----------------------------------------------------------------------------- headers


def test_header_faults_are_reported_and_vendor_columns_ignored(tmp_path):
    orgs = "sourcedId,status,dateLastModified,name,name,type,identifier,parentSourcedId,metadata.nces.locale,EXT_district_code,\n"
    orgs += "d1,,,Lakeland,Lakeland,district,,,city,77,\n"
    roster = read_package(copy(tmp_path / "a", "valid_12", {"orgs.csv": orgs}))
    only(roster, "orgs.csv", 1, "name", 'Column "name" appears twice (columns 4 and 5).')
    blank = only(roster, "orgs.csv", 1, "", "Column 11 has no name in the header; it was ignored.")
    assert blank.severity == "warning"
    assert not any("metadata" in p.message or "EXT_" in p.message for p in roster.problems)

    users = (PACKAGES / "valid_12" / "users.csv").read_text().replace("familyName", "familyNmae", 1)
    roster = read_package(copy(tmp_path / "b", "valid_12", {"users.csv": users}))
    warning = only(
        roster,
        "users.csv",
        1,
        "familyNmae",
        'Unknown column "familyNmae": did you mean "familyName"?',
    )
    assert warning.severity == "warning"
    only(roster, "users.csv", 1, "familyName", 'Required column "familyName" is missing.')
    assert roster.users == []
    # The file could not be read, so what refers to its rows is not reported too.
    assert not any(p.file == "roles.csv" for p in roster.problems)
    users = (PACKAGES / "valid_12" / "users.csv").read_text().replace("pronouns", "shoeSize")
    roster = read_package(copy(tmp_path / "b2", "valid_12", {"users.csv": users}))
    assert roster.problems == [
        Problem(
            "users.csv",
            1,
            "shoeSize",
            'Unknown column "shoeSize": its values were ignored.',
            "warning",
        )
    ]

    semicolons = (PACKAGES / "valid_12" / "orgs.csv").read_text().replace(",", ";")
    roster = read_package(copy(tmp_path / "c", "valid_12", {"orgs.csv": semicolons}))
    only(
        roster,
        "orgs.csv",
        1,
        "",
        "orgs.csv separates its values with semicolons; OneRoster files use commas.",
    )

    roster = read_package(copy(tmp_path / "d", "valid_12", {"classes.csv": ""}))
    only(roster, "classes.csv", None, "", "classes.csv is empty: it needs at least its header row.")


# ----------------------------------------------------------------------------- limits


def test_a_package_that_unpacks_too_big_is_refused_before_it_is_read(monkeypatch):
    data = zipped(PACKAGES / "valid_12")
    monkeypatch.setattr(oneroster, "MAX_PACKAGE_BYTES", 1500)
    roster = read_package(data)
    assert any(
        "unpacks to" in p.message and "a whole package may unpack to" in p.message
        for p in roster.errors
    )
    # A zip bomb: a small archive that expands to far more than the limit.
    bomb = zip_of({"manifest.csv": b"propertyName,value\n", "users.csv": b"a" * 10_000_000})
    assert len(bomb) < 20_000
    roster = read_package(bomb)
    only(
        roster,
        "users.csv",
        None,
        "",
        "users.csv unpacks to 10 MB; a whole package may unpack to 1 KB at most.",
    )


def test_too_many_rows_or_zip_members_are_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(oneroster, "MAX_ROWS", 3)
    roster = read_package(PACKAGES / "valid_12")
    only(roster, "users.csv", 5, "", "users.csv has more than 3 rows, the limit for one file.")

    monkeypatch.setattr(oneroster, "MAX_ZIP_MEMBERS", 5)
    roster = read_package(zipped(PACKAGES / "valid_12"))
    only(roster, "", None, "", "The zip holds 7 files")


def test_a_package_that_is_nothing_at_all_is_reported_not_raised(tmp_path):
    roster = read_package(tmp_path)  # an empty folder
    assert not roster.ok
    assert {p.file for p in roster.errors} >= {"manifest.csv", "users.csv"}
    roster = read_package(b"")
    assert roster.users == [] and not roster.ok


# ----------------------------------------------------------------------------- never raises

COLUMNS = sorted(
    {
        *oneroster.ORG_COLUMNS,
        *oneroster.USER_COLUMNS,
        *oneroster.ROLE_COLUMNS,
        *oneroster.ENROLLMENT_COLUMNS,
        *oneroster.CLASS_COLUMNS,
        *oneroster.SESSION_COLUMNS,
    }
)
cells = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from([",", '"', "\n", "\r", "\x00", ";", " ", "\ufeff", "\udc80"]),
    ),
    max_size=12,
)
column_names = st.one_of(
    st.sampled_from(COLUMNS),
    st.sampled_from(COLUMNS).map(str.upper),
    st.sampled_from(["ext_vendor", "metadata.x", "familyNmae", ""]),
    cells,
)


plausible = st.sampled_from(
    ["d1", "s1", "s2", "t1", "t2", "r1", "c1", "term1", "teacher", "student", "aide", "primary",
     "secondary", "true", "FALSE", "active", "tobedeleted", "inactive", "school", "district",
     "2026-09-01", "2026-09-01T08:30:00Z", "12/01/2026", "a@b.example", "s1,s2", "NULL", ""]
)  # fmt: skip
real_headers = st.sampled_from(
    [
        oneroster.ORG_COLUMNS,
        oneroster.USER_COLUMNS,
        oneroster.USER_COLUMNS[:3] + oneroster.USER_COLUMNS[5:],  # 1.2: no role columns
        oneroster.ROLE_COLUMNS,
        oneroster.ENROLLMENT_COLUMNS,
        oneroster.CLASS_COLUMNS,
        oneroster.SESSION_COLUMNS,
    ]
).flatmap(lambda columns: st.permutations(list(columns)))


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV file, often broken: random or real (shuffled, any case) headers; rows of random
    text (quotes, commas, newlines, NULs, lone surrogates) or plausible values, of about the
    header's width; quoted properly or not; in UTF-8 (with or without BOM), cp1252 or UTF-16."""
    if draw(st.booleans()):
        header = draw(st.lists(column_names, min_size=0, max_size=12))
    else:
        header = [
            draw(st.sampled_from([c, c.upper(), f" {c.lower()} "])) for c in draw(real_headers)
        ]
    values = st.one_of(cells, plausible) if draw(st.booleans()) else plausible
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        width = max(0, len(header) + draw(st.sampled_from([0, 0, 0, -1, 1, -5])))
        rows.append(draw(st.lists(values, min_size=width, max_size=width)))
    if draw(st.booleans()):  # well-quoted CSV
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:  # whatever joining gives: stray quotes, broken rows
        text = "\n".join(",".join(row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(
        encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace"
    )


manifests = st.one_of(
    st.just(
        b"propertyName,value\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,delta\nfile.roles,bulk\n"
    ),
    st.just(b"propertyName,value\noneroster.version,1.1\nfile.orgs,delta\nfile.users,bulk\n"),
    csv_files(),
)
file_names = st.sampled_from(
    ["orgs.csv", "users.csv", "roles.csv", "enrollments.csv", "classes.csv", "academicSessions.csv"]
)


@st.composite
def random_packages(draw: st.DrawFn) -> dict[str, bytes]:
    files = draw(
        st.dictionaries(st.one_of(file_names, st.just("Users.csv")), csv_files(), max_size=4)
    )
    manifest = draw(st.one_of(st.none(), manifests))
    return files if manifest is None else {**files, "manifest.csv": manifest}


BASES = [
    {p.name: p.read_text() for p in (PACKAGES / name).iterdir()}
    for name in ("valid_12", "valid_11", "delta_12", "errors_12")
]


@st.composite
def mutated_packages(draw: st.DrawFn) -> dict[str, bytes]:
    """A test package with a few random changes: a cell replaced, a line dropped or doubled,
    a file removed. Many still read, so the roster's assembly is exercised too."""
    files = dict(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(sorted(files)))
        lines = files[name].split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["cell", "cell", "drop", "double", "remove"]))
        if change == "cell":
            row = lines[i].split(",")
            row[draw(st.integers(0, len(row) - 1))] = draw(st.one_of(cells, plausible))
            lines[i] = ",".join(row)
        elif change == "drop":
            del lines[i]
        elif change == "double":
            lines.insert(i, lines[i])
        files[name] = "\n".join(lines)
        if change == "remove":
            del files[name]
    return {name: text.encode("utf-8", errors="surrogatepass") for name, text in files.items()}


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.one_of(random_packages(), mutated_packages()), as_folder=st.booleans())
def test_random_packages_never_raise_and_every_problem_says_where(
    tmp_path_factory, files, as_folder
):
    if as_folder:
        source: Path | bytes = tmp_path_factory.mktemp("package")
        for name, data in files.items():
            (source / name).write_bytes(data)
    else:
        source = zip_of(files)

    roster = read_package(source)

    assert isinstance(roster, Roster)
    for problem in roster.problems:
        assert isinstance(problem.file, str)
        assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1)
        assert isinstance(problem.field, str)
        assert isinstance(problem.message, str) and problem.message
        assert problem.severity in ("error", "warning")
        assert "fault on our side" not in problem.message
    for user in roster.users:
        assert user.line >= 2 and all(r.role for r in user.roles)
    assert roster.ok == (not roster.errors)


# ----------------------------------------------------------------------------- size


def write_package(folder: Path, people: int, schools: int = 40) -> None:
    """A 1.2 package of `people` users (a third students), each with one role in a school."""
    (folder / "manifest.csv").write_text(
        "propertyName,value\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\n"
        "file.roles,bulk\n"
    )
    with (folder / "orgs.csv").open("w") as orgs:
        orgs.write("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n")
        orgs.write("d1,,,District,district,,\n")
        orgs.writelines(f"s{i},,,School {i},school,,d1\n" for i in range(schools))
    with (folder / "users.csv").open("w") as users, (folder / "roles.csv").open("w") as roles:
        users.write(
            "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,email,"
            "primaryOrgSourcedId\n"
        )
        roles.write(",".join(oneroster.ROLE_COLUMNS) + "\n")
        for i in range(people):
            school, role = f"s{i % schools}", "student" if i % 3 == 0 else "teacher"
            users.write(
                f"u{i},active,2026-09-01T00:00:00Z,true,user{i},Given{i},Family{i},"
                f"user{i}@lakeland.example,{school}\n"
            )
            roles.write(f"r{i},,,u{i},primary,{role},,,{school},\n")


def test_twenty_thousand_people_are_read(tmp_path):
    write_package(tmp_path, 20_000)

    roster = read_package(tmp_path)

    assert roster.problems == []
    assert len(roster.users) == 20_000
    assert roster.users[-1].roles == (RosterRole("teacher", "s39", True, "active", "r19999"),)
