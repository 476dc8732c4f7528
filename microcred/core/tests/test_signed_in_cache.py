"""With a shared cache, a signed-in page reads its session and its person from the cache in
one round trip (core.sessions, core.usercache) and no table, and every change to what is
cached shows on the very next request: roles granted, changed or revoked, notices written
or read, an account deactivated, a password changed.

The tests run with each process's memory cache standing in for the shared one (one process
here), reset between tests by conftest."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from microcred.core import auth, usercache
from microcred.core.models import Membership, Notification, Role, User
from microcred.core.notify import Verb, notifications_resolve, notify
from microcred.core.services import (
    membership_grant,
    membership_revoke,
    notification_open,
    notifications_mark_read,
)
from microcred.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

UNREAD = '<span class="visually-hidden"> unread</span>'
HOLD = 0.2


class CountingCache(LocMemCache):
    """Each call that reads is one round trip to a shared cache (get_many is one MGET)."""

    reads: list[Any] = []

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        self.reads.append(key)
        return super().get(key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        self.reads.append(tuple(keys))
        found = {key: LocMemCache.get(self, key, version=version) for key in keys}
        return {key: value for key, value in found.items() if value is not None}


@pytest.fixture(autouse=True)
def _signed_in_cache(settings, monkeypatch):
    """The settings a shared cache turns on; and a write (signing in saves `last_login`)
    keeps the person out of the cache for HOLD_SECONDS: the tests wait out a shorter hold
    before they warm the cache."""
    settings.SIGNED_IN_CACHE = True
    settings.SESSION_ENGINE = "microcred.core.sessions"
    monkeypatch.setattr(usercache, "HOLD_SECONDS", HOLD)


def _warm(client: Client) -> str:
    """Once the last write's hold has passed, the person is cached by one request and the
    next one reads no table: the state every check below starts from."""
    time.sleep(HOLD + 0.05)
    client.get("/about/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/about/").content.decode()
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    return page


def _signed_in(client: Client, user: User) -> Client:
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code
    assert client.get("/about/").context["user"] == user
    return client


def test_a_signed_in_page_reads_no_table_once_the_person_is_cached(client, principal_dee):
    client.force_login(principal_dee)
    time.sleep(HOLD + 0.05)
    client.get("/about/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/about/")
    assert response.status_code == 200 and response.context["user"] == principal_dee
    assert len(queries) == 0


def test_a_signed_in_page_makes_one_round_trip_to_the_cache(client, principal_dee, settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.CountingCache", "LOCATION": "counting"}}
    client.force_login(principal_dee)
    time.sleep(HOLD + 0.05)
    client.get("/about/")  # this process learns whose session it is, and caches the person
    CountingCache.reads.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/about/")
    assert response.status_code == 200 and response.context["user"] == principal_dee
    assert len(queries) == 0
    assert len(CountingCache.reads) == 1, CountingCache.reads


def test_without_a_shared_cache_every_request_reads_the_person(client, principal_dee, settings):
    """Each process's own memory would keep a revoked role alive in the other processes."""
    settings.SIGNED_IN_CACHE = False
    client.force_login(principal_dee)
    time.sleep(HOLD + 0.05)
    client.get("/about/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/about/")
    assert len(queries) == 1


def test_signing_in_keeps_the_person_out_of_the_cache_while_the_hold_lasts(
    client, principal_dee, monkeypatch
):
    monkeypatch.setattr(usercache, "HOLD_SECONDS", 60)
    client.force_login(principal_dee)  # saves last_login
    client.get("/about/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/about/")
    assert len(queries) == 1


def test_a_granted_role_shows_on_the_next_request(client, educator_ana, admin_adam, world):
    client.force_login(educator_ana)
    assert "Design studio" not in _warm(client)
    membership_grant(
        actor=admin_adam, organization=world.north.organization, user=educator_ana, role="designer"
    )
    assert "Design studio" in client.get("/about/").content.decode()
    assert client.get("/studio/").status_code == 200


