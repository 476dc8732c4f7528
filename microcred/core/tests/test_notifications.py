"""Notifications that mean something: opening one marks it read and leads to its page (only
its owner's, never off the site); a notice that asks for work is resolved by the service
that does the work; nobody is told of their own action; assigned notices say whose work
and which credential; the studio's events and the hand-ins and decisions of the educators
a coach or school leader follows arrive in the app; the header highlights one item."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microcred.assessment import services as assessment
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.catalog import services as catalog
from microcred.catalog.tests.factories import (
    approve_answers,
    draft_credential,
    fill_all_parts,
    published_credential,
)
from microcred.core.auth import load_user
from microcred.core.models import Membership, Notification, Role, User
from microcred.core.notify import Verb, notify, subject_of
from microcred.core.tests.factories import member
from microcred.earning import services as earning
from microcred.earning.tests.factories import ready_attempt

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


@pytest.fixture
def routed(world, credential, educator_ana, assessor_ben):
    """Ana's hand-in of "Exit tickets", assigned to Ben."""
    pool(world.north.organization, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


def _notice(user: User, text: str = "Your work was assessed.", url: str = "/my/") -> Notification:
    notify([user], actor=None, verb=Verb.SUBMISSION_DECIDED, text=text, url=url)
    return Notification.objects.filter(user=user).latest("pk")


def _unread(user: User) -> int:
    loaded = load_user(user.pk)
    assert loaded is not None
    return loaded._unread or 0


def _page(client, user: User, url: str = "/notifications/") -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ----------------------------------------------------------------------------- opening


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, educator_ana):
    notice = _notice(educator_ana)
    page = _page(client, educator_ana)
    open_url = reverse("core:notification-open", args=[notice.pk])
    assert f'<a href="{open_url}">Your work was assessed.</a>' in page
    assert "Unread: " in page and '1<span class="visually-hidden"> unread</span>' in page

    response = client.get(open_url)

    assert response.status_code == 302 and response["Location"] == "/my/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    page = _page(client, educator_ana)
    assert "Unread: " not in page and 'visually-hidden"> unread' not in page
    assert "You are up to date." in page


