"""Accounts: sign-up by invitation only, email login, password reset by email,
email change that keeps the person, and login throttling."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.core import mail

from microcred.core import services
from microcred.core.models import AuditEvent, Invitation, Membership, Role, User
from microcred.core.tests.factories import PASSWORD


def signs_in(client, email: str, password: str) -> bool:
    client.logout()
    return (
        client.post("/accounts/login/", {"login": email, "password": password}).status_code == 302
    )


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_sign_up_without_an_invitation_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert "Sign-up is by invitation" in response.content.decode()
    client.post(
        "/accounts/signup/",
        {
            "email": "walkin@example.org",
            "password1": "a long passphrase 123",
            "password2": "a long passphrase 123",
            "full_name": "Walk In",
        },
    )
    assert not User.objects.filter(email="walkin@example.org").exists()


def test_invited_teacher_signs_up_and_gets_the_role(
    client, admin_adam, world, django_capture_on_commit_callbacks
):
    school = world.north.school
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=admin_adam,
            organization=school,
            email="New.Teacher@Example.org",
            role=Role.EDUCATOR,
        )
    invite_mail = mail.outbox[-1]
    assert invite_mail.to == ["new.teacher@example.org"]
    assert "Maple Elementary" in invite_mail.subject
    page = client.get(link_in(invite_mail))
    assert "Create my account" in page.content.decode()
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Nia Teacher",
            "email": "new.teacher@example.org",
            "password1": "a long passphrase 123",
            "password2": "a long passphrase 123",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@example.org")
    assert user.full_name == "Nia Teacher"
    assert Membership.objects.filter(user=user, organization=school, role=Role.EDUCATOR).exists()
    assert EmailAddress.objects.get(
        user=user
    ).verified  # opening the emailed link proved the address
    assert Invitation.objects.get().accepted_by == user
    assert AuditEvent.objects.filter(verb="invitation.accepted", actor=user).exists()


def test_existing_user_accepts_an_invitation_after_signing_in(
    client, admin_adam, educator_ana, world
):
    invitation = services.invitation_create(
        actor=admin_adam,
        organization=world.north.organization,
        email=educator_ana.email,
        role=Role.ASSESSOR,
    )
    response = client.get(f"/invitations/{invitation.token}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(educator_ana)
    assert "Accept invitation" in client.get(f"/invitations/{invitation.token}/").content.decode()
    client.post(f"/invitations/{invitation.token}/")
    assert Membership.objects.filter(user=educator_ana, role=Role.ASSESSOR).exists()
    # The link is single-use.
    again = client.get(f"/invitations/{invitation.token}/")
    assert again.status_code == 410 and "accepted" in again.content.decode()


def test_revoked_and_unknown_invitations(client, admin_adam, world):
    invitation = services.invitation_create(
        actor=admin_adam,
        organization=world.north.organization,
        email="x@example.org",
        role=Role.EDUCATOR,
    )
    services.invitation_revoke(actor=admin_adam, invitation=invitation)
    assert client.get(f"/invitations/{invitation.token}/").status_code == 410
    assert client.get("/invitations/not-a-real-token/").status_code == 404
    client.post(
        "/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": "a long passphrase 123",
            "password2": "a long passphrase 123",
            "full_name": "X",
        },
    )
    assert not User.objects.filter(email="x@example.org").exists()


def test_login_with_email_is_case_insensitive(client, educator_ana):
    response = client.post(
        "/accounts/login/", {"login": educator_ana.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 200


def test_wrong_password_says_so_and_keeps_the_email(client, educator_ana):
    response = client.post("/accounts/login/", {"login": educator_ana.email, "password": "wrong"})
    html = response.content.decode()
    assert "The email address and/or password you specified are not correct." in html
    assert f'value="{educator_ana.email}"' in html


def test_password_reset_by_email(client, educator_ana):
    client.post("/accounts/password/reset/", {"email": educator_ana.email})
    reset_mail = mail.outbox[-1]
    assert reset_mail.to == [educator_ana.email]
    form_url = client.get(link_in(reset_mail)).url  # allauth moves the key into the session
    response = client.post(
        form_url, {"password1": "a brand new passphrase 9", "password2": "a brand new passphrase 9"}
    )
    assert response.status_code == 302
    assert signs_in(client, educator_ana.email, "a brand new passphrase 9")
    assert not signs_in(client, educator_ana.email, PASSWORD)


def test_changing_email_keeps_the_person_and_their_roles(client, educator_ana, world):
    membership_ids = set(educator_ana.memberships.values_list("pk", flat=True))
    client.force_login(educator_ana)
    client.post("/accounts/email/", {"action_add": "", "email": "ana.new@example.org"})
    confirm = mail.outbox[-1]
    assert confirm.to == ["ana.new@example.org"]
    client.post(link_in(confirm))
    educator_ana.refresh_from_db()
    assert educator_ana.email == "ana.new@example.org"
    assert set(educator_ana.memberships.values_list("pk", flat=True)) == membership_ids
    assert signs_in(client, "ana.new@example.org", PASSWORD)


def test_ten_failed_logins_lock_the_account_for_that_address(client, educator_ana, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # isolate django-axes from allauth's own rate limit
    for _ in range(10):
        client.post(
            "/accounts/login/",
            {"login": educator_ana.email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
        )
    locked = client.post(
        "/accounts/login/",
        {"login": educator_ana.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert client.get("/profile/").status_code == 302  # not signed in
    # A colleague on another address is not locked out by this.
    other = client.post(
        "/accounts/login/",
        {"login": educator_ana.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert other.status_code == 302


def test_nine_failures_do_not_lock(client, educator_ana, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    for _ in range(9):
        client.post("/accounts/login/", {"login": educator_ana.email, "password": "wrong"})
    assert (
        client.post(
            "/accounts/login/", {"login": educator_ana.email, "password": PASSWORD}
        ).status_code
        == 302
    )


def test_profile_name_change_is_validated(client, educator_ana):
    client.force_login(educator_ana)
    response = client.post("/profile/", {"full_name": "   "})
    assert response.status_code == 200
    assert "Enter your name as colleagues know it." in response.content.decode()
    client.post("/profile/", {"full_name": "Ana María Alvarez"})
    educator_ana.refresh_from_db()
    assert educator_ana.full_name == "Ana María Alvarez"
