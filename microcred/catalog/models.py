"""Credentials and their immutable published versions, with the six parts of a
good micro-credential as structured data, and the design quality review.

A Credential is the stable identity (slug, owner, visibility). Its content lives
in CredentialVersion rows: one open draft at a time, and any number of
published versions, each frozen once approved. Attempts (later) pin a version.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from microcred.core import tenancy
from microcred.core.models import Organization


class Audience(models.Model):
    """Who a credential is for (teacher, school leader, coach, ...): a filter in the catalog."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Subject(models.TextChoices):
    ALL = "all", "All subjects"
    ELA = "ela", "English language arts"
    MATH = "math", "Mathematics"
    SCIENCE = "science", "Science"
    SOCIAL_STUDIES = "social-studies", "Social studies"
    ARTS = "arts", "Arts"
    WORLD_LANGUAGES = "world-languages", "World languages"
    SPECIAL_EDUCATION = "special-education", "Special education"
    MULTILINGUAL = "multilingual", "Multilingual learners"
    CTE = "cte", "Career and technical education"
    HEALTH_PE = "health-pe", "Health and physical education"
    LEADERSHIP = "leadership", "School leadership"
    TECHNOLOGY = "technology", "Educational technology"


class GradeBand(models.TextChoices):
    ALL = "pk-12", "PK–12"
    EARLY = "pk-2", "PK–2"
    ELEMENTARY = "3-5", "Grades 3–5"
    MIDDLE = "6-8", "Grades 6–8"
    HIGH = "9-12", "Grades 9–12"
    K5 = "k-5", "K–5"
    SECONDARY = "6-12", "Grades 6–12"
    ADULT = "adult", "Adult learners"


class CredentialQuerySet(models.QuerySet["Credential"]):
    def listed(self) -> CredentialQuerySet:
        """Published and not retired: what the catalog can show."""
        return self.filter(current_version__isnull=False, status=Credential.Status.ACTIVE)

    def visible_to(self, user: Any) -> CredentialQuerySet:
        """Published public credentials for anyone; internal ones for the owner's members;
        unpublished work for the owner's designers, reviewers and admins."""
        published = Q(current_version__isnull=False)
        public = published & Q(visibility=Credential.Visibility.PUBLIC)
        internal = published & tenancy.member_family(user)
        studio = tenancy.within(user, "catalog.view_drafts")
        return self.filter(public | internal | studio)

    def in_studio_of(self, user: Any) -> CredentialQuerySet:
        return self.filter(tenancy.within(user, "catalog.view_drafts"))


class Credential(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can find it in the catalog"
        INTERNAL = "internal", "Internal: only members of the organization"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="credentials"
    )
    slug = models.SlugField(max_length=90, unique=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The latest published version: what the catalog and new attempts use.
    current_version = models.ForeignKey(
        "CredentialVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.TextField(blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "visibility", "current_version"]),
            models.Index(fields=["updated_at"]),  # the public page cache's generation
        ]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", args=[self.slug])

    def studio_url(self) -> str:
        return reverse("studio:credential", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The current version's title (read through `current_version`), else the slug."""
        return self.current_version.title if self.current_version else self.slug


class CredentialVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"

    EDITABLE_STATES = (State.DRAFT, State.CHANGES_REQUESTED)

    class PassRule(models.TextChoices):
        ALL = "all", "Every section must reach its passing level"
        AT_LEAST = "at_least", "At least a number of sections must pass"

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)

    # Basics and part 1 (learning targets live in LearningTarget rows)
    title = models.CharField(max_length=160)
    summary = models.TextField(
        blank=True, help_text="Two or three sentences an educator reads in the catalog."
    )
    competency = models.CharField(max_length=200, blank=True)
    key_method = models.TextField(blank=True)
    audiences = models.ManyToManyField(Audience, blank=True, related_name="versions")
    subject = models.CharField(max_length=20, choices=Subject.choices, default=Subject.ALL)
    grade_band = models.CharField(max_length=10, choices=GradeBand.choices, default=GradeBand.ALL)
    estimated_hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    credit_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Part 4: the job-embedded activity
    task_title = models.CharField(max_length=160, blank=True)
    task_instructions = models.TextField(blank=True)
    # The badge: an image the designer uploads (a default is drawn from the title and the
    # organization's colour when there is none) and how long an award stays valid.
    badge_image = models.FileField(upload_to="badges/%Y/%m/", blank=True, max_length=255)
    valid_for_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave empty when the credential does not expire.",
    )
    # Part 2: how the rubric's sections combine into an overall result
    pass_rule = models.CharField(max_length=10, choices=PassRule.choices, default=PassRule.ALL)
    pass_min_sections = models.PositiveSmallIntegerField(null=True, blank=True)

    # Lower-cased title, competency, key method and standards text: the catalog's search.
    search_document = models.TextField(blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["credential", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["credential", "number"], name="version_number_unique"),
            # One open (unpublished) version per credential at a time.
            models.UniqueConstraint(
                fields=["credential"], condition=~Q(state="published"), name="one_open_version"
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("catalog:version", args=[self.credential.slug, self.number])

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES


class Prerequisite(models.Model):
    """A credential an educator must have earned, and still hold (not revoked, not expired),
    before starting the credential of `version`.

    It belongs to the version, like every other part of the design: a designer's change
    goes through review and publishing, and an attempt already started on an earlier
    version is not stopped by a prerequisite added later. It names the credential, not one
    of its versions: any earned version of it counts.
    """

    version = models.ForeignKey(
        CredentialVersion, on_delete=models.CASCADE, related_name="prerequisites"
    )
    # Only a published credential can be chosen, and a published credential is never
    # deleted (it is retired): PROTECT only guards against a mistake.
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="required_by")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "credential"], name="prerequisite_once")
        ]

    def __str__(self) -> str:
        return f"{self.version} requires {self.credential}"