def test_another_persons_notice_is_a_404_and_stays_unread(client, educator_ana, coach_carmen):
    notice = _notice(educator_ana)
    client.force_login(coach_carmen)
    assert client.get(reverse("core:notification-open", args=[notice.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("core:notification-open", args=[notice.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "javascript:alert(1)",
        "evil.example/phish",
    ],
)
def test_a_notice_leading_off_the_site_opens_the_list_instead(client, educator_ana, url):
    notice = _notice(educator_ana, url=url)
    client.force_login(educator_ana)
    response = client.get(reverse("core:notification-open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:notifications")
    notice.refresh_from_db()
    assert notice.read_at is not None


# ----------------------------------------------------------------------------- resolving


def test_submitting_a_review_resolves_its_assigned_notice(client, routed, assessor_ben):
    assigned = Notification.objects.get(user=assessor_ben, verb=Verb.REVIEW_ASSIGNED)
    assert assigned.subject == subject_of(routed) and assigned.resolved_at is None
    assert _unread(assessor_ben) == 1

    submit_review(routed)

    assigned.refresh_from_db()
    assert assigned.resolved_at is not None and assigned.read_at is None
    assert _unread(assessor_ben) == 0
    page = _page(client, assessor_ben)
    assert '<span class="tag">Done</span>' in page and "Unread: " not in page


def test_declining_or_reassigning_a_review_resolves_the_notices_about_it(
    routed, assessor_ben, admin_adam, north
):
    otto = member(north, Role.ASSESSOR, full_name="Otto Ames", email="otto@assess.example")
    pia = member(north, Role.ASSESSOR, full_name="Pia Park", email="pia@assess.example")
    routed.pool.members.create(assessor=otto)
    replacement = assessment.review_decline(actor=assessor_ben, review=routed, reason="Conflict")
    assert Notification.objects.get(user=assessor_ben, verb=Verb.REVIEW_ASSIGNED).resolved_at
    told = Notification.objects.get(user=otto, verb=Verb.REVIEW_ASSIGNED)
    assert told.resolved_at is None and told.subject == subject_of(replacement)

    routed.pool.members.create(assessor=pia)
    assessment.review_reassign(actor=admin_adam, review=replacement, reason="Otto is away")

    told.refresh_from_db()
    assert told.resolved_at is not None
    assert Notification.objects.filter(user=otto, verb=Verb.REVIEW_REASSIGNED).exists()
    assert Notification.objects.get(user=pia, verb=Verb.REVIEW_ASSIGNED).resolved_at is None


def test_deciding_resolves_the_waiting_for_decision_notice(routed, issuer_carla):
    submit_review(routed)
    waiting = Notification.objects.get(user=issuer_carla, verb=Verb.SUBMISSION_REVIEWED)
    assert waiting.resolved_at is None and _unread(issuer_carla) == 1

    assessment.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="award", reason=""
    )

    waiting.refresh_from_db()
    assert waiting.resolved_at is not None
    assert _unread(issuer_carla) == 0


def test_a_resubmission_resolves_the_not_yet_notice(routed, educator_ana, issuer_carla):
    submit_review(routed, failing={"Section 1"})
    assessment.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="not_yet", reason="Section 1."
    )
    not_yet = Notification.objects.get(user=educator_ana, verb=Verb.SUBMISSION_DECIDED)
    assert not_yet.resolved_at is None

    earning.attempt_submit(actor=educator_ana, attempt=routed.submission.attempt, note="Redone")

    not_yet.refresh_from_db()
    assert not_yet.resolved_at is not None


def test_withdrawing_after_not_yet_resolves_the_not_yet_notice(routed, educator_ana, issuer_carla):
    submit_review(routed, failing={"Section 1"})
    assessment.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="not_yet", reason="Section 1."
    )
    earning.attempt_withdraw(actor=educator_ana, attempt=routed.submission.attempt)
    not_yet = Notification.objects.get(user=educator_ana, verb=Verb.SUBMISSION_DECIDED)
    assert not_yet.resolved_at is not None


# ----------------------------------------------------------------------------- who is told


def test_nobody_is_told_of_their_own_action(
    credential, educator_ana, coach_carmen, designer_dan, reviewer_rita, north
):
    attempt = ready_attempt(educator_ana, credential)
    earning.attempt_submit(actor=educator_ana, attempt=attempt)
    earning.comment_add(actor=educator_ana, attempt=attempt, body="Ready for a look.")
    assert not Notification.objects.filter(user=educator_ana).exists()
    assert Notification.objects.filter(user=coach_carmen, verb=Verb.ATTEMPT_COMMENTED).exists()

    # A designer who also sits on the review board is not asked to review her own draft.
    Membership.objects.create(user=designer_dan, organization=north, role=Role.REVIEWER)
    version = draft_credential(designer_dan, north, title="Cold calls").versions.get()
    catalog.version_submit_for_review(actor=designer_dan, version=version)
    assert not Notification.objects.filter(
        user=designer_dan, verb=Verb.CREDENTIAL_REVIEW_REQUESTED
    ).exists()
    assert Notification.objects.filter(
        user=reviewer_rita, verb=Verb.CREDENTIAL_REVIEW_REQUESTED
    ).exists()


def test_assigned_notices_say_whose_work_and_which_credential(
    world, credential, designer_dan, reviewer_rita, educator_ana, assessor_ben, north
):
    school = world.north.school
    second = published_credential(designer_dan, reviewer_rita, north, title="Cold calls")
    pool(north, None, [assessor_ben])
    bo = member(school, Role.EDUCATOR, full_name="Bo Baker", email="bo@riverbend.example")
    cy = member(school, Role.EDUCATOR, full_name="Cy Chen", email="cy@riverbend.example")
    for educator, made in (
        (educator_ana, credential),
        (educator_ana, second),
        (bo, credential),
        (bo, second),
        (cy, credential),
    ):
        submitted_attempt(educator, made)

    texts = list(
        Notification.objects.filter(user=assessor_ben, verb=Verb.REVIEW_ASSIGNED)
        .order_by("pk")
        .values_list("text", flat=True)
    )

    assert len(texts) == len(set(texts)) == 5
    assert texts[0].startswith("Review Riverbend Educator’s “Exit tickets” by ")
    assert texts[1].startswith("Review Riverbend Educator’s “Cold calls” by ")
    assert texts[2].startswith("Review Bo Baker’s “Exit tickets” by ")
    assert texts[3].startswith("Review Bo Baker’s “Cold calls” by ")
    assert texts[4].startswith("Review Cy Chen’s “Exit tickets” by ")


def test_studio_changes_requested_and_published_arrive_in_the_app(
    client, designer_dan, reviewer_rita, north
):
    version = draft_credential(designer_dan, north, title="Cold calls").versions.get()
    catalog.version_submit_for_review(actor=designer_dan, version=version)
    requested = Notification.objects.get(user=reviewer_rita)
    assert requested.verb == Verb.CREDENTIAL_REVIEW_REQUESTED
    assert "Review “Cold calls” (version 1), sent by Riverbend Credential designer" in (
        requested.text
    )

    answers = approve_answers()
    answers[next(iter(answers))] = catalog.ChecklistAnswer(met=False, comment="Say more.")
    catalog.version_review(
        actor=reviewer_rita, version=version, approve=False, summary="", answers=answers
    )
    requested.refresh_from_db()
    assert requested.resolved_at is not None  # the board's work is done
    page = _page(client, designer_dan)
    assert "Riverbend Design review board asked for changes to “Cold calls” (version 1)." in page

    fill_all_parts(version, designer_dan, title="Cold calls")
    catalog.version_submit_for_review(actor=designer_dan, version=version)
    changes = Notification.objects.get(user=designer_dan, verb=Verb.CREDENTIAL_CHANGES_REQUESTED)
    assert changes.resolved_at is not None  # sending it back was what it asked for
    catalog.version_review(
        actor=reviewer_rita, version=version, approve=True, summary="", answers=approve_answers()
    )
    page = _page(client, designer_dan)
    assert "Riverbend Design review board approved “Cold calls”: version 1 is published." in page
    assert Notification.objects.get(user=designer_dan, verb=Verb.CREDENTIAL_PUBLISHED)


def test_coach_and_school_leader_are_told_of_hand_in_and_decision(
    client, world, routed, coach_carmen, principal_dee, issuer_carla
):
    for follower in (coach_carmen, principal_dee):
        page = _page(client, follower)
        assert "Riverbend Educator handed in “Exit tickets”." in page
    submit_review(routed)
    assessment.submission_decide(
        actor=issuer_carla, submission=routed.submission, outcome="award", reason=""
    )
    for follower in (coach_carmen, principal_dee):
        page = _page(client, follower)
        assert "Decision on Riverbend Educator’s “Exit tickets”: awarded." in page
    # Lakeshore's coach and leader follow Lakeshore's educators, not Ana.
    south = [world.south.people[Role.COACH], world.south.people[Role.LEADER]]
    assert not Notification.objects.filter(user__in=south).exists()


# ----------------------------------------------------------------------------- the registry


def test_a_verb_outside_the_registry_is_refused(educator_ana):
    with pytest.raises(ValueError, match=r"made\.up"):
        notify([educator_ana], actor=None, verb="made.up", text="?")
    assert not Notification.objects.exists()


def test_every_notify_call_names_a_verb_of_the_registry():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "notify"
            ):
                continue
            verb = next((k.value for k in node.keywords if k.arg == "verb"), None)
            options = [verb.body, verb.orelse] if isinstance(verb, ast.IfExp) else [verb]
            for option in options:
                if not (
                    isinstance(option, ast.Attribute)
                    and isinstance(option.value, ast.Name)
                    and option.value.id == "Verb"
                ):
                    problems.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert problems == []


