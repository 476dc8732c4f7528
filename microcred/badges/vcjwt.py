"""Open Badges 3.0 credentials secured as a VC-JWT: a compact JWS whose payload is the
credential (OB 3.0 §8.2 "JSON Web Token Proof Format", VC-JOSE-COSE), or, from VC 1.1
issuers, the credential in the payload's `vc` claim.

This module owns reading such a token and checking its signature and its key; the
credential inside is then checked like any other (vocabulary, status, dates, schema) by
`verify.verify_credential`, with this module's issuer and signature checks standing in
for embedded proofs.

- The header's `alg` must be a public-key signature (RS*, PS*, ES*, EdDSA); `none` and
  the HMAC algorithms are refused before any key is looked at.
- The key comes from `kid` (a DID URL, resolved as for embedded proofs, or an https URL
  under the issuer's own address) or from the header's `jwk`. A `jwk` proves nothing by
  itself — anyone can put their own key there — so it counts only when the issuer
  publishes the same key for issuing (`assertionMethod` of its DID document or of its
  https profile).
- The registered claims must agree with the credential: `iss` = issuer, `jti` = id,
  `sub` = subject id, `nbf` = validFrom; `exp` sets validUntil when the credential has none.

PyJWT does the JWS verification; every refusal is a sentence for the person verifying.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from microcred.badges import did, fetch, jsonld, keys, verify

ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
REGISTERED_CLAIMS = ("iss", "sub", "jti", "nbf", "exp", "iat", "aud")
PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
MAX_TOKEN = verify.MAX_BYTES


class TokenError(ValueError):
    """A token that cannot be read or whose key cannot be trusted; the message is for a person."""


# ----------------------------------------------------------------------------- reading


def _segment(part: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        value = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise TokenError(
            f"This looks like a JWT, but its {what} is not base64url-encoded JSON, so it "
            "cannot be a VC-JWT."
        ) from None
    if not isinstance(value, dict):
        raise TokenError(f"This looks like a JWT, but its {what} is not a JSON object.")
    return value


def peek(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload of a compact JWS, not yet verified."""
    if len(token) > MAX_TOKEN:
        raise TokenError("This token is larger than the verifier's limit.")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts):
        raise TokenError(
            "This is not a compact JWS (three base64url parts separated by dots), so it "
            "cannot be a VC-JWT."
        )
    return _segment(parts[0], "header"), _segment(parts[1], "payload")


def credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential a VC-JWT carries: the payload itself (OB 3.0, VC 2.0) without the
    registered JWT claims, or the `vc` claim of a VC 1.1 token."""
    if isinstance(payload.get("vc"), dict):
        # VC 1.1 JWTs may leave out what the claims say (VC Data Model 1.1 §6.3.1).
        credential = dict(payload["vc"])
        if "issuer" not in credential and isinstance(payload.get("iss"), str):
            credential["issuer"] = payload["iss"]
        if "id" not in credential and isinstance(payload.get("jti"), str):
            credential["id"] = payload["jti"]
        subject = credential.get("credentialSubject")
        if (
            isinstance(subject, dict)
            and "id" not in subject
            and isinstance(payload.get("sub"), str)
        ):
            credential["credentialSubject"] = {**subject, "id": payload["sub"]}
        return credential
    if "vc" in payload:
        raise TokenError("The token's vc claim is not a credential (a JSON object).")
    return {k: v for k, v in payload.items() if k not in REGISTERED_CLAIMS}


def _issuer_of(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else ""


def algorithm_of(header: dict[str, Any]) -> str | None:
    """The header's `alg` when it is a string (anything else is no algorithm at all)."""
    alg = header.get("alg")
    return alg if isinstance(alg, str) else None


# ----------------------------------------------------------------------------- keys


def _jwk_key(jwk_value: Any, alg: str, where: str) -> Any:
    if not isinstance(jwk_value, dict):
        raise TokenError(f"{where} is not a JSON Web Key.")
    if PRIVATE_JWK_MEMBERS & set(jwk_value):
        raise TokenError(
            f"{where} holds a private key, which must never be published; it is not used."
        )
    try:
        return jwt.PyJWK(jwk_value, algorithm=alg).key
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        raise TokenError(f"{where} is not a valid public key for {alg}.") from None


