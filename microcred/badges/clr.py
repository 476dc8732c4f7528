"""A 1EdTech Comprehensive Learner Record 2.0 transcript: an earner's Open Badges 3.0
credentials from this installation, bundled in one `ClrCredential` and signed by one
organization with its badge key (Ed25519, eddsa-rdfc-2022), as its badges are.

What the transcript carries, and why:
- `credentialSubject` is a `ClrSubject` that names the earner as the badges do: a salted
  hash of the email address and the name shown (`compose.identifiers`). Its
  `verifiableCredential` holds each badge exactly as it was signed, proof included, so each
  still verifies on its own; its `achievement` lists the badges' achievements (id, name,
  criteria, creator, code, credit hours); an `association` says which achievements a
  stack's badge counts (`isParentOf`).
- Credit hours: CLR 2.0 gives a transcript no field of its own for hours. Each badge carries
  them, signed by its issuer: `creditsAvailable` on the achievement and `creditsEarned` on
  the subject (`compose.open_badge_credential`). The transcript repeats `creditsAvailable`
  in its achievement list and states the total in its description, and its proof covers
  all of them, so an hour changed anywhere breaks the transcript's signature.
- No `credentialStatus`: a transcript is composed on request and not stored, so nobody could
  find one to revoke, and each entry would use up a place in a status list. What is revoked
  is a badge, and every badge inside keeps its own status entry: a verifier that checks the
  embedded credentials (ours does) sees a badge revoked after the transcript was made.
- Data model: VC 2.0 (`validFrom`), as our badges; the CLR 2.0 schema requires the VC 2.0
  context first, then the CLR and OB contexts. The contexts follow 1EdTech's CLR 2.0 test
  vector: VC 2.0, CLR 2.0.1, OB 3.0.3 and the OB extensions (which
  `1EdTechJsonSchemaValidator2019` needs).

`clr_document` composes (and refuses what may not go in); `clr_sign` signs a composed
document; `clr_issue` does both under the organization's stored identity.
"""

from __future__ import annotations

import copy
import secrets
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from microcred.badges import compose, did, proofs, services, verify
from microcred.badges.jsonld import CLR_V2, OB_EXTENSIONS, OB_V3, VC_V2
from microcred.badges.models import IssuerIdentity
from microcred.core.errors import Invalid
from microcred.core.models import Organization

CLR_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)
CONTEXTS = (VC_V2, CLR_V2, OB_V3, OB_EXTENSIONS)
BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
MAX_CREDENTIALS = 500

# What the transcript's achievement list repeats of each badge's achievement: enough to
# read the transcript without opening the badges (the rubric and alignments stay inside).
_SUMMARY = (
    "id",
    "type",
    "achievementType",
    "name",
    "description",
    "criteria",
    "image",
    "creator",
    "humanCode",
    "version",
    "inLanguage",
    "creditsAvailable",
)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _subject(badge: Mapping[str, Any]) -> dict[str, Any]:
    subject = badge.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    return subject if isinstance(subject, dict) else {}


def _achievement(badge: Mapping[str, Any]) -> dict[str, Any]:
    achievement = _subject(badge).get("achievement")
    return achievement if isinstance(achievement, dict) else {}


def _issuer_id(badge: Mapping[str, Any]) -> str:
    issuer = badge.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else ""


def _title(badge: Mapping[str, Any], index: int) -> str:
    name = badge.get("name") or _achievement(badge).get("name")
    return f"“{name}”" if isinstance(name, str) and name.strip() else f"Credential {index}"


def _names_earner(badge: Mapping[str, Any], emails: Collection[str]) -> bool:
    """Whether the badge identifies its earner by one of these email addresses."""
    wanted = {email.strip().lower() for email in emails if email and email.strip()}
    for identity in _as_list(_subject(badge).get("identifier")):
        if not isinstance(identity, dict) or identity.get("identityType") != "emailAddress":
            continue
        value = identity.get("identityHash")
        if not isinstance(value, str):
            continue
        if identity.get("hashed"):
            salt = identity.get("salt")
            salt = salt if isinstance(salt, str) else ""
            if any(compose.identity_hash(email, salt) == value for email in wanted):
                return True
        elif value.strip().lower() in wanted:
            return True
    return False