# ----------------------------------------------------------------------------- the page


def test_the_list_reads_a_constant_number_of_queries(client, educator_ana):
    def queries() -> int:
        client.force_login(educator_ana)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/").status_code == 200
        return len(captured)

    for _ in range(3):
        _notice(educator_ana)
    few = queries()
    for _ in range(25):
        _notice(educator_ana)
    assert queries() == few


# ----------------------------------------------------------------------------- navigation

HEADER = re.compile(r'<header class="site-header">.*?</header>', re.S)
AVATAR = re.compile(r'<span class="avatar"[^>]*>.*?</span>')
CURRENT = re.compile(r'<a [^>]*aria-current="(page|true)"[^>]*>(.*?)</a>', re.S)


def _current_links(html: str) -> tuple[list[tuple[str, str]], int]:
    """The header's highlighted links (value, label) and the page's aria-current="page"
    links."""
    header = HEADER.search(html)
    assert header is not None
    marked = [
        (value, re.sub(r"<[^>]+>", "", AVATAR.sub("", label)).split("—")[0].strip())
        for value, label in CURRENT.findall(header.group(0))
    ]
    pages = len(re.findall(r'<a [^>]*aria-current="page"', html))
    return marked, pages


def test_each_page_highlights_one_item_in_the_header(
    client, routed, educator_ana, assessor_ben, issuer_carla, designer_dan, credential
):
    draft = draft_credential(designer_dan, credential.organization, title="Cold calls")
    cases = [
        (educator_ana, "/notifications/", ("page", "Notifications")),
        (educator_ana, reverse("catalog:list"), ("page", "Catalog")),
        (educator_ana, reverse("earning:dashboard"), ("page", "My micro-credentials")),
        (
            educator_ana,
            routed.submission.attempt.get_absolute_url(),
            ("true", "My micro-credentials"),
        ),
        (educator_ana, reverse("account_email"), ("page", "Riverbend")),
        (educator_ana, reverse("core:profile"), ("true", "Riverbend")),
        (assessor_ben, reverse("assessment:index"), ("page", "Assessment")),
        (issuer_carla, reverse("assessment:decisions"), ("true", "Assessment")),
        (designer_dan, reverse("studio:index"), ("page", "Design studio")),
        (
            designer_dan,
            reverse("studio:edit", args=[draft.pk, "rubric"]),
            ("true", "Design studio"),
        ),
    ]
    for user, url, expected in cases:
        marked, pages = _current_links(_page(client, user, url))
        assert marked == [expected], (url, marked)
        # The header's link or the page's own tab; the profile page has no link to itself.
        assert pages == (0 if url == reverse("core:profile") else 1), (url, pages)
