"""Open Badges 2.0 export, for backpacks that read only 2.0: hosted verification.

A 2.0 badge is three linked JSON documents served from our host: the Assertion (about
the earner, at its own URL), the BadgeClass (the credential version) and the Issuer
Profile (the organization). A revoked assertion answers with `revoked: true` (HTTP 410),
as the 2.0 hosted-verification rules ask. The baked PNG carries the assertion's URL.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from microcred.badges.compose import absolute, badge_image_url, clean, version_url
from microcred.badges.models import IssuedCredential
from microcred.catalog.models import CredentialVersion
from microcred.core.models import Organization

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def issuer(organization: Organization) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": absolute(reverse("badges:ob2-issuer", args=[organization.slug])),
        "name": clean(organization.name),
        "url": organization.website or absolute(reverse("badges:issuer", args=[organization.slug])),
        "image": absolute(reverse("badges:issuer-image", args=[organization.slug])),
    }
    if organization.description:
        profile["description"] = clean(organization.description)
    return profile


def badge_class(version: CredentialVersion) -> dict[str, Any]:
    credential = version.credential
    alignments = [
        {
            "targetName": clean(s.name),
            "targetUrl": s.url or f"{version_url(version)}#standard-{s.position}",
            "targetFramework": clean(s.framework),
            **({"targetCode": clean(s.code)} if s.code else {}),
        }
        for s in version.standards.all()
    ]
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": absolute(reverse("badges:ob2-badge-class", args=[credential.slug, version.number])),
        "name": clean(version.title),
        "description": clean(version.summary or version.competency or version.title),
        "image": badge_image_url(version),
        "criteria": {"id": f"{version_url(version)}#criteria"},
        "issuer": absolute(reverse("badges:ob2-issuer", args=[credential.organization.slug])),
        "alignment": alignments,
        "tags": [version.get_subject_display(), version.get_grade_band_display()],
    }


def assertion(credential: IssuedCredential) -> dict[str, Any]:
    """The hosted 2.0 assertion of a credential (the same award, salt and dates)."""
    document = json.loads(credential.document)
    assert credential.award is not None, "a stack's badge has no Open Badges 2.0 copy"
    version = credential.award.attempt.version
    # The same salted hash as the 3.0 credential: both name the earner alike.
    email: dict[str, Any] = next(
        (
            i
            for i in document.get("credentialSubject", {}).get("identifier", [])
            if i.get("identityType") == "emailAddress"
        ),
        {},
    )
    url = absolute(reverse("badges:ob2-assertion", args=[credential.public_id]))
    result: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": email.get("salt", ""),
            "identity": email.get("identityHash", ""),
        },
        "badge": absolute(
            reverse("badges:ob2-badge-class", args=[version.credential.slug, version.number])
        ),
        "verification": {"type": "hosted"},
        "issuedOn": document.get("validFrom"),
        "image": absolute(reverse("badges:ob2-png", args=[credential.public_id])),
        "evidence": absolute(credential.get_absolute_url()),
    }
    if document.get("validUntil"):
        result["expires"] = document["validUntil"]
    if credential.state == IssuedCredential.State.REVOKED:
        result["revoked"] = True
        result["revocationReason"] = "Revoked by the issuer."
    elif credential.state == IssuedCredential.State.SUPERSEDED:
        result["revoked"] = True
        result["revocationReason"] = "Replaced by a newer credential for the same award."
    return result
