"""The educator's dashboard and the staff progress page: what they show, in words an
educator uses, and a number of queries that does not grow with the number of attempts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microcred.catalog.models import Credential
from microcred.catalog.tests.test_catalog import bulk_published
from microcred.earning.models import Attempt
from microcred.earning.tests.factories import earnable_credential, started_attempt

pytestmark = pytest.mark.django_db

STATES = list(Attempt.State)


def bulk_attempts(educator, organization, n: int, *, start: int) -> None:
    bulk_published(organization, n, start=start)
    credentials = Credential.objects.filter(slug__startswith="bulk-").order_by("pk")[start:]
    school = educator.memberships.get(role="educator").organization
    Attempt.objects.bulk_create(
        Attempt(
            educator=educator,
            version=c.current_version,
            organization=school,
            state=STATES[i % len(STATES)],
        )
        for i, c in enumerate(credentials)
    )


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_shows_each_attempt_with_its_status_and_next_step(
    client, educator_ana, designer_dan, reviewer_rita, north
):
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    attempt = started_attempt(educator_ana, credential)
    client.force_login(educator_ana)
    page = client.get(reverse("earning:dashboard")).content.decode()
    assert "Exit tickets" in page
    assert "In progress" in page
    assert "Continue your work" in page
    assert reverse("earning:attempt", args=[attempt.public_id]) in page


def test_the_dashboard_filters_by_status(client, educator_ana, north):
    bulk_attempts(educator_ana, north, 8, start=0)
    client.force_login(educator_ana)
    response = client.get(reverse("earning:dashboard"), {"state": "earned"})
    shown = list(response.context["page"].object_list)
    assert shown and all(a.state == "earned" for a in shown)
    # An unknown status is ignored rather than an error.
    assert client.get(reverse("earning:dashboard"), {"state": "bogus"}).status_code == 200


def test_dashboard_queries_stay_the_same_from_10_to_1000_attempts(client, educator_ana, north):
    bulk_attempts(educator_ana, north, 10, start=0)
    client.force_login(educator_ana)
    small = count(client, reverse("earning:dashboard"))
    bulk_attempts(educator_ana, north, 990, start=10)
    assert Attempt.objects.filter(educator=educator_ana).count() == 1000
    assert count(client, reverse("earning:dashboard")) == small


def test_staff_page_lists_the_school_and_queries_stay_the_same(
    client, educator_ana, principal_dee, coach_carmen, north, world
):
    bulk_attempts(educator_ana, north, 10, start=0)
    client.force_login(principal_dee)
    small = count(client, reverse("earning:staff"))
    bulk_attempts(educator_ana, north, 990, start=10)
    assert count(client, reverse("earning:staff")) == small
    page = client.get(reverse("earning:staff")).content.decode()
    assert str(educator_ana) in page
    # Lakeshore's leader sees none of Riverbend's staff.
    from microcred.core.models import Role

    client.force_login(world.south.people[Role.LEADER])
    response = client.get(reverse("earning:staff"))
    assert list(response.context["page"].object_list) == []


def test_the_staff_list_is_the_same_when_the_organizations_go_in_as_a_subquery(
    client, monkeypatch, educator_ana, principal_dee, north, world
):
    """A state's thousands of organizations go into the list as a subquery, not as ids."""
    from microcred.core import tenancy
    from microcred.core.models import Role

    bulk_attempts(educator_ana, north, 6, start=0)
    other = world.south.people[Role.EDUCATOR]
    bulk_attempts(other, world.south.school, 3, start=6)
    shown = {}
    for longest in (500, 0):  # as ids, then as a subquery
        monkeypatch.setattr(tenancy, "LONG_ID_LIST", longest)
        client.force_login(principal_dee)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("earning:staff"))
        listed = [q["sql"] for q in ctx.captured_queries if "earning_attempt" in q["sql"]]
        assert all(("IN (SELECT" in sql) == (longest == 0) for sql in listed), listed
        shown[longest] = [a.pk for a in response.context["page"].object_list]
    assert shown[500] == shown[0] and len(shown[0]) == 6


