"""The program admin's calibration report in Chromium with axe-core: the filters work from
the keyboard, a bad month is refused beside its field, and the
tables fit a phone."""

from __future__ import annotations

import pytest

from microcred.assessment.tests.factories import assessor, pool, submitted_attempt
from microcred.assessment.tests.test_calibration import _score
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, make_org, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_schools_double_scored(world, designer, reviewer, north):
    """One double-scored hand-in at Maple (the two agree) and one at Cedar Middle (they agree
    on one section in three); Cedar Middle."""
    credential = published_credential(designer, reviewer, north, title="Exit tickets")
    ben = world.north.people[Role.ASSESSOR]
    fay = assessor(world.north.organization, "Fay")
    pool(world.north.organization, credential, [ben, fay], double_scoring=True)
    cedar = make_org("Cedar Middle", "school", world.north.organization)
    for school, (ben_levels, fay_levels) in (
        (world.north.school, ([1, 1, 1], [1, 1, 1])),
        (cedar, ([1, 2, 1], [1, 1, 0])),
    ):
        submission = submitted_attempt(member(school, Role.EDUCATOR), credential)
        for review in submission.reviews.all():
            levels = ben_levels if review.assessor == ben else fay_levels
            _score(review, levels, "award" if min(levels) >= 1 else "not_yet")
    return cedar


def test_the_admin_filters_the_calibration_report_by_school_and_month(
    visit, world, designer_dan, reviewer_rita, north, admin_adam
):
    cedar = _two_schools_double_scored(world, designer_dan, reviewer_rita, north)

    for width in (1280, 390):
        adam = visit(width=width, height=900)
        adam.sign_in(admin_adam.email, PASSWORD)
        page = adam.goto("/assessment/calibration/")
        assert page.get_by_text("From 2 double-scored hand-ins").is_visible()
        overflow = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"the report is {overflow}px too wide at {width}px"

    # Keyboard only: type the school's name into the list, then Apply.
    school = page.get_by_label("Educators of")
    school.focus()
    page.keyboard.type("Cedar")
    assert school.input_value() == str(cedar.pk)
    page.get_by_role("button", name="Apply").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    adam.check()
    assert page.get_by_text("From 1 double-scored hand-in").is_visible()
    pairs = page.locator("#pairs-h").locator("xpath=..")
    assert pairs.get_by_text("33.3 %").is_visible()

    # A month the picker cannot produce, sent in the address: refused beside the field.
    page.goto("/assessment/calibration/?since=2026-13")
    adam.check()
    field = page.locator("#id_since-group")
    assert field.get_by_text("Enter a month as year and month, e.g. 2026-09.").is_visible()
    assert page.get_by_role("alert").get_by_text("could not be used").is_visible()
    adam.screenshot("calibration-bad-month")


def test_a_state_admin_narrows_the_report_to_a_district_then_one_of_its_schools(
    visit, world, designer_dan, reviewer_rita, north
):
    """A state lists its districts; choosing one (keyboard only) offers its schools."""
    state_admin = member(world.state, Role.ADMIN, email="admin@state.example")
    cedar = _two_schools_double_scored(world, designer_dan, reviewer_rita, north)

    viewer = visit(width=1280, height=900)
    viewer.sign_in(state_admin.email, PASSWORD)
    page = viewer.goto("/assessment/calibration/")
    viewer.check()
    choices = page.get_by_label("Educators of")
    options = choices.locator("option").all_inner_texts()
    assert options == ["Every district", "Lakeshore County Schools", "Riverbend Unified"]
    assert page.get_by_text("choose a district, then one of its schools").is_visible()

    choices.focus()
    page.keyboard.type("Riverbend")
    page.get_by_role("button", name="Apply").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    viewer.check()
    choices = page.get_by_label("Educators of")
    assert "Riverbend Unified · Cedar Middle" in choices.locator("option").all_inner_texts()
    assert page.get_by_text("From 2 double-scored hand-ins").is_visible()

    choices.select_option(label="Riverbend Unified · Cedar Middle")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    viewer.check()
    assert page.get_by_label("Educators of").input_value() == str(cedar.pk)
    assert page.get_by_text("From 1 double-scored hand-in").is_visible()
    viewer.screenshot("calibration-state-district-school")
