"""Posts to the assessment pages that the page itself refuses, before any service runs: an
appeal with no decision to appeal, a review or pool post that names no operation, the
removal of someone who is not in the pool, pool settings out of range. Each comes back to
its page with status 400, says what to do, keeps what was typed where the page shows a form
for it, and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microcred.assessment.models import Appeal, AssessorPool
from microcred.assessment.tests.factories import pool, submitted_attempt
from microcred.core.models import AuditEvent


@pytest.fixture
def routed(world, credential, educator_ana, assessor_ben):
    pool(world.north.organization, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


def test_an_appeal_before_any_decision_is_refused_and_files_nothing(client, routed, educator_ana):
    client.force_login(educator_ana)
    url = reverse("assessment:feedback", args=[routed.submission.attempt.public_id])
    before = AuditEvent.objects.count()
    response = client.post(url, {"reason": "The assessment missed my exit tickets."})
    assert response.status_code == 400
    # No decision, so no appeal form: the refusal shows in the summary at the top.
    assert "There is no decision to appeal yet." in response.content.decode()
    assert not Appeal.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_review_post_that_names_no_operation_asks_for_one_and_keeps_the_input(
    client, routed, assessor_ben
):
    client.force_login(assessor_ben)
    before = AuditEvent.objects.count()
    response = client.post(routed.get_absolute_url(), {"op": "", "summary": "Kept words"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose “Save draft”, “Submit review” or “Decline”." in body
    assert "Kept words" in body
    routed.refresh_from_db()
    assert routed.state == "assigned" and routed.summary == ""
    assert AuditEvent.objects.count() == before


def test_removing_someone_who_is_not_in_the_pool_is_refused(client, admin_adam, routed):
    made = AssessorPool.objects.get()
    member = made.members.get()
    client.force_login(admin_adam)
    before = AuditEvent.objects.count()
    url = reverse("assessment:pool-member-remove", args=[made.pk])
    response = client.post(url, {"member": str(member.pk + 1000)})
    assert response.status_code == 400
    assert "Choose an assessor of this pool to remove." in response.content.decode()
    member.refresh_from_db()
    assert member.active
    assert AuditEvent.objects.count() == before


def test_the_pool_page_itself_takes_no_post_each_change_has_its_address(client, admin_adam, routed):
    made = AssessorPool.objects.get()
    client.force_login(admin_adam)
    before = AuditEvent.objects.count()
    url = reverse("assessment:pool", args=[made.pk])
    response = client.post(url, {"op": "settings", "name": "Another name"})
    assert response.status_code == 405
    made.refresh_from_db()
    assert made.name != "Another name"
    assert AuditEvent.objects.count() == before


def test_pool_settings_out_of_range_keep_the_input_and_good_ones_are_saved(
    client, admin_adam, routed
):
    made = AssessorPool.objects.get()
    client.force_login(admin_adam)
    url = reverse("assessment:pool-settings", args=[made.pk])
    settings = {
        "name": "Exit ticket assessors",
        "turnaround_days": "91",
        "max_resubmissions": "1",
        "resubmit_wait_days": "7",
    }
    before = AuditEvent.objects.count()
    response = client.post(url, settings)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The turnaround can be 90 days at most." in body and "Exit ticket assessors" in body
    made.refresh_from_db()
    assert made.name != "Exit ticket assessors"
    assert AuditEvent.objects.count() == before
    response = client.post(url, {**settings, "turnaround_days": "10"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.name, made.turnaround_days, made.resubmit_wait_days) == (
        "Exit ticket assessors",
        10,
        7,
    )
