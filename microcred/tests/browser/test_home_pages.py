"""Each role of the demo signs in through the real sign-in form and lands on a home whose
first screen shows the work waiting for it, on a desktop and on a phone; axe-core checks
every page."""

from __future__ import annotations

import importlib

import pytest

from microcred.catalog.models import Audience
from microcred.demo import loader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Who signs in, the home section of their role, and what it must list.
FIRST_SCREENS = [
    (
        "ana@riverbend.example",
        "attempts",
        [
            "Facilitating a Data Team Meeting",  # her "not yet"
            "You can resubmit now",
            "Read the feedback",
            "Number Talks for Mathematical Reasoning",  # in progress
            "Continue the task",
        ],
    ),
    (
        "ben@riverbend.example",
        "queue",
        [
            "Checking for Understanding with Exit Tickets",
            "Overdue by",
            "Facilitating a Data Team Meeting",
            "Start the review",
        ],
    ),
    ("carla@riverbend.example", "decisions", ["Checking for Understanding", "Theo Tran", "Decide"]),
    ("adam@riverbend.example", "program", ["Ben Brooks", "Overdue by", "Reassign"]),
    ("rita@riverbend.example", "design_reviews", ["Project-Based Learning Launch", "Review"]),
    ("dan@riverbend.example", "drafts", ["CHANGES REQUESTED", "Claim, Evidence, Reasoning"]),
    ("dee@riverbend.example", "staff", ["Ana Alvarez: Facilitating a Data Team Meeting"]),
    ("carmen@riverbend.example", "staff", ["Ana Alvarez: Facilitating a Data Team Meeting"]),
]


@pytest.fixture
def demo(transactional_db):
    # A transactional test's flush removes the audiences the migration added.
    audiences = importlib.import_module("microcred.catalog.migrations.0003_audiences")
    for position, (slug, name) in enumerate(audiences.AUDIENCES):
        Audience.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    assert loader.load() is True


def test_each_role_lands_on_its_waiting_work(visit, demo):
    for email, key, items in FIRST_SCREENS:
        person = visit()
        person.sign_in(email, loader.DEMO_PASSWORD)
        page = person.page
        assert page.url.endswith("/"), (email, page.url)
        section = page.locator(f"#home-{key}")
        text = section.inner_text()
        for item in items:
            assert item in text, (email, item, text)
        # The work is on the first screen, above the fold, not under the catalog.
        top = section.bounding_box()
        assert top is not None and top["y"] < 700, (email, top)
        assert "In the catalog" not in page.content()
        person.close()
    # The educator's and the assessor's homes on a phone: the same work, no sideways scroll.
    for email, key, name in (
        ("ana@riverbend.example", "attempts", "educator"),
        ("ben@riverbend.example", "queue", "assessor"),
    ):
        for width, device in ((1280, "desktop"), (390, "phone")):
            person = visit(width=width, height=900 if width > 400 else 844)
            person.sign_in(email, loader.DEMO_PASSWORD)
            page = person.page
            assert page.locator(f"#home-{key} .todo").count() >= 2
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow == 0, (email, device, overflow)
            person.screenshot(f"home-{name}-{device}")
            person.close()
    # Ana's badge and recommendations follow her next steps.
    ana = visit()
    ana.sign_in("ana@riverbend.example", loader.DEMO_PASSWORD)
    badges = ana.page.locator("#home-badges").inner_text()
    assert "Checking for Understanding with Exit Tickets" in badges and "Earned" in badges
    recommended = ana.page.locator("#home-recommended").inner_text()
    assert "Leading" not in recommended  # school-leader credentials are not for a teacher
    assert "Facilitating a Data Team Meeting" not in recommended  # already hers
