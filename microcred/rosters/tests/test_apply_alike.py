"""Applying a roster does the same on SQLite (the ORM, a batch at a time) and on PostgreSQL
(staged with COPY, worked in SQL): the summary's counts, names and reasons in the roster's
order, an account found by email taking the roster's name, progress told after each batch,
and those a file disables or leaves out named in its order."""

from __future__ import annotations

import dataclasses

import pytest

from microcred.core.models import Membership, Role, User
from microcred.core.tests.factories import member
from microcred.rosters.models import RosterLink
from microcred.rosters.tests.test_apply import person, roster, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(world):
    return world.north.organization


def test_an_account_found_by_email_takes_the_roster_name_and_is_counted_changed(district, world):
    ana = member(world.north.school, Role.EDUCATOR, email="Tara@Lakeland.example", full_name="T.")
    applied = run(district, roster(users=[person("t1", "Tara Teach")]))
    ana.refresh_from_db()
    assert (ana.full_name, ana.email) == ("Tara Teach", "Tara@Lakeland.example")
    assert (applied.people_added, applied.people_changed, applied.changed) == (0, 1, ["Tara Teach"])
    assert RosterLink.objects.get(kind="user", sourced_id="t1").user == ana
    assert Membership.objects.filter(user=ana, organization__name="Oak School").exists()


def test_two_people_with_one_email_share_one_new_account(district):
    applied = run(
        district,
        roster(users=[person("t1", "Tara Teach"), person("t2", "Tara Teach", school="s2")]),
    )
    tara = User.objects.get(email="tara@lakeland.example")
    assert applied.people_added == 1 and applied.added == ["Tara Teach"]
    assert set(RosterLink.objects.filter(kind="user").values_list("user", flat=True)) == {tara.pk}
    assert Membership.objects.filter(user=tara).count() == 2 and applied.memberships_added == 2


def test_the_reasons_people_were_skipped_follow_the_roster(district, world, settings):
    settings.ROSTER_BATCH = 10
    run(district, roster(users=[person("t1", "Tara Teach"), person("t2", "Tom Teach")]))
    member(world.north.school, Role.EDUCATOR, email="taken@lakeland.example")
    users = [
        dataclasses.replace(person("n1", "Nora Nomail", school="s2"), email=""),
        person("t1", "Tara Teach", email="taken@lakeland.example"),
        dataclasses.replace(person("n2", "Ned Nomail"), email=""),
        person("t2", "Tom Teach"),
    ]
    applied = run(district, roster(users=users))
    assert applied.skipped == [
        "Nora Nomail: no email.",
        "Tara Teach: taken@lakeland.example belongs to another account; the email was left "
        "as it was.",
        "Ned Nomail: no email.",
    ]
    assert User.objects.filter(email="tara@lakeland.example").exists()


def test_progress_is_told_after_each_batch(district, settings):
    settings.ROSTER_BATCH = 2
    told: list[tuple[int, int]] = []
    users = [person(f"t{n}", f"P{n} Teach") for n in range(5)]
    run(district, roster(users=users), progress=lambda done, total: told.append((done, total)))
    assert told == [(2, 5), (4, 5), (5, 5)]


def test_who_a_file_disables_then_leaves_out_is_named_in_that_order(district, settings):
    settings.ROSTER_BATCH = 2
    people = [person(f"t{n}", f"P{n} Teach") for n in range(5)]
    run(district, roster(users=people))
    disabled = dataclasses.replace(people[3], enabled=False)
    applied = run(district, roster(users=[people[0], disabled, people[4]]))
    assert applied.deactivated == ["P3 Teach", "P1 Teach", "P2 Teach"]
    assert applied.people_deactivated == 3
    assert not User.objects.get(email="p3@lakeland.example").is_active
    back = run(district, roster(users=people))
    assert back.people_reactivated == 3 and back.people_changed == 3
    assert User.objects.filter(email__endswith="@lakeland.example", is_active=True).count() == 5