def _credits(badge: Mapping[str, Any]) -> Decimal | None:
    value = _subject(badge).get("creditsEarned")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _checked(
    credentials: Sequence[Mapping[str, Any]], earner_name: str, emails: Sequence[str]
) -> None:
    """Refuse, with a message that names the credential, anything that may not go into an
    earner's transcript: nothing at all, something that is not a signed Open Badge, a badge
    twice, a badge another site issued (or whose signature does not verify), or someone
    else's badge. `emails[0]` is the address the transcript names the earner by."""
    if not compose.clean(earner_name) or not emails[0].strip():
        raise Invalid(
            "A transcript names its earner: give their name and email address.",
            code="clr_no_earner",
            field="earner_name" if not compose.clean(earner_name) else "earner_email",
        )
    if not credentials:
        raise Invalid(
            "A transcript needs at least one credential, and none was given.",
            code="clr_empty",
            field="credentials",
        )
    if len(credentials) > MAX_CREDENTIALS:
        raise Invalid(
            f"A transcript holds at most {MAX_CREDENTIALS} credentials; "
            f"{len(credentials)} were given.",
            code="clr_too_many",
            field="credentials",
        )
    issuers = {_issuer_id(badge) for badge in credentials if isinstance(badge, Mapping)}
    ours = set(IssuerIdentity.objects.filter(did__in=issuers - {""}).values_list("did", flat=True))
    seen: set[str] = set()
    for index, badge in enumerate(credentials, start=1):
        if not isinstance(badge, Mapping):
            raise Invalid(
                f"Credential {index} is not a credential (a JSON object).",
                code="clr_not_a_badge",
                field="credentials",
            )
        title = _title(badge, index)
        types = _as_list(badge.get("type"))
        if "VerifiableCredential" not in types or not BADGE_TYPES.intersection(types):
            raise Invalid(
                f"{title} is not an Open Badges 3.0 credential; a transcript holds badges.",
                code="clr_not_a_badge",
                field="credentials",
            )
        credential_id = badge.get("id")
        if not isinstance(credential_id, str) or not credential_id:
            raise Invalid(f"{title} has no id.", code="clr_not_a_badge", field="credentials")
        if credential_id in seen:
            raise Invalid(
                f"{title} ({credential_id}) is given twice; include each credential once.",
                code="clr_duplicate",
                field="credentials",
            )
        seen.add(credential_id)
        issuer = _issuer_id(badge)
        if issuer not in ours:
            raise Invalid(
                f"{title} was not issued on this site (its issuer is {issuer or 'not named'}); "
                "a transcript from here holds only credentials issued here.",
                code="clr_foreign_credential",
                field="credentials",
            )
        if not _names_earner(badge, emails):
            raise Invalid(
                f"{title} was issued to someone else: it does not name this earner's email "
                "address.",
                code="clr_other_earner",
                field="credentials",
            )
        issuer_check, signature = verify.signature_checks(dict(badge))
        if issuer_check.ok is not True or signature.ok is not True:
            problem = issuer_check if issuer_check.ok is not True else signature
            raise Invalid(
                f"{title} does not verify, so it cannot go into a transcript: {problem.detail}",
                code="clr_bad_signature",
                field="credentials",
            )


def _summary(achievement: Mapping[str, Any]) -> dict[str, Any]:
    return {key: copy.deepcopy(achievement[key]) for key in _SUMMARY if key in achievement}


