"""Random roster packages through the whole import (hypothesis): the upload never answers
with a server error, and an import is never partial: a checked package either applies whole
(every person it gives a membership is linked and a member) or, when applying fails at any
point, leaves the database exactly as it was."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.models import Membership, Organization, User
from microcred.rosters import services
from microcred.rosters.models import RosterImport, RosterLink
from microcred.rosters.tests.test_oneroster_read import mutated_packages, random_packages, zip_of

pytestmark = pytest.mark.django_db

# 2,000 random packages on SQLite; 300 on PostgreSQL, where the same code runs again (the
# suite's time is kept for the browser tests there).
EXAMPLES = 2000 if connection.vendor == "sqlite" else 300


@pytest.fixture
def one_person_batches(settings):
    """A batch a person, so that a fault can fall between any two (set once per test, not
    per example: each setting made is undone at the end)."""
    settings.ROSTER_BATCH = 1


class Fault(Exception):
    pass


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        User.objects.filter(is_active=True).count(),
        Membership.objects.count(),
        Organization.objects.count(),
        RosterLink.objects.count(),
        RosterLink.objects.filter(deactivated_at__isnull=False).count(),
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    files=st.one_of(mutated_packages(), mutated_packages(), random_packages()),
    fail_at=st.one_of(st.none(), st.integers(1, 6)),
)
def test_a_random_package_is_refused_or_applied_whole_and_never_half(
    admin_adam, north, one_person_batches, files, fail_at
):
    client = Client(raise_request_exception=False)
    client.force_login(admin_adam)
    with transaction.atomic():
        package = zip_of(files)
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("roster.zip", package, "application/zip")
        response = client.post(reverse("rosters:imports", args=[north.slug]), {"package": upload})
        assert response.status_code in (302, 400), response.status_code
        record = RosterImport.objects.order_by("-pk").first()
        if record is None or record.state != RosterImport.State.VALIDATED:
            transaction.set_rollback(True)
            return
        before = counts()
        confirmed = client.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
        assert confirmed.status_code == 302
        calls = {"n": 0}
        real = services._apply_batch

        def failing(*args, **kwargs):
            calls["n"] += 1
            if fail_at is not None and calls["n"] >= fail_at:
                raise Fault("the database went away")
            return real(*args, **kwargs)

        with mock.patch.object(services, "_apply_batch", failing):
            record = services.apply_queued(record_id=record.pk)
        if record.state == RosterImport.State.FAILED:
            assert fail_at is not None and calls["n"] >= fail_at
            assert counts() == before  # nothing of it stayed
        else:
            assert record.state == RosterImport.State.APPLIED, record.failure
            linked = set(
                RosterLink.objects.filter(root=north, kind="user").values_list(
                    "sourced_id", flat=True
                )
            )
            added = record.summary["people_added"]
            assert len(linked) >= added
            assert counts()[0] == before[0] + added
            for sourced_id in linked:  # every linked person of the roster is a member here
                link = RosterLink.objects.get(root=north, kind="user", sourced_id=sourced_id)
                assert (
                    Membership.objects.filter(
                        user_id=link.user_id, organization__path__startswith=north.path
                    ).exists()
                    or link.deactivated_at is not None
                )
        transaction.set_rollback(True)
