"""The assessment pages over HTTP: who sees what, forms that keep input, constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html

from microcred.assessment import services
from microcred.assessment.models import AssessorPool, Decision, Review
from microcred.assessment.tests.factories import assessor, pool, submit_review, submitted_attempt
from microcred.core.models import AuditEvent, Role


@pytest.fixture
def routed(world, credential, educator_ana, assessor_ben):
    pool(world.north.organization, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


@pytest.fixture
def not_yet(routed, issuer_carla):
    submit_review(routed, failing={"Section 2"})
    services.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="not_yet", reason="Section 2."
    )
    return routed


@pytest.fixture
def awarded(routed, issuer_carla):
    submit_review(routed)
    services.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="award", reason=""
    )
    return routed.submission.attempt.award


def test_the_review_screen_shows_evidence_reflections_task_and_rubric(client, routed, assessor_ben):
    client.force_login(assessor_ben)
    response = client.get(routed.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "evidence-viewer" in body and "Sorted exit tickets" in body
    assert "How do you know today what students learned?" in body  # a pre-reflection question
    assert "Three lessons with exit tickets" in body
    assert body.count('type="radio"') >= 9  # three levels for each of three sections
    assert "Save draft" in body and "Submit review" in body and "Decline" in body


def test_an_assessor_not_assigned_to_the_review_gets_404(client, routed, world, issuer_carla):
    for person in (assessor(world.north.organization, "Fay"), issuer_carla):
        client.force_login(person)
        assert client.get(routed.get_absolute_url()).status_code == 404


def test_a_refused_review_shows_the_message_next_to_the_field_and_keeps_the_input(
    client, routed, assessor_ben
):
    client.force_login(assessor_ben)
    section = routed.submission.sections.order_by("position").first()
    lowest = section.levels.order_by("position").first()
    data = {
        "op": "submit",
        f"level-{section.pk}": lowest.pk,
        f"feedback-{section.pk}": "",
        "summary": "My careful summary",
    }
    before = AuditEvent.objects.count()
    response = client.post(routed.get_absolute_url(), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_feedback-{section.pk}_error"' in body
    assert "is below its passing level" in body
    assert "My careful summary" in body
    assert f'value="{lowest.pk}" checked' in body
    assert AuditEvent.objects.count() == before
    routed.refresh_from_db()
    assert routed.state == "assigned"


def test_saving_a_draft_over_http_keeps_it(client, routed, assessor_ben):
    client.force_login(assessor_ben)
    response = client.post(routed.get_absolute_url(), {"op": "save", "summary": "Draft words"})
    assert response.status_code == 302
    assert "Draft words" in client.get(routed.get_absolute_url()).content.decode()


def test_declining_without_a_reason_says_so(client, routed, assessor_ben):
    client.force_login(assessor_ben)
    response = client.post(
        reverse("assessment:review-decline", args=[routed.public_id]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Say why you decline" in response.content.decode()


def test_the_queue_lists_open_reviews_with_due_flags(client, routed, assessor_ben):
    Review.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(days=2))
    client.force_login(assessor_ben)
    body = client.get(reverse("assessment:index")).content.decode()
    assert "Exit tickets" in body and "Overdue by" in body


def test_the_queue_is_refused_to_people_who_do_not_assess(client, educator_ana):
    client.force_login(educator_ana)
    assert client.get(reverse("assessment:index")).status_code == 403


def test_the_queue_takes_the_same_number_of_queries_for_10_and_1000_reviews(
    client, routed, assessor_ben
):
    def add(n: int) -> None:
        now = timezone.now()
        Review.objects.bulk_create(
            Review(
                submission=routed.submission,
                assessor=assessor_ben,
                due_at=now + timedelta(days=i % 20 - 3),
            )
            for i in range(n)
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("assessment:index")).status_code == 200
        return len(queries)

    client.force_login(assessor_ben)
    add(9)
    ten = count()
    add(990)
    assert Review.objects.filter(assessor=assessor_ben).open().count() == 1000
    assert count() == ten


def test_the_decide_page_decides_and_keeps_input_on_refusal(client, routed, issuer_carla):
    submit_review(routed, failing={"Section 1"})
    client.force_login(issuer_carla)
    url = reverse("assessment:decide", args=[routed.submission_id])
    response = client.post(url, {"outcome": "not_yet", "reason": ""})
    assert response.status_code == 400
    assert "Give the educator a reason" in response.content.decode()
    response = client.post(url, {"outcome": "not_yet", "reason": "Rework section 1."})
    assert response.status_code == 302
    routed.submission.refresh_from_db()
    assert routed.submission.state == "decided"


def test_decisions_page_lists_unassigned_and_overdue(client, world, credential, admin_adam):
    from microcred.core.tests.factories import member

    submitted_attempt(member(world.north.school, Role.EDUCATOR), credential)
    client.force_login(admin_adam)
    body = client.get(reverse("assessment:decisions")).content.decode()
    assert "Unassigned" in body and "Assign" in body


def test_the_decisions_page_lists_the_first_rows_and_counts_them_all(
    client, world, credential, admin_adam, monkeypatch
):
    from microcred.assessment import selectors
    from microcred.core.tests.factories import member

    for n in range(3):
        submitted_attempt(
            member(world.north.school, Role.EDUCATOR, email=f"t{n}@x.org"), credential
        )
    monkeypatch.setattr(selectors, "DECISION_ROWS", 2)
    client.force_login(admin_adam)
    body = client.get(reverse("assessment:decisions")).content.decode()
    assert 'Unassigned <span class="count count--alert">3</span>' in body
    assert "The 2 waiting longest are listed." in body
    assert body.count(">Assign<span") == 2


def test_the_decisions_page_shows_each_queues_rows_with_their_people_and_links(
    client,
    world,
    north,
    routed,
    educator_ana,
    assessor_ben,
    admin_adam,
    designer_dan,
    reviewer_rita,
):
    """Each queue's row names the credential and the person, and links where to act."""
    from microcred.core.tests.factories import member
    from microcred.earning.tests.factories import earnable_credential

    title = routed.submission.attempt.version.title
    # Ben's review is late; a hand-in of a credential without a pool has no assessor.
    due = timezone.now() - timedelta(days=3)
    Review.objects.filter(pk=routed.pk).update(due_at=due)
    poolless = earnable_credential(designer_dan, reviewer_rita, north, title="No pool yet")
    waiting = submitted_attempt(
        member(world.north.school, Role.EDUCATOR, email="x@north.org"), poolless
    )
    waiting_review = waiting.reviews.get()
    assert waiting_review.state == Review.State.UNASSIGNED
    client.force_login(admin_adam)
    page = html.fromstring(client.get(reverse("assessment:decisions")).content.decode())

    def rows(heading_id: str) -> list[str]:
        section = page.xpath(f'//section[@aria-labelledby="{heading_id}"]')[0]
        return [" ".join(r.text_content().split()) for r in section.xpath(".//tbody/tr | .//li")]

    late = rows("overdue-h")
    assert late == [
        f"{title} {assessor_ben} {_day(due)} Overdue by 3 days Reassign the review of {title}"
    ]
    reassign = reverse("assessment:reassign", args=[routed.public_id])
    assert page.xpath(f'//section[@aria-labelledby="overdue-h"]//a[@href="{reassign}"]')
    unassigned = rows("unassigned-h")
    assert unassigned == [
        f"No pool yet {waiting.attempt.educator} {waiting_review.get_kind_display()} "
        f"{_day(waiting_review.assigned_at)} Assign the review of No pool yet"
    ]
    assign = reverse("assessment:reassign", args=[waiting_review.public_id])
    assert page.xpath(f'//section[@aria-labelledby="unassigned-h"]//a[@href="{assign}"]')

    submit_review(routed)
    page = html.fromstring(client.get(reverse("assessment:decisions")).content.decode())
    reviewed = rows("reviewed-h")
    assert reviewed == [
        f"{title} {educator_ana} First hand-in {_day(routed.submission.updated_at)}"
    ]
    decide = reverse("assessment:decide", args=[routed.submission.pk])
    assert page.xpath(f'//section[@aria-labelledby="reviewed-h"]//a[@href="{decide}"]')


