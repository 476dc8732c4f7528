"""Open Badges 3.0 credentials secured as a VC-JWT: signed with our issuer's did:web key,
with a stranger's did:key, and with P-256 and RSA keys another issuer publishes on its own
server (loopback); tampered, expired, signed by a key that is not the issuer's, and
garbage that only looks like a JWT (a clear verdict, never a 500)."""

from __future__ import annotations

import base64
import io
import json
from datetime import datetime
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from microcred.badges import baking, fetch, keys, services, verify
from microcred.badges.tests.remote import IssuerSite

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "external"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _seconds(moment: str) -> int:
    return int(datetime.fromisoformat(moment.replace("Z", "+00:00")).timestamp())


def _token(credential: dict, private, alg: str, **header) -> str:
    """The credential as OB 3.0 §8.2 signs it: the payload is the credential, with iss,
    jti and nbf (and exp when it expires)."""
    issuer = credential["issuer"]["id"]
    claims = {"iss": issuer, "jti": credential["id"], "nbf": _seconds(credential["validFrom"])}
    if "validUntil" in credential:
        claims["exp"] = _seconds(credential["validUntil"])
    return jwt.encode({**credential, **claims}, private, algorithm=alg, headers=header or None)


def _unsigned(issued) -> dict:
    return {k: v for k, v in json.loads(issued.document).items() if k != "proof"}


def _org_key(issued) -> tuple[Ed25519PrivateKey, str]:
    key = services.signing_key(issued.organization)
    pair = services.keypair(key)
    method = json.loads(issued.document)["proof"]["verificationMethod"]
    return Ed25519PrivateKey.from_private_bytes(pair.private), method


def _as_issuer(credential: dict, issuer_id: str, **dates) -> dict:
    """Another issuer's credential: the same badge, its own issuer, no status list of ours."""
    changed = {k: v for k, v in credential.items() if k != "credentialStatus"}
    changed["issuer"] = {**credential["issuer"], "id": issuer_id}
    return {**changed, **dates}


def _stranger() -> tuple[Ed25519PrivateKey, str]:
    pair = keys.KeyPair.generate()
    return Ed25519PrivateKey.from_private_bytes(pair.private), "did:key:" + keys.public_multikey(
        pair.public
    )


@pytest.fixture
def site(settings):
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True  # the server listens on loopback
    fetch.forget()
    server = IssuerSite()
    yield server
    server.close()


# ----------------------------------------------------------------------------- good


@pytest.mark.django_db
def test_a_vc_jwt_signed_with_our_issuers_did_web_key_verifies_pasted_and_baked(client, issued):
    private, method = _org_key(issued)
    token = _token(_unsigned(issued), private, "EdDSA", kid=method)
    verdict = verify.verify_text(token)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert verdict.format == "Secured as a VC-JWT (EdDSA)" and verdict.source == "jwt"
    assert "EdDSA signature matches" in verdict.check("signature").detail
    assert verdict.check("status").ok is True  # our status list, checked as for any credential

    png = baking.bake_png(client.get(f"/badges/{issued.public_id}/badge.png").content, token)
    svg = baking.bake_svg(
        client.get(f"/badges/{issued.public_id}/badge.svg").content.decode(), token
    )
    for data, source in (
        (png, "png"),
        (svg.encode(), "svg"),
        (token.encode(), "jwt"),
        (b"\xef\xbb\xbf" + token.encode() + b"\r\n", "jwt"),  # a .jwt file saved on Windows
    ):
        baked = verify.verify_bytes(data)
        assert baked.verified and baked.source == source, source
    api = client.post("/verify/api", token, content_type="application/json").json()
    assert api["verified"] is True and api["format"] == "Secured as a VC-JWT (EdDSA)"
    page = client.post("/verify/", {"text": token}).content.decode()
    assert 'data-verdict="verified"' in page and "Secured as a VC-JWT (EdDSA)" in page


@pytest.mark.django_db
def test_a_vc_jwt_signed_with_a_did_key_verifies(issued):
    private, did_key = _stranger()
    credential = _as_issuer(_unsigned(issued), did_key)
    verdict = verify.verify_text(_token(credential, private, "EdDSA", kid=did_key))
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert "did:key, decoded here" in verdict.check("issuer").detail


