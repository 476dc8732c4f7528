"""CLR 2.0 transcripts: an earner's badges bundled in one signed `ClrCredential` that
matches the 1EdTech CLR 2.0 schema, verifies in our verifier and in the independent Digital
Bazaar one (`interop/verify.mjs`), and fails in both when a credit hour is changed or a
credential is taken out. What may not go in (nothing, someone else's badge, another site's,
a forged one) is refused before anything is signed."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
from django.db import transaction

from microcred.badges import clr, compose, jsonld, keys, proofs, services, verify
from microcred.badges.models import IssuedCredential, IssuerKey, StatusList
from microcred.badges.tests.factories import awarded
from microcred.badges.tests.test_interop import _node
from microcred.catalog.tests.factories import published_credential
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent, Role, User
from microcred.core.tests.factories import member

ROOT = Path(__file__).resolve().parents[3]
INTEROP = ROOT / "interop"
SCHEMAS = ROOT / "microcred/badges/schemas"
CLR_SCHEMA = SCHEMAS / "clr_v2p0_clrcredential_schema.json"
OB_SCHEMA = SCHEMAS / "ob_v3p0_achievementcredential_schema.json"
CLR_CONTEXT = jsonld.CONTEXT_DIR / "clr-v2p0-context-2.0.1.jsonld"


def _issue(world, educator: User, titles: tuple[str, ...] = ("Exit tickets", "Data teams")):
    """The educator's signed badges for Riverbend credentials, one per title (each worth
    1.5 credit hours), and the stack badge that counts them: documents as stored."""
    north = world.north
    people = north.people
    badges = []
    for title in titles:
        credential = published_credential(
            people[Role.DESIGNER], people[Role.REVIEWER], north.organization, title=title
        )
        with transaction.atomic():
            award = awarded(
                educator=educator,
                credential=credential,
                assessor=people[Role.ASSESSOR],
                issuer=people[Role.ISSUER],
            )
        # Signed by the task the award schedules after commit; at once when the test's
        # own transaction holds the commit back (issuing twice issues once).
        badges.append(services.credential_issue(award=award))
    return badges


def _stack_badge(world, educator: User, badges: list[IssuedCredential]) -> IssuedCredential:
    """The badge of a stack that counts these badges (as the programs app issues it)."""
    components = []
    for badge in badges:
        award = badge.award
        assert award is not None
        version = award.attempt.version
        components.append(
            compose.Component(
                title=version.title,
                achievement_url=compose.version_url(version),
                code=compose.human_code(version.credential.slug),
                badge_url=compose.absolute(badge.get_absolute_url()),
                awarded_at=award.awarded_at,
            )
        )
    facts = compose.StackFacts(
        url=compose.absolute("/stacks/teacher-leader/"),
        name="Teacher leader",
        description="Leads colleagues in formative assessment.",
        criteria="Earn both credentials.",
        components=components,
        completed_at=components[-1].awarded_at,
        organization=world.north.organization,
    )
    with transaction.atomic():
        return services.stack_credential_issue(earner=educator, facts=facts, valid_until=None)


def _docs(badges: list[IssuedCredential]) -> list[dict]:
    return [json.loads(badge.document) for badge in badges]


def _transcript(world, educator: User, badges: list[IssuedCredential]) -> dict:
    return clr.clr_issue(
        organization=world.north.organization,
        credentials=_docs(badges),
        earner_name=educator.full_name,
        earner_email=educator.email,
    )


def _tampered(transcript: dict) -> dict[str, dict]:
    """The ways a transcript's holder might improve it."""
    more_hours = copy.deepcopy(transcript)
    more_hours["credentialSubject"]["achievement"][0]["creditsAvailable"] = 15
    more_earned = copy.deepcopy(transcript)
    more_earned["credentialSubject"]["verifiableCredential"][0]["credentialSubject"][
        "creditsEarned"
    ] = 15
    fewer = copy.deepcopy(transcript)
    del fewer["credentialSubject"]["verifiableCredential"][1]
    return {"more-hours": more_hours, "more-earned": more_earned, "one-removed": fewer}


# ----------------------------------------------------------------------------- composing