def _associations(badges: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A stack's badge names the achievements it counts as aligned credentials: where those
    are in the transcript too, the stack's achievement is their parent."""
    present = {a.get("id") for a in map(_achievement, badges) if isinstance(a.get("id"), str)}
    found: list[dict[str, Any]] = []
    for achievement in map(_achievement, badges):
        source = achievement.get("id")
        if achievement.get("achievementType") != "LearningProgram" or not isinstance(source, str):
            continue
        for alignment in _as_list(achievement.get("alignment", [])):
            if not isinstance(alignment, dict) or alignment.get("targetType") != (
                "ceterms:Credential"
            ):
                continue
            target = alignment.get("targetUrl")
            association = {
                "type": "Association",
                "associationType": "isParentOf",
                "sourceId": source,
                "targetId": target,
            }
            if target in present and target != source and association not in found:
                found.append(association)
    return found


def clr_document(
    *,
    credentials: Sequence[Mapping[str, Any]],
    earner_name: str,
    earner_email: str,
    issuer: Organization,
    issuer_did: str,
    credential_id: str,
    issued_at: datetime,
    badge_emails: Collection[str] = (),
    name: str = "",
    description: str = "",
    partial: bool = False,
    valid_until: datetime | None = None,
    salt: str | None = None,
) -> dict[str, Any]:
    """The unsigned ClrCredential bundling `credentials` (signed badge documents, exactly as
    stored in `IssuedCredential.document`, in the order given) for one earner.

    Every credential must be a signed Open Badge issued by an organization of this site whose
    signature verifies, and must name the earner: `earner_email`, or one of `badge_emails`
    (the other addresses the earner had their badges issued to). Anything else raises
    `Invalid` (code `clr_empty`, `clr_not_a_badge`, `clr_duplicate`,
    `clr_foreign_credential`, `clr_other_earner`, `clr_bad_signature`, `clr_too_many`,
    `clr_no_earner`) and nothing is composed. `partial` says the transcript leaves out some of the earner's
    credentials (CLR 2.0 reads a transcript without it as holding all of them)."""
    _checked(credentials, earner_name, [earner_email, *badge_emails])
    return _compose(
        credentials=credentials,
        earner_name=earner_name,
        earner_email=earner_email,
        issuer=issuer,
        issuer_did=issuer_did,
        credential_id=credential_id,
        issued_at=issued_at,
        name=name,
        description=description,
        partial=partial,
        valid_until=valid_until,
        salt=salt,
    )


def _compose(
    *,
    credentials: Sequence[Mapping[str, Any]],
    earner_name: str,
    earner_email: str,
    issuer: Organization,
    issuer_did: str,
    credential_id: str,
    issued_at: datetime,
    name: str,
    description: str,
    partial: bool,
    valid_until: datetime | None,
    salt: str | None,
) -> dict[str, Any]:
    earner_name = compose.clean(earner_name)
    badges = [copy.deepcopy(dict(badge)) for badge in credentials]
    achievements: list[dict[str, Any]] = []
    for achievement in map(_achievement, badges):
        if achievement and all(a.get("id") != achievement.get("id") for a in achievements):
            achievements.append(_summary(achievement))
    hours = [h for h in map(_credits, badges) if h is not None]
    count = f"{len(badges)} credential{'s' if len(badges) != 1 else ''}"
    total = ""
    if hours:
        sum_of = sum(hours, Decimal(0))
        total = f", {compose.number(sum_of)} credit hour{'s' if sum_of != 1 else ''} in all"
    subject: dict[str, Any] = {
        "type": ["ClrSubject"],
        "identifier": compose.identifiers(earner_name, earner_email, salt or secrets.token_hex(8)),
        "achievement": achievements,
        "verifiableCredential": badges,
    }
    associations = _associations(badges)
    if associations:
        subject["association"] = associations
    document: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": compose.clean(name) or f"Micro-credential transcript of {earner_name}",
        "description": compose.clean(description)
        or (
            f"{earner_name}'s micro-credentials: {count}{total}. Each credential is included "
            "as its issuer signed it and verifies on its own."
        ),
        "issuer": compose.issuer_profile(issuer, issuer_did),
        "validFrom": proofs.xsd_datetime(issued_at),
        "credentialSubject": subject,
        "credentialSchema": [{"id": CLR_SCHEMA, "type": compose.SCHEMA_VALIDATOR}],
    }
    if partial:
        document["partial"] = True
    if valid_until is not None:
        document["validUntil"] = proofs.xsd_datetime(valid_until)
    return document


def clr_sign(document: dict[str, Any], *, organization: Organization) -> dict[str, Any]:
    """The composed transcript signed with the organization's active key, as its badges are
    (a DataIntegrityProof, eddsa-rdfc-2022, its verification method under the organization's
    stored DID). Refused when the transcript names another issuer (before the organization
    gets a key for it)."""
    if _issuer_of(document) != did.organization_did(organization):
        raise _wrong_issuer(document, organization, did.organization_did(organization))
    with transaction.atomic():
        current = services.signer_for(organization.pk)
        return _signed(document, current)


def _issuer_of(document: Mapping[str, Any]) -> Any:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _wrong_issuer(document: Mapping[str, Any], organization: Organization, its_did: str) -> Invalid:
    return Invalid(
        f"The transcript names {_issuer_of(document)} as its issuer, but {organization} "
        f"signs as {its_did}.",
        code="clr_wrong_issuer",
    )


def _signed(document: dict[str, Any], current: services.Signer) -> dict[str, Any]:
    if _issuer_of(document) != current.identity.did:
        raise _wrong_issuer(document, current.organization, current.identity.did)
    return proofs.sign(
        document,
        keypair=services.keypair(current.key),
        verification_method=current.method_id,
    )


def clr_issue(
    *,
    organization: Organization,
    credentials: Sequence[Mapping[str, Any]],
    earner_name: str,
    earner_email: str,
    badge_emails: Collection[str] = (),
    name: str = "",
    description: str = "",
    partial: bool = False,
    valid_until: datetime | None = None,
    issued_at: datetime | None = None,
) -> dict[str, Any]:
    """A signed transcript from `organization`, with a fresh `urn:uuid:` id, valid from now
    (or `issued_at`): `clr_document` then `clr_sign`, under the organization's stored
    identity and active key (made on first use). Nothing is stored; a refusal (see
    `clr_document`) comes before the organization's key is read."""
    _checked(credentials, earner_name, [earner_email, *badge_emails])
    with transaction.atomic():
        current = services.signer_for(organization.pk)
        document = _compose(
            credentials=credentials,
            earner_name=earner_name,
            earner_email=earner_email,
            issuer=current.organization,
            issuer_did=current.identity.did,
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            issued_at=issued_at or timezone.now(),
            name=name,
            description=description,
            partial=partial,
            valid_until=valid_until,
            salt=None,
        )
        return _signed(document, current)