def test_a_revoked_membership_is_gone_on_the_next_request(client, designer_dan, admin_adam):
    client.force_login(designer_dan)
    assert "Design studio" in _warm(client)
    assert client.get("/studio/").status_code == 200
    membership = Membership.objects.get(user=designer_dan, role=Role.DESIGNER)
    membership_revoke(actor=admin_adam, membership=membership)
    assert "Design studio" not in client.get("/about/").content.decode()
    assert client.get("/studio/").status_code == 403


def test_a_role_changed_around_the_services_shows_on_the_next_request(client, designer_dan):
    """The admin site saves the row itself: the model's signal forgets the person."""
    client.force_login(designer_dan)
    assert "Design studio" in _warm(client)
    membership = Membership.objects.get(user=designer_dan, role=Role.DESIGNER)
    membership.role = Role.EDUCATOR
    membership.save()
    page = client.get("/about/").content.decode()
    assert "Design studio" not in page and "My micro-credentials" in page
    Membership.objects.filter(pk=membership.pk).get().delete()
    assert "My micro-credentials" not in client.get("/about/").content.decode()


def test_a_new_notice_and_reading_it_show_on_the_next_request(client, educator_ana):
    client.force_login(educator_ana)
    assert UNREAD not in _warm(client)
    notify([educator_ana], actor=None, verb=Verb.SUBMISSION_DECIDED, text="One")
    notify([educator_ana], actor=None, verb=Verb.SUBMISSION_DECIDED, text="Two")
    assert f"2{UNREAD}" in _warm(client)
    notification_open(actor=educator_ana, notification=Notification.objects.filter(text="One")[0])
    assert f"1{UNREAD}" in _warm(client)
    notifications_mark_read(actor=educator_ana)
    assert UNREAD not in client.get("/about/").content.decode()


def test_a_notice_resolved_by_someone_else_stops_counting_on_the_next_request(client, educator_ana):
    client.force_login(educator_ana)
    notify([educator_ana], actor=None, verb=Verb.REVIEW_ASSIGNED, text="Review this", subject="x:1")
    assert f"1{UNREAD}" in _warm(client)
    assert notifications_resolve(subject="x:1") == 1
    assert UNREAD not in client.get("/about/").content.decode()


def test_a_deactivated_person_is_signed_out_on_the_next_request(client, educator_ana):
    client.force_login(educator_ana)
    _warm(client)
    assert client.get("/my/").status_code == 200
    educator_ana.is_active = False
    educator_ana.save(update_fields=["is_active"])
    response = client.get("/my/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_password_change_signs_out_the_other_sessions(educator_ana):
    here, elsewhere = _signed_in(Client(), educator_ana), _signed_in(Client(), educator_ana)
    _warm(here)
    _warm(elsewhere)
    response = here.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    assert here.get("/my/").status_code == 200
    response = elsewhere.get("/my/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_request_that_read_before_a_write_cannot_cache_what_it_read(
    monkeypatch, designer_dan, admin_adam
):
    """The read and the write interleave: the request reads the rows, the revocation commits
    and invalidates, then the request stores what it read. The next request must not get it."""
    monkeypatch.setattr(usercache, "HOLD_SECONDS", 10)  # whole seconds, as Redis keeps them
    load = auth.load_user

    def load_then_revoke(user_id: object) -> User | None:
        user = load(user_id)
        membership = Membership.objects.get(user=designer_dan, role=Role.DESIGNER)
        membership_revoke(actor=admin_adam, membership=membership)
        return user

    monkeypatch.setattr(auth, "load_user", load_then_revoke)
    before = usercache.get(designer_dan.pk)
    assert before is not None and any(g.role == Role.DESIGNER for g in before._grants or [])
    monkeypatch.setattr(auth, "load_user", load)
    after = usercache.get(designer_dan.pk)
    assert after is not None and after._grants == []
