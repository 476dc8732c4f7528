"""Licensure credit in Chromium with axe-core: the state's program admin sets a renewal rule
(a bad number refused beside its field, the rest kept), Ana follows the link from the Stacks
page to her credit page, sees her progress with a revoked credential struck through,
downloads her transcript PDF (read back with poppler) and her signed CLR 2.0 transcript."""

from __future__ import annotations

import json

import pytest

from microcred.badges import services as badge_services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.models import CredentialVersion
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, member
from microcred.programs.tests.test_transcript import pdf_png, pdf_text, weasyprint_loads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rule_is_set_and_ana_follows_her_credit_and_downloads_her_transcripts(
    visit,
    world,
    designer_dan,
    reviewer_rita,
    north,
    educator_ana,
    assessor_ben,
    issuer_carla,
    settings,
    live_server,
    tmp_path,
):
    weasyprint_loads()
    settings.SITE_URL = live_server.url
    sasha = member(world.state, Role.ADMIN, email="sasha@lakeland.example", full_name="Sasha Stone")
    hours = {"Exit tickets": "1.5", "Data team meetings": "2", "Number talks": "3"}
    for title, credit in hours.items():
        credential = published_credential(designer_dan, reviewer_rita, north, title=title)
        CredentialVersion.objects.filter(credential=credential).update(credit_hours=credit)
        awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    revoked = IssuedCredential.objects.get(award__attempt__version__title="Number talks")
    badge_services.credential_revoke(
        actor=issuer_carla, credential=revoked, reason="The video was of another class."
    )

    admin = visit()
    admin.sign_in(sasha.email, PASSWORD)
    page = admin.goto("/stacks/")
    page.get_by_role("link", name="License renewal rules").click()
    page.wait_for_url("**/licensure/rules/")
    admin.check()
    page.get_by_role("link", name="Set a renewal rule").click()
    page.wait_for_url("**/licensure/rules/new/")
    admin.check()
    page.get_by_label("Name").fill("Lakeland license renewal")
    page.get_by_label("Required in each cycle").fill("0")
    page.get_by_label("Cycle length (years)").fill("5")
    page.get_by_label("A cycle begins on").fill("2025-07-01")
    page.get_by_role("button", name="Save the rule").click()
    page.wait_for_load_state()
    admin.check()
    assert page.locator("#id_required-group .field__error").inner_text().endswith("more than 0.")
    assert page.get_by_label("Name").input_value() == "Lakeland license renewal"
    assert page.get_by_label("A cycle begins on").input_value() == "2025-07-01"
    admin.screenshot("licensure-rule-refused")
    page.get_by_label("Required in each cycle").fill("90")
    page.get_by_role("button", name="Save the rule").click()
    page.wait_for_url("**/licensure/rules/")
    admin.check()
    assert page.get_by_role("link", name="Lakeland license renewal").is_visible()

    ana = visit()
    ana.sign_in(educator_ana.email, PASSWORD)
    page = ana.goto("/stacks/")
    page.get_by_role("link", name="My licensure credit").click()
    page.wait_for_url("**/licensure/")
    ana.check()
    progress = page.get_by_role("progressbar", name="Progress toward Lakeland license renewal")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("3.5", "90")
    assert page.get_by_text("3.5 of 90 hours · 86.5 to go").is_visible()
    struck = page.locator("tbody tr", has=page.locator("s"))
    assert struck.count() == 1 and "Number talks" in struck.inner_text()
    assert "Revoked" in struck.inner_text()
    ana.screenshot("licensure-credit")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the transcript (PDF)").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.startswith("transcript-") and pdf.suggested_filename.endswith(
        ".pdf"
    )
    content = _read(pdf, tmp_path)
    text = pdf_text(content, tmp_path)
    assert "Total: 2 credentials 3.5 credit hours" in text
    assert "Lakeland license renewal" in text
    pdf_png(content, tmp_path, name="licensure-transcript-pdf")

    with page.expect_download() as clr_download:
        page.get_by_role("button", name="Download the signed transcript (CLR 2.0)").click()
    document = json.loads(_read(clr_download.value, tmp_path))
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert len(document["credentialSubject"]["verifiableCredential"]) == 2
    ana.check()


def _read(download, tmp_path) -> bytes:
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    return path.read_bytes()
