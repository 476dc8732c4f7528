"""The badge journey in real Chromium: award, share, verify, revoke.

Carla (issuer) awards Ana's hand-in on the decide page; the Open Badge is signed at once.
Ana opens it from "My badges" and downloads the PNG with the credential baked in; an
employer, signed out in another browser, drops that PNG into the verifier and sees
"Verified". Carla revokes the badge from its page (keyboard, and an empty reason first);
the same PNG now verifies as "Revoked by the issuer" and Ana's wallet says "Revoked".
A second journey changes the name on a badge: a new copy is issued and the old page points
to it. Every page passes axe-core with no console errors.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microcred.assessment.tests.factories import pool, submit_review
from microcred.badges.models import IssuedCredential
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD
from microcred.earning.tests.factories import submitted_attempt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Exit tickets"
CHECKS = ["Credential", "Vocabulary", "Issuer", "Signature", "Status", "Dates"]


@pytest.fixture
def reviewed(settings, live_server, world):
    """Riverbend's published "Exit tickets" and Ana's hand-in, scored "award" by Ben and
    waiting for Carla's decision. The site is the live server, so the issuer's did:web and
    the status list URLs in the credential point at it."""
    settings.SITE_URL = live_server.url
    from microcred.badges import fetch

    fetch.forget()
    people = world.north.people
    credential = published_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], world.north.organization, title=TITLE
    )
    pool(world.north.organization, credential, [people[Role.ASSESSOR]])
    submission = submitted_attempt(people[Role.EDUCATOR], credential)
    submit_review(submission.reviews.get())
    return {
        "ana": people[Role.EDUCATOR],
        "carla": people[Role.ISSUER],
        "credential": credential,
    }


def award(carla) -> None:
    """Carla records "Award" on the decide page; the badge task runs after the commit."""
    carla.goto("/assessment/decisions/")
    carla.page.get_by_role("link", name=TITLE, exact=True).first.click()
    carla.page.wait_for_load_state()
    carla.check()
    carla.page.get_by_role("radio", name="Award").check()
    carla.page.get_by_label("Reason for the educator").fill("Every section is proficient.")
    carla.page.get_by_role("button", name="Record the decision").click()
    carla.page.wait_for_load_state()
    carla.check()


def signed_in(visit, user, **kwargs):
    visitor = visit(**kwargs)
    visitor.sign_in(user.email, PASSWORD)
    return visitor


def click(visitor, locator) -> None:
    locator.click()
    visitor.page.wait_for_load_state()
    visitor.check()


def open_badge_from_wallet(ana) -> None:
    ana.goto("/my/")
    click(
        ana, ana.page.get_by_role("navigation", name="Main").get_by_role("link", name="My badges")
    )
    expect(ana.page.get_by_role("heading", level=1)).to_have_text("My badges")
    click(ana, ana.page.locator(".wallet-card").get_by_role("link", name=TITLE, exact=True))


def verify_file(employer, path) -> None:
    page = employer.page
    page.get_by_label("Or a file").set_input_files(path)
    click(employer, page.get_by_role("button", name="Verify"))
    # The result takes the focus, so a screen reader reads the verdict first.
    expect(page.locator("section#result")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "result"
    expect(page.locator("#result")).to_contain_text(f"File checked: {path.name}")


def check_row(page, label: str):
    return page.locator("#result .check-item").filter(
        has=page.locator(".check-item__label", has_text=label)
    )


def test_an_awarded_badge_verifies_from_its_png_until_the_issuer_revokes_it(
    visit, reviewed, tmp_path
):
    carla = signed_in(visit, reviewed["carla"])
    award(carla)
    badge = IssuedCredential.objects.get(award__attempt__educator=reviewed["ana"])
    assert badge.state == IssuedCredential.State.ACTIVE

    # Ana finds the badge in her wallet; its page verifies live and shows the rubric.
    ana = signed_in(visit, reviewed["ana"])
    open_badge_from_wallet(ana)
    page = ana.page
    expect(page).to_have_url(badge.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".badge-hero [data-verdict='verified']")).to_contain_text("Verified")
    expect(page.locator(".badge-hero .lead")).to_have_text(f"Earned by {reviewed['ana'].full_name}")
    results = page.get_by_role("table", name="Level reached in each section of the rubric")
    expect(results.locator("tbody tr")).to_have_count(3)
    expect(results.locator("tbody .status--passed")).to_have_count(3)
    ana.screenshot("badge-page")
    with page.expect_download() as info:
        page.get_by_role("link", name="Badge image (PNG)").click()
    png = tmp_path / info.value.suggested_filename
    info.value.save_as(png)
    assert png.name == "exit-tickets.png"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    ana.check()

    # An employer, signed out, finds the verifier in the footer and drops the PNG in.
    employer = visit()
    employer.goto("/")
    click(
        employer,
        employer.page.get_by_role("contentinfo").get_by_role("link", name="Verify a badge"),
    )
    expect(employer.page.get_by_role("heading", level=1)).to_have_text("Verify a badge")
    verify_file(employer, png)
    result = employer.page.locator("#result")
    expect(result.locator("[data-verdict='verified'] .verdict__headline")).to_have_text("Verified")
    expect(result.locator(".check-item__label")).to_contain_text([*CHECKS, "Open Badges schema"])
    for label in CHECKS:
        expect(check_row(employer.page, label)).to_have_class("check-item check-item--ok")
    employer.screenshot("verifier-verified")

    # Carla reaches the badge from "Badges issued" and revokes it with the keyboard.
    carla.goto("/my/")
    click(
        carla,
        carla.page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessment"),
    )
    click(
        carla,
        carla.page.get_by_role("navigation", name="Assessment pages").get_by_role(
            "link", name="Badges issued"
        ),
    )
    row = carla.page.get_by_role("row").filter(has_text=reviewed["ana"].email)
    expect(row.get_by_role("cell").last).to_have_text("Valid")
    click(carla, row.get_by_role("link", name=TITLE, exact=True))
    expect(carla.page).to_have_url(badge.get_absolute_url())
    page = carla.page
    disclosure = page.locator("details").filter(
        has=page.locator("summary", has_text="Revoke this credential")
    )
    reason = page.get_by_label("Reason")
    expect(reason).to_be_hidden()
    disclosure.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(disclosure).to_have_attribute("open", "")
    expect(reason).to_be_visible()
    carla.check()
    click(carla, page.get_by_role("button", name="Revoke", exact=True))
    # Refused: the whole page is back with the disclosure open, the summary focused and
    # linked to the field, and the credential untouched.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role(
            "link",
            name="Reason: Say why the credential is revoked; the educator reads this reason.",
        )
    ).to_have_attribute("href", "#id_reason")
    expect(disclosure).to_have_attribute("open", "")
    expect(page.locator("#id_reason_error")).to_contain_text(
        "Say why the credential is revoked; the educator reads this reason."
    )
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".badge-hero [data-verdict='verified']")).to_be_visible()
    badge.refresh_from_db()
    assert badge.state == IssuedCredential.State.ACTIVE
    reason.fill("The lesson video was recorded in a colleague's class.")
    click(carla, page.get_by_role("button", name="Revoke", exact=True))
    expect(page.get_by_text("Revoked. Verifiers see it within five minutes")).to_be_visible()
    expect(page.locator(".badge-hero [data-verdict='revoked']")).to_contain_text(
        "Revoked by the issuer"
    )
    expect(page.locator(".issuer-actions")).to_contain_text(
        "The lesson video was recorded in a colleague's class."
    )
    badge.refresh_from_db()
    assert badge.state == IssuedCredential.State.REVOKED

    # The employer checks the same file again: still signed by Riverbend, but revoked.
    employer.goto("/verify/")
    verify_file(employer, png)
    result = employer.page.locator("#result")
    expect(result.locator("[data-verdict='revoked'] .verdict__headline")).to_have_text(
        "Revoked by the issuer"
    )
    expect(check_row(employer.page, "Signature")).to_have_class("check-item check-item--ok")
    expect(check_row(employer.page, "Status")).to_have_class("check-item check-item--fail")
    employer.screenshot("verifier-revoked")

    # Ana's wallet says so too.
    ana.goto("/badges/")
    card = ana.page.locator(".wallet-card").filter(has_text=TITLE)
    expect(card.locator(".wallet-card__state .status")).to_have_text("Revoked")
    ana.screenshot("wallet")

    # So do her dashboard and the badge's own page, which offers nothing to share any more.
    ana.goto("/my/")
    card = ana.page.locator(".attempt-card").filter(has_text=TITLE)
    expect(card.locator(".status")).to_have_text("Revoked")
    expect(card).to_contain_text("The lesson video was recorded in a colleague's class.")
    ana.screenshot("dashboard-revoked")
    click(ana, card.get_by_role("link", name="Details"))
    expect(ana.page.locator(".certificate")).to_contain_text("revoked it on")
    expect(ana.page.locator(".certificate")).not_to_contain_text("certifies that")
    ana.screenshot("certificate-revoked")
    ana.goto(badge.get_absolute_url())
    expect(ana.page.locator(".badge-hero .lead")).to_contain_text("Revoked on")
    expect(ana.page.get_by_role("link", name="Add to LinkedIn profile")).to_have_count(0)
    expect(ana.page.locator("#share-h")).to_have_count(0)
    ana.screenshot("badge-revoked")


def test_a_new_name_on_a_badge_issues_a_new_copy_and_the_old_page_points_to_it(
    visit, reviewed, live_server
):
    carla = signed_in(visit, reviewed["carla"])
    award(carla)
    old = IssuedCredential.objects.get(award__attempt__educator=reviewed["ana"])

    # Ana changes the name with the keyboard only.
    ana = signed_in(visit, reviewed["ana"])
    ana.goto(old.get_absolute_url())
    page = ana.page
    yours = page.locator("section").filter(has=page.get_by_role("heading", name="Your badge"))
    name = yours.get_by_label("Name on the badge", exact=True)
    expect(name).to_have_value(reviewed["ana"].full_name)
    # Start from the last download link; Tab moves into the "Your badge" form.
    page.get_by_role("link", name="Open Badges 2.0 image").focus()
    page.keyboard.press("Tab")
    expect(name).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Ana María Alvarez")
    page.keyboard.press("Tab")
    expect(yours.get_by_label("Anyone with the link can see this badge's page")).to_be_focused()
    page.keyboard.press("Tab")
    expect(yours.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your badge was issued again with the new name.")).to_be_visible()
    ana.check()
    new = IssuedCredential.objects.get(
        award__attempt__educator=reviewed["ana"], state=IssuedCredential.State.ACTIVE
    )
    assert new.pk != old.pk
    expect(page).to_have_url(new.get_absolute_url())
    expect(page.locator(".badge-hero .lead")).to_have_text("Earned by Ana María Alvarez")
    expect(page.locator(".badge-hero [data-verdict='verified']")).to_be_visible()

    # The old address leads to the current copy, which says the link was to an earlier one.
    employer = visit()
    employer.goto(old.get_absolute_url())
    expect(employer.page).to_have_url(
        f"{live_server.url}{new.get_absolute_url()}?replaced={old.public_id}"
    )
    notice = employer.page.get_by_role("status").filter(
        has=employer.page.get_by_role("heading", name="This is the current copy of the badge")
    )
    expect(notice).to_be_visible()
    expect(employer.page.locator(".badge-hero .lead")).to_have_text("Earned by Ana María Alvarez")
    expect(employer.page.locator(".badge-hero [data-verdict='verified']")).to_be_visible()

    # The verifier, given the earlier copy, says it was replaced and why.
    click(employer, notice.get_by_role("link", name="Check the earlier copy in the verifier"))
    result = employer.page.locator("#result")
    expect(result).to_be_focused()
    expect(result.locator("[data-verdict='superseded'] .verdict__headline")).to_have_text(
        "Replaced by a newer credential"
    )
    expect(check_row(employer.page, "Status")).to_contain_text("the earner's name changed")
    expect(check_row(employer.page, "Signature")).to_have_class("check-item check-item--ok")

    # On a phone the new badge page fits the screen: nothing scrolls sideways.
    phone = visit(width=390, height=844)
    phone.goto(new.get_absolute_url())
    expect(phone.page.locator(".badge-hero [data-verdict='verified']")).to_be_visible()
    assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        phone.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    )
    phone.screenshot("badge-page-phone")
