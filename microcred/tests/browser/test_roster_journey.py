"""A roster import in Chromium with axe-core: Riverbend's program admin uploads a OneRoster
export with errors and reads the report (nothing changed), uploads the fixed export, reads
what it will do, confirms, and watches the progress bar while the worker applies it."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from microcred.core.models import Invitation, Membership, Role, User
from microcred.core.tests.factories import PASSWORD
from microcred.rosters import services
from microcred.rosters.models import RosterImport
from microcred.rosters.tests.test_pages import DB_TASKS, zipped
from microcred.server.tests.test_task_worker import worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker() -> None:
    """`manage.py task_worker`'s worker, in a thread of the test (the command itself sets
    signal handlers, which only the main thread may), until the queue is empty."""
    try:
        worker(claim=5).run()
    finally:
        connection.close()


def test_an_admin_fixes_a_roster_confirms_it_and_watches_it_applied(
    visit, north, admin_adam, settings, tmp_path, monkeypatch
):
    settings.TASKS = DB_TASKS
    settings.ROSTER_BATCH = 1
    broken, fixed = tmp_path / "fall-roster.zip", tmp_path / "fall-roster-fixed.zip"
    broken.write_bytes(zipped("errors_12").read())
    fixed.write_bytes(zipped("valid_12").read())

    admin = visit()
    admin.sign_in(admin_adam.email, PASSWORD)
    page = admin.goto(f"/orgs/{north.slug}/")
    page.get_by_role("link", name="Roster imports").click()
    page.wait_for_url(f"**/orgs/{north.slug}/rosters/")
    admin.check()
    admin.screenshot("roster-imports-empty")

    page.get_by_label("OneRoster export (.zip)").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/rosters/*/")
    admin.check()
    refused = RosterImport.objects.get()
    errors = sum(1 for p in refused.problems if p["severity"] == "error")
    heading = page.get_by_role("heading", level=2).first.inner_text()
    assert heading.startswith(f"{errors} errors")
    assert page.get_by_text("Nothing was changed.").is_visible()
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    first = next(p for p in refused.problems if p["severity"] == "error")
    row = page.get_by_role("row").filter(has_text=first["message"]).first
    assert row.get_by_role("cell").nth(1).inner_text() == str(first["line"])
    admin.screenshot("roster-report-errors")
    assert not User.objects.filter(email="tara.teach@lakeland.example").exists()

    page.get_by_role("link", name="Roster imports").click()
    page.get_by_label("OneRoster export (.zip)").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/rosters/*/")
    admin.check()
    assert page.get_by_role("heading", name="What this import will do").is_visible()
    assert page.get_by_text("3 people get a membership").is_visible()
    admin.screenshot("roster-report-ready")

    # The worker is slowed to a second a person, so the page's polling sees it move.
    real = services._apply_batch

    def slow(*args, **kwargs):
        time.sleep(0.8)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_apply_batch", slow)
    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Waiting to start").is_visible()
    bar = page.locator("#import-progress")
    assert bar.get_attribute("value") == "0" and bar.get_attribute("max") == "5"
    admin.check()
    worker = threading.Thread(target=run_worker)
    worker.start()
    try:
        page.wait_for_function(
            "() => { const b = document.querySelector('#import-progress');"
            " return b && b.value > 0 && b.value < 5; }",
            timeout=15_000,
        )
        assert page.get_by_role("heading", name="Importing").is_visible()
        assert page.locator("#import-state-badge").inner_text() == "Being applied"
        admin.screenshot("roster-progress")
        page.get_by_role("heading", name="Imported", exact=False).wait_for(timeout=20_000)
    finally:
        worker.join(timeout=30)
    page.get_by_text("Applied", exact=True).wait_for()  # the page loaded again, whole
    admin.check()
    assert page.locator(".fact-strip").last.get_by_text("People added").is_visible()
    admin.screenshot("roster-applied")
    tara = User.objects.get(email="tara.teach@lakeland.example")
    assert Membership.objects.filter(user=tara, role=Role.EDUCATOR).exists()
    page.get_by_role("link", name="Roster imports").click()
    history = page.get_by_role("table")
    assert history.get_by_role("row").count() == 3  # the header, applied, refused
    assert "Applied" in history.inner_text() and "Refused" in history.inner_text()
    admin.check()


def test_an_admin_invites_people_from_a_csv_after_fixing_it(visit, north, admin_adam, tmp_path):
    broken, fixed = tmp_path / "new staff.csv", tmp_path / "new staff fixed.csv"
    broken.write_text(
        "email,name,school,role\n"
        "ana.ruiz@riverbend.example,Ana Ruiz,Mapel Elementary,teacher\n"
        "ben.cho@riverbend.example,Ben Cho,,assessor\n"
    )
    fixed.write_text(broken.read_text().replace("Mapel", "Maple"))
    admin = visit()
    admin.sign_in(admin_adam.email, PASSWORD)
    page = admin.goto(f"/orgs/{north.slug}/members/")
    page.get_by_role("link", name="Invite many people from a CSV").click()
    page.wait_for_url("**/invitations/")
    admin.check()
    admin.screenshot("invitations-upload")
    page.get_by_label("People to invite (.csv)").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/rosters/*/")
    admin.check()
    row = page.get_by_role("row").filter(has_text="Mapel Elementary")
    assert row.get_by_role("cell").nth(1).inner_text() == "2"
    assert "Did you mean “Maple Elementary”?" in row.inner_text()
    admin.screenshot("invitations-report-errors")

    page.goto(f"/orgs/{north.slug}/invitations/")
    page.get_by_label("People to invite (.csv)").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/rosters/*/")
    admin.check()
    assert page.get_by_text("2 invitations will be sent").is_visible()
    page.get_by_role("button", name="Confirm and send 2 invitations").click()
    page.get_by_role("heading", name="Sent", exact=False).wait_for()
    admin.check()
    admin.screenshot("invitations-sent")
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "ana.ruiz@riverbend.example",
        "ben.cho@riverbend.example",
    }
