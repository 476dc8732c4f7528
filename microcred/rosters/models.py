"""What a roster import leaves: the link from each roster record (`sourcedId`) to the
organization or person it became, and each import with its report (ADR 0021)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from microcred.core.models import Organization


class RosterLink(models.Model):
    """A roster record of the organization imported into (`root`), by its `sourcedId`: the
    school or the person it is. Re-imports find their rows through it, so they are idempotent
    and a changed name or email updates the same person."""

    class Kind(models.TextChoices):
        ORG = "org", "Organization"
        USER = "user", "Person"

    root = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    sourced_id = models.CharField(max_length=255)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Set when a full import left the person out (or marked her disabled): her account was
    # made inactive then, and a later import that lists her again makes it active again.
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["root", "kind", "sourced_id"], name="roster_link_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="org", organization__isnull=False, user__isnull=True)
                    | models.Q(kind="user", user__isnull=False, organization__isnull=True)
                ),
                name="roster_link_names_its_row",
            ),
        ]
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sourced_id} of {self.root_id}"


class RosterImport(models.Model):
    """One roster file read into an organization: what the validation found, and, once
    applied, who was added, changed and deactivated."""

    class State(models.TextChoices):
        REFUSED = "refused", "Refused: it has errors"
        VALIDATED = "validated", "Checked, waiting for confirmation"
        QUEUED = "queued", "Confirmed, waiting for the worker"
        APPLYING = "applying", "Being applied"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        ONEROSTER = "oneroster", "OneRoster roster"
        INVITATIONS = "invitations", "Invitations"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # A OneRoster package, or a plain CSV of people to invite (email, name, school, role).
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ONEROSTER)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(max_length=255)  # the file's name as uploaded
    version = models.CharField(max_length=8, blank=True)  # OneRoster "1.1" or "1.2"
    full = models.BooleanField(default=True)  # bulk users: those left out are deactivated
    state = models.CharField(max_length=12, choices=State.choices)
    # The uploaded package, kept from the check until it is applied (or refused): then it is
    # deleted, since it names students too; the report and the summary stay.
    package = models.FileField(upload_to="rosters/", blank=True)
    problems = models.JSONField(default=list)  # [{file, line, field, message, severity}]
    summary = models.JSONField(default=dict)  # counts, and the people added/changed/deactivated
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)  # why applying failed (nothing was changed)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} into {self.organization_id} ({self.state})"


class RosterSettings(models.Model):
    """A district's choices for its roster imports: which Microcred role each OneRoster role
    becomes (the defaults of `services.DEFAULT_ROLE_MAP` where it says nothing)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    role_map = models.JSONField(default=dict)  # lower-case OneRoster role -> Role value or ""
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Roster settings of {self.organization_id}"


class SingleSignOn(models.Model):
    """A district's OpenID Connect sign-in: its provider is an allauth `SocialApp`
    (provider "openid_connect"), and this says whom it may sign in (ADR 0022). A person is
    found by a verified email in one of `email_domains` or by the roster `sourcedId` in the
    claim `match_claim`, and only among the district's own people."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.PROTECT, related_name="+"
    )
    email_domains = models.JSONField(default=list)  # lower-case, e.g. ["schools.example.org"]
    match_claim = models.CharField(max_length=100, blank=True)  # holds a roster sourcedId
    allow_new_educators = models.BooleanField(default=False)
    new_educator_school = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Single sign-on of {self.organization_id}"
