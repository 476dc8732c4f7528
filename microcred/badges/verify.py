"""Verifying a credential from anyone: ours or another issuer's, VC 1.1 or 2.0.

The verdict is a list of checks, each with a plain-language explanation, so a person can
see what was checked and why something failed:

1. credential  — it is a Verifiable Credential at all (JSON object, contexts, type, issuer);
2. contexts    — every JSON-LD context is one we carry, and every term is defined by them
                 (independent verifiers run JSON-LD in safe mode; so do we);
3. issuer      — the signing key is the issuer's own: its id sits under the issuer's DID
                 (or https issuer profile), and the issuer's own document (did:key decoded
                 here, did:web or profile fetched or, for this installation, read locally)
                 lists it for assertions. What another document claims is never trusted;
4. signature   — each proof (eddsa-rdfc-2022 or Ed25519Signature2020, several allowed)
                 matches the canonical credential;
5. status      — checked only once the signature verified: the Bitstring Status List,
                 itself verified (signed by the issuer or by whoever the issuer names), does
                 not have the credential's bit set (revoked, or for our own: replaced);
6. validity    — now is within validFrom/validUntil (issuanceDate/expirationDate in 1.1);
7. schema      — an Open Badge (or a CLR) validates against the 1EdTech JSON schema it names;
8. embedded    — a CLR 2.0 transcript only, once its own signature verified: every credential
                 it holds verifies on its own (signature, status, dates, schema).

A check that does not apply (no status list, not an Open Badge) is `None`; so is one that
could not be done (a DID document or status list that cannot be fetched, a kind of status
this verifier does not read), marked `unavailable`. There are three outcomes: verified
(every check that applies passed), not verified (one failed), could not be checked (none
failed, but one could not be done).

The input layer (read_input, verify_text, verify_url) also takes a credential secured as a
VC-JWT (vcjwt.py supplies the issuer and signature checks) and Open Badges 2.0 assertions,
hosted or signed (verify_ob2.py, which gives a verdict of the same shape); `Verdict.format`
says which it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, ResolverMatch, resolve, reverse

from microcred.badges import baking, bitstring, did, fetch, jsonld, proofs

MAX_DEPTH = fetch.MAX_DEPTH
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
MAX_BYTES = 5 * 1024 * 1024
OB_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
CLR_TYPE = "ClrCredential"
MAX_EMBEDDED = 100
SCHEMA_NAMES = {
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json": (
        "the 1EdTech Open Badges 3.0 JSON schema"
    ),
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json": (
        "the 1EdTech Comprehensive Learner Record 2.0 JSON schema"
    ),
}
VC_CONTEXTS = (jsonld.VC_V2, jsonld.VC_V1)


@dataclass
class Check:
    key: str
    label: str
    ok: bool | None
    detail: str
    unavailable: bool = False  # ok is None because it could not be done, not because moot
    # Whether an unavailable check holds the verdict at "could not be checked". A kind of
    # status this verifier does not read does not: other verifiers accept such credentials,
    # and the check says plainly that revocation was not checked.
    holds_verdict: bool = True

    @property
    def outcome(self) -> str:
        if self.ok is True:
            return "passed"
        if self.ok is False:
            return "failed"
        return "not-checked" if self.unavailable else "not-applicable"


def _not_checked(key: str, label: str, detail: str) -> Check:
    return Check(key, label, None, detail, unavailable=True)


@dataclass
class Verdict:
    verified: bool
    # verified, unchecked (could not be checked), revoked, suspended, superseded, expired,
    # not-yet-valid, invalid, unreadable
    status: str
    headline: str
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    source: str = ""  # json, png, svg, url
    # How the credential is secured, when not an embedded proof: "Open Badges 2.0 assertion
    # (hosted)", "Secured as a VC-JWT (EdDSA)".
    format: str = ""
    # What a careful reader must know beyond the checks (an issuer that takes the name of one
    # of this site's issuers without being it).
    warnings: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """One of three: verified, not-verified, could-not-check."""
        if self.verified:
            return "verified"
        return "could-not-check" if self.status == "unchecked" else "not-verified"

    @property
    def authentic(self) -> bool:
        """Whether the issuer really signed it (revoked or expired or not): only then do the
        names it carries say anything."""
        signature, issuer = self.check("signature"), self.check("issuer")
        # A hosted Open Badges 2.0 assertion has no signature: its address on the issuer's
        # site, fetched just now, is the proof.
        hosted = self.check("hosted")
        proven = (signature and signature.ok is True) or (hosted and hosted.ok is True)
        return bool(proven and issuer and issuer.ok is not False)

    @property
    def recipient(self) -> dict[str, Any] | None:
        return recipient_of(self.credential) if self.credential else None

    def as_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "outcome": self.outcome,
            "status": self.status,
            "headline": self.headline,
            "source": self.source,
            "format": self.format,
            "id": (self.credential or {}).get("id"),
            "recipient": self.recipient,
            "warnings": self.warnings,
            "checks": {
                check.key: {
                    **{k: v for k, v in asdict(check).items() if k != "holds_verdict"},
                    "outcome": check.outcome,
                }
                for check in self.checks
            },
        }

    def check(self, key: str) -> Check | None:
        return next((c for c in self.checks if c.key == key), None)


class Unreadable(ValueError):
    """Input that holds no credential we can read; the message is for a person."""


# ----------------------------------------------------------------------------- input


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


@dataclass(frozen=True)
class Compact:
    """A compact JWS found in the input: a VC-JWT, or a signed Open Badges 2.0 assertion."""

    token: str


@dataclass(frozen=True)
class HostedLink:
    """An Open Badges 2.0 hosted assertion's address, as baked into a badge image."""

    url: str


