"""Composing Open Badges 3.0 documents: the OpenBadgeCredential about an award, and the
issuer's Bitstring Status List credential. No signing and no database writes here.

What the credential carries, and why:
- the achievement is the published credential version (its public URL is its id), with
  the criteria, the standards it aligns to, the credit hours, and one ResultDescription
  per rubric section with every performance level: the rubric travels with the badge;
- the earner is identified by a salted SHA-256 of their email (an OB 3.0 IdentityObject)
  and by the name they chose to show; the subject's `result` gives the level reached in
  each section;
- `evidence` says what was assessed (the evidence requirements), never the evidence: it
  is about students and stays private with the issuer.

Strings lose control characters other than tab and newline (canonical N-Quads escape them
differently across libraries), and numbers are integers unless they have a fraction
(JavaScript cannot tell 10.0 from 10, so the canonical forms would differ).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, reverse

from microcred.badges import bitstring
from microcred.badges.jsonld import OB_EXTENSIONS, OB_V3, VC_V2
from microcred.badges.proofs import xsd_datetime
from microcred.badges.selectors import AwardFacts
from microcred.catalog.models import CredentialVersion, EvidenceKind
from microcred.core.models import Organization

OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text or "").strip()


def number(value: Decimal | float | int) -> int | float:
    as_decimal = Decimal(str(value))
    return int(as_decimal) if as_decimal == as_decimal.to_integral_value() else float(as_decimal)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def path(name: str, *args: str | int) -> str:
    """`reverse(name, args=args)`, kept per process: a credential names the same few
    versions', organizations' and status lists' addresses thousands of times, and their slugs
    and numbers never change. Keyed by the script prefix too, which reverse() puts first."""
    return _reversed(get_script_prefix(), name, args)


@lru_cache(maxsize=4096)
def _reversed(prefix: str, name: str, args: tuple[str | int, ...]) -> str:
    return reverse(name, args=args)


def version_url(version: CredentialVersion) -> str:
    return absolute(path("catalog:version", version.credential.slug, version.number))


def badge_image_url(version: CredentialVersion) -> str:
    return absolute(path("badges:achievement-image", version.credential.slug, version.number))


def issuer_profile(organization: Organization, issuer_did: str) -> dict[str, Any]:
    """The issuer as a credential names it; `issuer_did` is its stored DID."""
    profile: dict[str, Any] = {
        "id": issuer_did,
        "type": ["Profile"],
        "name": clean(organization.name),
        "url": absolute(path("badges:issuer", organization.slug)),
        "image": {
            "id": absolute(path("badges:issuer-image", organization.slug)),
            "type": "Image",
            "caption": clean(organization.name),
        },
    }
    if organization.description:
        profile["description"] = clean(organization.description)
    return profile


def identity_hash(email: str, salt: str) -> str:
    """OB's salted hash of an identifier: "sha256$" + hex(SHA-256(identifier + salt))."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _criteria(version: CredentialVersion, facts: AwardFacts) -> str:
    """What an educator did to earn it, as paragraphs (blank lines) and a list ("- ")."""
    paragraphs = []
    if version.competency:
        paragraphs.append(f"Competency: {version.competency.rstrip('.')}.")
    if version.key_method:
        paragraphs.append(f"Key method: {version.key_method}")
    if version.task_title:
        paragraphs.append(
            f"The educator carries out “{version.task_title}” with their own students and "
            "hands in evidence of it, with a reflection before and after."
        )
    sections = [r.section for r in facts.results]
    if sections:
        rule = (
            f"at least {version.pass_min_sections} of the {len(sections)} sections"
            if version.pass_rule == CredentialVersion.PassRule.AT_LEAST
            and version.pass_min_sections
            else f"every one of the {len(sections)} sections"
        )
        paragraphs.append(
            "A trained assessor scores the evidence against a rubric; the credential is "
            f"awarded when {rule} reach their passing level:"
        )
        paragraphs.append(
            "\n".join(
                f"- {s.name} (passing level: {s.passing_level.name if s.passing_level else 'any'})"
                for s in sections
            )
        )
    return "\n\n".join(clean(p) for p in paragraphs)


def _alignment(version_link: str, standard: Any) -> dict[str, Any]:
    alignment: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": clean(standard.name),
        # OB 3.0 requires a URL; a standard without one points at its place on our page.
        "targetUrl": standard.url or f"{version_link}#standard-{standard.position}",
        "targetFramework": clean(standard.framework),
        "targetType": "ext:Standard",
    }
    if standard.code:
        alignment["targetCode"] = clean(standard.code)
    return alignment


