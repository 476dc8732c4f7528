"""The verifier: the W3C test vectors byte for byte, credentials signed by other software,
our own baked badges, and bad input of every kind (a clear verdict, never a 500)."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from microcred.badges import baking, jsonld, keys, proofs, verify

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VECTORS = FIXTURES / "w3c-eddsa"
EXTERNAL = FIXTURES / "external"


def _text(path: Path) -> str:
    return path.read_text()


def _vector_key() -> keys.KeyPair:
    pair = json.loads(_text(VECTORS / "keyPair.json"))
    keypair = keys.KeyPair.from_private(keys.decode_private_multikey(pair["privateKeyMultibase"]))
    assert keypair.public == keys.decode_public_multikey(pair["publicKeyMultibase"])
    return keypair


# ----------------------------------------------------------------------------- W3C vectors


@pytest.mark.parametrize("canon", [jsonld.canonize, jsonld.canonize_pyld], ids=["oxigraph", "pyld"])
@pytest.mark.parametrize(
    ("folder", "suffix"), [("eddsa-rdfc-2022", "DataInt"), ("Ed25519Signature2020", "EdSig")]
)
def test_w3c_eddsa_test_vector_is_reproduced_byte_for_byte(canon, folder, suffix):
    base = VECTORS / folder
    signed = json.loads(_text(base / f"signed{suffix}.json"))
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    config = json.loads(_text(base / f"proofConfig{suffix}.json"))

    canonical_document = canon(unsigned)
    canonical_proof = canon(config)
    assert canonical_document == _text(base / f"canonDoc{suffix}.txt")
    assert canonical_proof.rstrip("\n") == _text(base / f"proofCanon{suffix}.txt").rstrip("\n")
    document_hash = hashlib.sha256(canonical_document.encode()).hexdigest()
    proof_hash = hashlib.sha256(canonical_proof.encode()).hexdigest()
    assert document_hash == _text(base / f"docHash{suffix}.txt").strip()
    assert proof_hash == _text(base / f"proofHash{suffix}.txt").strip()
    assert proof_hash + document_hash == _text(base / f"combinedHash{suffix}.txt").strip()

    signature = _vector_key().sign(bytes.fromhex(proof_hash + document_hash))
    assert signature.hex() == _text(base / f"sigHex{suffix}.txt").strip()
    assert keys.multibase_encode(signature) == _text(base / f"sigBTC58{suffix}.txt").strip()
    assert signed["proof"]["proofValue"] == keys.multibase_encode(signature)


def test_signing_the_vector_gives_the_published_proof():
    signed = json.loads(_text(VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json"))
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    again = proofs.sign(
        unsigned,
        keypair=_vector_key(),
        verification_method=signed["proof"]["verificationMethod"],
        created=datetime.fromisoformat("2023-02-24T23:36:38+00:00"),
    )
    assert again["proof"] == signed["proof"]


@pytest.mark.parametrize(
    "path",
    [
        VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json",
        VECTORS / "Ed25519Signature2020" / "signedEdSig.json",
    ],
    ids=["eddsa-rdfc-2022", "Ed25519Signature2020"],
)
def test_vector_proofs_verify_and_fail_once_tampered(path):
    signed = json.loads(_text(path))
    public = _vector_key().public
    assert proofs.verify(signed, signed["proof"], public).ok
    signed["credentialSubject"]["alumniOf"] = "Another School"
    assert not proofs.verify(signed, signed["proof"], public).ok


# ----------------------------------------------------------------------------- other issuers

EXPECTED = json.loads(_text(EXTERNAL / "expected.json"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_credentials_signed_by_other_software_get_the_reference_verdict(name, settings):
    """Each file's verdict was established with the Digital Bazaar verifier (interop/)."""
    expected = EXPECTED[name]
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    now = (
        datetime.fromisoformat(expected["now"].replace("Z", "+00:00"))
        if expected.get("now")
        else None
    )
    verdict = verify.verify_credential(json.loads(_text(EXTERNAL / name)), now=now)
    assert verdict.verified is expected["verified"], [(c.key, c.detail) for c in verdict.checks]
    checks = {c.key: c.ok for c in verdict.checks}
    reason = expected["reason"]
    if reason in ("tampered", "wrong-key"):
        assert checks["signature"] is False
        assert "does not match" in verdict.check("signature").detail
    elif reason == "expired":
        assert checks["signature"] is True and verdict.status == "expired"
    elif reason == "not-yet-valid":
        assert checks["signature"] is True and verdict.status == "not-yet-valid"
    elif reason == "ok":
        assert checks["signature"] is True and checks["issuer"] is True


