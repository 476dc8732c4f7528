"""The signed-in person is read once per request with their memberships and unread
notices (core.auth), and what changes between requests shows on the next one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microcred.core import permissions
from microcred.core.auth import load_user
from microcred.core.models import Membership, Role
from microcred.core.notify import Verb, notify

pytestmark = pytest.mark.django_db


def test_load_user_reads_memberships_and_unread_notices_in_one_query(world, principal_dee):
    notify([principal_dee], actor=None, verb=Verb.SUBMISSION_DECIDED, text="One")
    notify([principal_dee], actor=None, verb=Verb.SUBMISSION_DECIDED, text="Two")
    with CaptureQueriesContext(connection) as queries:
        user = load_user(principal_dee.pk)
        assert user is not None
        grants = permissions.grants(user)
        assert user._unread == 2
    assert len(queries) == 1
    expected = set(
        Membership.objects.filter(user=principal_dee).values_list(
            "organization_id", "organization__path", "role"
        )
    )
    assert {(g.organization_id, g.organization_path, g.role.value) for g in grants} == expected
    assert all(isinstance(g.role, Role) for g in grants)


def test_a_user_without_memberships_or_notices_loads_with_none(django_user_model):
    person = django_user_model.objects.create_user(email="nobody@example.org", password="x" * 12)
    user = load_user(person.pk)
    assert user is not None and permissions.grants(user) == [] and user._unread == 0


def test_unknown_or_malformed_ids_load_nobody(educator_ana):
    assert load_user(educator_ana.pk + 10_000) is None
    assert load_user("not-a-number") is None


def test_a_new_membership_and_a_new_notice_show_on_the_next_request(client, educator_ana, world):
    client.force_login(educator_ana)
    page = client.get("/").content.decode()
    assert "Design studio" not in page
    assert '<span class="visually-hidden"> unread</span>' not in page
    Membership.objects.create(
        user=educator_ana, organization=world.north.organization, role=Role.DESIGNER
    )
    notify([educator_ana], actor=None, verb=Verb.SUBMISSION_DECIDED, text="Your work was assessed.")
    page = client.get("/").content.decode()
    assert "Design studio" in page
    assert '1<span class="visually-hidden"> unread</span>' in page


def test_an_inactive_user_is_signed_out(client, educator_ana):
    client.force_login(educator_ana)
    educator_ana.is_active = False
    educator_ana.save(update_fields=["is_active"])
    response = client.get("/my/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