Found = dict[str, Any] | Compact | HostedLink


def read_input(data: bytes) -> tuple[Found, str]:
    """What a JSON file, a baked PNG or a baked SVG carries (a credential or assertion, a
    compact JWS, or a hosted assertion's address), and which kind of file it was."""
    if len(data) > MAX_BYTES:
        raise Unreadable(
            f"This file is {_size(len(data))}; the verifier reads files up to "
            f"{_size(MAX_BYTES)}. A credential or a baked badge image is far smaller: "
            "check that you chose the right file."
        )
    if not data.strip():
        raise Unreadable("The file is empty.")
    kind = baking.sniff(data)
    if kind == "png":
        try:
            text = (
                baking.unbake_png(data)
                or baking.unbake_png_openbadges2(data)
                or baking.unbake_png_legacy(data)
            )
        except baking.BakingError as error:
            raise Unreadable(str(error)) from None
        if text is None:
            raise Unreadable(
                "This PNG image has no Open Badge inside it. Download the badge image from "
                "the earner's badge page (it carries the credential), or paste its link."
            )
    elif kind == "svg":
        try:
            text = baking.unbake_svg(data) or baking.unbake_svg_openbadges2(data)
        except baking.BakingError as error:
            raise Unreadable(str(error)) from None
        if text is None:
            raise Unreadable("This SVG image has no Open Badge inside it.")
    elif kind == "json":
        text = data.decode("utf-8-sig", errors="replace")
    elif _COMPACT_JWS.fullmatch(token := data.removeprefix(b"\xef\xbb\xbf").strip()):
        return Compact(token.decode("ascii")), "jwt"
    else:
        raise Unreadable(
            "This file is not a credential: the verifier reads a credential's JSON (or its "
            "VC-JWT), or a badge image (PNG or SVG) with the credential baked into it."
        )
    return read_text(text), kind


_COMPACT_JWS = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_LINK = re.compile(r"https?://\S+")


def read_text(text: str) -> Found:
    """Text from a baked image or the text box: a compact JWS, a link, or JSON."""
    stripped = text.removeprefix("\ufeff").strip()
    if _COMPACT_JWS.fullmatch(stripped.encode("utf-8", errors="replace")):
        return Compact(stripped)
    if _LINK.fullmatch(stripped):
        return HostedLink(stripped)
    return parse_json(text)


def parse_json(text: str) -> dict[str, Any]:
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write first
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        where = f" (line {error.lineno}, column {error.colno})"
        raise Unreadable(f"This is not valid JSON{where}, so it cannot be a credential.") from None
    except RecursionError:
        raise Unreadable(
            "This JSON nests too deeply to be a credential (a credential nests a few levels)."
        ) from None
    except ValueError as error:
        if "digits" in str(error):  # Python's limit on the length of an integer
            raise Unreadable(
                "This JSON holds a number thousands of digits long, which no credential has."
            ) from None
        raise Unreadable("This is not valid JSON, so it cannot be a credential.") from None
    if isinstance(document, str) and document.startswith(("http://", "https://")):
        raise Unreadable(
            "The badge holds a link (an Open Badges 2.0 hosted badge), not a credential; "
            "paste the link into the verifier instead."
        )
    if not isinstance(document, dict):
        raise Unreadable("This JSON is not a credential (a credential is a JSON object).")
    if fetch.depth(document) > MAX_DEPTH:
        raise Unreadable(_TOO_DEEP)
    return document


_TOO_DEEP = (
    f"This JSON is nested more than {MAX_DEPTH} levels deep; no credential is, so it is "
    "not checked."
)


def unreadable(message: str, source: str = "") -> Verdict:
    return Verdict(
        verified=False,
        status="unreadable",
        headline="Nothing to verify",
        checks=[Check("credential", "Credential", False, message)],
        source=source,
    )


def verify_bytes(data: bytes, *, now: datetime | None = None) -> Verdict:
    try:
        found, kind = read_input(data)
    except Unreadable as error:
        return unreadable(str(error))
    verdict = verify_found(found, now=now)
    verdict.source = kind
    return verdict


