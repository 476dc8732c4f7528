"""Single sign-on in Chromium, against the real OpenID provider of the SSO tests (node, on
localhost): a program admin sets up the district's sign-in, tests it (the page shows what the
provider sent), and a teacher signs in with the keyboard from the sign-in page and lands on
her home page. Our pages pass axe-core; the provider's own login form is not ours to check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, make_org, member
from microcred.rosters.tests.oidc import CLIENT_ID, SECRET, provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issuer(tmp_path, live_server) -> Iterator[str]:
    with provider(tmp_path, live_server.url) as url:
        yield url


def provider_sign_in(tab, login: str) -> None:
    """The provider's own login form (its page loads a web font and has no favicon: what it
    logs is not ours)."""
    page = tab.page
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    tab.errors.clear()


def test_admin_sets_up_and_tests_the_sign_in_and_a_teacher_signs_in_with_it(
    visit, issuer, live_server
):
    state = make_org("Lakeland Department of Education", "state")
    district = make_org("Riverbend Unified", "district", state, slug="riverbend")
    school = make_org("Maple Elementary", "school", district, slug="maple")
    admin = member(district, Role.ADMIN, email="admin@riverbend.example", full_name="Ada Admin")
    member(school, Role.EDUCATOR, email="educator@riverbend.example", full_name="Ana Ruiz")

    tab = visit()
    tab.sign_in(admin.email, PASSWORD)
    page = tab.goto("/orgs/riverbend/sso/")
    page.get_by_label("Issuer URL").fill("http://not-local.example")
    page.get_by_label("Client ID").fill(CLIENT_ID)
    page.get_by_label("Client secret").fill(SECRET)
    page.get_by_label("Email domains").fill("riverbend.example")
    page.get_by_role("button", name="Save the sign-in settings").click()
    page.wait_for_load_state()
    tab.check()
    expect(page.get_by_text("is not an https:// address").first).to_be_visible()
    expect(page.get_by_label("Client ID")).to_have_value(CLIENT_ID)  # kept

    page.get_by_label("Issuer URL").fill(issuer)
    page.get_by_label("Client secret").fill(SECRET)
    page.get_by_label("Sign-in with the district is on").check()
    page.get_by_role("button", name="Save the sign-in settings").click()
    page.wait_for_load_state()
    tab.check()
    expect(page.get_by_text("The sign-in settings are saved.")).to_be_visible()

    page.get_by_role("button", name="Test sign-in").click()
    provider_sign_in(tab, "ana")
    page.wait_for_url("**/orgs/riverbend/sso/")
    tab.check()
    expect(
        page.get_by_text("It would sign in Ana Ruiz (matched by verified email).")
    ).to_be_visible()
    tab.sign_out()

    teacher = visit()
    page = teacher.goto("/accounts/login/")
    button = page.get_by_role("button", name="Sign in with Riverbend Unified")
    button.focus()
    page.keyboard.press("Enter")
    provider_sign_in(teacher, "ana")
    page.wait_for_url(f"{live_server.url}/")
    teacher.check()
    expect(page.get_by_text("Ana Ruiz").first).to_be_visible()
