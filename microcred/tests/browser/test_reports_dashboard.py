"""The program dashboard in Chromium with axe-core: Adam opens it from the header, sees the
key figures and each chart drawn beside its table, narrows it to one school from the
keyboard, has a period that ends before it starts refused beside its field with what he
typed kept, and downloads the CSV; his school leader sees her school only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcred.core.models import Role
from microcred.core.tests.factories import PASSWORD, make_org, member
from microcred.reports.tests.factories import program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _charts(page: Any) -> int:
    """How many charts Chart.js drew (each on a canvas with a size)."""
    return int(
        page.evaluate("() => Object.values(window.Chart.instances).filter(c => c.width > 0).length")
    )


def test_adam_reads_the_dashboard_filters_it_and_downloads_it(
    visit,
    world,
    designer_dan,
    reviewer_rita,
    assessor_ben,
    issuer_carla,
    admin_adam,
    educator_ana,
    principal_dee,
    settings,
    live_server,
):
    settings.SITE_URL = live_server.url
    program(
        school=world.north.school,
        designer=designer_dan,
        reviewer=reviewer_rita,
        assessor=assessor_ben,
        issuer=issuer_carla,
        admin=admin_adam,
        first_try=educator_ana,
    )
    oak = make_org("Oak Middle", "school", world.north.organization)
    member(oak, Role.EDUCATOR, full_name="Oli Oak", email="oli@riverbend.example")

    adam = visit()
    adam.sign_in(admin_adam.email, PASSWORD)
    page = adam.page
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url("**/reports/")
    adam.check()
    assert page.get_by_role("heading", name="Riverbend Unified", level=1).is_visible()
    figure = page.locator(".report-figure", has_text="Educators with a credential")
    assert "40 %" in figure.inner_text()  # Ana and Bo of Maple's four and Oak's one
    assert "2 of 5 educators" in figure.inner_text()
    assert _charts(page) == 6
    schools = page.get_by_role("table", name="earned in the period, by school")
    assert schools.get_by_role("rowheader", name="Maple Elementary").is_visible()
    adam.screenshot("dashboard-district")

    # One school, chosen from the keyboard.
    page.get_by_label("School", exact=True).focus()
    page.keyboard.press("ArrowDown")  # "Maple Elementary", the first school
    assert page.get_by_label("School", exact=True).input_value() == str(world.north.school.pk)
    page.get_by_role("button", name="Show the figures").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/reports/?school={world.north.school.pk}*")
    adam.check()
    assert page.get_by_role("heading", name="Maple Elementary", level=1).is_visible()
    figure = page.locator(".report-figure", has_text="Educators with a credential")
    assert "2 of 4 educators" in figure.inner_text()
    months = page.get_by_role("table", name="by month")
    assert months.locator("tbody tr").count() == 12
    assert _charts(page) == 6
    adam.screenshot("dashboard-school")

    # A period that ends before it starts: refused beside its field, as typed.
    page.get_by_label("From", exact=True).fill("2026-06-01")
    page.get_by_label("To", exact=True).fill("2026-05-01")
    page.get_by_role("button", name="Show the figures").click()
    page.wait_for_load_state()
    adam.check()
    error = page.locator("#id_start_error")
    assert "on or before May 1, 2026" in error.inner_text()
    assert page.get_by_label("From", exact=True).input_value() == "2026-06-01"
    assert page.get_by_label("School", exact=True).input_value() == str(world.north.school.pk)
    adam.screenshot("dashboard-refused")

    page.get_by_role("link", name="Clear the filters").click()
    page.wait_for_url("**/reports/")
    adam.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the figures (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Table,Row,Column,Value")
    assert "By school,Maple Elementary,Earned,2" in text

    dee = visit(width=390, height=844)  # her phone
    dee.sign_in(principal_dee.email, PASSWORD)
    page = dee.goto("/reports/")
    assert page.get_by_role("heading", name="Maple Elementary", level=1).is_visible()
    assert "Oak Middle" not in page.content()
    assert not page.get_by_label("School", exact=True).count()  # her school is all there is
    assert _charts(page) == 6
    dee.screenshot("dashboard-leader")