def _level_id(version_link: str, section: Any, level: Any) -> str:
    return f"{version_link}#section-{section.position}-level-{level.position}"


def achievement(facts: AwardFacts, issuer_did: str) -> dict[str, Any]:
    version = facts.version
    link = version_url(version)
    organization = version.credential.organization
    result: dict[str, Any] = {
        "id": link,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": clean(version.title),
        "description": clean(version.summary or version.competency or version.title),
        "criteria": {"id": f"{link}#criteria", "narrative": _criteria(version, facts)},
        "image": {"id": badge_image_url(version), "type": "Image", "caption": clean(version.title)},
        "creator": issuer_profile(organization, issuer_did),
        "version": str(version.number),
        "inLanguage": "en",
        "tag": [
            clean(label)
            for label in (version.get_subject_display(), version.get_grade_band_display())
            if label
        ],
    }
    result["humanCode"] = human_code(version.credential.slug)
    if facts.standards:
        result["alignment"] = [_alignment(link, s) for s in facts.standards]
    if version.credit_hours is not None:
        result["creditsAvailable"] = number(version.credit_hours)
    if facts.results:
        result["resultDescription"] = [
            {
                "id": f"{link}#section-{r.section.position}",
                "type": ["ResultDescription"],
                "name": clean(r.section.name),
                "resultType": "RubricCriterionLevel",
                "allowedValue": [clean(level.name) for level in r.levels],
                **(
                    {"requiredLevel": _level_id(link, r.section, r.section.passing_level)}
                    if r.section.passing_level
                    else {}
                ),
                "rubricCriterionLevel": [
                    {
                        "id": _level_id(link, r.section, level),
                        "type": ["RubricCriterionLevel"],
                        "name": clean(level.name),
                        "description": clean(level.descriptor),
                        "level": str(level.position),
                    }
                    for level in r.levels
                ],
            }
            for r in facts.results
        ]
    return result


HUMAN_CODE_MAX = 24


def human_code(slug: str) -> str:
    """`achievement.humanCode`, OB 3.0's "code, generally human readable, associated with an
    achievement" (a course code such as "CS101"): the credential's slug in capitals, cut at
    a word to at most 24 characters. It comes from the credential, not the version, so every
    version of a credential has the same code."""
    code = slug.upper()
    if len(code) <= HUMAN_CODE_MAX:
        return code
    cut = code[: HUMAN_CODE_MAX + 1].rsplit("-", 1)[0]
    return cut if cut and len(cut) <= HUMAN_CODE_MAX else code[:HUMAN_CODE_MAX].rstrip("-")


def evidence(facts: AwardFacts) -> list[dict[str, Any]]:
    kinds = dict(EvidenceKind.choices)
    return [
        {
            "type": ["Evidence"],
            "name": clean(requirement.title),
            "description": clean(requirement.description),
            "genre": kinds.get(requirement.kind, requirement.kind),
            "narrative": (
                "Assessed by a trained assessor against the rubric. The evidence itself stays "
                "private with the issuer: it shows students."
            ),
        }
        for requirement in facts.evidence
    ]


