"""The command-line tools: verify_credential, export_credentials, revoke_credential."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from microcred.badges import baking, verify
from microcred.badges.models import IssuedCredential, StatusList
from microcred.core.models import AuditEvent

pytestmark = pytest.mark.django_db

EXTERNAL = Path(__file__).resolve().parent / "fixtures" / "external"


def _run_verify(*files: str, now: str | None = None) -> tuple[list[dict], int]:
    out = io.StringIO()
    args = [*files] + (["--now", now] if now else [])
    try:
        call_command("verify_credential", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return [json.loads(line) for line in out.getvalue().splitlines()], code


def test_verify_credential_reads_json_png_and_svg_one_line_each(issued, tmp_path, client):
    json_file = tmp_path / "badge.json"
    json_file.write_text(issued.document)
    png_file = tmp_path / "badge.png"
    png_file.write_bytes(client.get(f"/badges/{issued.public_id}/badge.png").content)
    svg_file = tmp_path / "badge.svg"
    svg_file.write_bytes(client.get(f"/badges/{issued.public_id}/badge.svg").content)
    lines, code = _run_verify(str(json_file), str(png_file), str(svg_file))
    assert code == 0
    assert [line["file"] for line in lines] == [str(json_file), str(png_file), str(svg_file)]
    assert [line["source"] for line in lines] == ["json", "png", "svg"]
    for line in lines:
        assert line["verified"] is True
        assert line["checks"]["signature"]["ok"] is True


def test_verify_credential_exits_non_zero_when_one_fails(issued, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(issued.document)
    tampered = json.loads(issued.document)
    tampered["name"] = "Changed"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered))
    missing = tmp_path / "missing.json"
    lines, code = _run_verify(str(good), str(bad), str(missing))
    assert code == 1
    assert [line["verified"] for line in lines] == [True, False, False]
    assert lines[1]["checks"]["signature"]["ok"] is False
    assert "cannot be read" in lines[2]["checks"]["credential"]["detail"]


def test_verify_credential_gives_the_same_verdicts_as_the_verifier_page():
    files = sorted(EXTERNAL.glob("dcc-v2-*.json"))
    lines, code = _run_verify(*map(str, files), now="2026-06-01T00:00:00Z")
    assert code == 1  # the set has tampered and expired ones
    from datetime import datetime

    moment = datetime.fromisoformat("2026-06-01T00:00:00+00:00")
    for path, line in zip(files, lines, strict=True):
        expected = verify.verify_credential(json.loads(path.read_text()), now=moment)
        assert line["verified"] is expected.verified, path.name
        assert line["status"] == expected.status, path.name


def test_a_bad_now_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError, match="not an ISO 8601 date"):
        call_command("verify_credential", str(tmp_path / "x.json"), "--now", "yesterday")


def test_export_writes_every_credential_with_baked_images_and_the_status_lists(
    issued, tmp_path, educator_ana
):
    from microcred.badges import services

    newer = services.credential_reissue(
        actor=educator_ana, credential=issued, reason="name", new_name="Ana María Ortiz"
    )
    out = tmp_path / "export"
    call_command("export_credentials", str(out), stdout=io.StringIO())
    for row in (issued, newer):
        stem = out / str(row.public_id)
        assert stem.with_suffix(".json").read_text() == row.document
        assert baking.unbake_png(stem.with_suffix(".png").read_bytes()) == row.document
        assert baking.unbake_svg(stem.with_suffix(".svg").read_bytes()) == row.document
    lists = sorted((out / "status-lists").iterdir())
    assert [p.name for p in lists] == ["riverbend-1.json"]
    assert lists[0].read_text() == StatusList.objects.get().document


def test_revoke_credential_from_the_command_line(issued, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "revoke_credential",
            f"urn:uuid:{issued.public_id}",
            "--reason",
            "Fraud confirmed.",
            stdout=io.StringIO(),
        )
    issued.refresh_from_db()
    assert issued.state == "revoked" and issued.revoked_reason == "Fraud confirmed."
    assert verify.verify_credential(json.loads(issued.document)).status == "revoked"
    event = AuditEvent.objects.get(verb="credential.revoked")
    assert event.actor is None and event.data["via"] == "command line"
    assert "Fraud confirmed." in mail.outbox[-1].body


def test_revoke_credential_refuses_unknown_ids_and_empty_reasons(issued):
    with pytest.raises(CommandError, match="not a credential id"):
        call_command("revoke_credential", "nope", "--reason", "x")
    with pytest.raises(CommandError, match="No credential"):
        call_command("revoke_credential", "6f1c1c9e-0000-4000-8000-000000000000", "--reason", "x")
    with pytest.raises(CommandError, match="Say why"):
        call_command("revoke_credential", str(issued.public_id), "--reason", " ")
    assert IssuedCredential.objects.get(pk=issued.pk).state == "active"


def test_issue_pending_credentials_signs_awards_that_have_none(
    credential, educator_ana, assessor_ben, issuer_carla
):
    from microcred.badges.tests.factories import awarded

    # The award's task never ran (no commit callbacks here): the command catches up, once.
    award = awarded(
        educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
    )
    assert not IssuedCredential.objects.filter(award=award).exists()
    out = io.StringIO()
    call_command("issue_pending_credentials", stdout=out)
    assert "Signed 1 credential." in out.getvalue()
    issued = IssuedCredential.objects.get(award=award)
    assert verify.verify_credential(json.loads(issued.document)).verified
    call_command("issue_pending_credentials", stdout=out)
    assert IssuedCredential.objects.filter(award=award).count() == 1