@pytest.mark.django_db
def test_a_vc_jwt_with_a_p256_key_the_issuer_publishes_verifies_by_kid_and_by_jwk(issued, site):
    private = ec.generate_private_key(ec.SECP256R1())
    public_jwk = jwt.algorithms.ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
    method = f"{site.did}#p256"
    site.put(
        "/issuer/did.json",
        {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": site.did,
            "verificationMethod": [
                {
                    "id": method,
                    "type": "JsonWebKey",
                    "controller": site.did,
                    "publicKeyJwk": public_jwk,
                }
            ],
            "assertionMethod": [method],
        },
    )
    credential = _as_issuer(_unsigned(issued), site.did)
    by_kid = verify.verify_text(_token(credential, private, "ES256", kid=method))
    assert by_kid.verified, [(c.key, c.detail) for c in by_kid.checks]
    by_jwk = verify.verify_text(_token(credential, private, "ES256", jwk=public_jwk))
    assert by_jwk.verified, [(c.key, c.detail) for c in by_jwk.checks]
    assert by_jwk.format == "Secured as a VC-JWT (ES256)"


@pytest.mark.django_db
def test_a_vc_jwt_with_an_rsa_key_in_the_issuers_https_profile_verifies(issued, site):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    profile = f"{site.url}/profile"
    site.put(
        "/profile",
        {
            "id": profile,
            "type": ["Profile"],
            "name": "Lakeshore Teachers College",
            "verificationMethod": [
                {"id": f"{profile}#rsa", "type": "JsonWebKey", "publicKeyJwk": public_jwk}
            ],
            "assertionMethod": [f"{profile}#rsa"],
        },
    )
    credential = _as_issuer(_unsigned(issued), profile)
    verdict = verify.verify_text(_token(credential, private, "RS256", kid=f"{profile}#rsa"))
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]


# ----------------------------------------------------------------------------- refused


@pytest.mark.django_db
def test_a_tampered_vc_jwt_fails_its_signature(issued):
    private, method = _org_key(issued)
    header, _, signature = _token(_unsigned(issued), private, "EdDSA", kid=method).split(".")
    forged = _unsigned(issued) | {"name": "Principal of the year"}
    payload = _b64(json.dumps(forged).encode())
    verdict = verify.verify_text(f"{header}.{payload}.{signature}")
    assert not verdict.verified and verdict.status == "invalid"
    assert "does not match" in verdict.check("signature").detail


@pytest.mark.django_db
def test_an_expired_vc_jwt_is_expired(issued):
    private, did_key = _stranger()
    credential = _as_issuer(
        _unsigned(issued),
        did_key,
        validFrom="2025-01-01T00:00:00Z",
        validUntil="2026-01-01T00:00:00Z",
    )
    verdict = verify.verify_text(_token(credential, private, "EdDSA", kid=did_key))
    assert verdict.status == "expired" and not verdict.verified
    assert verdict.check("signature").ok is True
    # The exp claim alone sets validUntil (OB 3.0 §8.2.4.1).
    del credential["validUntil"]
    token = jwt.encode(
        {
            **credential,
            "iss": did_key,
            "nbf": _seconds("2025-01-01T00:00:00Z"),
            "exp": _seconds("2026-01-01T00:00:00Z"),
        },
        private,
        algorithm="EdDSA",
        headers={"kid": did_key},
    )
    assert verify.verify_text(token).status == "expired"


@pytest.mark.django_db
def test_a_vc_jwt_signed_by_a_key_that_is_not_the_issuers_fails(issued):
    private, did_key = _stranger()
    credential = _unsigned(issued)  # our issuer's credential, signed by a stranger
    verdict = verify.verify_text(_token(credential, private, "EdDSA", kid=did_key))
    assert not verdict.verified and verdict.check("issuer").ok is False
    assert "not to the issuer" in verdict.check("issuer").detail
    org_did = credential["issuer"]["id"]
    unlisted = verify.verify_text(_token(credential, private, "EdDSA", kid=f"{org_did}#key-99"))
    assert not unlisted.verified and unlisted.check("issuer").ok is False
    assert "does not list the key" in unlisted.check("issuer").detail


