"""Issuing: an award becomes a signed Open Badges 3.0 credential that carries the rubric,
verifies, and can be revoked, reinstated, re-issued and renewed."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from microcred.badges import bitstring, jsonld, services, verify
from microcred.badges.models import IssuedCredential, IssuerKey, StatusList
from microcred.badges.tasks import issue_award_credential
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import AuditEvent, Notification, Role

pytestmark = pytest.mark.django_db


def _doc(credential: IssuedCredential) -> dict:
    return json.loads(credential.document)


def test_an_award_is_signed_as_an_open_badge_in_the_task_it_schedules(issued, educator_ana):
    doc = _doc(issued)
    assert doc["@context"][:2] == [jsonld.VC_V2, jsonld.OB_V3]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["id"] == f"urn:uuid:{issued.public_id}"
    assert doc["issuer"]["id"] == "did:web:localhost%3A8000:orgs:riverbend"
    assert doc["proof"]["type"] == "DataIntegrityProof"
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert doc["proof"]["verificationMethod"] == "did:web:localhost%3A8000:orgs:riverbend#key-1"
    assert Notification.objects.filter(user=educator_ana, verb="credential.issued").exists()
    assert AuditEvent.objects.filter(verb="credential.issued", subject_id=str(issued.pk)).exists()


def test_the_rubric_travels_with_the_badge(issued):
    subject = _doc(issued)["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["id"] == "http://localhost:8000/credentials/exit-tickets/v1/"
    descriptions = achievement["resultDescription"]
    assert [d["name"] for d in descriptions] == ["Section 1", "Section 2", "Section 3"]
    for description in descriptions:
        assert description["resultType"] == "RubricCriterionLevel"
        assert len(description["rubricCriterionLevel"]) == len(description["allowedValue"]) >= 2
        assert description["requiredLevel"] in {
            level["id"] for level in description["rubricCriterionLevel"]
        }
    # One result per section, each naming the level the assessor chose (Proficient).
    by_section = {r["resultDescription"]: r["achievedLevel"] for r in subject["result"]}
    assert set(by_section) == {d["id"] for d in descriptions}
    for description in descriptions:
        achieved = next(
            level
            for level in description["rubricCriterionLevel"]
            if level["id"] == by_section[description["id"]]
        )
        assert achieved["name"] == "Proficient"


def test_the_earner_is_a_salted_email_hash_and_the_chosen_name(issued, educator_ana):
    identifiers = _doc(issued)["credentialSubject"]["identifier"]
    email = next(i for i in identifiers if i["identityType"] == "emailAddress")
    assert email["hashed"] is True
    expected = hashlib.sha256((educator_ana.email + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    assert educator_ana.email not in issued.document  # never in clear
    name = next(i for i in identifiers if i["identityType"] == "name")
    assert name == {
        "type": "IdentityObject",
        "identityHash": educator_ana.full_name,
        "identityType": "name",
        "hashed": False,
    }


def test_evidence_describes_what_was_assessed_and_never_links_it(issued):
    evidence = _doc(issued)["evidence"]
    assert evidence and all(e["type"] == ["Evidence"] for e in evidence)
    assert not any("id" in e or "url" in e for e in evidence)


def test_status_entry_is_a_random_index_in_a_list_of_131072(issued):
    status = _doc(issued)["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(issued.status_index)
    assert status["statusListCredential"] == "http://localhost:8000/orgs/riverbend/status/1"
    assert issued.status_list.size >= 131_072


def test_the_issued_credential_verifies_and_matches_the_1edtech_schema(issued):
    verdict = verify.verify_credential(_doc(issued))
    assert verdict.verified, [c for c in verdict.checks if not c.ok]
    assert {c.key: c.ok for c in verdict.checks} == {
        "credential": True,
        "contexts": True,
        "issuer": True,
        "signature": True,
        "status": True,
        "validity": True,
        "schema": True,
    }


def test_oxigraph_and_pyld_canonicalize_the_credential_byte_for_byte(issued):
    doc = _doc(issued)
    unsigned = {k: v for k, v in doc.items() if k != "proof"}
    assert jsonld.canonize(unsigned) == jsonld.canonize_pyld(unsigned)


def test_a_changed_claim_breaks_the_signature(issued):
    doc = _doc(issued)
    doc["credentialSubject"]["achievement"]["name"] = "Something else"
    verdict = verify.verify_credential(doc)
    assert not verdict.verified and verdict.status == "invalid"
    assert verdict.check("signature").ok is False


def test_running_the_task_again_issues_nothing_new(issued):
    assert issue_award_credential.call(issued.award_id) == str(issued.public_id)
    assert IssuedCredential.objects.filter(award=issued.award).count() == 1


# ----------------------------------------------------------------------------- documents


def test_did_document_lists_the_key_for_assertions_and_no_private_key(client, issued):
    response = client.get("/orgs/riverbend/did.json")
    assert response.status_code == 200
    document = response.json()
    key = IssuerKey.objects.get(organization=issued.organization)
    assert document["id"] == "did:web:localhost%3A8000:orgs:riverbend"
    assert document["verificationMethod"] == [
        {
            "id": f"{document['id']}#key-1",
            "type": "Multikey",
            "controller": document["id"],
            "publicKeyMultibase": key.public_key_multibase,
        }
    ]
    assert document["assertionMethod"] == [f"{document['id']}#key-1"]
    body = response.content.decode()
    assert "private" not in body.lower() and key.private_key_encrypted not in body
    assert "private" not in repr(key).lower() and key.private_key_encrypted not in repr(key)


def test_organization_without_badges_has_no_did(client, world):
    assert client.get(f"/orgs/{world.south.organization.slug}/did.json").status_code == 404


def test_status_list_is_public_signed_and_cached_at_most_five_minutes(client, issued):
    response = client.get("/orgs/riverbend/status/1")
    assert response.status_code == 200
    max_age = int(response["Cache-Control"].split("max-age=")[1])
    assert 0 < max_age <= 300
    document = response.json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert verify.verify_credential(document).check("signature").ok
    bits = bitstring.decode(document["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131_072 and not bitstring.is_set(bits, issued.status_index)


# ----------------------------------------------------------------------------- revoking


def test_issuer_revokes_the_bit_is_set_and_the_educator_is_told(
    client, issued, issuer_carla, educator_ana, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.credential_revoke(
            actor=issuer_carla, credential=issued, reason="Plagiarized video."
        )
    issued.refresh_from_db()
    assert issued.state == "revoked" and issued.revoked_by == issuer_carla
    bits = bitstring.decode(
        client.get("/orgs/riverbend/status/1").json()["credentialSubject"]["encodedList"]
    )
    assert bitstring.is_set(bits, issued.status_index)
    verdict = verify.verify_credential(_doc(issued))
    assert not verdict.verified and verdict.status == "revoked"
    assert verdict.check("signature").ok  # the signature itself is still fine
    assert "Plagiarized video." not in verdict.check("status").detail  # reason is private
    assert [m.to for m in mail.outbox] == [[educator_ana.email]]
    assert "Plagiarized video." in mail.outbox[0].body
    assert AuditEvent.objects.filter(verb="credential.revoked").count() == 1


def test_reinstating_clears_the_bit(issued, issuer_carla):
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Mistake")
    services.credential_unrevoke(actor=issuer_carla, credential=issued)
    assert verify.verify_credential(_doc(issued)).verified


def test_revoking_needs_a_reason_and_the_issuer_of_record(
    issued, issuer_carla, admin_adam, educator_ana
):
    before = AuditEvent.objects.count()
    with pytest.raises(Invalid):
        services.credential_revoke(actor=issuer_carla, credential=issued, reason="  ")
    for person in (admin_adam, educator_ana):
        with pytest.raises(PermissionDenied):
            services.credential_revoke(actor=person, credential=issued, reason="No")
    issued.refresh_from_db()
    assert issued.state == "active" and AuditEvent.objects.count() == before


def test_another_districts_issuer_cannot_revoke(issued, world):
    lakeshore_issuer = world.south.people["issuer"]
    with pytest.raises(PermissionDenied):
        services.credential_revoke(actor=lakeshore_issuer, credential=issued, reason="No")


def test_revoking_twice_is_refused(issued, issuer_carla):
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Plagiarism")
    with pytest.raises(InvalidTransition):
        services.credential_revoke(actor=issuer_carla, credential=issued, reason="Again")


# ----------------------------------------------------------------------------- re-issuing


def test_new_name_reissues_in_one_step_and_the_old_copy_shows_why(issued, educator_ana):
    new = services.badge_preferences_update(
        actor=educator_ana, credential=issued, display_name="Ana M. García", public=True
    )
    assert new.pk != issued.pk and new.award_id == issued.award_id
    assert new.recipient_name == "Ana M. García"
    names = [i for i in _doc(new)["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names[0]["identityHash"] == "Ana M. García"
    issued.refresh_from_db()
    assert issued.state == "superseded" and issued.superseded_by == new
    old = verify.verify_credential(_doc(issued))
    assert old.status == "superseded"
    assert "name changed" in old.check("status").detail
    assert str(new.public_id) in old.check("status").detail
    assert verify.verify_credential(_doc(new)).verified
    # Same validity window: re-issuing is not renewing.
    assert (new.valid_from, new.valid_until) == (issued.valid_from, issued.valid_until)


def test_changed_email_is_noticed_and_reissued(issued, educator_ana):
    assert services.needs_reissue(issued) is None
    educator_ana.email = "ana.garcia@riverbend.example"
    educator_ana.save()
    issued.refresh_from_db()
    assert services.needs_reissue(issued) == "email"
    new = services.credential_reissue(actor=educator_ana, credential=issued, reason="email")
    email = next(
        i
        for i in _doc(new)["credentialSubject"]["identifier"]
        if i["identityType"] == "emailAddress"
    )
    digest = hashlib.sha256(("ana.garcia@riverbend.example" + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${digest}"
    new.refresh_from_db()
    assert services.needs_reissue(new) is None


def test_someone_else_cannot_reissue_an_educators_badge(issued, coach_carmen):
    with pytest.raises(PermissionDenied):
        services.credential_reissue(actor=coach_carmen, credential=issued, reason="name")


def test_an_earner_cannot_reissue_her_badge_as_an_issuer_correction(issued, educator_ana):
    with pytest.raises(PermissionDenied):
        services.credential_reissue(actor=educator_ana, credential=issued, reason="correction")
    issued.refresh_from_db()
    assert issued.state == "active"
    assert IssuedCredential.objects.filter(award=issued.award).count() == 1


def test_a_revoked_badge_cannot_be_reissued(issued, issuer_carla, educator_ana):
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Plagiarism")
    with pytest.raises(InvalidTransition):
        services.credential_reissue(actor=educator_ana, credential=issued, reason="name")


# ----------------------------------------------------------------------------- validity


@pytest.fixture
def expiring(credential):
    version = credential.current_version
    version.valid_for_months = 12
    version.save(update_fields=["valid_for_months"])
    return credential


def test_a_credential_that_must_be_renewed_carries_valid_until(
    expiring, educator_ana, assessor_ben, issuer_carla, django_capture_on_commit_callbacks
):
    from microcred.badges.tests.factories import awarded

    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=expiring, assessor=assessor_ben, issuer=issuer_carla
        )
    credential = IssuedCredential.objects.get(award=award)
    assert credential.valid_until == services.months_later(award.awarded_at, 12)
    assert _doc(credential)["validUntil"].startswith(str(credential.valid_until.year))
    later = timezone.now() + timedelta(days=400)
    verdict = verify.verify_credential(_doc(credential), now=later)
    assert verdict.status == "expired" and verdict.check("signature").ok

    renewed = services.credential_renew(actor=issuer_carla, credential=credential)
    assert renewed.valid_until > credential.valid_until
    assert verify.verify_credential(_doc(renewed)).verified
    credential.refresh_from_db()
    assert credential.state == "superseded" and credential.superseded_reason == "renewal"


def test_a_credential_that_does_not_expire_cannot_be_renewed(issued, issuer_carla):
    with pytest.raises(InvalidTransition):
        services.credential_renew(actor=issuer_carla, credential=issued)


def test_months_later_keeps_the_day_or_takes_the_months_last():
    from datetime import datetime

    assert services.months_later(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert services.months_later(datetime(2024, 1, 31), 1) == datetime(2024, 2, 29)
    assert services.months_later(datetime(2026, 11, 15), 14) == datetime(2028, 1, 15)


# ----------------------------------------------------------------------------- keys


def test_rotating_the_key_keeps_old_credentials_verifying(
    client, issued, issuer_carla, credential, educator_ana
):
    services.issuer_key_rotate(actor=issuer_carla, organization=issued.organization)
    document = client.get("/orgs/riverbend/did.json").json()
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == ["key-2", "key-1"]
    assert len(document["assertionMethod"]) == 2
    assert verify.verify_credential(_doc(issued)).verified
    new = services.credential_reissue(actor=issuer_carla, credential=issued, reason="key")
    assert _doc(new)["proof"]["verificationMethod"].endswith("#key-2")
    assert verify.verify_credential(_doc(new)).verified
    # The status list was re-signed with the new key.
    status_list = StatusList.objects.get(organization=issued.organization)
    assert json.loads(status_list.document)["proof"]["verificationMethod"].endswith("#key-2")


def test_only_the_issuer_of_record_rotates_keys(issued, admin_adam):
    with pytest.raises(PermissionDenied):
        services.issuer_key_rotate(actor=admin_adam, organization=issued.organization)
    assert IssuerKey.objects.filter(organization=issued.organization).count() == 1


def test_private_keys_are_encrypted_at_rest(issued):
    from microcred.badges import keys

    key = IssuerKey.objects.get(organization=issued.organization)
    raw = keys.decrypt_private_key(key.private_key_encrypted)
    assert len(raw) == 32 and raw.hex() not in key.private_key_encrypted
    assert keys.KeyPair.from_private(raw).public == keys.decode_public_multikey(
        key.public_key_multibase
    )


def test_a_key_encrypted_under_another_secret_gives_a_clear_error(issued, settings):
    from microcred.badges import keys

    key = IssuerKey.objects.get(organization=issued.organization)
    settings.SIGNING_KEY_SECRETS = ["another secret"]
    with pytest.raises(keys.KeyFormatError, match="SIGNING_KEY_SECRETS"):
        keys.decrypt_private_key(key.private_key_encrypted)


def test_issuing_takes_a_few_statements_however_many_were_issued_before(
    world, credential, assessor_ben, issuer_carla
):
    """Signing is cheap; the database work around it is what a state's backlog pays for."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from microcred.badges.tests.factories import awarded
    from microcred.core.tests.factories import member

    def award(i: int):
        educator = member(
            world.north.school, Role.EDUCATOR, email=f"q{i}@riverbend.example", full_name=f"Q {i}"
        )
        return awarded(
            educator=educator, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )

    counts = []
    for i in range(6):
        pending = award(i)
        with CaptureQueriesContext(connection) as ctx:
            services.credential_issue(award=pending)
        counts.append(len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]))
    # The first one creates the key and the status list; then each costs the same.
    assert len(set(counts[2:])) == 1 and counts[2] <= 10, counts