def verify_text(text: str, *, now: datetime | None = None) -> Verdict:
    """Pasted text (the verifier's text box, a JSON request body): JSON, a VC-JWT or signed
    Open Badges 2.0 assertion (compact JWS), or an Open Badges 2.0 hosted assertion's link."""
    if len(text.encode()) > MAX_BYTES:
        return unreadable(f"This text is larger than the verifier's limit of {_size(MAX_BYTES)}.")
    try:
        found = read_text(text)
    except Unreadable as error:
        return unreadable(str(error), "json")
    if isinstance(found, HostedLink):  # a link pasted into the text box
        return verify_url(found.url, now=now)
    verdict = verify_found(found, now=now)
    verdict.source = "jwt" if isinstance(found, Compact) else "json"
    return verdict


def verify_found(found: Found, *, now: datetime | None = None) -> Verdict:
    """The verdict on what the input held: a VC-JWT and Open Badges 2.0 assertions go to
    their own modules (vcjwt, verify_ob2); a credential with embedded proofs stays here."""
    from microcred.badges import vcjwt, verify_ob2

    if isinstance(found, Compact):
        if verify_ob2.is_assertion_token(found.token):
            return verify_ob2.verify_signed(found.token, now=now)
        return vcjwt.verify_token(found.token, now=now)
    if isinstance(found, HostedLink):
        return verify_ob2.verify_hosted(found.url, now=now)
    if verify_ob2.is_assertion(found):
        return verify_ob2.verify_assertion(found, now=now)
    return verify_credential(found, now=now)


def verify_url(url: str, *, now: datetime | None = None) -> Verdict:
    """A credential by its address: one of our badge pages, or a JSON document elsewhere
    (an Open Badges 2.0 hosted assertion included)."""
    from microcred.badges import verify_ob2

    url = url.strip()
    local = _local_credential_json(url)
    if local is not None:
        verdict = verify_credential(json.loads(local), now=now)
        verdict.source = "url"
        return verdict
    with fetch.time_budget():
        own_assertion = verify_ob2.own_assertion_url(url)
        if own_assertion is not None:
            verdict = verify_ob2.verify_hosted(own_assertion, now=now)
            verdict.source = "url"
            return verdict
        try:
            data = fetch.fetch_bytes(
                url,
                accept="application/ld+json, application/json, application/vc+jwt, application/jwt, image/*",
            )
        except fetch.StatusError as error:
            # 410 Gone is how a hosted Open Badges 2.0 assertion says it was revoked.
            if error.status != 410:
                return unreadable(str(error), "url")
            verdict = verify_ob2.verify_hosted(url, now=now)
            verdict.source = "url"
            return verdict
        except fetch.FetchError as error:
            return unreadable(str(error), "url")
        verdict = verify_bytes(data, now=now)
    verdict.source = "url"
    return verdict


def _local_route(url: str) -> ResolverMatch | None:
    """The view of this installation a URL names (so our own documents are read from the
    database instead of fetched from ourselves), or None for anything else."""
    if not getattr(settings, "VERIFIER_READ_OWN_DOCUMENTS", True):
        return None
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    try:
        return resolve(parts.path)
    except Resolver404:
        return None


def _local_credential_json(url: str) -> str | None:
    from microcred.badges.models import IssuedCredential

    match = _local_route(url)
    if match is None or match.view_name not in (
        "badges:public",
        "badges:json",
        "badges:png",
        "badges:svg",
    ):
        return None
    row = IssuedCredential.objects.filter(public_id=match.kwargs["public_id"]).first()
    return row.document if row else None


# ----------------------------------------------------------------------------- checks


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _check_shape(document: dict[str, Any]) -> Check:
    if fetch.depth(document) > MAX_DEPTH:
        return Check("credential", "Credential", False, _TOO_DEEP)
    contexts = _as_list(document.get("@context"))
    if not contexts or contexts[0] not in VC_CONTEXTS:
        return Check(
            "credential",
            "Credential",
            False,
            "This JSON is not a W3C Verifiable Credential: its @context does not start with "
            "the Verifiable Credentials context.",
        )
    types = _as_list(document.get("type"))
    if not all(isinstance(t, str) for t in types):
        return Check(
            "credential", "Credential", False, "Its type is not a list of names (strings)."
        )
    if "VerifiableCredential" not in types:
        return Check(
            "credential", "Credential", False, "Its type does not include VerifiableCredential."
        )
    if _issuer_id(document) is None:
        return Check("credential", "Credential", False, "It names no issuer.")
    if not document.get("credentialSubject"):
        return Check("credential", "Credential", False, "It has no credentialSubject.")
    version = "2.0" if contexts[0] == jsonld.VC_V2 else "1.1"
    kind = next((t for t in types if t != "VerifiableCredential"), "VerifiableCredential")
    return Check(
        "credential",
        "Credential",
        True,
        f"{'An' if kind[:1] in 'AEIOU' else 'A'} {kind} in the W3C Verifiable Credentials "
        f"Data Model {version}.",
    )


