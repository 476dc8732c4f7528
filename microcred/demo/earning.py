"""The demo's attempts, reviews and decisions, made through the real services.

Riverbend runs a pool of assessors; Ana has earned "Exit tickets", got "not yet" on one
section of "Data team meetings" (she can resubmit it) and is working on "Number talks";
Maya's "Data team meetings" (with a classroom video) and "Exit tickets" (overdue) wait in
Ben's review queue, and Theo's "Exit tickets", which Ben scored, waits for Carla's decision.
Lakeshore's Sam is starting "Accountable talk", which Lakeshore double-scores:
four of his colleagues have earned it, each hand-in scored blind by two assessors who agree
on the outcome but not always on the level, so the calibration report has figures. The evidence files are small real files in `demo/files/`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from microcred.assessment import services as assessment
from microcred.assessment.models import Award, Review
from microcred.badges import services as badges
from microcred.catalog.models import Credential, EvidenceKind
from microcred.core import services as core_services
from microcred.core.models import Organization, Role, User
from microcred.earning import services as earning
from microcred.earning.models import Attempt

FILES = Path(__file__).resolve().parent / "files"

PRE = (
    "Right now I check understanding with a show of thumbs at the end of the lesson. I rarely "
    "change the next day's plan because of it, and I am not sure it tells me who is stuck."
)
POST = (
    "The tickets showed me that a third of the class could compute but not explain. The next "
    "day I pulled six students into a small group and used two of their own answers as examples; "
    "on the following ticket five of the six explained their steps. I will keep the routine."
)


def _file(name: str, shown_as: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(shown_as or name, (FILES / name).read_bytes())


def _sample_for(kind: str, index: int) -> SimpleUploadedFile:
    if kind == EvidenceKind.VIDEO:
        return _file("classroom-clip.webm", "small-group-lesson.webm")
    if kind == EvidenceKind.IMAGE:
        return _file("student-work.png", f"anchor-chart-{index + 1}.png")
    if kind == EvidenceKind.STUDENT_WORK:
        return _file("student-work.png", f"sorted-tickets-{index + 1}.png")
    return _file("lesson-plan.pdf" if index == 0 else "meeting-notes.pdf", f"plan-{index + 1}.pdf")


def _work_on(educator: User, credential: Credential, *, complete: bool) -> Attempt:
    """Start, reflect, add evidence for every requirement (or only the first, when not
    complete) and write the post-reflection."""
    attempt = earning.attempt_start(actor=educator, credential=credential)
    answers = {p.pk: PRE for p in attempt.version.prompts.filter(phase="pre")}
    attempt = earning.pre_reflection_complete(actor=educator, attempt=attempt, answers=answers)
    for resource in attempt.version.resources.all()[:2]:
        earning.resource_tick(actor=educator, attempt=attempt, resource=resource, done=True)
    requirements = list(attempt.version.evidence_requirements.all())
    for requirement in requirements if complete else requirements[:1]:
        if requirement.kind == EvidenceKind.WRITTEN:
            earning.evidence_write(
                actor=educator,
                attempt=attempt,
                requirement=requirement,
                text=(
                    "After the first cycle I changed the ticket to one question that asks "
                    "students to explain, not just answer; sorting took five minutes."
                ),
            )
            continue
        for index in range(requirement.min_count):
            earning.evidence_upload(
                actor=educator,
                attempt=attempt,
                requirement=requirement,
                upload=_sample_for(requirement.kind, index),
                consent=True,
                caption="Faces are outside the frame; names removed.",
            )
    if complete:
        for prompt in attempt.version.prompts.filter(phase="post"):
            earning.reflection_save(actor=educator, attempt=attempt, prompt=prompt, text=POST)
    attempt.refresh_from_db()
    return attempt


def _score(assessor: User, attempt: Attempt, *, fail: int | None = None) -> Review:
    """The assessor scores every section of the latest hand-in at its passing level (one
    above it for the first), except section `fail`, which gets the level below passing."""
    submission = attempt.submissions.order_by("-number").first()
    assert submission is not None
    review = Review.objects.get(submission=submission, assessor=assessor, state="assigned")
    scores: dict[int, tuple[int | None, str]] = {}
    failed = False
    for position, section in enumerate(submission.sections.order_by("position")):
        levels = list(section.levels.order_by("position"))
        passing = next(i for i, level in enumerate(levels) if level.pk == section.passing_level_id)
        if position == fail:
            scores[section.pk] = (
                levels[max(passing - 1, 0)].pk,
                "The notes show the team reading the data, but not how it got to one "
                "student-learning problem. Add the problem statement the team wrote and the "
                "part of the meeting where it chose it.",
            )
            failed = True
        else:
            level = levels[min(passing + (1 if position == 0 else 0), len(levels) - 1)]
            scores[section.pk] = (level.pk, "Clear and specific; the student work backs it up.")
    return assessment.review_save(
        actor=assessor,
        review=review,
        scores=scores,
        recommendation="not_yet" if failed else "award",
        summary=(
            "Strong start: the meeting is well designed and the protocol is followed. One "
            "section needs evidence of how the team went from the data to a problem."
            if failed
            else "Every section meets the rubric; the reflection ties the routine to students."
        ),
        submit=True,
    )


def load(orgs: dict[str, Organization], users: dict[tuple[str, Role], User]) -> None:
    credentials = {c.slug: c for c in Credential.objects.all()}
    north_admin = users[("north", Role.ADMIN)]
    south_admin = users[("south", Role.ADMIN)]
    for organization, admin, assessor, name in (
        (orgs["north"], north_admin, users[("north", Role.ASSESSOR)], "Riverbend assessors"),
        (orgs["south"], south_admin, users[("south", Role.ASSESSOR)], "Lakeshore assessors"),
    ):
        pool = assessment.pool_create(
            actor=admin,
            organization=organization,
            credential=None,
            data=assessment.PoolSettings(name=name, turnaround_days=14, max_resubmissions=2),
        )
        assessment.pool_member_add(actor=admin, pool=pool, assessor=assessor)

    ana = users[("north-es", Role.EDUCATOR)]
    maya = users[("north-ms", Role.EDUCATOR)]
    ben = users[("north", Role.ASSESSOR)]
    carla = users[("north", Role.ISSUER)]
    carmen = users[("north-es", Role.COACH)]

    # Earned: handed in, scored, awarded.
    attempt = _work_on(ana, credentials["exit-tickets"], complete=True)
    submission = earning.attempt_submit(actor=ana, attempt=attempt, note="Grade 4, 26 students.")
    _score(ben, attempt)
    assessment.submission_decide(
        actor=carla,
        submission=submission,
        outcome="award",
        reason="Meets every section of the rubric.",
    )

    # Not yet: one section below passing; Ana can resubmit it.
    attempt = _work_on(ana, credentials["data-team-meetings"], complete=True)
    submission = earning.attempt_submit(actor=ana, attempt=attempt)
    _score(ben, attempt, fail=1)
    assessment.submission_decide(
        actor=carla,
        submission=submission,
        outcome="not_yet",
        reason="One section needs evidence of acting on the data; resubmit that section.",
    )
    earning.comment_add(
        actor=carmen,
        attempt=attempt,
        body=(
            "Let's look at your second meeting's notes together on Thursday: the problem "
            "statement your team wrote there is exactly what the assessor is asking for."
        ),
    )

    # In progress.
    _work_on(ana, credentials["number-talks"], complete=False)

    # Waiting in Ben's queue: one hand-in with classroom video, one with student work.
    for slug in ("data-team-meetings", "exit-tickets"):
        attempt = _work_on(maya, credentials[slug], complete=True)
        earning.attempt_submit(actor=maya, attempt=attempt)
    # Maya's "Exit tickets" has waited past its due date: Ben's queue and Adam's home mark it.
    Review.objects.filter(
        submission__attempt__educator=maya,
        submission__attempt__version__credential__slug="exit-tickets",
    ).update(
        assigned_at=timezone.now() - timedelta(days=16),
        due_at=timezone.now() - timedelta(days=2),
    )

    # Scored by Ben, waiting for Carla's decision.
    theo = _background_person(
        orgs["north-ms"], "theo@riverbend.example", "Theo Tran", Role.EDUCATOR
    )
    attempt = _work_on(theo, credentials["exit-tickets"], complete=True)
    earning.attempt_submit(actor=theo, attempt=attempt)
    _score(ben, attempt)

    # Lakeshore: just started.
    earning.attempt_start(
        actor=users[("south-hs", Role.EDUCATOR)], credential=credentials["accountable-talk"]
    )
    _double_scored(orgs, users, credentials["accountable-talk"])
    _badges(orgs, users, credentials)


def _badges(
    orgs: dict[str, Organization],
    users: dict[tuple[str, Role], User],
    credentials: dict[str, Credential],
) -> None:
    """Sign every award's Open Badge now (the worker would, moments later), and give the demo
    an expired badge and a revoked one."""
    # Tess earned "Exit tickets" 26 months ago; it is valid for 24 months, so it expired.
    tess = _background_person(
        orgs["north-es"], "tess@riverbend.example", "Tess Turner", Role.EDUCATOR
    )
    attempt = _work_on(tess, credentials["exit-tickets"], complete=True)
    submission = earning.attempt_submit(actor=tess, attempt=attempt)
    _score(users[("north", Role.ASSESSOR)], attempt)
    assessment.submission_decide(
        actor=users[("north", Role.ISSUER)],
        submission=submission,
        outcome="award",
        reason="Meets every section of the rubric.",
    )
    Award.objects.filter(attempt=attempt).update(awarded_at=timezone.now() - timedelta(days=790))
    for award in Award.objects.order_by("pk"):
        badges.credential_issue(award=award)
    # Lakeshore revoked one of its "Accountable talk" badges.
    max_moss = Award.objects.get(attempt__educator__email="max@lakeshore.example")
    badges.credential_revoke(
        actor=users[("south", Role.ISSUER)],
        credential=max_moss.credentials.get(),
        reason=(
            "The discussion video was recorded in a colleague's class, not yours. Hand in "
            "your own lesson to earn the badge again."
        ),
    )


# Levels above passing (0 = the passing level, 1 = one above) that Lakeshore's two assessors
# give each section of four hand-ins: the same outcome every time, not always the same level.
CALIBRATION_COHORT = [
    ("jo@lakeshore.example", "Jo Jensen", [0, 1, 0, 0], [0, 1, 0, 1]),
    ("kai@lakeshore.example", "Kai Kim", [1, 0, 0, 0], [0, 1, 0, 0]),
    ("lu@lakeshore.example", "Lu Lang", [0, 0, 1, 1], [0, 1, 1, 1]),
    ("max@lakeshore.example", "Max Moss", [1, 1, 0, 0], [1, 1, 0, 0]),
]


def _double_scored(
    orgs: dict[str, Organization], users: dict[tuple[str, Role], User], credential: Credential
) -> None:
    """A double-scoring pool with automatic decisions for "Accountable talk", and four
    hand-ins that both assessors scored."""
    admin = users[("south", Role.ADMIN)]
    omar = users[("south", Role.ASSESSOR)]
    nia = _background_person(orgs["south"], "nia@lakeshore.example", "Nia Nash", Role.ASSESSOR)
    pool = assessment.pool_create(
        actor=admin,
        organization=orgs["south"],
        credential=credential,
        data=assessment.PoolSettings(
            name="Accountable talk: double scoring",
            double_scoring=True,
            auto_decide=True,
        ),
    )
    for assessor in (omar, nia):
        assessment.pool_member_add(actor=admin, pool=pool, assessor=assessor)
    for email, name, omar_levels, nia_levels in CALIBRATION_COHORT:
        educator = _background_person(orgs["south-hs"], email, name, Role.EDUCATOR)
        attempt = _work_on(educator, credential, complete=True)
        earning.attempt_submit(actor=educator, attempt=attempt)
        for review in Review.objects.filter(submission__attempt=attempt).select_related("assessor"):
            levels = omar_levels if review.assessor == omar else nia_levels
            _score_levels(review, levels)


def _background_person(organization: Organization, email: str, name: str, role: Role) -> User:
    """Someone the demo needs for its history, who does not sign in."""
    user = User.objects.create(email=email, full_name=name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    core_services.membership_grant(actor=None, organization=organization, user=user, role=role)
    return user


def _score_levels(review: Review, above_passing: list[int]) -> Review:
    assert review.assessor is not None
    scores: dict[int, tuple[int | None, str]] = {}
    sections = review.submission.sections.order_by("position")
    for section, bump in zip(sections, above_passing, strict=True):
        levels = list(section.levels.order_by("position"))
        passing = next(i for i, level in enumerate(levels) if level.pk == section.passing_level_id)
        level = levels[min(passing + bump, len(levels) - 1)]
        scores[section.pk] = (level.pk, "Meets the rubric; the transcript shows it.")
    return assessment.review_save(
        actor=review.assessor,
        review=review,
        scores=scores,
        recommendation="award",
        summary="Students build on each other's ideas; the talk moves are visible in the clip.",
        submit=True,
    )


def summary() -> dict[str, Any]:
    return {state: Attempt.objects.filter(state=state).count() for state in Attempt.State.values}
