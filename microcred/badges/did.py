"""Decentralized identifiers: our issuers' did:web documents, and resolving other DIDs.

Each issuing organization is `did:web:<host>:orgs:<slug>`, whose document is served at
`<SITE_URL>/orgs/<slug>/did.json`. The host comes from SITE_URL (a port is percent-encoded
as did:web asks: `localhost%3A8000`), so a development server resolves too. It is decided
once, when the organization's first key is made, and stored (models.IssuerIdentity): a
later SITE_URL never changes it.

Resolving a verification method: `did:key` is decoded locally; a did:web of this
installation is read from our own database (the same document we serve); any other
did:web — or an https controller document — is fetched through `fetch.py`, which refuses
private addresses in production and bounds time and size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings

from microcred.badges import keys
from microcred.badges.jsonld import DID_V1, ED25519_2020, MULTIKEY_V1

if TYPE_CHECKING:
    from microcred.badges.models import IssuerKey
    from microcred.core.models import Organization


class ResolutionError(ValueError):
    """A DID or key that cannot be resolved; the message is for a person."""


# ----------------------------------------------------------------------------- our DIDs


def _site(site_url: str | None = None) -> tuple[str, str, str]:
    parts = urlsplit(site_url if site_url is not None else settings.SITE_URL)
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


def web_did(path_segments: list[str], *, site_url: str | None = None) -> str:
    """The did:web for a path of this installation (percent-encoding the port's colon), or of
    the installation at `site_url`."""
    _, netloc, base = _site(site_url)
    segments = [quote(netloc, safe="")] + [s for s in base.split("/") if s] + path_segments
    return "did:web:" + ":".join(segments)


def did_for_site(organization: Organization, site_url: str) -> str:
    """The DID an organization would have if it were decided under `site_url`."""
    return web_did(["orgs", organization.slug], site_url=site_url)


def organization_did(organization: Organization) -> str:
    """The organization's DID: the stored one (decided when its first key was made), or for
    an organization that has not signed anything yet, the one SITE_URL makes."""
    from microcred.badges.models import IssuerIdentity

    stored = (
        IssuerIdentity.objects.filter(organization_id=organization.pk)
        .values_list("did", flat=True)
        .first()
    )
    return stored or did_for_site(organization, settings.SITE_URL)


def did_web_url(did: str) -> str:
    """The URL of a did:web's document: `did:web:host:a:b` → `https://host/a/b/did.json`,
    `did:web:host` → `https://host/.well-known/did.json`; plain http only for localhost."""
    if not did.startswith("did:web:"):
        raise ResolutionError(f"{did} is not a did:web identifier.")
    parts = did[len("did:web:") :].split("#", 1)[0].split(":")
    host = unquote(parts[0])
    if not host or "/" in host or "@" in host:
        raise ResolutionError(f"{did} does not name a valid host.")
    path = "/".join(unquote(p) for p in parts[1:])
    hostname = urlsplit(f"//{host}").hostname or ""
    scheme = "http" if hostname in ("localhost", "127.0.0.1", "::1") else "https"
    return (
        f"{scheme}://{host}/{path}/did.json" if path else f"{scheme}://{host}/.well-known/did.json"
    )


def is_local_did(did: str) -> bool:
    """Whether a did:web names an organization of this installation (and the verifier reads
    our own documents from the database: VERIFIER_READ_OWN_DOCUMENTS)."""
    if not getattr(settings, "VERIFIER_READ_OWN_DOCUMENTS", True):
        return False
    prefix = web_did(["orgs"]) + ":"
    rest = did.split("#", 1)[0]
    return rest.startswith(prefix) and ":" not in rest[len(prefix) :]


def local_slug(did: str) -> str:
    return did.split("#", 1)[0].rsplit(":", 1)[1]


def method_id(organization: Organization, key: IssuerKey) -> str:
    return f"{organization_did(organization)}#{key.key_id}"


def did_document(did: str, issuer_keys: list[IssuerKey]) -> dict[str, Any]:
    """The DID document of one of our organizations (`did` is its stored DID): every key it
    signed with, newest first, each a Multikey listed under assertionMethod. Retired keys
    stay so old credentials verify; compromised keys are left out, so nothing signed with
    them verifies any more."""
    kept = [key for key in issuer_keys if key.compromised_at is None]
    ordered = sorted(kept, key=lambda k: (k.retired_at is None, k.created_at), reverse=True)
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in ordered
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


# ----------------------------------------------------------------------------- resolving


@dataclass(frozen=True, slots=True)
class Method:
    """A resolved verification method: its id, controller and Ed25519 public key, and the
    verification relationships the controller lists it under."""

    id: str
    controller: str
    public_key: bytes
    relationships: frozenset[str]
    source: str  # how it was resolved, for the verifier's explanation


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document a did:key stands for (Ed25519 only)."""
    fingerprint = did[len("did:key:") :].split("#", 1)[0]
    try:
        keys.decode_public_multikey(fingerprint)
    except keys.KeyFormatError as error:
        raise ResolutionError(f"{did} is not an Ed25519 did:key: {error}") from None
    method = f"did:key:{fingerprint}#{fingerprint}"
    return {
        "@context": [DID_V1, ED25519_2020, MULTIKEY_V1],
        "id": f"did:key:{fingerprint}",
        "verificationMethod": [
            {
                "id": method,
                "type": "Ed25519VerificationKey2020",
                "controller": f"did:key:{fingerprint}",
                "publicKeyMultibase": fingerprint,
            }
        ],
        "assertionMethod": [method],
        "authentication": [method],
    }


def _method_key(method: dict[str, Any]) -> bytes:
    kind = method.get("type")
    if kind not in ("Multikey", "Ed25519VerificationKey2020"):
        raise ResolutionError(
            f"The key {method.get('id')} is of type {kind}; only Ed25519 keys (Multikey, "
            "Ed25519VerificationKey2020) are supported."
        )
    value = method.get("publicKeyMultibase")
    if not isinstance(value, str):
        raise ResolutionError(f"The key {method.get('id')} has no publicKeyMultibase.")
    try:
        return keys.decode_public_multikey(value)
    except keys.KeyFormatError as error:
        raise ResolutionError(f"The key {method.get('id')}: {error}") from None


def method_from_document(
    document: dict[str, Any], method_id: str, source: str, *, profile: bool = False
) -> Method:
    """Find a verification method in a controller (DID) document.

    The document speaks only for itself: a method that names another `controller` is
    refused, whatever that controller is (an attacker's document can claim anyone). An https
    issuer profile (the 1EdTech convention: the profile holds its keys under
    `verificationMethod`) that lists no `assertionMethod` asserts with the keys it holds; one
    that lists `<profile>#<public key multibase>` under `assertionMethod` without a key object
    (1EdTech's controller documents) holds the key the id spells out."""
    if not isinstance(document, dict):
        raise ResolutionError("The controller document is not a JSON object.")
    base = method_id.split("#", 1)[0]
    if document.get("id") != base:
        raise ResolutionError(
            f"The document fetched for {base} describes {document.get('id')!r} instead."
        )

    def absolute(ref: Any) -> Any:
        return f"{base}{ref}" if isinstance(ref, str) and ref.startswith("#") else ref

    relationships = set()
    embedded = None
    for relationship in ("assertionMethod", "authentication", "capabilityInvocation"):
        for entry in document.get(relationship) or []:
            if isinstance(entry, dict):
                if absolute(entry.get("id")) == method_id:
                    relationships.add(relationship)
                    embedded = entry
            elif absolute(entry) == method_id:
                relationships.add(relationship)
    found = embedded
    for candidate in document.get("verificationMethod") or []:
        if isinstance(candidate, dict) and absolute(candidate.get("id")) == method_id:
            found = candidate
    if found is None and profile and "assertionMethod" in relationships:
        # 1EdTech's controller document for an https issuer lists `<profile>#<multikey>` under
        # assertionMethod without a key object: the id itself carries the public key.
        fragment = method_id.split("#", 1)[1] if "#" in method_id else ""
        found = {"id": method_id, "type": "Multikey", "publicKeyMultibase": fragment}
    if found is None:
        raise ResolutionError(f"The key {method_id} is not in its controller's document.")
    controller = found.get("controller", base)
    if controller != base:
        raise ResolutionError(
            f"The document of {base} lists the key {method_id} as controlled by {controller}; "
            "a document can only speak for its own keys, so this key is not trusted."
        )
    if profile and "assertionMethod" not in document:
        relationships.add("assertionMethod")
    return Method(
        id=method_id,
        controller=base,
        public_key=_method_key(found),
        relationships=frozenset(relationships),
        source=source,
    )


def _local_document(did: str, *, fresh: bool = False) -> dict[str, Any]:
    """The DID document of one of our organizations, as served. Read from the database each
    time (one indexed read), never kept: a key marked compromised must stop verifying in
    every process at once (`fresh` is accepted for callers that ask for a new read)."""
    from microcred.badges.models import IssuerKey

    base = did.split("#", 1)[0]
    issuer_keys = list(IssuerKey.objects.filter(organization__issuer_identity__did=base))
    if not issuer_keys:  # the identity is stored with the first key: no keys, no issuer here
        raise ResolutionError(f"{did} names no organization of this installation.")
    return did_document(base, issuer_keys)


def forget_local(did: str | None = None) -> None:
    """Nothing is kept per process any more (see `_local_document`); kept for callers."""


def resolve_method(method_id: str) -> Method:
    """The public key behind a verification method id, from wherever it lives."""
    if not isinstance(method_id, str) or not method_id:
        raise ResolutionError("The proof names no verification method.")
    base = method_id.split("#", 1)[0]
    if method_id.startswith("did:key:"):
        return method_from_document(did_key_document(base), method_id, "did:key, decoded here")
    if method_id.startswith("did:web:"):
        if is_local_did(base):
            source = "did:web of this installation"
            try:
                return method_from_document(_local_document(base), method_id, source)
            except ResolutionError:
                return method_from_document(_local_document(base, fresh=True), method_id, source)
        from microcred.badges.fetch import fetch_json

        url = did_web_url(base)
        return method_from_document(fetch_json(url), method_id, f"did:web, fetched from {url}")
    if method_id.startswith("https://"):
        from microcred.badges.fetch import fetch_json

        return method_from_document(
            fetch_json(base), method_id, f"the issuer profile fetched from {base}", profile=True
        )
    scheme = method_id.split(":", 1)[0]
    raise ResolutionError(f"Keys of the {scheme}: kind cannot be resolved here.")