def _check_contexts(document: dict[str, Any]) -> Check:
    for url in jsonld.context_urls(document):
        if url not in jsonld.bundled():
            return Check("contexts", "Vocabulary", False, str(jsonld.UnknownContext(url)))
    try:
        undefined = jsonld.undefined_terms(document)
    except jsonld.JsonLdError as error:
        return Check("contexts", "Vocabulary", False, str(error))
    if undefined:
        listed = ", ".join(undefined[:5]) + (" …" if len(undefined) > 5 else "")
        return Check(
            "contexts",
            "Vocabulary",
            False,
            f"Some properties are not defined by the credential's contexts ({listed}), so the "
            "signature would not cover them.",
        )
    return Check(
        "contexts",
        "Vocabulary",
        True,
        "Every property is defined by a known JSON-LD context (checked offline, in safe mode).",
    )


def signature_checks(document: dict[str, Any]) -> tuple[Check, Check]:
    """The issuer and signature checks of a credential's embedded proofs, on their own."""
    return _check_proofs(document)


def _check_proofs(document: dict[str, Any]) -> tuple[Check, Check]:
    """Whose key signed, and whether the signature matches. The key counts only when it is
    the issuer's own: its id sits under the issuer's DID (or https profile) and the issuer's
    own document lists it for assertions; a key elsewhere is refused before anything is
    fetched, whatever its document claims about its controller."""
    issuer = _issuer_id(document) or ""
    try:
        items = proofs.proofs_of(document)
    except proofs.ProofError as error:
        failure = Check("signature", "Signature", False, str(error))
        return Check("issuer", "Issuer", None, "Not checked: the proof is unreadable."), failure
    if not items:
        return (
            Check("issuer", "Issuer", None, "Not checked: the credential is not signed."),
            Check("signature", "Signature", False, "The credential carries no proof (signature)."),
        )
    issuer_notes: list[str] = []
    signature_notes: list[str] = []
    issuer_ok = signature_ok = True
    unavailable = False
    for index, proof in enumerate(items, start=1):
        prefix = f"Proof {index}: " if len(items) > 1 else ""
        if proofs.suite_of(proof) is None:
            signature_ok = False
            signature_notes.append(
                f"{prefix}the proof type {proofs.describe(proof)} is not one this verifier "
                "supports (eddsa-rdfc-2022, Ed25519Signature2020)."
            )
            continue
        if proof.get("proofPurpose") != "assertionMethod":
            signature_ok = False
            signature_notes.append(
                f"{prefix}the proof's purpose is {proof.get('proofPurpose')!r}, not "
                "assertionMethod, so it does not assert the credential."
            )
            continue
        method_id = proof.get("verificationMethod", "")
        owner = method_id.split("#", 1)[0] if isinstance(method_id, str) else ""
        if not method_id or not isinstance(method_id, str):
            issuer_ok = False
            issuer_notes.append(f"{prefix}the proof names no verification method (key).")
            continue
        if owner != issuer:
            issuer_ok = False
            issuer_notes.append(
                f"{prefix}the signing key {method_id} belongs to {owner}, not to the issuer "
                f"{issuer}; only a key in the issuer's own document can sign in its name."
            )
            continue
        try:
            method = did.resolve_method(method_id)
        except fetch.FetchError as error:
            unavailable = True
            issuer_notes.append(f"{prefix}the issuer's keys could not be read: {error}")
            continue
        except did.ResolutionError as error:
            issuer_ok = False
            issuer_notes.append(f"{prefix}{error}")
            continue
        if method.controller != issuer:  # resolve_method refuses this already; never trust it
            issuer_ok = False
            issuer_notes.append(
                f"{prefix}the signing key belongs to {method.controller}, not to the issuer "
                f"{issuer}."
            )
            continue
        if "assertionMethod" not in method.relationships:
            issuer_ok = False
            issuer_notes.append(
                f"{prefix}the issuer does not list the key {method.id} for issuing credentials "
                "(assertionMethod)."
            )
            continue
        issuer_notes.append(f"{prefix}{issuer} ({method.source}) lists the signing key.")
        result = proofs.verify(document, proof, method.public_key)
        signature_ok = signature_ok and result.ok
        signature_notes.append(f"{prefix}{result.detail}")
    if not issuer_ok:
        signature_ok = False
        if not signature_notes:
            signature_notes.append("Not checked: the signing key is not the issuer's.")
        return (
            Check("issuer", "Issuer", False, " ".join(issuer_notes)),
            Check("signature", "Signature", False, " ".join(signature_notes)),
        )
    if not unavailable:
        return (
            Check("issuer", "Issuer", True, " ".join(issuer_notes)),
            Check("signature", "Signature", signature_ok, " ".join(signature_notes)),
        )
    issuer_check = _not_checked("issuer", "Issuer", " ".join(issuer_notes))
    if not signature_ok:
        return issuer_check, Check("signature", "Signature", False, " ".join(signature_notes))
    signature_notes.append("Not checked: the issuer's public key could not be read.")
    return issuer_check, _not_checked("signature", "Signature", " ".join(signature_notes))