def _ed25519_jwk(public: bytes) -> dict[str, str]:
    x = base64.urlsafe_b64encode(public).rstrip(b"=").decode("ascii")
    return {"kty": "OKP", "crv": "Ed25519", "x": x}


def _public_members(value: dict[str, Any]) -> dict[str, Any]:
    return {k: value.get(k) for k in ("kty", "crv", "x", "y", "n", "e")}


def _entry_jwk(entry: dict[str, Any]) -> dict[str, Any] | None:
    """The public key of a verification method as a JWK (publicKeyJwk or an Ed25519
    publicKeyMultibase), or None when it has neither."""
    if isinstance(entry.get("publicKeyJwk"), dict):
        return entry["publicKeyJwk"]
    value = entry.get("publicKeyMultibase")
    if isinstance(value, str):
        try:
            return _ed25519_jwk(keys.decode_public_multikey(value))
        except keys.KeyFormatError:
            return None
    return None


def _controller_document(controller: str) -> dict[str, Any]:
    """The document that lists a controller's keys: a DID document (did:key decoded,
    our did:web read locally, another did:web fetched) or an https issuer profile."""
    if controller.startswith("did:key:"):
        return did.did_key_document(controller)
    if controller.startswith("did:web:"):
        if did.is_local_did(controller):
            # Our own issuers' documents, as did.py serves them (never fetched from ourselves).
            return did._local_document(controller)
        document = fetch.fetch_json(did.did_web_url(controller))
    elif controller.startswith(("https://", "http://")):
        document = fetch.fetch_json(controller)
    else:
        scheme = controller.split(":", 1)[0]
        raise TokenError(f"Keys of the {scheme}: kind cannot be looked up here.")
    if not isinstance(document, dict) or document.get("id") != controller:
        raise TokenError(f"The document fetched for {controller} does not describe it.")
    return document