@pytest.mark.django_db
def test_transcript_bundles_the_earners_badges_exactly_as_signed(world, educator_ana):
    badges = _issue(world, educator_ana)
    transcript = _transcript(world, educator_ana, badges)
    assert transcript["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    assert transcript["type"] == ["VerifiableCredential", "ClrCredential"]
    assert transcript["id"].startswith("urn:uuid:")
    assert transcript["issuer"]["id"] == "did:web:localhost%3A8000:orgs:riverbend"
    assert transcript["credentialSchema"] == [
        {"id": clr.CLR_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    # Re-generated on request, never stored: no status entry of its own.
    assert "credentialStatus" not in transcript
    subject = transcript["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    # Each badge inside is byte for byte the stored document, proof included.
    assert subject["verifiableCredential"] == _docs(badges)
    assert [a["id"] for a in subject["achievement"]] == [
        "http://localhost:8000/credentials/exit-tickets/v1/",
        "http://localhost:8000/credentials/data-teams/v1/",
    ]
    assert [a["creditsAvailable"] for a in subject["achievement"]] == [1.5, 1.5]
    assert "2 credentials, 3 credit hours in all" in transcript["description"]
    email = next(i for i in subject["identifier"] if i["identityType"] == "emailAddress")
    assert email["identityHash"] == compose.identity_hash(educator_ana.email, email["salt"])
    proof = transcript["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == (
        "DataIntegrityProof",
        "eddsa-rdfc-2022",
        "assertionMethod",
    )
    assert proof["verificationMethod"] == "did:web:localhost%3A8000:orgs:riverbend#key-1"


@pytest.mark.django_db
def test_a_stack_badge_is_the_parent_of_the_badges_it_counts(world, educator_ana):
    badges = _issue(world, educator_ana)
    stack = _stack_badge(world, educator_ana, badges)
    transcript = _transcript(world, educator_ana, [*badges, stack])
    stack_id = json.loads(stack.document)["credentialSubject"]["achievement"]["id"]
    assert transcript["credentialSubject"]["association"] == [
        {
            "type": "Association",
            "associationType": "isParentOf",
            "sourceId": stack_id,
            "targetId": json.loads(badge.document)["credentialSubject"]["achievement"]["id"],
        }
        for badge in badges
    ]
    assert verify.verify_credential(transcript).verified


@pytest.mark.django_db
def test_transcript_matches_the_1edtech_clr_schema(world, educator_ana):
    transcript = _transcript(world, educator_ana, _issue(world, educator_ana))
    schema = json.loads(CLR_SCHEMA.read_text())
    assert schema["$id"] == clr.CLR_SCHEMA
    validator = jsonschema_rs.Draft201909Validator(schema)
    assert [e.message for e in validator.iter_errors(transcript)] == []
    # The schema is the real one: a transcript without its credentials does not pass.
    hollow = copy.deepcopy(transcript)
    del hollow["credentialSubject"]["verifiableCredential"]
    assert not validator.is_valid(hollow)


@pytest.mark.django_db
def test_our_verifier_verifies_the_transcript_and_each_credential_inside(world, educator_ana):
    transcript = _transcript(world, educator_ana, _issue(world, educator_ana))
    verdict = verify.verify_credential(transcript)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks if c.ok is False]
    assert {c.key: c.ok for c in verdict.checks} == {
        "credential": True,
        "contexts": True,
        "issuer": True,
        "signature": True,
        "status": None,  # no status list of its own
        "validity": True,
        "schema": True,
        "embedded": True,
    }
    assert "Comprehensive Learner Record 2.0" in verdict.check("schema").detail
    assert "All 2 credentials inside verify" in verdict.check("embedded").detail
    assert verdict.recipient["name"] == educator_ana.full_name


@pytest.mark.django_db
def test_oxigraph_and_pyld_canonicalize_the_transcript_byte_for_byte(world, educator_ana):
    transcript = _transcript(world, educator_ana, _issue(world, educator_ana))
    unsigned = {k: v for k, v in transcript.items() if k != "proof"}
    assert jsonld.undefined_terms(unsigned) == []
    assert jsonld.canonize(unsigned) == jsonld.canonize_pyld(unsigned)


@pytest.mark.django_db
def test_changed_credit_hours_or_a_removed_credential_break_the_signature(world, educator_ana):
    transcript = _transcript(world, educator_ana, _issue(world, educator_ana))
    for name, document in _tampered(transcript).items():
        verdict = verify.verify_credential(document)
        assert not verdict.verified, name
        assert verdict.status == "invalid", name
        assert verdict.check("signature").ok is False, name


@pytest.mark.django_db
def test_a_badge_revoked_after_the_transcript_fails_it(world, educator_ana, issuer_carla):
    badges = _issue(world, educator_ana)
    transcript = _transcript(world, educator_ana, badges)
    services.credential_revoke(actor=issuer_carla, credential=badges[0], reason="Copied work.")
    verdict = verify.verify_credential(transcript)
    assert verdict.check("signature").ok is True  # the transcript itself is intact
    assert verdict.check("embedded").ok is False
    assert "“Exit tickets”: Revoked by the issuer" in verdict.check("embedded").detail
    assert not verdict.verified


# ----------------------------------------------------------------------------- refusals


def _refused(world, educator: User, credentials: list, code: str) -> Invalid:
    before = (AuditEvent.objects.count(), IssuerKey.objects.count(), StatusList.objects.count())
    with pytest.raises(Invalid) as refused:
        clr.clr_issue(
            organization=world.north.organization,
            credentials=credentials,
            earner_name=educator.full_name,
            earner_email=educator.email,
        )
    assert refused.value.code == code, refused.value.message
    after = (AuditEvent.objects.count(), IssuerKey.objects.count(), StatusList.objects.count())
    assert after == before
    return refused.value


@pytest.mark.django_db
def test_a_transcript_of_no_credentials_is_refused(world, educator_ana):
    _issue(world, educator_ana)
    error = _refused(world, educator_ana, [], "clr_empty")
    assert "at least one credential" in error.message


@pytest.mark.django_db
def test_a_transcript_without_the_earners_name_is_refused(world, educator_ana):
    badges = _issue(world, educator_ana)
    with pytest.raises(Invalid) as refused:
        clr.clr_issue(
            organization=world.north.organization,
            credentials=_docs(badges),
            earner_name="  ",
            earner_email=educator_ana.email,
        )
    assert (refused.value.code, refused.value.field) == ("clr_no_earner", "earner_name")


@pytest.mark.django_db
def test_another_earners_badge_is_refused(world, educator_ana):
    bob = member(world.north.school, Role.EDUCATOR, email="bob@riverbend.example")
    mine = _issue(world, educator_ana, ("Exit tickets",))
    theirs = _issue(world, bob, ("Data teams",))
    error = _refused(world, educator_ana, _docs(mine + theirs), "clr_other_earner")
    assert "“Data teams” was issued to someone else" in error.message


@pytest.mark.django_db
def test_a_badge_another_site_issued_is_refused(world, educator_ana):
    mine = _issue(world, educator_ana, ("Exit tickets",))
    # The same claims, signed by a stranger under their own did:key.
    elsewhere = json.loads(mine[0].document)
    elsewhere.pop("proof")
    stranger = keys.KeyPair.generate()
    multikey = keys.public_multikey(stranger.public)
    elsewhere["issuer"]["id"] = f"did:key:{multikey}"
    elsewhere = proofs.sign(
        elsewhere, keypair=stranger, verification_method=f"did:key:{multikey}#{multikey}"
    )
    error = _refused(world, educator_ana, [elsewhere], "clr_foreign_credential")
    assert f"its issuer is did:key:{multikey}" in error.message


@pytest.mark.django_db
def test_a_forged_badge_under_our_name_is_refused(world, educator_ana):
    forged = _docs(_issue(world, educator_ana, ("Exit tickets",)))[0]
    forged["credentialSubject"]["creditsEarned"] = 40
    error = _refused(world, educator_ana, [forged], "clr_bad_signature")
    assert "does not verify" in error.message


@pytest.mark.django_db
def test_what_is_not_a_badge_or_is_given_twice_is_refused(world, educator_ana):
    badge = _issue(world, educator_ana, ("Exit tickets",))[0]
    status_list = json.loads(StatusList.objects.get(organization=world.north.organization).document)
    _refused(world, educator_ana, [status_list], "clr_not_a_badge")
    _refused(world, educator_ana, _docs([badge, badge]), "clr_duplicate")


@pytest.mark.django_db
def test_badges_issued_to_another_address_of_the_earner_count_when_named(world, educator_ana):
    badges = _issue(world, educator_ana)
    transcript = clr.clr_issue(
        organization=world.north.organization,
        credentials=_docs(badges),
        earner_name=educator_ana.full_name,
        earner_email="ana.new@riverbend.example",
        badge_emails=[educator_ana.email],
    )
    assert len(transcript["credentialSubject"]["verifiableCredential"]) == 2


@pytest.mark.django_db
def test_a_transcript_is_signed_only_by_the_issuer_it_names(world, educator_ana):
    badges = _issue(world, educator_ana)
    document = clr.clr_document(
        credentials=_docs(badges),
        earner_name=educator_ana.full_name,
        earner_email=educator_ana.email,
        issuer=world.north.organization,
        issuer_did="did:web:localhost%3A8000:orgs:riverbend",
        credential_id="urn:uuid:6f1e0c43-52a4-4a43-9b0e-6a3c2b1d9a10",
        issued_at=badges[-1].issued_at,
    )
    keys_before = IssuerKey.objects.count()
    with pytest.raises(Invalid) as refused:
        clr.clr_sign(document, organization=world.south.organization)
    assert refused.value.code == "clr_wrong_issuer"
    assert IssuerKey.objects.count() == keys_before  # Lakeshore got no key for it
    signed = clr.clr_sign(document, organization=world.north.organization)
    assert verify.verify_credential(signed).verified


# ----------------------------------------------------------------------------- interop


def _js(node: str, server: str, schema: Path, files: list[Path]) -> dict[str, dict]:
    result = subprocess.run(  # noqa: S603 - node and our own script, fixed arguments
        [
            node,
            str(INTEROP / "verify.mjs"),
            "--allow-http",
            urlsplit(server).netloc,
            "--schema",
            str(schema),
            # No npm package carries the CLR 2.0 context: the verifier is given our bundled
            # copy (and still refuses any other context it does not know).
            "--document",
            f"{jsonld.CLR_V2}={CLR_CONTEXT}",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    verdicts = {Path(v["file"]).stem: v for v in lines if "file" in v}
    assert len(verdicts) == len(files), result.stderr
    return verdicts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_digital_bazaar_verifies_the_transcript_and_refuses_the_tampered_ones(
    world, settings, live_server, tmp_path
):
    node = _node()
    settings.SITE_URL = live_server.url
    ana = world.north.people[Role.EDUCATOR]
    badges = _issue(world, ana)
    badges.append(_stack_badge(world, ana, badges))
    transcript = _transcript(world, ana, badges)
    assert len(transcript["credentialSubject"]["association"]) == 2
    documents = {"transcript": transcript, **_tampered(transcript)}
    paths = []
    for name, document in documents.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False))
        paths.append(path)
    theirs = _js(node, live_server.url, CLR_SCHEMA, paths)
    good = theirs["transcript"]
    assert good["verified"] is True, good
    assert {k: c["ok"] for k, c in good["checks"].items()} == {
        "signature": True,
        "status": None,
        "validity": True,
        "schema": True,
    }
    for name in ("more-hours", "more-earned", "one-removed"):
        assert theirs[name]["verified"] is False, name
        assert theirs[name]["checks"]["signature"]["ok"] is False, name
    # Our verifier agrees on every file.
    for name, document in documents.items():
        ours = verify.verify_credential(document)
        assert ours.verified is theirs[name]["verified"], (name, ours.as_json())
        assert ours.check("signature").ok is theirs[name]["checks"]["signature"]["ok"], name
    # And each badge inside still verifies on its own there, against the OB 3.0 schema.
    inside = []
    for index, badge in enumerate(transcript["credentialSubject"]["verifiableCredential"]):
        path = tmp_path / f"inside-{index}.json"
        path.write_text(json.dumps(badge, ensure_ascii=False))
        inside.append(path)
    for name, verdict in _js(node, live_server.url, OB_SCHEMA, inside).items():
        assert verdict["verified"] is True, (name, verdict)
