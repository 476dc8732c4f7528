"""Open Badges 3.0 credentials, the keys that sign them and the lists that revoke them.

An Award (assessment app) is the fact that an educator earned a credential version; an
IssuedCredential is one signed OB 3.0 document about that award (or, without an award, about
a completed stack of credentials, which the programs app asks for). An award can have
several over time (a new name, a renewal): the newest active one is current, the
earlier ones are superseded through the status list. An IssuerIdentity is the DID an
organization issues under, fixed when its first key is made. An IssuerKey is an
organization's Ed25519 key (private half encrypted at rest); rotating adds a key and retires
the old one, which stays in the DID document so earlier credentials keep verifying; a key
marked compromised leaves the DID document at once. A StatusList is a
W3C Bitstring Status List of 131,072 entries; each credential holds one random entry.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from microcred.assessment.models import Award
from microcred.core import tenancy
from microcred.core.models import Organization


class IssuerIdentity(models.Model):
    """The DID an organization issues under, decided once, when its first key is made, from
    the SITE_URL of that moment, and never changed: every credential and status list it signs
    names this DID and these status list addresses. A process whose SITE_URL would make
    another DID refuses to sign (services.IdentityMismatch) rather than split the issuer in
    two."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="issuer_identity"
    )
    did = models.CharField(max_length=255, unique=True)
    site_url = models.CharField(max_length=200)  # the SITE_URL it was decided under
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "issuer identities"

    def __str__(self) -> str:
        return self.did


class IssuerKey(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="signing_keys"
    )
    key_id = models.CharField(max_length=40)  # the fragment in the DID document: "key-1"
    public_key_multibase = models.CharField(max_length=80)
    private_key_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)  # signs nothing new after this
    # A compromised key is also retired, and leaves the DID document: whatever it signed
    # stops verifying everywhere, and is issued again with the active key.
    compromised_at = models.DateTimeField(null=True, blank=True)
    compromised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    compromised_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["organization", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key_id"], name="issuer_key_id_unique"),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(retired_at__isnull=True),
                name="one_active_issuer_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.key_id}"

    def __repr__(self) -> str:  # the encrypted private key stays out of logs too
        return f"<IssuerKey {self.organization_id}#{self.key_id} {self.public_key_multibase}>"


class StatusList(models.Model):
    """One W3C Bitstring Status List credential of an issuer; `document` is its signed JSON,
    re-signed whenever a bit changes."""

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", "Revocation"

    SIZE = 131_072  # the minimum the Bitstring Status List spec asks for (16 KB)

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="status_lists"
    )
    number = models.PositiveIntegerField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.REVOCATION)
    size = models.PositiveIntegerField(default=SIZE)
    used = models.PositiveIntegerField(default=0)  # entries handed out
    document = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "purpose", "number"], name="status_list_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} status list {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("badges:status-list", args=[self.organization.slug, self.number])


class IssuedCredentialQuerySet(models.QuerySet["IssuedCredential"]):
    def visible_to(self, user: Any) -> IssuedCredentialQuerySet:
        """The earner's own credentials, and every credential of an organization whose
        badges the user issues or runs."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(earner=user.pk) | tenancy.within(user, "assessment.manage"))

    def current(self) -> IssuedCredentialQuerySet:
        return self.exclude(state=IssuedCredential.State.SUPERSEDED)


class IssuedCredential(models.Model):
    """One signed Open Badges 3.0 credential about an award; `document` holds the exact
    JSON that was signed."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"
        SUPERSEDED = "superseded", "Replaced by a newer credential"

    class Reissue(models.TextChoices):
        NAME = "name", "the earner's name changed"
        EMAIL = "email", "the earner's email address changed"
        RENEWAL = "renewal", "the credential was renewed"
        KEY = "key", "the issuer re-signed it with a new key"
        CORRECTION = "correction", "the issuer corrected it"
        KEY_COMPROMISE = "key-compromise", "the issuer's signing key was compromised"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # None: a badge for something other than one award, a completed stack (programs app),
    # whose achievement is named in `achievement_name` and described by its document.
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    earner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    achievement_name = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="issued_credentials"
    )
    issuer_key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="+")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    status_index = models.PositiveIntegerField()
    document = models.TextField()
    recipient_name = models.CharField(max_length=150)  # as the earner chose to show it
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.ACTIVE)
    # Revocation is the issuer's act; its reason goes to the educator, not to the public.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)
    # Superseding is public: our verifier says why an old copy no longer counts.
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_reason = models.CharField(max_length=20, choices=Reissue.choices, blank=True)

    objects = IssuedCredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_entry"
            ),
            models.CheckConstraint(
                condition=Q(award__isnull=False) | ~Q(achievement_name=""),
                name="credential_names_its_achievement",
            ),
        ]
        indexes = [models.Index(fields=["award", "state"])]

    def __str__(self) -> str:
        return f"Credential {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("badges:public", args=[self.public_id])

    @property
    def title(self) -> str:
        """What the badge is for: the credential version's title, or the stack's name."""
        if self.award_id is None:
            return self.achievement_name
        return self.award.attempt.version.title  # type: ignore[union-attr]

    @property
    def earned_at(self) -> Any:
        """When it was earned: the award's date, or the day the stack was completed."""
        return self.award.awarded_at if self.award is not None else self.valid_from

    @property
    def urn(self) -> str:
        return f"urn:uuid:{self.public_id}"

    @property
    def is_current(self) -> bool:
        return self.state != self.State.SUPERSEDED

    @property
    def bit_set(self) -> bool:
        """The status-list bit: set for revoked and superseded credentials."""
        return self.state != self.State.ACTIVE


class BadgePreferences(models.Model):
    """How the earner shows an award: the name on the badge and whether its page is public."""

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="badge_preferences")
    display_name = models.CharField(max_length=150, blank=True)
    # The address the badge identifies its earner by, when it is not the account's (given
    # when the badge was issued again for a new email address); empty: the account's.
    recipient_email = models.EmailField(blank=True)
    public = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Preferences for {self.award}"
