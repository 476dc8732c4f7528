"""The notifications page in Chromium, desktop and phone: an assessor's assigned notices say
whose work and which credential, a submitted review's notice shows "Done", opening a notice
leads to its page and marks it read; the coach sees the hand-in. axe-core on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.catalog.tests.factories import audience, published_credential
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, make_org, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/notify")


@pytest.fixture
def riverbend():
    audience("teacher")
    state = make_org("Lakeland Department of Education", "state")
    district = make_org("Riverbend Unified", "district", state, slug="riverbend")
    school = make_org("Maple Elementary", "school", district, slug="maple")
    people = {
        role: member(
            school if role in (Role.EDUCATOR, Role.COACH) else district,
            role,
            email=f"{role.value}@riverbend.example",
            full_name={Role.EDUCATOR: "Ana Ortiz", Role.ASSESSOR: "Ben Adeyemi"}.get(
                role, f"Riverbend {role.label}"
            ),
        )
        for role in (Role.DESIGNER, Role.REVIEWER, Role.EDUCATOR, Role.COACH, Role.ASSESSOR)
    }
    designer, reviewer = people[Role.DESIGNER], people[Role.REVIEWER]
    exit_tickets = published_credential(designer, reviewer, district, title="Exit tickets")
    cold_calls = published_credential(designer, reviewer, district, title="Cold calls")
    pool(district, None, [people[Role.ASSESSOR]])
    bo = member(school, Role.EDUCATOR, full_name="Bo Baker", email="bo@riverbend.example")
    reviews = [
        submitted_attempt(educator, credential).reviews.get()
        for educator, credential in (
            (people[Role.EDUCATOR], exit_tickets),
            (bo, cold_calls),
            (people[Role.EDUCATOR], cold_calls),
        )
    ]
    submit_review(reviews[0])
    return people, reviews


def test_notifications_page_on_desktop_and_phone(visit, riverbend):
    people, reviews = riverbend
    SHOTS.mkdir(parents=True, exist_ok=True)
    ben = visit()
    ben.sign_in(people[Role.ASSESSOR].email, PASSWORD)
    page = ben.goto("/notifications/")
    items = page.locator(".notification")
    expect(items).to_have_count(3)
    expect(
        page.get_by_role("link", name=re.compile("Review Ana Ortiz’s “Exit tickets” by"))
    ).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("Review Bo Baker’s “Cold calls” by"))
    ).to_be_visible()
    done = page.locator(".notification--done")
    expect(done).to_have_count(1)
    expect(done).to_contain_text("Ana Ortiz’s “Exit tickets”")
    expect(done).to_contain_text("Done")
    expect(page.get_by_role("link", name=re.compile("Notifications 2 unread"))).to_be_visible()
    page.screenshot(path=str(SHOTS / "assessor-desktop.png"), full_page=True)

    # Opening a notice leads to the review and marks it read.
    page.get_by_role("link", name=re.compile("Review Bo Baker’s “Cold calls”")).click()
    page.wait_for_load_state()
    assert page.url.endswith(reviews[1].get_absolute_url())
    ben.check()
    page = ben.goto("/notifications/")
    expect(page.locator(".notification--unread")).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile("Notifications 1 unread"))).to_be_visible()
    expect(page.locator(".site-header [aria-current]")).to_have_count(1)
    expect(page.locator('.site-header [aria-current="page"]')).to_have_text(
        "Notifications 1 unread"
    )

    phone = visit(width=390, height=844)
    phone.sign_in(people[Role.ASSESSOR].email, PASSWORD)
    small = phone.goto("/notifications/")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=str(SHOTS / "assessor-phone.png"), full_page=True)

    coach = visit()
    coach.sign_in(people[Role.COACH].email, PASSWORD)
    page = coach.goto("/notifications/")
    expect(page.get_by_role("link", name="Ana Ortiz handed in “Exit tickets”.")).to_be_visible()
    expect(page.get_by_role("link", name="Bo Baker handed in “Cold calls”.")).to_be_visible()
    page.screenshot(path=str(SHOTS / "coach-desktop.png"), full_page=True)
