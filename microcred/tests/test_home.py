"""The home page: each role sees the work waiting for it first, in a few rows with a count and
a link to the full list; another organization's work never appears; the number of queries
does not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from microcred.assessment import services as assessment_services
from microcred.assessment.models import Review
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.catalog import services as catalog_services
from microcred.catalog.models import Credential, CredentialVersion, QualityPart
from microcred.catalog.tests.factories import (
    approve_answers,
    audience,
    draft_credential,
    in_review_credential,
    published_credential,
)
from microcred.core.models import Membership, Role, User
from microcred.core.tests.factories import member
from microcred.earning import services as earning_services
from microcred.earning.models import Attempt, Submission
from microcred.earning.tests.factories import started_attempt


def home(client, user: User) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, key: str) -> str:
    """The HTML of one home section (`id="home-<key>"`), or "" when the page has none."""
    found = re.search(rf'<section[^>]*id="home-{key}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def published(world, title: str, *, audiences: tuple[str, ...] = ("teacher",)) -> Credential:
    north = world.north
    credential = published_credential(
        north.people[Role.DESIGNER], north.people[Role.REVIEWER], north.organization, title=title
    )
    assert credential.current_version is not None
    credential.current_version.audiences.set([audience(slug) for slug in audiences])
    return credential


def decide(submission: Submission, issuer: User, outcome: str, failing=frozenset()) -> None:
    submit_review(submission.reviews.get(), failing=failing)
    assessment_services.submission_decide(
        actor=issuer, submission=submission, outcome=outcome, reason="See the sections."
    )


# ----------------------------------------------------------------------------- the educator


@pytest.fixture
def anas_work(world, educator_ana, assessor_ben, issuer_carla):
    """Ana has a "not yet" (resubmission opens in a week, one of two left... none used yet),
    an attempt in progress, one handed in, and a badge that was revoked."""
    not_yet = published(world, "Data team meetings")
    carry_on = published(world, "Number talks")
    waiting = published(world, "Accountable talk")
    revoked = published(world, "Exit tickets")
    for credential in (not_yet, waiting, revoked):
        pool(world.north.organization, credential, [assessor_ben], resubmit_wait_days=7)
    decide(submitted_attempt(educator_ana, not_yet), issuer_carla, "not_yet", {"Section 2"})
    started_attempt(educator_ana, carry_on)
    submitted_attempt(educator_ana, waiting)
    earned = submitted_attempt(educator_ana, revoked)
    decide(earned, issuer_carla, "award")
    earning_services.attempt_standing_set(
        attempt_id=earned.attempt_id,
        revoked_at=timezone.now(),
        revoked_reason="Not your own lesson.",
        valid_until=None,
    )
    return {
        "not_yet": Attempt.objects.get(version__credential=not_yet),
        "carry_on": Attempt.objects.get(version__credential=carry_on),
        "waiting": Attempt.objects.get(version__credential=waiting),
        "revoked": Attempt.objects.get(version__credential=revoked),
    }


def test_the_educator_sees_her_attempts_by_next_step_first(client, anas_work, educator_ana):
    page = home(client, educator_ana)
    steps = section(page, "attempts")
    assert page.index('id="home-attempts"') < page.index('id="home-badges"')
    resubmit, rest = steps.split("Continue", 1)
    carry_on, waiting = rest.split("Waiting for review", 1)
    assert "Data team meetings" in resubmit
    opens = timezone.localtime(anas_work["not_yet"].resubmit_opens_at)
    assert f"Resubmission opens {opens:%b} {opens.day}, {opens.year}" in resubmit
    assert "2 resubmissions left" in resubmit
    feedback = reverse("assessment:feedback", args=[anas_work["not_yet"].public_id])
    assert f'href="{feedback}"' in resubmit
    # Pre-reflection written, nothing else begun: she continues with the resources.
    assert "Number talks" in carry_on
    resources = reverse("earning:resources", args=[anas_work["carry_on"].public_id])
    assert f'href="{resources}"' in carry_on and "Study the resources" in carry_on
    assert "Accountable talk" in waiting and "Handed in" in waiting
    assert "Data team meetings" not in carry_on + waiting


def test_a_resubmission_that_is_open_says_so(client, anas_work, educator_ana):
    Attempt.objects.filter(pk=anas_work["not_yet"].pk).update(resubmit_opens_at=None)
    resubmit = section(home(client, educator_ana), "attempts").split("Continue", 1)[0]
    assert "You can resubmit now" in resubmit
    Attempt.objects.filter(pk=anas_work["not_yet"].pk).update(resubmit_limit=0)
    resubmit = section(home(client, educator_ana), "attempts").split("Continue", 1)[0]
    assert "You have used every resubmission it allows" in resubmit


def test_a_revoked_badge_shows_as_revoked_never_as_earned(client, anas_work, educator_ana):
    badges = section(home(client, educator_ana), "badges")
    assert "Exit tickets" in badges
    assert "status--attempt-revoked" in badges and "Revoked" in badges
    assert "status--attempt-earned" not in badges


def test_an_expired_badge_shows_as_expired(client, anas_work, educator_ana):
    Attempt.objects.filter(pk=anas_work["revoked"].pk).update(
        revoked_at=None, valid_until=timezone.now() - timedelta(days=1)
    )
    badges = section(home(client, educator_ana), "badges")
    assert "status--attempt-expired" in badges and "status--attempt-earned" not in badges


def test_recommendations_are_for_her_audience_and_not_already_hers(
    client, world, anas_work, educator_ana
):
    published(world, "Questioning for reasoning")
    published(world, "Coaching cycles", audiences=("coach",))
    published(world, "Leading data teams", audiences=("school-leader",))
    published(world, "Classroom routines for everyone", audiences=())
    recommended = section(home(client, educator_ana), "recommended")
    assert "Questioning for reasoning" in recommended
    assert "Classroom routines for everyone" in recommended  # no audience named: for anyone
    assert "Leading data teams" not in recommended
    assert "Coaching cycles" not in recommended
    for attempt in anas_work.values():  # started, handed in, earned: not recommended again
        assert attempt.version.title not in recommended


def test_the_catalog_tiles_are_gone_for_members_but_stay_for_visitors(client, world, anas_work):
    published(world, "Questioning for reasoning")
    assert "In the catalog" in client.get("/").content.decode()
    assert "In the catalog" not in home(client, world.north.people[Role.EDUCATOR])


# ----------------------------------------------------------------------------- the other roles


@pytest.fixture
def routed(world, assessor_ben, educator_ana):
    credential = published(world, "Exit tickets")
    pool(world.north.organization, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


def test_the_assessor_sees_her_queue_with_overdue_marked_oldest_first(
    client, world, routed, assessor_ben
):
    later = published(world, "Number talks")
    pool(world.north.organization, later, [assessor_ben])
    later_review = submitted_attempt(world.north.people[Role.EDUCATOR], later).reviews.get()
    Review.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(days=3))
    queue = section(home(client, assessor_ben), "queue")
    assert queue.index("Exit tickets") < queue.index("Number talks")
    assert "Overdue by 3 days" in queue and "1 overdue" in queue
    assert f'href="{routed.get_absolute_url()}"' in queue
    assert f'href="{later_review.get_absolute_url()}"' in queue
    assert f'href="{reverse("assessment:index")}"' in queue  # see all


def test_the_issuer_sees_the_decisions_waiting(client, routed, issuer_carla):
    submit_review(routed)
    decisions = section(home(client, issuer_carla), "decisions")
    assert "Exit tickets" in decisions and "Riverbend Educator" in decisions
    assert f'href="{reverse("assessment:decide", args=[routed.submission_id])}"' in decisions


def test_the_issuer_sees_an_appeal_once_its_review_is_in(
    client, world, routed, issuer_carla, educator_ana
):
    from microcred.assessment.models import PoolMember
    from microcred.assessment.tests.factories import assessor

    assert routed.pool is not None
    PoolMember.objects.create(pool=routed.pool, assessor=assessor(world.north.organization, "Fay"))
    decide(routed.submission, issuer_carla, "not_yet", {"Section 2"})
    decision = routed.submission.decisions.get()
    assessment_services.appeal_file(actor=educator_ana, decision=decision, reason="Minute 4.")
    assert "Appeals ready" not in section(home(client, issuer_carla), "decisions")
    submit_review(Review.objects.get(kind="appeal"))
    decisions = section(home(client, issuer_carla), "decisions")
    appeals = decisions.split("Appeals ready", 1)[1]
    assert "Exit tickets" in appeals and "Riverbend Educator" in appeals
    assert f'href="{reverse("assessment:decide", args=[routed.submission_id])}"' in appeals


def test_the_program_admin_sees_unassigned_and_overdue_reviews(client, world, routed, admin_adam):
    no_pool = published(world, "Number talks")
    unassigned = submitted_attempt(world.north.people[Role.EDUCATOR], no_pool).reviews.get()
    assert unassigned.state == Review.State.UNASSIGNED
    Review.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(days=2))
    program = section(home(client, admin_adam), "program")
    assert "Number talks" in program and "Assign" in program
    assert f'href="{reverse("assessment:reassign", args=[unassigned.public_id])}"' in program
    assert "Exit tickets" in program and "Overdue by 2 days" in program
    assert f'href="{reverse("assessment:reassign", args=[routed.public_id])}"' in program


def test_the_review_board_sees_the_versions_waiting(client, designer_dan, reviewer_rita, north):
    credential = in_review_credential(designer_dan, north, title="Number talks")
    reviews = section(home(client, reviewer_rita), "design_reviews")
    assert "Number talks" in reviews
    assert f'href="{reverse("studio:review", args=[credential.pk])}"' in reviews


def test_the_designer_sees_changes_requested_then_drafts(
    client, designer_dan, reviewer_rita, north
):
    draft_credential(designer_dan, north, title="Number talks", complete=False)
    sent_back = in_review_credential(designer_dan, north, title="Exit tickets")
    answers = approve_answers()
    answers[QualityPart.TASK] = catalog_services.ChecklistAnswer(met=False, comment="How many?")
    catalog_services.version_review(
        actor=reviewer_rita,
        version=sent_back.versions.get(),
        approve=False,
        summary="Close.",
        answers=answers,
    )
    drafts = section(home(client, designer_dan), "drafts")
    changes, rest = drafts.split("Drafts <span", 1)
    assert "Changes requested" in changes and "Exit tickets" in changes
    assert f'href="{reverse("studio:credential", args=[sent_back.pk])}"' in changes
    assert "Number talks" in rest


def test_the_school_leader_sees_staff_with_a_not_yet_or_stalled_work(
    client, world, routed, issuer_carla, principal_dee
):
    decide(routed.submission, issuer_carla, "not_yet", {"Section 2"})
    stalled_credential = published(world, "Number talks")
    stalled = started_attempt(world.north.people[Role.EDUCATOR], stalled_credential)
    fresh = started_attempt(world.north.people[Role.EDUCATOR], published(world, "Fresh start"))
    Attempt.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(days=40))
    staff = section(home(client, principal_dee), "staff")
    assert "Riverbend Educator: Exit tickets" in staff and "“Not yet”" in staff
    assert "Riverbend Educator: Number talks" in staff and "No activity for 40 days" in staff
    assert "Fresh start" not in staff  # worked on today: nothing to worry about
    assert f'href="{stalled.get_absolute_url()}"' in staff
    assert fresh.version.title not in staff


def test_a_person_with_two_roles_sees_both_sections(client, world, routed):
    both = member(world.north.school, Role.EDUCATOR, full_name="Two Hats")
    Membership.objects.create(user=both, organization=world.north.organization, role=Role.ASSESSOR)
    Review.objects.filter(pk=routed.pk).update(assessor=both)
    started_attempt(both, published(world, "Number talks"))
    page = home(client, both)
    assert "Number talks" in section(page, "attempts")
    assert "Exit tickets" in section(page, "queue")


def test_a_count_beyond_a_hundred_reads_100_plus(client, designer_dan, north):
    for i in range(101):
        credential = Credential.objects.create(organization=north, slug=f"draft-{i}")
        CredentialVersion.objects.create(credential=credential, number=1, title=f"Draft {i}")
    drafts = section(home(client, designer_dan), "drafts")
    assert '<span class="count">100+</span>' in drafts  # the section's figure
    assert "Drafts <span" in drafts and "100+</span></h3>" in drafts  # and the group's
    assert drafts.count('class="todo"') == 5  # five rows; the studio lists them all


EMPTY = {
    Role.EDUCATOR: ("attempts", "Nothing waits for you"),
    Role.ASSESSOR: ("queue", "No review waits for you"),
    Role.ISSUER: ("decisions", "No decision waits for you"),
    Role.ADMIN: ("program", "Every hand-in has its assessors, and no review is overdue"),
    Role.REVIEWER: ("design_reviews", "No credential waits for your review board"),
    Role.DESIGNER: ("drafts", "No draft waits for you"),
    Role.LEADER: ("staff", "None of your staff needs you right now"),
}


@pytest.mark.parametrize("role", list(EMPTY), ids=lambda r: r.value)
def test_an_empty_section_says_nothing_waits_rather_than_vanish(client, world, role):
    page = home(client, world.north.people[role])
    key, sentence = EMPTY[role]
    assert sentence in section(page, key)
    others = [k for r, (k, _) in EMPTY.items() if r != role and k != "staff"]
    assert not any(section(page, k) for k in others)


def test_another_organizations_work_never_appears(client, world, routed, issuer_carla):
    """Lakeshore's hand-ins, drafts and staff in every state a Riverbend home lists."""
    south = world.south.people
    lake = published_credential(
        south[Role.DESIGNER], south[Role.REVIEWER], world.south.organization, title="Lake talk"
    )
    pool(world.south.organization, lake, [south[Role.ASSESSOR]])
    reviewed = submitted_attempt(south[Role.EDUCATOR], lake)
    submit_review(reviewed.reviews.get())
    other = published_credential(
        south[Role.DESIGNER], south[Role.REVIEWER], world.south.organization, title="Lake notes"
    )
    pool(world.south.organization, other, [south[Role.ASSESSOR]])
    decide(
        submitted_attempt(south[Role.EDUCATOR], other), south[Role.ISSUER], "not_yet", {"Section 1"}
    )
    unassigned = published_credential(
        south[Role.DESIGNER], south[Role.REVIEWER], world.south.organization, title="Lake solo"
    )
    submitted_attempt(south[Role.EDUCATOR], unassigned)
    in_review_credential(south[Role.DESIGNER], world.south.organization, title="Lake draft")
    draft_credential(south[Role.DESIGNER], world.south.organization, title="Lake sketch")
    for role in (Role.ISSUER, Role.ADMIN, Role.REVIEWER, Role.DESIGNER, Role.LEADER, Role.ASSESSOR):
        page = home(client, world.north.people[role])
        assert "Lake " not in page, role


