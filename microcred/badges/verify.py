"""Verifying a credential from anyone: ours or another issuer's, VC 1.1 or 2.0.

The verdict is a list of checks, each with a plain-language explanation, so a person can
see what was checked and why something failed:

1. credential  — it is a Verifiable Credential at all (JSON object, contexts, type, issuer);
2. contexts    — every JSON-LD context is one we carry, and every term is defined by them
                 (independent verifiers run JSON-LD in safe mode; so do we);
3. issuer      — the issuer's DID (did:key decoded here, did:web fetched or, for this
                 installation, read locally) lists the signing key for assertions;
4. signature   — each proof (eddsa-rdfc-2022 or Ed25519Signature2020, several allowed)
                 matches the canonical credential;
5. status      — the issuer's Bitstring Status List, itself verified, does not have the
                 credential's bit set (revoked, or for our own credentials: replaced);
6. validity    — now is within validFrom/validUntil (issuanceDate/expirationDate in 1.1);
7. schema      — an Open Badge validates against the 1EdTech JSON schema it names.

A check that does not apply (no status list, not an Open Badge) is `None`; the credential
is verified when every check that applies passes.

The input layer (read_input, verify_text, verify_url) also takes a credential secured as a
VC-JWT (vcjwt.py supplies the issuer and signature checks) and Open Badges 2.0 assertions,
hosted or signed (verify_ob2.py, which gives a verdict of the same shape); `Verdict.format`
says which it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, ResolverMatch, resolve

from microcred.badges import baking, bitstring, did, fetch, jsonld, proofs

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
MAX_BYTES = 5 * 1024 * 1024
OB_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
VC_CONTEXTS = (jsonld.VC_V2, jsonld.VC_V1)


@dataclass
class Check:
    key: str
    label: str
    ok: bool | None
    detail: str


@dataclass
class Verdict:
    verified: bool
    status: str  # verified, revoked, superseded, expired, not-yet-valid, invalid, unreadable
    headline: str
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None
    source: str = ""  # json, png, svg, url
    # How the credential is secured, when not an embedded proof: "Open Badges 2.0 assertion
    # (hosted)", "Secured as a VC-JWT (EdDSA)".
    format: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "status": self.status,
            "headline": self.headline,
            "source": self.source,
            "format": self.format,
            "id": (self.credential or {}).get("id"),
            "checks": {check.key: {**asdict(check)} for check in self.checks},
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
        text = data.decode("utf-8", errors="replace")
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
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        where = f" (line {error.lineno}, column {error.colno})"
        raise Unreadable(f"This is not valid JSON{where}, so it cannot be a credential.") from None
    except (ValueError, RecursionError):
        raise Unreadable("This is not valid JSON, so it cannot be a credential.") from None
    if isinstance(document, str) and document.startswith(("http://", "https://")):
        raise Unreadable(
            "The badge holds a link (an Open Badges 2.0 hosted badge), not a credential; "
            "paste the link into the verifier instead."
        )
    if not isinstance(document, dict):
        raise Unreadable("This JSON is not a credential (a credential is a JSON object).")
    return document


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
    undefined = jsonld.undefined_terms(document)
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


def _check_proofs(document: dict[str, Any]) -> tuple[Check, Check]:
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
        try:
            method = did.resolve_method(proof.get("verificationMethod", ""))
        except (did.ResolutionError, fetch.FetchError) as error:
            issuer_ok = False
            issuer_notes.append(f"{prefix}{error}")
            continue
        if method.controller != issuer:
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
            signature_notes.append("Not checked: the signing key could not be found.")
    return (
        Check("issuer", "Issuer", issuer_ok, " ".join(issuer_notes)),
        Check("signature", "Signature", signature_ok, " ".join(signature_notes)),
    )


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

    credential_id = document.get("id", "")
    issuer = _issuer_id(document) or ""
    if not (isinstance(credential_id, str) and credential_id.startswith("urn:uuid:")):
        return None
    if not did.is_local_did(issuer):
        return None
    row = (
        IssuedCredential.objects.filter(public_id=credential_id[len("urn:uuid:") :])
        .select_related("superseded_by")
        .first()
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


def _status_list_proofs(status_list: dict[str, Any]) -> tuple[Check, Check]:
    """The status list credential's own proof checks, kept by content: every credential of an
    issuer points at the same few lists, and a list only changes when a bit does."""
    key = hashlib.sha256(json.dumps(status_list, sort_keys=True).encode()).hexdigest()
    found = _STATUS_LIST_PROOFS.get(key)
    if found is None:
        found = _check_proofs(status_list)
        if len(_STATUS_LIST_PROOFS) > 256:
            _STATUS_LIST_PROOFS.clear()
        _STATUS_LIST_PROOFS[key] = found
    return found


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
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") not in (
            "BitstringStatusListEntry",
            "StatusList2021Entry",
        ):
            kind = entry.get("type") if isinstance(entry, dict) else type(entry).__name__
            return Check("status", "Status", False, f"Unknown kind of status: {kind}."), None
        url = entry.get("statusListCredential")
        purpose = entry.get("statusPurpose", "revocation")
        try:
            index = int(entry.get("statusListIndex", ""))
        except (TypeError, ValueError):
            return Check("status", "Status", False, "The status entry has no valid index."), None
        if not isinstance(url, str):
            return Check("status", "Status", False, "The status entry names no list."), None
        try:
            status_list = _local_status_document(url) or fetch.fetch_json(url)
        except fetch.FetchError as error:
            return Check(
                "status", "Status", False, f"The status list could not be read: {error}"
            ), None
        if not isinstance(status_list, dict):
            return Check("status", "Status", False, "The status list is not a JSON object."), None
        list_issuer = _issuer_id(status_list)
        if list_issuer != _issuer_id(document):
            return (
                Check(
                    "status",
                    "Status",
                    False,
                    f"The status list is published by {list_issuer}, not by the credential's "
                    "issuer.",
                ),
                None,
            )
        list_issuer_check, list_signature = _status_list_proofs(status_list)
        if not list_signature.ok:
            return (
                Check(
                    "status",
                    "Status",
                    False,
                    "The status list's own signature does not verify: "
                    f"{list_issuer_check.detail if not list_issuer_check.ok else list_signature.detail}",
                ),
                None,
            )
        subject = status_list.get("credentialSubject") or {}
        if isinstance(subject, list):
            subject = subject[0] if subject else {}
        try:
            bits = bitstring.decode(subject.get("encodedList", ""))
            revoked = bitstring.is_set(bits, index)
        except bitstring.BitstringError as error:
            return Check("status", "Status", False, f"The status list is unreadable: {error}"), None
        if revoked:
            replaced = _our_replacement(document)
            if replaced:
                return Check("status", "Status", False, replaced), "superseded"
            word = "suspended" if purpose == "suspension" else "revoked"
            return (
                Check(
                    "status",
                    "Status",
                    False,
                    f"The issuer has {word} this credential (its bit in the issuer's status "
                    "list is set).",
                ),
                word,
            )
    return (
        Check(
            "status",
            "Status",
            True,
            "Not revoked: the issuer's signed status list has this credential's bit clear.",
        ),
        None,
    )


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
        if validator.is_valid(document):
            notes.append("It matches the 1EdTech Open Badges 3.0 JSON schema.")
            continue
        errors = sorted(
            validator.iter_errors(document), key=lambda e: [str(p) for p in e.instance_path]
        )
        if errors:
            ok = False
            first = errors[0]
            where = "/".join(str(p) for p in first.instance_path) or "the credential"
            notes.append(
                f"It does not match the 1EdTech schema: at {where}, {first.message} "
                f"({len(errors)} problem{'s' if len(errors) != 1 else ''} in all)."
            )
        else:
            notes.append("It matches the 1EdTech Open Badges 3.0 JSON schema.")
    checked = any(_schemas().get(str(entry.get("id"))) for entry in declared)
    return Check("schema", "Open Badges schema", ok if checked else None, " ".join(notes))


HEADLINES = {
    "verified": "Verified",
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
    status, status_word = _check_status(document, now)
    validity, validity_word = _check_validity(document, now)
    schema = _check_schema(document)
    checks = [shape, contexts, issuer, signature, status, validity, schema]
    verified = all(check.ok is not False for check in checks) and signature.ok is True
    if verified:
        word = "verified"
    elif signature.ok is not True or contexts.ok is False or issuer.ok is False:
        word = "invalid"
    else:
        word = status_word or validity_word or "invalid"
    return Verdict(verified, word, HEADLINES[word], checks, document)
