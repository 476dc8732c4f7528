"""An invitation is accepted only by an account that has confirmed the invited address.

The link goes to one address; whoever else opens it (a forwarded email, a colleague's
screen) is told which address it is for and how to switch accounts, and nothing changes.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from microcred.core import services
from microcred.core.errors import InvitationForAnotherAddress
from microcred.core.models import AuditEvent, Invitation, Membership, Role, User
from microcred.core.tests.factories import member


@pytest.fixture
def lakeshore_educator_lee(world) -> User:
    return world.south.people[Role.EDUCATOR]


@pytest.fixture
def riverbend_invitation(admin_adam, world) -> Invitation:
    return services.invitation_create(
        actor=admin_adam,
        organization=world.north.school,
        email="new.teacher@riverbend.example",
        role=Role.EDUCATOR,
    )


def _nothing_changed(user: User, invitation: Invitation, memberships_before: set[int]) -> None:
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.accepted_by is None
    assert set(Membership.objects.filter(user=user).values_list("pk", flat=True)) == (
        memberships_before
    )
    assert not AuditEvent.objects.filter(verb="invitation.accepted").exists()


def _memberships(user: User) -> set[int]:
    return set(Membership.objects.filter(user=user).values_list("pk", flat=True))


def test_signed_in_account_of_another_address_cannot_accept(
    client, lakeshore_educator_lee, riverbend_invitation, world
):
    before = _memberships(lakeshore_educator_lee)
    client.force_login(lakeshore_educator_lee)
    url = f"/invitations/{riverbend_invitation.token}/"

    page = client.get(url)
    assert page.status_code == 403
    text = page.content.decode()
    assert "new.teacher@riverbend.example" in text
    assert lakeshore_educator_lee.email in text
    assert "Sign out and use new.teacher@riverbend.example" in text
    assert "Accept invitation" not in text

    posted = client.post(url)
    assert posted.status_code == 403
    assert "This invitation is for another address" in posted.content.decode()
    _nothing_changed(lakeshore_educator_lee, riverbend_invitation, before)
    assert not Membership.objects.filter(
        user=lakeshore_educator_lee, organization=world.north.school
    ).exists()


def test_service_refuses_an_account_without_the_invited_address(
    lakeshore_educator_lee, riverbend_invitation
):
    before = _memberships(lakeshore_educator_lee)
    with pytest.raises(InvitationForAnotherAddress, match=r"new\.teacher@riverbend\.example"):
        services.invitation_accept(user=lakeshore_educator_lee, invitation=riverbend_invitation)
    _nothing_changed(lakeshore_educator_lee, riverbend_invitation, before)


def test_unconfirmed_copy_of_the_invited_address_is_not_enough(
    client, lakeshore_educator_lee, riverbend_invitation
):
    # Anyone can add any address to their account; only confirming it proves it.
    EmailAddress.objects.create(
        user=lakeshore_educator_lee, email="new.teacher@riverbend.example", verified=False
    )
    before = _memberships(lakeshore_educator_lee)
    client.force_login(lakeshore_educator_lee)
    response = client.post(f"/invitations/{riverbend_invitation.token}/")
    assert response.status_code == 403
    assert "is not confirmed yet" in response.content.decode()
    _nothing_changed(lakeshore_educator_lee, riverbend_invitation, before)


def test_confirmed_invited_address_accepts_whatever_its_case(client, riverbend_invitation, world):
    invitee = member(world.south.school, Role.EDUCATOR, email="New.Teacher@Riverbend.example")
    client.force_login(invitee)
    assert (
        "Accept invitation"
        in client.get(f"/invitations/{riverbend_invitation.token}/").content.decode()
    )
    response = client.post(f"/invitations/{riverbend_invitation.token}/")
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=invitee, organization=world.north.school, role=Role.EDUCATOR
    ).exists()
    assert AuditEvent.objects.filter(verb="invitation.accepted", actor=invitee).count() == 1


def test_sign_up_through_an_invitation_must_use_the_invited_address(
    client, riverbend_invitation, world
):
    client.get(f"/invitations/{riverbend_invitation.token}/")
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Someone Else",
            "email": "someone.else@example.org",
            "password1": "a long passphrase 123",
            "password2": "a long passphrase 123",
        },
    )
    assert response.status_code == 200
    assert "This invitation is for new.teacher@riverbend.example" in response.content.decode()
    assert not User.objects.filter(email__in=["someone.else@example.org"]).exists()
    assert not EmailAddress.objects.filter(email="new.teacher@riverbend.example").exists()
    riverbend_invitation.refresh_from_db()
    assert riverbend_invitation.accepted_at is None
    assert (
        not Membership.objects.filter(organization=world.north.school)
        .exclude(user__in=world.north.people.values())
        .exists()
    )
    assert not AuditEvent.objects.filter(verb="invitation.accepted").exists()


def test_sign_up_with_the_invited_address_confirms_it_and_joins(
    client, riverbend_invitation, world
):
    # The link was emailed to the invited address, so opening it proves the address.
    client.get(f"/invitations/{riverbend_invitation.token}/")
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Nia Teacher",
            "email": "New.Teacher@riverbend.example",
            "password1": "a long passphrase 123",
            "password2": "a long passphrase 123",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@riverbend.example")
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.filter(
        user=user, organization=world.north.school, role=Role.EDUCATOR
    ).exists()
    riverbend_invitation.refresh_from_db()
    assert riverbend_invitation.accepted_by == user
