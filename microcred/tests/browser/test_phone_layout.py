"""Phones and long content in real Chromium.

A 390 px phone opens the pages people read most with a 5,000-letter word (no spaces) in
the credential's texts, the assessor's feedback and the educator's evidence: the public
credential page (its rubric is a stack of levels per section), the verifier's result, the
badge page, the certificate and the attempt pages. None is wider than the screen. On a
1366 px desktop every level of a four-level rubric is on screen. The character counter
says "n of max characters" and warns over the limit; the word counter warns past its
limit; after an upload the focus is on the next thing to do, not the top of the page.
Every page passes axe-core with no console errors.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from microcred.assessment import services as assessment
from microcred.assessment.models import Award
from microcred.assessment.tests.factories import pool
from microcred.badges.models import IssuedCredential
from microcred.catalog import rules
from microcred.catalog import services as catalog_services
from microcred.catalog.models import CredentialVersion, EvidenceRequirement, PerformanceLevel
from microcred.catalog.tests.factories import approve_answers, draft_credential
from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, member
from microcred.earning import services as earning
from microcred.earning.tests.factories import (
    earnable_credential,
    started_attempt,
    submitted_attempt,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "W" * 5000
PHONE = {"width": 390, "height": 844}
SHOTS = "/tmp/shots/phones"
LEVELS = ["Beginning", "Developing", "Proficient", "Exemplary"]


def four_level_credential(designer, reviewer, organization, *, long: bool = True):
    """A published credential whose rubric has four levels per section, "Proficient" (the
    third) passing, and (`long`) a 5,000-letter word in its summary, method, task and
    descriptors."""
    title = "Long words" if long else "Exit tickets"
    credential = draft_credential(designer, organization, title=title)
    version = credential.versions.get()
    target_ids = list(version.targets.values_list("pk", flat=True))
    catalog_services.draft_set_rubric(
        actor=designer,
        version=version,
        pass_rule="all",
        pass_min_sections=None,
        sections=[
            rules.SectionInput(
                name=f"Section {i + 1}",
                description="",
                target_ids=[target_ids[i % len(target_ids)]],
                levels=[rules.LevelInput(name, f"{name} work on the tickets.") for name in LEVELS],
                passing_index=2,
            )
            for i in range(3)
        ],
    )
    catalog_services.version_submit_for_review(actor=designer, version=version)
    catalog_services.version_review(
        actor=reviewer, version=version, approve=True, summary="", answers=approve_answers()
    )
    if not long:
        credential.refresh_from_db()
        return credential
    CredentialVersion.objects.filter(pk=version.pk).update(
        summary=f"A summary with {LONG} in it.",
        key_method=LONG,
        task_instructions=LONG,
    )
    PerformanceLevel.objects.filter(section__version=version, name="Exemplary").update(
        descriptor=f"Exemplary: {LONG}"
    )
    EvidenceRequirement.objects.filter(version=version).update(description=LONG)
    credential.refresh_from_db()
    return credential


@pytest.fixture
def content(settings, live_server, world):
    """Ana's badge for "Long words" (feedback with the long word in it), and her attempt at
    "Exit tickets" in progress with the long word as her written evidence."""
    settings.SITE_URL = live_server.url
    from microcred.badges import fetch

    fetch.forget()
    people = world.north.people
    organization = world.north.organization
    ana = people[Role.EDUCATOR]
    credential = four_level_credential(people[Role.DESIGNER], people[Role.REVIEWER], organization)
    pool(organization, credential, [people[Role.ASSESSOR]])
    submission = submitted_attempt(ana, credential)
    review = submission.reviews.get()
    scores = {
        section.pk: (section.levels.get(name="Proficient").pk, f"Feedback: {LONG}")
        for section in submission.sections.all()
    }
    assessment.review_save(
        actor=review.assessor,
        review=review,
        scores=scores,
        recommendation="award",
        summary=LONG,
        submit=True,
    )
    assessment.submission_decide(
        actor=people[Role.ISSUER], submission=submission, outcome="award", reason=LONG
    )
    award = Award.objects.get(attempt=submission.attempt)
    badge = IssuedCredential.objects.get(award=award)
    exit_tickets = earnable_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], organization, title="Exit tickets"
    )
    attempt = started_attempt(ana, exit_tickets)
    written = attempt.version.evidence_requirements.get(kind="written")
    earning.evidence_write(actor=ana, attempt=attempt, requirement=written, text=LONG)
    # A second educator's hand-in waits in Ben's queue, so his review page is open.
    eve = member(world.north.school, Role.EDUCATOR, full_name="Eve Long", email="eve@north.example")
    waiting = submitted_attempt(eve, credential)
    return {
        "ana": ana,
        "ben": people[Role.ASSESSOR],
        "open_review": waiting.reviews.get(),
        "credential": credential,
        "award": award,
        "badge": badge,
        "attempt": attempt,
        "awarded_attempt": submission.attempt,
    }


def assert_fits(visitor, width: int) -> None:
    page = visitor.page
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide on a {width} px screen"


def shot(visitor, name: str, *, full_page: bool = True) -> None:
    visitor.page.screenshot(path=f"{SHOTS}/{name}.png", full_page=full_page)


def signed_in(visit, user, **kwargs):
    visitor = visit(**kwargs)
    visitor.sign_in(user.email, PASSWORD)
    return visitor


def test_no_page_is_wider_than_a_phone_with_a_5000_letter_word_in_its_content(visit, content):
    ana = signed_in(visit, content["ana"], **PHONE)
    page = ana.page

    # The public credential page: each rubric section is a stack of its four levels.
    ana.goto(content["credential"].get_absolute_url())
    assert_fits(ana, 390)
    rubric = page.locator("table.rubric-table")
    first_row = rubric.locator("tbody tr").first
    cells = first_row.locator("td")
    expect(cells).to_have_count(4)
    for i, name in enumerate(LEVELS):
        cell = cells.nth(i)
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
        expect(cell.locator(".level-name--phone")).to_have_text(name)
    passing = first_row.locator("td.is-passing").first
    expect(passing.locator(".passing-note")).to_have_text("Passing level")
    shot(ana, "credential-phone-long-word")

    # The badge page, with the long word in the feedback and the achievement's description.
    ana.goto(content["badge"].get_absolute_url())
    expect(page.locator(".badge-hero [data-verdict='verified']")).to_contain_text("Verified")
    assert_fits(ana, 390)
    shot(ana, "badge-phone")

    # The certificate, with its Print button (shown by the script) and verification block.
    certificate = reverse("assessment:certificate", args=[content["award"].public_id])
    ana.goto(certificate)
    assert_fits(ana, 390)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code: opens this badge's verification page")
    ).to_be_visible()
    shot(ana, "certificate-phone")
    desk = signed_in(visit, content["ana"])
    desk.goto(certificate)
    shot(desk, "certificate-desktop")
    # Printed: no site header, footer or buttons, and the certificate fits one A4/Letter page.
    desk.page.emulate_media(media="print")
    expect(desk.page.locator(".site-header")).to_be_hidden()
    expect(desk.page.locator(".site-footer")).to_be_hidden()
    expect(desk.page.get_by_role("button", name="Print")).to_be_hidden()
    expect(
        desk.page.get_by_role("img", name="QR code: opens this badge's verification page")
    ).to_be_visible()
    pdf = desk.page.pdf(format="Letter")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    shot(desk, "certificate-print")

    # The attempt pages: the awarded one, the feedback, and the one in progress.
    for path in (
        content["awarded_attempt"].get_absolute_url(),
        reverse("assessment:feedback", args=[content["awarded_attempt"].public_id]),
        content["attempt"].get_absolute_url(),
        reverse("earning:evidence", args=[content["attempt"].public_id]),
    ):
        ana.goto(path)
        assert_fits(ana, 390)
    expect(page.locator("textarea").first).to_have_value(LONG)
    shot(ana, "evidence-phone")

    # The assessor's review page: the rubric beside the evidence, on a phone.
    ben = signed_in(visit, content["ben"], **PHONE)
    assert content["open_review"].assessor == content["ben"]
    ben.goto(content["open_review"].get_absolute_url())
    expect(ben.page.get_by_role("heading", level=1)).to_contain_text("Long words")
    assert_fits(ben, 390)
    shot(ben, "review-phone")

    # The verifier, signed out, with the badge's JSON pasted in.
    employer = visit(**PHONE)
    employer.goto("/verify/")
    employer.page.get_by_text("Paste the credential's JSON instead").click()
    employer.page.get_by_label("Or paste the credential").fill(content["badge"].document)
    employer.page.get_by_role("button", name="Verify").click()
    employer.page.wait_for_load_state()
    employer.check()
    expect(employer.page.locator("#result")).to_contain_text("Verified")
    assert_fits(employer, 390)
    shot(employer, "verifier-phone")


@pytest.fixture
def plain(world):
    people = world.north.people
    return four_level_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], world.north.organization, long=False
    )


def show_rubric(visitor) -> None:
    visitor.page.locator("#rubric").evaluate("el => el.scrollIntoView()")


def test_a_four_level_rubric_shows_every_level_on_a_1366_px_desktop_and_stacks_on_a_phone(
    visit, plain
):
    reader = visit(width=1366, height=900)
    reader.goto(plain.get_absolute_url())
    assert_fits(reader, 1366)
    wrap = reader.page.locator("#rubric .table-wrap")
    headers = wrap.locator("thead th")
    expect(headers).to_have_count(5)
    expect(headers.nth(4)).to_have_text("Exemplary")
    frame = wrap.bounding_box()
    assert frame is not None
    for i in range(5):
        box = headers.nth(i).bounding_box()
        assert box is not None and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, i
    # Nothing to scroll sideways inside the table either.
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    show_rubric(reader)
    shot(reader, "rubric-desktop-1366", full_page=False)

    phone = visit(**PHONE)
    phone.goto(plain.get_absolute_url())
    assert_fits(phone, 390)
    caption = phone.page.locator("#rubric caption").bounding_box()
    assert caption is not None and caption["height"] < 60  # one line, not a letter a line
    head = phone.page.locator("#rubric thead").bounding_box()  # kept for screen readers
    assert head is not None and head["height"] <= 1
    cells = phone.page.locator("#rubric tbody tr").first.locator("td")
    tops = [cells.nth(i).bounding_box()["y"] for i in range(4)]
    assert tops == sorted(tops) and len(set(tops)) == 4  # one level under the other
    show_rubric(phone)
    shot(phone, "rubric-phone", full_page=False)


@pytest.fixture
def in_progress(live_server, world):
    people = world.north.people
    credential = earnable_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], world.north.organization
    )
    return {
        "ana": people[Role.EDUCATOR],
        "attempt": started_attempt(people[Role.EDUCATOR], credential),
    }


def focused(page) -> str:
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e.tagName + '#' + e.id + '@' + (e.closest('section') || {}).id; })()"
    )


def test_after_an_upload_the_focus_is_on_the_next_thing_to_do(visit, in_progress):
    ana = signed_in(visit, in_progress["ana"])
    page = ana.page
    attempt = in_progress["attempt"]
    ana.goto(reverse("earning:evidence", args=[attempt.public_id]))
    plan = attempt.version.evidence_requirements.get(kind="document")
    written = attempt.version.evidence_requirements.get(kind="written")
    form = page.locator(f"#requirement-{plan.pk}")
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

    # The lesson plan takes two files: after the first, focus is on its "Add a file" again.
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "plan-1.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    form.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="plan-1.pdf")).to_be_visible()
    ana.check()
    assert focused(page).startswith("INPUT#") and focused(page).endswith(f"@requirement-{plan.pk}")
    # The next Tab goes on from there, not from the top of the page.
    page.keyboard.press("Tab")
    assert focused(page).endswith(f"@requirement-{plan.pk}")

    # After the second the requirement is full: focus moves to the written answer below it.
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "plan-2.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    form.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="plan-2.pdf")).to_be_visible()
    ana.check()
    assert focused(page).startswith("TEXTAREA#")
    assert focused(page).endswith(f"@requirement-{written.pk}")


def test_counters_say_how_much_is_written_and_warn_over_the_limit(visit, in_progress):
    ana = signed_in(visit, in_progress["ana"], **PHONE)
    page = ana.page
    attempt = in_progress["attempt"]
    ana.goto(reverse("earning:evidence", args=[attempt.public_id]))
    answer = page.get_by_label("Your answer")
    area_id = answer.get_attribute("id")
    words = page.locator(f'[data-word-count-for="{area_id}"]')
    count = page.locator(f"#{area_id}_count")
    expect(count).to_have_text("0 of 20,000 characters")
    assert f"{area_id}_count" in (answer.get_attribute("aria-describedby") or "")
    live = count.locator("xpath=following-sibling::span[@aria-live='polite']")
    expect(live).to_have_count(1)

    answer.fill("I regrouped six students.")
    expect(count).to_have_text("25 of 20,000 characters")
    expect(live).to_have_text("25 of 20,000 characters")  # said once typing pauses
    expect(words).to_have_text("4 of 300 words")
    expect(words).not_to_have_class("autosave__words is-over")

    answer.fill("word " * 320)
    expect(words).to_have_text(
        "⚠ 320 of 300 words: 20 over the limit. Shorten it before you submit."
    )
    expect(words).to_have_class("autosave__words is-over")
    assert words.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    page.locator(f"#{area_id}").evaluate("e => e.scrollIntoView()")
    shot(ana, "word-counter-over-phone", full_page=False)

    # Pasting more than the limit is let in (the browser would cut it silently) and warned.
    answer.fill("x" * 20_005)
    expect(count).to_have_text("⚠ 20,005 of 20,000 characters: 5 too many. Shorten it to save.")
    expect(count.locator("xpath=..")).to_have_class("char-count small is-over")
