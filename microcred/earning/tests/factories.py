"""Builders for attempts in each state, through the real services, and small real files."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.catalog import rules
from microcred.catalog import services as catalog_services
from microcred.catalog.models import Credential, EvidenceKind
from microcred.catalog.tests.factories import approve_answers, draft_credential, tie_sections
from microcred.core.models import Organization, User
from microcred.earning import services
from microcred.earning.models import Attempt, Submission

# The first bytes of real files: enough for the type to be read from them.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + bytes(2048)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(256)


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def earnable_credential(
    designer: User,
    reviewer: User,
    organization: Organization,
    *,
    title: str = "Exit tickets",
    visibility: str = "public",
    ties: dict[str, list[str]] | None = None,
) -> Credential:
    """A published credential asking for a classroom video (consent required), a PDF
    lesson plan and a short written answer; three rubric sections, each judged on all the
    evidence unless `ties` names the requirements a section is judged on."""
    credential = draft_credential(designer, organization, title=title, visibility=visibility)
    version = credential.versions.get()
    catalog_services.draft_set_evidence(
        actor=designer,
        version=version,
        requirements=[
            rules.EvidenceInput(
                title="Classroom video",
                kind=EvidenceKind.VIDEO,
                description="Ten minutes of the lesson where students answer the exit ticket.",
                min_count=1,
                max_count=1,
                max_minutes=10,
                consent_required=True,
            ),
            rules.EvidenceInput(
                title="Lesson plan",
                kind=EvidenceKind.DOCUMENT,
                description="The plan of the lesson, with the exit ticket.",
                min_count=1,
                max_count=2,
            ),
            rules.EvidenceInput(
                title="What you changed",
                kind=EvidenceKind.WRITTEN,
                description="What you did the next day because of the tickets.",
                max_words=300,
            ),
        ],
    )
    if ties:
        tie_sections(designer, version, ties)
    catalog_services.version_submit_for_review(actor=designer, version=version)
    catalog_services.version_review(
        actor=reviewer, version=version, approve=True, summary="", answers=approve_answers()
    )
    credential.refresh_from_db()
    return credential


def started_attempt(educator: User, credential: Credential, *, reflected: bool = True) -> Attempt:
    attempt = services.attempt_start(actor=educator, credential=credential)
    if reflected:
        answers = {
            p.pk: "I check understanding with thumbs up; I rarely change the next lesson."
            for p in attempt.version.prompts.filter(phase="pre")
        }
        attempt = services.pre_reflection_complete(actor=educator, attempt=attempt, answers=answers)
    return attempt


def ready_attempt(educator: User, credential: Credential) -> Attempt:
    """Every requirement met and the post-reflection written: ready to submit."""
    attempt = started_attempt(educator, credential)
    for requirement in attempt.version.evidence_requirements.all():
        if requirement.kind == EvidenceKind.WRITTEN:
            services.evidence_write(
                actor=educator,
                attempt=attempt,
                requirement=requirement,
                text="I regrouped six students for a reteach station the next morning.",
            )
            continue
        samples: dict[str, tuple[bytes, str]] = {
            EvidenceKind.VIDEO: (MP4, "lesson.mp4"),
            EvidenceKind.IMAGE: (PNG, "work.png"),
        }
        content, name = samples.get(requirement.kind, (PDF, "plan.pdf"))
        for i in range(requirement.min_count):
            services.evidence_upload(
                actor=educator,
                attempt=attempt,
                requirement=requirement,
                upload=upload(f"{i}-{name}", content),
                consent=requirement.consent_required,
            )
    for prompt in attempt.version.prompts.filter(phase="post"):
        services.reflection_save(
            actor=educator,
            attempt=attempt,
            prompt=prompt,
            text="The tickets showed me who needed a reteach; I will keep them.",
        )
    attempt.refresh_from_db()
    return attempt


def submitted_attempt(educator: User, credential: Credential, *, note: str = "") -> Submission:
    attempt = ready_attempt(educator, credential)
    return services.attempt_submit(actor=educator, attempt=attempt, note=note)


def file_bytes(size: int, head: bytes = MP4) -> io.BytesIO:
    return io.BytesIO(head + bytes(max(0, size - len(head))))
