"""Applying a checked roster: schools and people found again by sourcedId (a re-import
changes nothing), the role map, people left out of a full import deactivated (what they
earned stays), delta files, accounts matched by email, and all or nothing."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microcred.assessment.models import Award
from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent, Membership, Organization, Role, User
from microcred.core.tests.factories import member
from microcred.rosters import services
from microcred.rosters.models import RosterImport, RosterLink
from microcred.rosters.oneroster import Problem, Roster, RosterOrg, RosterRole, RosterUser

pytestmark = pytest.mark.django_db


def org(sourced_id: str, name: str, kind: str = "school", parent: str = "d1") -> RosterOrg:
    return RosterOrg(
        sourced_id=sourced_id,
        status="active",
        name=name,
        type=kind,
        identifier="",
        parent_sourced_id="" if kind == "district" else parent,
    )


def person(
    sourced_id: str,
    name: str,
    role: str = "teacher",
    school: str = "s1",
    email: str = "",
    **changes: object,
) -> RosterUser:
    given, _, family = name.partition(" ")
    user = RosterUser(
        sourced_id=sourced_id,
        status="active",
        enabled=True,
        username=sourced_id,
        given_name=given,
        family_name=family,
        email=email or f"{given.lower()}@lakeland.example",
        identifier="",
        roles=(RosterRole(role=role, org_sourced_id=school),),
    )
    return dataclasses.replace(user, **changes)  # type: ignore[arg-type]


ORGS = [org("d1", "Lakeland", "district"), org("s1", "Oak School"), org("s2", "Elm School")]
PEOPLE = [
    person("t1", "Tara Teach"),
    person("t2", "Tom Teach", school="s2"),
    person("a1", "Ada Admin", role="administrator"),
    person("x1", "Al Aide", role="aide"),
    person("st1", "Stu Dent", role="student"),
]


def roster(
    orgs: list[RosterOrg] = ORGS,
    users: list[RosterUser] = PEOPLE,
    mode: str = "bulk",
    problems: list[Problem] | None = None,
) -> Roster:
    return Roster(
        version="1.2",
        modes={"orgs.csv": mode, "users.csv": mode},
        orgs=list(orgs),
        users=list(users),
        problems=problems or [],
    )


@pytest.fixture
def district(world) -> Organization:
    return world.north.organization


def run(district: Organization, read: Roster, **options: object) -> services.Applied:
    record = services.roster_check(actor=None, organization=district, name="r.zip", roster=read)
    return services.roster_apply(actor=None, record=record, roster=read, **options)  # type: ignore[arg-type]


def test_the_first_import_makes_schools_people_and_memberships_by_the_role_map(district):
    applied = run(district, roster())
    schools = {o.name: o for o in Organization.objects.filter(parent=district)}
    assert {"Oak School", "Elm School"} <= set(schools)
    assert schools["Oak School"].kind == "school"
    held = set(
        Membership.objects.filter(user__email__endswith="@lakeland.example").values_list(
            "user__email", "organization__name", "role"
        )
    )
    assert held == {
        ("tara@lakeland.example", "Oak School", Role.EDUCATOR),
        ("tom@lakeland.example", "Elm School", Role.EDUCATOR),
        ("ada@lakeland.example", "Oak School", Role.LEADER),
    }
    # Aides and students become nobody: no account, no name kept.
    assert not User.objects.filter(email__in=["al@lakeland.example", "stu@lakeland.example"])
    assert (applied.people_added, applied.people_ignored, applied.schools_added) == (3, 2, 2)
    record = RosterImport.objects.get()
    assert record.state == "applied" and record.summary["people_added"] == 3
    assert "Stu Dent" not in str(record.summary)
    assert AuditEvent.objects.filter(verb="roster.imported").count() == 1
    assert User.objects.get(email="tara@lakeland.example").has_usable_password() is False


def test_importing_the_same_file_again_changes_nothing(district):
    run(district, roster())
    before = (User.objects.count(), Membership.objects.count(), Organization.objects.count())
    again = run(district, roster())
    assert (again.people_added, again.people_changed, again.people_deactivated) == (0, 0, 0)
    assert (again.schools_added, again.schools_renamed, again.memberships_added) == (0, 0, 0)
    assert (User.objects.count(), Membership.objects.count(), Organization.objects.count()) == (
        before
    )


def test_a_changed_full_import_updates_renames_and_deactivates_who_it_left_out(
    district, designer_dan, reviewer_rita, assessor_ben, issuer_carla
):
    run(district, roster())
    tom = User.objects.get(email="tom@lakeland.example")
    credential = published_credential(designer_dan, reviewer_rita, district, title="Exit tickets")
    award = awarded(educator=tom, credential=credential, assessor=assessor_ben, issuer=issuer_carla)
    tom_memberships = Membership.objects.filter(user=tom).count()
    changed = roster(
        orgs=[ORGS[0], org("s1", "Oak Elementary"), ORGS[2]],
        users=[
            person("t1", "Tara Teacher-Lee", email="tara.lee@lakeland.example"),
            PEOPLE[2],
        ],
    )
    applied = run(district, changed)
    tara = RosterLink.objects.get(kind="user", sourced_id="t1").user
    assert (tara.full_name, tara.email) == ("Tara Teacher-Lee", "tara.lee@lakeland.example")
    assert Organization.objects.filter(name="Oak Elementary", parent=district).exists()
    tom.refresh_from_db()
    assert tom.is_active is False  # deactivated, never deleted
    assert Membership.objects.filter(user=tom).count() == tom_memberships
    assert Award.objects.filter(pk=award.pk, attempt__educator=tom).exists()  # it stays
    assert (applied.people_changed, applied.people_deactivated, applied.schools_renamed) == (
        1,
        1,
        1,
    )
    assert applied.deactivated == ["Tom Teach"]
    # Listed again: active again.
    back = run(district, roster())
    tom.refresh_from_db()
    assert tom.is_active is True and back.people_reactivated == 1


def test_a_delta_file_deactivates_only_who_it_marks(district):
    run(district, roster())
    delta = roster(
        orgs=[],
        users=[person("t2", "Tom Teach", school="s2", status="tobedeleted")],
        mode="delta",
    )
    applied = run(district, delta)
    assert applied.people_deactivated == 1
    assert User.objects.get(email="tom@lakeland.example").is_active is False
    assert User.objects.get(email="tara@lakeland.example").is_active is True


def test_an_existing_account_is_linked_by_email_not_duplicated(district, world):
    ana = member(world.north.school, Role.EDUCATOR, email="Tara@Lakeland.example")
    applied = run(district, roster())
    assert User.objects.filter(email__iexact="tara@lakeland.example").count() == 1
    assert RosterLink.objects.get(kind="user", sourced_id="t1").user == ana
    assert applied.people_added == 2


def test_someone_also_a_member_elsewhere_keeps_her_account(district, world):
    run(district, roster())
    tom = User.objects.get(email="tom@lakeland.example")
    Membership.objects.create(user=tom, organization=world.south.school, role=Role.EDUCATOR)
    applied = run(district, roster(users=[p for p in PEOPLE if p.sourced_id != "t2"]))
    tom.refresh_from_db()
    assert tom.is_active is True and applied.people_deactivated == 0


def test_an_email_another_account_holds_is_left_and_said(district, world):
    run(district, roster())
    member(world.north.school, Role.EDUCATOR, email="taken@lakeland.example")
    applied = run(
        district,
        roster(users=[person("t1", "Tara Teach", email="taken@lakeland.example"), *PEOPLE[1:]]),
    )
    assert User.objects.get(email="tara@lakeland.example")
    assert any("belongs to another account" in reason for reason in applied.skipped)


def test_a_roster_with_errors_is_refused_and_nothing_changes(district):
    bad = roster(problems=[Problem(file="users.csv", line=3, field="email", message="Bad.")])
    record = services.roster_check(actor=None, organization=district, name="r.zip", roster=bad)
    assert record.state == "refused" and record.problems[0]["line"] == 3
    with pytest.raises(Invalid):
        services.roster_apply(actor=None, record=record, roster=bad)
    assert not User.objects.filter(email__endswith="@lakeland.example").exists()


def test_a_failure_part_way_leaves_nothing(district, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 2)

    def fail(done: int, total: int) -> None:
        if done >= 4:
            raise RuntimeError("the worker was stopped")

    with pytest.raises(RuntimeError):
        run(district, roster(), progress=fail)
    assert not User.objects.filter(email__endswith="@lakeland.example").exists()
    assert not Organization.objects.filter(name="Oak School").exists()
    assert not RosterLink.objects.exists()


def test_the_queries_do_not_grow_with_the_number_of_people(district):
    def queries(n: int, tag: str) -> int:
        users = [person(f"{tag}{i}", f"P{tag}{i} Smith", school="s1") for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            run(district, roster(users=users, mode="delta"))
        return len(captured)

    queries(3, "w")  # the schools are made by the first import
    assert queries(10, "a") == queries(120, "b")


def test_the_command_checks_applies_and_refuses(district, tmp_path, capsys):
    with pytest.raises(CommandError, match="No organization"):
        call_command("import_oneroster", str(tmp_path), "--into", "nowhere")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_oneroster", str(tmp_path), "--into", district.slug)
    assert RosterImport.objects.get().state == "refused"


def test_a_delta_changes_a_name_keeps_roles_adds_and_ends_memberships(district):
    run(district, roster())
    renamed = person("t1", "Tara Teacher-Lee", email="tara@lakeland.example", roles=())
    ends = person(
        "a1",
        "Ada Admin",
        roles=(RosterRole(role="administrator", org_sourced_id="s1", status="tobedeleted"),),
    )
    delta = dataclasses.replace(
        roster(orgs=[], users=[renamed, ends], mode="delta"),
        extra_roles={"t2": (RosterRole(role="teacher", org_sourced_id="s1"),)},
    )
    applied = run(district, delta)
    tara = User.objects.get(email="tara@lakeland.example")
    assert tara.full_name == "Tara Teacher-Lee" and applied.people_changed == 1
    assert Membership.objects.filter(user=tara, role=Role.EDUCATOR).exists()  # kept
    held = set(
        Membership.objects.filter(user__email="tom@lakeland.example").values_list(
            "organization__name", "role"
        )
    )
    assert held == {("Elm School", Role.EDUCATOR), ("Oak School", Role.EDUCATOR)}
    assert not Membership.objects.filter(user__email="ada@lakeland.example").exists()


def test_the_command_imports_a_real_package_then_finds_it_unchanged(district, capsys):
    from pathlib import Path

    package = Path(__file__).parent / "packages" / "valid_12"
    call_command("import_oneroster", str(package), "--into", district.slug, "--dry-run")
    assert "Dry run: nothing was changed." in capsys.readouterr().out
    assert not User.objects.filter(email="tara.teach@lakeland.example").exists()
    call_command("import_oneroster", str(package), "--into", district.slug)
    out = capsys.readouterr().out
    assert "3 people added" in out and "0 deactivated" in out
    ada = User.objects.get(email="ada.admin@lakeland.example")
    assert set(Membership.objects.filter(user=ada).values_list("role", flat=True)) == {"leader"}
    call_command("import_oneroster", str(package), "--into", district.slug)
    assert "0 people added, 0 changed" in capsys.readouterr().out
