"""The studio's forms in real Chromium (axe-core on every page): sending a bare draft to
review lists every problem at once and each link lands on its field; the basics form shows
all its errors in one answer; discarding a new draft asks first; an empty decline reason
keeps the focus (and the scroll) at the reason box."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcred.assessment.tests.factories import pool, submitted_attempt
from microcred.catalog.models import Credential
from microcred.catalog.tests.factories import audience, draft_credential
from microcred.core.tests.factories import PASSWORD
from microcred.earning.tests.factories import earnable_credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/studio")


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _in_view(page: Any, selector: str) -> bool:
    rect = page.eval_on_selector(
        selector,
        "el => { const r = el.getBoundingClientRect();"
        " return [r.top, r.bottom, window.innerHeight, window.scrollY]; }",
    )
    return rect[0] >= -1 and rect[1] <= rect[2] + 1  # a pixel's rounding either way


@pytest.mark.parametrize("width", [1280, 390])
def test_send_to_review_lists_everything_and_basics_shows_all_errors(
    visit, designer_dan, north, width
):
    for slug in ("teacher", "school-leader", "instructional-coach"):
        audience(slug)  # a transactional test's flush removed the migration's audiences
    credential = draft_credential(designer_dan, north, title="Talk moves", complete=False)
    dan = visit(width=width)
    dan.sign_in(designer_dan.email, PASSWORD)
    dan.goto(f"/studio/{credential.pk}/")
    dan.page.get_by_role("button", name="Send to review board").click()
    dan.page.wait_for_load_state()
    dan.check()
    summary = dan.page.locator("#refusal")
    assert summary.evaluate("el => el === document.activeElement")
    links = summary.locator("a")
    assert links.count() == 12  # every missing part of a bare draft, in one answer
    _shot(dan.page, f"send-to-review-refused-{width}")

    links.filter(has_text="Basics: describe the key method.").click()
    dan.page.wait_for_load_state()
    assert dan.page.url.endswith("/edit/basics/#id_key_method")
    assert _in_view(dan.page, "#id_key_method")  # before axe, which scrolls as it checks
    dan.check()
    label = dan.page.locator("label[for=id_key_method]").inner_text()
    assert label == "Key method (required to send for review)"

    dan.page.get_by_label("Title", exact=True).fill("")
    dan.page.get_by_label("Estimated hours").fill("0")
    dan.page.get_by_label("Credit hours").fill("-1")
    dan.page.get_by_label("Valid for (months)").fill("999")
    dan.page.get_by_role("button", name="Save", exact=True).click()
    dan.page.wait_for_load_state()
    dan.check()
    errors = dan.page.locator("[data-error-summary] li a")
    assert errors.count() == 4  # every field's problem at once
    assert dan.page.locator(".field--invalid").count() == 4
    assert dan.page.get_by_label("Credit hours").input_value() == "-1"  # input kept
    _shot(dan.page, f"basics-all-errors-{width}")


def test_discarding_a_new_draft_asks_first(visit, designer_dan, north):
    credential = draft_credential(designer_dan, north, title="Never mind")
    dan = visit()
    dan.sign_in(designer_dan.email, PASSWORD)
    dan.goto(f"/studio/{credential.pk}/")
    dan.page.get_by_role("link", name="Discard this credential…").click()
    dan.page.wait_for_load_state()
    dan.check()
    assert dan.page.get_by_role("heading", name="Discard this draft credential?").is_visible()
    _shot(dan.page, "discard-confirm-1280")
    dan.page.get_by_role("button", name="Discard the credential").click()
    dan.page.wait_for_load_state()
    dan.check()
    assert "The draft credential “Never mind” is discarded." in dan.page.content()
    assert not Credential.objects.filter(pk=credential.pk).exists()


def test_empty_decline_reason_keeps_the_focus_at_the_field(
    visit, world, designer_dan, reviewer_rita, north, educator_ana, assessor_ben
):
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    pool(world.north.organization, credential, [assessor_ben])
    review = submitted_attempt(educator_ana, credential).reviews.get()
    ben = visit(height=700)
    ben.sign_in(assessor_ben.email, PASSWORD)
    ben.goto(review.get_absolute_url())
    ben.page.get_by_text("Decline this review").click()
    ben.page.get_by_role("button", name="Decline", exact=True).click()
    ben.page.wait_for_load_state()
    assert ben.page.evaluate("document.activeElement.id") == "id_reason"
    assert _in_view(ben.page, "#id_reason")  # before axe, which scrolls as it checks
    assert _in_view(ben.page, "#id_reason_error")
    ben.page.screenshot(path=str(SHOTS / "decline-empty-reason-1280.png"))
    ben.check()
    assert "Say why you decline" in ben.page.locator("#id_reason_error").inner_text()


def test_issuer_reissues_with_a_new_name_and_renew_is_its_own_action(
    visit,
    settings,
    live_server,
    world,
    designer_dan,
    reviewer_rita,
    north,
    educator_ana,
    assessor_ben,
    issuer_carla,
):
    settings.SITE_URL = live_server.url
    from microcred.badges import fetch
    from microcred.badges.models import IssuedCredential
    from microcred.badges.tests.factories import awarded
    from microcred.catalog.tests.factories import published_credential

    fetch.forget()
    credential = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    award = awarded(
        educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
    )
    issued = IssuedCredential.objects.get(award=award)
    carla = visit()
    carla.sign_in(issuer_carla.email, PASSWORD)
    carla.goto(issued.get_absolute_url())
    carla.page.get_by_text("Renew (new dates)").click()
    assert (
        "does not expire, so there is nothing to renew" in carla.page.locator("#renew").inner_text()
    )
    carla.page.get_by_text("Issue it again (new name, email or a correction)").click()
    carla.page.get_by_role("radio", name="the earner's name changed").check()
    carla.page.get_by_role("button", name="Issue it again").click()
    carla.page.wait_for_load_state()
    carla.check()
    error = carla.page.locator("#reissue-new_name-group .field__error")
    assert error.inner_text().endswith("Enter the new name the badge should show.")
    _shot(carla.page, "reissue-refused-1280")
    carla.page.get_by_label("New name on the badge").fill("Ana María García")
    carla.page.get_by_role("button", name="Issue it again").click()
    carla.page.wait_for_load_state()
    carla.check()
    assert "The badge was issued again" in carla.page.content()
    assert "Ana María García" in carla.page.content()
    new = IssuedCredential.objects.exclude(state="superseded").get(award=award)
    assert new.recipient_name == "Ana María García"
