"""Data Integrity proofs with Ed25519: create `eddsa-rdfc-2022`, verify it and the older
`Ed25519Signature2020`.

Both suites sign the same bytes: SHA-256 of the canonical proof configuration (the proof
without its value, under the document's `@context`) followed by SHA-256 of the canonical
document without its proof (W3C Data Integrity EdDSA Cryptosuites v1.0, §3.2). The
signature travels as multibase base58-btc in `proofValue`. Canonicalization is injected
(`jsonld.canonize` by default) so tests and the benchmark can compare implementations.

Key resolution (which public key a `verificationMethod` names, and whether the issuer
controls it) is `did.py`'s business; this module only does the arithmetic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.badges import keys
from microcred.badges.jsonld import JsonLdError, canonize

Canonize = Callable[[dict[str, Any]], str]

EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
ED25519_SIGNATURE_2020 = "Ed25519Signature2020"
SUITES = (EDDSA_RDFC_2022, ED25519_SIGNATURE_2020)


class ProofError(ValueError):
    """A proof that cannot be checked; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class ProofResult:
    ok: bool
    detail: str


def xsd_datetime(moment: datetime) -> str:
    """An XML Schema dateTime in UTC to the second, as credentials carry them."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def suite_of(proof: dict[str, Any]) -> str | None:
    """The suite a proof uses, or None when we do not support it."""
    kind = proof.get("type")
    if kind == "DataIntegrityProof" and proof.get("cryptosuite") == EDDSA_RDFC_2022:
        return EDDSA_RDFC_2022
    if kind == ED25519_SIGNATURE_2020:
        return ED25519_SIGNATURE_2020
    return None


def describe(proof: dict[str, Any]) -> str:
    kind = proof.get("type", "unknown")
    return f"{kind} ({proof['cryptosuite']})" if proof.get("cryptosuite") else str(kind)


def proofs_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        return []
    items = proof if isinstance(proof, list) else [proof]
    if not all(isinstance(item, dict) for item in items):
        raise ProofError("The credential's proof is not an object.")
    return items


def _hash_data(
    unsecured: dict[str, Any], options: dict[str, Any], canon: Canonize
) -> tuple[bytes, str, str]:
    config = {**options, "@context": unsecured["@context"]}
    canonical_config = canon(config)
    canonical_document = canon(unsecured)
    digest = (
        hashlib.sha256(canonical_config.encode()).digest()
        + hashlib.sha256(canonical_document.encode()).digest()
    )
    return digest, canonical_config, canonical_document


def sign(
    document: dict[str, Any],
    *,
    keypair: keys.KeyPair,
    verification_method: str,
    created: datetime | None = None,
    purpose: str = "assertionMethod",
    canon: Canonize = canonize,
) -> dict[str, Any]:
    """The document with an eddsa-rdfc-2022 DataIntegrityProof added."""
    if "@context" not in document:
        raise ProofError("A document needs an @context to be signed.")
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": EDDSA_RDFC_2022,
        "created": xsd_datetime(created or datetime.now(UTC)),
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }
    digest, _, _ = _hash_data(unsecured, options, canon)
    proof = {**options, "proofValue": keys.multibase_encode(keypair.sign(digest))}
    existing = proofs_of(document)
    return {**unsecured, "proof": [*existing, proof] if existing else proof}


def input_document(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """What a proof in a set or chain signed: the document without proofs, plus the
    earlier proofs this one chains to (`previousProof`), as VC Data Integrity §4.5 says."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    previous = proof.get("previousProof")
    if previous:
        wanted = previous if isinstance(previous, list) else [previous]
        matching = [p for p in proofs_of(document) if p.get("id") in wanted]
        if len(matching) != len(wanted):
            raise ProofError("A proof names an earlier proof that is not on the credential.")
        unsecured["proof"] = matching[0] if len(matching) == 1 else matching
    return unsecured


def verify(
    document: dict[str, Any],
    proof: dict[str, Any],
    public_key: bytes,
    *,
    canon: Canonize = canonize,
) -> ProofResult:
    """Check one proof of the document with the given Ed25519 public key."""
    suite = suite_of(proof)
    if suite is None:
        return ProofResult(False, f"The proof type {describe(proof)} is not supported.")
    value = proof.get("proofValue")
    if not isinstance(value, str):
        return ProofResult(False, "The proof has no proofValue.")
    try:
        signature = keys.multibase_decode(value)
        unsecured = input_document(document, proof)
    except (keys.KeyFormatError, ProofError) as error:
        return ProofResult(False, str(error))
    options = {key: item for key, item in proof.items() if key != "proofValue"}
    if suite == EDDSA_RDFC_2022 and "@context" in options:
        # The proof's own context must be a prefix of the document's (Data Integrity §4.3).
        proof_context = options.pop("@context")
        proof_context = proof_context if isinstance(proof_context, list) else [proof_context]
        document_context = unsecured["@context"]
        document_context = (
            document_context if isinstance(document_context, list) else [document_context]
        )
        if document_context[: len(proof_context)] != proof_context:
            return ProofResult(False, "The proof's @context does not match the credential's.")
        unsecured = {**unsecured, "@context": proof_context}
    if len(signature) != 64:
        return ProofResult(False, "The signature is not 64 bytes long (not Ed25519).")
    try:
        digest, _, _ = _hash_data(unsecured, options, canon)
    except JsonLdError as error:
        return ProofResult(False, str(error))
    if not keys.verify_signature(public_key, signature, digest):
        return ProofResult(
            False,
            "The signature does not match: the credential was changed after it was signed, "
            "or it was signed with another key.",
        )
    return ProofResult(True, f"Signed with {describe(proof)}; the signature matches.")
