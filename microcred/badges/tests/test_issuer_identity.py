"""An issuer's DID is decided once, when its first key is made, and stored: nothing is ever
signed under another one, whatever SITE_URL a later process runs with; `make run` keeps the
SITE_URL it served under for later commands."""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from microcred.badges import services, verify
from microcred.badges.models import IssuedCredential, IssuerIdentity, StatusList
from microcred.badges.tests.factories import awarded
from microcred.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PUBLIC = "https://microcred.example"
PUBLIC_DID = "did:web:microcred.example:orgs:riverbend"
LOCAL_DID = "did:web:localhost%3A8000:orgs:riverbend"


@pytest.fixture
def issued_in_production(
    settings,
    credential,
    educator_ana,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
) -> IssuedCredential:
    """Ana's badge, signed while the site ran at its public address."""
    settings.SITE_URL = PUBLIC
    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    return IssuedCredential.objects.get(award=award)


def _status_list(credential: IssuedCredential) -> StatusList:
    return StatusList.objects.get(pk=credential.status_list_id)


def test_the_first_key_stores_the_organizations_did_and_site(issued_in_production):
    identity = IssuerIdentity.objects.get(organization=issued_in_production.organization)
    assert (identity.did, identity.site_url) == (PUBLIC_DID, PUBLIC)
    document = json.loads(issued_in_production.document)
    assert document["issuer"]["id"] == PUBLIC_DID
    assert document["proof"]["verificationMethod"] == f"{PUBLIC_DID}#key-1"
    status_list = json.loads(_status_list(issued_in_production).document)
    assert status_list["issuer"]["id"] == PUBLIC_DID
    assert status_list["id"] == f"{PUBLIC}/orgs/riverbend/status/1"


def test_revoking_from_the_command_line_without_site_url_is_refused_and_changes_nothing(
    issued_in_production, settings
):
    """The README's `manage.py revoke_credential` run without SITE_URL: the default would
    re-sign Riverbend's live status list as did:web:localhost%3A8000:…, failing every badge."""
    settings.SITE_URL = "http://localhost:8000"
    settings.SITE_URL_SOURCE = "the default for PORT=8000"
    before = _status_list(issued_in_production).document
    with pytest.raises(CommandError) as refused:
        call_command(
            "revoke_credential", str(issued_in_production.public_id), "--reason", "Copied work."
        )
    message = str(refused.value)
    assert f"Riverbend Unified's badges are issued as {PUBLIC_DID}" in message
    assert "SITE_URL is http://localhost:8000 (from the default for PORT=8000)" in message
    assert f"would make {LOCAL_DID}" in message
    assert f"Set SITE_URL={PUBLIC}" in message
    issued_in_production.refresh_from_db()
    assert issued_in_production.state == IssuedCredential.State.ACTIVE
    assert _status_list(issued_in_production).document == before
    assert not AuditEvent.objects.filter(verb="credential.revoked").exists()
    assert not Notification.objects.filter(verb="credential.revoked").exists()


def test_revoking_under_the_stored_site_signs_the_status_list_as_the_stored_did(
    issued_in_production, settings
):
    settings.SITE_URL = PUBLIC + "/"  # a trailing slash is the same site
    call_command("revoke_credential", str(issued_in_production.public_id), "--reason", "Copied.")
    status_list = json.loads(_status_list(issued_in_production).document)
    assert status_list["issuer"]["id"] == PUBLIC_DID
    assert status_list["proof"]["verificationMethod"] == f"{PUBLIC_DID}#key-1"


def test_issuing_under_another_site_url_is_refused(
    issued_in_production, settings, credential, assessor_ben, issuer_carla, world
):
    from microcred.core.models import Role
    from microcred.core.tests.factories import member

    settings.SITE_URL = "http://localhost:8000"
    bea = member(world.north.school, Role.EDUCATOR, email="bea@riverbend.example")
    award = awarded(educator=bea, credential=credential, assessor=assessor_ben, issuer=issuer_carla)
    with pytest.raises(services.IdentityMismatch, match="SITE_URL is http://localhost:8000"):
        services.credential_issue(award=award)
    assert not IssuedCredential.objects.filter(award=award).exists()
    assert IssuedCredential.objects.count() == 1


def test_rotating_under_another_site_url_is_refused(issued_in_production, settings, issuer_carla):
    settings.SITE_URL = "http://localhost:8000"
    with pytest.raises(services.IdentityMismatch):
        services.issuer_key_rotate(
            actor=issuer_carla, organization=issued_in_production.organization
        )
    assert issued_in_production.organization.signing_keys.count() == 1