def test_the_reference_set_covers_what_the_verifier_must_handle():
    docs = {name: json.loads(_text(EXTERNAL / name)) for name in EXPECTED}
    good = [d for n, d in docs.items() if EXPECTED[n]["verified"]]
    contexts = {d["@context"][0] for d in good}
    suites = {proofs.suite_of(p) for d in good for p in proofs.proofs_of(d)}
    assert contexts == {jsonld.VC_V1, jsonld.VC_V2}
    assert suites == {proofs.EDDSA_RDFC_2022, proofs.ED25519_SIGNATURE_2020}
    assert any(len(proofs.proofs_of(d)) > 1 for d in good)
    assert {r["reason"] for r in EXPECTED.values()} >= {
        "ok",
        "tampered",
        "expired",
        "not-yet-valid",
    }


# ----------------------------------------------------------------------------- our badges


@pytest.mark.django_db
def test_a_baked_png_and_svg_of_our_badge_verify(client, issued):
    png = client.get(f"/badges/{issued.public_id}/badge.png")
    assert png["Content-Type"] == "image/png"
    assert baking.unbake_png(png.content) == issued.document
    Image.open(io.BytesIO(png.content)).verify()  # still a valid image
    svg = client.get(f"/badges/{issued.public_id}/badge.svg")
    assert baking.unbake_svg(svg.content) == issued.document
    for data, source in ((png.content, "png"), (svg.content, "svg")):
        verdict = verify.verify_bytes(data)
        assert verdict.verified and verdict.source == source


@pytest.mark.django_db
def test_the_verifier_page_checks_an_uploaded_png(client, issued):
    png = client.get(f"/badges/{issued.public_id}/badge.png").content
    response = client.post("/verify/", {"file": SimpleUploadedFile("ana.png", png, "image/png")})
    assert response.status_code == 200
    assert response.context["verdict"].verified
    page = response.content.decode()
    assert 'data-verdict="verified"' in page and "Exit tickets" in page and "ana.png" in page


