"""Every other page people use passes axe-core in Chromium and works with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from microcred.catalog.tests.factories import (
    audience,
    draft_credential,
    in_review_credential,
    published_credential,
)
from microcred.core import services
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, make_org, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def riverbend():
    audience("teacher")
    state = make_org("Lakeland Department of Education", "state")
    district = make_org("Riverbend Unified", "district", state, slug="riverbend")
    school = make_org("Maple Elementary", "school", district, slug="maple")
    people = {
        role: member(
            district if role != Role.EDUCATOR else school,
            role,
            email=f"{role.value}@riverbend.example",
            full_name=f"Riverbend {role.label}",
        )
        for role in (Role.ADMIN, Role.DESIGNER, Role.REVIEWER, Role.EDUCATOR)
    }
    return district, school, people


def test_public_and_account_pages(visit, riverbend):
    district, _school, people = riverbend
    published_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], district, title="Exit tickets"
    )
    anyone = visit()
    for path in (
        "/",
        "/about/",
        "/catalog/",
        "/catalog/?q=nothing+matches+this",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ):
        anyone.goto(path)
    # Typing in the catalog's search updates the results in place and the address.
    anyone.goto("/catalog/")
    anyone.page.get_by_role("searchbox", name="Search").type("exit tick")
    expect(anyone.page.locator("#results")).to_contain_text("1 credential matches “exit tick”.")
    expect(anyone.page).to_have_url(re.compile(r"q=exit(\+|%20)tick"))
    # "Mathematics" includes credentials for all subjects; adult learners are not in PK–12.
    anyone.page.get_by_label("Subject").select_option("math")
    expect(anyone.page.locator("#results")).to_contain_text(
        "1 credential matches “exit tick” and your filters."
    )
    anyone.page.get_by_label("Grade band").select_option("adult")
    expect(anyone.page.locator("#results")).to_contain_text(
        "No credential matches “exit tick” and your filters."
    )
    anyone.check()
    # A wrong password: the error is announced and the email is kept.
    anyone.goto("/accounts/login/")
    anyone.page.get_by_label("Email").fill(people[Role.EDUCATOR].email)
    anyone.page.get_by_label("Password").fill("wrong")
    anyone.page.get_by_role("button", name="Sign in").click()
    anyone.page.wait_for_load_state()
    anyone.check()
    assert anyone.page.get_by_role("alert").is_visible()
    assert anyone.page.get_by_label("Email").input_value() == people[Role.EDUCATOR].email


def test_signed_in_pages_of_each_role(visit, riverbend):
    district, school, people = riverbend
    designer, reviewer, admin = people[Role.DESIGNER], people[Role.REVIEWER], people[Role.ADMIN]
    draft = draft_credential(designer, district, title="Data teams")
    in_review_credential(designer, district, title="Accountable talk")
    services.invitation_create(
        actor=admin, organization=school, email="new@example.org", role=Role.COACH
    )

    teacher = visit()
    teacher.sign_in(people[Role.EDUCATOR].email, PASSWORD)
    for path in (
        "/",
        "/orgs/",
        f"/orgs/{school.slug}/",
        "/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
    ):
        teacher.goto(path)

    boss = visit()
    boss.sign_in(admin.email, PASSWORD)
    for path in (f"/orgs/{district.slug}/", f"/orgs/{school.slug}/members/", "/studio/"):
        boss.goto(path)
    # Inviting with a bad address keeps what was typed and says what is wrong.
    boss.page.goto(f"/orgs/{school.slug}/members/")
    boss.page.get_by_label("Email address").fill("not-an-address")
    boss.page.get_by_role("button", name="Send invitation").click()
    boss.page.wait_for_load_state()
    boss.check()
    assert "Enter a valid email address." in boss.page.content()

    dan = visit()
    dan.sign_in(designer.email, PASSWORD)
    for path in (
        "/studio/",
        "/studio/new/",
        f"/studio/{draft.pk}/",
        f"/studio/{draft.pk}/preview/",
    ):
        dan.goto(path)
    for part in ("basics", "targets", "rubric", "resources", "task", "evidence"):
        dan.goto(f"/studio/{draft.pk}/edit/{part}/")
    dan.goto(f"/studio/{draft.pk}/edit/basics/")
    dan.screenshot("designer-basics")

    rita = visit()
    rita.sign_in(reviewer.email, PASSWORD)
    rita.goto("/")
    assert "Waiting for your review board" in rita.page.content()


def test_keyboard_reaches_the_main_content_and_the_menu(visit, riverbend):
    anyone = visit()
    anyone.goto("/catalog/")
    anyone.page.keyboard.press("Tab")
    skip = anyone.page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    anyone.page.keyboard.press("Enter")
    assert anyone.page.evaluate("document.activeElement.id") == "main"
    phone = visit(width=390, height=844)
    phone.goto("/")
    phone.page.get_by_role("button", name="Menu").focus()
    phone.page.keyboard.press("Enter")
    assert phone.page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "true"
    assert phone.page.get_by_role("link", name="Catalog").first.is_visible()