def test_the_issuer_revoking_on_the_web_under_another_site_url_reads_which_setting_disagrees(
    issued_in_production, settings, client, issuer_carla
):
    settings.SITE_URL = "http://localhost:8000"
    client.force_login(issuer_carla)
    response = client.post(
        f"/badges/{issued_in_production.public_id}/revoke/", {"reason": "Copied work."}
    )
    assert response.status_code == 400
    assert f"Set SITE_URL={PUBLIC}" in response.content.decode()
    issued_in_production.refresh_from_db()
    assert issued_in_production.state == IssuedCredential.State.ACTIVE


def test_the_served_did_document_names_the_stored_did_under_any_site_url(
    issued_in_production, settings, client
):
    settings.SITE_URL = "http://localhost:8000"
    document = client.get("/orgs/riverbend/did.json").json()
    assert document["id"] == PUBLIC_DID
    assert document["assertionMethod"] == [f"{PUBLIC_DID}#key-1"]
    page = client.get("/issuers/riverbend/").content.decode()
    assert PUBLIC_DID in page and LOCAL_DID not in page


def test_other_badges_keep_verifying_after_a_command_line_revoke(
    issued_in_production, settings, world, credential, assessor_ben, issuer_carla
):
    """The whole story: the operator's revoke is refused under the wrong SITE_URL and signs
    as the stored DID under the right one, so Riverbend's other badges keep passing their
    status check."""
    from microcred.core.models import Role
    from microcred.core.tests.factories import member

    cal = member(world.north.school, Role.EDUCATOR, email="cal@riverbend.example")
    award = awarded(educator=cal, credential=credential, assessor=assessor_ben, issuer=issuer_carla)
    second = services.credential_issue(award=award)
    settings.SITE_URL = "http://localhost:8000"
    with pytest.raises(CommandError):
        call_command("revoke_credential", str(issued_in_production.public_id), "--reason", "x")
    settings.SITE_URL = PUBLIC
    call_command("revoke_credential", str(issued_in_production.public_id), "--reason", "x")
    # Our verifier reads our own status list from the database (SITE_URL is the public one).
    verdict = verify.verify_credential(json.loads(second.document))
    assert verdict.verified, verdict.as_json()
    revoked = verify.verify_credential(json.loads(issued_in_production.document))
    assert revoked.status == "revoked"


def test_the_migration_stores_the_did_existing_badges_carry_not_todays_site_url(
    issued_in_production, settings
):
    """An installation upgraded while its status list had been re-signed as localhost: the
    stored DID is the one its badges carry."""
    organization = issued_in_production.organization
    status_list = _status_list(issued_in_production)
    broken = json.loads(status_list.document)
    broken["issuer"]["id"] = LOCAL_DID
    status_list.document = json.dumps(broken)
    status_list.save(update_fields=["document"])
    IssuerIdentity.objects.filter(organization=organization).delete()
    settings.SITE_URL = "http://localhost:8000"
    migration = importlib.import_module("microcred.badges.migrations.0003_store_issuer_identities")
    migration.store(apps, None)
    identity = IssuerIdentity.objects.get(organization=organization)
    assert (identity.did, identity.site_url) == (PUBLIC_DID, PUBLIC)


def test_the_migration_leaves_organizations_without_keys_alone(north, south):
    migration = importlib.import_module("microcred.badges.migrations.0003_store_issuer_identities")
    migration.store(apps, None)
    assert not IssuerIdentity.objects.exists()


# ----------------------------------------------------------------------------- make run


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_make_run_keeps_its_site_url_for_later_management_commands(tmp_path):
    """`make run` runs `manage.py serve`, which keeps its SITE_URL in var/site_url; a later
    command run without SITE_URL (as the README shows revoke_credential) reads the same."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT")
    }
    base["MICROCRED_VAR_DIR"] = str(tmp_path)
    base["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    server = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "serve", "--port", str(_free_port()), "--workers", "1"],
        cwd=ROOT,
        env={**base, "SITE_URL": PUBLIC + "/"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        kept = tmp_path / "site_url"
        deadline = time.monotonic() + 60
        while not kept.exists() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert kept.read_text().strip() == PUBLIC
    finally:
        server.send_signal(signal.SIGTERM)  # serve stops its web server and worker in order
        server.wait(timeout=30)
    later = _manage("diffsettings", env=base)
    assert later.returncode == 0, later.stderr
    assert f"SITE_URL = '{PUBLIC}'" in later.stdout
    assert "kept by make run" in later.stdout  # SITE_URL_SOURCE says where it came from
    # An explicit SITE_URL still wins over the kept one.
    other = _manage("diffsettings", env={**base, "SITE_URL": "https://other.example"})
    assert "SITE_URL = 'https://other.example'" in other.stdout