@pytest.mark.django_db
def test_a_key_in_the_tokens_own_header_proves_nothing_unless_the_issuer_publishes_it(issued):
    """Anyone can sign with their own key and put it in the header, naming our issuer."""
    private, _ = _stranger()
    public = private.public_key().public_bytes_raw()
    header_jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64(public)}
    verdict = verify.verify_text(_token(_unsigned(issued), private, "EdDSA", jwk=header_jwk))
    assert not verdict.verified and verdict.status == "invalid"
    assert verdict.check("issuer").ok is False
    assert "anyone could have made this token" in verdict.check("issuer").detail


@pytest.mark.django_db
def test_token_claims_that_contradict_the_credential_fail(issued):
    private, did_key = _stranger()
    credential = _as_issuer(_unsigned(issued), did_key)
    token = jwt.encode(
        {**credential, "iss": "did:web:elsewhere.example", "jti": credential["id"]},
        private,
        algorithm="EdDSA",
        headers={"kid": did_key},
    )
    verdict = verify.verify_text(token)
    assert not verdict.verified and verdict.check("signature").ok is False
    assert (
        "iss claim (did:web:elsewhere.example) is not the issuer"
        in verdict.check("signature").detail
    )


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_garbage_that_looks_like_a_jwt_gets_a_clear_verdict_never_a_500(client, issued, settings):
    settings.VERIFIER_RATE_LIMIT = ""  # 39 requests from one address
    credential = _unsigned(issued)
    private, did_key = _stranger()
    body = _b64(json.dumps(credential).encode())
    head = lambda value: _b64(json.dumps(value).encode())  # noqa: E731
    cases = {
        "a.b.c": "not base64url-encoded JSON",
        f"{head(['alg'])}.{body}.c2ln": "header is not a JSON object",
        f"{head({'alg': 'none'})}.{body}.c2ln": "is not a public-key signature",
        jwt.encode(credential, "a-shared-secret-of-32-bytes-long!", algorithm="HS256"): "'HS256'",
        f"{head({'alg': 'EdDSA'})}.{body}.c2ln": "neither kid nor jwk",
        f"{head({'alg': 'EdDSA', 'kid': 7})}.{body}.c2ln": "neither kid nor jwk",
        f"{head({'alg': 'EdDSA', 'jwk': {'kty': 'OKP', 'crv': 'Ed25519', 'x': 'AA', 'd': 'AA'}})}.{body}.c2ln": "holds a private key",
        f"{head({'alg': 'ES256', 'jwk': {'kty': 'EC'}})}.{body}.c2ln": "not a valid public key",
        f"{head({'alg': 'EdDSA', 'kid': 'mailto:x@example.org'})}.{body}.c2ln": "not published under the issuer's own address",
        f"{head({'alg': 'EdDSA', 'crit': ['b64']})}.{body}.c2ln": "header extensions",
        f"{head({'alg': 'EdDSA'})}.{head({'vc': 'text'})}.c2ln": "vc claim is not a credential",
        jwt.encode(
            _as_issuer(credential, did_key) | {"nbf": 10**400},
            private,
            algorithm="EdDSA",
            headers={"kid": did_key},
        ): "nbf claim is not a usable time",
        f"{head({'alg': 'EdDSA'})}.{head({'x': 1})}.c2ln": "not a W3C Verifiable Credential",
    }
    for token, words in cases.items():
        for response in (
            client.post("/verify/api", token, content_type="application/json"),
            client.post("/verify/api", token.encode(), content_type="application/jwt"),
            client.post("/verify/", {"text": token}),
        ):
            assert response.status_code == 200, token
        verdict = client.post("/verify/api", token, content_type="application/json").json()
        assert verdict["verified"] is False, token
        details = " ".join(check["detail"] for check in verdict["checks"].values())
        assert words in details, (token[:60], details)
    baked = verify.verify_bytes(baking.bake_png(_png(), "a.b.c"))
    assert (
        baked.status == "unreadable"
        and "not base64url-encoded JSON" in baked.check("credential").detail
    )


