"""What the attempt's steps say once it is handed in, and to someone reading another
educator's attempt: no "tick each one", "unlocks when" or "saves as you type" where nothing
can be ticked, unlocked or typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microcred.earning.tests.factories import (
    earnable_credential,
    started_attempt,
    submitted_attempt,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return earnable_credential(designer_dan, reviewer_rita, north)


def _page(client, user, name: str, attempt, *args: str) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=[attempt.public_id, *args]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_handed_in_pre_reflection_reads_as_a_record_not_a_form(client, educator_ana, credential):
    attempt = submitted_attempt(educator_ana, credential).attempt
    page = _page(client, educator_ana, "earning:reflection", attempt, "pre")
    assert "Where your practice stood before the task, as you wrote it." in page
    assert "This attempt is read-only now." in page
    assert "unlock when every question has an answer" not in page
    assert "Your text saves as you type" not in page


def test_an_unlocked_pre_reflection_no_longer_promises_to_unlock_the_task(
    client, educator_ana, credential, designer_dan, reviewer_rita, north
):
    attempt = started_attempt(educator_ana, credential)  # answered: the task is unlocked
    page = _page(client, educator_ana, "earning:reflection", attempt, "pre")
    assert "Write down where your practice is today." in page
    assert "unlock when every question has an answer" not in page
    assert "Your text saves as you type" in page  # still hers to edit

    other = earnable_credential(designer_dan, reviewer_rita, north, title="Number talks")
    fresh = started_attempt(educator_ana, other, reflected=False)
    page = _page(client, educator_ana, "earning:reflection", fresh, "pre")
    assert "The task and resources unlock when every question has an answer." in page


def test_a_coach_reading_the_resources_is_not_asked_to_tick_them(
    client, educator_ana, coach_carmen, credential
):
    attempt = started_attempt(educator_ana, credential)
    page = _page(client, coach_carmen, "earning:resources", attempt)
    assert "Tick each one when you are done" not in page
    assert f"the ones {educator_ana.get_short_name()} ticked as done" in page
    assert "See the task and evidence" in page

    page = _page(client, educator_ana, "earning:resources", attempt)
    assert "Tick each one when you are done" in page
    assert "Go to the task" in page


def test_the_breadcrumb_leads_only_where_the_reader_can_go(
    client, educator_ana, coach_carmen, issuer_carla, credential
):
    attempt = submitted_attempt(educator_ana, credential).attempt
    staff = f'href="{reverse("earning:staff")}"'
    assert staff in _page(client, coach_carmen, "earning:attempt", attempt)
    # The issuer reads the attempt from a decision; "Staff progress" would answer 403.
    page = _page(client, issuer_carla, "earning:attempt", attempt)
    assert staff not in page
    assert f'<li><a href="{reverse("assessment:index")}">Assessment</a></li>' in page
    client.force_login(issuer_carla)
    assert client.get(reverse("earning:staff")).status_code == 403