def _day(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%b} {local.day}, {local.year}"


def test_the_feedback_page_shows_levels_feedback_and_the_resubmit_link(
    client, not_yet, educator_ana
):
    client.force_login(educator_ana)
    attempt = not_yet.submission.attempt
    body = client.get(reverse("assessment:feedback", args=[attempt.public_id])).content.decode()
    assert "Section 2: show the regrouping next day." in body
    assert reverse("earning:attempt", args=[attempt.public_id]) in body
    assert "allows 2 resubmissions" in body
    assert "Appeal this decision" in body


def test_coaches_and_leaders_read_the_feedback_but_cannot_appeal(
    client, not_yet, coach_carmen, principal_dee
):
    attempt = not_yet.submission.attempt
    url = reverse("assessment:feedback", args=[attempt.public_id])
    for person in (coach_carmen, principal_dee):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert "Appeal this decision" not in response.content.decode()
        assert client.post(url, {"reason": "x"}).status_code == 403


def test_a_filed_appeal_shows_on_the_feedback_and_cannot_be_filed_twice(
    client, not_yet, educator_ana
):
    """The appeal against a decision is read with the decisions; the form goes once one is
    filed, and the page shows it with its state."""
    client.force_login(educator_ana)
    url = reverse("assessment:feedback", args=[not_yet.submission.attempt.public_id])
    assert "Appeal this decision" in client.get(url).content.decode()
    decision = Decision.objects.get(submission=not_yet.submission)  # `not_yet` is its review
    services.appeal_file(actor=educator_ana, decision=decision, reason="The video shows it.")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert "Appeal this decision" not in body
    today = timezone.localdate()
    assert f"Filed {today:%b} {today.day}, {today.year}: being reviewed." in body
    appeal_reads = [q for q in queries.captured_queries if 'FROM "assessment_appeal"' in q["sql"]]
    assert appeal_reads == []  # with the decisions, not on its own