@pytest.mark.django_db
def test_a_key_set_elsewhere_on_the_issuers_site_counts_only_when_the_profile_names_it(
    issued, site
):
    """A shared host may serve anyone's files: the issuer's profile must name the key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    profile, kid = f"{site.url}/profile", f"{site.url}/keys.json#rsa"
    site.put("/keys.json", {"keys": [public_jwk | {"kid": "rsa"}]})
    site.put("/profile", {"id": profile, "type": ["Profile"], "name": "Lakeshore"})
    credential = _as_issuer(_unsigned(issued), profile)
    token = _token(credential, private, "RS256", kid=kid)
    unnamed = verify.verify_text(token)
    assert not unnamed.verified and unnamed.check("issuer").ok is False
    assert f"does not list the key {kid}" in unnamed.check("issuer").detail
    site.put("/profile", {"id": profile, "type": ["Profile"], "assertionMethod": [kid]})
    fetch.forget()
    named = verify.verify_text(token)
    assert named.verified, [(c.key, c.detail) for c in named.checks]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_header = st.fixed_dictionaries(
    {"alg": st.sampled_from(["EdDSA", "ES256", "RS256", "HS256", "none", "PS512"]) | _json},
    optional={
        "kid": st.sampled_from(["did:key:z6Mkfoo", "did:web:localhost%3A8000:orgs:riverbend#key-1"])
        | _json,
        "jwk": st.fixed_dictionaries(
            {"kty": st.sampled_from(["OKP", "EC", "RSA", "oct"]) | _json},
            optional={"crv": _json, "x": _json, "y": _json, "n": _json, "e": _json, "d": _json},
        )
        | _json,
        "crit": _json,
        "typ": _json,
    },
)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=_header | _json,
    payload=_json
    | st.builds(dict, st.just({"@context": ["https://www.w3.org/ns/credentials/v2"]})),
    claims=st.dictionaries(st.sampled_from(["iss", "sub", "jti", "nbf", "exp", "vc"]), _json),
    signature=st.binary(max_size=80),
)
def test_any_token_that_looks_like_a_jwt_gets_a_verdict_never_an_exception(
    header, payload, claims, signature
):
    if isinstance(payload, dict):
        payload = payload | claims
    token = ".".join(
        _b64(part)
        for part in (json.dumps(header).encode(), json.dumps(payload).encode(), signature or b"x")
    )
    verdict = verify.verify_text(token)
    assert verdict.verified is False
    assert verdict.checks and all(check.detail for check in verdict.checks)


@pytest.mark.django_db
def test_a_vc_1_1_jwt_with_the_credential_in_its_vc_claim_verifies(issued):
    """VC 1.1 JWTs carry the credential in `vc` and may leave issuer, id and dates to the
    claims (OB 3.0 §8.2 accepts them)."""
    private, did_key = _stranger()
    credential = _as_issuer(
        json.loads((FIXTURES / "dcc-v1-ed25519-didkey-ob3.json").read_text()), did_key
    )
    credential = {k: v for k, v in credential.items() if k not in ("proof", "credentialStatus")}
    inner = {k: v for k, v in credential.items() if k not in ("issuer", "id", "issuanceDate")}
    token = jwt.encode(
        {
            "vc": inner,
            "iss": did_key,
            "jti": credential["id"],
            "nbf": _seconds(credential["issuanceDate"]),
        },
        private,
        algorithm="EdDSA",
        headers={"kid": did_key},
    )
    verdict = verify.verify_text(token)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert verdict.credential["issuer"] == did_key
    assert "Verifiable Credentials Data Model 1.1" in verdict.check("credential").detail


@pytest.mark.django_db
def test_a_vc_jwt_served_at_a_link_verifies(issued, site):
    private, did_key = _stranger()
    token = _token(_as_issuer(_unsigned(issued), did_key), private, "EdDSA", kid=did_key)
    verdict = verify.verify_url(site.put("/badges/ana.jwt", token.encode()))
    assert verdict.verified and verdict.source == "url"
    assert verdict.format == "Secured as a VC-JWT (EdDSA)"