def _assertion_methods(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The verification methods a controller document lists for issuing (assertionMethod),
    each one its own (id under the document, controller the document when named)."""
    base = document.get("id")

    def absolute(ref: Any) -> Any:
        return f"{base}{ref}" if isinstance(ref, str) and ref.startswith("#") else ref

    by_id = {
        absolute(entry.get("id")): entry
        for entry in document.get("verificationMethod") or []
        if isinstance(entry, dict)
    }
    found = []
    for item in document.get("assertionMethod") or []:
        entry = item if isinstance(item, dict) else by_id.get(absolute(item))
        if not isinstance(entry, dict):
            continue
        method_id = absolute(entry.get("id"))
        if not isinstance(method_id, str) or method_id.split("#", 1)[0] != base:
            continue
        if entry.get("controller", base) != base:
            continue
        found.append({**entry, "id": method_id})
    return found


def _published_key(issuer: str, kid: str | None, alg: str) -> tuple[Any, str]:
    """The key behind `kid`, which the issuer must list for issuing credentials."""
    assert kid is not None
    base = kid.split("#", 1)[0]
    if kid.startswith("did:key:") and "#" not in kid:
        kid = f"{kid}#{kid[len('did:key:') :]}"
    if kid.startswith("did:"):
        if base != issuer:
            raise TokenError(
                f"The token was signed with the key {kid}, which belongs to {base}, not to "
                f"the issuer {issuer}."
            )
        try:
            # Ed25519 keys resolve as for embedded proofs (did.py); JWK-typed ones below.
            method = did.resolve_method(kid)
        except did.ResolutionError:
            method = None
        if method is not None:
            if method.controller != issuer or "assertionMethod" not in method.relationships:
                raise TokenError(
                    f"The issuer {issuer} does not list the key {kid} for issuing credentials."
                )
            if alg != "EdDSA":
                raise TokenError(f"The key {kid} is an Ed25519 key, but the token says {alg}.")
            return Ed25519PublicKey.from_public_bytes(method.public_key), method.source
    else:
        parts, own = urlsplit(kid), urlsplit(issuer)
        if parts.scheme not in ("https", "http") or (parts.scheme, parts.netloc) != (
            own.scheme,
            own.netloc,
        ):
            raise TokenError(
                f"The token's key {kid} is not published under the issuer's own address "
                f"({issuer}), so it does not show that the issuer signed it."
            )
        if base != issuer:
            # A key set elsewhere on the issuer's site counts only when the issuer's own
            # profile names the key for issuing: a shared host may serve other people's files.
            listed = [
                item
                if isinstance(item, str)
                else item.get("id")
                if isinstance(item, dict)
                else None
                for item in _listing(_controller_document(issuer).get("assertionMethod"))
            ]
            if kid not in listed:
                raise TokenError(
                    f"The issuer {issuer} does not list the key {kid} for issuing credentials."
                )
            return _key_from_set(kid, base, alg), f"listed by {issuer}, fetched from {base}"
    document = _controller_document(issuer)
    for entry in _assertion_methods(document):
        if entry["id"] == kid:
            value = _entry_jwk(entry)
            if value is None:
                raise TokenError(f"The key {kid} has no public key this verifier can read.")
            return _jwk_key(value, alg, f"The key {kid}"), f"listed by {issuer}"
    raise TokenError(f"The issuer {issuer} does not list the key {kid} for issuing credentials.")


def _listing(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _key_from_set(kid: str, url: str, alg: str) -> Any:
    """A key on the issuer's own host: a JWK document, or a key set (JWKS) holding it."""
    document = fetch.fetch_json(url)
    if isinstance(document, dict) and isinstance(document.get("keys"), list):
        fragment = kid.split("#", 1)[1] if "#" in kid else None
        for entry in document["keys"]:
            if isinstance(entry, dict) and entry.get("kid") in (kid, fragment):
                return _jwk_key(entry, alg, f"The key {kid}")
        raise TokenError(f"The key set at {url} has no key {kid}.")
    return _jwk_key(document, alg, f"The key at {url}")


def _header_key_published(issuer: str, header_jwk: dict[str, Any]) -> bool:
    wanted = _public_members(header_jwk)
    for entry in _assertion_methods(_controller_document(issuer)):
        value = _entry_jwk(entry)
        if value is not None and _public_members(value) == wanted:
            return True
    return False


def _check_key(
    header: dict[str, Any], issuer: str, alg: str
) -> tuple[Any, verify.Check, str | None]:
    """The key to check the signature with, the issuer check, and a note for the
    signature check when the key came from the token itself."""
    if not issuer:
        raise TokenError("The credential names no issuer, so no key can be trusted.")
    kid, header_jwk = header.get("kid"), header.get("jwk")
    if header_jwk is not None:
        key = _jwk_key(header_jwk, alg, "The key in the token's header")
        if _header_key_published(issuer, header_jwk):
            detail = f"{issuer} publishes the key in the token's header for issuing credentials."
            return key, verify.Check("issuer", "Issuer", True, detail), None
        return (
            key,
            verify.Check(
                "issuer",
                "Issuer",
                False,
                f"The token carries its own public key, and the issuer {issuer} does not "
                "publish that key, so anyone could have made this token.",
            ),
            " (the key in the token's own header)",
        )
    if isinstance(kid, str) and kid:
        key, source = _published_key(issuer, kid, alg)
        return (
            key,
            verify.Check("issuer", "Issuer", True, f"{issuer} ({source}) lists the signing key."),
            None,
        )
    raise TokenError("The token names no key: its header has neither kid nor jwk.")


# ----------------------------------------------------------------------------- claims


def _moment(value: Any, claim: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenError(f"The token's {claim} claim is not a time (seconds since 1970).")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, ValueError, OSError):
        raise TokenError(f"The token's {claim} claim is not a usable time.") from None


def _claims(
    payload: dict[str, Any], credential: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The credential with `exp` applied, and how the registered claims disagree with it."""
    problems: list[str] = []
    issuer = _issuer_of(credential)
    if "iss" in payload and payload["iss"] != issuer:
        problems.append(f"its iss claim ({payload['iss']}) is not the issuer ({issuer})")
    if "jti" in payload and payload["jti"] != credential.get("id"):
        problems.append(f"its jti claim ({payload['jti']}) is not the credential's id")
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    if "sub" in payload and subject_id is not None and payload["sub"] != subject_id:
        problems.append(f"its sub claim ({payload['sub']}) is not the subject's id")
    contexts = credential.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    start_field, end_field = (
        ("validFrom", "validUntil") if first == jsonld.VC_V2 else ("issuanceDate", "expirationDate")
    )
    for claim, field_name in (("nbf", start_field), ("exp", end_field)):
        if claim not in payload:
            continue
        try:
            moment = _moment(payload[claim], claim)
        except TokenError as error:
            problems.append(str(error)[len("The token's ") :].rstrip("."))
            continue
        stated = verify._parse_time(credential.get(field_name))
        if field_name not in credential:
            credential = {**credential, field_name: moment.strftime("%Y-%m-%dT%H:%M:%SZ")}
        elif stated is not None and abs((stated - moment).total_seconds()) >= 1:
            problems.append(f"its {claim} claim is not the credential's {field_name}")
    return credential, problems


# ----------------------------------------------------------------------------- verifying


def verify_token(token: str, *, now: datetime | None = None) -> verify.Verdict:
    """The verdict on a VC-JWT: its signature and key here, the credential in verify.py."""
    token = token.strip()
    try:
        header, payload = peek(token)
        credential = credential_of(payload)
    except TokenError as error:
        verdict = verify.unreadable(str(error), "jwt")
        verdict.format = "A JSON Web Token"
        return verdict
    alg = algorithm_of(header)
    credential, problems = _claims(payload, credential)
    if verify._check_shape(credential).ok:
        checks = _check_signature(token, header, alg, credential, problems)
        verdict = verify.verify_credential(credential, now=now, proof_checks=checks)
    else:  # not a credential: no key is looked up for it
        verdict = verify.verify_credential(credential, now=now)
    verdict.format = f"Secured as a VC-JWT ({alg})" if alg in ALGORITHMS else "A JSON Web Token"
    verdict.source = "jwt"
    return verdict


def _check_signature(
    token: str,
    header: dict[str, Any],
    alg: str | None,
    credential: dict[str, Any],
    problems: list[str],
) -> tuple[verify.Check, verify.Check]:
    not_checked = "Not checked: the signing key could not be found."
    if alg not in ALGORITHMS:
        shown = alg if alg is not None else "(none given)"
        return (
            verify.Check(
                "issuer", "Issuer", None, "Not checked: the token is not signed with a key."
            ),
            verify.Check(
                "signature",
                "Signature",
                False,
                f"The token's algorithm {shown!r} is not a public-key signature (this verifier "
                "accepts RS256, ES256, EdDSA and their relatives), so it proves nothing about "
                "who made it.",
            ),
        )
    if "crit" in header:
        return (
            verify.Check("issuer", "Issuer", None, "Not checked: the token cannot be read safely."),
            verify.Check(
                "signature",
                "Signature",
                False,
                "The token requires header extensions (crit) this verifier does not know.",
            ),
        )
    issuer = _issuer_of(credential)
    try:
        key, issuer_check, key_note = _check_key(header, issuer, alg)
    except (TokenError, did.ResolutionError, fetch.FetchError) as error:
        return (
            verify.Check("issuer", "Issuer", False, str(error)),
            verify.Check("signature", "Signature", False, not_checked),
        )
    try:
        jwt.PyJWS().decode_complete(token, key=key, algorithms=[alg])
    except jwt.InvalidSignatureError:
        return issuer_check, verify.Check(
            "signature",
            "Signature",
            False,
            "The signature does not match: the token was changed after it was signed, or it "
            "was signed with another key.",
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        return issuer_check, verify.Check(
            "signature",
            "Signature",
            False,
            f"The signature could not be checked: the key does not suit {alg}, or the "
            "signature is malformed.",
        )
    detail = f"The {alg} signature matches{key_note or ' the issuer’s key'}: the credential is as its issuer signed it."
    if problems:
        return issuer_check, verify.Check(
            "signature",
            "Signature",
            False,
            "The signature matches, but the token contradicts the credential it carries: "
            + "; ".join(problems)
            + ".",
        )
    return issuer_check, verify.Check("signature", "Signature", True, detail)
