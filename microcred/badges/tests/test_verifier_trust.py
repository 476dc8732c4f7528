"""The verifier never says Verified for a credential it cannot stand behind.

- Forged keys: a signing key counts only when it is the issuer's own (its id under the
  issuer's DID or https profile, listed by the issuer's own document for assertions); what
  another document claims about a key's controller is never trusted. Against the running
  test server: the page, `/verify/api` and `verify_credential`.
- Slow servers: every fetch has one deadline and a size limit, a verification one budget, a
  process a cap on fetches at once, and a client a rate limit; other pages keep answering.
- Three outcomes: verified, not verified, could not be checked (a DID document or status
  list that cannot be fetched, a kind of status the verifier does not read).
- Where other verifiers accept: a status list signed by another DID, an https issuer
  profile that holds its key (1EdTech's signed example), an unknown status type.
- The verdict says who the credential was issued to and what revocation means.

The other issuer (or the attacker) is a web server on loopback (`outside.py`), so
VERIFIER_ALLOW_PRIVATE_ADDRESSES is on in these tests, as a development server has it.
"""

from __future__ import annotations

import copy
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from microcred.badges import bitstring, did, fetch, keys, proofs, services, verify
from microcred.badges.jsonld import VC_V2
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.outside import OutsideServer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def outside(settings):
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True
    server = OutsideServer()
    yield server
    server.close()


@pytest.fixture
def live_site(settings, live_server):
    """Our own site is the live test server (its DIDs name its address)."""
    settings.SITE_URL = live_server.url
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True
    return live_server


def _get(url: str, timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - test servers
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _post_json(url: str, document: Any, timeout: float = 20) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - the live test server
        url, data=json.dumps(document).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _unsigned(issued: IssuedCredential) -> dict[str, Any]:
    return {k: v for k, v in json.loads(issued.document).items() if k != "proof"}


def _outside_credential(
    issued: IssuedCredential,
    issuer_did: str,
    method: str,
    keypair: keys.KeyPair,
    *,
    status: Any = None,
) -> dict[str, Any]:
    """A credential of another issuer, shaped like ours, signed by its key."""
    document = copy.deepcopy(_unsigned(issued))
    document["id"] = f"urn:uuid:{uuid.uuid4()}"
    document["issuer"] = {**document["issuer"], "id": issuer_did, "name": "Hillside Academy"}
    if status is None:
        document.pop("credentialStatus", None)
    else:
        document["credentialStatus"] = status
    return proofs.sign(document, keypair=keypair, verification_method=method)


def _status_list(
    url: str, signer_did: str, method: str, keypair: keys.KeyPair, set_bits: tuple[int, ...] = ()
) -> dict[str, Any]:
    document = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": signer_did},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": bitstring.encode(131_072, set_bits),
        },
    }
    return proofs.sign(document, keypair=keypair, verification_method=method)


