"""Interoperability: credentials we issue, checked by an independent verifier.

The Digital Bazaar JavaScript stack (`@digitalbazaar/vc`, `data-integrity`,
`eddsa-rdfc-2022-cryptosuite`, `vc-bitstring-status-list`; installed from the npm
registry with a lock file in `interop/`) shares no code with ours: its own JSON-LD
processor (in safe mode), canonicalizer, Ed25519 and DID resolution. It resolves our
did:web and fetches our status list from the live test server over HTTP, and validates
each credential against the 1EdTech OB 3.0 JSON schema with ajv. Good credentials must
pass; revoked, expired and tampered ones must fail, each for the right reason.

Node and `interop/node_modules` (`npm ci --prefix interop`, done by `make test`) are
needed; without them the test skips, unless MICROCRED_REQUIRE_NODE=1 (set by CI).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges import keys, proofs, services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Role

ROOT = Path(__file__).resolve().parents[3]
INTEROP = ROOT / "interop"
SCHEMA = ROOT / "microcred/badges/schemas/ob_v3p0_achievementcredential_schema.json"

# serialized_rollback: its flush must not recreate content types under later tests that
# restore a serialized database (the mail-task tests).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _node() -> str:
    node = shutil.which("node")
    if node and (INTEROP / "node_modules" / "@digitalbazaar" / "vc").exists():
        return node
    message = "node and interop/node_modules are needed (npm ci --prefix interop)"
    if os.environ.get("MICROCRED_REQUIRE_NODE"):
        pytest.fail(message)
    pytest.skip(message)


def _js_verify(node: str, server: str, files: list[Path], *extra: str) -> dict[str, dict]:
    host = urlsplit(server).netloc
    result = subprocess.run(  # noqa: S603 - node and our own script, fixed arguments
        [
            node,
            str(INTEROP / "verify.mjs"),
            "--allow-http",
            host,
            "--schema",
            str(SCHEMA),
            *extra,
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    verdicts = {Path(v["file"]).name: v for v in lines if "file" in v}
    if os.environ.get("MICROCRED_SHOW_INTEROP"):
        print(json.dumps(verdicts, indent=1))
    assert len(verdicts) == len(files), result.stderr
    return verdicts


@pytest.fixture
def issued_set(world, settings, live_server, tmp_path) -> dict[str, Path]:
    """Credentials of Riverbend's issuer on the live server: good, revoked, expired, one
    after a key rotation, and tampered copies; written to files for the JS verifier."""
    settings.SITE_URL = live_server.url
    north = world.north
    people = north.people
    credential = published_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], north.organization, title="Exit tickets"
    )
    expiring = published_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], north.organization, title="Data teams"
    )
    version = expiring.current_version
    assert version is not None
    version.valid_for_months = 12
    version.save(update_fields=["valid_for_months"])
    from microcred.core.tests.factories import member

    def educator(name: str):
        return member(
            north.school, Role.EDUCATOR, email=f"{name}@riverbend.example", full_name=name.title()
        )

    def award_for(person, cred, *, days_ago: int = 0) -> IssuedCredential:
        with transaction.atomic():
            award = awarded(
                educator=person,
                credential=cred,
                assessor=people[Role.ASSESSOR],
                issuer=people[Role.ISSUER],
            )
            if days_ago:
                Award.objects.filter(pk=award.pk).update(
                    awarded_at=timezone.now() - timedelta(days=days_ago)
                )
            return services.credential_issue(award=award)

    good = award_for(people[Role.EDUCATOR], credential)
    revoked = award_for(educator("rory"), credential)
    services.credential_revoke(actor=people[Role.ISSUER], credential=revoked, reason="Copied work.")
    expired = award_for(educator("edie"), expiring, days_ago=400)
    still_valid = award_for(educator("vic"), expiring)
    services.issuer_key_rotate(actor=people[Role.ISSUER], organization=north.organization)
    after_rotation = award_for(educator("kim"), credential)

    files: dict[str, Path] = {}

    def write(name: str, document: dict) -> None:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False))
        files[name] = path

    for name, row in (
        ("good", good),
        ("revoked", revoked),
        ("expired", expired),
        ("valid-until", still_valid),
        ("old-key", good),  # signed with the key that was rotated out
        ("new-key", after_rotation),
    ):
        write(name, json.loads(row.document))
    document = json.loads(good.document)
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["achievement"]["name"] = "A credential never earned"
    write("tampered-claim", tampered)
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["result"][0]["achievedLevel"] = tampered["credentialSubject"][
        "achievement"
    ]["resultDescription"][0]["rubricCriterionLevel"][-1]["id"]
    write("tampered-level", tampered)
    tampered = json.loads(still_valid.document)
    tampered["validUntil"] = "2099-01-01T00:00:00Z"  # stretching the expiry
    write("tampered-expiry", tampered)
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    stranger = keys.KeyPair.generate()
    write(
        "wrong-key",
        proofs.sign(
            unsigned, keypair=stranger, verification_method=document["proof"]["verificationMethod"]
        ),
    )
    return files


def test_digital_bazaar_verifies_our_credentials_and_catches_the_bad_ones(issued_set, live_server):
    node = _node()
    verdicts = _js_verify(node, live_server.url, list(issued_set.values()))

    def checks(name: str) -> dict[str, dict]:
        return verdicts[f"{name}.json"]["checks"]

    for name in ("good", "valid-until", "old-key", "new-key"):
        verdict = verdicts[f"{name}.json"]
        assert verdict["verified"] is True, (name, verdict)
        assert {k: c["ok"] for k, c in verdict["checks"].items()} == {
            "signature": True,
            "status": True,
            "validity": True,
            "schema": True,
        }, name

    revoked = checks("revoked")
    assert verdicts["revoked.json"]["verified"] is False
    assert revoked["signature"]["ok"] is True and revoked["status"]["ok"] is False
    assert "revoked" in revoked["status"]["detail"]

    expired = checks("expired")
    assert verdicts["expired.json"]["verified"] is False
    assert expired["signature"]["ok"] is True and expired["validity"]["ok"] is False
    assert "expired" in expired["validity"]["detail"].lower()

    for name in ("tampered-claim", "tampered-level", "tampered-expiry", "wrong-key"):
        verdict = verdicts[f"{name}.json"]
        assert verdict["verified"] is False, name
        assert verdict["checks"]["signature"]["ok"] is False, name


def test_our_verifier_agrees_with_digital_bazaar(issued_set, live_server):
    """Same files, our verdicts: the two verifiers agree on every one."""
    from microcred.badges import verify

    node = _node()
    theirs = _js_verify(node, live_server.url, list(issued_set.values()))
    for name, path in issued_set.items():
        ours = verify.verify_credential(json.loads(path.read_text()))
        assert ours.verified is theirs[path.name]["verified"], (name, ours.as_json())
        assert ours.check("signature").ok is theirs[path.name]["checks"]["signature"]["ok"], name


def test_our_verifier_fetches_another_installations_did_web_and_status_list(
    issued_set, live_server, settings
):
    """As an outside verifier sees them: the DID document and the status list fetched over
    HTTP from the live server (VERIFIER_READ_OWN_DOCUMENTS off), not read from our database."""
    from microcred.badges import did, fetch, verify

    settings.VERIFIER_READ_OWN_DOCUMENTS = False
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True  # the test server listens on loopback
    fetch.forget()
    did.forget_local()
    good = verify.verify_credential(json.loads(issued_set["good"].read_text()))
    assert good.verified, [(c.key, c.detail) for c in good.checks if c.ok is False]
    assert f"fetched from {live_server.url}/orgs/riverbend/did.json" in good.check("issuer").detail
    revoked = verify.verify_credential(json.loads(issued_set["revoked"].read_text()))
    assert revoked.status == "revoked" and revoked.check("signature").ok
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    fetch.forget()
    refused = verify.verify_credential(json.loads(issued_set["good"].read_text()))
    assert not refused.verified
    assert "private or local network address" in refused.check("issuer").detail