def test_the_next_credential_names_the_organization_as_it_is_named_now(
    world, credential, assessor_ben, issuer_carla
):
    """The published version and its rubric are kept per process, but the organization is
    read with the signing key every time: a new name or description shows on the next
    credential, in the issuer and in the achievement's creator."""
    from microcred.badges.tests.factories import awarded
    from microcred.core.tests.factories import member

    def issue(i: int) -> dict:
        educator = member(
            world.north.school, Role.EDUCATOR, email=f"n{i}@riverbend.example", full_name=f"N {i}"
        )
        award = awarded(
            educator=educator, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
        return _doc(services.credential_issue(award=award))

    first = issue(1)
    organization = credential.organization
    organization.name = "Riverbend & Millbrook Schools"
    organization.description = "Riverbend's schools, joined this year."
    organization.save(update_fields=["name", "description"])
    second = issue(2)

    assert first["issuer"]["name"] != "Riverbend & Millbrook Schools"
    for issuer in (second["issuer"], second["credentialSubject"]["achievement"]["creator"]):
        assert issuer["name"] == "Riverbend & Millbrook Schools"
        assert issuer["description"] == "Riverbend's schools, joined this year."
    achievement = second["credentialSubject"]["achievement"]
    assert achievement["id"] == first["credentialSubject"]["achievement"]["id"]
    assert achievement["humanCode"] == credential.slug.upper()[: len(achievement["humanCode"])]
    assert verify.verify_credential(second).verified


def test_after_a_resubmission_the_badge_has_every_section_as_the_feedback_shows_it(
    credential, educator_ana, assessor_ben, issuer_carla, django_capture_on_commit_callbacks
):
    """Section 2 failed, was resubmitted alone and passed; sections 1 and 3 carry over from
    the first hand-in, where Ben gave section 3 the top level."""
    from microcred.assessment import selectors as assessment_selectors
    from microcred.assessment import services as assessment
    from microcred.assessment.tests.factories import pool, scores_for, submitted_attempt
    from microcred.earning import services as earning

    pool(credential.organization, credential, [assessor_ben])
    first = submitted_attempt(educator_ana, credential)
    scores = scores_for(first, failing={"Section 2"})
    top = first.sections.get(name="Section 3").levels.order_by("-position").first()
    scores[top.section_id] = (top.pk, "")
    assessment.review_save(
        actor=assessor_ben,
        review=first.reviews.get(),
        scores=scores,
        recommendation="not_yet",
        summary="Section 2 next time.",
        submit=True,
    )
    assessment.submission_decide(
        actor=issuer_carla, submission=first, outcome="not_yet", reason="Section 2."
    )
    attempt = first.attempt
    attempt.refresh_from_db()
    second = earning.attempt_submit(actor=educator_ana, attempt=attempt, note="New tickets.")
    assessment.review_save(
        actor=assessor_ben,
        review=second.reviews.get(),
        scores=scores_for(second),
        recommendation="award",
        summary="Now it passes.",
        submit=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessment.submission_decide(
            actor=issuer_carla, submission=second, outcome="award", reason=""
        )
    issued = IssuedCredential.objects.get(award__attempt=attempt)

    subject = _doc(issued)["credentialSubject"]
    names = {
        level["id"]: (description["name"], level["name"])
        for description in subject["achievement"]["resultDescription"]
        for level in description["rubricCriterionLevel"]
    }
    on_badge = sorted(names[r["achievedLevel"]] for r in subject["result"])
    feedback = assessment_selectors.feedback(actor=educator_ana, attempt=attempt)
    on_page = sorted((row["section"].name, row["score"].level.name) for row in feedback.scores)
    assert on_badge == on_page
    assert ("Section 3", top.name) in on_badge and len(on_badge) == 3
