"""Transcripts: the PDF lists each credential earned with its issuer, date, credit hours and
standards, the total, and a revoked one marked and not counted (read back with poppler's
`pdftotext`, and drawn with `pdftoppm`); the signed CLR 2.0 transcript bundles the educator's
valid badges (a stack's too, never a revoked one), is signed by her district, matches the
1EdTech CLR 2.0 schema, and verifies in our verifier and in the independent JavaScript one.
Only she downloads her own; with nothing to sign she is told why."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import jsonschema_rs
import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from lxml import html

from microcred.badges import services as badge_services
from microcred.badges import verify
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.badges.tests.test_clr import CLR_SCHEMA, OB_SCHEMA, _js
from microcred.badges.tests.test_interop import _node
from microcred.catalog.models import CredentialVersion
from microcred.catalog.tests.factories import published_credential
from microcred.core.audit import Event
from microcred.core.models import AuditEvent, Role
from microcred.core.tests.factories import member
from microcred.programs import services, transcript

SCREENSHOTS = os.environ.get("MICROCRED_SCREENSHOTS", "")
REVOKED_HEAD = "CREDENTIAL ISSUER EARNED CREDIT HOURS REVOKED"


def _required(message: str) -> None:
    """CI (MICROCRED_REQUIRE_BROWSER) must draw the PDF; elsewhere a missing tool skips."""
    if os.environ.get("MICROCRED_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        _required(f"{tool} is needed to read the PDF (apt-get install poppler-utils)")
    assert path is not None
    return path


def weasyprint_loads() -> None:
    try:
        import weasyprint  # noqa: F401 - loads pango
    except OSError as error:  # pango missing
        _required(f"WeasyPrint cannot load pango ({error}); apt-get install libpango-1.0-0")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "transcript.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 - poppler's own tool, fixed arguments
        [poppler("pdftotext"), "-raw", str(path), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return " ".join(result.stdout.split())


def pdf_png(pdf: bytes, tmp_path: Path, name: str = "transcript") -> Path:
    """The first page drawn as a PNG (into MICROCRED_SCREENSHOTS too, when set)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - poppler's own tool, fixed arguments
        [poppler("pdftoppm"), "-png", "-r", "80", "-singlefile", str(path), str(tmp_path / name)],
        capture_output=True,
        timeout=60,
        check=True,
    )
    png = tmp_path / f"{name}.png"
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(SCREENSHOTS) / f"{name}.png")
    return png


@pytest.fixture
def earn(world, educator_ana, django_capture_on_commit_callbacks):
    people = world.north.people

    def earn(title: str, hours: str = "1.5", educator=None, credential=None):
        if credential is None:
            credential = published_credential(
                people[Role.DESIGNER], people[Role.REVIEWER], world.north.organization, title=title
            )
            CredentialVersion.objects.filter(credential=credential).update(
                credit_hours=Decimal(hours)
            )
        with django_capture_on_commit_callbacks(execute=True):
            award = awarded(
                educator=educator or educator_ana,
                credential=credential,
                assessor=people[Role.ASSESSOR],
                issuer=people[Role.ISSUER],
            )
        return IssuedCredential.objects.get(award=award)

    return earn


# ----------------------------------------------------------------------------- the PDF


