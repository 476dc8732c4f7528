"""Stacks in Chromium with axe-core: the program admin designs a stack from the keyboard,
a rule that cannot be met is refused beside its field with the choices kept, the draft is
published, and the educator sees it with her progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.badges.tests.factories import awarded
from microcred.catalog.models import CredentialVersion
from microcred.catalog.tests.factories import published_credential
from microcred.core.tests.factories import PASSWORD
from microcred.programs.tests.test_transcript import pdf_text, weasyprint_loads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stack_is_designed_published_and_followed(
    visit,
    designer_dan,
    reviewer_rita,
    north,
    admin_adam,
    educator_ana,
    assessor_ben,
    issuer_carla,
    settings,
    live_server,
):
    settings.SITE_URL = live_server.url  # the badges name their images under it
    titles = ("Exit tickets", "Small-group reading", "Feedback that moves learning")
    credentials = [
        published_credential(designer_dan, reviewer_rita, north, title=title) for title in titles
    ]
    awarded(
        educator=educator_ana, credential=credentials[0], assessor=assessor_ben, issuer=issuer_carla
    )

    adam = visit()
    adam.sign_in(admin_adam.email, PASSWORD)
    page = adam.goto("/stacks/")
    page.get_by_role("link", name="Design a stack").click()
    page.wait_for_url("**/stacks/new/")
    adam.check()
    page.get_by_label("Title").fill("Literacy leaders")
    for title in titles:
        box = page.get_by_label(title, exact=True)
        box.focus()
        page.keyboard.press("Space")
    page.get_by_label("A number of them", exact=True).check()
    page.get_by_label("How many").fill("5")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_load_state()
    adam.check()
    assert page.get_by_text("from 1 to 2").first.is_visible()
    assert page.get_by_label("Title").input_value() == "Literacy leaders"
    assert page.get_by_label(titles[2], exact=True).is_checked()
    adam.screenshot("stack-form-refused")

    page.get_by_label("How many").fill("2")
    page.get_by_label("How many").press("Enter")
    page.wait_for_url("**/stacks/literacy-leaders/")
    adam.check()
    adam.screenshot("stack-draft")
    page.get_by_role("button", name="Publish the stack").click()
    page.wait_for_load_state()
    assert page.get_by_text("Published: the educators under it see it now.").is_visible()

    ana = visit()
    ana.sign_in(educator_ana.email, PASSWORD)
    page = ana.goto("/stacks/")
    ana.check()
    progress = page.get_by_role("progressbar", name="Progress toward Literacy leaders")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("1", "2")
    ana.screenshot("stacks-educator")
    page.get_by_role("link", name="Literacy leaders").click()
    page.wait_for_url("**/stacks/literacy-leaders/")
    ana.check()
    rows = page.locator("tbody tr")
    assert [rows.nth(i).locator("td").last.inner_text() for i in range(3)] == [
        "Earned",
        "Not started",
        "Not started",
    ]
    ana.screenshot("stack-educator")

    # The award that completes it: the worker signs her badge, then the stack's.
    awarded(
        educator=educator_ana, credential=credentials[2], assessor=assessor_ben, issuer=issuer_carla
    )
    page = ana.goto("/stacks/literacy-leaders/")
    ana.check()
    assert page.get_by_role("status").filter(has_text="You completed this stack").is_visible()
    page.get_by_role("link", name="Open the stack's badge").click()
    page.wait_for_load_state()
    ana.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Literacy leaders"
    counted = page.get_by_role("region", name="Micro-credentials it counts")
    assert counted.get_by_role("link").all_inner_texts() == [titles[0], titles[2]]
    assert page.get_by_text(
        "Signature, issuer, revocation status and dates checked"
    ).first.is_visible()
    ana.screenshot("stack-badge")
    page = ana.goto("/badges/")
    ana.check()
    assert page.get_by_role("heading", name="Stacks completed").is_visible()
    ana.screenshot("wallet-with-stack")


def test_a_personal_stack_is_proposed_changed_approved_and_completed(
    visit,
    designer_dan,
    reviewer_rita,
    north,
    admin_adam,
    educator_ana,
    principal_dee,
    assessor_ben,
    issuer_carla,
    settings,
    live_server,
    tmp_path,
):
    """Ana proposes three credentials, Dee asks for a change, Ana makes it, Dee approves,
    Ana earns the three: the stack's badge is hers."""
    from microcred.programs import services

    weasyprint_loads()
    settings.SITE_URL = live_server.url
    titles = ("Exit tickets", "Small-group reading", "Feedback that moves learning", "Wait time")
    credentials = [
        published_credential(designer_dan, reviewer_rita, north, title=title) for title in titles
    ]
    for credential, hours in zip(credentials, ("1.5", "2", "3", "2.5"), strict=True):
        CredentialVersion.objects.filter(credential=credential).update(credit_hours=hours)
    stack = services.stack_create(
        actor=admin_adam,
        organization=north,
        title="Teacher leader",
        summary="Three credentials agreed with your principal.",
        rule="agreed",
        choose=3,
        credentials=credentials,
        grants="status",
        grant_title="Teacher leader",
        grant_months=12,
    )
    services.stack_publish(actor=admin_adam, stack=stack)

    # Adam sets the program's money: $40 a hand-in (the district pays), $200 a credential,
    # $500 for the stack and $3,000 a year of the status.
    adam = visit()
    adam.sign_in(admin_adam.email, PASSWORD)
    page = adam.goto("/stacks/ledger/")
    page.get_by_label("Assessment fee").fill("40")
    page.get_by_label("Stipend per earned credential").fill("-200")
    page.get_by_label("The district").check()
    page.get_by_role("button", name="Save the terms").click()
    page.wait_for_load_state()
    adam.check()
    assert page.get_by_text("An amount cannot be negative.").first.is_visible()
    assert page.get_by_label("Assessment fee").input_value() == "40"
    page.get_by_label("Stipend per earned credential").fill("200")
    page.get_by_role("button", name="Save the terms").click()
    page.wait_for_load_state()
    assert page.get_by_text("Terms saved").is_visible()
    page = adam.goto(f"/stacks/{stack.slug}/")
    page.get_by_label("Stipend on completing the stack").fill("500")
    page.get_by_label("Stipend per year of the status").fill("3000")
    page.get_by_role("button", name="Save the stipends").click()
    page.wait_for_load_state()
    assert page.get_by_text("Stipends saved").is_visible()

    ana = visit()
    ana.sign_in(educator_ana.email, PASSWORD)
    page = ana.goto(f"/stacks/{stack.slug}/")
    page.get_by_role("link", name="Propose your stack").click()
    page.wait_for_url("**/agree/")
    ana.check()
    for title in titles[:2]:
        page.get_by_label(title, exact=True).focus()
        page.keyboard.press("Space")
    page.get_by_label("Your growth goal").fill("Lead my grade team's formative assessment.")
    page.get_by_label("Target date").fill("2027-06-15")
    page.get_by_role("button", name="Send to my school leader").click()
    page.wait_for_load_state()
    ana.check()
    assert page.get_by_text("Choose 3 credentials for this stack; you chose 2.").first.is_visible()
    assert page.get_by_label("Your growth goal").input_value().startswith("Lead my grade team")
    page.get_by_label(titles[2], exact=True).check()
    page.get_by_role("button", name="Send to my school leader").click()
    page.wait_for_url("**/stacks/agreements/*/")
    ana.check()
    ana.screenshot("agreement-proposed")

    dee = visit()
    dee.sign_in(principal_dee.email, PASSWORD)
    page = dee.goto("/stacks/agreements/")
    waiting = page.get_by_role("region", name="Waiting for your decision")
    waiting.get_by_role("link", name=educator_ana.get_full_name()).click()
    page.wait_for_load_state()
    dee.check()
    page.get_by_label("Ask for changes").check()
    page.get_by_label("Comment for the educator").fill("Take Wait time instead of Exit tickets.")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state()
    dee.check()
    assert page.get_by_text("Decision saved").is_visible()

    page = ana.goto(f"/stacks/{stack.slug}/agree/")
    assert page.get_by_text("Take Wait time instead of Exit tickets.").is_visible()
    page.get_by_label(titles[0], exact=True).uncheck()
    page.get_by_label(titles[3], exact=True).check()
    page.get_by_role("button", name="Send to my school leader").click()
    page.wait_for_url("**/stacks/agreements/*/")

    page = dee.goto(page.url.removeprefix(live_server.url))
    decide = page.get_by_role("region", name="Decide on version 2")
    assert decide.get_by_text("Wait time", exact=True).first.is_visible()
    dee.screenshot("agreement-decide")
    page.get_by_label("Approve it").check()
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state()
    dee.check()
    progress = page.get_by_role("progressbar", name="Progress on the agreed credentials")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("0", "3")

    def earned_on_the_dashboard() -> str:
        page = adam.goto("/reports/")
        figure = page.locator(".report-figure").filter(has_text="Credentials earned")
        return figure.locator("dd").first.inner_text()

    assert earned_on_the_dashboard() == "0"
    for credential in credentials[1:]:
        awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    assert earned_on_the_dashboard() == "3"
    adam.screenshot("dashboard")
    page = ana.goto(f"/stacks/{stack.slug}/")
    assert page.get_by_role("status").filter(has_text="You completed this stack").is_visible()
    assert page.get_by_text("You hold the status").is_visible()
    page = dee.goto("/stacks/agreements/")
    following = page.get_by_role("region", name="Approved, in progress")
    assert following.get_by_role("row").nth(1).get_by_text("3 of 3").is_visible()
    dee.screenshot("agreements-leader")
    page = ana.goto("/stacks/agreements/")
    page.get_by_role("link", name="Teacher leader").click()
    page.wait_for_load_state()
    ana.check()
    assert page.get_by_role("status").filter(has_text="Completed on").is_visible()
    ana.screenshot("agreement-completed")
    page.get_by_role("link", name="Open the stack's badge").click()
    page.wait_for_load_state()
    ana.check()
    assert page.get_by_text(
        "Signature, issuer, revocation status and dates checked"
    ).first.is_visible()

    # The ledger: three fees the district pays, three credential stipends, the stack's
    # stipend and its status's first year, waiting for Adam; approved, they are payroll.
    page = adam.goto("/stacks/ledger/")
    pending = page.get_by_role("region", name="Waiting for approval (8)")
    assert pending.get_by_role(
        "cell", name="“Teacher leader”, year 1: yearly stipend", exact=True
    ).is_visible()
    adam.screenshot("ledger")
    page.get_by_role("button", name="Approve the ticked entries").click()
    page.wait_for_load_state()
    adam.check()
    assert page.get_by_text("Approved 8 entries.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export the payroll").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[1].startswith(f"{educator_ana.full_name},{educator_ana.email},")
    assert lines[1].endswith(",4100.00,0.00,0.00,4100.00,USD,8")
    page = ana.goto("/stacks/money/")
    assert page.get_by_role("definition").first.inner_text() == "$4,100.00"
    ana.screenshot("my-ledger")

    # Her transcript lists the three with their credit hours (2 + 3 + 2.5).
    page = ana.goto("/licensure/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the transcript (PDF)").click()
    text = pdf_text(Path(download.value.path()).read_bytes(), tmp_path)
    assert "Total: 3 credentials 7.5 credit hours" in text
    for title in titles[1:]:
        assert title in text


