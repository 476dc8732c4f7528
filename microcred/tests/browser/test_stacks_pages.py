"""Stacks in Chromium with axe-core: the program admin designs a stack from the keyboard,
a rule that cannot be met is refused beside its field with the choices kept, the draft is
published, and the educator sees it with her progress."""

from __future__ import annotations

import pytest

from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.tests.factories import PASSWORD

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
    page.get_by_label("A number of them").check()
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
