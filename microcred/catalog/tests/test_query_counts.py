"""Signed-in pages keep the same number of queries with 5 rows and with 50."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from microcred.catalog.tests.factories import draft_credential, in_review_credential
from microcred.core.models import Role
from microcred.core.tests.factories import member


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_design_studio_and_review_queue(client, designer_dan, reviewer_rita, north):
    def add(n: int) -> None:
        for i in range(n):
            draft_credential(designer_dan, north, title=f"Draft {i} {n}", complete=False)
            in_review_credential(designer_dan, north, title=f"Review {i} {n}")

    add(3)
    client.force_login(reviewer_rita)
    few = (queries(client, "/studio/"), queries(client, "/"))
    add(22)
    many = (queries(client, "/studio/"), queries(client, "/"))
    assert few == many


def test_members_page(client, admin_adam, north):
    for i in range(5):
        member(north, Role.EDUCATOR, email=f"a{i}@example.org")
    client.force_login(admin_adam)
    few = queries(client, f"/orgs/{north.slug}/members/")
    for i in range(45):
        member(north, Role.ASSESSOR, email=f"b{i}@example.org")
    assert queries(client, f"/orgs/{north.slug}/members/") == few