def _local_status_document(url: str) -> dict[str, Any] | None:
    from microcred.badges.models import StatusList

    match = _local_route(url)
    if match is None or match.view_name != "badges:status-list":
        return None
    row = (
        StatusList.objects.filter(
            organization__slug=match.kwargs["slug"], number=match.kwargs["number"]
        )
        .only("document")
        .first()
    )
    return json.loads(row.document) if row and row.document else None


def _our_replacement(document: dict[str, Any]) -> str | None:
    """Why one of our own credentials no longer counts, when it was replaced."""
    from microcred.badges.models import IssuedCredential

    public_id = _our_public_id(document)
    if public_id is None:
        return None
    row = (
        IssuedCredential.objects.filter(public_id=public_id).select_related("superseded_by").first()
    )
    if row is None or row.state != IssuedCredential.State.SUPERSEDED:
        return None
    when = row.superseded_at.strftime("%B %-d, %Y") if row.superseded_at else ""
    reason = IssuedCredential.Reissue(row.superseded_reason).label if row.superseded_reason else ""
    current = (
        f" The current one: {settings.SITE_URL}{row.superseded_by.get_absolute_url()}"
        if row.superseded_by
        else ""
    )
    return f"Replaced by a newer credential for the same award on {when} ({reason}).{current}"


_STATUS_LIST_PROOFS: dict[str, tuple[Check, Check]] = {}
STATUS_ENTRY_TYPES = ("BitstringStatusListEntry", "StatusList2021Entry")


def _status_list_proofs(status_list: dict[str, Any]) -> tuple[Check, Check]:
    """The status list credential's own proof checks, kept by content: every credential of an
    issuer points at the same few lists, and a list only changes when a bit does. A check
    that could not be done (its signer's DID document did not answer) is not kept."""
    key = hashlib.sha256(json.dumps(status_list, sort_keys=True).encode()).hexdigest()
    found = _STATUS_LIST_PROOFS.get(key)
    if found is None:
        found = _check_proofs(status_list)
        if found[0].unavailable or found[1].unavailable:
            return found
        if len(_STATUS_LIST_PROOFS) > 256:
            _STATUS_LIST_PROOFS.clear()
        _STATUS_LIST_PROOFS[key] = found
    return found


def _our_revocation_day(document: dict[str, Any]) -> str:
    """ " on <day>" when one of our own credentials was revoked (the reason is the educator's
    to know, not the public's)."""
    from microcred.badges.models import IssuedCredential

    public_id = _our_public_id(document)
    if public_id is None:
        return ""
    row = IssuedCredential.objects.filter(public_id=public_id).only("revoked_at").first()
    return f" on {_day(row.revoked_at)}" if row and row.revoked_at else ""


def _our_public_id(document: dict[str, Any]) -> uuid.UUID | None:
    credential_id = document.get("id", "")
    if not (isinstance(credential_id, str) and credential_id.startswith("urn:uuid:")):
        return None
    if not did.is_local_did(_issuer_id(document) or ""):
        return None
    try:
        return uuid.UUID(credential_id[len("urn:uuid:") :])
    except ValueError:
        return None


