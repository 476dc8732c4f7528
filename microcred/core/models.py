"""People, organizations, memberships, invitations and the audit trail.

Organizations form a tree (state → district → school → department; providers
stand beside districts). A membership gives a user one role in one
organization, and a role held in an organization also applies to everything
below it. Organization-owned models elsewhere scope their queries through the
helpers in `microcred.core.tenancy`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

if TYPE_CHECKING:
    from microcred.core.permissions import MembershipGrant


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address. The primary key, not the email,
    identifies them: changing the email keeps memberships, history and awards."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("full name", max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May sign in to the operator's admin site."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    # Filled once per request by microcred.core.permissions.grants().
    _grants: list[MembershipGrant] | None = None
    _unread: int | None = None  # unread notices, loaded with the user (core.auth)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user: Any) -> OrganizationQuerySet:
        """Organizations the user belongs to, with everything above and below them."""
        from microcred.core import tenancy

        return self.filter(tenancy.member_family(user, field=""))


class Organization(models.Model):
    """A state agency, provider, district, school or department."""

    class Kind(models.TextChoices):
        STATE = "state", "State agency"
        PROVIDER = "provider", "Professional-learning provider"
        DISTRICT = "district", "District"
        SCHOOL = "school", "School"
        DEPARTMENT = "department", "Department"

    # Which kinds may sit directly under which: the tree the product assumes.
    ALLOWED_CHILDREN: ClassVar[dict[str, set[str]]] = {
        Kind.STATE: {Kind.DISTRICT, Kind.PROVIDER, Kind.DEPARTMENT},
        Kind.PROVIDER: {Kind.DEPARTMENT},
        Kind.DISTRICT: {Kind.SCHOOL, Kind.DEPARTMENT},
        Kind.SCHOOL: {Kind.DEPARTMENT},
        Kind.DEPARTMENT: set(),
    }

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialized path of primary keys, "/1/7/42/": descendants are a prefix match,
    # ancestors are read from the string without a query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    website = models.URLField(blank=True)
    brand_color = models.CharField(
        max_length=7, default="#0b5c6b", help_text="Hex colour used on badges and pages."
    )
    description = models.TextField(blank=True)
    # The number of the organization's LinkedIn page: "Add to LinkedIn" then names the issuer
    # as that page (with its logo) instead of free text the earner's profile cannot link.
    linkedin_organization_id = models.CharField(
        "LinkedIn organization id",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9]+$", "Enter only the digits of the LinkedIn organization id, e.g. 1337."
            )
        ],
        help_text="The number of the organization's LinkedIn page, for “Add to LinkedIn”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # A subtree is `path LIKE '/1/7/%'`: on PostgreSQL a plain index serves that
            # prefix only under the C collation, so this one compares bytes (other
            # databases ignore the operator class and index the column as usual).
            models.Index(
                fields=["path"], opclasses=["varchar_pattern_ops"], name="organization_subtree"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organization", args=[self.slug])

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to and including this organization."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def depth(self) -> int:
        return len(self.ancestor_ids) - 1


class Role(models.TextChoices):
    EDUCATOR = "educator", "Educator"
    COACH = "coach", "Coach / mentor"
    ASSESSOR = "assessor", "Assessor"
    ISSUER = "issuer", "Issuer of record"
    DESIGNER = "designer", "Credential designer"
    REVIEWER = "reviewer", "Design review board"
    LEADER = "leader", "School leader"
    ADMIN = "admin", "Program admin"


def with_article(label: str) -> str:
    """“an educator”, “a coach / mentor”: a role name inside a sentence."""
    label = label.lower()
    return f"{'an' if label[:1] in 'aeiou' else 'a'} {label}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: Any) -> MembershipQuerySet:
        """Memberships of organizations whose people the user manages, and the user's own."""
        from microcred.core import tenancy

        return self.filter(tenancy.within(user, "org.manage_members") | models.Q(user=user.pk))


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organization}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> Any:
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def visible_to(self, user: Any) -> InvitationQuerySet:
        from microcred.core import tenancy

        return self.filter(tenancy.within(user, "org.manage_members"))


class Invitation(models.Model):
    """An offer of a role in an organization, sent by email. Sign-up is by invitation only."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)  # as the inviter gave it, if she did
    role = models.CharField(max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.get_role_display()} to {self.organization}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status_label(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Pending"


class AuditEvent(models.Model):
    """One explicit change of state, written by the service that made it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=80, db_index=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.subject_type}#{self.subject_id}"


class Notification(models.Model):
    """An in-app notice for one person; the same event is usually also emailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(max_length=80)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # What the notice is about when it asks for work ("assessment.review:12", see
    # `core.notify.subject_of`): the service that handles that work resolves its notices.
    subject = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            # The header's count on every request, answered from the index alone.
            models.Index(fields=["user", "read_at", "resolved_at"], name="notification_unread"),
            # `notifications_resolve`: the open notices about one thing.
            models.Index(
                fields=["subject"],
                condition=models.Q(resolved_at__isnull=True),
                name="notification_open_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None and self.resolved_at is None
