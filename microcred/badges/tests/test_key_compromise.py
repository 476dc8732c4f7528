"""A signing key marked compromised stops verifying everywhere at once, and what it signed is
issued again with the current key; a rotation or compromise made by another process holds in
this one with its commit (nothing that signs or resolves our keys is kept per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from microcred.badges import bitstring, services, verify
from microcred.badges.models import IssuedCredential, IssuerKey, StatusList
from microcred.badges.tests.factories import awarded
from microcred.core.models import AuditEvent, Notification, Role
from microcred.core.tests.factories import member
from microcred.core.tests.processes import database_url_of_tests

ROOT = Path(__file__).resolve().parents[3]
KEY_COMPROMISE = IssuedCredential.Reissue.KEY_COMPROMISE


def _doc(credential: IssuedCredential) -> dict:
    return json.loads(credential.document)


def _method(credential: IssuedCredential) -> str:
    return _doc(credential)["proof"]["verificationMethod"]


def _did_document(client) -> dict:
    return client.get("/orgs/riverbend/did.json").json()


def _badge_for(name: str, *, world, credential, assessor_ben, issuer_carla) -> IssuedCredential:
    person = member(world.north.school, Role.EDUCATOR, email=f"{name}@riverbend.example")
    award = awarded(
        educator=person, credential=credential, assessor=assessor_ben, issuer=issuer_carla
    )
    return services.credential_issue(award=award)


def _bit(credential: IssuedCredential) -> bool:
    status_list = StatusList.objects.get(pk=credential.status_list_id)
    subject = json.loads(status_list.document)["credentialSubject"]
    return bitstring.is_set(bitstring.decode(subject["encodedList"]), credential.status_index)


# ----------------------------------------------------------------------------- the service


@pytest.mark.django_db
def test_a_compromised_key_leaves_the_did_document_at_once(client, issued, issuer_carla):
    assert verify.verify_credential(_doc(issued)).verified  # resolves (and once kept) key-1
    assert _did_document(client)["assertionMethod"] == [
        "did:web:localhost%3A8000:orgs:riverbend#key-1"
    ]
    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    new_key = services.issuer_key_mark_compromised(
        actor=issuer_carla, key=key, reason="A laptop with a database copy was stolen."
    )
    assert new_key is not None and new_key.key_id == "key-2"
    document = _did_document(client)
    assert document["assertionMethod"] == ["did:web:localhost%3A8000:orgs:riverbend#key-2"]
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == ["key-2"]
    # Our own verifier, in the same process that just resolved key-1, refuses it now.
    verdict = verify.verify_credential(_doc(issued))
    assert not verdict.verified
    assert verdict.as_json()["checks"]["signature"]["ok"] is False


@pytest.mark.django_db
def test_every_active_badge_the_key_signed_is_issued_again_and_the_old_copy_superseded(
    issued, issuer_carla, world, credential, assessor_ben, django_capture_on_commit_callbacks
):
    people = {"credential": credential, "assessor_ben": assessor_ben, "issuer_carla": issuer_carla}
    revoked = _badge_for("rory", world=world, **people)
    services.credential_revoke(actor=issuer_carla, credential=revoked, reason="Copied work.")
    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.issuer_key_mark_compromised(actor=issuer_carla, key=key, reason="Leaked.")
    issued.refresh_from_db()
    assert issued.state == IssuedCredential.State.SUPERSEDED
    assert issued.superseded_reason == KEY_COMPROMISE
    new = issued.superseded_by
    assert new is not None and new.award_id == issued.award_id
    assert new.issuer_key.key_id == "key-2" and _method(new).endswith("#key-2")
    assert (new.valid_from, new.valid_until) == (issued.valid_from, issued.valid_until)
    assert verify.verify_credential(_doc(new)).verified
    # The old copy's bit is set; our verifier says why it no longer counts.
    assert _bit(issued)
    old = verify.verify_credential(_doc(issued)).as_json()
    assert not old["verified"]
    assert "the issuer's signing key was compromised" in old["checks"]["status"]["detail"]
    # A revoked badge stays revoked: nothing to issue again.
    revoked.refresh_from_db()
    assert revoked.state == IssuedCredential.State.REVOKED
    assert IssuedCredential.objects.filter(award=revoked.award).count() == 1
    # Ana is told; the audit trail has the compromise and the re-issue.
    notice = Notification.objects.get(
        user=issued.award.attempt.educator, verb="credential.reissued"
    )
    assert "signing key was compromised" in notice.text
    event = AuditEvent.objects.get(verb="issuer_key.compromised")
    assert event.actor == issuer_carla
    assert AuditEvent.objects.filter(verb="credential.issued", actor=issuer_carla).count() == 1


@pytest.mark.django_db
def test_the_status_lists_are_re_signed_with_the_new_key_at_once(issued, issuer_carla):
    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    services.issuer_key_mark_compromised(actor=issuer_carla, key=key, reason="Leaked.")
    status_list = StatusList.objects.get(organization=issued.organization)
    assert json.loads(status_list.document)["proof"]["verificationMethod"].endswith("#key-2")


@pytest.mark.django_db
def test_a_compromised_retired_key_is_unpublished_and_no_new_key_is_made(
    client, issued, issuer_carla, django_capture_on_commit_callbacks
):
    services.issuer_key_rotate(actor=issuer_carla, organization=issued.organization)
    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    with django_capture_on_commit_callbacks(execute=True):
        new_key = services.issuer_key_mark_compromised(
            actor=issuer_carla, key=key, reason="An old backup leaked."
        )
    assert new_key is None
    assert _did_document(client)["assertionMethod"] == [
        "did:web:localhost%3A8000:orgs:riverbend#key-2"
    ]
    issued.refresh_from_db()
    assert _method(issued.superseded_by).endswith("#key-2")


@pytest.mark.django_db
def test_re_issue_runs_in_batches_until_every_badge_is_done(
    issued,
    issuer_carla,
    world,
    credential,
    assessor_ben,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    people = {"credential": credential, "assessor_ben": assessor_ben, "issuer_carla": issuer_carla}
    others = [_badge_for(f"ed{n}", world=world, **people) for n in range(4)]
    monkeypatch.setattr(services, "REISSUE_BATCH", 2)  # five badges: three task runs
    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.issuer_key_mark_compromised(actor=issuer_carla, key=key, reason="Leaked.")
    for row in [issued, *others]:
        row.refresh_from_db()
        assert row.state == IssuedCredential.State.SUPERSEDED
    assert not IssuedCredential.objects.filter(issuer_key=key, state="active").exists()
    assert IssuedCredential.objects.filter(state="active").count() == 5


@pytest.mark.django_db
def test_only_the_issuer_of_record_marks_a_key_compromised(issued, admin_adam, educator_ana):
    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    for person in (admin_adam, educator_ana):
        with pytest.raises(PermissionDenied):
            services.issuer_key_mark_compromised(actor=person, key=key, reason="Leaked.")
    key.refresh_from_db()
    assert key.compromised_at is None and key.retired_at is None
    assert IssuerKey.objects.filter(organization=issued.organization).count() == 1
    assert not AuditEvent.objects.filter(verb="issuer_key.compromised").exists()


@pytest.mark.django_db
def test_a_reason_is_required_and_a_key_is_compromised_once(issued, issuer_carla):
    from microcred.core.errors import Invalid, InvalidTransition

    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    with pytest.raises(Invalid, match="Say what happened"):
        services.issuer_key_mark_compromised(actor=issuer_carla, key=key, reason="  ")
    key.refresh_from_db()
    assert key.compromised_at is None
    services.issuer_key_mark_compromised(actor=issuer_carla, key=key, reason="Leaked.")
    with pytest.raises(InvalidTransition, match="already marked compromised"):
        services.issuer_key_mark_compromised(actor=issuer_carla, key=key, reason="Again.")
    assert IssuerKey.objects.filter(organization=issued.organization).count() == 2


@pytest.mark.django_db
def test_a_badge_is_not_issued_again_by_hand_with_the_compromise_reason(issued, issuer_carla):
    from microcred.core.errors import Invalid

    with pytest.raises(Invalid):
        services.credential_reissue(actor=issuer_carla, credential=issued, reason=KEY_COMPROMISE)
    assert IssuedCredential.objects.count() == 1


# ----------------------------------------------------------------------------- page, command


@pytest.mark.django_db
def test_the_signing_keys_page_marks_a_key_compromised_after_confirmation(
    client, issued, issuer_carla, django_capture_on_commit_callbacks
):
    client.force_login(issuer_carla)
    page = client.get("/issuers/riverbend/keys/").content.decode()
    assert "Mark key-1 as compromised" in page
    url = "/issuers/riverbend/keys/key-1/compromised/"
    unconfirmed = client.post(url, {"key-1-reason": "Leaked."})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert IssuerKey.objects.get(key_id="key-1").compromised_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"key-1-reason": "Leaked.", "key-1-confirm": "on"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Key key-1 is marked compromised" in text and "New signing key key-2" in text
    assert "Compromised" in text
    issued.refresh_from_db()
    assert issued.state == IssuedCredential.State.SUPERSEDED


@pytest.mark.django_db
def test_the_program_admin_sees_no_compromise_button_and_cannot_post(client, issued, admin_adam):
    client.force_login(admin_adam)
    assert "as compromised" not in client.get("/issuers/riverbend/keys/").content.decode()
    response = client.post(
        "/issuers/riverbend/keys/key-1/compromised/",
        {"key-1-reason": "Leaked.", "key-1-confirm": "on"},
    )
    assert response.status_code == 403
    assert IssuerKey.objects.get(key_id="key-1").compromised_at is None


@pytest.mark.django_db
def test_another_districts_issuer_gets_a_404_for_our_keys(client, issued, world):
    lakeshore_issuer = world.south.people[Role.ISSUER]
    client.force_login(lakeshore_issuer)
    response = client.post(
        "/issuers/riverbend/keys/key-1/compromised/",
        {"key-1-reason": "Leaked.", "key-1-confirm": "on"},
    )
    assert response.status_code == 404
    assert IssuerKey.objects.get(key_id="key-1").compromised_at is None


@pytest.mark.django_db
def test_the_operator_marks_a_key_compromised_from_the_command_line(
    issued, django_capture_on_commit_callbacks
):
    with pytest.raises(CommandError, match="no signing key 'key-9'"):
        call_command("mark_key_compromised", "riverbend", "key-9", "--reason", "Leaked.")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mark_key_compromised", "riverbend", "key-1", "--reason", "Leaked.")
    issued.refresh_from_db()
    assert issued.state == IssuedCredential.State.SUPERSEDED
    assert AuditEvent.objects.get(verb="issuer_key.compromised").actor is None


# ----------------------------------------------------------------------------- other processes


def _other_process(code: str) -> None:
    """Run Python in another process on the same (committed) test database."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DATABASE_URL"] = database_url_of_tests()
    env["SITE_URL"] = "http://localhost:8000"
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rotation_in_another_process_is_used_by_the_next_signature_here(
    issued, issuer_carla, world, credential, assessor_ben
):
    """This process signed with key-1 a moment ago; another process (the web server)
    rotates; the very next badge signed here is signed with key-2."""
    people = {"credential": credential, "assessor_ben": assessor_ben, "issuer_carla": issuer_carla}
    assert _method(_badge_for("bea", world=world, **people)).endswith("#key-1")
    _other_process(
        "from microcred.badges import services; from microcred.core.models import User, "
        "Organization; services.issuer_key_rotate("
        f"actor=User.objects.get(pk={issuer_carla.pk}), "
        "organization=Organization.objects.get(slug='riverbend'))"
    )
    assert _method(_badge_for("cal", world=world, **people)).endswith("#key-2")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_compromise_in_another_process_holds_here_at_once(
    client, issued, issuer_carla, world, credential, assessor_ben
):
    """This process verified Ana's badge and signed with key-1; another process marks key-1
    compromised; here, at once, her old copy no longer verifies, the DID document lacks
    key-1, and the next badge is signed with key-2."""
    people = {"credential": credential, "assessor_ben": assessor_ben, "issuer_carla": issuer_carla}
    assert verify.verify_credential(_doc(issued)).verified
    assert _method(_badge_for("bea", world=world, **people)).endswith("#key-1")
    _other_process(
        "from django.core.management import call_command; "
        "call_command('mark_key_compromised', 'riverbend', 'key-1', '--reason', 'Leaked.')"
    )
    assert not verify.verify_credential(_doc(issued)).verified
    assert [m["id"].split("#")[1] for m in _did_document(client)["verificationMethod"]] == ["key-2"]
    assert _method(_badge_for("cal", world=world, **people)).endswith("#key-2")


@pytest.mark.django_db
def test_a_badge_reinstated_after_its_key_was_compromised_is_issued_again(
    issued, issuer_carla, django_capture_on_commit_callbacks
):
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Checking.")
    key = IssuerKey.objects.get(organization=issued.organization, key_id="key-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.issuer_key_mark_compromised(actor=issuer_carla, key=key, reason="Leaked.")
    issued.refresh_from_db()
    assert issued.state == IssuedCredential.State.REVOKED  # nothing re-issued while revoked
    services.credential_unrevoke(actor=issuer_carla, credential=issued)
    issued.refresh_from_db()
    assert issued.state == IssuedCredential.State.SUPERSEDED
    assert issued.superseded_reason == KEY_COMPROMISE
    assert verify.verify_credential(_doc(issued.superseded_by)).verified