@pytest.mark.django_db
def test_the_json_endpoint_checks_a_posted_credential_and_a_link(client, issued):
    response = client.post("/verify/api", issued.document, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True and body["status"] == "verified"
    assert set(body["checks"]) == {
        "credential",
        "contexts",
        "issuer",
        "signature",
        "status",
        "validity",
        "schema",
    }
    link = f"http://localhost:8000/badges/{issued.public_id}/"
    assert client.get("/verify/api", {"url": link}).json()["verified"] is True


# ----------------------------------------------------------------------------- bad input


def _page_verdict(client, **data):
    response = client.post("/verify/", data)
    assert response.status_code < 500
    return response


@pytest.mark.django_db
def test_not_json_gets_a_clear_verdict(client):
    response = _page_verdict(client, text="this is { not json")
    verdict = response.context["verdict"]
    assert not verdict.verified and verdict.status == "unreadable"
    assert "not valid JSON (line 1, column" in verdict.check("credential").detail
    assert "this is { not json" in response.content.decode()  # what was typed is kept
    api = client.post("/verify/api", "this is { not json", content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "unreadable"


@pytest.mark.django_db
def test_a_50_mb_upload_is_refused_with_the_limit(client):
    big = SimpleUploadedFile("huge.png", b"\x89PNG\r\n\x1a\n" + bytes(50 * 1024 * 1024))
    response = client.post("/verify/", {"file": big})
    assert response.status_code == 200
    detail = response.context["verdict"].check("credential").detail
    assert "limit of 5 MB" in detail
    api = client.post("/verify/api", bytes(50 * 1024 * 1024), content_type="application/json")
    assert (
        api.status_code == 200 and "limit of 5 MB" in api.json()["checks"]["credential"]["detail"]
    )


@pytest.mark.django_db
def test_a_png_without_a_credential_says_so(client):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    response = client.post("/verify/", {"file": SimpleUploadedFile("plain.png", buffer.getvalue())})
    detail = response.context["verdict"].check("credential").detail
    assert "no Open Badge inside it" in detail


@pytest.mark.django_db
def test_a_damaged_png_and_a_text_file_say_what_they_are(client):
    damaged = client.post("/verify/", {"file": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nxx")})
    assert "damaged" in damaged.context["verdict"].check("credential").detail.lower()
    text = client.post("/verify/", {"file": SimpleUploadedFile("notes.txt", b"hello there")})
    assert "not a credential" in text.context["verdict"].check("credential").detail


@pytest.mark.django_db
def test_a_did_web_at_a_private_address_is_not_fetched(issued, settings):
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    document = json.loads(issued.document)
    for host in ("10.1.2.3", "127.0.0.1%3A8000", "localhost%3A9"):
        did = f"did:web:{host}:orgs:riverbend"
        document["issuer"]["id"] = did
        document["proof"]["verificationMethod"] = f"{did}#key-1"
        verdict = verify.verify_credential(document)
        assert not verdict.verified
        assert "private or local network address" in verdict.check("issuer").detail


@pytest.mark.django_db
def test_a_proof_by_a_key_the_issuer_does_not_list_fails(issued):
    document = json.loads(issued.document)
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    stranger = keys.KeyPair.generate()
    fingerprint = keys.public_multikey(stranger.public)
    forged = proofs.sign(
        unsigned, keypair=stranger, verification_method=document["proof"]["verificationMethod"]
    )
    verdict = verify.verify_credential(forged)
    assert not verdict.verified and verdict.check("signature").ok is False
    assert "does not match" in verdict.check("signature").detail
    # Signing as a did:key that is not the issuer: the issuer check says whose key it is.
    as_key = proofs.sign(
        unsigned, keypair=stranger, verification_method=f"did:key:{fingerprint}#{fingerprint}"
    )
    verdict = verify.verify_credential(as_key)
    assert verdict.check("issuer").ok is False
    assert "not to the issuer" in verdict.check("issuer").detail


@pytest.mark.django_db
def test_a_context_we_do_not_carry_is_named_and_never_fetched(issued, monkeypatch):
    from microcred.badges import fetch

    def no_network(*args, **kwargs):
        raise AssertionError("the verifier tried to fetch a context")

    monkeypatch.setattr(fetch, "fetch_bytes", no_network)
    document = json.loads(issued.document)
    document["@context"].append("https://example.org/unknown-context.jsonld")
    verdict = verify.verify_credential(document)
    assert not verdict.verified
    assert "https://example.org/unknown-context.jsonld" in verdict.check("contexts").detail
    assert verdict.check("signature").ok is False


def test_an_undefined_term_fails_in_safe_mode():
    document = json.loads(_text(EXTERNAL / "dcc-v1-ed25519-didkey-ob3.json"))
    document["credentialSubject"]["favouriteColour"] = "teal"
    assert "credentialSubject.favouriteColour" in jsonld.undefined_terms(document)


@pytest.mark.django_db
def test_empty_and_conflicting_input_is_a_form_error_that_keeps_the_input(client):
    empty = client.post("/verify/", {})
    assert (
        empty.status_code == 400
        and "Give the verifier something to check" in empty.content.decode()
    )
    both = client.post("/verify/", {"url": "https://example.org/badge", "text": "{}"})
    assert both.status_code == 400
    page = both.content.decode()
    assert "one thing at a time" in page and "https://example.org/badge" in page
    assert client.post("/verify/api", b"", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_json_that_is_not_a_credential_is_named(client):
    for text, words in (
        ("[1, 2, 3]", "not a credential"),
        ('{"name": "x"}', "not a W3C Verifiable Credential"),
        ('"https://example.org/assertion"', "Open Badges 2.0 hosted badge"),
        ("[" * 100_000, "nests too deeply"),
        ('{"n": ' + "7" * 5_000 + "}", "a number thousands of digits long"),
    ):
        verdict = client.post("/verify/api", text, content_type="application/json").json()
        assert verdict["verified"] is False
        assert words in verdict["checks"]["credential"]["detail"], text[:40]


@pytest.mark.django_db
def test_a_link_to_a_private_address_or_plain_http_is_not_fetched(client, settings):
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    private = client.get("/verify/api", {"url": "https://10.0.0.7/badge.json"}).json()
    assert private["status"] == "unreadable"
    assert "private or local network address" in private["checks"]["credential"]["detail"]
    plain = client.get("/verify/api", {"url": "http://example.org/badge.json"}).json()
    assert "only HTTPS addresses are fetched" in plain["checks"]["credential"]["detail"]
    page = client.get("/verify/", {"url": "https://10.0.0.7/badge.json"})
    assert page.status_code == 200 and "private or local network address" in page.content.decode()