# ----------------------------------------------------------------------------- queries

_n = count()


def grow(world, n: int) -> None:
    """n more of everything a Riverbend home lists, written straight to the tables: versions
    published, in review, sent back and drafted; attempts of every state the educator's and
    the leader's homes list; hand-ins reviewed, with overdue and unassigned reviews."""
    north = world.north
    people = north.people
    school = north.school
    now = timezone.now()

    def version(i: int, state: str) -> CredentialVersion:
        credential = Credential.objects.create(
            organization=north.organization, slug=f"grown-{next(_n)}"
        )
        made = CredentialVersion.objects.create(
            credential=credential, number=1, state=state, title=f"Grown {i}", submitted_at=now
        )
        if state == "published":
            Credential.objects.filter(pk=credential.pk).update(current_version=made)
            made.audiences.set([audience("teacher")])
        return made

    for _ in range(n):
        i = next(_n)
        for state in ("in_review", "changes_requested", "draft"):
            version(i, state)
        version(i, "published")  # a recommendation
        for state in ("not_yet", "started", "submitted", "earned"):
            v = version(i, "published")
            for educator in (people[Role.EDUCATOR], member(school, Role.EDUCATOR)):
                attempt = Attempt.objects.create(
                    educator=educator, version=v, organization=school, state=state
                )
                Attempt.objects.filter(pk=attempt.pk).update(updated_at=now - timedelta(days=60))
                submission = Submission.objects.create(attempt=attempt, number=1, state="reviewed")
                Review.objects.create(
                    submission=submission,
                    assessor=people[Role.ASSESSOR],
                    due_at=now - timedelta(days=1),
                )
                Review.objects.create(
                    submission=submission, assessor=None, state="unassigned", due_at=now
                )


def queries(client, user: User) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


MAX_QUERIES = 12


@pytest.mark.parametrize("role", [*EMPTY, Role.COACH], ids=lambda r: r.value)
def test_the_home_reads_the_same_number_of_queries_with_n_and_3n_items(client, world, role):
    person = world.north.people[role]
    grow(world, 4)
    few = queries(client, person)
    grow(world, 8)
    assert queries(client, person) == few
    assert few <= MAX_QUERIES


def test_a_person_with_every_role_reads_a_bounded_number_of_queries(client, world):
    everything = member(world.north.school, Role.EDUCATOR, full_name="Every Hat")
    for role in (Role.ASSESSOR, Role.ISSUER, Role.ADMIN, Role.REVIEWER, Role.DESIGNER):
        Membership.objects.create(user=everything, organization=world.north.organization, role=role)
    Membership.objects.create(user=everything, organization=world.north.school, role=Role.LEADER)
    grow(world, 3)
    few = queries(client, everything)
    grow(world, 6)
    assert queries(client, everything) == few
    assert few <= 32  # the staff section reads the oldest few of each kind, then those rows