@pytest.mark.django_db
def test_the_pdf_lists_credit_hours_standards_totals_and_the_revoked_one(
    client, earn, educator_ana, issuer_carla, tmp_path
):
    weasyprint_loads()
    earn("Exit tickets", "1.5")
    earn("Data teams", "2.25")
    revoked = earn("Wait time", "3")
    badge_services.credential_revoke(actor=issuer_carla, credential=revoked, reason="Copied.")
    client.force_login(educator_ana)
    response = client.get(reverse("licensure:transcript-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="transcript-')
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    day = dateformat.format(timezone.localtime(timezone.now()), "M j, Y")
    assert f"Micro-credential transcript {educator_ana.full_name} · {educator_ana.email}" in text
    # Each row in its cells' order: title (and its badge's link), issuer, date, hours, standards.
    # A badge's link may break anywhere in its id (hex digits and hyphens) across lines.
    rows = " ".join(re.sub(r"Verify: \S*?/badges/[0-9a-f -]+/", "", text).split())
    assert f"Exit tickets Riverbend Unified {day} 1.5 InTASC 6: Assessment" in rows
    assert f"Data teams Riverbend Unified {day} 2.25 InTASC 6: Assessment" in rows
    assert "Total: 2 credentials 3.75 credit hours" in rows
    assert f"Revoked credentials (not counted) {REVOKED_HEAD} Wait time revoked" in rows
    assert f"Wait time revoked Riverbend Unified {day} 3 {day}" in rows
    links = text.replace(" ", "")  # a link may break across lines anywhere
    for badge in IssuedCredential.objects.filter(award__attempt__educator=educator_ana):
        assert (f"Verify:http://localhost:8000/badges/{badge.public_id}/" in links) is (
            badge.pk != revoked.pk
        )
    assert "checked by anyone at http://localhost:8000/verify/" in text
    png = pdf_png(pdf, tmp_path)
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000


@pytest.mark.django_db
def test_a_pdf_with_nothing_earned_says_so(client, principal_dee, tmp_path):
    weasyprint_loads()
    client.force_login(principal_dee)
    text = pdf_text(client.get(reverse("licensure:transcript-pdf")).content, tmp_path)
    assert "No credential has been awarded yet." in text


@pytest.mark.django_db
def test_without_pango_the_pdf_is_refused_with_the_reason(client, educator_ana, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it could not be loaded
    client.force_login(educator_ana)
    response = client.get(reverse("licensure:transcript-pdf"))
    assert response.status_code == 503
    alert = " ".join(html.fromstring(response.content).xpath("string(//*[@role='alert'])").split())
    assert "cannot be drawn on this server yet: it lacks the pango library" in alert


@pytest.mark.django_db
def test_drawing_a_transcript_leaves_truncated_uploads_refused(educator_ana):
    """WeasyPrint switches Pillow to loading truncated images when it is imported; a damaged
    badge image must still be refused afterwards, in the same process."""
    from microcred.badges.tests.test_images import encoded, picture
    from microcred.catalog.images import ImageRejected, normalize_upload

    weasyprint_loads()
    transcript.transcript_pdf(educator=educator_ana)
    data = encoded(picture(300, 300), "PNG")
    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        normalize_upload(data[: len(data) // 2])


def test_the_transcripts_need_a_signed_in_person(client):
    for url in (reverse("licensure:transcript-pdf"), reverse("licensure:transcript-clr")):
        response = client.post(url) if url.endswith("clr/") else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# ----------------------------------------------------------------------------- CLR 2.0


def _clr(client, person) -> dict:
    client.force_login(person)
    response = client.post(reverse("licensure:transcript-clr"))
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="transcript-clr-')
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_signed_transcript_holds_her_valid_badges_signed_by_her_district(
    client, earn, educator_ana, issuer_carla, world
):
    kept = [earn("Exit tickets"), earn("Data teams", "2")]
    revoked = earn("Wait time")
    badge_services.credential_revoke(actor=issuer_carla, credential=revoked, reason="Copied.")
    someone = member(world.north.school, Role.EDUCATOR, email="bo@riverbend.example")
    earn("Exit tickets 2", educator=someone)
    document = _clr(client, educator_ana)
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["issuer"]["id"] == "did:web:localhost%3A8000:orgs:riverbend"
    inside = document["credentialSubject"]["verifiableCredential"]
    assert [c["id"] for c in inside] == [badge.urn for badge in kept]
    assert "partial" not in document
    assert "2 credentials, 3.5 credit hours in all" in document["description"]
    schema = json.loads(CLR_SCHEMA.read_text())
    validator = jsonschema_rs.Draft201909Validator(schema)
    assert [e.message for e in validator.iter_errors(document)] == []
    verdict = verify.verify_credential(document)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks if c.ok is False]
    event = AuditEvent.objects.get(verb=Event.TRANSCRIPT_ISSUED)
    assert (event.actor, event.organization) == (educator_ana, world.north.organization)
    assert event.data["transcript"] == document["id"]


@pytest.mark.django_db
def test_an_expired_badge_is_left_out_and_the_transcript_says_it_is_partial(
    client, earn, educator_ana
):
    earn("Exit tickets")
    expired = earn("Data teams")
    IssuedCredential.objects.filter(pk=expired.pk).update(
        valid_until=expired.valid_from.replace(year=expired.valid_from.year - 1)
    )
    document = _clr(client, educator_ana)
    assert len(document["credentialSubject"]["verifiableCredential"]) == 1
    assert document["partial"] is True
    assert verify.verify_credential(document).verified


@pytest.mark.django_db
def test_with_no_badge_to_sign_she_is_told_why_and_nothing_is_signed(client, educator_ana):
    client.force_login(educator_ana)
    response = client.post(reverse("licensure:transcript-clr"))
    assert response.status_code == 400
    page = html.fromstring(response.content)
    alert = " ".join(page.xpath("string(//*[@role='alert'])").split())
    assert "You hold no badge that verifies yet" in alert
    assert not AuditEvent.objects.filter(verb=Event.TRANSCRIPT_ISSUED).exists()
    assert client.get(reverse("licensure:transcript-clr")).status_code == 405


@pytest.mark.django_db
def test_the_transcript_is_signed_by_the_district_above_her_school(world, educator_ana):
    assert transcript.signing_organization(educator_ana) == world.north.organization
    at_state = member(world.state, Role.EDUCATOR, email="state.teacher@lakeland.example")
    assert transcript.signing_organization(at_state) == world.state


# Not serialized_rollback: see test_stack_interop.
@pytest.mark.django_db(transaction=True)
def test_digital_bazaar_verifies_the_downloaded_transcript_with_a_stack_badge(
    client, world, educator_ana, issuer_carla, settings, live_server, tmp_path
):
    node = _node()
    settings.SITE_URL = live_server.url
    north = world.north
    people = north.people
    parts = [
        published_credential(
            people[Role.DESIGNER], people[Role.REVIEWER], north.organization, title=title
        )
        for title in ("Exit tickets", "Data teams", "Wait time")
    ]
    stack = services.stack_create(
        actor=people[Role.ADMIN],
        organization=north.organization,
        title="Teacher leader",
        summary="",
        rule="all",
        choose=None,
        credentials=parts[:2],
    )
    services.stack_publish(actor=people[Role.ADMIN], stack=stack)
    for part in parts:
        awarded(
            educator=educator_ana,
            credential=part,
            assessor=people[Role.ASSESSOR],
            issuer=people[Role.ISSUER],
        )
    # The two counted awards completed the stack (tasks run at once here); the third's badge
    # is revoked: it leaves the signed transcript.
    revoked = IssuedCredential.objects.get(award__attempt__version__credential=parts[2])
    badge_services.credential_revoke(actor=issuer_carla, credential=revoked, reason="Copied.")
    document = _clr(client, educator_ana)
    inside = document["credentialSubject"]["verifiableCredential"]
    assert len(inside) == 3  # two awards' badges and the stack's
    assert revoked.urn not in [c["id"] for c in inside]
    assert len(document["credentialSubject"]["association"]) == 2
    path = tmp_path / "transcript.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    theirs = _js(node, live_server.url, CLR_SCHEMA, [path])["transcript"]
    assert theirs["verified"] is True, theirs
    assert {k: c["ok"] for k, c in theirs["checks"].items()} == {
        "signature": True,
        "status": None,
        "validity": True,
        "schema": True,
    }
    assert verify.verify_credential(document).verified
    badges = []
    for index, badge in enumerate(inside):
        badge_path = tmp_path / f"inside-{index}.json"
        badge_path.write_text(json.dumps(badge, ensure_ascii=False))
        badges.append(badge_path)
    for name, verdict in _js(node, live_server.url, OB_SCHEMA, badges).items():
        assert verdict["verified"] is True, (name, verdict)
