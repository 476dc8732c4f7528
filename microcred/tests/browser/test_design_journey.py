"""The design journey in real Chromium: a designer drafts a credential with three rubric
sections, the review board asks for changes, the designer fixes them, the board
approves, and anyone finds the credential in the catalog. Every page passes axe-core."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from microcred.catalog.models import Credential, CredentialVersion
from microcred.catalog.tests.factories import audience
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, make_org, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def riverbend():
    audience("teacher")
    state = make_org("Lakeland Department of Education", "state")
    district = make_org("Riverbend Unified", "district", state, slug="riverbend")
    designer = member(district, Role.DESIGNER, email="dan@riverbend.example", full_name="Dan Diaz")
    reviewer = member(
        district, Role.REVIEWER, email="rita@riverbend.example", full_name="Rita Reyes"
    )
    return district, designer, reviewer


def fill_part(page, fields: dict[str, str]) -> None:
    for selector, value in fields.items():
        page.locator(selector).fill(value)


def save_and_continue(visitor, next_heading: str) -> None:
    visitor.page.get_by_role("button", name="Save and continue").click()
    visitor.page.wait_for_load_state()
    assert visitor.page.locator(".alert--error").count() == 0, visitor.page.locator(
        ".alert--error"
    ).inner_text()
    visitor.page.get_by_role("heading", level=1).wait_for()
    assert next_heading in visitor.page.content()
    visitor.check()


def add_item(visitor, button: str, new_field: str) -> None:
    """Click an htmx "Add …" button and wait for the new item's first field."""
    visitor.page.get_by_role("button", name=button).click()
    visitor.page.locator(new_field).wait_for()
    visitor.check()


