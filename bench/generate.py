"""Generate a state-sized installation for the benchmarks.

    python -m bench.generate --scale state      # 1 state, 100 districts, 2,000 schools,
                                                # 400,000 educators, 500 credentials
    python -m bench.generate --scale small      # the same shape, 100 times smaller

Uses DATABASE_URL like the application (PostgreSQL for the real figures). Credentials are
complete, with all six parts, so the pages render what a real catalog holds. Staff: per
district a designer, a review board member, a program admin, an issuer and four assessors;
per school a school leader and a coach; a state program admin. Every attempt is handed in at
least once, with its evidence; submitted reviews carry their section scores; one hand-in in
ten is double-scored (one in fifty of those adjudicated); a quarter of rejected hand-ins are
appealed; awards store the results the grading rule gives them (checked against
`assessment.rules` on a sample); coaches comment on a quarter of attempts; educators and
assessors have their notices.

On PostgreSQL the rows are written with binary COPY in one transaction, with the tables'
secondary indexes and constraints dropped and made again after the load (one sort per index,
one join per foreign key, instead of work for every row). Running it again on a database
that already has the data does nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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


JSONB_OID = 3802


def copy_rows(
    model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = 50_000
) -> int:
    """Insert rows with PostgreSQL COPY (bulk_create on other databases). Returns the count."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    table = model._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            buffer: list[Sequence[Any]] = []
            names = ", ".join(columns)
            # Binary COPY: the server reads values as they are stored instead of parsing text.
            cursor.execute(f"SELECT {names} FROM {table} LIMIT 0")  # noqa: S608 - model names
            types = [column.type_code for column in cursor.cursor.description]
            # A JSON column's Python value is dumped as JSON, not as a string holding JSON.
            json_at = {i for i, oid in enumerate(types) if oid == JSONB_OID}

            def flush() -> None:
                with cursor.cursor.copy(
                    f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)"
                ) as copy:
                    copy.set_types(types)
                    for row in buffer:
                        if json_at:
                            row = [Jsonb(v) if i in json_at else v for i, v in enumerate(row)]
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
    # The times given, not the time of the insert (as COPY writes them): auto_now and
    # auto_now_add are set aside while these rows are created.
    stamped = [
        (f, f.auto_now, f.auto_now_add)
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for f, _, _ in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        model.objects.bulk_create(objects, batch_size=2000)
    finally:
        for f, now, now_add in stamped:
            f.auto_now, f.auto_now_add = now, now_add
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

        # Staff: per district one person per role that runs the program (four assessors);
        # per school a school leader and a coach; a state-level program admin.
        password = make_password(None)  # unusable: benchmark people never sign in
        district_roles = [
            (Role.DESIGNER, ""),
            (Role.REVIEWER, ""),
            (Role.ADMIN, ""),
            (Role.ISSUER, ""),
            *((Role.ASSESSOR, "" if k == 0 else str(k + 1)) for k in range(ASSESSORS_PER_DISTRICT)),
        ]
        placed = [
            (district, role, f"{role.value}{suffix}@{district.slug}.example", str(role.label))
            for district in districts
            for role, suffix in district_roles
        ]
        placed += [
            (school, role, f"{role.value}@{school.slug}.example", str(role.label))
            for school in schools
            for role in (Role.LEADER, Role.COACH)
        ]
        placed.append((state, Role.ADMIN, f"admin@{state.slug}.example", "State program admin"))
        staff = User.objects.bulk_create(
            User(email=email, full_name=f"{label} {organization.slug}", password=password)
            for organization, _, email, label in placed
        )
        Membership.objects.bulk_create(
            Membership(user=user, organization=organization, role=role)
            for user, (organization, role, _, _) in zip(staff, placed, strict=True)
        )
        people: dict[str, Any] = {"assessors": {}, "issuers": {}, "coaches": {}}
        district_index = {district.pk: d for d, district in enumerate(districts)}
        school_index = {school.pk: s for s, school in enumerate(schools)}
        for user, (organization, role, _, _) in zip(staff, placed, strict=True):
            if role == Role.ASSESSOR:
                people["assessors"].setdefault(district_index[organization.pk], []).append(user)
            elif role == Role.ISSUER:
                people["issuers"][district_index[organization.pk]] = user
            elif role == Role.COACH:
                people["coaches"][school_index[organization.pk]] = user
        step(f"{len(staff):,} district, school and state staff")

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

    # The bulk of the rows, in one transaction, with the tables' indexes and constraints
    # (but their primary keys) made again once the rows are in: building an index from
    # sorted rows and checking a foreign key with one join are far faster than doing it for
    # each row, and the checks all still run before the commit.
    from microcred.assessment import models as a
    from microcred.core.models import Notification
    from microcred.earning import models as e

    bulk = [User, Membership, e.Attempt, e.Evidence, e.Submission, e.Comment, a.Review]
    bulk += [a.SectionScore, a.Decision, a.Appeal, a.Award, a.AwardResult, Notification]
    with transaction.atomic(), without_indexes(bulk, step):
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
        generate_earning(scale, districts, schools, people, first_user_id, step)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        step("statistics gathered (ANALYZE)")
    step(f"{check_award_results():,} awards' results checked against the grading rule")
    from microcred.assessment.services import agreement_tallies_rebuild

    step(f"{agreement_tallies_rebuild():,} double-scored hand-ins counted for calibration")
    step("done")


@contextmanager
def without_indexes(models: Sequence[Any], step: Any) -> Iterator[None]:
    """On PostgreSQL, drop the tables' indexes and constraints other than primary keys and
    checks, and make them again afterwards (foreign keys validated by one query each).
    Elsewhere, nothing."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
            ORDER BY c.contype DESC
            """,
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        # Checks still waiting for the commit (when an outer transaction wrote these tables)
        # would stop the ALTER TABLE: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    step("rows loaded; making indexes and checking constraints again")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)
        step(f"{len(indexes)} indexes made")
        # Unique constraints first: a foreign key may need its target's unique index.
        for table, name, definition, _ in sorted(constraints, key=lambda c: c[3] != "u"):
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        step(f"{len(constraints)} unique and foreign key constraints made and checked")


# How attempts end, by attempt number modulo 100 (the rest are earned).
FINAL_STATES = [
    (62, "earned"),
    (72, "not_yet"),
    (74, "rejected"),
    (80, "in_review"),
    (86, "submitted"),
]
ASSESSORS_PER_DISTRICT = 4
CHUNK = 50_000  # attempts whose rows are built and loaded together
SCORED = "Scored against the rubric."
EVIDENCE_FILES = {
    "document": ("lesson-plan.pdf", "application/pdf", 180_000),
    "video": ("lesson.mp4", "video/mp4", 412_000_000),
    "student_work": ("student-work.jpg", "image/jpeg", 2_400_000),
}


def _final_state(n: int) -> str:
    share = n % 100
    return next((state for limit, state in FINAL_STATES if share < limit), "earned")


@dataclass
class Rubric:
    """What one credential version's hand-ins are scored and evidenced against."""

    sections: list[tuple[int, int, list[int]]]  # section id, position, level ids by position
    requirements: list[tuple[int, str]]  # requirement id, kind


@dataclass
class Ids:
    """The next id of each table the bulk load writes (ids are given, not drawn)."""

    following: dict[Any, int]

    def take(self, model: Any) -> int:
        value = self.following[model]
        self.following[model] = value + 1
        return value


class Rows:
    """The rows of one chunk of attempts, per table, in the order they are loaded."""

    def __init__(self, order: Sequence[tuple[Any, Sequence[str]]]) -> None:
        self.order = order
        self.by_table: dict[Any, list[tuple[Any, ...]]] = {key: [] for key, _ in order}

    def add(self, key: Any, *row: Any) -> None:
        self.by_table[key].append(row)

    def load(self) -> dict[Any, int]:
        counts = {}
        for key, columns in self.order:
            model = key[0] if isinstance(key, tuple) else key
            counts[key] = copy_rows(model, columns, self.by_table[key])
        return counts


def generate_earning(
    scale: Scale,
    districts: list[Any],
    schools: list[Any],
    people: dict[str, Any],
    first_user_id: int,
    step: Any,
) -> None:
    """The earning history of every attempt, built a chunk of attempts at a time in one pass
    and loaded with COPY: attempts, evidence, hand-ins, reviews with their section scores
    (one hand-in in ten double-scored, one in fifty of those adjudicated), decisions,
    appeals (a quarter of the rejected hand-ins; those of the last three weeks still open), awards with their
    results, the coach's comments with replies, and notices for educators and assessors."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from microcred.assessment.models import (
        Appeal,
        AssessorPool,
        Award,
        AwardResult,
        Decision,
        PoolMember,
        Review,
        SectionScore,
    )
    from microcred.catalog.models import Credential
    from microcred.core.models import Notification
    from microcred.core.notify import Verb
    from microcred.earning.models import Attempt, Comment, Evidence, Submission

    now = timezone.now()
    assessors = people["assessors"]  # district index -> [user, ...]
    issuers = people["issuers"]
    coaches = people["coaches"]  # school index -> user
    pools = AssessorPool.objects.bulk_create(
        AssessorPool(organization=district, name=f"{district.name} assessors", double_scoring=True)
        for district in districts
    )
    PoolMember.objects.bulk_create(
        PoolMember(pool=pool, assessor=assessor)
        for d, pool in enumerate(pools)
        for assessor in assessors[d]
    )
    # The versions each district owns (credential n belongs to owners[n % (districts + 1)]).
    owned: dict[int, list[int]] = {}
    district_index = {district.pk: d for d, district in enumerate(districts)}
    for organization_id, version_id in Credential.objects.filter(
        slug__startswith="bench-", organization_id__in=district_index
    ).values_list("organization_id", "current_version_id"):
        owned.setdefault(district_index[organization_id], []).append(version_id)
    per_educator = -(-scale.attempts // scale.educators)
    assert per_educator <= min(len(v) for v in owned.values()), "not enough credentials"
    rubrics = _rubrics([v for versions in owned.values() for v in versions])

    ids = Ids(
        {
            model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            for model in (Attempt, Submission, Review, Decision, Appeal, Award, Comment)
        }
    )
    schools_per_district = len(schools) // len(districts)
    attempt_url = reverse("earning:attempt", args=["00000000-0000-0000-0000-000000000000"])
    review_url = reverse("assessment:review", args=["00000000-0000-0000-0000-000000000000"])
    blank = "00000000-0000-0000-0000-000000000000"

    order: list[tuple[Any, Sequence[str]]] = [
        (
            Attempt,
            (
                "id", "public_id", "educator_id", "version_id", "organization_id", "state",
                "pre_reflection_done_at", "started_at", "updated_at", "submitted_at",
                "closed_at", "withdrawn_reason", "revoked_reason", "resubmit_limit",
            ),
        ),
        (
            Evidence,
            (
                "public_id", "attempt_id", "requirement_id", "file", "file_name",
                "content_type", "size", "text", "caption", "consent_attested", "created_at",
                "removed_at",
            ),
        ),
        (
            Submission,
            ("id", "attempt_id", "number", "state", "reflections", "note", "submitted_at",
             "updated_at"),
        ),
        (
            Review,
            (
                "id", "public_id", "submission_id", "assessor_id", "pool_id", "kind", "state",
                "assigned_at", "due_at", "recommendation", "summary", "submitted_at",
                "closed_reason", "updated_at",
            ),
        ),
        (SectionScore, ("review_id", "section_id", "level_id", "feedback")),
        (
            Decision,
            ("id", "submission_id", "outcome", "reason", "decided_by_id", "automatic",
             "appeal_id", "decided_at"),
        ),
        (
            Appeal,
            ("id", "decision_id", "reason", "state", "created_by_id", "created_at", "reviewed_at"),
        ),
        (
            (Decision, "answers"),
            ("id", "submission_id", "outcome", "reason", "decided_by_id", "automatic",
             "appeal_id", "decided_at"),
        ),
        (Award, ("id", "public_id", "attempt_id", "decision_id", "awarded_at")),
        (AwardResult, ("award_id", "section_id", "level_id", "review_id", "carried_over")),
        (Comment, ("id", "attempt_id", "author_id", "parent_id", "body", "created_at")),
        ((Comment, "replies"), ("id", "attempt_id", "author_id", "parent_id", "body", "created_at")),
        (
            Notification,
            ("user_id", "verb", "text", "url", "subject", "created_at", "read_at",
             "resolved_at"),
        ),
    ]  # fmt: skip

    def scores(rows: Rows, review_id: int, rubric: Rubric, recommendation: str) -> list[Any]:
        """Every section scored: an "award" reaches Proficient or Exemplary everywhere; a
        "not yet" misses one section."""
        scored = []
        for section_id, position, levels in rubric.sections:
            if recommendation == "award":
                level = 1 + (review_id + position) % 2
            else:
                level = 0 if position == review_id % len(rubric.sections) else 1
            rows.add(SectionScore, review_id, section_id, levels[level], SCORED)
            scored.append((section_id, levels[level]))
        return scored

    def build(rows: Rows, n: int) -> None:
        educator = n % scale.educators
        school = educator % len(schools)
        d = school // schools_per_district
        version = owned[d][(n // scale.educators) % len(owned[d])]
        rubric = rubrics[version]
        # What happens to the attempt is drawn from `m`, not `n`: n fixes the school (n modulo
        # the schools), so choosing by n would give each school, and each district, only
        # some outcomes; and an educator's attempts (n apart by the educators) differ too.
        m = n + n // len(schools) + n // scale.educators * 37
        final = _final_state(m)
        started = now - timedelta(days=30 + n % 300)
        attempt_id = ids.take(Attempt)
        public_id = uuid.uuid4()
        educator_id = first_user_id + educator
        first = 2 if n < scale.resubmitted else 1  # the last hand-in's number
        rows.add(
            Attempt,
            attempt_id,
            public_id,
            educator_id,
            version,
            schools[school].pk,
            final,
            started,
            started,
            now - timedelta(days=n % 20),
            started + timedelta(days=10 * first),
            started + timedelta(days=10 * first + 12) if final in ("earned", "rejected") else None,
            "",
            "",
            2 if final == "not_yet" else None,  # the terms a "not yet" leaves on the attempt
        )
        url = attempt_url.replace(blank, str(public_id))
        for requirement_id, kind in rubric.requirements:
            name, content_type, size = EVIDENCE_FILES.get(kind, ("work.pdf", "application/pdf", 1))
            rows.add(
                Evidence, uuid.uuid4(), attempt_id, requirement_id, f"evidence/bench/{n}/{name}",
                name, content_type, size, "", "", kind == "video", started + timedelta(days=3),
                None,
            )  # fmt: skip
            if first == 2 and requirement_id == rubric.requirements[0][0]:
                rows.add(
                    Evidence, uuid.uuid4(), attempt_id, requirement_id,
                    f"evidence/bench/{n}/old-{name}", f"old-{name}", content_type, size, "", "",
                    False, started + timedelta(days=1), started + timedelta(days=15),
                )  # fmt: skip
        people_of_district = assessors[d]
        primary = people_of_district[m % len(people_of_district)]
        for number in range(1, first + 1):
            last = number == first
            if last:
                outcome = {"earned": "award", "rejected": "reject", "not_yet": "not_yet"}.get(final)
            else:
                outcome = "not_yet"
            open_ = outcome is None
            submitted_at = started + timedelta(days=10 * number)
            submission_id = ids.take(Submission)
            rows.add(
                Submission, submission_id, attempt_id, number,
                "decided" if not open_ else final, [], "", submitted_at, submitted_at,
            )  # fmt: skip
            recommendation = "award" if outcome == "award" else "not_yet"
            kinds = [("primary", primary)]
            if m % 10 == 3:
                kinds.append(("second", people_of_district[(m + 1) % len(people_of_district)]))
                if m % 50 == 3 and not open_:
                    kinds.append(
                        ("adjudication", people_of_district[(m + 2) % len(people_of_district)])
                    )
            decisive = None
            for kind, assessor in kinds:
                review_id = ids.take(Review)
                state = (
                    "submitted"
                    if not open_
                    else "draft"
                    if final == "in_review" and kind == "primary"
                    else "assigned"
                )
                reviewed_at = submitted_at + timedelta(days=5) if state == "submitted" else None
                rows.add(
                    Review, review_id, uuid.uuid4(), submission_id, assessor.pk, pools[d].pk,
                    kind, state, submitted_at, submitted_at + timedelta(days=14),
                    recommendation if state == "submitted" else "",
                    SCORED if state == "submitted" else "", reviewed_at, "", now,
                )  # fmt: skip
                rows.add(
                    Notification, assessor.pk, Verb.REVIEW_ASSIGNED.value,
                    "A hand-in is waiting for your review.",
                    review_url.replace(blank, str(rows.by_table[Review][-1][1])),
                    f"assessment.review:{review_id}", submitted_at,
                    reviewed_at, reviewed_at,
                )  # fmt: skip
                if state == "submitted":
                    scored = scores(rows, review_id, rubric, recommendation)
                    if kind in ("primary", "adjudication"):
                        decisive = (review_id, scored)
            if open_:
                continue
            decided_at = submitted_at + timedelta(days=12)
            decision_id = ids.take(Decision)
            rows.add(
                Decision, decision_id, submission_id, outcome, "", issuers[d].pk, False, None,
                decided_at,
            )  # fmt: skip
            latest_unread = last and m % 3 == 0
            rows.add(
                Notification, educator_id, Verb.SUBMISSION_DECIDED.value,
                "Your hand-in was decided.", url, "", decided_at,
                None if latest_unread else decided_at + timedelta(days=1), None,
            )  # fmt: skip
            if outcome == "reject" and m % 4 == 0:
                appeal_id = ids.take(Appeal)
                appealed_at = decided_at + timedelta(days=2)
                stage = appeal_stage(now - appealed_at)
                reviewed = stage != "assigned"
                reviewed_at = appealed_at + timedelta(days=4) if reviewed else None
                rows.add(
                    Appeal, appeal_id, decision_id, "The evidence was misread.",
                    "decided" if stage == "answered" else "open", educator_id, appealed_at,
                    reviewed_at,
                )  # fmt: skip
                appeal_review = ids.take(Review)
                assessor = people_of_district[(m + 3) % len(people_of_district)]
                rows.add(
                    Review, appeal_review, uuid.uuid4(), submission_id, assessor.pk, pools[d].pk,
                    "appeal", "submitted" if reviewed else "assigned", appealed_at,
                    appealed_at + timedelta(days=14), "not_yet" if reviewed else "",
                    SCORED if reviewed else "", reviewed_at, "", now,
                )  # fmt: skip
                if reviewed:
                    scores(rows, appeal_review, rubric, "not_yet")
                if stage == "answered":
                    rows.add(
                        (Decision, "answers"), ids.take(Decision), submission_id, "reject",
                        "Upheld on appeal.", issuers[d].pk, False, appeal_id,
                        appealed_at + timedelta(days=6),
                    )  # fmt: skip
            if outcome == "award" and decisive is not None:
                award_id = ids.take(Award)
                rows.add(Award, award_id, uuid.uuid4(), attempt_id, decision_id, decided_at)
                review_id, scored = decisive
                for section_id, level_id in scored:
                    rows.add(AwardResult, award_id, section_id, level_id, review_id, False)
        if m % 4 == 1:
            comment_id = ids.take(Comment)
            commented_at = started + timedelta(days=4)
            rows.add(
                Comment, comment_id, attempt_id, coaches[school].pk, None,
                "Your lesson plan names the practice clearly; show its effect on students too.",
                commented_at,
            )  # fmt: skip
            rows.add(
                Notification, educator_id, Verb.ATTEMPT_COMMENTED.value,
                "Your coach commented on your attempt.", url, "", commented_at,
                commented_at + timedelta(hours=3), None,
            )  # fmt: skip
            if m % 8 == 1:
                rows.add(
                    (Comment, "replies"), ids.take(Comment), attempt_id, educator_id, comment_id,
                    "Thank you, I will add the exit tickets.", commented_at + timedelta(days=1),
                )  # fmt: skip

    totals: dict[Any, int] = {}
    for begin in range(0, scale.attempts, CHUNK):
        rows = Rows(order)
        for n in range(begin, min(begin + CHUNK, scale.attempts)):
            build(rows, n)
        for key, count in rows.load().items():
            totals[key] = totals.get(key, 0) + count
        step(f"attempts {begin + 1:,}-{min(begin + CHUNK, scale.attempts):,} loaded")
    for model in (Attempt, Submission, Review, Decision, Appeal, Award, Comment):
        _reset_sequence(model)
    names = {
        Attempt: "attempts", Evidence: "evidence files", Submission: "hand-ins",
        Review: "reviews", SectionScore: "section scores", Decision: "decisions",
        Appeal: "appeals", (Decision, "answers"): "decisions on appeal", Award: "awards",
        AwardResult: "award results", Comment: "comments", (Comment, "replies"): "replies",
        Notification: "notices",
    }  # fmt: skip
    step(", ".join(f"{totals[key]:,} {name}" for key, name in names.items()))


def appeal_stage(age: Any) -> str:
    """Where an appeal filed `age` ago stands, as in a running program: one of the last two
    weeks is still with its assessor ("assigned"), one of the week before waits for the
    issuer's final decision, its review in ("reviewed"), older ones are "answered"."""
    from datetime import timedelta

    if age < timedelta(days=14):
        return "assigned"
    return "reviewed" if age < timedelta(days=21) else "answered"


def _rubrics(version_ids: list[int]) -> dict[int, Rubric]:
    """The sections (with level ids by position) and evidence requirements of each version."""
    from microcred.catalog.models import EvidenceRequirement, PerformanceLevel

    rubrics: dict[int, Rubric] = {v: Rubric([], []) for v in version_ids}
    levels: dict[tuple[int, int, int], list[int]] = {}
    for version_id, section_id, position, level_id in (
        PerformanceLevel.objects.filter(section__version_id__in=version_ids)
        .order_by("section__version_id", "section__position", "position")
        .values_list("section__version_id", "section_id", "section__position", "pk")
    ):
        levels.setdefault((version_id, section_id, position), []).append(level_id)
    for (version_id, section_id, position), ids in levels.items():
        rubrics[version_id].sections.append((section_id, position, ids))
    for version_id, requirement_id, kind in (
        EvidenceRequirement.objects.filter(version_id__in=version_ids)
        .order_by("version_id", "position")
        .values_list("version_id", "pk", "kind")
    ):
        rubrics[version_id].requirements.append((requirement_id, kind))
    return rubrics


def check_award_results(sample: int = 400) -> int:
    """The stored results of a sample of awards (every adjudicated one among the first, and
    the rest spread over all) are what the grading rule (`assessment.rules`) gives: the
    generator writes them without running the rule, so it checks itself against it."""
    from microcred.assessment import rules
    from microcred.assessment.models import Award, AwardResult

    count = Award.objects.count()
    stride = max(1, count // sample)
    ids = list(Award.objects.order_by("pk").values_list("pk", flat=True)[::stride][:sample])
    ids += list(
        Award.objects.filter(decision__submission__reviews__kind="adjudication")
        .order_by("pk")
        .values_list("pk", flat=True)[:50]
    )
    awards = list(Award.objects.filter(pk__in=ids).select_related("decision__submission"))
    expected = sorted(
        (r.award_id, r.section_id, r.level_id, r.review_id, r.carried_over)
        for r in rules.award_results(awards)
    )
    stored = sorted(
        AwardResult.objects.filter(award_id__in=ids).values_list(
            "award_id", "section_id", "level_id", "review_id", "carried_over"
        )
    )
    if expected != stored:
        raise SystemExit("generated award results differ from the grading rule's")
    return len(awards)


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
