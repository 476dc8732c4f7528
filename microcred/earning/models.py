"""An educator's attempt at one credential version, its hand-ins and its private evidence.

An Attempt is pinned to the CredentialVersion it started on and belongs to the
educator's home organization (their school), which decides who supports and
oversees it; the credential's owner decides who assesses it. Each hand-in is a
Submission that freezes the reflections and the evidence at that moment, so the
history of a "not yet" and its resubmission stays readable. Evidence files are
never public: they are stored under random keys and served by a view that checks
permission, and every view or download is written to EvidenceAccess.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from microcred.catalog.models import (
    CredentialVersion,
    EvidenceRequirement,
    ReflectionPrompt,
    Resource,
    RubricSection,
)
from microcred.core import tenancy
from microcred.core.models import Organization


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def visible_to(self, user: Any) -> AttemptQuerySet:
        """The educator's own attempts; those of staff the user supports or oversees; those
        of credentials the user decides on or runs; those assigned to the user for review."""
        if user is None or not user.is_authenticated:
            return self.none()
        # The assigned reviews as a subquery, not a join: no duplicate rows to remove, so a
        # lookup by id reads one attempt instead of every one the condition joins.
        assigned = Submission.objects.filter(
            reviews__assessor=user.pk, reviews__state__in=("assigned", "draft", "submitted")
        ).values("attempt_id")
        return self.filter(
            Q(educator=user.pk)
            | tenancy.within(user, "earning.support")
            | tenancy.within(user, "assessment.manage", field="version__credential__organization")
            | Q(pk__in=assigned)
        )


class Attempt(models.Model):
    class State(models.TextChoices):
        STARTED = "started", "Started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        NOT_YET = "not_yet", "Not yet — resubmit"
        EARNED = "earned", "Earned"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REJECTED = "rejected", "Not awarded"

    # States in which the educator may change reflections and evidence.
    EDITABLE_STATES = (State.STARTED, State.IN_PROGRESS, State.NOT_YET)
    CLOSED_STATES = (State.EARNED, State.WITHDRAWN, State.REJECTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts"
    )
    version = models.ForeignKey(
        CredentialVersion, on_delete=models.PROTECT, related_name="attempts"
    )
    # The educator's home organization when they started: whose coaches and leaders see it.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="attempts"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.STARTED)
    pre_reflection_done_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)  # the latest hand-in
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # Where an earned attempt's award stands, copied from its current badge by the badges app
    # (through `attempt_standing_set`) whenever that badge is signed, revoked or reinstated,
    # so pages here read it without reaching up into badges (see earning.standing).
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    # The terms of a "not yet", set by the decision (`attempt_decide`): the sections the
    # resubmission covers, how many resubmissions the credential allows, and from when.
    resubmit_sections = models.ManyToManyField(RubricSection, related_name="+", blank=True)
    resubmit_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    resubmit_opens_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            # One open attempt per educator and credential version.
            models.UniqueConstraint(
                fields=["educator", "version"],
                condition=~Q(state__in=["withdrawn", "rejected"]),
                name="one_open_attempt_per_version",
            )
        ]
        indexes = [
            models.Index(fields=["educator", "-updated_at"]),
            # A district's attempts by state, oldest change first (staff progress, the home
            # page's "needs attention": a "not yet", or no activity for a month).
            models.Index(fields=["organization", "state", "updated_at"]),
            # Staff progress of a whole state: the latest changes first, read in order.
            models.Index(fields=["-updated_at", "-id"], name="attempt_latest"),
            # Staff progress of one school: its latest changes first, without walking the
            # state's (the index above serves a district or a state, this one a school).
            models.Index(fields=["organization", "-updated_at", "-id"], name="attempt_org_latest"),
            # The attempts of a credential still being assessed: where the program admin's and
            # the issuer's lists start, without reading the version's closed attempts.
            models.Index(
                fields=["version"],
                condition=Q(state__in=("submitted", "in_review")),
                name="attempt_handled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.educator} — {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("earning:attempt", args=[self.public_id])

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def task_unlocked(self) -> bool:
        return self.pre_reflection_done_at is not None


class ReflectionAnswer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(ReflectionPrompt, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "prompt"], name="one_answer_per_prompt")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ResourceProgress(models.Model):
    """A resource the educator has ticked as done."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="resource_ticks")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "resource"], name="one_tick_per_resource")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} done"


# Reviews whose assessor may read the hand-in (the same states as AttemptQuerySet's).
READING_REVIEW_STATES = ("assigned", "draft", "submitted")