class LearningTarget(models.Model):
    version = models.ForeignKey(CredentialVersion, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=12, help_text="Short label, e.g. T1.")
    text = models.TextField(help_text="What the educator will be able to do, e.g. “I can …”.")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class StandardAlignment(models.Model):
    version = models.ForeignKey(
        CredentialVersion, on_delete=models.CASCADE, related_name="standards"
    )
    position = models.PositiveSmallIntegerField()
    framework = models.CharField(max_length=120)
    code = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=300)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.framework} {self.code}".strip()


class Resource(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", "Link"
        FILE = "file", "File"

    version = models.ForeignKey(
        CredentialVersion, on_delete=models.CASCADE, related_name="resources"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LINK)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to="resources/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class ReflectionPrompt(models.Model):
    class Phase(models.TextChoices):
        PRE = "pre", "Pre-reflection"
        POST = "post", "Post-reflection"

    version = models.ForeignKey(CredentialVersion, on_delete=models.CASCADE, related_name="prompts")
    phase = models.CharField(max_length=4, choices=Phase.choices)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["phase", "position"]

    def __str__(self) -> str:
        return self.text[:60]


class EvidenceKind(models.TextChoices):
    VIDEO = "video", "Classroom video"
    DOCUMENT = "document", "Document"
    IMAGE = "image", "Image"
    STUDENT_WORK = "student_work", "Student-work sample"
    WRITTEN = "written", "Written answer"


class EvidenceRequirement(models.Model):
    version = models.ForeignKey(
        CredentialVersion, on_delete=models.CASCADE, related_name="evidence_requirements"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    min_count = models.PositiveSmallIntegerField(default=1)
    max_count = models.PositiveSmallIntegerField(default=1)
    max_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    max_words = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(help_text="What the educator submits.")
    look_fors = models.TextField(blank=True, help_text="What the assessor looks for.")
    consent_required = models.BooleanField(
        default=False, help_text="The educator must confirm student consent or blurred faces."
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class RubricSection(models.Model):
    version = models.ForeignKey(
        CredentialVersion, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    targets = models.ManyToManyField(LearningTarget, blank=True, related_name="sections")
    # The evidence the section is judged on; a section tied to none is judged on all of it.
    evidence = models.ManyToManyField(EvidenceRequirement, blank=True, related_name="sections")
    # The lowest level that passes; every level above it passes too.
    passing_level = models.ForeignKey(
        "PerformanceLevel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    def judged_on(self, requirements: Iterable[EvidenceRequirement]) -> list[EvidenceRequirement]:
        """Of `requirements` (the version's, in order), those this section is judged on: the
        ones tied to it, or all of them when none is (read through a prefetch of `evidence`)."""
        tied = {e.pk for e in self.evidence.all()}
        return [r for r in requirements if not tied or r.pk in tied]


class PerformanceLevel(models.Model):
    section = models.ForeignKey(RubricSection, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(help_text="0 is the lowest level.")
    name = models.CharField(max_length=60)
    descriptor = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class QualityPart(models.TextChoices):
    """The six parts of a good micro-credential, as the review board checks them."""

    TARGETS = "targets", "Learning targets"
    CRITERIA = "criteria", "Success criteria (rubric)"
    RESOURCES = "resources", "Resources"
    TASK = "task", "Job-embedded task"
    REFLECTIONS = "reflections", "Reflections"
    EVIDENCE = "evidence", "Evidence"


QUALITY_CHECKLIST: dict[str, str] = {
    QualityPart.TARGETS: "Are the learning targets clear, observable, and about one competency?",
    QualityPart.CRITERIA: "Are the success criteria measurable, with a passing level an assessor can apply the same way twice?",
    QualityPart.RESOURCES: "Do the resources prepare an educator to do the task well?",
    QualityPart.TASK: "Can the task be done in a real classroom or school, within the estimated hours?",
    QualityPart.REFLECTIONS: "Are the pre- and post-reflections present, and do they connect practice to student outcomes?",
    QualityPart.EVIDENCE: "Does the required evidence show every learning target, without exposing students?",
}


class QualityReview(models.Model):
    """One review board member's decision on one submission of a version."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved and published"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    version = models.ForeignKey(
        CredentialVersion, on_delete=models.CASCADE, related_name="quality_reviews"
    )
    round = models.PositiveSmallIntegerField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (round {self.round})"


class ChecklistResponse(models.Model):
    review = models.ForeignKey(QualityReview, on_delete=models.CASCADE, related_name="responses")
    part = models.CharField(max_length=20, choices=QualityPart.choices)
    met = models.BooleanField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "part"], name="one_response_per_part")
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()}: {'met' if self.met else 'not met'}"