def test_designer_drafts_reviewer_requests_changes_then_approves_and_it_is_in_the_catalog(
    visit, riverbend, django_capture_on_commit_callbacks
):
    _district, designer, reviewer = riverbend
    dan = visit()
    dan.sign_in(designer.email, PASSWORD)
    page = dan.page

    # Start a draft
    dan.goto("/studio/")
    page.get_by_role("link", name="New credential").first.click()
    page.wait_for_load_state()
    dan.check()
    page.get_by_label("Title").fill("Using Wait Time to Deepen Discussion")
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_load_state()
    dan.check()

    # Basics
    fill_part(
        page,
        {
            "#id_summary": "Pause three to five seconds after a question and after an answer, so more students think and answer.",
            "#id_competency": "Uses wait time to increase the number and depth of student responses",
            "#id_key_method": "Wait time I (after the question) and wait time II (after the answer), tracked with a tally.",
            "#id_estimated_hours": "10",
            "#id_credit_hours": "1",
        },
    )
    page.get_by_label(audience("teacher").name, exact=True).check()
    page.get_by_label("Grade band").select_option("6-8")
    save_and_continue(dan, "Learning targets")

    # Part 1: learning targets, added with htmx
    add_item(dan, "+ Add a learning target", "#id_targets-0-text")
    page.locator("#id_targets-0-text").fill(
        "I can pause at least three seconds after asking a question."
    )
    add_item(dan, "+ Add a learning target", "#id_targets-1-text")
    assert (
        page.locator("#id_targets-0-text").input_value().startswith("I can pause")
    )  # kept across the swap
    page.locator("#id_targets-1-text").fill("I can track who answers and how deeply.")
    save_and_continue(dan, "Success criteria (rubric)")

    # Part 2: a rubric with three sections, each added with htmx (default levels come with it)
    for i in range(3):
        add_item(dan, "+ Add a section", f"#id_sections-{i}-name")
    names = ["Wait time after questions", "Wait time after answers", "Tracking participation"]
    for i, name in enumerate(names):
        page.locator(f"#id_sections-{i}-name").fill(name)
        page.locator(f"#id_sections-{i}-targets_{0 if i < 2 else 1}").check()
        for j, descriptor in enumerate(
            (
                "Pauses are rare or under a second.",
                "Most pauses last three seconds.",
                "Pauses are consistent and students use them.",
            )
        ):
            page.locator(f"#id_sections-{i}-levels-{j}-descriptor").fill(descriptor)
    # Reorder with the keyboard: move section 3 up, then put it back.
    page.get_by_role("button", name="Move section 3 up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_sections-1-name")).to_have_value("Tracking participation")
    assert page.locator("#id_sections-2-name").input_value() == "Wait time after answers"
    page.get_by_role("button", name="Move section 2 down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_sections-2-name")).to_have_value("Tracking participation")
    dan.check()
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.evaluate("window.scrollTo(0, 0)")
    dan.screenshot("designer-rubric-editor", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    save_and_continue(dan, "Resources")

    # Part 3: resources
    add_item(dan, "+ Add a resource", "#id_resources-0-title")
    page.locator("#id_resources-0-title").fill("Wait time research summary")
    page.locator("#id_resources-0-url").fill("https://www.edutopia.org/")
    save_and_continue(dan, "Task and reflections")

    # Parts 4 and 5: the task and the reflections
    page.locator("#id_task_instructions").fill(
        "Teach three discussion-based lessons using wait time and keep a tally."
    )
    add_item(dan, "+ Add a pre-reflection prompt", "#id_pre-0-text")
    page.locator("#id_pre-0-text").fill("How long do you usually wait after asking a question?")
    add_item(dan, "+ Add a post-reflection prompt", "#id_post-0-text")
    page.locator("#id_post-0-text").fill("Who answered more once you waited longer?")
    save_and_continue(dan, "Evidence")

    # Part 6: evidence
    add_item(dan, "+ Add an evidence requirement", "#id_evidence-0-title")
    page.locator("#id_evidence-0-title").fill("Participation tally")
    page.locator("#id_evidence-0-description").fill("A tally of who answered in one lesson.")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    dan.check()
    assert "Every part is complete" in page.content()
    with django_capture_on_commit_callbacks(execute=True):
        page.get_by_role("button", name="Send to review board").click()
        page.wait_for_load_state()
    dan.check()
    assert "Sent to the review board" in page.content()
    assert mail.outbox[-1].to == [reviewer.email]

    # The review board asks for changes to the evidence
    rita = visit()
    rita.sign_in(reviewer.email, PASSWORD)
    rita.goto("/studio/")
    rita.page.get_by_role("link", name="Using Wait Time to Deepen Discussion").first.click()
    rita.page.wait_for_load_state()
    rita.check()
    for part in ("targets", "criteria", "resources", "task", "reflections"):
        rita.page.locator(f"#id_{part}_met_0").check()
    rita.page.locator("#id_evidence_met_1").check()
    rita.page.locator("#id_evidence_comment").fill(
        "Ask for a short video clip as well as the tally."
    )
    rita.page.get_by_label("Request changes").check()
    rita.page.get_by_role("button", name="Record decision").click()
    rita.page.wait_for_load_state()
    rita.check()
    assert "Changes requested" in rita.page.content()

    # The designer reads the comment and fixes the evidence
    dan.goto(page.url)
    assert "Ask for a short video clip as well as the tally." in page.content()
    page.get_by_role("link", name="Evidence").first.click()
    page.wait_for_load_state()
    dan.check()
    add_item(dan, "+ Add an evidence requirement", "#id_evidence-1-title")
    page.locator("#id_evidence-1-title").fill("Discussion clip")
    page.locator("#id_evidence-1-kind").select_option("video")
    page.locator("#id_evidence-1-max_minutes").fill("10")
    page.locator("#id_evidence-1-description").fill(
        "Ten minutes of a discussion where you use wait time."
    )
    page.locator("#id_evidence-1-consent_required").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    dan.check()
    page.get_by_role("button", name="Send to review board").click()
    page.wait_for_load_state()
    dan.check()

    # The review board approves: the version is published
    rita.goto("/studio/")
    rita.page.get_by_role("link", name="Using Wait Time to Deepen Discussion").first.click()
    rita.page.wait_for_load_state()
    rita.check()
    for part in ("targets", "criteria", "resources", "task", "reflections", "evidence"):
        rita.page.locator(f"#id_{part}_met_0").check()
    rita.page.get_by_label("Approve and publish this version").check()
    rita.page.get_by_role("button", name="Record decision").click()
    rita.page.wait_for_load_state()
    rita.check()
    credential = Credential.objects.get()
    assert credential.current_version is not None
    assert credential.current_version.state == CredentialVersion.State.PUBLISHED
    assert credential.current_version.quality_reviews.count() == 2

    # Anyone finds it in the catalog by searching, and reads it
    anyone = visit()
    anyone.goto("/catalog/")
    anyone.page.get_by_role("searchbox", name="Search").fill("wait time")
    anyone.page.get_by_role("button", name="Show results").click()
    expect(anyone.page.locator("#results")).to_contain_text("1 credential matches “wait time”.")
    anyone.check()
    anyone.screenshot("catalog-search")
    anyone.page.get_by_role("link", name="Using Wait Time to Deepen Discussion").click()
    anyone.page.wait_for_load_state()
    anyone.check()
    rows = anyone.page.locator(".rubric-table tbody tr")
    assert rows.count() == 3
    assert "Tracking participation" in rows.nth(2).inner_text()
    assert "Discussion clip" in anyone.page.content()
    anyone.screenshot("credential-page")

    assert len(dan.audited) + len(rita.audited) + len(anyone.audited) >= 25


def test_the_catalog_works_on_a_phone(visit, riverbend):
    from microcred.catalog.tests.factories import published_credential

    district, designer, reviewer = riverbend
    published_credential(designer, reviewer, district, title="Exit tickets")
    phone = visit(width=390, height=844)
    phone.goto("/catalog/")
    menu = phone.page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not phone.page.get_by_role("link", name="Sign in").is_visible()
    menu.click()
    assert phone.page.get_by_role("link", name="Sign in").is_visible()
    # Nothing is wider than the screen.
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.page.get_by_role("link", name="Exit tickets").click()
    phone.page.wait_for_load_state()
    phone.check()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