class _StatusProblem(Exception):
    def __init__(self, detail: str, *, unavailable: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.unavailable = unavailable


def _read_entry(document: dict[str, Any], entry: dict[str, Any]) -> tuple[bool, str, str]:
    """One status entry: whether its bit is set, its purpose, and who signed the list."""
    url = entry.get("statusListCredential")
    if not isinstance(url, str):
        raise _StatusProblem("The status entry names no list.")
    try:
        index = int(str(entry.get("statusListIndex", ""))[:20])
    except (TypeError, ValueError):
        raise _StatusProblem("The status entry has no valid index.") from None
    try:
        status_list = _local_status_document(url) or fetch.fetch_json(url)
    except fetch.FetchError as error:
        raise _StatusProblem(
            f"The issuer's status list could not be read, so whether the credential was "
            f"revoked is not known: {error}",
            unavailable=True,
        ) from None
    if not isinstance(status_list, dict):
        raise _StatusProblem("The status list is not a JSON object.")
    list_issuer = _issuer_id(status_list) or "(nobody named)"
    list_issuer_check, list_signature = _status_list_proofs(status_list)
    if list_issuer_check.unavailable or list_signature.unavailable:
        raise _StatusProblem(
            "The status list's signature could not be checked, so whether the credential was "
            f"revoked is not known: {list_issuer_check.detail}",
            unavailable=True,
        )
    if not list_signature.ok:
        detail = list_issuer_check.detail if list_issuer_check.ok is False else ""
        raise _StatusProblem(
            "The status list's own signature does not verify: " + (detail or list_signature.detail)
        )
    subject = status_list.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    if not isinstance(subject, dict):
        raise _StatusProblem("The status list is unreadable: it has no credentialSubject.")
    try:
        bits = bitstring.decode(subject.get("encodedList", ""))
        is_set = bitstring.is_set(bits, index)
    except bitstring.BitstringError as error:
        raise _StatusProblem(f"The status list is unreadable: {error}") from None
    purpose = entry.get("statusPurpose", subject.get("statusPurpose", "revocation"))
    return is_set, str(purpose), list_issuer


def _check_status(document: dict[str, Any], now: datetime) -> tuple[Check, str | None]:
    entries = [e for e in _as_list(document.get("credentialStatus")) if e]
    if not entries:
        return (
            Check(
                "status",
                "Status",
                None,
                "The credential has no status list, so its issuer cannot revoke it.",
            ),
            None,
        )
    issuer = _issuer_id(document)
    not_checked: list[str] = []
    unread: list[str] = []  # kinds or purposes of status this verifier does not read
    checked: list[str] = []
    for entry in entries[:4]:
        kind = entry.get("type") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or kind not in STATUS_ENTRY_TYPES:
            described = kind if isinstance(kind, str) else type(entry).__name__
            unread.append(
                f"The credential's status uses {described}, a kind this verifier does not read, "
                "so whether the issuer revoked it was not checked."
            )
            continue
        try:
            is_set, purpose, list_issuer = _read_entry(document, entry)
        except _StatusProblem as problem:
            if problem.unavailable:
                not_checked.append(problem.detail)
                continue
            return Check("status", "Status", False, problem.detail), None
        signer = (
            "" if list_issuer == issuer else f" (the list is published and signed by {list_issuer})"
        )
        if purpose not in ("revocation", "suspension"):
            unread.append(
                f"A status list for {purpose!r} was not checked: it does not say whether the "
                "credential was revoked."
            )
            continue
        if is_set:
            replaced = _our_replacement(document)
            if replaced:
                return Check("status", "Status", False, replaced), "superseded"
            if purpose == "suspension":
                detail = (
                    "The issuer has suspended this credential: it does not count while it is "
                    "suspended, and the issuer may reinstate it."
                )
                word = "suspended"
            else:
                detail = (
                    f"The issuer revoked this credential{_our_revocation_day(document)}: it no "
                    "longer counts as proof of the achievement, although its signature is "
                    "genuine."
                )
                word = "revoked"
            return Check(
                "status",
                "Status",
                False,
                f"{detail} Checked just now against the issuer's signed status list{signer}.",
            ), word
        checked.append(
            f"Not {'suspended' if purpose == 'suspension' else 'revoked'}: the issuer's signed "
            f"status list, checked just now, lists it as in good standing{signer}."
        )
    if len(entries) > 4:
        not_checked.append("Status entries past the fourth were not checked.")
    if not_checked:
        return _not_checked("status", "Status", " ".join([*checked, *not_checked, *unread])), None
    if unread:
        return Check(
            "status",
            "Status",
            True if checked else None,
            " ".join([*checked, *unread]),
            unavailable=not checked,
            holds_verdict=False,
        ), None
    return Check("status", "Status", True, " ".join(checked)), None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%B %-d, %Y")


def _check_validity(document: dict[str, Any], now: datetime) -> tuple[Check, str | None]:
    start_field, end_field = (
        ("validFrom", "validUntil")
        if _as_list(document.get("@context"))[0] == jsonld.VC_V2
        else ("issuanceDate", "expirationDate")
    )
    for name in (start_field, end_field):
        if name in document and _parse_time(document[name]) is None:
            return Check("validity", "Dates", False, f"{name} is not a valid date and time."), None
    start = _parse_time(document.get(start_field))
    end = _parse_time(document.get(end_field))
    if start_field == "issuanceDate" and start is None:
        return Check("validity", "Dates", False, "The credential has no issuanceDate."), None
    if start and now < start:
        return (
            Check("validity", "Dates", False, f"Not valid yet: it becomes valid on {_day(start)}."),
            "not-yet-valid",
        )
    if end and now >= end:
        return Check("validity", "Dates", False, f"Expired on {_day(end)}."), "expired"
    if end:
        detail = f"Valid until {_day(end)}."
    else:
        detail = "Valid from " + (_day(start) if start else "its issue") + "; it does not expire."
    return Check("validity", "Dates", True, detail), None


@cache
def _schemas() -> dict[str, Any]:
    """The bundled JSON schemas by their $id, compiled once (jsonschema-rs, in Rust)."""
    import jsonschema_rs

    found: dict[str, Any] = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = json.loads(path.read_text())
        found[schema.get("$id", path.name)] = jsonschema_rs.validator_for(schema)
    return found


def _check_schema(document: dict[str, Any]) -> Check:
    types = set(_as_list(document.get("type")))
    declared = [s for s in _as_list(document.get("credentialSchema")) if isinstance(s, dict)]
    if not declared:
        if types & OB_TYPES:
            return Check(
                "schema", "Open Badges schema", None, "The badge names no JSON schema to check."
            )
        return Check("schema", "Schema", None, "No schema is named; nothing to check.")
    notes, ok = [], True
    for entry in declared:
        schema_id = str(entry.get("id"))
        validator = _schemas().get(schema_id)
        if validator is None:
            notes.append(f"The schema {schema_id} is not one this verifier carries; not checked.")
            continue
        try:
            if validator.is_valid(document):
                notes.append(f"It matches {SCHEMA_NAMES.get(schema_id, 'the JSON schema')}.")
                continue
            errors = sorted(
                validator.iter_errors(document), key=lambda e: [str(p) for p in e.instance_path]
            )
        except ValueError as error:  # the validator's own limits (recursion, size)
            ok = False
            notes.append(f"It could not be checked against the 1EdTech schema: {error}.")
            continue
        if errors:
            ok = False
            first = errors[0]
            where = "/".join(str(p) for p in first.instance_path) or "the credential"
            notes.append(
                f"It does not match the 1EdTech schema: at {where}, {first.message} "
                f"({len(errors)} problem{'s' if len(errors) != 1 else ''} in all)."
            )
        else:
            notes.append(f"It matches {SCHEMA_NAMES.get(schema_id, 'the JSON schema')}.")
    checked = any(_schemas().get(str(entry.get("id"))) for entry in declared)
    label = "CLR schema" if CLR_TYPE in types else "Open Badges schema"
    return Check("schema", label, ok if checked else None, " ".join(notes))


def _embedded(document: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    for subject in _as_list(document.get("credentialSubject")):
        if isinstance(subject, dict) and "verifiableCredential" in subject:
            found.extend(_as_list(subject["verifiableCredential"]))
    return found


def _check_embedded(document: dict[str, Any], now: datetime) -> Check:
    """A CLR transcript's credentials, each verified as if it were given on its own: the
    transcript's signature proves what it held when signed, not that a badge inside was not
    revoked since, nor that the badge's own issuer signed it."""
    label = "Credentials inside"
    items = _embedded(document)
    if not items:
        return Check("embedded", label, False, "The transcript holds no credentials.")
    if len(items) > MAX_EMBEDDED:
        return _not_checked(
            "embedded",
            label,
            f"The transcript holds {len(items)} credentials; this verifier checks at most "
            f"{MAX_EMBEDDED}.",
        )
    failed: list[str] = []
    unchecked: list[str] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            failed.append(f"Credential {index} is not a credential (a JSON object).")
            continue
        name = item.get("name")
        title = f"“{name}”" if isinstance(name, str) and name.strip() else f"Credential {index}"
        if CLR_TYPE in _as_list(item.get("type")):
            failed.append(f"{title} is itself a transcript; a transcript holds credentials.")
            continue
        verdict = verify_credential(item, now=now)
        if verdict.verified:
            continue
        reason = next((c for c in verdict.checks if c.ok is False), None) or next(
            (c for c in verdict.checks if c.unavailable and c.holds_verdict), None
        )
        said = f"{title}: {verdict.headline}" + (f" ({reason.detail})" if reason else "")
        (unchecked if verdict.status == "unchecked" else failed).append(said)
    if failed:
        return Check("embedded", label, False, " ".join(failed + unchecked))
    if unchecked:
        return _not_checked("embedded", label, " ".join(unchecked))
    count = f"{len(items)} credential{'s' if len(items) != 1 else ''}"
    return Check(
        "embedded",
        label,
        True,
        f"All {count} inside verify on their own: signed by their issuers, not revoked, within "
        "their dates.",
    )


HEADLINES = {
    "verified": "Verified",
    "unchecked": "Could not be checked",
    "revoked": "Revoked by the issuer",
    "suspended": "Suspended by the issuer",
    "superseded": "Replaced by a newer credential",
    "expired": "Expired",
    "not-yet-valid": "Not valid yet",
    "invalid": "Not verified",
}


def verify_credential(
    document: dict[str, Any],
    *,
    now: datetime | None = None,
    proof_checks: tuple[Check, Check] | None = None,
) -> Verdict:
    """The verdict on a credential. `proof_checks` are the issuer and signature checks of
    an external proof (a VC-JWT, see vcjwt.py), used instead of the embedded proofs."""
    now = now or datetime.now(UTC)
    shape = _check_shape(document)
    if not shape.ok:
        return Verdict(False, "invalid", HEADLINES["invalid"], [shape], document)
    contexts = _check_contexts(document)
    with fetch.time_budget():
        if proof_checks is not None:
            issuer, signature = proof_checks
            if contexts.ok is False:
                # A JWS signs the credential's text as written, undefined terms included.
                contexts = Check(
                    contexts.key,
                    contexts.label,
                    None,
                    f"{contexts.detail} The VC-JWT's signature covers the text as written, so "
                    "this does not weaken it.",
                )
        elif contexts.ok:
            issuer, signature = _check_proofs(document)
        else:
            issuer = Check("issuer", "Issuer", None, "Not checked: the vocabulary is not known.")
            signature = Check(
                "signature",
                "Signature",
                False,
                "Not checked: a signature over terms no context defines proves nothing.",
            )
        if signature.ok is True:
            status, status_word = _check_status(document, now)
        elif signature.unavailable:
            status, status_word = (
                _not_checked(
                    "status", "Status", "Not checked: the signature could not be checked first."
                ),
                None,
            )
        elif replaced := _our_replacement(document):
            # One of ours whose key was compromised (so unpublished) and which was issued
            # again: say where the current copy is, read from our own database.
            status, status_word = Check("status", "Status", False, replaced), "superseded"
        else:
            # An unsigned or forged credential does not make the verifier fetch anything.
            status, status_word = (
                Check("status", "Status", None, "Not checked: the signature did not verify."),
                None,
            )
    validity, validity_word = _check_validity(document, now)
    schema = _check_schema(document)
    checks = [shape, contexts, issuer, signature, status, validity, schema]
    if CLR_TYPE in _as_list(document.get("type")):
        if signature.ok is True:
            with fetch.time_budget():  # one deadline for every credential inside
                checks.append(_check_embedded(document, now))
        else:
            checks.append(
                Check(
                    "embedded",
                    "Credentials inside",
                    None,
                    "Not checked: the transcript's own signature did not verify.",
                )
            )
    failed = any(check.ok is False for check in checks)
    unavailable = any(check.unavailable and check.holds_verdict for check in checks)
    if not failed and not unavailable and signature.ok is True:
        word = "verified"
    elif not failed and unavailable:
        word = "unchecked"
    elif signature.ok is not True or contexts.ok is False or issuer.ok is False:
        word = "invalid"
    else:
        word = status_word or validity_word or "invalid"
    verdict = Verdict(word == "verified", word, HEADLINES[word], checks, document)
    verdict.warnings = name_warnings(document)
    return verdict


def name_warnings(document: dict[str, Any]) -> list[str]:
    """A credential whose issuer calls itself by the name of one of this site's issuers but
    is not that issuer: anyone can sign with their own key and write any name, so say whose
    name it borrows and who really issued it (the signature only proves the latter)."""
    issuer = document.get("issuer")
    name = issuer.get("name") if isinstance(issuer, dict) else None
    return issuer_name_warnings(name, _issuer_id(document) or "")


def issuer_name_warnings(name: Any, issuer_id: str) -> list[str]:
    from microcred.badges.models import IssuerIdentity

    if not isinstance(name, str) or not name.strip() or len(name) > 300:
        return []
    namesake = (
        IssuerIdentity.objects.filter(organization__name__iexact=name.strip())
        .select_related("organization")
        .first()
    )
    if namesake is None:
        return []
    own_ids = {
        namesake.did,
        # Its Open Badges 2.0 issuer profile, for the 2.0 copies of its badges.
        f"{namesake.site_url}{reverse('badges:ob2-issuer', args=[namesake.organization.slug])}",
    }
    if issuer_id.split("#", 1)[0] in own_ids:
        return []
    return [
        f"This credential calls its issuer “{name.strip()}”, the name of an issuer on this "
        f"site, but it was not issued by it: {namesake.organization.name} issues as "
        f"{namesake.did}, and this credential's issuer is {issuer_id or 'not named'}. The "
        "checks below prove only who signed it, not the name it gives itself."
    ]


def recipient_of(document: dict[str, Any]) -> dict[str, Any] | None:
    """Who the credential was issued to, as it says: a name when it carries one, and its
    identifiers (an email address is usually hashed with a salt, so only someone who knows
    the address can confirm it)."""
    subject = document.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    if not isinstance(subject, dict):
        return None
    name = subject.get("name") if isinstance(subject.get("name"), str) else None
    identifiers = []
    for item in _as_list(subject.get("identifier"))[:10]:
        if not isinstance(item, dict) or not isinstance(item.get("identityHash"), str):
            continue
        kind = str(item.get("identityType") or "identifier")
        hashed = bool(item.get("hashed"))
        if kind == "name" and not hashed:
            name = name or item["identityHash"]
            continue
        identifiers.append(
            {
                "type": kind,
                "label": IDENTITY_TYPES.get(kind, kind),
                "hashed": hashed,
                "value": item["identityHash"],
            }
        )
    subject_id = subject.get("id") if isinstance(subject.get("id"), str) else None
    if name is None and not identifiers and subject_id is None:
        return None
    return {"name": name, "id": subject_id, "identifiers": identifiers}


IDENTITY_TYPES = {
    "emailAddress": "Email address",
    "sourcedId": "Student information system id",
    "studentId": "Student id",
    "nationalIdentityNumber": "National identity number",
    "phoneNumber": "Phone number",
    "lisSourcedId": "LIS sourced id",
    "identifier": "Identifier",
}
