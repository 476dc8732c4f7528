"""Organizations and members: who sees what, invitations, and the last admin."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from microcred.core import services
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import AuditEvent, Invitation, Membership, Organization, Role


def test_tree_paths_and_allowed_kinds(world):
    north = world.north.organization
    assert world.north.school.path == f"{north.path}{world.north.school.pk}/"
    assert world.north.school.ancestor_ids == [world.state.pk, north.pk, world.north.school.pk]
    with pytest.raises(Invalid, match="A district cannot sit under a school"):
        services.organization_create(
            actor=None, name="Nope", kind="district", parent=world.north.school
        )


def test_program_admin_creates_a_school_but_a_teacher_cannot(admin_adam, educator_ana, north):
    school = services.organization_create(
        actor=admin_adam, name="Oak High School", kind="school", parent=north
    )
    assert school.slug == "oak-high-school" and school.parent == north
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=educator_ana, name="Pirate School", kind="school", parent=north
        )
    assert not Organization.objects.filter(name="Pirate School").exists()


def test_members_see_their_family_of_organizations_and_nothing_of_the_other_district(
    client, educator_ana, world
):
    client.force_login(educator_ana)
    assert client.get(f"/orgs/{world.north.school.slug}/").status_code == 200
    assert client.get(f"/orgs/{world.north.organization.slug}/").status_code == 200  # above
    assert client.get(f"/orgs/{world.state.slug}/").status_code == 200
    assert client.get(f"/orgs/{world.south.organization.slug}/").status_code == 404
    assert client.get(f"/orgs/{world.south.school.slug}/").status_code == 404


def test_members_page_is_for_program_admins_of_that_organization(
    client, admin_adam, educator_ana, world
):
    client.force_login(educator_ana)
    assert client.get(f"/orgs/{world.north.organization.slug}/members/").status_code == 403
    client.force_login(admin_adam)
    html = client.get(
        f"/orgs/{world.north.school.slug}/members/"
    ).content.decode()  # admin of the district
    assert world.north.people[Role.EDUCATOR].email in html
    assert client.get(f"/orgs/{world.south.organization.slug}/members/").status_code == 404


def test_inviting_through_the_page(client, admin_adam, north, django_capture_on_commit_callbacks):
    client.force_login(admin_adam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/orgs/{north.slug}/members/", {"email": "Coach@Example.org", "role": "coach"}
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "coach@example.org"
    assert mail.outbox[-1].to == ["coach@example.org"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email", "role": "coach"}, "Enter a valid email address."),
        (
            {"email": "x@example.org", "role": "wizard"},
            "Select a valid choice. wizard is not one of the available choices.",
        ),
        ({"email": "", "role": "coach"}, "This field is required."),
    ],
)
def test_bad_invitations_are_refused_with_a_message_and_keep_input(
    client, admin_adam, north, data, message
):
    client.force_login(admin_adam)
    response = client.post(f"/orgs/{north.slug}/members/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_duplicate_invitation_and_existing_member_are_refused(admin_adam, educator_ana, world):
    school = world.north.school
    with pytest.raises(Invalid, match="already an educator"):
        services.invitation_create(
            actor=admin_adam, organization=school, email=educator_ana.email, role=Role.EDUCATOR
        )
    services.invitation_create(
        actor=admin_adam, organization=school, email="new@example.org", role=Role.EDUCATOR
    )
    with pytest.raises(Invalid, match="already has an open invitation"):
        services.invitation_create(
            actor=admin_adam, organization=school, email="NEW@example.org", role=Role.EDUCATOR
        )
    assert Invitation.objects.count() == 1


def test_last_program_admin_cannot_be_removed(admin_adam, north):
    membership = Membership.objects.get(user=admin_adam, organization=north, role=Role.ADMIN)
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition, match="only program admin"):
        services.membership_revoke(actor=admin_adam, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.count() == before


def test_removing_a_member_through_the_page(client, admin_adam, world):
    teacher = Membership.objects.get(user=world.north.people[Role.EDUCATOR])
    client.force_login(admin_adam)
    response = client.post(
        f"/orgs/{world.north.school.slug}/members/{teacher.pk}/remove/", follow=True
    )
    assert "is no longer an educator here" in response.content.decode()
    assert not Membership.objects.filter(pk=teacher.pk).exists()
    assert AuditEvent.objects.filter(verb="membership.revoked").count() == 1


def test_another_districts_membership_id_is_404(client, admin_adam, world):
    theirs = Membership.objects.get(user=world.south.people[Role.EDUCATOR])
    client.force_login(admin_adam)
    assert (
        client.post(f"/orgs/{world.south.school.slug}/members/{theirs.pk}/remove/").status_code
        == 404
    )
    # Even under our own organization's slug.
    assert (
        client.post(f"/orgs/{world.north.school.slug}/members/{theirs.pk}/remove/").status_code
        == 404
    )
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_program_admin_adds_a_school_through_the_page(client, admin_adam, educator_ana, north):
    client.force_login(admin_adam)
    page = client.get(f"/orgs/{north.slug}/").content.decode()
    assert "Add a school or department" in page
    response = client.post(
        f"/orgs/{north.slug}/units/new/", {"name": "Oak High School", "kind": "school"}
    )
    assert response.status_code == 302
    oak = Organization.objects.get(name="Oak High School")
    assert (oak.parent, oak.kind) == (north, "school")
    bad = client.post(f"/orgs/{north.slug}/units/new/", {"name": "", "kind": "state"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Give the school or department a name." in html
    assert "Select a valid choice. state is not one of the available choices." in html
    client.force_login(educator_ana)
    assert (
        client.post(
            f"/orgs/{north.slug}/units/new/", {"name": "Pirates", "kind": "school"}
        ).status_code
        == 403
    )
    assert not Organization.objects.filter(name="Pirates").exists()


def test_the_organization_page_lists_units_with_their_people_and_bounds_the_list(
    client, admin_adam, north, monkeypatch
):
    from django.urls import reverse

    from microcred.core import selectors
    from microcred.core.tests.factories import make_org, member

    schools = [make_org(f"School {n}", "school", north) for n in range(3)]
    for n in range(2):
        member(schools[0], Role.EDUCATOR, email=f"teacher{n}@example.org")
    client.force_login(admin_adam)
    page = client.get(reverse("core:organization", args=[north.slug])).content.decode()
    assert 'School 0</a> <span class="muted small">· School · 2 members' in page
    assert 'School 1</a> <span class="muted small">· School · 0 members' in page
    assert "The first" not in page
    monkeypatch.setattr(selectors, "ORGANIZATION_UNITS", 2)
    page = client.get(reverse("core:organization", args=[north.slug])).content.decode()
    assert "School 2</a>" not in page
    units = north.children.count()
    assert f"The first 2 of {units}, by name." in page
    assert f"<dt>Units</dt><dd>{units}</dd>" in page