def handed_in_to(user: Any) -> Q:
    """Submissions whose evidence `user` reads as an assessor or issuer: those of credentials
    the user decides on or runs, and those the user is assigned to review."""
    return tenancy.within(
        user, "assessment.manage", field="attempt__version__credential__organization"
    ) | Q(reviews__assessor=user.pk, reviews__state__in=READING_REVIEW_STATES)


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def visible_to(self, user: Any) -> EvidenceQuerySet:
        """All of an attempt's evidence for the educator and the people who support them;
        for assessors and issuers only what was handed in, never what was added since."""
        if user is None or not user.is_authenticated:
            return self.none()
        handed_in = Submission.evidence.through.objects.filter(
            submission__in=Submission.objects.filter(handed_in_to(user)).values("pk")
        ).values("evidence_id")
        return self.filter(
            Q(attempt__educator=user.pk)
            | tenancy.within(user, "earning.support", field="attempt__organization")
            | Q(pk__in=handed_in)
        )

    def current(self) -> EvidenceQuerySet:
        return self.filter(removed_at__isnull=True)


class Evidence(models.Model):
    """One file or written answer for one evidence requirement.

    Removing evidence after it was handed in only marks it removed: the submission
    that included it still shows it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="evidence")
    requirement = models.ForeignKey(EvidenceRequirement, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(max_length=255, blank=True)  # a random storage key
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    text = models.TextField(blank=True)  # a written answer
    caption = models.CharField(max_length=300, blank=True)
    consent_attested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["requirement__position", "created_at", "id"]
        indexes = [models.Index(fields=["attempt", "requirement"])]

    def __str__(self) -> str:
        return self.file_name or self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("earning:evidence-file", args=[self.public_id])

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def media_family(self) -> str:
        """video, audio, image, pdf, other or text: how the pages show it."""
        if self.content_type.startswith("video/"):
            return "video"
        if self.content_type.startswith("audio/"):
            return "audio"
        if self.content_type.startswith("image/"):
            return "image"
        if self.content_type == "application/pdf":
            return "pdf"
        return "other" if self.file else "text"


class UploadSession(models.Model):
    """A resumable (tus) upload in progress: the file arrives in pieces, in order, into a
    staging area any web process can reach (see earning/staging.py); the finished file is
    checked and becomes evidence.

    The row is the truth about progress: `offset` counts the bytes kept, and a request
    that appends claims the row first (`receiving_until`, a short lease renewed while the
    bytes arrive), so two web processes never append to the same upload at once."""

    class Backend(models.TextChoices):
        FILE = "file", "Staging directory"
        S3 = "s3", "Object store multipart upload"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="uploads")
    requirement = models.ForeignKey(EvidenceRequirement, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    caption = models.CharField(max_length=300, blank=True)
    consent_attested = models.BooleanField(default=False)
    offset = models.PositiveBigIntegerField(default=0)
    receiver = models.UUIDField(null=True, blank=True)  # the request appending now
    receiving_until = models.DateTimeField(null=True, blank=True)
    backend = models.CharField(max_length=8, choices=Backend.choices, default=Backend.FILE)
    # Object store only: the evidence key the multipart upload writes to, its id, and the
    # parts sent so far ([{"PartNumber": 1, "ETag": "..."}], `parts_bytes` long in all).
    storage_key = models.CharField(max_length=300, blank=True)
    multipart_id = models.CharField(max_length=1024, blank=True)
    parts = models.JSONField(default=list, blank=True)
    parts_bytes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # the last byte received

    def __str__(self) -> str:
        return f"{self.file_name} ({self.offset} of {self.size} bytes)"


class Submission(models.Model):
    """One hand-in of an attempt. The first covers every rubric section; a resubmission
    covers only the sections that did not pass, and the rest carry over."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for an assessor"
        IN_REVIEW = "in_review", "In review"
        REVIEWED = "reviewed", "Reviewed, waiting for a decision"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    sections = models.ManyToManyField(RubricSection, related_name="+")
    evidence = models.ManyToManyField(Evidence, related_name="submissions")
    # The reflections as they were handed in: [{"prompt": id, "phase": "pre", "text": "..."}].
    reflections = models.JSONField(default=list)
    note = models.TextField(blank=True, help_text="What changed since the last hand-in.")
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["attempt", "number"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "number"], name="submission_number_unique")
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.attempt} — hand-in {self.number}"

    @property
    def is_resubmission(self) -> bool:
        return self.number > 1


class EvidenceAccess(models.Model):
    """Who opened which evidence, when: written by `services.evidence_access_record`."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        DOWNLOAD = "download", "Downloaded"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["evidence", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.evidence_id}"


class Comment(models.Model):
    """A coach's (or the educator's) comment on an attempt; replies make a thread."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]