def _entry(url: str, index: int = 7) -> dict[str, Any]:
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def _run_command(tmp_path: Path, **documents: Any) -> tuple[list[dict[str, Any]], int]:
    files = []
    for name, document in documents.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document))
        files.append(str(path))
    out = io.StringIO()
    try:
        call_command("verify_credential", *files, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return [json.loads(line) for line in out.getvalue().splitlines()], code


# ----------------------------------------------------------------------------- 1. forged keys


@LIVE
def test_foreign_did_document_cannot_claim_our_issuer(live_site, issued, outside, tmp_path):
    """An attacker publishes a DID document at their own address whose key names Riverbend's
    DID as its controller, and signs a credential in Riverbend's name with it. The page, the
    API and the command, against the running server, say it is not verified; Riverbend's real
    credential (the positive control) still verifies in all three."""
    genuine = json.loads(issued.document)
    victim = genuine["issuer"]["id"]
    assert victim.startswith("did:web:localhost%3A")
    attacker = keys.KeyPair.generate()
    _, method = outside.publish_did("evil", attacker, controller=victim)
    forged_claim = _unsigned(issued)
    forged_claim["credentialSubject"]["achievement"]["name"] = "Principal licence"
    forged = proofs.sign(forged_claim, keypair=attacker, verification_method=method)
    outside.serve_json("/forged.json", forged)
    outside.serve_json("/genuine.json", genuine)

    status, api = _post_json(f"{live_site.url}/verify/api", forged)
    assert status == 200
    assert api["verified"] is False and api["outcome"] == "not-verified"
    assert api["checks"]["issuer"]["ok"] is False
    assert "not to the issuer" in api["checks"]["issuer"]["detail"]
    assert api["checks"]["signature"]["ok"] is False
    status, _, page = _get(f"{live_site.url}/verify/?url={outside.url('/forged.json')}")
    assert status == 200
    assert 'data-verdict="invalid"' in page.decode() and "Not verified" in page.decode()
    # The name it claims is shown only as a claim, never as the issuer.
    assert "data-unconfirmed" in page.decode() and "not confirmed" in page.decode()
    lines, code = _run_command(tmp_path, forged=forged)
    assert code == 1 and lines[0]["verified"] is False

    # The attacker's document was never even fetched: the key is not under the issuer's DID.
    assert "/evil/did.json" not in outside.hits

    # Positive control: the genuine credential verifies in all three.
    status, api = _post_json(f"{live_site.url}/verify/api", genuine)
    assert api["verified"] is True and api["outcome"] == "verified"
    status, _, page = _get(f"{live_site.url}/verify/?url={outside.url('/genuine.json')}")
    assert 'data-verdict="verified"' in page.decode()
    assert "data-unconfirmed" not in page.decode()  # genuine: its names are the issuer's
    lines, code = _run_command(tmp_path, genuine=genuine)
    assert code == 0 and lines[0]["verified"] is True


@pytest.mark.django_db
def test_a_key_whose_controller_is_another_did_is_never_trusted(issued, outside):
    """Even in the issuer's own document, a key that names another controller is refused (a
    document speaks only for its own keys); the same document with its own controller is the
    positive control."""
    keypair = keys.KeyPair.generate()
    someone_else = keys.public_multikey(keys.KeyPair.generate().public)
    school, method = outside.publish_did("school", keypair, controller=f"did:key:{someone_else}")
    credential = _outside_credential(issued, school, method, keypair)
    verdict = verify.verify_credential(credential)
    assert not verdict.verified and verdict.check("issuer").ok is False
    assert "a document can only speak for its own keys" in verdict.check("issuer").detail

    outside.publish_did("school", keypair)
    fetch.forget()
    verdict = verify.verify_credential(credential)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert (
        f"did:web, fetched from {outside.url('/school/did.json')}" in verdict.check("issuer").detail
    )


@pytest.mark.django_db
def test_a_key_not_listed_for_assertions_by_the_issuer_fails(issued, outside):
    keypair = keys.KeyPair.generate()
    school, method = outside.publish_did("school", keypair, listed=False)
    verdict = verify.verify_credential(_outside_credential(issued, school, method, keypair))
    assert not verdict.verified
    assert "(assertionMethod)" in verdict.check("issuer").detail


# ----------------------------------------------------------------------------- 2. slow servers


@pytest.mark.django_db
def test_a_fetch_has_one_deadline_however_slowly_the_server_answers(outside, settings):
    """The server sends a byte every 0.3 s: each read is quick, but the whole fetch is cut off
    at VERIFIER_FETCH_TIMEOUT."""
    settings.VERIFIER_FETCH_TIMEOUT = 1.5
    outside.drips["/slow.json"] = 0.3
    started = time.monotonic()
    with pytest.raises(fetch.FetchError, match="did not answer within"):
        fetch.fetch_bytes(outside.url("/slow.json"))
    assert time.monotonic() - started < 3


@pytest.mark.django_db
def test_a_slow_name_lookup_counts_against_the_fetch_deadline(monkeypatch, settings):
    """The deadline covers looking the host up too: a name server that takes 5 s to answer
    (an attacker's, for a host only they serve) does not hold the request past it. The name
    server is the one part that cannot run here, so the system's lookup is slowed."""
    settings.VERIFIER_FETCH_TIMEOUT = 1
    lookup = socket.getaddrinfo

    def slow_lookup(host, *args, **kwargs):
        if host == "slow-dns.example":
            time.sleep(5)
            return lookup("127.0.0.1", *args, **kwargs)
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
    started = time.monotonic()
    with pytest.raises(fetch.FetchError, match="did not answer within"):
        fetch.fetch_bytes("https://slow-dns.example/did.json")
    assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_a_fetch_stops_reading_past_the_size_limit(outside, settings):
    settings.VERIFIER_FETCH_MAX_BYTES = 10_000
    outside.routes["/big.json"] = (200, b"[" + b"1," * 50_000 + b"1]")
    with pytest.raises(fetch.FetchError, match="larger than 9 KB"):
        fetch.fetch_bytes(outside.url("/big.json"))


@LIVE
def test_a_slow_drip_server_cannot_stall_other_pages(live_site, outside, settings):
    """Ten verifications of a link to a server that drips a byte every 0.3 s, all at once from
    one address: each answers within the fetch deadline (or at once, refused by the rate limit
    or the per-process cap), and the catalog keeps answering meanwhile."""
    settings.VERIFIER_FETCH_TIMEOUT = 2
    settings.VERIFIER_CHECK_TIMEOUT = 3
    settings.VERIFIER_MAX_CONCURRENT_FETCHES = 2
    settings.VERIFIER_RATE_LIMIT = "5/m"
    outside.drips["/badge.json"] = 0.3
    target = f"{live_site.url}/verify/api?url={outside.url('/badge.json')}"
    results: list[tuple[int, float, bytes]] = []

    def verify_once() -> None:
        started = time.monotonic()
        status, _, body = _get(target, timeout=30)
        results.append((status, time.monotonic() - started, body))

    threads = [threading.Thread(target=verify_once) for _ in range(10)]
    for thread in threads:
        thread.start()
    catalog_times = []
    for _ in range(5):
        started = time.monotonic()
        status, _, _ = _get(f"{live_site.url}/catalog/", timeout=10)
        assert status == 200
        catalog_times.append(time.monotonic() - started)
        time.sleep(0.2)
    for thread in threads:
        thread.join(timeout=40)

    assert len(results) == 10
    assert max(catalog_times) < 2, catalog_times
    assert max(elapsed for _, elapsed, _ in results) < 6, [r[:2] for r in results]
    refused = [json.loads(body) for status, _, body in results if status == 429]
    answered = [json.loads(body) for status, _, body in results if status == 200]
    assert len(refused) == 5 and len(answered) == 5
    assert {r["code"] for r in refused} == {"rate_limited"}
    details = [a["checks"]["credential"]["detail"] for a in answered]
    assert all(a["verified"] is False for a in answered)
    assert any("did not answer within 2 seconds" in d for d in details), details
    print(
        f"\nslow drip: verifications answered in at most "
        f"{max(e for _, e, _ in results):.1f} s; catalog at most {max(catalog_times):.2f} s"
    )


@pytest.mark.django_db
def test_the_verifier_page_and_api_refuse_past_the_rate_limit_with_a_clear_429(
    client, issued, settings
):
    settings.VERIFIER_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.post("/verify/api", issued.document, content_type="application/json").json()[
            "verified"
        ]
    assert client.get("/verify/").status_code == 200  # the empty page is not a verification
    api = client.post("/verify/api", issued.document, content_type="application/json")
    assert api.status_code == 429 and api["Retry-After"] == "60"
    assert api.json()["code"] == "rate_limited"
    assert "try again in a minute" in api.json()["error"]
    page = client.post("/verify/", {"text": issued.document})
    assert page.status_code == 429
    assert "Too many checks in a short time" in page.content.decode()
    assert "data-verdict" not in page.content.decode()
    # Another address is counted on its own.
    other = client.post(
        "/verify/api", issued.document, content_type="application/json", REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 200 and other.json()["verified"] is True


@pytest.mark.django_db
def test_the_status_list_is_not_fetched_for_a_credential_whose_signature_fails(issued, outside):
    """An unsigned or forged credential must not make the verifier fetch what it names."""
    document = _unsigned(issued)
    document["credentialStatus"] = _entry(outside.url("/list.json"))
    document["proof"] = json.loads(issued.document)["proof"]  # the signature no longer matches
    verdict = verify.verify_credential(document)
    assert verdict.check("signature").ok is False
    assert "/list.json" not in outside.hits
    assert verdict.check("status").detail == "Not checked: the signature did not verify."


# ----------------------------------------------------------------------------- 4. three outcomes


@pytest.mark.django_db
def test_an_unreachable_did_document_is_could_not_be_checked_not_a_failure(
    issued, outside, client, tmp_path
):
    keypair = keys.KeyPair.generate()
    school, method = outside.publish_did("school", keypair)
    credential = _outside_credential(issued, school, method, keypair)
    good, _ = _run_command(tmp_path, good=credential)
    assert good[0]["outcome"] == "verified"
    fetch.forget()
    outside.routes.pop("/school/did.json")  # the issuer's server answers 404 now

    verdict = verify.verify_credential(credential)
    assert verdict.verified is False and verdict.status == "unchecked"
    assert verdict.outcome == "could-not-check" and verdict.headline == "Could not be checked"
    assert verdict.check("issuer").outcome == "not-checked"
    assert "answered HTTP 404" in verdict.check("issuer").detail
    assert verdict.check("signature").outcome == "not-checked"

    api = client.post("/verify/api", json.dumps(credential), content_type="application/json")
    body = api.json()
    assert body["outcome"] == "could-not-check" and body["status"] == "unchecked"
    assert body["checks"]["issuer"]["outcome"] == "not-checked"
    page = client.post("/verify/", {"text": json.dumps(credential)}).content.decode()
    assert 'data-outcome="could-not-check"' in page and "Could not be checked" in page
    assert 'data-outcome="not-checked"' in page and "answered HTTP 404" in page

    lines, code = _run_command(tmp_path, unreachable=credential)
    assert code == 2 and lines[0]["outcome"] == "could-not-check"
    tampered = copy.deepcopy(json.loads(issued.document))
    tampered["name"] = "Something else"
    lines, code = _run_command(tmp_path, unreachable=credential, tampered=tampered)
    assert code == 1
    assert [line["outcome"] for line in lines] == ["could-not-check", "not-verified"]
    lines, code = _run_command(tmp_path, ours=json.loads(issued.document))
    assert code == 0


@pytest.mark.django_db
def test_an_unreachable_status_list_is_could_not_be_checked(issued, outside, settings):
    settings.VERIFIER_FETCH_TIMEOUT = 1
    keypair = keys.KeyPair.generate()
    school, method = outside.publish_did("school", keypair)
    list_url = outside.url("/status/1")
    credential = _outside_credential(issued, school, method, keypair, status=_entry(list_url))
    outside.routes["/status/1"] = (503, b"down for maintenance")
    verdict = verify.verify_credential(credential)
    assert verdict.status == "unchecked" and verdict.check("signature").ok is True
    status = verdict.check("status")
    assert status.outcome == "not-checked"
    assert "whether the credential was revoked is not known" in status.detail
    assert "answered HTTP 503" in status.detail


# ----------------------------------------------------------------------------- 9. interop


@pytest.mark.django_db
def test_a_status_list_signed_by_another_did_is_accepted_when_its_own_proof_verifies(
    issued, outside
):
    """Hillside delegates its status list to a status service with its own DID: accepted when
    the list's proof verifies under the service's own document; the verdict says who signed."""
    school_key, service_key = keys.KeyPair.generate(), keys.KeyPair.generate()
    school, school_method = outside.publish_did("school", school_key)
    service, service_method = outside.publish_did("status-service", service_key)
    url = outside.url("/status/1")
    credential = _outside_credential(issued, school, school_method, school_key, status=_entry(url))

    outside.serve_json("/status/1", _status_list(url, service, service_method, service_key))
    verdict = verify.verify_credential(credential)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert f"the list is published and signed by {service}" in verdict.check("status").detail

    fetch.forget()
    outside.serve_json("/status/1", _status_list(url, service, service_method, service_key, (7,)))
    verdict = verify.verify_credential(credential)
    assert verdict.status == "revoked"

    # A list whose proof is by a key its signer does not hold fails the status check.
    fetch.forget()
    intruder = keys.KeyPair.generate()
    outside.serve_json("/status/1", _status_list(url, service, service_method, intruder))
    verdict = verify.verify_credential(credential)
    assert not verdict.verified and verdict.check("status").ok is False
    assert "status list's own signature does not verify" in verdict.check("status").detail


@pytest.mark.django_db
def test_1edtech_signed_example_with_an_https_issuer_profile_holding_its_key_verifies(
    monkeypatch,
):
    """1EdTech's own signed OB 3.0 example: the issuer is an https profile URL, the key is
    `<profile>#<multikey>`, held by the profile under verificationMethod, or listed under
    assertionMethod as 1EdTech's own controller documents do."""
    credential = json.loads((FIXTURES / "1edtech" / "https-profile-signed.json").read_text())
    profile_url = "https://1edtech.edu/issuers/565049"
    key = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    profile = {
        "@context": [VC_V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": profile_url,
        "type": ["Profile"],
        "name": "Example Corp",
        "verificationMethod": [
            {
                "id": f"{profile_url}#{key}",
                "type": "Multikey",
                "controller": profile_url,
                "publicKeyMultibase": key,
            }
        ],
    }
    served = {profile_url: profile}

    def remote(url: str) -> Any:  # 1edtech.edu is another organization's server
        if url not in served:
            raise fetch.FetchError(f"{url} answered HTTP 404.")
        return served[url]

    monkeypatch.setattr(fetch, "fetch_json", remote)
    verdict = verify.verify_credential(credential)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert (
        "the issuer profile fetched from https://1edtech.edu/issuers/565049"
        in verdict.check("issuer").detail
    )

    # 1EdTech's controller document for the same key (dc-bootcamp's
    # `controllerDocument`): the profile lists the key's id, which spells out the key.
    served[profile_url] = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": profile_url,
        "assertionMethod": [f"{profile_url}#{key}"],
    }
    assert verify.verify_credential(credential).verified

    # The profile must hold or list the key itself: a key it does not name is refused.
    served[profile_url] = {**profile, "verificationMethod": []}
    verdict = verify.verify_credential(credential)
    assert not verdict.verified and verdict.check("issuer").ok is False
    other = keys.public_multikey(keys.KeyPair.generate().public)
    served[profile_url] = {"id": profile_url, "assertionMethod": [f"{profile_url}#{other}"]}
    assert verify.verify_credential(credential).check("issuer").ok is False
    # A profile that lists assertionMethod must list this key there.
    served[profile_url] = {**profile, "assertionMethod": [f"{profile_url}#other"]}
    assert verify.verify_credential(credential).check("issuer").ok is False
    # Tampered, it fails like any other.
    served[profile_url] = profile
    credential["name"] = "Leadership Badge"
    assert verify.verify_credential(credential).check("signature").ok is False


@pytest.mark.django_db
def test_an_unknown_status_type_is_reported_as_not_checked_and_does_not_fail_the_credential(
    issued, outside
):
    keypair = keys.KeyPair.generate()
    school, method = outside.publish_did("school", keypair)
    credential = _outside_credential(
        issued,
        school,
        method,
        keypair,
        status={"id": outside.url("/revocations"), "type": "1EdTechRevocationList"},
    )
    verdict = verify.verify_credential(credential)
    assert verdict.check("signature").ok is True and verdict.check("issuer").ok is True
    status = verdict.check("status")
    assert status.ok is None and status.outcome == "not-checked"
    assert "1EdTechRevocationList, a kind this verifier does not read" in status.detail
    # Other verifiers accept it; so do we, saying that revocation was not checked.
    assert verdict.verified and verdict.status == "verified"
    assert "/revocations" not in outside.hits


@pytest.mark.django_db
def test_a_credential_taking_our_issuers_name_is_flagged_on_page_and_api(client, issued):
    """Anyone can sign with their own did:key and write "Riverbend Unified" as the issuer's
    name: the signature is genuine (its signer's), so the verdict warns whose name it borrows
    and who really signed it, instead of showing the name as if it were Riverbend."""
    keypair = keys.KeyPair.generate()
    fingerprint = keys.public_multikey(keypair.public)
    did_key = f"did:key:{fingerprint}"
    document = copy.deepcopy(_unsigned(issued))
    document["id"] = f"urn:uuid:{uuid.uuid4()}"
    document.pop("credentialStatus", None)
    riverbend = issued.organization.name
    document["issuer"] = {**document["issuer"], "id": did_key, "name": riverbend}
    forged = proofs.sign(document, keypair=keypair, verification_method=f"{did_key}#{fingerprint}")
    api = client.post("/verify/api", forged, content_type="application/json").json()
    assert api["verified"] is True  # did:key really signed it
    assert len(api["warnings"]) == 1
    warning = api["warnings"][0]
    assert f"calls its issuer “{riverbend}”" in warning and did_key in warning
    assert issued.organization.issuer_identity.did in warning
    page = client.post("/verify/", {"text": json.dumps(forged)}).content.decode()
    assert "data-warning" in page and "not issued by it" in page
    # Riverbend's own badge carries no such warning.
    own = client.post("/verify/api", issued.document, content_type="application/json").json()
    assert own["verified"] is True and own["warnings"] == []


# ----------------------------------------------------------------------------- 10. plain words


@pytest.mark.django_db
def test_the_verifier_says_who_the_credential_was_issued_to(client, issued, educator_ana):
    api = client.post("/verify/api", issued.document, content_type="application/json").json()
    recipient = api["recipient"]
    assert recipient["name"] == educator_ana.full_name
    email = recipient["identifiers"][0]
    assert email["label"] == "Email address" and email["hashed"] is True
    assert email["value"].startswith("sha256$")
    page = client.post("/verify/", {"text": issued.document}).content.decode()
    assert "Issued to" in page and educator_ana.full_name in page
    assert "Email address (hashed: only someone who knows it can confirm it)" in page


@pytest.mark.django_db
def test_revocation_is_explained_in_plain_words(client, issued, issuer_carla):
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Copied work.")
    did.forget_local()
    fetch.forget()
    verdict = verify.verify_credential(json.loads(issued.document))
    assert verdict.status == "revoked"
    detail = verdict.check("status").detail
    assert "The issuer revoked this credential on " in detail
    assert "it no longer counts as proof of the achievement" in detail
    assert "bit" not in detail
    assert "Copied work" not in detail  # the reason is the educator's, not the public's
    page = client.post("/verify/", {"text": issued.document}).content.decode()
    assert "no longer counts as proof of the achievement" in page
    assert "data-unconfirmed" not in page  # the signature is genuine: the names are the issuer's