def test_staff_page_is_refused_to_roles_that_do_not_support_educators(client, assessor_ben):
    client.force_login(assessor_ben)
    assert client.get(reverse("earning:staff")).status_code == 403


def test_the_credential_page_offers_start_then_continue(
    client, educator_ana, designer_dan, reviewer_rita, north
):
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    page = client.get(credential.get_absolute_url()).content.decode()
    assert "Sign in to start" in page
    client.force_login(educator_ana)
    page = client.get(credential.get_absolute_url()).content.decode()
    assert "Start this micro-credential" in page
    started_attempt(educator_ana, credential)
    page = client.get(credential.get_absolute_url()).content.decode()
    assert "Continue your attempt" in page
    client.force_login(designer_dan)  # not an educator: no call to action
    page = client.get(credential.get_absolute_url()).content.decode()
    assert "Start this micro-credential" not in page and "Continue your attempt" not in page


def test_notifications_list_and_mark_read(client, educator_ana):
    from microcred.core.models import Notification
    from microcred.core.notify import Verb, notify

    notify(
        [educator_ana],
        actor=None,
        verb=Verb.SUBMISSION_DECIDED,
        text="Your work was assessed.",
        url="/my/",
    )
    client.force_login(educator_ana)
    home = client.get("/").content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in home
    page = client.get(reverse("core:notifications")).content.decode()
    assert "Your work was assessed." in page
    client.post(reverse("core:notifications"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_long_staff_list_counts_only_the_pages_it_offers_and_says_so(
    client, monkeypatch, educator_ana, principal_dee, north
):
    from microcred.earning import selectors

    monkeypatch.setattr(selectors, "PER_PAGE", 5)
    monkeypatch.setattr(selectors, "STAFF_PAGES", 2)
    bulk_attempts(educator_ana, north, 12, start=0)
    client.force_login(principal_dee)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("earning:staff"))
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1 and "LIMIT 11" in counts[0]  # counts no further than 2 pages + 1
    page = response.content.decode()
    assert "Page 1 of 2+" in page
    assert "These are the 10 most recently active attempts" in page
    # Past the last page counted, the last page is shown.
    last = client.get(reverse("earning:staff"), {"page": "9"}).context["page"]
    assert last.number == 2
    # A filter that leaves fewer rows is counted exactly.
    earned = client.get(reverse("earning:staff"), {"state": "earned"}).content.decode()
    assert "most recently active attempts" not in earned and "2+" not in earned


def test_the_task_page_says_what_is_still_to_add_before_sending_her_on(
    client, educator_ana, designer_dan, reviewer_rita, north
):
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    attempt = started_attempt(educator_ana, credential)
    client.force_login(educator_ana)
    page = client.get(reverse("earning:evidence", args=[attempt.public_id])).content.decode()
    assert "Still to add: Classroom video, Lesson plan, What you changed." in page
    assert "Write the post-reflection" in page and "Go on to the post-reflection" not in page


def test_the_attempt_pages_read_only_the_parts_of_the_credential_they_show(
    client, educator_ana, designer_dan, reviewer_rita, north
):
    """The steps of an attempt show the prompts, resources, evidence requirements and rubric
    sections; the catalog's audiences, targets, standards and levels are not read for them."""
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    attempt = started_attempt(educator_ana, credential)
    client.force_login(educator_ana)
    for name, args in [
        ("earning:attempt", []),
        ("earning:evidence", []),
        ("earning:resources", []),
        ("earning:reflection", ["post"]),
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=[attempt.public_id, *args]))
        assert response.status_code == 200, name
        tables = " ".join(q["sql"] for q in queries.captured_queries)
        for unused in ("audience", "learningtarget", "standardalignment", "performancelevel"):
            assert f'FROM "catalog_{unused}"' not in tables, (name, unused)
        assert 'FROM "catalog_reflectionprompt"' in tables
