"""Layout a walk through every page found broken (issue 13's sweep), in real Chromium.

The list tables (staff progress, the review queue, decisions, pools, members, the studio)
squeezed each column to a letter a line on a phone, and broke "Assigned" in two on a
desktop; on a phone each row is now a block of labelled lines. A submitted review's scores
on the issuer's decision page read name over value on a phone. The studio's part tabs
widened the whole page by 500 px on a phone.
"""

from __future__ import annotations

import pytest

from microcred.assessment import services as assessment
from microcred.assessment.tests.factories import (
    assessor,
    pool,
    submit_review,
    submitted_attempt,
)
from microcred.catalog.tests.factories import draft_credential, published_credential
from microcred.core.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size }"""


@pytest.fixture
def handed_in(world, educator_ana, assessor_ben, designer_dan, reviewer_rita, north):
    credential = published_credential(
        designer_dan, reviewer_rita, north, title="Checking for Understanding with Exit Tickets"
    )
    pool(north, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


def signed_in(visit, user, **size):
    visitor = visit(**size)
    visitor.sign_in(user.email, PASSWORD)
    return visitor


def fits(visitor) -> None:
    width = visitor.page.evaluate("window.innerWidth")
    scroll = visitor.page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{visitor.page.url} is {scroll} px wide on a {width} px screen"


def test_list_tables_read_as_labelled_rows_on_a_phone_and_keep_words_whole_on_a_desktop(
    visit, handed_in, coach_carmen, assessor_ben
):
    carmen = signed_in(visit, coach_carmen, **PHONE)
    carmen.goto("/staff/")
    fits(carmen)
    row = carmen.page.locator("table tbody tr").first
    title = row.locator("a").first
    box = title.bounding_box()
    assert box is not None and box["width"] > 200, box  # not a letter a line
    assert title.evaluate(LINES) <= 2
    status = row.locator("td").nth(2)
    # Each cell names its column, now that the head is hidden.
    assert status.get_attribute("data-label") == "Status"
    assert status.evaluate("el => getComputedStyle(el, '::before').content") != "none"
    box = status.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, box

    ben = signed_in(visit, assessor_ben, width=1366, height=900)
    ben.goto("/assessment/")
    cells = ben.page.locator("table tbody tr").first.locator("td")
    for column in (1, 2, 4):  # review, hand-in, state: "Review", "First hand-in", "Assigned"
        assert cells.nth(column).evaluate(LINES) == 1, cells.nth(column).inner_text()
    for header in ben.page.locator("table thead th").all():
        assert header.evaluate(LINES) == 1, header.inner_text()

    phone = signed_in(visit, assessor_ben, **PHONE)
    phone.goto("/assessment/")
    fits(phone)
    state = phone.page.locator("table tbody tr").first.locator("td").last
    box = state.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, box  # not cut off on the right


def test_double_scored_reviews_read_well_on_the_decision_and_feedback_pages(
    visit, world, educator_ana, assessor_ben, issuer_carla, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    pool(north, credential, [assessor_ben, assessor(north, "Fay")], double_scoring=True)
    submission = submitted_attempt(educator_ana, credential)
    for review in submission.reviews.all():
        submit_review(review, failing={"Section 2"})
    carla = signed_in(visit, issuer_carla, **PHONE)
    carla.goto(f"/assessment/submissions/{submission.pk}/decide/")
    fits(carla)
    # A score's level and feedback under its section's name, not beside it a few letters wide.
    value = carla.page.locator(".facts dd").first
    box = value.bounding_box()
    assert box is not None and box["width"] > 250, box
    assessment.submission_decide(
        actor=issuer_carla, submission=submission, outcome="not_yet", reason="Section 2."
    )
    # Two reviews in the history: each summary is a 24 px target (axe-core's target-size,
    # checked on every page a Visitor opens).
    desk = signed_in(visit, issuer_carla, width=1366, height=900)
    desk.goto(f"/assessment/attempts/{submission.attempt.public_id}/feedback/")
    summaries = desk.page.locator(".timeline details > summary")
    assert summaries.count() == 2
    box = summaries.first.bounding_box()
    assert box is not None and box["height"] >= 24, box


def test_the_studio_s_part_tabs_scroll_inside_their_strip_on_a_phone(visit, designer_dan, north):
    draft = draft_credential(designer_dan, north, title="Claim, Evidence, Reasoning")
    dan = signed_in(visit, designer_dan, **PHONE)
    dan.goto(f"/studio/{draft.pk}/")
    tabs = dan.page.locator(".part-tabs")
    assert tabs.evaluate("el => el.scrollWidth > el.clientWidth")  # more tabs than fit
    fits(dan)
