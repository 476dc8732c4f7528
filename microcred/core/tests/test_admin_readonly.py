"""The Django admin cannot forge history or skip the design review, even for a superuser.

Everything goes through the admin's own HTTP views as the site operator (a superuser): the
audit trail can be read but not added to, changed or deleted; a credential version's state
cannot be set by hand, so publishing happens only through an approving review.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.test import Client

from microcred.catalog.models import Credential, CredentialVersion, QualityReview
from microcred.catalog.tests.factories import in_review_credential
from microcred.core.models import AuditEvent, Invitation, Role, User
from microcred.core.services import invitation_create
from microcred.core.tests.factories import UserFactory


@pytest.fixture
def operator_olga(db: Any) -> User:
    return cast(
        User,
        UserFactory(email="operator@microcred.example", is_staff=True, is_superuser=True),
    )


@pytest.fixture
def operator_client(client: Client, operator_olga: User) -> Client:
    client.force_login(operator_olga)
    return client


def audit_rows() -> list[tuple[Any, ...]]:
    return list(AuditEvent.objects.order_by("pk").values_list("pk", "verb", "subject_id", "data"))


def test_audit_events_are_listed_and_viewable_by_the_operator(operator_client, designer_dan, north):
    in_review_credential(designer_dan, north)
    event = AuditEvent.objects.filter(verb="credential.submitted_for_review").first()
    assert event is not None

    assert operator_client.get("/admin/core/auditevent/").status_code == 200
    page = operator_client.get(f"/admin/core/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert event.verb in html
    assert 'name="verb"' not in html  # shown, not an input
    assert 'name="_save"' not in html


def test_superuser_cannot_add_an_audit_event(operator_client, designer_dan, north):
    in_review_credential(designer_dan, north)
    before = audit_rows()

    form = operator_client.get("/admin/core/auditevent/add/")
    posted = operator_client.post(
        "/admin/core/auditevent/add/",
        {
            "verb": "credential.published",
            "subject_type": "catalog.credential",
            "subject_id": "1",
            "data": "{}",
            "created_at_0": "2026-01-01",
            "created_at_1": "10:00:00",
        },
    )

    assert form.status_code == 403
    assert posted.status_code == 403
    assert audit_rows() == before


def test_superuser_cannot_change_an_audit_event(operator_client, designer_dan, north):
    in_review_credential(designer_dan, north)
    event = AuditEvent.objects.filter(verb="credential.submitted_for_review").first()
    assert event is not None
    before = audit_rows()

    response = operator_client.post(
        f"/admin/core/auditevent/{event.pk}/change/",
        {
            "verb": "credential.approved",
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "data": "{}",
            "created_at_0": "2020-01-01",
            "created_at_1": "10:00:00",
        },
    )

    assert response.status_code == 403
    assert audit_rows() == before


def test_superuser_cannot_delete_audit_events(operator_client, designer_dan, north):
    in_review_credential(designer_dan, north)
    event = AuditEvent.objects.first()
    assert event is not None
    before = audit_rows()

    single = operator_client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    bulk = operator_client.post(
        "/admin/core/auditevent/",
        {
            "action": "delete_selected",
            "_selected_action": [e.pk for e in AuditEvent.objects.all()],
            "post": "yes",
        },
    )

    assert single.status_code == 403
    # The list answers (the action is not offered), and nothing is deleted.
    assert bulk.status_code in (200, 302)
    assert audit_rows() == before


def test_superuser_cannot_publish_a_version_by_setting_its_state(
    operator_client, designer_dan, north
):
    credential = in_review_credential(designer_dan, north)
    version = credential.versions.get()
    audit_before = audit_rows()

    response = operator_client.post(
        f"/admin/catalog/credentialversion/{version.pk}/change/",
        {
            "credential": credential.pk,
            "number": version.number,
            "state": CredentialVersion.State.PUBLISHED,
            "title": version.title,
            "subject": version.subject,
            "grade_band": version.grade_band,
            "pass_rule": version.pass_rule,
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
        },
    )

    assert response.status_code == 403
    version.refresh_from_db()
    credential.refresh_from_db()
    assert version.state == CredentialVersion.State.IN_REVIEW
    assert version.published_at is None
    assert credential.current_version is None
    assert not QualityReview.objects.filter(version=version).exists()
    assert audit_rows() == audit_before


def test_version_state_is_not_an_input_on_the_admin_page(operator_client, designer_dan, north):
    version = in_review_credential(designer_dan, north).versions.get()

    page = operator_client.get(f"/admin/catalog/credentialversion/{version.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "In review" in html
    assert 'name="state"' not in html
    assert 'name="_save"' not in html


def test_superuser_cannot_add_a_published_version(operator_client, designer_dan, north):
    credential = in_review_credential(designer_dan, north)
    versions_before = list(CredentialVersion.objects.values_list("pk", "state"))
    audit_before = audit_rows()

    form = operator_client.get("/admin/catalog/credentialversion/add/")
    posted = operator_client.post(
        "/admin/catalog/credentialversion/add/",
        {
            "credential": credential.pk,
            "number": 2,
            "state": CredentialVersion.State.PUBLISHED,
            "title": "Published by hand",
            "subject": "all",
            "grade_band": "pk-12",
            "pass_rule": "all",
        },
    )

    assert form.status_code == 403 and posted.status_code == 403
    assert list(CredentialVersion.objects.values_list("pk", "state")) == versions_before
    assert audit_rows() == audit_before


def test_superuser_cannot_point_a_credential_at_an_unreviewed_version(
    operator_client, designer_dan, north
):
    credential = in_review_credential(designer_dan, north)
    version = credential.versions.get()
    audit_before = audit_rows()

    response = operator_client.post(
        f"/admin/catalog/credential/{credential.pk}/change/",
        {
            "organization": north.pk,
            "slug": credential.slug,
            "status": Credential.Status.ACTIVE,
            "visibility": credential.visibility,
            "current_version": version.pk,
        },
    )

    assert response.status_code == 403
    credential.refresh_from_db()
    assert credential.current_version is None
    assert not Credential.objects.listed().filter(pk=credential.pk).exists()
    assert audit_rows() == audit_before


def test_superuser_cannot_record_a_design_review_by_hand(operator_client, designer_dan, north):
    version = in_review_credential(designer_dan, north).versions.get()
    audit_before = audit_rows()

    response = operator_client.post(
        "/admin/catalog/qualityreview/add/",
        {"version": version.pk, "round": 1, "reviewer": designer_dan.pk, "outcome": "approved"},
    )

    assert response.status_code == 403
    assert not QualityReview.objects.exists()
    assert audit_rows() == audit_before


def test_superuser_cannot_mark_an_invitation_accepted(operator_client, admin_adam, north):
    invitation = invitation_create(
        actor=admin_adam, organization=north, email="new@example.org", role=Role.EDUCATOR
    )
    audit_before = audit_rows()

    response = operator_client.post(
        f"/admin/core/invitation/{invitation.pk}/change/",
        {
            "email": "new@example.org",
            "organization": north.pk,
            "role": Role.ADMIN,
            "accepted_at_0": "2026-01-01",
            "accepted_at_1": "10:00:00",
        },
    )

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.role == Role.EDUCATOR
    assert audit_rows() == audit_before
    assert Invitation.objects.count() == 1
