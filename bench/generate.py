"""Generate a state-sized installation for the benchmarks.

    python -m bench.generate --scale state      # 1 state, 100 districts, 2,000 schools,
                                                # 400,000 educators, 500 credentials
    python -m bench.generate --scale small      # the same shape, 100 times smaller

Uses DATABASE_URL like the application (PostgreSQL for the real figures). Rows are
written with COPY on PostgreSQL (bulk_create elsewhere); credentials are complete,
with all six parts, so the pages render what a real catalog holds; submitted reviews
carry their section scores, and awards the results the grading rule gives them. Running it again
on a database that already has the data does nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.settings")


@dataclass(frozen=True)
class Scale:
    districts: int
    schools_per_district: int
    educators: int
    credentials: int
    attempts: int  # every one handed in at least once
    resubmitted: int  # of those, handed in a second time after "not yet"


SCALES = {
    # 800,000 attempts, 200,000 of them resubmitted: 1,000,000 submissions.
    "state": Scale(
        districts=100,
        schools_per_district=20,
        educators=400_000,
        credentials=500,
        attempts=800_000,
        resubmitted=200_000,
    ),
    "small": Scale(
        districts=10,
        schools_per_district=2,
        educators=4_000,
        credentials=50,
        attempts=8_000,
        resubmitted=2_000,
    ),
}

STATE_SLUG = "bench-state"

TOPICS = [
    ("Exit tickets", "formative assessment", "checking for understanding at the end of a lesson"),
    ("Accountable talk", "classroom discourse", "student-to-student discussion with talk moves"),
    (
        "Culturally responsive routines",
        "culturally responsive teaching",
        "routines that build on students' assets",
    ),
    (
        "Observation-feedback cycles",
        "instructional leadership",
        "short observations with actionable feedback",
    ),
    ("Data team facilitation", "data-driven instruction", "protocols for looking at student work"),
    ("Running records", "early literacy", "small-group reading with running records"),
    ("Number talks", "mathematical reasoning", "mental math strategies shared aloud"),
    (
        "Claim, evidence, reasoning",
        "science writing",
        "scientific explanations built from evidence",
    ),
    ("Co-teaching models", "inclusive practice", "two teachers sharing instruction"),
    (
        "Academic language scaffolds",
        "multilingual learners",
        "language objectives and sentence frames",
    ),
    ("Restorative circles", "classroom community", "circles that repair harm and build trust"),
    (
        "Student-centered coaching",
        "instructional coaching",
        "coaching cycles anchored in student goals",
    ),
    (
        "Professional learning communities",
        "collaborative teams",
        "teams that act on common assessments",
    ),
    (
        "Project launch events",
        "project-based learning",
        "entry events that spark a driving question",
    ),
    ("Feedback that moves learning", "feedback", "timely, specific feedback on student work"),
    ("Wait time", "questioning", "pausing to deepen student responses"),
    (
        "Universal design for learning",
        "UDL",
        "options for engagement, representation and expression",
    ),
    ("Family partnerships", "family engagement", "two-way communication with families"),
    (
        "Blended learning stations",
        "educational technology",
        "station rotation with digital practice",
    ),
    (
        "Trauma-informed classrooms",
        "student well-being",
        "predictable, safe and regulated classrooms",
    ),
]
FRAMEWORKS = [
    ("InTASC", "6", "Assessment"),
    ("InTASC", "8", "Instructional strategies"),
    ("PSEL", "6", "Professional capacity of school personnel"),
    ("CASEL", "SA", "Self-awareness"),
    ("Learning Forward", "Implementation", "Implementation"),
    ("CCSS", "SL.1", "Comprehension and collaboration"),
    ("NGSS", "SEP 7", "Engaging in argument from evidence"),
    ("WIDA", "ELD 1", "Language for social and instructional purposes"),
]
SUBJECTS = [
    "all",
    "ela",
    "math",
    "science",
    "social-studies",
    "special-education",
    "multilingual",
    "leadership",
]
GRADE_BANDS = ["pk-12", "pk-2", "3-5", "6-8", "9-12", "k-5", "6-12"]
LEVELS = [
    ("Not yet", "The evidence does not yet show the practice; the feedback names the next step."),
    (
        "Proficient",
        "The evidence shows the practice in at least three lessons, with effects on students.",
    ),
    (
        "Exemplary",
        "Proficient, and the educator adapts the practice for students who need something different.",
    ),
]


def setup_django() -> None:
    import django

    django.setup()


def copy_rows(
    model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = 50_000
) -> int:
    """Insert rows with PostgreSQL COPY (bulk_create on other databases). Returns the count."""
    from django.db import connection

    table = model._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            buffer: list[Sequence[Any]] = []

            def flush() -> None:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in buffer:
                        copy.write_row(row)
                buffer.clear()

            for row in rows:
                buffer.append(row)
                count += 1
                if len(buffer) >= batch:
                    flush()
            if buffer:
                flush()
        return count
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def generate(scale: Scale, *, seed: int = 7, out: Any = sys.stdout) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from microcred.catalog import models as c
    from microcred.core.models import Membership, Organization, Role, User

    if Organization.objects.filter(slug=STATE_SLUG).exists():
        out.write("Benchmark data already present; nothing to do.\n")
        return
    rng = random.Random(seed)
    started = time.monotonic()
    now = timezone.now()

    def step(message: str) -> None:
        out.write(f"[{time.monotonic() - started:7.1f}s] {message}\n")
        out.flush()

    with transaction.atomic():
        state = Organization.objects.create(
            name="Bench State Department of Education", slug=STATE_SLUG, kind="state", path=""
        )
        state.path = f"/{state.pk}/"
        state.save(update_fields=["path"])
        districts = Organization.objects.bulk_create(
            Organization(
                name=f"Bench District {d:03d}",
                slug=f"bench-d{d:03d}",
                kind="district",
                parent=state,
                path="",
            )
            for d in range(scale.districts)
        )
        for district in districts:
            district.path = f"{state.path}{district.pk}/"
        Organization.objects.bulk_update(districts, ["path"])
        schools = Organization.objects.bulk_create(
            Organization(
                name=f"Bench School {d:03d}-{s:02d}",
                slug=f"bench-d{d:03d}-s{s:02d}",
                kind="school",
                parent=district,
                path="",
            )
            for d, district in enumerate(districts)
            for s in range(scale.schools_per_district)
        )
        for school in schools:
            school.path = f"{school.parent.path}{school.pk}/"  # type: ignore[union-attr]
        Organization.objects.bulk_update(schools, ["path"], batch_size=5000)
        step(f"{1 + len(districts) + len(schools):,} organizations")

        # Staff per district: one person per role that runs the program.
        password = make_password(None)  # unusable: benchmark people never sign in
        staff_roles = [Role.DESIGNER, Role.REVIEWER, Role.ADMIN, Role.ASSESSOR, Role.ISSUER]
        staff = User.objects.bulk_create(
            User(
                email=f"{role.value}@bench-d{d:03d}.example",
                full_name=f"{role.label} {d:03d}",
                password=password,
            )
            for d in range(scale.districts)
            for role in staff_roles
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organization=districts[i // len(staff_roles)],
                role=staff_roles[i % len(staff_roles)],
            )
            for i, user in enumerate(staff)
        )
        step(f"{len(staff):,} district staff")

        first_user_id = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        copy_rows(
            User,
            [
                "id",
                "email",
                "full_name",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
            ],
            (
                (
                    first_user_id + n,
                    f"educator{n}@bench.example",
                    f"Educator {n}",
                    password,
                    True,
                    False,
                    False,
                    now,
                )
                for n in range(scale.educators)
            ),
        )
        step(f"{scale.educators:,} educators")
        copy_rows(
            Membership,
            ["user_id", "organization_id", "role", "created_at"],
            (
                (first_user_id + n, schools[n % len(schools)].pk, Role.EDUCATOR.value, now)
                for n in range(scale.educators)
            ),
        )
        _reset_sequence(User)
        step(f"{scale.educators:,} educator memberships")

        audiences = {a.slug: a for a in c.Audience.objects.all()}
        owners = [state, *districts]
        credentials: list[c.Credential] = []
        versions: list[c.CredentialVersion] = []
        for n in range(scale.credentials):
            title, competency, method = TOPICS[n % len(TOPICS)]
            owner = owners[n % len(owners)]
            visibility = "internal" if n % 10 == 9 else "public"
            credentials.append(
                c.Credential(organization=owner, slug=f"bench-{n:04d}", visibility=visibility)
            )
            frameworks = rng.sample(FRAMEWORKS, 2)
            document = " ".join(
                [f"{title} {n}", competency, method, *(" ".join(f) for f in frameworks)]
            ).casefold()
            versions.append(
                c.CredentialVersion(
                    number=1,
                    state="published",
                    title=f"{title} {n}",
                    summary=f"Show {method} with evidence from your own classroom: plan it, do it with students, reflect.",
                    competency=f"Uses {competency} to improve student learning",
                    key_method=f"The key method is {method}.",
                    subject=SUBJECTS[n % len(SUBJECTS)],
                    grade_band=GRADE_BANDS[n % len(GRADE_BANDS)],
                    estimated_hours=Decimal(8 + n % 20),
                    credit_hours=Decimal("1.5"),
                    task_title="Three lessons",
                    task_instructions=f"Plan and teach three lessons using {method}. Collect student work each time.",
                    search_document=document,
                    published_at=now,
                )
            )
            versions[-1]._frameworks = frameworks  # type: ignore[attr-defined]
        credentials = c.Credential.objects.bulk_create(credentials)
        for credential, version in zip(credentials, versions, strict=True):
            version.credential = credential
        versions = c.CredentialVersion.objects.bulk_create(versions)
        for credential, version in zip(credentials, versions, strict=True):
            credential.current_version = version
        c.Credential.objects.bulk_update(credentials, ["current_version"])
        slugs = list(audiences)
        c.CredentialVersion.audiences.through.objects.bulk_create(
            c.CredentialVersion.audiences.through(
                credentialversion_id=v.pk, audience_id=audiences[slugs[i % 3]].pk
            )
            for i, v in enumerate(versions)
        )
        targets = c.LearningTarget.objects.bulk_create(
            c.LearningTarget(
                version=v, position=t, code=f"T{t + 1}", text=f"I can {text} ({v.title})."
            )
            for v in versions
            for t, text in enumerate(
                ["plan the practice", "use it with students", "show its effect on learning"]
            )
        )
        c.StandardAlignment.objects.bulk_create(
            c.StandardAlignment(
                version=v,
                position=i,
                framework=f[0],
                code=f[1],
                name=f[2],
                url="https://example.org/",
            )
            for v in versions
            for i, f in enumerate(v._frameworks)  # type: ignore[attr-defined]
        )
        c.Resource.objects.bulk_create(
            c.Resource(
                version=v,
                position=i,
                title=f"Reading {i + 1}",
                kind="link",
                url="https://example.org/",
                description="Why this reading helps.",
            )
            for v in versions
            for i in range(3)
        )
        c.ReflectionPrompt.objects.bulk_create(
            c.ReflectionPrompt(
                version=v, phase=phase, position=i, text=f"{phase.title()} prompt {i + 1}?"
            )
            for v in versions
            for phase in ("pre", "post")
            for i in range(2)
        )
        c.EvidenceRequirement.objects.bulk_create(
            c.EvidenceRequirement(
                version=v,
                position=i,
                title=title,
                kind=kind,
                description=f"Submit the {title.lower()}.",
                look_fors="Alignment to the targets.",
                max_minutes=15 if kind == "video" else None,
            )
            for v in versions
            for i, (title, kind) in enumerate(
                [
                    ("Lesson plan", "document"),
                    ("Classroom video", "video"),
                    ("Student work", "student_work"),
                ]
            )
        )
        sections = c.RubricSection.objects.bulk_create(
            c.RubricSection(
                version=v,
                position=s,
                name=name,
                description=f"How well the evidence shows {name.lower()}.",
            )
            for v in versions
            for s, name in enumerate(
                ["Planning", "Implementation", "Student evidence", "Reflection"]
            )
        )
        by_version: dict[int, list[c.LearningTarget]] = {}
        for t in targets:
            by_version.setdefault(t.version_id, []).append(t)
        c.RubricSection.targets.through.objects.bulk_create(
            c.RubricSection.targets.through(
                rubricsection_id=s.pk, learningtarget_id=by_version[s.version_id][s.position % 3].pk
            )
            for s in sections
        )
        levels = c.PerformanceLevel.objects.bulk_create(
            c.PerformanceLevel(section=s, position=j, name=name, descriptor=descriptor)
            for s in sections
            for j, (name, descriptor) in enumerate(LEVELS)
        )
        for s, passing in zip(sections, levels[1::3], strict=True):
            s.passing_level = passing
        c.RubricSection.objects.bulk_update(sections, ["passing_level"], batch_size=5000)
        step(f"{len(credentials):,} published credentials with all six parts")
        generate_earning(scale, districts, schools, staff, staff_roles, first_user_id, step)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    step("done")


# How attempts end, by attempt number modulo 100 (the rest are earned).
FINAL_STATES = [
    (62, "earned"),
    (72, "not_yet"),
    (74, "rejected"),
    (80, "in_review"),
    (86, "submitted"),
]


def _final_state(n: int) -> str:
    share = n % 100
    return next((state for limit, state in FINAL_STATES if share < limit), "earned")


def generate_earning(
    scale: Scale,
    districts: list[Any],
    schools: list[Any],
    staff: list[Any],
    staff_roles: list[Any],
    first_user_id: int,
    step: Any,
) -> None:
    """Attempts of educators at their own district's credentials, with submissions, one
    primary review each (open for those still being assessed), decisions and awards."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from microcred.assessment.models import (
        AssessorPool,
        Award,
        AwardResult,
        Decision,
        PoolMember,
        Review,
    )
    from microcred.catalog.models import Credential
    from microcred.core.models import Role
    from microcred.earning.models import Attempt, Submission

    now = timezone.now()
    assessors = {
        d: staff[d * len(staff_roles) + staff_roles.index(Role.ASSESSOR)]
        for d in range(len(districts))
    }
    issuers = {
        d: staff[d * len(staff_roles) + staff_roles.index(Role.ISSUER)]
        for d in range(len(districts))
    }
    pools = AssessorPool.objects.bulk_create(
        AssessorPool(organization=district, name=f"{district.name} assessors")
        for district in districts
    )
    PoolMember.objects.bulk_create(
        PoolMember(pool=pool, assessor=assessors[d]) for d, pool in enumerate(pools)
    )
    # The versions each district owns (credential n belongs to owners[n % (districts + 1)]).
    owned: dict[int, list[int]] = {}
    district_index = {district.pk: d for d, district in enumerate(districts)}
    for organization_id, version_id in Credential.objects.filter(
        slug__startswith="bench-", organization_id__in=district_index
    ).values_list("organization_id", "current_version_id"):
        owned.setdefault(district_index[organization_id], []).append(version_id)
    per_educator = -(-scale.attempts // scale.educators)

    def attempt_row(n: int) -> tuple[Any, ...]:
        educator = n % scale.educators
        school_index = educator % len(schools)
        d = school_index // (len(schools) // len(districts))
        versions = owned[d]
        version = versions[(n // scale.educators) % len(versions)]
        state = _final_state(n)
        started = now - timedelta(days=30 + n % 300)
        submitted = started + timedelta(days=10)
        return (
            first_attempt + n,
            uuid.uuid4(),
            first_user_id + educator,
            version,
            schools[school_index].pk,
            state,
            started,
            started,
            now - timedelta(days=n % 20),
            submitted,
            submitted + timedelta(days=12) if state in ("earned", "rejected") else None,
            "",
            "",
            2 if state == "not_yet" else None,  # the terms a "not yet" leaves on the attempt
        )

    assert per_educator <= min(len(v) for v in owned.values()), "not enough credentials"
    first_attempt = (Attempt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    copy_rows(
        Attempt,
        [
            "id",
            "public_id",
            "educator_id",
            "version_id",
            "organization_id",
            "state",
            "pre_reflection_done_at",
            "started_at",
            "updated_at",
            "submitted_at",
            "closed_at",
            "withdrawn_reason",
            "revoked_reason",
            "resubmit_limit",
        ],
        (attempt_row(n) for n in range(scale.attempts)),
    )
    step(f"{scale.attempts:,} attempts")

    # Submissions: attempts below `resubmitted` have a first hand-in that was "not yet".
    first_submission = (
        Submission.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    submissions: list[tuple[int, int, int, str, str]] = []  # id, attempt n, number, state, outcome
    for n in range(scale.attempts):
        final = _final_state(n)
        if n < scale.resubmitted:
            submissions.append((0, n, 1, "decided", "not_yet"))
        open_ = final in ("in_review", "submitted")
        state = "in_review" if final == "in_review" else "submitted" if open_ else "decided"
        outcome = {"earned": "award", "rejected": "reject"}.get(final, "not_yet")
        submissions.append((0, n, 2 if n < scale.resubmitted else 1, state, outcome))
    submissions = [(first_submission + i, *row[1:]) for i, row in enumerate(submissions)]
    copy_rows(
        Submission,
        [
            "id",
            "attempt_id",
            "number",
            "state",
            "reflections",
            "note",
            "submitted_at",
            "updated_at",
        ],
        (
            (sid, first_attempt + n, number, state, "[]", "", now - timedelta(days=number), now)
            for sid, n, number, state, _ in submissions
        ),
    )
    step(f"{len(submissions):,} submissions")

    def district_of(n: int) -> int:
        return (n % scale.educators % len(schools)) // (len(schools) // len(districts))

    first_review = (Review.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    copy_rows(
        Review,
        [
            "id",
            "public_id",
            "submission_id",
            "assessor_id",
            "pool_id",
            "kind",
            "state",
            "assigned_at",
            "due_at",
            "recommendation",
            "summary",
            "submitted_at",
            "closed_reason",
            "updated_at",
        ],
        (
            (
                first_review + i,
                uuid.uuid4(),
                sid,
                assessors[district_of(n)].pk,
                pools[district_of(n)].pk,
                "primary",
                "submitted"
                if state == "decided"
                else "draft"
                if state == "in_review"
                else "assigned",
                now - timedelta(days=n % 14),
                now + timedelta(days=14 - n % 21),  # some overdue
                "" if state != "decided" else ("award" if outcome == "award" else "not_yet"),
                "" if state != "decided" else "Scored against the rubric.",
                now if state == "decided" else None,
                "",
                now,
            )
            for i, (sid, n, _, state, outcome) in enumerate(submissions)
        ),
    )
    step(f"{len(submissions):,} reviews")
    step(f"{section_scores():,} section scores")

    decided = [(sid, n, outcome) for sid, n, _, state, outcome in submissions if state == "decided"]
    first_decision = (
        Decision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    copy_rows(
        Decision,
        ["id", "submission_id", "outcome", "reason", "decided_by_id", "automatic", "decided_at"],
        (
            (first_decision + i, sid, outcome, "", issuers[district_of(n)].pk, False, now)
            for i, (sid, n, outcome) in enumerate(decided)
        ),
    )
    step(f"{len(decided):,} decisions")
    awards = [
        (first_decision + i, n) for i, (_, n, outcome) in enumerate(decided) if outcome == "award"
    ]
    copy_rows(
        Award,
        ["public_id", "attempt_id", "decision_id", "awarded_at"],
        ((uuid.uuid4(), first_attempt + n, decision_id, now) for decision_id, n in awards),
    )
    for model in (Attempt, Submission, Review, Decision, Award):
        _reset_sequence(model)
    step(f"{len(awards):,} awards")
    results = copy_rows(
        AwardResult,
        ["award_id", "section_id", "level_id", "review_id", "carried_over"],
        award_result_rows(),
    )
    step(f"{results:,} award results")
    from microcred.assessment.services import agreement_tallies_rebuild

    step(f"{agreement_tallies_rebuild():,} double-scored hand-ins counted for calibration")


def section_scores() -> int:
    """Scores of every submitted review: an awarded hand-in reaches Proficient or Exemplary
    everywhere; a "not yet" one misses one section."""
    from django.db import connection

    from microcred.assessment.models import Review, SectionScore
    from microcred.catalog.models import PerformanceLevel, RubricSection
    from microcred.earning.models import Attempt, Submission

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {SectionScore._meta.db_table} (review_id, section_id, level_id, feedback)
            SELECT r.id, s.id, l.id, 'Scored against the rubric.'
            FROM {Review._meta.db_table} r
            JOIN {Submission._meta.db_table} sub ON sub.id = r.submission_id
            JOIN {Attempt._meta.db_table} a ON a.id = sub.attempt_id
            JOIN {RubricSection._meta.db_table} s ON s.version_id = a.version_id
            JOIN {PerformanceLevel._meta.db_table} l ON l.section_id = s.id AND l.position =
                CASE WHEN r.recommendation = 'award' THEN 1 + (r.id + s.position) % 2
                     WHEN s.position = r.id % 4 THEN 0 ELSE 1 END
            WHERE r.state = 'submitted'
            """  # noqa: S608 - table names from the models
        )
        return int(cursor.rowcount)


def award_result_rows(batch: int = 2_000) -> Iterator[tuple[Any, ...]]:
    """The results of every award without any, by the grading rule the decide service uses
    (`assessment.rules`), a batch of awards at a time, as rows for `copy_rows`."""
    from microcred.assessment import rules
    from microcred.assessment.models import Award

    ids = list(
        Award.objects.filter(results__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    for first in range(0, len(ids), batch):
        awards = list(
            Award.objects.filter(pk__in=ids[first : first + batch]).select_related(
                "decision__submission"
            )
        )
        for result in rules.award_results(awards):
            yield (
                result.award_id,
                result.section_id,
                result.level_id,
                result.review_id,
                result.carried_over,
            )


def _reset_sequence(model: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="state")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    setup_django()
    generate(SCALES[args.scale], seed=args.seed)


if __name__ == "__main__":
    main()