def open_badge_credential(
    *,
    facts: AwardFacts,
    issuer_did: str,
    credential_id: str,
    recipient_name: str,
    recipient_email: str,
    valid_from: datetime,
    valid_until: datetime | None,
    status_list_url: str,
    status_index: int,
    salt: str | None = None,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for one award."""
    version = facts.version
    organization = version.credential.organization
    salt = salt or secrets.token_hex(8)
    link = version_url(version)
    results = [
        {
            "type": ["Result"],
            "resultDescription": f"{link}#section-{r.section.position}",
            "achievedLevel": _level_id(link, r.section, r.achieved),
        }
        for r in facts.results
        if r.achieved is not None
    ]
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": identifiers(recipient_name, recipient_email, salt),
        "achievement": achievement(facts, issuer_did),
    }
    if results:
        subject["result"] = results
    if version.credit_hours is not None:
        subject["creditsEarned"] = number(version.credit_hours)
    document: dict[str, Any] = {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": clean(version.title),
        "description": clean(
            f"{recipient_name} earned “{version.title}” from {organization.name}."
        ),
        "image": {"id": badge_image_url(version), "type": "Image"},
        "issuer": issuer_profile(organization, issuer_did),
        "validFrom": xsd_datetime(valid_from),
        "awardedDate": xsd_datetime(facts.award.awarded_at),
        "credentialSubject": subject,
        "evidence": evidence(facts),
        "credentialSchema": [{"id": OB_SCHEMA, "type": SCHEMA_VALIDATOR}],
        "credentialStatus": status_entry(status_list_url, status_index),
    }
    if valid_until is not None:
        document["validUntil"] = xsd_datetime(valid_until)
    if not document["evidence"]:
        del document["evidence"]
    return document


def identifiers(recipient_name: str, recipient_email: str, salt: str) -> list[dict[str, Any]]:
    """The earner as a credential identifies them: a salted hash of the email address, and
    the name they show."""
    return [
        {
            "type": "IdentityObject",
            "identityHash": identity_hash(recipient_email, salt),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        },
        {
            "type": "IdentityObject",
            "identityHash": clean(recipient_name),
            "identityType": "name",
            "hashed": False,
        },
    ]


def status_entry(status_list_url: str, status_index: int) -> dict[str, Any]:
    return {
        "id": f"{status_list_url}#{status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(status_index),
        "statusListCredential": status_list_url,
    }


@dataclass(frozen=True, slots=True)
class Component:
    """One credential a completed stack counts: its achievement and the earner's badge."""

    title: str
    achievement_url: str  # the credential version's public page: its achievement's id
    code: str  # the achievement's humanCode
    badge_url: str  # the earner's badge for it (its public page)
    awarded_at: datetime


@dataclass(frozen=True, slots=True)
class StackFacts:
    """What a stack's badge says (the programs app fills it in): the stack is the
    achievement, the credentials it counts are named as aligned credentials, and the
    earner's badges for them are the evidence."""

    url: str  # the stack's page: the achievement's id
    name: str
    description: str
    criteria: str  # the rule, in words
    components: list[Component]
    completed_at: datetime
    organization: Organization


def stack_credential(
    *,
    facts: StackFacts,
    issuer_did: str,
    credential_id: str,
    recipient_name: str,
    recipient_email: str,
    valid_from: datetime,
    valid_until: datetime | None,
    status_list_url: str,
    status_index: int,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for a completed stack."""
    organization = facts.organization
    issuer = issuer_profile(organization, issuer_did)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": identifiers(recipient_name, recipient_email, secrets.token_hex(8)),
        "achievement": {
            "id": facts.url,
            "type": ["Achievement"],
            "achievementType": "LearningProgram",
            "name": clean(facts.name),
            "description": clean(facts.description or facts.name),
            "criteria": {"id": f"{facts.url}#criteria", "narrative": clean(facts.criteria)},
            "creator": issuer,
            "inLanguage": "en",
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": clean(c.title),
                    "targetUrl": c.achievement_url,
                    "targetCode": clean(c.code),
                    "targetType": "ceterms:Credential",
                }
                for c in facts.components
            ],
        },
    }
    document: dict[str, Any] = {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": clean(facts.name),
        "description": clean(
            f"{recipient_name} completed “{facts.name}” from {organization.name}."
        ),
        "issuer": issuer,
        "validFrom": xsd_datetime(valid_from),
        "awardedDate": xsd_datetime(facts.completed_at),
        "credentialSubject": subject,
        "evidence": [
            {
                "id": c.badge_url,
                "type": ["Evidence"],
                "name": clean(c.title),
                "narrative": clean(
                    f"The earner's badge for “{c.title}”, awarded {c.awarded_at:%B %-d, %Y}."
                ),
            }
            for c in facts.components
        ],
        "credentialSchema": [{"id": OB_SCHEMA, "type": SCHEMA_VALIDATOR}],
        "credentialStatus": status_entry(status_list_url, status_index),
    }
    if valid_until is not None:
        document["validUntil"] = xsd_datetime(valid_until)
    return document


def status_list_credential(
    *,
    organization: Organization,
    issuer_did: str,
    url: str,
    purpose: str,
    size: int,
    set_bits: list[int],
    valid_from: datetime,
) -> dict[str, Any]:
    """The unsigned Bitstring Status List credential of one of an issuer's lists."""
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_did, "name": clean(organization.name)},
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": bitstring.encode(size, set_bits),
        },
    }