def test_an_empty_appeal_is_refused_with_its_message(client, not_yet, educator_ana):
    client.force_login(educator_ana)
    url = reverse("assessment:feedback", args=[not_yet.submission.attempt.public_id])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Say why you appeal" in response.content.decode()


def test_the_certificate_shows_the_award(client, awarded, educator_ana, principal_dee):
    for person in (educator_ana, principal_dee):
        client.force_login(person)
        response = client.get(awarded.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        assert "Exit tickets" in body and "Riverbend Unified" in body
        assert "I can write an exit ticket" in body


def test_every_page_of_a_riverbend_object_is_404_for_lakeshore(client, world, awarded, routed):
    attempt = routed.submission.attempt
    urls = [
        routed.get_absolute_url(),
        reverse("assessment:reassign", args=[routed.public_id]),
        reverse("assessment:decide", args=[routed.submission_id]),
        reverse("assessment:feedback", args=[attempt.public_id]),
        awarded.get_absolute_url(),
        reverse("assessment:pool", args=[AssessorPool.objects.get().pk]),
    ]
    for role, person in world.south.people.items():
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
            assert client.post(url).status_code in (404, 405), (role, url)


def test_pools_are_created_and_bad_settings_keep_the_input(client, admin_adam, credential, north):
    client.force_login(admin_adam)
    url = reverse("assessment:pools")
    response = client.post(
        url,
        {
            "name": "Exit ticket assessors",
            "organization": north.pk,
            "credential": credential.pk,
            "turnaround_days": "0",
            "max_resubmissions": "2",
            "resubmit_wait_days": "0",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The turnaround must be at least 1 day." in body and "Exit ticket assessors" in body
    response = client.post(
        url,
        {
            "name": "Exit ticket assessors",
            "organization": north.pk,
            "credential": credential.pk,
            "turnaround_days": "10",
            "max_resubmissions": "1",
            "resubmit_wait_days": "7",
            "double_scoring": "on",
        },
    )
    made = AssessorPool.objects.get()
    assert response.status_code == 302 and made.turnaround_days == 10 and made.double_scoring


def test_pool_members_are_added_from_the_assessors_of_the_organization(
    client, admin_adam, credential, north, assessor_ben, educator_ana
):
    made = pool(north, credential, [])
    client.force_login(admin_adam)
    add = reverse("assessment:pool-member-add", args=[made.pk])
    response = client.post(add, {"assessor": educator_ana.pk})
    assert response.status_code == 400
    assert "Choose one of the assessors listed." in response.content.decode()
    assert client.post(add, {"assessor": assessor_ben.pk}).status_code == 302
    member = made.members.get()
    assert member.assessor == assessor_ben
    remove = reverse("assessment:pool-member-remove", args=[made.pk])
    assert client.post(remove, {"member": member.pk}).status_code == 302
    member.refresh_from_db()
    assert not member.active


def test_calibration_refuses_a_bad_threshold_with_a_message(client, admin_adam):
    client.force_login(admin_adam)
    response = client.get(reverse("assessment:calibration"), {"threshold": "abc"})
    assert response.status_code == 400
    assert "is not a number" in response.content.decode()


def test_manager_pages_are_refused_to_assessors(client, assessor_ben):
    client.force_login(assessor_ben)
    for name in ("assessment:decisions", "assessment:pools", "assessment:calibration"):
        assert client.get(reverse(name)).status_code == 403


def test_the_pools_page_names_each_credential_by_its_title(client, world, admin_adam, credential):
    pool(world.north.organization, credential, [world.north.people[Role.ASSESSOR]])
    client.force_login(admin_adam)
    page = client.get(reverse("assessment:pools")).content.decode()
    assert 'data-label="Credential">Exit tickets</td>' in page
    assert credential.slug not in page.split('data-label="Credential">', 1)[1].split("</td>")[0]


def test_the_pools_list_comes_in_pages(client, world, admin_adam, credential, monkeypatch):
    from microcred.assessment import selectors

    monkeypatch.setattr(selectors, "POOLS_PAGE_SIZE", 2)
    from microcred.core.tests.factories import make_org

    cedar = make_org("Cedar Middle", "school", world.north.organization)
    # One general pool each, listed by organization: Cedar, Maple, Riverbend.
    for organization, name in [
        (cedar, "Alpha"),
        (world.north.school, "Beta"),
        (world.north.organization, "Gamma"),
    ]:
        AssessorPool.objects.create(organization=organization, name=name)
    client.force_login(admin_adam)
    url = reverse("assessment:pools")
    first = client.get(url).content.decode()
    assert ">Alpha</a>" in first and ">Beta</a>" in first and ">Gamma</a>" not in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert ">Gamma</a>" in second and ">Alpha</a>" not in second
    assert ">Alpha</a>" in client.get(url, {"page": "x"}).content.decode()  # not a number: 1
    assert ">Gamma</a>" in client.get(url, {"page": 9}).content.decode()  # past the end: last


def test_a_pool_may_be_set_up_where_it_can_route_a_credential(
    client, world, admin_adam, north, designer_dan, reviewer_rita
):
    """Only organizations that own a credential, or lie above one, are offered: a district's
    schools that own none are not; with no credential at all the page says why."""
    from microcred.assessment import selectors
    from microcred.catalog.tests.factories import published_credential

    client.force_login(admin_adam)
    body = client.get(reverse("assessment:pools")).content.decode()
    assert "once your organization owns a credential" in body
    assert list(selectors.pool_organizations(actor=admin_adam)) == []
    published_credential(designer_dan, reviewer_rita, north)
    offered = list(selectors.pool_organizations(actor=admin_adam))
    assert north in offered
    assert world.north.school not in offered
    assert "Create the pool" in client.get(reverse("assessment:pools")).content.decode()