def test_a_leader_recommends_a_credential_and_the_educator_sees_it_at_home(
    visit, designer_dan, reviewer_rita, north, principal_dee, educator_ana
):
    published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    dee = visit()
    dee.sign_in(principal_dee.email, PASSWORD)
    page = dee.goto("/stacks/")
    page.get_by_role("link", name="Recommend to staff").click()
    page.wait_for_url("**/stacks/recommend/")
    dee.check()
    page.get_by_label("Credential").select_option(label="Exit tickets")
    page.get_by_label("Assign it").check()
    page.get_by_label("Why").fill("Our school goal: checking for understanding every day.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    dee.check()
    assert page.get_by_text("Give the educator's email.").first.is_visible()
    assert page.get_by_label("Why").input_value().startswith("Our school goal")
    page.get_by_label("Educator's email").fill(educator_ana.email)
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    dee.check()
    assert page.get_by_text("Sent to 1 educator.").is_visible()
    dee.screenshot("recommend")

    ana = visit()
    ana.sign_in(educator_ana.email, PASSWORD)
    page = ana.goto("/")
    section = page.get_by_role("region", name="From your school leaders")
    assert section.get_by_role("link", name="Exit tickets").is_visible()
    assert section.get_by_text("Our school goal").is_visible()
    ana.screenshot("home-from-leaders")
